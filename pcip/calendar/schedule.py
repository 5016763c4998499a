"""Year schedules: the official holiday arrangement of one year, or a computed stand-in.

Art. 40 deadlines count working days on the official calendar (docs/decisions.md#d-1). Each year
the State Council General Office publishes the year's arrangement: the holiday periods (the
statutory days of ``holidays.py`` bridged with neighbouring days) and the weekend days that
become make-up working days (调休上班). A :class:`YearSchedule` holds one such arrangement.

Where they come from:

* ``schedules_from_chinesecalendar`` seeds 2004-2026 from the ``chinesecalendar`` package,
  marked official;
* ``parse_schedule_file`` reads the file the operator loads with ``pcip calendar load FILE``
  once a notice is published (usually in November for the next year);
* ``computed_schedule`` stands in for a year nobody has loaded: weekends plus the statutory
  days, no bridging and no make-up days, marked ``official=False`` so that every deadline that
  touches it is reported as provisional (docs/facts.md#working-days).

Reach-back into December
------------------------
A year's New Year arrangement may reach back into late December of the previous year: the
notice on the 2019 holidays made Sat 2018-12-29 a working day and Mon 2018-12-31 a day off;
the 2007 notice made 2006-12-30/31 working days. So a schedule for year ``Y`` may list dates
from the last :data:`NEW_YEAR_REACH_BACK_DAYS` days of December ``Y-1`` (25-31 December). When
two schedules both speak of such a date, the later year's (the later notice) prevails, and
those December days stay provisional until the next year's official schedule is loaded.

Schedule file format (``pcip calendar load FILE``)
--------------------------------------------------
A UTF-8 JSON object with exactly these keys::

    {
      "year": 2027,
      "source": "国务院办公厅关于2027年部分节假日安排的通知 (国办发明电〔2026〕N号)",
      "holidays": ["2027-01-01", "2027-01-02", "2027-01-03", "2027-02-05", "..."],
      "makeup_workdays": ["2027-02-14", "..."]
    }

* ``year``: the year the notice is for (an integer).
* ``source``: the notice that publishes it (non-empty text); stored and shown with deadlines.
* ``holidays``: every day off of every holiday period, as ``YYYY-MM-DD``, including the
  weekend days inside a period (copy the periods of the notice, e.g. "2月15日至23日").
* ``makeup_workdays``: the weekend days that are working days (may be empty).

The loader rejects, naming the field and index: unreadable or non-UTF-8 files, invalid JSON,
duplicate or unknown keys, a date not written as ``YYYY-MM-DD``, a date outside the year (other
than the December reach-back window), a date listed twice, a date both a holiday and a make-up
day, a make-up day that is not a Saturday or Sunday, and a holiday list that lacks any
statutory holiday day of the year (see :func:`missing_statutory_days`). The last check rejects
rather than warns, for fixed-date and lunar/solar-term days alike: every official notice
contains every statutory day (the tests check 2004-2026), and a missing one is far more likely
a typing error in the file than an error of the lunar computation, which is itself checked
against the official schedules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import chinese_calendar  # type: ignore[import-untyped]

from pcip.calendar.holidays import (
    StatutoryDay,
    check_computable,
    rules_for_year,
    statutory_dates,
    statutory_days,
)
from pcip.errors import ValidationError
from pcip.kernel.messages import Both, msg

__all__ = [
    "CHINESECALENDAR_SOURCE",
    "CHINESECALENDAR_YEARS",
    "NEW_YEAR_REACH_BACK_DAYS",
    "SCHEDULE_FILE_KEYS",
    "YearSchedule",
    "computed_schedule",
    "missing_statutory_days",
    "parse_schedule",
    "parse_schedule_file",
    "reach_back_start",
    "schedules_from_chinesecalendar",
]

NEW_YEAR_REACH_BACK_DAYS = 7
"""A year's arrangement may cover the last 7 days of the previous December (see above).

