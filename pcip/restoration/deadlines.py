"""Restoration deadlines, derived from the case's events and the working-day calendar (Art. 45
para 2; D-9).

The time limits are data with their citations (``data/deadlines.yaml``, checked on load). They
are counted exactly as objection deadlines are (``pcip.objections.deadlines.count_deadline`` on
``pcip.calendar``): nothing is stored, so loading a year's official schedule recounts them
(``recount``, one of ``pcip.flows.schedules.DEADLINE_HOLDERS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from pcip.calendar.service import work_calendar
from pcip.calendar.workdays import WorkCalendar
from pcip.kernel.datafiles import validate_data
from pcip.objections.deadlines import Deadline, Period, count_deadline, periods_named
from pcip.restoration.models import RestorationApplication, RestorationEvent

DATA_FILE = Path(__file__).parent / "data" / "deadlines.yaml"


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Literal["acceptance", "result"]
    working_days: int = Field(ge=1, le=60)
    article: str = Field(pattern=r"^Art\. \d+")
    citation: str = Field(min_length=10)


class _File(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["pcip.restoration-deadlines/1"]
    periods: tuple[_Row, ...] = Field(min_length=2, max_length=2)


def load_periods(path: Path = DATA_FILE) -> dict[str, Period]:
    raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = validate_data(_File, raw, field=path.name).periods
    return periods_named(rows, ("acceptance", "result"))


_PERIODS = load_periods()
#: Decide whether to accept within 3 WD of receipt.
ACCEPTANCE = _PERIODS["acceptance"]
#: Return the result within 10 WD of receipt.
RESULT = _PERIODS["result"]


def _day(events: list[RestorationEvent], *kinds: str) -> date | None:
    return next((e.on for e in events if e.kind in kinds), None)


def derive(
    application: RestorationApplication,
    events: list[RestorationEvent],
    cal: WorkCalendar,
    today: date,
) -> list[Deadline]:
    """The case's deadlines as its log stands (pure)."""
    start = application.received_on
    accepted = _day(events, "accepted", "not_accepted")
    out = [count_deadline(cal, ACCEPTANCE, start, accepted, today, [])]
    if _day(events, "not_accepted") is None:
        result = _day(events, "approved", "rejected")
        out.append(count_deadline(cal, RESULT, start, result, today, []))
    return out


def deadlines(
    session: Session,
    application: RestorationApplication,
    events: list[RestorationEvent],
    today: date,
    cal: WorkCalendar | None = None,
) -> list[Deadline]:
    return derive(application, events, cal or work_calendar(session), today)


@dataclass(frozen=True)
class Recounted:
    """An open case's deadline that a newly loaded official schedule moved or settled."""

    application_id: int
    deadline: str
    due_before: date
    due_after: date
    provisional_before: bool
    provisional_after: bool

    def as_json(self) -> dict[str, object]:
        return {
            "restoration_id": self.application_id,
            "deadline": self.deadline,
            "due_before": self.due_before.isoformat(),
            "due_after": self.due_after.isoformat(),
            "provisional_before": self.provisional_before,
            "provisional_after": self.provisional_after,
        }
