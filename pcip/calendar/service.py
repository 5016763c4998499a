"""The stored calendar: seeding, loading a year's official schedule, and the calendar in force.

``work_calendar(session)`` is the only way services get a calendar, so every deadline is
counted on what the operator has loaded; a year nobody has loaded is computed and every date
counted on it is marked provisional (docs/facts.md#working-days).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.calendar.models import CalendarYear
from pcip.calendar.schedule import (
    CHINESECALENDAR_YEARS,
    YearSchedule,
    parse_schedule,
    schedules_from_chinesecalendar,
)
from pcip.calendar.workdays import WorkCalendar
from pcip.kernel import audit
from pcip.kernel.actors import Actor


@lru_cache(maxsize=512)
def _parsed(
    year: int, source: str, holidays: tuple[str, ...], makeups: tuple[str, ...]
) -> YearSchedule:
    """A stored year, checked as a schedule file is. Parsing is a pure function of the row's
    content, so a row read again with the same content is not checked again: every deadline a
    service counts starts with ``work_calendar``, and re-checking some twenty years' dates on
    every call was a third of an objection request's time (issue 15)."""
    return parse_schedule(
        {
            "year": year,
            "source": source,
            "holidays": list(holidays),
            "makeup_workdays": list(makeups),
        }
    )


def work_calendar(session: Session) -> WorkCalendar:
    """The calendar built from the stored years (computed, provisional for the others)."""
    rows = session.execute(
        select(
            CalendarYear.year,
            CalendarYear.source,
            CalendarYear.holidays,
            CalendarYear.makeup_workdays,
        )
    ).all()
    return WorkCalendar({r.year: _parsed(r[0], r[1], tuple(r[2]), tuple(r[3])) for r in rows})


def seed(session: Session, actor: Actor) -> int:
    """Store chinesecalendar's official years that are not stored yet; returns how many."""
    have = set(session.scalars(select(CalendarYear.year)))
    missing = [y for y in CHINESECALENDAR_YEARS if y not in have]
    for schedule in schedules_from_chinesecalendar(missing).values():
        _store(session, schedule, str(actor))
    if missing:
        audit.record(
            session,
            actor,
            "calendar.seed",
            object_type="calendar",
            object_id=f"{min(missing)}-{max(missing)}",
            article="Art. 40",
            details={"years": missing, "source": "chinesecalendar"},
        )
    return len(missing)


def _store(session: Session, schedule: YearSchedule, by: str) -> CalendarYear:
    doc = schedule.as_json()
    row = session.get(CalendarYear, schedule.year)
    if row is None:
        row = CalendarYear(year=schedule.year)
        session.add(row)
    row.holidays, row.makeup_workdays = doc["holidays"], doc["makeup_workdays"]
    row.source, row.official = schedule.source, True
    row.loaded_at, row.loaded_by = clock.now(), by
    session.flush()
    return row


class Recounted(Protocol):
    """One open deadline that a newly loaded schedule moved or settled (its JSON form goes into
    the load's audit row and answer)."""

    def as_json(self) -> dict[str, object]: ...


class DeadlineHolder(Protocol):
    """An area that holds deadlines counted in working days (Art. 40; later Art. 49, 52).

    Given the calendar before and after a load and today, it names its open deadlines whose due
    date or provisional mark differ. Deadlines are derived, so nothing is rewritten: the answer
    is what the audit row reports. The calendar does not know the areas above it; the flow in
    ``pcip.flows.schedules`` passes them (docs/architecture.md, "flows").
    """

    def __call__(
        self, session: Session, before: WorkCalendar, after: WorkCalendar, today: date, /
    ) -> Iterable[Recounted]: ...


@dataclass(frozen=True)
class LoadResult:
    year: int
    replaced: bool
    changed_days: tuple[date, ...]  # days whose working status changed
    #: Open statutory deadlines whose due date or provisional mark the load changed.
    recounted: tuple[dict[str, object], ...] = ()

    def as_json(self) -> dict[str, object]:
        return {
            "year": self.year,
            "replaced": self.replaced,
            "changed_days": [d.isoformat() for d in self.changed_days],
            "recounted": list(self.recounted),
        }


def load(
    session: Session,
    actor: Actor,
    schedule: YearSchedule,
    *,
    holders: Sequence[DeadlineHolder],
) -> LoadResult:
    """Load a year's official schedule (the operator's action); audited with what changed.

    Deadlines are derived, never stored, so every open deadline that crosses this year is
    recounted on the new schedule the next time it is read, and loses its provisional mark.
    ``holders`` are the areas holding working-day deadlines: each names the open ones the load
    moved, for the audit row. Callers go through ``pcip.flows.schedules.load_schedule``, which
    passes every such area; ``holders=()`` loads the calendar alone.
    """
    before = work_calendar(session)
    replaced = session.get(CalendarYear, schedule.year) is not None
    _store(session, schedule, str(actor))
    after = before.with_schedules(schedule)
    first, last = date(schedule.year - 1, 12, 1), date(schedule.year, 12, 31)
    changed = tuple(
        d
        for d in (first.fromordinal(o) for o in range(first.toordinal(), last.toordinal() + 1))
        if before.is_workday(d) != after.is_workday(d)
    )
    # Deadlines are derived, so nothing is rewritten; the audit row says which open ones the
    # new schedule moved or settled.
    today = clock.today()
    recounted = tuple(
        r.as_json() for holder in holders for r in holder(session, before, after, today)
    )
    audit.record(
        session,
        actor,
        "calendar.load",
        object_type="calendar",
        object_id=str(schedule.year),
        article="Art. 40",
        details={
            "source": schedule.source,
            "replaced": replaced,
            "holidays": len(schedule.holidays),
            "makeup_workdays": len(schedule.makeup_workdays),
            "changed_days": [d.isoformat() for d in changed],
            "recounted": list(recounted),
        },
    )
    return LoadResult(schedule.year, replaced, changed, recounted)