Observed: 2006-12-30/31, 2007-12-29..31, 2011-12-31, 2018-12-29..31 (notices for the next
year). The earliest day a one-weekend swap around 1 January can touch is 27 December; 7 days
leaves a margin."""

SCHEDULE_FILE_KEYS = ("year", "source", "holidays", "makeup_workdays")
"""The keys of a schedule file, all required, no others."""

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def reach_back_start(year: int) -> date:
    """First December day of ``year - 1`` that the schedule of ``year`` may speak for."""
    return date(year, 1, 1) - timedelta(days=NEW_YEAR_REACH_BACK_DAYS)


def _check_date(year: int, day: date, *, makeup: bool, field: str) -> None:
    if not reach_back_start(year) <= day <= date(year, 12, 31):
        raise ValidationError(
            msg(
                "calendar.outside_year",
                day=day.isoformat(),
                year=year,
                start=reach_back_start(year).isoformat(),
                prev=year - 1,
            ),
            field=field,
        )
    if makeup and day.weekday() < 5:
        raise ValidationError(
            msg(
                "calendar.makeup_on_weekday",
                day=day.isoformat(),
                weekday=Both("星期" + "一二三四五六日"[day.weekday()], day.strftime("%A")),
            ),
            field=field,
        )


@dataclass(frozen=True)
class YearSchedule:
    """The holiday arrangement of one year (Art. 40 working days, D-1).

    ``holidays`` is the full official set of days off (weekend days inside a holiday period
    included); ``makeup_workdays`` the weekend days that are working days. Any other day is a
    working day from Monday to Friday. ``official`` is False for a computed, provisional
    schedule. Construction checks the invariants and raises ``ValidationError``.
    """

    year: int
    holidays: frozenset[date]
    makeup_workdays: frozenset[date]
    source: str
    official: bool = True

    def __post_init__(self) -> None:
        check_computable(self.year)
        if not self.source.strip():
            raise ValidationError(msg("calendar.source_named"), field="source")
        for day in sorted(self.holidays):
            _check_date(self.year, day, makeup=False, field="holidays")
        for day in sorted(self.makeup_workdays):
            _check_date(self.year, day, makeup=True, field="makeup_workdays")
        both = sorted(self.holidays & self.makeup_workdays)
        if both:
            raise ValidationError(
                msg("calendar.holiday_and_makeup", day=both[0].isoformat()),
                field="makeup_workdays",
            )

    def as_json(self) -> dict[str, Any]:
        """The schedule in the file format (``parse_schedule`` reads it back)."""
        return {
            "year": self.year,
            "source": self.source,
            "holidays": [day.isoformat() for day in sorted(self.holidays)],
            "makeup_workdays": [day.isoformat() for day in sorted(self.makeup_workdays)],
        }


@lru_cache(maxsize=256)
def computed_schedule(year: int) -> YearSchedule:
    """A provisional schedule for a year with no official one: statutory days only.

    No bridging and no make-up days can be computed: they are the State Council's choice each
    year. Deadlines that touch this schedule are provisional (docs/facts.md#working-days).
    """
    rules = rules_for_year(year)
    return YearSchedule(
        year=year,
        holidays=statutory_dates(year),
        makeup_workdays=frozenset(),
        source=f"computed: statutory holidays of {rules.source}",
        official=False,
    )


def missing_statutory_days(schedule: YearSchedule) -> tuple[StatutoryDay, ...]:
    """Statutory holiday days of the schedule's year that it does not list as holidays."""
    return tuple(day for day in statutory_days(schedule.year) if day.date not in schedule.holidays)


# --- chinesecalendar seed -------------------------------------------------------------------

_CC_HOLIDAYS: frozenset[date] = frozenset(chinese_calendar.holidays)
_CC_WORKDAYS: frozenset[date] = frozenset(chinese_calendar.workdays)

CHINESECALENDAR_SOURCE = f"chinesecalendar {chinese_calendar.__version__}"
CHINESECALENDAR_YEARS = range(min(_CC_HOLIDAYS).year, max(_CC_HOLIDAYS).year + 1)
"""The years the installed ``chinesecalendar`` covers (2004-2026 in 1.11)."""


def schedules_from_chinesecalendar(years: Iterable[int]) -> dict[int, YearSchedule]:
    """Official schedules for ``years`` from the ``chinesecalendar`` data.

    Dates are assigned to the schedule of their own calendar year. The package leaves out a
    few weekend days inside holiday periods (e.g. Sat 2012-06-23, the Dragon Boat Festival
    itself); a statutory day that falls on a weekend and is not a make-up day is added back, so
    the set is the full official one (working-day status is unchanged). Raises
    ``ValidationError`` for a year the package does not cover (it would raise
    NotImplementedError itself).
    """
    out: dict[int, YearSchedule] = {}
    for year in years:
        if year not in CHINESECALENDAR_YEARS:
            raise ValidationError(
                msg(
                    "calendar.library_years",
                    source=CHINESECALENDAR_SOURCE,
                    first=CHINESECALENDAR_YEARS.start,
                    last=CHINESECALENDAR_YEARS.stop - 1,
                    year=year,
                ),
                field="year",
            )
        makeups = frozenset(d for d in _CC_WORKDAYS if d.year == year)
        weekend_statutory = {
            d for d in statutory_dates(year) if d.weekday() >= 5 and d not in makeups
        }
        out[year] = YearSchedule(
            year=year,
            holidays=frozenset(d for d in _CC_HOLIDAYS if d.year == year) | weekend_statutory,
            makeup_workdays=makeups,
            source=CHINESECALENDAR_SOURCE,
            official=True,
        )
    return out


# --- schedule files ---------------------------------------------------------------------------


def _parse_dates(value: object, key: str) -> list[date]:
    if not isinstance(value, list):
        raise ValidationError(msg("calendar.not_a_list", type=type(value).__name__), field=key)
    out: list[date] = []
    first_at: dict[date, int] = {}
    for index, item in enumerate(value):
        field = f"{key}[{index}]"
        if not isinstance(item, str) or not _ISO_DATE.fullmatch(item):
            raise ValidationError(msg("calendar.not_iso_date", item=repr(item)), field=field)
        try:
            day = date.fromisoformat(item)
        except ValueError:
            raise ValidationError(
                msg("calendar.not_a_calendar_date", item=item), field=field
            ) from None
        if day in first_at:
            raise ValidationError(
                msg("calendar.listed_twice", item=item, at=f"{key}[{first_at[day]}]"), field=field
            )
        first_at[day] = index
        out.append(day)
    return out


def _check_dates(year: int, days: Sequence[date], key: str, *, makeup: bool) -> None:
    for index, day in enumerate(days):
        _check_date(year, day, makeup=makeup, field=f"{key}[{index}]")


def parse_schedule(data: object) -> YearSchedule:
    """Validate a decoded schedule file (see the module docstring) into an official schedule."""
    if not isinstance(data, dict):
        raise ValidationError(msg("calendar.not_an_object", keys=list(SCHEDULE_FILE_KEYS)))
    unknown = sorted(set(data) - set(SCHEDULE_FILE_KEYS))
    if unknown:
        raise ValidationError(
            msg("calendar.unknown_key", key=repr(unknown[0]), keys=list(SCHEDULE_FILE_KEYS)),
            field=unknown[0],
        )
    for key in SCHEDULE_FILE_KEYS:
        if key not in data:
            raise ValidationError(msg("calendar.key_required"), field=key)
    year = data["year"]
    if not isinstance(year, int) or isinstance(year, bool):
        raise ValidationError(msg("calendar.year_not_integer", value=repr(year)), field="year")
    check_computable(year)
    source = data["source"]
    if not isinstance(source, str) or not source.strip():
        raise ValidationError(msg("calendar.source_needed"), field="source")
    holidays = _parse_dates(data["holidays"], "holidays")
    makeups = _parse_dates(data["makeup_workdays"], "makeup_workdays")
    _check_dates(year, holidays, "holidays", makeup=False)
    _check_dates(year, makeups, "makeup_workdays", makeup=True)
    holiday_set = frozenset(holidays)
    for index, day in enumerate(makeups):
        if day in holiday_set:
            raise ValidationError(
                msg(
                    "calendar.also_holiday",
                    day=day.isoformat(),
                    at=f"holidays[{holidays.index(day)}]",
                ),
                field=f"makeup_workdays[{index}]",
            )
    schedule = YearSchedule(
        year=year,
        holidays=holiday_set,
        makeup_workdays=frozenset(makeups),
        source=source.strip(),
        official=True,
    )
    missing = missing_statutory_days(schedule)
    if missing:
        listed = [
            Both(f"{day.date.isoformat()} {zh}", f"{day.date.isoformat()} {en}")
            for day in missing
            for zh, en in [day.festival.names]
        ]
        raise ValidationError(
            msg(
                "calendar.missing_holidays",
                year=year,
                source=rules_for_year(year).source,
                listed=listed,
            ),
            field="holidays",
        )
    return schedule


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValidationError(msg("calendar.key_twice", key=repr(key)), field=key)
        out[key] = value
    return out


def parse_schedule_file(path: str | Path) -> YearSchedule:
    """Read and validate a schedule file for ``pcip calendar load`` (format above)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError(
            msg("calendar.cannot_read", path=path, why=exc.strerror or exc), field="file"
        ) from None
    return parse_schedule_bytes(raw, str(path))


def parse_schedule_bytes(raw: bytes, name: str) -> YearSchedule:
    """Decode and validate an uploaded or read schedule file (``name`` is used in errors)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            msg("calendar.not_utf8", name=name, byte=exc.start), field="file"
        ) from None
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            msg("calendar.not_json", name=name, why=exc.msg, line=exc.lineno, column=exc.colno),
            field="file",
        ) from None
    return parse_schedule(data)
