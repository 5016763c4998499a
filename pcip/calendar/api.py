"""The HTTP door onto the statutory working-day calendar (Art. 40; D-1, D-3;
docs/facts.md#working-days)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import File, Query, UploadFile
from pydantic import BaseModel, Field

from pcip.auth.api import PrincipalDep
from pcip.auth.permissions import Permission, require
from pcip.calendar.queries import stored_years
from pcip.calendar.schedule import parse_schedule_bytes
from pcip.calendar.service import work_calendar
from pcip.doors.api_common import AUTH_RESPONSES, ERROR_RESPONSES, Router, SessionDep
from pcip.doors.http_guard import UPLOAD_BODY
from pcip.errors import ValidationError
from pcip.flows.schedules import load_schedule
from pcip.kernel.messages import msg

router = Router(
    prefix="/calendar", tags=["calendar"], responses={**ERROR_RESPONSES, **AUTH_RESPONSES}
)
#: An official schedule is a few kilobytes of JSON.
MAX_SCHEDULE_BYTES = 256 * 1024


class DeadlineOut(BaseModel):
    start: date
    working_days: int
    due: date
    provisional: bool = Field(description="Counted over a year with no official schedule")


class YearOut(BaseModel):
    year: int
    source: str
    holidays: int
    makeup_workdays: int
    loaded_at: datetime
    loaded_by: str


class LoadOut(BaseModel):
    year: int
    replaced: bool
    changed_days: list[date]
    recounted: list[dict[str, object]] = Field(
        description="Open objection deadlines whose due date or provisional mark changed"
    )


def _pause(text: str) -> tuple[date, date]:
    first, sep, last = text.partition(":")
    try:
        if not sep:
            raise ValueError
        return date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        raise ValidationError(msg("calendar.not_a_range", text=repr(text)), field="pause") from None


@router.get("/deadline", response_model=DeadlineOut)
def deadline(
    session: SessionDep,
    principal: PrincipalDep,
    start: Annotated[date, Query(description="The day of receipt (not counted, D-1)")],
    working_days: Annotated[int, Query(ge=0, le=366)],
    pause: Annotated[
        list[str] | None, Query(description="FROM:TO, inclusive days not counted (D-3)")
    ] = None,
) -> DeadlineOut:
    """The due date of N working days after START on the stored calendar (Art. 40, D-1)."""
    require(principal, Permission.CALENDAR_READ)
    result = work_calendar(session).deadline(start, working_days, [_pause(p) for p in pause or []])
    return DeadlineOut(**result.as_json())


@router.get("/years", response_model=list[YearOut])
def years(session: SessionDep, principal: PrincipalDep) -> list[YearOut]:
    """The years with an official schedule; any other year is computed and provisional."""
    require(principal, Permission.CALENDAR_READ)
    return [
        YearOut(
            year=row.year,
            source=row.source,
            holidays=len(row.holidays),
            makeup_workdays=len(row.makeup_workdays),
            loaded_at=row.loaded_at,
            loaded_by=row.loaded_by,
        )
        for row in stored_years(session)
    ]


@router.post("/years", response_model=LoadOut, status_code=201, max_body_size=UPLOAD_BODY)
def load_year(
    session: SessionDep,
    principal: PrincipalDep,
    file: Annotated[
        UploadFile,
        File(
            description="A year's official schedule (JSON: year, source, holidays, "
            "makeup_workdays)",
            examples=['{"year": 2027, "source": "国办发明电〔2026〕X号", ...}'],
        ),
    ],
) -> LoadOut:
    """Art. 40; D-1: load a year's official holidays and make-up working days. Deadlines are
    derived, so every open one crossing the year is recounted; the audit row lists them."""
    require(principal, Permission.CALENDAR_MANAGE)
    raw = file.file.read(MAX_SCHEDULE_BYTES + 1)
    if len(raw) > MAX_SCHEDULE_BYTES:
        raise ValidationError(
            msg("calendar.file_too_large", n=f"{MAX_SCHEDULE_BYTES:,}"), field="file"
        )
    schedule = parse_schedule_bytes(raw, file.filename or "the file")
    result = load_schedule(session, principal.actor, schedule)
    return LoadOut(
        year=result.year,
        replaced=result.replaced,
        changed_days=list(result.changed_days),
        recounted=list(result.recounted),
    )
