"""D-1 working-day counting for the Art. 40 deadlines, on official and provisional years."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar  # type: ignore[import-untyped]
import pytest

from pcip.calendar import (
    CHINESECALENDAR_YEARS,
    WorkCalendar,
    YearSchedule,
    computed_schedule,
    default_calendar,
    parse_schedule,
    schedules_from_chinesecalendar,
)
from pcip.errors import ValidationError
from tests.calendar.builders_2027 import schedule_2027_json

D = date.fromisoformat
# Fri; Sun 09-29 a make-up day, 1-7 Oct holiday (docs/facts.md#working-days)
RECEIVED = D("2024-09-27")


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return default_calendar()


# --- docs/facts.md#working-days worked example / docs/regulation.md#art-40 rows -------------------


def test_art40b_label_due_within_1wd_is_the_sunday_make_up_day(cal: WorkCalendar) -> None:
    result = cal.add_workdays(RECEIVED, 1)
    assert result.due == D("2024-09-29")
    assert result.due.weekday() == 6
    assert not result.provisional


def test_art40c_transfer_due_within_2wd(cal: WorkCalendar) -> None:
    assert cal.add_workdays(RECEIVED, 2).due == D("2024-09-30")


def test_art40c_self_handling_due_within_3wd_skips_national_day(cal: WorkCalendar) -> None:
    assert cal.add_workdays(RECEIVED, 3).due == D("2024-10-08")


def test_art40c_providing_unit_due_3wd_after_transfer(cal: WorkCalendar) -> None:
    assert cal.add_workdays(D("2024-09-30"), 3).due == D("2024-10-10")


def test_art40d_written_notice_due_within_5wd(cal: WorkCalendar) -> None:
    assert cal.add_workdays(RECEIVED, 5).due == D("2024-10-10")


def test_art40e_reexamination_due_within_3wd(cal: WorkCalendar) -> None:
    assert cal.add_workdays(D("2024-10-14"), 3).due == D("2024-10-17")


def test_d1_d2_transfer_on_wd2_plus_3wd_lands_on_the_notice_deadline(cal: WorkCalendar) -> None:
    transfer = cal.add_workdays(RECEIVED, 2).due
    assert cal.add_workdays(transfer, 3).due == cal.add_workdays(RECEIVED, 5).due


def test_d1_receipt_day_is_not_counted_even_when_it_is_a_working_day(cal: WorkCalendar) -> None:
    assert cal.is_workday(D("2024-10-14"))
    assert cal.add_workdays(D("2024-10-14"), 1).due == D("2024-10-15")


def test_d1_receipt_on_a_holiday_counts_from_the_next_working_day(cal: WorkCalendar) -> None:
    # Received on National Day: every day to 7 Oct is off, so WD1 is Tue 8 Oct.
    for received in (D("2024-10-01"), D("2024-10-05"), D("2024-10-07")):
        assert cal.add_workdays(received, 1).due == D("2024-10-08")


def test_d1_receipt_on_a_weekend(cal: WorkCalendar) -> None:
    assert cal.add_workdays(D("2024-10-19"), 1).due == D("2024-10-21")  # Sat -> Mon
    assert cal.add_workdays(D("2024-10-20"), 3).due == D("2024-10-23")


def test_d1_zero_working_days_is_the_start_date(cal: WorkCalendar) -> None:
    result = cal.add_workdays(D("2024-10-05"), 0)
    assert result.due == D("2024-10-05")
    assert not result.provisional


def test_d1_negative_working_days_is_rejected(cal: WorkCalendar) -> None:
    with pytest.raises(ValidationError) as err:
        cal.add_workdays(RECEIVED, -1)
    assert err.value.field == "working_days"


def test_d1_deadline_result_as_json_for_the_cli(cal: WorkCalendar) -> None:
    assert cal.add_workdays(RECEIVED, 5).as_json() == {
        "start": "2024-09-27",
        "working_days": 5,
        "due": "2024-10-10",
        "provisional": False,
    }


def test_d1_workdays_between_counts_the_half_open_interval(cal: WorkCalendar) -> None:
    assert cal.workdays_between(RECEIVED, D("2024-10-10")) == 5
    assert cal.workdays_between(RECEIVED, RECEIVED) == 0
    assert cal.workdays_between(D("2024-10-10"), RECEIVED) == 0
    assert cal.workdays_between(D("2024-09-30"), D("2024-10-07")) == 0
    assert list(cal.workdays(D("2024-09-28"), D("2024-10-08"))) == [
        D("2024-09-29"),
        D("2024-09-30"),
        D("2024-10-08"),
    ]


# --- the official calendar ---------------------------------------------------------------------


def test_d1_2026_make_up_days_are_working_days(cal: WorkCalendar) -> None:
    for day in ("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"):
        assert D(day).weekday() >= 5
        assert cal.is_workday(D(day)), day


def test_d1_2026_spring_festival_holiday_is_not_working(cal: WorkCalendar) -> None:
    day = D("2026-02-15")
    while day <= D("2026-02-23"):
        assert not cal.is_workday(day), day
        day += timedelta(days=1)
    assert cal.is_workday(D("2026-02-24"))


def test_d1_calendar_matches_chinesecalendar_on_every_seeded_day(cal: WorkCalendar) -> None:
    day, last = (
        date(CHINESECALENDAR_YEARS.start, 1, 1),
        date(CHINESECALENDAR_YEARS.stop - 1, 12, 31),
    )
    while day <= last:
        assert cal.is_workday(day) == chinese_calendar.is_workday(day), day
        assert not cal.is_provisional(day) or day >= D("2026-12-25"), day
        day += timedelta(days=1)


def test_d1_chinesecalendar_seed_is_official_with_its_version() -> None:
    seeds = schedules_from_chinesecalendar([2024, 2026])
    assert set(seeds) == {2024, 2026}
    assert all(s.official and s.source.startswith("chinesecalendar ") for s in seeds.values())
    assert D("2024-09-29") in seeds[2024].makeup_workdays
    assert D("2024-10-07") in seeds[2024].holidays


def test_d1_chinesecalendar_seed_refuses_years_it_does_not_cover() -> None:
    with pytest.raises(ValidationError, match="load the official schedule"):
        schedules_from_chinesecalendar([2027])


def test_d1_calendar_rejects_a_schedule_filed_under_another_year() -> None:
    with pytest.raises(ValidationError):
        WorkCalendar({2025: computed_schedule(2026)})


def test_d1_years_outside_the_supported_range_are_rejected_precisely() -> None:
    with pytest.raises(ValidationError, match="2000-2099"):
        WorkCalendar().is_workday(D("2150-01-05"))
    with pytest.raises(ValidationError, match="2000-2099"):
        WorkCalendar().add_workdays(D("2099-12-30"), 5)


# --- provisional years and loading a schedule (docs/facts.md#working-days) ------------------------


def test_d1_deadline_into_an_unannounced_year_is_provisional(cal: WorkCalendar) -> None:
    # Mon 2026-12-28: WD1-3 = 29-31 Dec; Fri 2027-01-01 New Year (computed); WD4-5 = 4-5 Jan.
    result = cal.add_workdays(D("2026-12-28"), 5)
    assert result.due == D("2027-01-05")
    assert result.provisional
    assert result.as_json()["provisional"] is True


def test_d1_loading_the_2027_schedule_settles_the_deadline(cal: WorkCalendar) -> None:
    loaded = cal.with_schedules(parse_schedule(schedule_2027_json()))
    result = loaded.add_workdays(D("2026-12-28"), 5)
    assert result.due == D("2027-01-05")
    assert not result.provisional
    assert cal.add_workdays(D("2026-12-28"), 5).provisional  # the old calendar is unchanged


def test_d1_loading_the_2027_schedule_moves_a_provisional_due_date(cal: WorkCalendar) -> None:
    # Computed 2027: only the 4 statutory Spring Festival days (Fri 02-05 .. Mon 02-08) are off,
    # so WD1-3 = Thu 02-04, Tue 02-09, Wed 02-10.
    provisional = cal.add_workdays(D("2027-02-03"), 3)
    assert provisional.due == D("2027-02-10")
    assert provisional.provisional
    # The (hypothetical) notice bridges 02-05 .. 02-11 and makes Sun 02-14 a working day.
    settled = cal.with_schedules(parse_schedule(schedule_2027_json())).add_workdays(
        D("2027-02-03"), 3
    )
    assert settled.due == D("2027-02-14")
    assert not settled.provisional


def test_d1_december_reach_back_of_an_unannounced_year_is_provisional(cal: WorkCalendar) -> None:
    # The 2027 notice may still rearrange the last days of December 2026.
    assert not cal.add_workdays(D("2026-12-21"), 2).provisional  # due Wed 12-23
    assert cal.add_workdays(D("2026-12-22"), 3).provisional  # due Fri 12-25


def test_d1_a_later_notice_prevails_for_the_december_days_it_covers(cal: WorkCalendar) -> None:
    # As the 2019 notice did for 2018-12-29..31 (hypothetically applied to 2026/2027).
    data = schedule_2027_json()
    data["holidays"] = ["2026-12-31", *data["holidays"]]
    data["makeup_workdays"] = ["2026-12-26", *data["makeup_workdays"]]
    loaded = cal.with_schedules(parse_schedule(data))
    assert not loaded.is_workday(D("2026-12-31"))
    assert loaded.is_workday(D("2026-12-26"))
    assert loaded.add_workdays(D("2026-12-28"), 3).due == D("2027-01-04")
    assert cal.is_workday(D("2026-12-31"))


def test_d1_historic_reach_back_2018_is_seeded(cal: WorkCalendar) -> None:
    assert cal.is_workday(D("2018-12-29"))  # Saturday make-up day for New Year 2019
    assert not cal.is_workday(D("2018-12-31"))  # Monday off
    assert cal.add_workdays(D("2018-12-28"), 1).due == D("2018-12-29")


def test_d1_computed_year_has_no_bridging_and_is_marked_provisional() -> None:
    schedule = computed_schedule(2027)
    assert not schedule.official
    assert schedule.makeup_workdays == frozenset()
    assert schedule.source.startswith("computed")
    cal = WorkCalendar()
    assert not cal.is_workday(D("2027-10-01"))
    assert cal.is_workday(D("2027-10-04"))  # bridging is a State Council decision, not computed
    assert cal.is_provisional(D("2027-03-01"))


def test_d1_non_official_schedule_in_the_mapping_stays_provisional() -> None:
    draft = YearSchedule(
        year=2027,
        holidays=computed_schedule(2027).holidays,
        makeup_workdays=frozenset(),
        source="draft",
        official=False,
    )
    assert WorkCalendar({2027: draft}).add_workdays(D("2027-03-01"), 2).provisional
