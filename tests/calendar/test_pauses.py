"""Art. 41 clock pauses (docs/decisions.md#d-3): paused working days are not counted."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pcip.calendar import WorkCalendar, default_calendar
from pcip.errors import ValidationError

D = date.fromisoformat
RECEIVED = D("2024-09-27")  # notice WD5 = Thu 2024-10-10 (Art. 40d)
EXPERT_REVIEW = (D("2024-10-08"), D("2024-10-09"))  # Tue-Wed: WD3 and WD4


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return default_calendar()


def test_art41_two_wd_expert_review_moves_the_notice_from_wd5_to_wd7(cal: WorkCalendar) -> None:
    first, last = EXPERT_REVIEW
    assert cal.workdays_between(first - timedelta(days=1), last) == 2
    plain = cal.deadline(RECEIVED, 5)
    paused = cal.deadline(RECEIVED, 5, [EXPERT_REVIEW])
    assert plain.due == D("2024-10-10")  # WD5
    # WD6 = Fri 10-11, WD7 = Sat 10-12 (the second 2024 National Day make-up day).
    assert paused.due == D("2024-10-12")
    assert cal.workdays_between(RECEIVED, paused.due) == 7
    assert paused.working_days == 5
    assert not paused.provisional


def test_d3_pause_shifts_handling_deadline_by_the_paused_working_days(cal: WorkCalendar) -> None:
    # Self-handling (3 WD, Art. 40c) is due Tue 10-08; a pause on 10-08 .. 10-11 (4 WD).
    pause = (D("2024-10-08"), D("2024-10-11"))
    assert cal.workdays_between(pause[0] - timedelta(days=1), pause[1]) == 4
    assert cal.deadline(RECEIVED, 3, [pause]).due == cal.add_workdays(RECEIVED, 3 + 4).due


def test_d3_pause_over_non_working_days_changes_nothing(cal: WorkCalendar) -> None:
    national_day = (D("2024-10-01"), D("2024-10-07"))
    assert cal.deadline(RECEIVED, 5, [national_day]).due == D("2024-10-10")


def test_d3_pause_after_the_due_date_changes_nothing(cal: WorkCalendar) -> None:
    later = (D("2024-10-11"), D("2024-10-20"))
    assert cal.deadline(RECEIVED, 5, [later]).due == D("2024-10-10")


def test_d3_pause_before_receipt_changes_nothing(cal: WorkCalendar) -> None:
    earlier = (D("2024-09-20"), D("2024-09-27"))
    assert cal.deadline(RECEIVED, 5, [earlier]).due == D("2024-10-10")


def test_d3_overlapping_pauses_count_each_paused_day_once(cal: WorkCalendar) -> None:
    a = (D("2024-10-08"), D("2024-10-09"))
    b = (D("2024-10-09"), D("2024-10-10"))
    merged = (D("2024-10-08"), D("2024-10-10"))
    assert cal.deadline(RECEIVED, 5, [a, b]).due == cal.deadline(RECEIVED, 5, [merged]).due
    assert cal.deadline(RECEIVED, 5, [b, a]).due == cal.deadline(RECEIVED, 5, [merged]).due


def test_d3_due_date_is_never_inside_a_pause(cal: WorkCalendar) -> None:
    pause = (D("2024-10-10"), D("2024-10-10"))
    due = cal.deadline(RECEIVED, 5, [pause]).due
    assert due == D("2024-10-11")


def test_d3_single_day_pause_on_a_working_day(cal: WorkCalendar) -> None:
    # Re-examination (Art. 40e) filed Mon 10-14, due Thu 10-17; testing on Tue 10-15.
    pause = (D("2024-10-15"), D("2024-10-15"))
    assert cal.deadline(D("2024-10-14"), 3, [pause]).due == D("2024-10-18")


def test_d3_pause_ending_before_it_starts_is_rejected(cal: WorkCalendar) -> None:
    with pytest.raises(ValidationError) as err:
        cal.deadline(RECEIVED, 5, [EXPERT_REVIEW, (D("2024-10-09"), D("2024-10-08"))])
    assert err.value.field == "pauses[1]"


def test_d3_no_pauses_equals_add_workdays(cal: WorkCalendar) -> None:
    assert cal.deadline(RECEIVED, 5) == cal.add_workdays(RECEIVED, 5)
    assert cal.deadline(RECEIVED, 5, []) == cal.add_workdays(RECEIVED, 5)
