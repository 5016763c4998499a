"""Art. 28: the hourly count behind abnormal-volume alerts, kept running (issue #7) instead of
recounted from the log on every inquiry, in the platform's shared state (issue 22: one count
for every server process when it is Redis). It must still raise exactly when the log says the
threshold is crossed, never on an estimate."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from pcip import clock
from pcip.inquiry import alerts
from pcip.inquiry.models import InquiryAlert, InquiryLog
from pcip.kernel.platform import Platform
from pcip.kernel.shared_state import MemoryState, RedisState
from tests.world import World


def _log(platform: Platform, inquirer: str, n: int) -> None:
    """Inquiries another server process logged (this process never counted them)."""
    with platform.transaction() as s:
        for _ in range(n):
            s.add(
                InquiryLog(
                    at=clock.now(),
                    mode="authority",
                    channel="api",
                    purpose="credit_check: x",
                    inquirer=inquirer,
                    inquirer_display="某单位",
                    subject_id=1,
                    returned=[],
                    returned_count=0,
                )
            )


def _check(platform: Platform, inquirer: str, threshold: int) -> InquiryAlert | None:
    with platform.transaction() as s:
        _log_in(s, inquirer)
        return alerts.check_volume(s, inquirer, "某单位", clock.now(), threshold)


def _log_in(s: object, inquirer: str) -> None:
    from sqlalchemy.orm import Session

    assert isinstance(s, Session)
    s.add(
        InquiryLog(
            at=clock.now(),
            mode="authority",
            channel="api",
            purpose="credit_check: x",
            inquirer=inquirer,
            inquirer_display="某单位",
            subject_id=1,
            returned=[],
            returned_count=0,
        )
    )
    s.flush()


def _alerts(platform: Platform) -> list[tuple[str, int]]:
    with platform.transaction() as s:
        return [(a.inquirer, a.count) for a in s.scalars(select(InquiryAlert))]


def _store_on_a_clock(platform: Platform) -> list[float]:
    """Give the platform's sessions an in-memory store whose clock the test moves."""
    now = [0.0]
    state = MemoryState(clock=lambda: now[0])
    platform.sessions.configure(info={**platform.sessions.kw.get("info", {}), "shared": state})
    return now


def test_art28_other_stores_inquiries_count_after_a_resync(world: World) -> None:
    platform = world.platform
    now = _store_on_a_clock(platform)
    assert _check(platform, "grantee:X", 3) is None  # running count starts from the log: 1
    _log(platform, "grantee:X", 5)  # a process with another store: invisible to the count ...
    assert _check(platform, "grantee:X", 3) is None  # ... which says 2
    now[0] += alerts.RESYNC_SECONDS  # ... until it is read again
    alert = _check(platform, "grantee:X", 3)
    assert alert is not None and alert.count == 8
    assert _alerts(platform) == [("grantee:X", 8)]


def test_art28_an_estimate_above_the_threshold_raises_nothing_unless_the_log_agrees(
    world: World,
) -> None:
    platform = world.platform
    for _ in range(4):  # counted by this process, then rolled back: never logged
        with pytest.raises(RuntimeError), platform.transaction() as s:
            _log_in(s, "grantee:Y")
            alerts.check_volume(s, "grantee:Y", "某单位", clock.now(), 3)
            raise RuntimeError("the inquiry failed after it was counted")
    assert _check(platform, "grantee:Y", 3) is None  # running says 5, the log says 1
    assert _alerts(platform) == []
    for _ in range(3):
        _check(platform, "grantee:Y", 3)
    assert _alerts(platform) == [("grantee:Y", 4)]  # the fourth logged inquiry raises it


def test_art28_an_alerted_hour_keeps_its_count_current(world: World) -> None:
    platform = world.platform
    for _ in range(6):
        _check(platform, "grantee:Z", 3)
    assert _alerts(platform) == [("grantee:Z", 6)]


REDIS_URL = os.environ.get("PCIP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own in the real Redis, cleaned up afterwards."""
    prefix = f"pcip-test:{uuid.uuid4().hex}:"
    try:
        state = RedisState.from_url(REDIS_URL, prefix)
        state.ping()
    except Exception as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL} (make redis starts one): {exc}")
    yield prefix
    for key in state.client.scan_iter(match=prefix + "*"):
        state.client.delete(key)


def test_issue22_two_server_processes_count_one_inquirer_together(
    world: World, redis_prefix: str
) -> None:
    """Two platforms over one database and one Redis stand for two worker processes: the
    inquirer's fourth inquiry of the hour raises the alert (threshold 3) whichever process
    answered each; with a count per process neither would have seen more than 3 yet."""
    settings = world.platform.settings.model_copy(
        update={"redis_url": REDIS_URL, "redis_prefix": redis_prefix}
    )
    first, second = Platform.open(settings), Platform.open(settings)
    try:
        assert isinstance(first.shared, RedisState)
        assert _check(first, "grantee:W", 3) is None  # 1
        assert _check(second, "grantee:W", 3) is None  # 2
        assert _check(first, "grantee:W", 3) is None  # 3
        alert = _check(second, "grantee:W", 3)  # 4: over the threshold
        assert alert is not None and alert.count == 4
    finally:
        first.dispose()
        second.dispose()
    assert _alerts(world.platform) == [("grantee:W", 4)]
