"""Working-day arithmetic for the deadlines of Art. 40-41 (docs/decisions.md#d-1, #d-3).

Counting rule (D-1; docs/facts.md#working-days, Chinese administrative practice):

* the day of receipt is not counted; working day 1 (WD1) is the first working day strictly
  after the receipt date, so a receipt on a non-working day simply counts from the next
  working day;
* a deadline of N working days ends at the end of WDN, and the due date is WDN itself;
* N = 0 gives ``due == start`` (nothing to count; the date is returned unchanged even if it is
  not a working day). N < 0 is an error.

Art. 40 periods built on it: label within 1 WD of receipt, transfer to the providing unit
within 2 WD, handling by the platform within 3 WD, handling by the providing unit within 3 WD
of receiving the transfer, written notice within 5 WD, re-examination within 3 WD.

Clock pauses (Art. 41, D-3): time spent on inspection, testing, evaluation/appraisal or expert
review is excluded. A pause is an inclusive interval ``(first_day, last_day)`` of calendar dates
during which the clock stops: a working day inside any pause is not counted. A deadline thus
moves later by exactly the number of working days paused on or before it (a 2-WD expert review
moves the written notice from WD5 to WD7). The paused working days of one pause are
``workdays_between(first_day - 1 day, last_day)``. Per D-3 the pause applies to the handling and
notice deadlines of the case, not to the 1-WD label deadline: the caller decides which
deadlines get the pauses. For a pause still running, pass the current day (a parameter, never
read from a clock here) as its last day: the result is the earliest the deadline can be.

Provisional (docs/facts.md#working-days): a result is provisional when any day from ``start + 1`` to
``due`` is not yet settled by an official schedule: its year has only a computed schedule, or
it lies in the December reach-back window of a next year that has none (see ``schedule.py``).
A provisional deadline must be recomputed once the official schedule is loaded; build a new
calendar with :meth:`WorkCalendar.with_schedules` and ask again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from pcip.calendar.schedule import (
    CHINESECALENDAR_YEARS,
    YearSchedule,
    computed_schedule,
    reach_back_start,
    schedules_from_chinesecalendar,
)
from pcip.errors import ValidationError
from pcip.kernel.messages import msg

__all__ = ["DeadlineResult", "Pause", "WorkCalendar", "default_calendar"]

_DAY = timedelta(days=1)

Pause = tuple[date, date]
"""An inclusive interval (first day, last day) during which the Art. 41 clock stops (D-3)."""


@dataclass(frozen=True)
class DeadlineResult:
    """A deadline of ``working_days`` WD counted from ``start`` (D-1), due at the end of ``due``."""

    start: date
    working_days: int
    due: date
    provisional: bool

    def as_json(self) -> dict[str, Any]:
        """JSON-ready form printed by ``pcip calendar deadline DATE N``."""
        return {
            "start": self.start.isoformat(),
            "working_days": self.working_days,
            "due": self.due.isoformat(),
            "provisional": self.provisional,
        }


def _merge(pauses: Sequence[Pause]) -> list[Pause]:
    """Validate and merge pause intervals into sorted, disjoint ones."""
    checked: list[Pause] = []
    for index, (first, last) in enumerate(pauses):
        if last < first:
            raise ValidationError(
                msg("calendar.pause_reversed", last=last.isoformat(), first=first.isoformat()),
                field=f"pauses[{index}]",
            )
        checked.append((first, last))
    merged: list[Pause] = []
    for first, last in sorted(checked):
        if merged and first <= merged[-1][1] + _DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


class WorkCalendar:
    """The statutory working-day calendar (Art. 40, D-1): official schedules plus a fallback.

    Built from a mapping year -> :class:`YearSchedule`. A year without one gets a computed,
    provisional schedule (weekends plus statutory holidays; ``computed_schedule``). Instances
    are immutable; :meth:`with_schedules` returns a new calendar.
    """

    __slots__ = ("_schedules",)

    def __init__(self, schedules: Mapping[int, YearSchedule] | None = None) -> None:
        given = dict(schedules or {})
        for year, schedule in given.items():
            if schedule.year != year:
                raise ValidationError(
                    msg("calendar.schedule_wrong_year", year=year, actual=schedule.year),
                    field="year",
                )
        self._schedules: dict[int, YearSchedule] = given

    def with_schedules(self, *schedules: YearSchedule) -> WorkCalendar:
        """A new calendar where ``schedules`` replace those of their years."""
        return WorkCalendar({**self._schedules, **{s.year: s for s in schedules}})

    @property
    def schedules(self) -> Mapping[int, YearSchedule]:
        """The schedules the calendar was built with (official or not), by year."""
        return dict(self._schedules)

    def schedule_for(self, year: int) -> YearSchedule:
        """The schedule in force for ``year``: the one given, else a computed one."""
        schedule = self._schedules.get(year)
        return schedule if schedule is not None else computed_schedule(year)  # cached

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day (D-1)."""
        following = self._schedules.get(day.year + 1)
        if following is not None and day >= reach_back_start(day.year + 1):
            # The later notice prevails for the December days it speaks of.
            if day in following.makeup_workdays:
                return True
            if day in following.holidays:
                return False
        schedule = self.schedule_for(day.year)
        if day in schedule.makeup_workdays:
            return True
        if day in schedule.holidays:
            return False
        return day.weekday() < 5

    def is_provisional(self, day: date) -> bool:
        """Whether the status of ``day`` is not yet settled by an official schedule."""
        schedule = self._schedules.get(day.year)
        if schedule is None or not schedule.official:
            self.schedule_for(day.year)  # a year that cannot be computed raises here
            return True
        if day >= reach_back_start(day.year + 1):
            following = self._schedules.get(day.year + 1)
            return following is None or not following.official
        return False

    def deadline(self, start: date, n: int, pauses: Sequence[Pause] = ()) -> DeadlineResult:
        """Due date of ``n`` working days from ``start`` (D-1), with Art. 41 pauses (D-3).

        Working days inside any pause interval (inclusive) are not counted.
        """
        if n < 0:
            raise ValidationError(msg("calendar.negative_days", n=n), field="working_days")
        merged = _merge(pauses)
        day, counted, provisional = start, 0, False
        index = 0  # first merged pause that does not end before ``day``
        while counted < n:
            day += _DAY
            provisional = provisional or self.is_provisional(day)
            while index < len(merged) and merged[index][1] < day:
                index += 1
            paused = index < len(merged) and merged[index][0] <= day
            if not paused and self.is_workday(day):
                counted += 1
        return DeadlineResult(start=start, working_days=n, due=day, provisional=provisional)

    def add_workdays(self, start: date, n: int) -> DeadlineResult:
        """Due date of ``n`` working days from ``start`` (D-1): WDn after the receipt date."""
        return self.deadline(start, n)

    def workdays_between(self, a: date, b: date) -> int:
        """Number of working days in ``(a, b]``; 0 when ``b <= a`` (used for pause lengths)."""
        count, day = 0, a
        while day < b:
            day += _DAY
            count += self.is_workday(day)
        return count

    def workdays(self, first: date, last: date) -> Iterable[date]:
        """The working days in ``[first, last]``, in order."""
        day = first
        while day <= last:
            if self.is_workday(day):
                yield day
            day += _DAY


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """A calendar seeded with every year ``chinesecalendar`` covers (2004-2026), official."""
    return WorkCalendar(schedules_from_chinesecalendar(CHINESECALENDAR_YEARS))
