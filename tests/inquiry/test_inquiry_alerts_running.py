"""Art. 28: the hourly count behind abnormal-volume alerts, kept running per process (issue #7)
instead of recounted from the log on every inquiry. It must still raise exactly when the log
says the threshold is crossed, never on an estimate."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pcip import clock
from pcip.inquiry import alerts
from pcip.inquiry.models import InquiryAlert, InquiryLog
from pcip.kernel.platform import Platform
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


def test_art28_other_processes_inquiries_count_after_a_resync(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    platform = world.platform
    assert _check(platform, "grantee:X", 3) is None  # running count starts from the log: 1
    _log(platform, "grantee:X", 5)  # another process: invisible to the running count ...
    assert _check(platform, "grantee:X", 3) is None  # ... which says 2
    monkeypatch.setattr(alerts, "RESYNC_SECONDS", 0.0)  # ... until it is read again
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
