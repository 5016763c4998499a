"""Issue 14.6 (and 23.7), Art. 22: the channel of an inquiry is decided by the credential and
route that carried it, never by the caller's word (the ``X-PCIP-Channel`` header).

* a bearer credential (API key or session token) on ``/api``: ``api``;
* the web session cookie (portal and console pages, or a signed-in browser calling ``/api``):
  ``web``;
* ``desk``: staff registering at a service window through the console (objections,
  re-examinations); ``mobile``: no mobile client credential exists yet.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pcip.inquiry.models import Authorization, InquiryLog
from pcip.objections.models import Objection
from tests.inquiry.support import log_entry
from tests.web.support import browser, csrf_of, person_a
from tests.world import BANK, World


def last_log(world: World) -> InquiryLog:
    with world.platform.transaction() as s:
        entry = s.scalars(select(InquiryLog).order_by(InquiryLog.id.desc()).limit(1)).one()
        s.expunge(entry)
        return entry


def test_art22_bearer_credential_on_the_api_is_the_api_channel(world: World) -> None:
    r = world.client.get("/api/v1/me/records", headers=world.auth("subject_a"))
    assert r.status_code == 200
    assert log_entry(world.platform, r.json()["inquiry_id"])["channel"] == "api"


def test_art22_web_session_cookie_is_the_web_channel(world: World) -> None:
    b = person_a(world)
    token = csrf_of(b.client.get("/me").text)
    r = b.client.get("/api/v1/me/records")  # the browser's cookie, on the API
    assert r.status_code == 200, r.text
    assert log_entry(world.platform, r.json()["inquiry_id"])["channel"] == "web"
    page = b.client.get("/me/records")  # the portal's own page
    assert page.status_code == 200
    assert last_log(world).channel == "web"
    # Granting through the website records the web channel as the way it was granted.
    r = b.client.post(
        "/api/v1/me/authorizations",
        json={
            "grantee_uscc": BANK,
            "purpose": "个人经营贷款审批",
            "channels": ["api"],
            "categories": [6],
            "valid_to": "2027-05-31",
        },
        headers={"X-CSRF-Token": token},
    )
    assert r.status_code == 201, r.text
    with world.platform.transaction() as s:
        a = s.get(Authorization, r.json()["authorization_id"])
        assert a is not None and a.granted_via == "web"


def test_art22_public_portal_page_is_the_web_channel(world: World) -> None:
    r = browser(world.platform).get(f"/organisations/{world.org_uscc}")
    assert r.status_code == 200
    assert last_log(world).channel == "web" and last_log(world).mode == "public_disclosure"


@pytest.mark.parametrize("claimed", ["web", "desk", "mobile", "anything"])
def test_art22_a_header_contradicting_the_channel_is_refused(world: World, claimed: str) -> None:
    r = world.client.get(
        "/api/v1/me/records", headers={**world.auth("subject_a"), "X-PCIP-Channel": claimed}
    )
    assert r.status_code == 403, r.text
    assert r.json()["field"] == "X-PCIP-Channel"
    r = world.client.get(
        f"/api/v1/public/organisations/{world.org_uscc}", headers={"X-PCIP-Channel": claimed}
    )
    assert r.status_code == 403 and r.json()["field"] == "X-PCIP-Channel"


def test_art22_the_header_is_not_part_of_the_api_any_more(world: World) -> None:
    spec = world.client.get("/openapi.json").json()
    assert "X-PCIP-Channel" not in str(spec) and "x-pcip-channel" not in str(spec)


def test_art40_objection_filed_with_a_bearer_token_records_the_api_channel(
    world: World,
) -> None:
    records = world.client.get("/api/v1/me/records", headers=world.auth("subject_a")).json()
    rid = records["records"][0]["record_id"]
    r = world.client.post(
        "/api/v1/me/objections",
        data={"record_ids": [str(rid)], "ground": "error", "statement": "金额有误"},
        headers={**world.auth("subject_a"), "X-PCIP-Channel": "api"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["channel"] == "api"
    with world.platform.transaction() as s:
        o = s.get(Objection, r.json()["id"])
        assert o is not None and o.channel == "api"


def test_art40_staff_register_only_channels_an_application_can_arrive_by(world: World) -> None:
    records = world.client.get("/api/v1/me/records", headers=world.auth("subject_a")).json()
    rid = records["records"][0]["record_id"]
    filing = {
        "subject_id": str(world.subject_ids["subject_a"]),
        "record_ids": [str(rid)],
        "ground": "error",
        "statement": "金额有误",
        "applicant": "张三",
    }
    for channel in ("web", "api", "mobile"):
        r = world.client.post(
            "/api/v1/objections",
            data={**filing, "channel": channel},
            headers=world.auth("operator"),
        )
        assert r.status_code == 422 and r.json()["field"] == "channel", channel
