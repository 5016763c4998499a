"""Computed statutory holidays (Art. 40 working days on a computed year;
docs/facts.md#working-days).

The computation (lunar calendar, Qingming solar term, the rules of each revision of the
Measures) is validated against the official schedules of 2004-2026 in ``chinesecalendar``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import chinese_calendar  # type: ignore[import-untyped]
import pytest

from pcip.calendar import (
    CHINESECALENDAR_YEARS,
    STATUTORY_HOLIDAY_DAYS_PER_YEAR,
    Festival,
    default_calendar,
    missing_statutory_days,
    statutory_dates,
    statutory_days,
)
from pcip.calendar.holidays import (
    RULES_2025,
    STATUTORY_RULES,
    lunar_to_gregorian,
    rules_for_year,
    solar_term_date,
)
from pcip.errors import ValidationError

D = date.fromisoformat


def _festival_dates(year: int, festival: Festival) -> list[date]:
    return [day.date for day in statutory_days(year) if day.festival == festival]


def test_art40_thirteen_statutory_days_since_2025() -> None:
    assert STATUTORY_HOLIDAY_DAYS_PER_YEAR == 13
    assert rules_for_year(2025) is RULES_2025
    assert rules_for_year(2099) is RULES_2025
    assert [rules_for_year(y).days_per_year for y in (2007, 2008, 2013, 2014, 2024)] == [
        10,
        11,
        11,
        11,
        11,
    ]
    assert [r.first_year for r in STATUTORY_RULES] == sorted(r.first_year for r in STATUTORY_RULES)


def test_art40_2025_statutory_days() -> None:
    assert sorted(statutory_dates(2025)) == [
        D(d)
        for d in (
            "2025-01-01",
            "2025-01-28",  # Spring Festival Eve (除夕)
            "2025-01-29",  # lunar 1/1
            "2025-01-30",
            "2025-01-31",
            "2025-04-04",  # Qingming solar term
            "2025-05-01",
            "2025-05-02",
            "2025-05-31",  # lunar 5/5
            "2025-10-01",
            "2025-10-02",
            "2025-10-03",
            "2025-10-06",  # lunar 8/15
        )
    ]


def test_art40_2026_spring_festival_is_eve_plus_lunar_1_1_to_1_3() -> None:
    # Official 2026 holiday Feb 15-23 bridges around the 4 statutory days Feb 16-19.
    assert _festival_dates(2026, Festival.SPRING_FESTIVAL) == [
        D("2026-02-16"),
        D("2026-02-17"),
        D("2026-02-18"),
        D("2026-02-19"),
    ]
    assert lunar_to_gregorian(2026, 1, 1) == D("2026-02-17")
    assert _festival_dates(2026, Festival.QINGMING) == [D("2026-04-05")]
    assert _festival_dates(2026, Festival.DRAGON_BOAT) == [D("2026-06-19")]
    assert _festival_dates(2026, Festival.MID_AUTUMN) == [D("2026-09-25")]


@pytest.mark.parametrize("year", [2025, 2026])
def test_art40_computed_statutory_days_are_official_days_off(year: int) -> None:
    days = statutory_dates(year)
    assert len(days) == 13
    assert all(not chinese_calendar.is_workday(day) for day in days)
    assert all(day in chinese_calendar.holidays for day in days)


def test_art40_every_revision_matches_the_official_schedules_2004_2026() -> None:
    for year in CHINESECALENDAR_YEARS:
        for day in statutory_days(year):
            assert not chinese_calendar.is_workday(day.date), (year, day)
        assert not missing_statutory_days(default_calendar().schedule_for(year)), year


def test_art40_qingming_is_the_solar_term_date() -> None:
    official = {2019: 5, 2020: 4, 2021: 4, 2022: 5, 2023: 5, 2024: 4, 2025: 4, 2026: 5}
    for year, day in official.items():
        assert solar_term_date(year, "清明") == date(year, 4, day)
        # chinesecalendar's own solar-term formula agrees.
        terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30))
        assert (date(year, 4, day), "清明") in terms


def test_art40_qingming_agrees_with_chinesecalendar_formula_to_2099() -> None:
    for year in range(2027, 2100):
        terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30))
        assert (solar_term_date(year, "清明"), "清明") in terms, year


@pytest.mark.parametrize("year", [2027, 2029, 2030, 2035, 2040, 2050, 2075, 2099])
def test_art40_future_years_have_13_distinct_statutory_dates(year: int) -> None:
    days = statutory_days(year)
    assert len(days) == 13
    assert len(statutory_dates(year)) == 13
    assert all(day.year == year for day in statutory_dates(year))
    assert {d.festival for d in days} == set(Festival)


@pytest.mark.parametrize(("year", "shared"), [(2028, "2028-10-03"), (2031, "2031-10-01")])
def test_art40_mid_autumn_on_national_day_gives_12_distinct_dates(year: int, shared: str) -> None:
    assert _festival_dates(year, Festival.MID_AUTUMN) == [D(shared)]
    assert len(statutory_days(year)) == 13
    assert len(statutory_dates(year)) == 12


def test_art40_2027_statutory_days() -> None:
    assert _festival_dates(2027, Festival.SPRING_FESTIVAL) == [
        D("2027-02-05"),
        D("2027-02-06"),
        D("2027-02-07"),
        D("2027-02-08"),
    ]
    assert _festival_dates(2027, Festival.QINGMING) == [D("2027-04-05")]
    assert _festival_dates(2027, Festival.DRAGON_BOAT) == [D("2027-06-09")]
    assert _festival_dates(2027, Festival.MID_AUTUMN) == [D("2027-09-15")]


def test_art40_fixed_date_flags() -> None:
    fixed = {day.date for day in statutory_days(2027) if day.fixed_date}
    assert fixed == {D(d) for d in ("2027-01-01", "2027-05-01", "2027-05-02")} | {
        date(2027, 10, n) for n in (1, 2, 3)
    }


def test_art40_years_that_cannot_be_computed_are_rejected() -> None:
    with pytest.raises(ValidationError, match="2000-2099"):
        statutory_days(1999)
    with pytest.raises(ValidationError, match="2000-2099"):
        statutory_days(2100)


def test_d1_the_holiday_rules_are_data_and_a_wrong_revision_is_named(tmp_path: Path) -> None:
    """Legal parameters are data with their sources (issue 15.4): the revisions of the
    Measures load from data/statutory_holidays.yaml; a revision whose rules do not add up to
    the days its source states, or a rule of two kinds, is refused with its path."""
    from pcip.calendar.holidays import HOLIDAYS_FILE, STATUTORY_RULES, load_statutory_rules
    from pcip.errors import ValidationError

    assert [r.first_year for r in STATUTORY_RULES] == [2000, 2008, 2014, 2025]
    assert all("Decree No." in r.source for r in STATUTORY_RULES)
    text = HOLIDAYS_FILE.read_text(encoding="utf-8")
    wrong = tmp_path / "holidays.yaml"
    wrong.write_text(text.replace("days_per_year: 13", "days_per_year: 12"), encoding="utf-8")
    with pytest.raises(ValidationError) as refused:
        load_statutory_rules(wrong)
    assert refused.value.field == "revisions.3.days_per_year"
    assert "give 13 days" in str(refused.value)
    wrong.write_text(
        text.replace("{festival: qingming, solar_term: 清明}", "{festival: qingming}", 1),
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as refused:
        load_statutory_rules(wrong)
    assert refused.value.field == "revisions.1.holidays.2.festival"
