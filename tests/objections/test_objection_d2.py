"""Issue 14.10, D-2: the notice is generated when a providing unit's result arrives and the
operator is told, without anyone looking; a case not transferred on its first working day
raises an alert (on the 2024 calendar: Sun 2024-09-29 was a make-up working day)."""

from __future__ import annotations

import time
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from pcip.config import Settings
from pcip.errors import ValidationError
from pcip.kernel.audit.models import AuditEvent
from pcip.objections import alerts, service, tracking, watch
from pcip.objections.models import Notice, ObjectionAlert, ObjectionEvent
from pcip.objections.states import State
from tests.objections.builders import AS_OPERATOR, OPERATOR, World, on, unit


def _receive(world: World, record: int | None = None, subject: int | None = None) -> int:
    with on("2024-09-27"), world.platform.transaction() as s:
        return service.receive(
            s,
            AS_OPERATOR,
            subject_id=subject or world.company,
            record_ids=[record or world.company_records[0]],
            ground="error",
            statement="罚款金额有误",
            applicant="重庆示例商贸有限公司",
            channel="desk",
        ).objection.id


def _transferred(world: World) -> int:
    oid = _receive(world)
    with on("2024-09-29"), world.platform.transaction() as s:
        service.apply_label(s, AS_OPERATOR, oid)
        service.transfer(s, AS_OPERATOR, oid)
        service.pu_receive(s, unit(s), oid)
    return oid


def _alerts(world: World, kind: str) -> list[ObjectionAlert]:
    with world.platform.transaction() as s:
        found = list(s.scalars(select(ObjectionAlert).where(ObjectionAlert.kind == kind)))
        s.expunge_all()
        return found


def test_d2_unit_result_generates_the_notice_and_tells_the_operator(world: World) -> None:
    oid = _transferred(world)
    with on("2024-09-30", hour=15), world.platform.transaction() as s:
        service.pu_return(s, unit(s), oid, outcome="upheld", reasons="经核实，信息无误。")
        assert service.state(s, oid) is State.NOTIFIED
        [notice] = list(s.scalars(select(Notice).where(Notice.objection_id == oid)))
        kinds = [
            e.kind
            for e in s.scalars(
                select(ObjectionEvent)
                .where(ObjectionEvent.objection_id == oid)
                .order_by(ObjectionEvent.id)
            )
        ]
    assert kinds[-3:] == ["pu_result_returned", "decided", "notified"]
    assert notice.kind == "outcome" and notice.issued_by == "system:objections.d2"
    assert notice.due_on == date(2024, 10, 10)  # 5 WD from Fri 09-27 (2024 calendar)
    # The notice says truthfully who verified it and that it was generated on its arrival.
    assert "重庆市市场监督管理局" in notice.html and "verified and handled it" in notice.html
    assert "generated as soon as its result reached the platform" in notice.html
    [alert] = _alerts(world, "unit_result_notified")
    assert alert.objection_id == oid and alert.acknowledged_at is None
    assert alert.details["notice_id"] == notice.id and alert.details["outcome"] == "upheld"
    with world.platform.transaction() as s:
        raised = s.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "objection.alert.unit_result_notified")
        )
        assert raised == 1
        alerts.acknowledge(s, AS_OPERATOR, alert.id)
    [done] = _alerts(world, "unit_result_notified")
    assert done.acknowledged_by == str(OPERATOR) and done.acknowledged_at is not None


def test_d2_a_unit_result_that_cannot_be_applied_is_refused_whole(world: World) -> None:
    oid = _transferred(world)
    rid = world.company_records[0]
    with (
        pytest.raises(ValidationError) as exc,
        on("2024-09-30"),
        world.platform.transaction() as s,
    ):
        service.pu_return(
            s,
            unit(s),
            oid,
            outcome="corrected",
            reasons="金额更正",
            changes={rid: {"CF_NR_FK": "not a number"}},
        )
    assert exc.value.field == f"changes[{rid}].CF_NR_FK"
    with world.platform.transaction() as s:
        assert service.state(s, oid) is State.PU_REVIEW
        assert s.scalar(select(func.count()).select_from(Notice)) == 0
    assert _alerts(world, "unit_result_notified") == []


def test_d2_case_not_transferred_on_its_first_working_day_raises_an_alert(world: World) -> None:
    late = _receive(world)
    on_time = _receive(world, world.company_records[1])
    reviewed = _receive(world, world.person_recent, world.person)
    with on("2024-09-29"), world.platform.transaction() as s:  # WD1: a make-up working day
        service.apply_label(s, AS_OPERATOR, late)
        service.apply_label(s, AS_OPERATOR, on_time)
        service.transfer(s, AS_OPERATOR, on_time)
        service.apply_label(s, AS_OPERATOR, reviewed)
        service.start_self_review(s, AS_OPERATOR, reviewed)
        tracking.overdue_check(s, OPERATOR, date(2024, 9, 29))
    assert _alerts(world, "not_transferred_wd1") == []  # WD1 is not over yet
    with on("2024-09-30"), world.platform.transaction() as s:
        tracking.overdue_check(s, OPERATOR, date(2024, 9, 30))
        tracking.overdue_check(s, OPERATOR, date(2024, 9, 30))  # raised once, not twice
    [alert] = _alerts(world, "not_transferred_wd1")
    assert alert.objection_id == late
    assert alert.details == {"first_working_day": "2024-09-29", "state": "labelled"}
    # Transferred later (on WD2, within the statutory limit): the alert stays on record.
    with on("2024-09-30"), world.platform.transaction() as s:
        service.transfer(s, AS_OPERATOR, late)
        tracking.overdue_check(s, OPERATOR, date(2024, 10, 8))
    assert [a.objection_id for a in _alerts(world, "not_transferred_wd1")] == [late]


def test_d2_the_serve_watch_raises_the_alert_with_nobody_asking(world: World) -> None:
    """``pcip serve`` runs the watch in the background (``PCIP_OBJECTION_WATCH_SECONDS``)."""
    oid = _receive(world)
    with on("2024-09-30"):
        running = watch.Watch(world.platform, 0.05)
        running.start()
        try:
            deadline = time.monotonic() + 20
            while not _alerts(world, "not_transferred_wd1") and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            running.stop()
            running.join(5)
    [alert] = _alerts(world, "not_transferred_wd1")
    assert alert.objection_id == oid


def test_d2_the_watch_is_on_by_default_and_can_be_turned_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings().objection_watch_seconds == 300
    monkeypatch.setenv("PCIP_OBJECTION_WATCH_SECONDS", "0")
    off = Settings()
    assert off.objection_watch_seconds == 0
    assert watch.start(SimpleNamespace(settings=off)) is None  # type: ignore[arg-type]


def test_d2_the_watch_runs_in_a_fresh_process_before_anything_else_is_imported(
    world: World,
) -> None:
    """``pcip serve`` starts the watch first: its pass must not depend on the web app having
    imported every table (it once failed on the foreign key to ``subject``)."""
    import os
    import subprocess
    import sys

    oid = _receive(world)
    settings = world.platform.settings
    env = {
        **os.environ,
        "PCIP_DATABASE_URL": settings.database_url,
        "PCIP_HOME": str(settings.home),
        "PCIP_NOW": "2024-09-30T10:00:00",
    }
    code = (
        "from pcip.objections.watch import run_once\n"
        "from pcip.kernel.platform import Platform\n"
        "run_once(Platform.open())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    [alert] = _alerts(world, "not_transferred_wd1")
    assert alert.objection_id == oid
