"""Property tests of D-1 counting and D-3 pauses (Art. 40-41), on official and computed years."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar  # type: ignore[import-untyped]
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pcip.calendar import Pause, WorkCalendar, default_calendar

SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
CAL: WorkCalendar = default_calendar()
STARTS = st.dates(min_value=date(2004, 1, 1), max_value=date(2060, 12, 31))
#: Starts whose longest deadline (40 working days) ends before 2026-12-25, the first day the
#: seeded 2026 schedule leaves unsettled (a late-December day may become part of the next
#: year's New Year holiday). A later start could reach it and be, rightly, provisional.
SEEDED_STARTS = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 10, 15))
COUNTS = st.integers(min_value=0, max_value=40)


@st.composite
def pauses(draw: st.DrawFn, start: date) -> list[Pause]:
    out: list[Pause] = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        first = start + timedelta(days=draw(st.integers(min_value=-5, max_value=60)))
        out.append((first, first + timedelta(days=draw(st.integers(min_value=0, max_value=20)))))
    return out


@SETTINGS
@given(start=STARTS, n=COUNTS)
def test_d1_due_is_the_nth_working_day_after_start(start: date, n: int) -> None:
    result = CAL.add_workdays(start, n)
    assert result.start == start
    assert result.working_days == n
    assert CAL.workdays_between(start, result.due) == n
    if n > 0:
        assert CAL.is_workday(result.due)
        assert CAL.workdays_between(start, result.due - timedelta(days=1)) == n - 1
    else:
        assert result.due == start


@SETTINGS
@given(start=SEEDED_STARTS, n=COUNTS)
def test_d1_official_years_agree_with_chinesecalendar(start: date, n: int) -> None:
    result = CAL.add_workdays(start, n)
    days = [start + timedelta(days=i) for i in range(1, (result.due - start).days + 1)]
    assert sum(chinese_calendar.is_workday(day) for day in days) == n
    assert not result.provisional


@SETTINGS
@given(start=STARTS, n=COUNTS)
def test_d1_provisional_exactly_when_a_day_is_unsettled(start: date, n: int) -> None:
    result = CAL.add_workdays(start, n)
    days = [start + timedelta(days=i) for i in range(1, (result.due - start).days + 1)]
    unsettled = any(day > date(2026, 12, 24) for day in days)
    assert result.provisional == unsettled


@SETTINGS
@given(data=st.data(), start=STARTS, n=COUNTS)
def test_d3_pauses_never_make_a_deadline_earlier(data: st.DataObject, start: date, n: int) -> None:
    some = data.draw(pauses(start))
    more = [*some, *data.draw(pauses(start))]
    plain = CAL.deadline(start, n)
    paused = CAL.deadline(start, n, some)
    paused_more = CAL.deadline(start, n, more)
    assert plain.due <= paused.due <= paused_more.due


@SETTINGS
@given(data=st.data(), start=STARTS, n=st.integers(min_value=1, max_value=40))
def test_d3_due_is_a_working_day_outside_pauses_after_n_counted_days(
    data: st.DataObject, start: date, n: int
) -> None:
    chosen = data.draw(pauses(start))

    def paused(day: date) -> bool:
        return any(first <= day <= last for first, last in chosen)

    due = CAL.deadline(start, n, chosen).due
    assert CAL.is_workday(due) and not paused(due)
    counted = [d for d in CAL.workdays(start + timedelta(days=1), due) if not paused(d)]
    assert len(counted) == n
    # D-3: the shift equals the working days paused before the due date.
    shift = sum(1 for d in CAL.workdays(start + timedelta(days=1), due) if paused(d))
    assert due == CAL.add_workdays(start, n + shift).due
