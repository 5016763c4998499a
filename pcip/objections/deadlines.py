"""Objection deadlines, derived from the event log and the working-day calendar (Art. 40-41).

The time limits themselves are data with their citations (``data/deadlines.yaml``, checked on
load). Nothing here is stored: a deadline is a function of the receipt date, the case's dated
events, its pauses and the calendar in force. Loading a year's official schedule therefore
recounts every open deadline on the next read and drops its provisional mark
(docs/facts.md#working-days), and a pause recorded today shifts the due dates it concerns at once.

Counting (D-1, ``pcip.calendar.workdays``): the start day is not counted; WD1 is the first
working day after it; a deadline of N WD ends at the end of WDN. Pauses (Art. 41 para 2, D-3)
stop the clock of the handling, notice and re-examination deadlines, not the 1-WD label deadline
(nor the transfer, which precedes any review that could be paused). A pause covers the days from
the one it began to the one it ended, both included; a running pause covers up to ``today``, so
the due date shown is the earliest it can still be.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, Protocol

import yaml
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.orm import Session

from pcip.calendar.service import work_calendar
from pcip.calendar.workdays import Pause, WorkCalendar
from pcip.errors import ConfigError, ValidationError
from pcip.objections.log import Timeline, events_of, timeline
from pcip.objections.models import Objection
from pcip.objections.states import Kind


@dataclass(frozen=True)
class Period:
    """A statutory time limit: its length in working days and where the Regulations set it."""

    name: str
    working_days: int
    article: str
    pausable: bool
    citation: str = ""


class _PeriodRow(BaseModel):
    """One row of ``data/deadlines.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Literal["label", "transfer", "self_handling", "pu_handling", "notice", "reexam"]
    working_days: int = Field(ge=1, le=60)
    article: str = Field(pattern=r"^Art\. \d+")
    pausable: bool
    citation: str = Field(min_length=10)


class _PeriodFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["pcip.deadlines/1"]
    periods: tuple[_PeriodRow, ...]


DEADLINES_FILE = Path(__file__).parent / "data" / "deadlines.yaml"


def load_periods(path: Path = DEADLINES_FILE) -> dict[str, Period]:
    """The time limits of ``path``, checked: a wrong row is named with its field and reason."""
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        rows = _PeriodFile.model_validate(raw).periods
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path.name}: not valid YAML ({exc})") from None
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        loc = first["loc"]
        where = ".".join(str(p) for p in loc)
        if len(loc) >= 2 and loc[0] == "periods" and isinstance(loc[1], int):
            row = raw["periods"][loc[1]]
            name = row.get("name") if isinstance(row, dict) else None
            where = f"row {loc[1] + 1}" + (f" ({name})" if name else "")
            where += "".join(f", field {p}" for p in loc[2:])
        raise ConfigError(f"{path.name}: {where}: {first['msg']}") from None
    names = [r.name for r in rows]
    missing = sorted(
        {"label", "transfer", "self_handling", "pu_handling", "notice", "reexam"} - set(names)
    )
    if missing or len(set(names)) != len(names):
        raise ConfigError(
            f"{path.name}: each time limit once; missing or repeated: {missing or names}"
        )
    return {r.name: Period(r.name, r.working_days, r.article, r.pausable, r.citation) for r in rows}


_PERIODS = load_periods()
#: Art. 40 para 2: note (label) the objection within 1 WD of receipt; never paused (D-3).
LABEL = _PERIODS["label"]
#: Art. 40 para 2(2): transfer to the providing unit within 2 WD of receipt.
TRANSFER = _PERIODS["transfer"]
#: Art. 40 para 2(1): the platform's own verification and handling within 3 WD of receipt.
SELF_HANDLING = _PERIODS["self_handling"]
#: Art. 40 para 2(2): the unit's handling within 3 WD of receiving the transfer.
PU_HANDLING = _PERIODS["pu_handling"]
#: Art. 40 para 3: written notice of the outcome within 5 WD of receipt.
NOTICE = _PERIODS["notice"]
#: Art. 40 para 4: the D&R department's re-examination within 3 WD of receiving it.
REEXAM = _PERIODS["reexam"]
PERIODS = (LABEL, TRANSFER, SELF_HANDLING, PU_HANDLING, NOTICE, REEXAM)


