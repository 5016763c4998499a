"""Art. 28: an identified inquirer's volume above the hourly threshold raises one alert per
hour (a console row and an audit event); operators list and acknowledge them."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import Response
from sqlalchemy import select

from pcip import clock
from pcip.config import reset_settings
from pcip.inquiry.models import InquiryAlert
from pcip.kernel.platform import Platform
from tests.inquiry.support import audit_events
from tests.world import World

AUTHORITY = "/api/v1/inquiries/authority"
ALERTS = "/api/v1/alerts"


@pytest.fixture(autouse=True)
def threshold(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("PCIP_INQUIRY_ALERT_PER_HOUR", "3")
    reset_settings()
    return 3


def authority(world: World, role: str = "staff") -> Response:
    r = world.client.post(
        AUTHORITY,
        json={
            "subject": {"citizen_id": world.person_a},
            "purpose_code": "credit_check",
            "purpose": "资质审批前信用核查",
        },
        headers=world.auth(role),
    )
    assert r.status_code == 200, r.text
    return r


def alerts(platform: Platform) -> list[dict[str, Any]]:
    with platform.transaction() as s:
        return [
            {c.key: getattr(a, c.key) for c in InquiryAlert.__table__.columns}
            for a in s.scalars(select(InquiryAlert).order_by(InquiryAlert.id))
        ]


def test_art28_inquiries_up_to_the_threshold_raise_nothing(world: World) -> None:
    for _ in range(3):
        authority(world)
    assert alerts(world.platform) == []
    assert audit_events(world.platform, "inquiry.abnormal_volume") == []


def test_art28_fourth_inquiry_in_an_hour_raises_one_alert_and_audit_event(world: World) -> None:
    for _ in range(4):
        authority(world)
    [alert] = alerts(world.platform)
    assert alert["count"] == 4 and alert["threshold"] == 3
    assert alert["inquirer"].startswith("provider:") and "account:" in alert["inquirer"]
    assert alert["inquirer_display"] == "重庆市市场监督管理局"
    [event] = audit_events(world.platform, "inquiry.abnormal_volume")
    assert event.object_id == str(alert["id"])
    assert event.details == {"inquirer": alert["inquirer"], "count": 4, "threshold": 3}
    assert event.article == "Art. 28"


def test_art28_more_inquiries_in_the_same_hour_add_no_alert(world: World) -> None:
    for _ in range(7):
        authority(world)
    with clock.frozen("2026-11-26T10:59:59"):
        authority(world)
    [alert] = alerts(world.platform)
    assert alert["count"] == 8  # kept current
    assert len(audit_events(world.platform, "inquiry.abnormal_volume")) == 1


def test_art28_next_hour_counts_afresh(world: World) -> None:
    for _ in range(4):
        authority(world)
    with clock.frozen("2026-11-26T11:00:00"):
        for _ in range(3):
            authority(world)
        assert len(alerts(world.platform)) == 1
        authority(world)
    assert [a["count"] for a in alerts(world.platform)] == [4, 4]
    assert len(audit_events(world.platform, "inquiry.abnormal_volume")) == 2


def test_art28_each_inquirer_is_counted_on_its_own(world: World) -> None:
    for _ in range(2):
        authority(world, "staff")
        authority(world, "unit_key")
    authority(world, "staff")
    assert alerts(world.platform) == []
    authority(world, "staff")
    assert len(alerts(world.platform)) == 1


def test_art28_public_and_self_inquiries_raise_no_account_alert(world: World) -> None:
    for _ in range(5):
        world.client.post("/api/v1/public/persons", json={"citizen_id": world.person_a})
        world.client.get("/api/v1/me/records", headers=world.auth("subject_a"))
    assert alerts(world.platform) == []


def test_art28_operator_lists_and_acknowledges_an_alert(world: World) -> None:
    for _ in range(4):
        authority(world)
    r = world.client.get(ALERTS, headers=world.auth("operator"))
    assert r.status_code == 200, r.text
    [listed] = r.json()
    assert listed["count"] == 4 and listed["acknowledged_by"] is None
    assert listed["inquirer_display"] == "重庆市市场监督管理局"

    with clock.frozen("2026-11-26T10:30:00"):
        ack = world.client.post(
            f"{ALERTS}/{listed['alert_id']}/acknowledge", headers=world.auth("operator")
        )
    assert ack.status_code == 200, ack.text
    assert ack.json()["acknowledged_by"].startswith("operator:")
    assert ack.json()["acknowledged_at"] is not None
    [event] = audit_events(world.platform, "inquiry_alert.acknowledge")
    assert event.actor == ack.json()["acknowledged_by"]
    open_only = world.client.get(ALERTS, params={"open_only": True}, headers=world.auth("operator"))
    assert open_only.json() == []
    assert len(world.client.get(ALERTS, headers=world.auth("drc")).json()) == 1


def test_art28_acknowledging_twice_keeps_the_first(world: World) -> None:
    for _ in range(4):
        authority(world)
    aid = alerts(world.platform)[0]["id"]
    first = world.client.post(f"{ALERTS}/{aid}/acknowledge", headers=world.auth("operator"))
    again = world.client.post(f"{ALERTS}/{aid}/acknowledge", headers=world.auth("operator"))
    assert again.json()["acknowledged_by"] == first.json()["acknowledged_by"]
    assert len(audit_events(world.platform, "inquiry_alert.acknowledge")) == 1


def test_art28_unknown_alert_is_404(world: World) -> None:
    r = world.client.post(f"{ALERTS}/999/acknowledge", headers=world.auth("operator"))
    assert r.status_code == 404 and r.json()["field"] == "alert_id"


@pytest.mark.parametrize("role", ["staff", "unit_key", "grantee", "subject_a"])
def test_art28_alerts_are_for_oversight_only(world: World, role: str) -> None:
    assert world.client.get(ALERTS, headers=world.auth(role)).status_code == 403
    assert world.client.post(f"{ALERTS}/1/acknowledge", headers=world.auth(role)).status_code == 403


def test_art28_drc_reads_but_does_not_acknowledge(world: World) -> None:
    for _ in range(4):
        authority(world)
    aid = alerts(world.platform)[0]["id"]
    assert world.client.get(ALERTS, headers=world.auth("drc")).status_code == 200
    r = world.client.post(f"{ALERTS}/{aid}/acknowledge", headers=world.auth("drc"))
    assert r.status_code == 403
    assert world.client.get(ALERTS).status_code == 401
