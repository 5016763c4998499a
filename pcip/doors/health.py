"""GET /api/v1/health: is the platform up, on which database and schema, and what time is it."""

from __future__ import annotations

from datetime import datetime

from fastapi import Depends
from pydantic import BaseModel
from sqlalchemy import text

from pcip import REGULATION_EFFECTIVE, REGULATION_NAME, __version__, clock
from pcip.doors.api_common import Router, SessionDep, get_platform
from pcip.kernel.platform import Platform, current_revision

router = Router(tags=["platform"])


class Health(BaseModel):
    status: str
    version: str
    database: str
    schema_revision: str | None
    now: datetime
    clock_fixed: bool
    regulation: str
    regulation_effective: str


@router.get("/health", response_model=Health, summary="Platform health")
def health(session: SessionDep, platform: Platform = Depends(get_platform)) -> Health:
    session.execute(text("SELECT 1"))
    return Health(
        status="ok",
        version=__version__,
        database=platform.engine.dialect.name,
        schema_revision=current_revision(session.connection()),
        now=clock.now(),
        clock_fixed=platform.settings.now is not None,
        regulation=REGULATION_NAME,
        regulation_effective=REGULATION_EFFECTIVE,
    )
