"""Statutory working-day calendar: deadlines and pauses of Art. 40-41 (docs/decisions.md#d-1, #d-3).

* ``holidays``: the statutory holidays, computed from the law of each year (13 days since 2025).
* ``schedule``: a year's official holiday arrangement (seeded from ``chinesecalendar`` for
  2004-2026, loaded from a file for later years) or a computed, provisional stand-in.
* ``workdays``: ``WorkCalendar`` and ``DeadlineResult``: D-1 counting and D-3 pauses.

Pure functions of their inputs: no database, no clock ("today" is always a parameter).
"""

from pcip.calendar.holidays import (
    STATUTORY_HOLIDAY_DAYS_PER_YEAR,
    Festival,
    StatutoryDay,
    statutory_dates,
    statutory_days,
)
from pcip.calendar.schedule import (
    CHINESECALENDAR_YEARS,
    YearSchedule,
    computed_schedule,
    missing_statutory_days,
    parse_schedule,
    parse_schedule_file,
    schedules_from_chinesecalendar,
)
from pcip.calendar.workdays import DeadlineResult, Pause, WorkCalendar, default_calendar

__all__ = [
    "CHINESECALENDAR_YEARS",
    "STATUTORY_HOLIDAY_DAYS_PER_YEAR",
    "DeadlineResult",
    "Festival",
    "Pause",
    "StatutoryDay",
    "WorkCalendar",
    "YearSchedule",
    "computed_schedule",
    "default_calendar",
    "missing_statutory_days",
    "parse_schedule",
    "parse_schedule_file",
    "schedules_from_chinesecalendar",
    "statutory_dates",
    "statutory_days",
]
