"""Art. 22 and D-18: inquiry log entries are kept three years from the inquiry day, then purged
unless a legal hold covers them; the purge leaves an audit event with its counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from pcip import clock
from pcip.errors import NotFound, ValidationError
from pcip.inquiry import retention
from pcip.inquiry.models import InquiryLog
from pcip.kernel.actors import Actor
from pcip.kernel.platform import Platform
from tests.inquiry.support import audit_events
from tests.world import World

ADMIN = Actor.system("retention-test")


def entry(platform: Platform, subject_id: int, at: str) -> int:
    """One inquiry log entry made at ``at`` (China Standard Time)."""
    with clock.frozen(at), platform.transaction() as s:
        e = InquiryLog(
            at=clock.now(),
            mode="public_disclosure",
            channel="web",
            purpose=None,
            inquirer="public:anonymous",
            inquirer_display="社会公众 (member of the public)",
            subject_id=subject_id,
            returned=[],
            returned_count=0,
        )
        s.add(e)
        s.flush()
        return int(e.id)


def purge(platform: Platform, on: str, *, dry_run: bool = False) -> retention.PurgeResult:
    with clock.frozen(on), platform.transaction() as s:
        return retention.purge(s, ADMIN, dry_run=dry_run)


def kept(platform: Platform, *ids: int) -> set[int]:
    with platform.transaction() as s:
        return set(s.scalars(select(InquiryLog.id).where(InquiryLog.id.in_(ids))))


@pytest.fixture
def a(world: World) -> int:
    return world.subject_ids["subject_a"]


@pytest.fixture
def b(world: World) -> int:
    return world.subject_ids["subject_b"]


def test_art22b_entry_of_2022_05_01_exists_on_2025_05_01_purged_on_2025_05_02(
    world: World, a: int
) -> None:
    old = entry(world.platform, a, "2022-05-01T10:00:00")
    assert purge(world.platform, "2025-05-01T23:00:00").purged == 0
    assert kept(world.platform, old) == {old}
    result = purge(world.platform, "2025-05-02T01:00:00")
    assert result.purged == 1 and result.held == 0
    assert kept(world.platform, old) == set()


def test_d18_retention_counts_china_standard_time_days(world: World, a: int) -> None:
    first_minute = entry(world.platform, a, "2022-05-01T00:30:00")  # 2022-04-30 16:30 UTC
    day_before = entry(world.platform, a, "2022-04-30T23:30:00")
    result = purge(world.platform, "2025-05-01T00:10:00")
    assert result.purged == 1
    assert kept(world.platform, first_minute, day_before) == {first_minute}


def test_d18_purge_keeps_entries_within_three_years(world: World, a: int) -> None:
    old = entry(world.platform, a, "2022-05-01T10:00:00")
    newer = entry(world.platform, a, "2022-05-02T10:00:00")
    r = world.client.post("/api/v1/public/persons", json={"citizen_id": world.person_a})
    recent = r.json()["inquiry_id"]
    assert purge(world.platform, "2025-05-02T09:00:00").purged == 1
    assert kept(world.platform, old, newer, recent) == {newer, recent}


def test_d18_hold_on_the_subject_keeps_its_entries(world: World, a: int, b: int) -> None:
    of_a = entry(world.platform, a, "2022-05-01T10:00:00")
    of_b = entry(world.platform, b, "2022-05-01T10:00:00")
    with world.platform.transaction() as s:
        retention.place_hold(s, ADMIN, reason="(2025)渝01刑初12号 案件调查", subject_id=a)
    result = purge(world.platform, "2025-05-02T09:00:00")
    assert (result.purged, result.held) == (1, 1)
    assert kept(world.platform, of_a, of_b) == {of_a}


def test_d18_hold_on_one_entry_keeps_only_that_entry(world: World, a: int) -> None:
    held = entry(world.platform, a, "2022-05-01T10:00:00")
    other = entry(world.platform, a, "2022-05-01T11:00:00")
    with world.platform.transaction() as s:
        retention.place_hold(s, ADMIN, reason="court order 17", inquiry_id=held)
    result = purge(world.platform, "2025-05-02T09:00:00")
    assert (result.purged, result.held) == (1, 1)
    assert kept(world.platform, held, other) == {held}


def test_d18_released_hold_lets_the_next_purge_remove_the_entry(world: World, a: int) -> None:
    old = entry(world.platform, a, "2022-05-01T10:00:00")
    with world.platform.transaction() as s:
        hold_id = retention.place_hold(s, ADMIN, reason="court order 17", inquiry_id=old).id
    assert purge(world.platform, "2025-05-02T09:00:00").held == 1
    assert kept(world.platform, old) == {old}
    with clock.frozen("2025-06-01T09:00:00"), world.platform.transaction() as s:
        released = retention.release_hold(s, ADMIN, hold_id)
        assert released.released_at is not None and released.released_by == str(ADMIN)
    result = purge(world.platform, "2025-06-02T09:00:00")
    assert (result.purged, result.held) == (1, 0)
    assert kept(world.platform, old) == set()
    assert [e.object_id for e in audit_events(world.platform, "legal_hold.release")] == [
        str(hold_id)
    ]


def test_d18_a_released_subject_hold_does_not_shield_a_second_active_one(
    world: World, a: int
) -> None:
    old = entry(world.platform, a, "2022-05-01T10:00:00")
    with world.platform.transaction() as s:
        first = retention.place_hold(s, ADMIN, reason="case one", subject_id=a).id
        retention.place_hold(s, ADMIN, reason="case two", subject_id=a)
        retention.release_hold(s, ADMIN, first)
    assert purge(world.platform, "2025-05-02T09:00:00").held == 1
    assert kept(world.platform, old) == {old}


def test_d18_dry_run_removes_nothing_and_writes_no_audit_event(world: World, a: int) -> None:
    old = entry(world.platform, a, "2022-05-01T10:00:00")
    result = purge(world.platform, "2025-05-02T09:00:00", dry_run=True)
    assert result.dry_run and result.purged == 1
    assert kept(world.platform, old) == {old}
    assert audit_events(world.platform, "inquiry_log.purge") == []


def test_d18_purge_writes_an_audit_event_with_its_counts(world: World, a: int) -> None:
    entry(world.platform, a, "2022-04-01T10:00:00")
    entry(world.platform, a, "2022-04-02T10:00:00")
    held = entry(world.platform, a, "2022-04-03T10:00:00")
    with world.platform.transaction() as s:
        retention.place_hold(s, ADMIN, reason="court order 17", inquiry_id=held)
    purge(world.platform, "2025-05-02T09:00:00")
    [event] = audit_events(world.platform, "inquiry_log.purge")
    assert event.actor == str(ADMIN)
    assert event.details["purged"] == 2 and event.details["kept_under_hold"] == 1
    assert event.object_id == "2022-05-02"
    assert "D-18" in event.article
    # An empty run is audited too: the purge ran and found nothing.
    purge(world.platform, "2025-05-03T09:00:00")
    assert [e.details["purged"] for e in audit_events(world.platform, "inquiry_log.purge")] == [
        2,
        0,
    ]


def test_d18_leap_day_entry_kept_through_2027_02_28_purged_on_2027_03_01(
    world: World, a: int
) -> None:
    leap = entry(world.platform, a, "2024-02-29T12:00:00")
    assert purge(world.platform, "2027-02-28T23:00:00").purged == 0
    assert kept(world.platform, leap) == {leap}
    assert purge(world.platform, "2027-03-01T00:30:00").purged == 1
    assert kept(world.platform, leap) == set()


def test_d18_entry_of_2021_03_01_kept_on_2024_03_01_purged_on_2024_03_02(
    world: World, a: int
) -> None:
    e = entry(world.platform, a, "2021-03-01T12:00:00")
    assert purge(world.platform, "2024-03-01T12:00:00").purged == 0
    assert purge(world.platform, "2024-03-02T12:00:00").purged == 1
    assert kept(world.platform, e) == set()


def test_d18_entry_of_2021_02_28_purged_on_leap_day_2024_02_29(world: World, a: int) -> None:
    e = entry(world.platform, a, "2021-02-28T12:00:00")
    assert purge(world.platform, "2024-02-28T12:00:00").purged == 0
    assert purge(world.platform, "2024-02-29T12:00:00").purged == 1
    assert kept(world.platform, e) == set()


def test_d18_a_hold_needs_one_target_and_a_reason(world: World, a: int) -> None:
    old = entry(world.platform, a, "2022-05-01T10:00:00")
    with world.platform.transaction() as s:
        with pytest.raises(ValidationError) as both:
            retention.place_hold(s, ADMIN, reason="court order", subject_id=a, inquiry_id=old)
        assert both.value.field == "subject"
        with pytest.raises(ValidationError):
            retention.place_hold(s, ADMIN, reason="court order")
        with pytest.raises(ValidationError) as no_reason:
            retention.place_hold(s, ADMIN, reason="  ", subject_id=a)
        assert no_reason.value.field == "reason"
        with pytest.raises(NotFound):
            retention.place_hold(s, ADMIN, reason="court order", inquiry_id=10**9)
        with pytest.raises(NotFound):
            retention.place_hold(s, ADMIN, reason="court order", subject_id=10**9)
        with pytest.raises(NotFound):
            retention.release_hold(s, ADMIN, 10**9)


def test_d18_placing_a_hold_is_audited(world: World, a: int) -> None:
    with world.platform.transaction() as s:
        hold = retention.place_hold(s, ADMIN, reason="court order 17", subject_id=a)
    [event] = audit_events(world.platform, "legal_hold.place")
    assert event.object_id == str(hold.id) and event.details["subject"] == a


def test_art22_the_three_years_are_data_with_their_citation(tmp_path: Path) -> None:
    """The retention period is a legal parameter kept as data (issue 15.4); a wrong value is
    refused with its path."""
    from pcip.inquiry.retention import RETENTION_FILE, RETENTION_YEARS, load_retention_years

    assert RETENTION_YEARS == load_retention_years() == 3
    assert "Art. 22 para 3" in RETENTION_FILE.read_text(encoding="utf-8")
    wrong = tmp_path / "retention.yaml"
    wrong.write_text(
        RETENTION_FILE.read_text(encoding="utf-8").replace("years: 3", "years: 0"),
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as refused:
        load_retention_years(wrong)
    assert refused.value.field == "inquiry_log.years"
