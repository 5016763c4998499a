"""Statutory public holidays of the People's Republic of China, computed (Art. 40, D-1).

The working-day deadlines of Art. 40-41 run on the official calendar (docs/decisions.md#d-1). That
calendar has two layers:

1. the *statutory* holidays fixed by the State Council's Measures on National Annual Festivals
   and Commemoration Days Holidays (全国年节及纪念日放假办法, Art. 2: holidays for all
   citizens), which follow from the Gregorian calendar, the Chinese lunar calendar and one
   solar term, and can therefore be computed for any year; and
2. the yearly State Council General Office notice (国务院办公厅关于某年部分节假日安排的通知)
   that bridges the statutory days into longer breaks and moves weekend days to make-up working
   days. That layer is a decision, not a computation: it must be loaded (``schedule.py``).

This module is layer 1. The rules changed with each revision of the Measures; every revision is
a row of ``data/statutory_holidays.yaml`` with its source, checked on load. Since 2025 there
are 13 statutory days a year (docs/facts.md#working-days; State Council Decree No. 795).

Lunar dates and the Qingming solar term come from ``tyme4py`` (MIT, pure Python; lunar months
from astronomical new moons and solar terms after the 寿星天文历 of 许剑伟, per GB/T 33661-2017
*Calculation and promulgation of the Chinese calendar*). The tests check it against the official
schedules of 2004-2026.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator
from tyme4py.lunar import LunarDay  # type: ignore[import-untyped]
from tyme4py.solar import SolarTerm  # type: ignore[import-untyped]

from pcip.errors import ValidationError
from pcip.kernel.datafiles import validate_data
from pcip.kernel.messages import msg

__all__ = [
    "FIRST_COMPUTABLE_YEAR",
    "LAST_COMPUTABLE_YEAR",
    "QINGMING_SOLAR_TERM",
    "RULES_1999",
    "RULES_2008",
    "RULES_2014",
    "RULES_2025",
    "STATUTORY_HOLIDAY_DAYS_PER_YEAR",
    "STATUTORY_RULES",
    "Festival",
    "FixedDates",
    "HolidayRule",
    "LunarDates",
    "SolarTermDate",
    "StatutoryDay",
    "StatutoryRules",
    "check_computable",
    "load_statutory_rules",
    "lunar_to_gregorian",
    "rules_for_year",
    "solar_term_date",
    "statutory_dates",
    "statutory_days",
]


class Festival(StrEnum):
    """The festivals on which all citizens have a statutory holiday (Measures, Art. 2)."""

    NEW_YEAR = "new_year"
    SPRING_FESTIVAL = "spring_festival"
    QINGMING = "qingming"
    LABOUR_DAY = "labour_day"
    DRAGON_BOAT = "dragon_boat"
    MID_AUTUMN = "mid_autumn"
    NATIONAL_DAY = "national_day"

    @property
    def label(self) -> str:
        """English and Chinese name, for messages."""
        return _FESTIVAL_LABELS[self]

    @property
    def names(self) -> tuple[str, str]:
        """Chinese and English name (a coded message shows the reader's)."""
        en, zh = _FESTIVAL_LABELS[self][:-1].split(" (")
        return zh, en


_FESTIVAL_LABELS: dict[Festival, str] = {
    Festival.NEW_YEAR: "New Year's Day (元旦)",
    Festival.SPRING_FESTIVAL: "Spring Festival (春节)",
    Festival.QINGMING: "Qingming Festival (清明节)",
    Festival.LABOUR_DAY: "Labour Day (劳动节)",
    Festival.DRAGON_BOAT: "Dragon Boat Festival (端午节)",
    Festival.MID_AUTUMN: "Mid-Autumn Festival (中秋节)",
    Festival.NATIONAL_DAY: "National Day (国庆节)",
}


@dataclass(frozen=True)
class FixedDates:
    """Holiday days on fixed Gregorian dates, e.g. 1-3 October."""

    festival: Festival
    month: int
    days: tuple[int, ...]

    @property
    def day_count(self) -> int:
        return len(self.days)


@dataclass(frozen=True)
class LunarDates:
    """Holiday days anchored on a lunar date.

    ``offsets`` are calendar days relative to the anchor: the Spring Festival Eve (除夕, the last
    day of the twelfth lunar month, whether the 29th or the 30th) is offset -1 from lunar 1/1.
    The anchor month is never a leap month (festivals fall in the regular month).
    """

    festival: Festival
    lunar_month: int
    lunar_day: int
    offsets: tuple[int, ...] = (0,)

    @property
    def day_count(self) -> int:
        return len(self.offsets)


@dataclass(frozen=True)
class SolarTermDate:
    """A one-day holiday on the Beijing-time date of a solar term (Qingming: 清明)."""

    festival: Festival
    term: str

    @property
    def day_count(self) -> int:
        return 1


HolidayRule = FixedDates | LunarDates | SolarTermDate


@dataclass(frozen=True)
class StatutoryRules:
    """One revision of the Measures: its statutory holidays and the years it governs."""

    first_year: int
    source: str
    days_per_year: int
    rules: tuple[HolidayRule, ...]

    def __post_init__(self) -> None:
        counted = sum(rule.day_count for rule in self.rules)
        if counted != self.days_per_year:  # a self-check of the constants below
            raise ValueError(
                f"{self.source}: rules give {counted} days, the source states {self.days_per_year}"
            )


QINGMING_SOLAR_TERM = "清明"
"""Qingming Festival is the day of the Qingming solar term (Measures, Art. 2: 清明节当日)."""

HOLIDAYS_FILE = Path(__file__).parent / "data" / "statutory_holidays.yaml"
"""Every revision of the Measures, with its source: legal parameters are data (issue 15.4)."""


class _Fixed(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    month: int = Field(ge=1, le=12)
    days: tuple[int, ...] = Field(min_length=1)


class _Lunar(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=30)
    offsets: tuple[int, ...] = Field(default=(0,), min_length=1)


class _HolidayRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    festival: Festival
    fixed: _Fixed | None = None
    lunar: _Lunar | None = None
    solar_term: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> _HolidayRow:
        kinds = [k for k in (self.fixed, self.lunar, self.solar_term) if k is not None]
        if len(kinds) != 1:
            raise ValueError("festival: give exactly one of fixed, lunar or solar_term")
        return self

    def rule(self) -> HolidayRule:
        if self.fixed is not None:
            return FixedDates(self.festival, self.fixed.month, self.fixed.days)
        if self.lunar is not None:
            return LunarDates(self.festival, self.lunar.month, self.lunar.day, self.lunar.offsets)
        return SolarTermDate(self.festival, str(self.solar_term))


class _RevisionRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(pattern=r"^RULES_\d{4}$")
    first_year: int = Field(ge=1949, le=2099)
    source: str = Field(min_length=10)
    note: str
    days_per_year: int = Field(ge=1, le=30)
    holidays: tuple[_HolidayRow, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _adds_up(self) -> _RevisionRow:
        counted = sum(row.rule().day_count for row in self.holidays)
        if counted != self.days_per_year:
            raise ValueError(
                f"days_per_year: the holidays give {counted} days, the source states "
                f"{self.days_per_year}"
            )
        return self


class _HolidaysFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    format: Literal["pcip.holidays/1"]
    revisions: tuple[_RevisionRow, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _in_order(self) -> _HolidaysFile:
        years = [r.first_year for r in self.revisions]
        if years != sorted(set(years)):
            raise ValueError("revisions: list each revision once, oldest first")
        return self


def load_statutory_rules(path: Path = HOLIDAYS_FILE) -> tuple[StatutoryRules, ...]:
    """The revisions of ``path``, checked: a wrong row is named by its path and reason."""
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as exc:
        raise ValidationError(f"{path.name} is not valid YAML: {exc}", field=path.name) from None
    parsed = validate_data(_HolidaysFile, raw, field=path.name)
    return tuple(
        StatutoryRules(
            first_year=row.first_year,
            source=row.source,
            days_per_year=row.days_per_year,
            rules=tuple(h.rule() for h in row.holidays),
        )
        for row in parsed.revisions
    )


STATUTORY_RULES: tuple[StatutoryRules, ...] = load_statutory_rules()
"""Every revision, oldest first; the last one whose ``first_year`` <= year governs a year."""

RULES_1999, RULES_2008, RULES_2014, RULES_2025 = STATUTORY_RULES
"""The four revisions so far, by name (a new revision is a new row in the data file)."""

STATUTORY_HOLIDAY_DAYS_PER_YEAR = RULES_2025.days_per_year
"""13 statutory holiday days a year since 2025 (docs/facts.md#working-days; Decree No. 795)."""

FIRST_COMPUTABLE_YEAR = RULES_1999.first_year
LAST_COMPUTABLE_YEAR = 2099
"""Lunar dates and solar terms are cross-checked against independent tables up to 2099."""


def check_computable(year: int, *, field: str = "year") -> None:
    """Raise a precise error for a year whose statutory holidays cannot be computed."""
    if not FIRST_COMPUTABLE_YEAR <= year <= LAST_COMPUTABLE_YEAR:
        raise ValidationError(
            msg(
                "calendar.year_unsupported",
                year=year,
                first=FIRST_COMPUTABLE_YEAR,
                last=LAST_COMPUTABLE_YEAR,
            ),
            field=field,
        )


def rules_for_year(year: int) -> StatutoryRules:
    """The revision of the Measures that governs ``year``."""
    check_computable(year)
    return [rules for rules in STATUTORY_RULES if rules.first_year <= year][-1]


def lunar_to_gregorian(lunar_year: int, lunar_month: int, lunar_day: int) -> date:
    """Gregorian date of a day in a regular (non-leap) lunar month of ``lunar_year``."""
    solar = LunarDay.from_ymd(lunar_year, lunar_month, lunar_day).get_solar_day()
    return date(int(solar.get_year()), int(solar.get_month()), int(solar.get_day()))


def solar_term_date(year: int, term: str) -> date:
    """Beijing-time date of a solar term (e.g. ``"清明"``) in Gregorian ``year``.

    Valid for the terms from 小寒 (January) to 大雪 (December); 冬至 of ``year`` belongs to
    tyme4py's following year and is not needed here.
    """
    solar = SolarTerm.from_name(year, term).get_solar_day()
    found = date(int(solar.get_year()), int(solar.get_month()), int(solar.get_day()))
    if found.year != year:
        raise ValueError(f"solar term {term} of {year} fell on {found}")
    return found


@dataclass(frozen=True, order=True)
class StatutoryDay:
    """One statutory holiday day: its date and the festival it belongs to."""

    date: date
    festival: Festival
    fixed_date: bool
    """True for Gregorian fixed dates (1 January, 1-2 May, 1-3 October)."""


def _rule_days(year: int, rule: HolidayRule) -> list[StatutoryDay]:
    if isinstance(rule, FixedDates):
        return [StatutoryDay(date(year, rule.month, day), rule.festival, True) for day in rule.days]
    if isinstance(rule, LunarDates):
        anchor = lunar_to_gregorian(year, rule.lunar_month, rule.lunar_day)
        return [
            StatutoryDay(anchor + timedelta(days=offset), rule.festival, False)
            for offset in rule.offsets
        ]
    return [StatutoryDay(solar_term_date(year, rule.term), rule.festival, False)]


@lru_cache(maxsize=256)
def statutory_days(year: int) -> tuple[StatutoryDay, ...]:
    """The statutory holiday days of ``year``, sorted by date.

    When two festivals share a date (Mid-Autumn on 1-3 October, e.g. 2020 and 2028) the date
    appears once per festival; :func:`statutory_dates` gives the distinct dates.
    """
    rules = rules_for_year(year)
    return tuple(sorted(day for rule in rules.rules for day in _rule_days(year, rule)))


def statutory_dates(year: int) -> frozenset[date]:
    """The distinct dates of the statutory holidays of ``year``."""
    return frozenset(day.date for day in statutory_days(year))
