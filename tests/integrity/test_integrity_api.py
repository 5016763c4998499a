"""The government-integrity API (Art. 8-10): the D&R department registers a pledge or contract,
records a lawful termination with its compensation and an unlawful change as a breach, the
dashboard and the evaluation follow, and the operator reads. Every answer comes from
``pcip.integrity``."""

from __future__ import annotations

from typing import Any

from pcip import clock
from pcip.kernel.platform import Platform
from tests.helpers import uscc
from tests.integrity.support import BUREAU, ON, unit
from tests.world import PASSWORD, World, WorldData, reopen

BASE = "/api/v1/integrity"


def _login(w: World, user: str) -> dict[str, str]:
    r = w.client.post("/api/v1/auth/login", json={"username": user, "password": PASSWORD})
    assert r.status_code == 200, r.text
    w.client.cookies.clear()  # the bearer token only: other calls stay anonymous
    return {"Authorization": f"Bearer {r.json()['token']}"}


def _commitment(**over: Any) -> dict[str, Any]:
    body = {
        "body_uscc": BUREAU,
        "body_name": "重庆市某区招商投资促进局",
        "kind": "contract",
        "area": "investment",
        "title": "产业园区招商引资协议",
        "counterparty": "重庆示范制造有限公司",
        "reference": "招商〔2025〕7号",
        "amount": "12000000.00",
        "made_on": "2025-03-01",
        "due_on": "2026-10-01",
    }
    body.update(over)
    return body


def test_art9_api_register_change_compensate_and_dashboard(
    platform: Platform, api_world_data: WorldData
) -> None:
    w = reopen(platform, api_world_data)
    u = unit(platform)
    with clock.frozen(ON):
        drc, operator = _login(w, "drc"), _login(w, "operator")
        r = w.client.post(f"{BASE}/commitments", headers=drc, json=_commitment())
        assert r.status_code == 201 and r.json()["state"] == "in_force", r.text
        kept = r.json()["id"]
        ended = w.client.post(f"{BASE}/commitments", headers=drc, json=_commitment()).json()["id"]
        broken = w.client.post(f"{BASE}/commitments", headers=drc, json=_commitment()).json()["id"]
        r = w.client.post(f"{BASE}/commitments/{kept}/performance", headers=drc)
        assert r.status_code == 200 and r.json()["state"] == "performed", r.text
        # Art. 9 para 2: a lawful termination names the authority; closed once compensated.
        r = w.client.post(
            f"{BASE}/commitments/{ended}/changes",
            headers=drc,
            json={
                "action": "terminate",
                "reason": "public_interest",
                "authority_ref": "区政府常务会议纪要〔2026〕12号",
                "description": "因公共利益需要终止协议",
            },
        )
        assert r.status_code == 201 and r.json()["breach_id"] is None, r.text
        change_id = r.json()["change"]["id"]
        r = w.client.post(f"{BASE}/changes/{change_id}/closure", headers=drc)
        assert r.status_code == 422 and r.json()["field"] == "compensation", r.text
        r = w.client.post(
            f"{BASE}/changes/{change_id}/compensations",
            headers=drc,
            json={
                "beneficiary": "重庆示范制造有限公司",
                "amount": "80000.00",
                "paid_on": ON.isoformat(),
                "document": "补偿协议〔2026〕3号",
            },
        )
        assert r.status_code == 201, r.text
        r = w.client.post(f"{BASE}/changes/{change_id}/closure", headers=drc)
        assert r.status_code == 200 and r.json()["closed_on"] == ON.isoformat(), r.text
        # Art. 9 para 2: a change of officials is never lawful: the change is a breach.
        r = w.client.post(
            f"{BASE}/commitments/{broken}/changes",
            headers=drc,
            json={
                "action": "terminate",
                "reason": "official_change",
                "description": "新任领导不认可原协议",
                "unit_uscc": u,
            },
        )
        assert r.status_code == 201 and r.json()["breach_id"], r.text
        # The operator reads the register, the breaches and the dashboard (Art. 8).
        register = w.client.get(f"{BASE}/commitments", headers=operator).json()
        states = {c["id"]: c["state"] for c in register}
        assert states == {kept: "performed", ended: "terminated", broken: "breached"}, states
        ended_row = next(c for c in register if c["id"] == ended)
        assert ended_row["changes"][0]["compensations"][0]["amount"] == "80000.00"
        breaches = w.client.get(f"{BASE}/breaches", headers=operator).json()
        assert [b["commitment_id"] for b in breaches] == [broken]
        case = breaches[0]["case"]
        assert case["state"] == "pending"
        board = w.client.get(f"{BASE}/dashboard", headers=operator).json()
        assert [(b["uscc"], b["commitments"], b["breached"], b["open_cases"]) for b in board] == [
            (BUREAU, 3, 1, 1)
        ]
        r = w.client.post(f"{BASE}/cases/{case['id']}", headers=drc, json={"state": "concluded"})
        assert r.status_code == 422 and r.json()["field"] == "outcome", r.text
        r = w.client.post(
            f"{BASE}/cases/{case['id']}",
            headers=drc,
            json={"state": "concluded", "outcome": "对责任人予以诫勉谈话"},
        )
        assert r.status_code == 200 and r.json()["state"] == "concluded", r.text


def test_art10_api_evaluation_of_districts_is_run_and_read(
    platform: Platform, api_world_data: WorldData
) -> None:
    w = reopen(platform, api_world_data)
    with clock.frozen(ON):
        drc, operator = _login(w, "drc"), _login(w, "operator")
        cid = w.client.post(f"{BASE}/commitments", headers=drc, json=_commitment()).json()["id"]
        w.client.post(f"{BASE}/commitments/{cid}/performance", headers=drc)
        period = {"period_start": "2026-01-01", "period_end": ON.isoformat()}
        r = w.client.post(f"{BASE}/evaluations", headers=drc, json=period)
        assert r.status_code == 201, r.text
        eid = r.json()["id"]
        assert sum(row["due"] for row in r.json()["results"]) == 1
        listed = w.client.get(f"{BASE}/evaluations", headers=operator).json()
        assert [e["id"] for e in listed] == [eid]
        one = w.client.get(f"{BASE}/evaluations/{eid}", headers=operator).json()
        assert one["results"] == r.json()["results"]
        # Art. 10: a period not yet over is refused, naming its field.
        late = {"period_start": "2026-01-01", "period_end": "2027-01-01"}
        r = w.client.post(f"{BASE}/evaluations", headers=drc, json=late)
        assert r.status_code == 422 and r.json()["field"] == "period_end", r.text


def test_art8_api_integrity_is_recorded_by_the_drc_and_read_by_oversight_only(
    platform: Platform, api_world_data: WorldData
) -> None:
    w = reopen(platform, api_world_data)
    with clock.frozen(ON):
        operator, staff = _login(w, "operator"), _login(w, "staff")
        r = w.client.post(f"{BASE}/commitments", headers=operator, json=_commitment())
        assert r.status_code == 403, r.text
        assert w.client.get(f"{BASE}/dashboard", headers=staff).status_code == 403
        assert w.client.get(f"{BASE}/dashboard").status_code == 401
        # Art. 9: only an organ of state (USCC beginning 11) is registered.
        drc = _login(w, "drc")
        r = w.client.post(f"{BASE}/commitments", headers=drc, json=_commitment(body_uscc=uscc(55)))
        assert r.status_code == 422 and r.json()["field"] == "body_uscc", r.text