@dataclass(frozen=True)
class Deadline:
    name: str
    article: str
    start: date
    working_days: int
    due: date
    #: Counted on a year (or reach-back window) without an official schedule
    #: (docs/facts.md#working-days).
    provisional: bool
    #: The day the step was done (None: still open).
    met_on: date | None
    #: Missed: done after ``due``, or still open after it.
    overdue: bool
    #: Open steps: working days from today to ``due`` (0 = due today; negative = overdue).
    days_left: int | None

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "article": self.article,
            "start": self.start.isoformat(),
            "working_days": self.working_days,
            "due": self.due.isoformat(),
            "provisional": self.provisional,
            "met_on": self.met_on.isoformat() if self.met_on else None,
            "overdue": self.overdue,
            "days_left": self.days_left,
        }


def _pauses(t: Timeline, *, reexam: bool, today: date) -> list[Pause]:
    return [
        (p.first, p.last if p.last is not None else max(p.first, today))
        for p in t.pauses
        if p.reexam is reexam
    ]


def _deadline(
    cal: WorkCalendar,
    period: Period,
    start: date,
    met_on: date | None,
    today: date,
    pauses: list[Pause],
) -> Deadline:
    result = cal.deadline(start, period.working_days, pauses if period.pausable else ())
    due = result.due
    days_left: int | None = None
    if met_on is None:
        if today <= due:
            days_left = cal.workdays_between(today, due)
        else:
            days_left = -max(1, cal.workdays_between(due, today))
    overdue = (met_on > due) if met_on is not None else today > due
    return Deadline(
        name=period.name,
        article=period.article,
        start=start,
        working_days=period.working_days,
        due=due,
        provisional=result.provisional,
        met_on=met_on,
        overdue=overdue,
        days_left=days_left,
    )


class _PeriodLike(Protocol):
    """A row of an area's time-limit file (frozen: read-only fields)."""

    @property
    def name(self) -> str: ...
    @property
    def working_days(self) -> int: ...
    @property
    def article(self) -> str: ...
    @property
    def citation(self) -> str: ...


def periods_named(rows: Sequence[_PeriodLike], names: tuple[str, ...]) -> dict[str, Period]:
    """The other areas' time limits (restoration, complaints) as periods that no Art. 41
    pause stops, each of ``names`` exactly once (a data file row missing or repeated is
    refused, naming the periods)."""
    if sorted(r.name for r in rows) != sorted(names):
        raise ValidationError(f"each time limit once: {' and '.join(names)}", field="periods")
    return {r.name: Period(r.name, r.working_days, r.article, False, r.citation) for r in rows}


#: The same counting for the other areas' working-day time limits (restoration, Art. 45;
#: complaints, Art. 46): one
#: statement of how a deadline is counted, met and overdue.
count_deadline = _deadline


def derive(t: Timeline, cal: WorkCalendar, today: date) -> list[Deadline]:
    """The deadlines that apply to a case as its log stands (pure; see the module notes)."""
    handling = _pauses(t, reexam=False, today=today)
    declined = t.day(Kind.NOT_ACCEPTED)
    out = [_deadline(cal, LABEL, t.received, t.day(Kind.LABELLED) or declined, today, [])]
    unrouted = t.route is None and declined is None
    if t.route == "transferred" or unrouted:
        out.append(_deadline(cal, TRANSFER, t.received, t.day(Kind.TRANSFERRED), today, []))
    if t.route == "self" or unrouted:
        out.append(_deadline(cal, SELF_HANDLING, t.received, t.day(Kind.DECIDED), today, handling))
    transferred = t.day(Kind.TRANSFERRED)
    if transferred is not None:
        # Art. 40 para 2(2): from the unit's receipt; the platform delivers the transfer at
        # once, so until the unit records receipt the transfer day stands in for it.
        start = t.day(Kind.PU_RECEIVED) or transferred
        met = t.day(Kind.PU_RESULT_RETURNED)
        out.append(_deadline(cal, PU_HANDLING, start, met, today, handling))
    out.append(_deadline(cal, NOTICE, t.received, t.outcome_notice, today, handling))
    requested = t.day(Kind.REEXAM_REQUESTED)
    if requested is not None:
        pauses = _pauses(t, reexam=True, today=today)
        out.append(_deadline(cal, REEXAM, requested, t.day(Kind.REEXAM_DECIDED), today, pauses))
    return out


def deadlines(
    session: Session, objection: Objection, today: date, cal: WorkCalendar | None = None
) -> list[Deadline]:
    """Every deadline of ``objection`` as of ``today``, on the stored calendar."""
    events = events_of(session, [objection.id])[objection.id]
    return derive(timeline(objection, events), cal or work_calendar(session), today)
