"""The feed's HTTP shapes (docs/exchange.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ChangeOut(BaseModel):
    cursor: int
    kind: str
    object_type: str
    object_id: int
    record_id: int | None
    subject_id: int | None
    occurred_at: datetime
    payload: dict[str, Any]


class FeedPage(BaseModel):
    receiver: str
    changes: list[ChangeOut]
    #: Pass as ``after`` for the next page (the last change's cursor, or the one given).
    next_after: int


class AckIn(BaseModel):
    """Everything offered up to this cursor arrived."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"up_to": 1042}]})

    up_to: int = Field(ge=0, le=2**63 - 1)


class AckOut(BaseModel):
    acknowledged: int
    cursor: int


class ReconciliationOut(BaseModel):
    receiver: str
    day: str
    sent: int
    acknowledged: int
    pending: int
    oldest_pending: int | None
    cursor: int
    last_acknowledged_at: datetime | None
