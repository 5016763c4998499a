"""The change-proposal API (SM-4, SM-5; Art. 17-18, 35-36): a department's proposal walked from
submission to publication over HTTP, a comment from anyone, and refused steps naming their
field. Every answer comes from ``pcip.governance.service``."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from pcip import clock
from pcip.governance import rules
from pcip.kernel.platform import Platform
from tests.governance.support import CITATION, new_item
from tests.world import PASSWORD, World, WorldData, reopen

#: The world's day; the 30-day comment period then runs to 25 Dec.
START = date(2026, 11, 26)
BASE = "/api/v1/proposals"


def _login(w: World, user: str) -> dict[str, str]:
    """A fresh session under the frozen clock (the world's own may have expired)."""
    r = w.client.post("/api/v1/auth/login", json={"username": user, "password": PASSWORD})
    assert r.status_code == 200, r.text
    w.client.cookies.clear()  # the bearer token only: other calls stay anonymous
    return {"Authorization": f"Bearer {r.json()['token']}"}


def _body(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "catalog",
        "action": "add",
        "item_code": "cq_green_certification",
        "item": new_item(),
        "title": "增补绿色认证信息",
        "rationale": "支持绿色发展领域信用监管",
        "citation": CITATION,
    }
    body.update(over)
    return body


def _open(w: World) -> tuple[int, dict[str, str], dict[str, str]]:
    """A proposal drafted, submitted, screened and opened for comment on ``START``."""
    staff, drc = _login(w, "staff"), _login(w, "drc")
    r = w.client.post(BASE, headers=staff, json=_body())
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    assert r.json()["state"] == "draft"
    r = w.client.post(f"{BASE}/{pid}/submission", headers=staff)
    assert r.status_code == 200 and r.json()["state"] == "submitted", r.text
    r = w.client.post(f"{BASE}/{pid}/screening", headers=drc)
    assert r.status_code == 200, r.text
    assert r.json()["problems"] == [] and r.json()["proposal"]["state"] == "screened"
    r = w.client.post(f"{BASE}/{pid}/consultation", headers=drc, json={"days": 30})
    assert r.status_code == 200 and r.json()["state"] == "consultation", r.text
    assert len(r.json()["invited_groups"]) == len(rules.group_codes())
    return pid, staff, drc


def test_art17_api_proposal_from_submission_to_published(
    platform: Platform, api_world_data: WorldData
) -> None:
    w = reopen(platform, api_world_data)
    with clock.frozen(START):
        staff = _login(w, "staff")
        draft = w.client.post(BASE, headers=staff, json=_body(item_code="cq_other_item")).json()
        # A draft is the department's: the public is told it does not exist.
        assert w.client.get(f"{BASE}/{draft['id']}").status_code == 404
        pid, staff, drc = _open(w)
        listed = w.client.get(BASE).json()
        assert [p["id"] for p in listed] == [pid]  # the public: open for comment or decided
        assert {p["id"] for p in w.client.get(BASE, headers=drc).json()} == {pid, draft["id"]}
        public = w.client.get(f"{BASE}/{pid}").json()
        assert [(d["change"], d["code"]) for d in public["diff"]] == [
            ("added", "cq_green_certification")
        ]
        assert public["history"] == []
        r = w.client.post(
            f"{BASE}/{pid}/comments",
            json={"group": "public", "author": "市民", "body": "建议明确认证机构范围"},
        )
        assert r.status_code == 201 and r.json()["moderation"] == "pending", r.text
        cid = r.json()["id"]
        assert w.client.get(f"{BASE}/{pid}").json()["comments"] == []  # not before moderation
        r = w.client.post(
            f"/api/v1/proposal-comments/{cid}/moderation", headers=drc, json={"show": True}
        )
        assert r.status_code == 200 and r.json()["moderation"] == "shown", r.text
        r = w.client.post(
            f"/api/v1/proposal-comments/{cid}/answer",
            headers=drc,
            json={"answer": "已采纳，限于依法设立的认证机构"},
        )
        assert r.status_code == 200, r.text
    after = START + timedelta(days=rules.rules().comment_days)
    with clock.frozen(after):
        drc = _login(w, "drc")
        for step, body in (
            ("consultation/close", None),
            ("mpg-submission", None),
            (
                "decision",
                {
                    "approved": True,
                    "number": "渝府〔2026〕88号",
                    "issuer": "重庆市人民政府",
                    "decided_on": after.isoformat(),
                },
            ),
            ("publication", {"version": "2026.1", "effective_from": str(after + timedelta(10))}),
        ):
            r = w.client.post(f"{BASE}/{pid}/{step}", headers=drc, json=body)
            assert r.status_code == 200, (step, r.text)
        assert r.json()["state"] == "published" and r.json()["published_version"] == "2026.1"
        public = w.client.get(f"{BASE}/{pid}").json()
        assert public["approval_number"] == "渝府〔2026〕88号"
        assert [c["answer"] for c in public["comments"]] == ["已采纳，限于依法设立的认证机构"]
        assert [d["code"] for d in public["diff"]] == ["cq_green_certification"]
        full = w.client.get(f"{BASE}/{pid}", headers=drc).json()
        assert [e["to_state"] for e in full["history"]][-1] == "published"


def test_art17_api_anyone_comments_and_only_shown_comments_are_public(
    platform: Platform, api_world_data: WorldData
) -> None:
    w = reopen(platform, api_world_data)
    with clock.frozen(START):
        pid, _, drc = _open(w)
        person = w.auth("subject_a")
        ids = []
        for headers, group in (
            ({}, "public"),
            (person, "public"),
            (w.auth("org"), "market_entities"),
        ):
            body = {"group": group, "body": "建议明确认证机构范围"}
            r = w.client.post(f"{BASE}/{pid}/comments", headers=headers, json=body)
            assert r.status_code == 201, r.text
            ids.append(r.json()["id"])
        assert w.client.get(f"{BASE}/{pid}").json()["comments"] == []
        assert len(w.client.get(f"{BASE}/{pid}", headers=drc).json()["comments"]) == 3
        r = w.client.post(
            f"/api/v1/proposal-comments/{ids[0]}/moderation",
            headers=drc,
            json={"show": False, "reason": "与本提案无关"},
        )
        assert r.status_code == 200 and r.json()["moderation"] == "hidden", r.text
        w.client.post(
            f"/api/v1/proposal-comments/{ids[1]}/moderation", headers=drc, json={"show": True}
        )
        assert [c["id"] for c in w.client.get(f"{BASE}/{pid}").json()["comments"]] == [ids[1]]


def test_art17_api_refused_steps_name_their_field(
    platform: Platform, api_world_data: WorldData
) -> None:
    w = reopen(platform, api_world_data)
    with clock.frozen(START):
        staff, drc = _login(w, "staff"), _login(w, "drc")
        # Art. 17, 35: no submission without the local-regulation provision.
        pid = w.client.post(BASE, headers=staff, json=_body(citation="")).json()["id"]
        r = w.client.post(f"{BASE}/{pid}/submission", headers=staff)
        assert r.status_code == 422 and r.json()["field"] == "citation", r.text
        # The D&R department's steps are not the department's.
        r = w.client.post(f"{BASE}/{pid}/screening", headers=staff)
        assert r.status_code == 403, r.text
        assert w.client.post(f"{BASE}/{pid}/screening").status_code == 401
        pid, _ = _open_second(w)
        # A comment names a stakeholder group of the seven.
        r = w.client.post(f"{BASE}/{pid}/comments", json={"group": "martians", "body": "好的建议"})
        assert r.status_code == 422 and r.json()["field"] == "group", r.text
        # Art. 17: the period is at least the minimum; the state machine names the state.
        r = w.client.post(f"{BASE}/{pid}/consultation/close", headers=drc)
        assert r.status_code == 409 and r.json()["field"] == "state", r.text
        r = w.client.post(f"{BASE}/{pid}/decision", headers=drc, json={"approved": True})
        assert r.status_code in (409, 422) and r.json()["field"] in ("number", "state"), r.text
        # A hidden comment keeps its reason.
        cid = w.client.post(
            f"{BASE}/{pid}/comments", json={"group": "public", "body": "无关内容"}
        ).json()["id"]
        r = w.client.post(
            f"/api/v1/proposal-comments/{cid}/moderation", headers=drc, json={"show": False}
        )
        assert r.status_code == 422 and r.json()["field"] == "reason", r.text


def _open_second(w: World) -> tuple[int, dict[str, str]]:
    staff, drc = _login(w, "staff"), _login(w, "drc")
    body = _body(item_code="cq_second_item", item=new_item("cq_second_item"))
    pid = w.client.post(BASE, headers=staff, json=body).json()["id"]
    w.client.post(f"{BASE}/{pid}/submission", headers=staff)
    assert w.client.post(f"{BASE}/{pid}/screening", headers=drc).json()["problems"] == []
    r = w.client.post(f"{BASE}/{pid}/consultation", headers=drc, json={"days": 5})
    assert r.status_code == 422 and r.json()["field"] == "days", r.text
    assert w.client.post(f"{BASE}/{pid}/consultation", headers=drc).status_code == 200
    return pid, staff
