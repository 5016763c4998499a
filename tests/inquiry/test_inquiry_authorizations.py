"""Art. 22 authorized inquiry and Art. 39 authorizations: one organisation, a purpose, channels,
a scope and a validity; separate and revocable at once, other services unaffected (Art. 39b)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from httpx import Response
from sqlalchemy import func, select

from pcip import clock
from pcip.auth import service as auth
from pcip.inquiry.models import Authorization, InquiryLog
from tests.helpers import uscc
from tests.inquiry.support import by_item
from tests.world import ACTOR, BANK, SECRET_A, SECRET_B, World

MINE = "/api/v1/me/authorizations"
INQUIRE = "/api/v1/inquiries/authorized"
OTHER_BANK = uscc(951)


def grant(world: World, who: str | None = "subject_a", **changes: Any) -> Response:
    body: dict[str, Any] = {
        "grantee_uscc": BANK,
        "purpose": "个人经营贷款审批 (business loan assessment)",
        "channels": ["api"],
        "categories": [6],
        "valid_to": "2027-05-31",
    }
    for k, v in changes.items():
        if v is None:
            body.pop(k, None)
        else:
            body[k] = v
    return world.client.post(MINE, json=body, headers=world.auth(who))


def granted(world: World, who: str = "subject_a", **changes: Any) -> int:
    r = grant(world, who, **changes)
    assert r.status_code == 201, r.text
    return int(r.json()["authorization_id"])


def inquire(world: World, authorization_id: int, role: str = "grantee", **headers: str) -> Response:
    return world.client.post(
        INQUIRE,
        json={"authorization_id": authorization_id},
        headers={**world.auth(role), **headers},
    )


def other_grantee_key(world: World) -> str:
    with world.platform.transaction() as s:
        other = auth.add_grantee(s, ACTOR, OTHER_BANK, "重庆另一银行股份有限公司")
        return auth.create_grantee_key(s, ACTOR, other, "test").token


def test_art22_grant_is_listed_for_the_subject_and_the_grantee(world: World) -> None:
    r = grant(world)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["status"] == "active" and out["revoked_at"] is None
    assert out["grantee_uscc"] == BANK and out["grantee_name"] == "重庆示例银行股份有限公司"
    assert out["channels"] == ["api"] and out["categories"] == [6] and out["items"] == []
    assert out["valid_from"] == "2026-11-26" and out["valid_to"] == "2027-05-31"
    assert out["subject_id"] == world.subject_ids["subject_a"]

    listed = world.client.get(MINE, headers=world.auth("subject_a")).json()
    assert [a["authorization_id"] for a in listed] == [out["authorization_id"]]
    received = world.client.get("/api/v1/grantee/authorizations", headers=world.auth("grantee"))
    assert received.status_code == 200
    assert [a["authorization_id"] for a in received.json()] == [out["authorization_id"]]


def test_art22_authorized_inquiry_returns_authorized_class_within_scope(world: World) -> None:
    aid = granted(world)
    r = inquire(world, aid)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["mode"] == "authorized"
    assert out["subject"]["subject_id"] == world.subject_ids["subject_a"]
    records = by_item(out["records"])
    assert set(records) == {"pledge_made"}  # category 6 only: the penalty (2) is out of scope
    assert records["pledge_made"]["fields"]["pledge_type"] == SECRET_A
    assert SECRET_B not in r.text


def test_art22_authorized_inquiry_scope_by_item(world: World) -> None:
    aid = granted(world, categories=None, items=["admin_penalty"])
    r = inquire(world, aid)
    assert [x["item_code"] for x in r.json()["records"]] == ["admin_penalty"]
    assert SECRET_A not in r.text


def test_art22_authorized_inquiry_refused_on_a_channel_not_covered(world: World) -> None:
    # An API key on the API is the api channel: an authorization for the website only does
    # not cover it (Art. 22: the agreed channels).
    aid = granted(world, channels=["web"])
    r = inquire(world, aid)
    assert r.status_code == 403, r.text
    assert r.json()["field"] == "channel" and "the api channel" in r.json()["message"]
    assert SECRET_A not in r.text


def test_art22_authorized_inquiry_allowed_on_a_covered_second_channel(world: World) -> None:
    aid = granted(world, channels=["mobile", "api"])
    assert inquire(world, aid).status_code == 200


@pytest.mark.parametrize("claimed", ["desk", "DESK", "web", "mobile"])
def test_art22_issue14_6_desk_only_authorization_cannot_be_used_by_claiming_desk(
    world: World, claimed: str
) -> None:
    """Issue 14.6 / 23.7: the channel is decided by the credential and route (a bank's API key
    on the API is ``api``), not by the X-PCIP-Channel header the caller writes."""
    aid = granted(world, channels=["desk"])
    with world.platform.transaction() as s:
        logged = s.scalar(select(func.count()).select_from(InquiryLog))
    r = inquire(world, aid, **{"X-PCIP-Channel": claimed})
    assert r.status_code == 403, r.text
    assert r.json()["field"] == "X-PCIP-Channel" and "api channel" in r.json()["message"]
    assert SECRET_A not in r.text
    without_claim = inquire(world, aid)
    assert without_claim.status_code == 403 and without_claim.json()["field"] == "channel"
    with world.platform.transaction() as s:
        assert s.scalar(select(func.count()).select_from(InquiryLog)) == logged


def test_art22_issue14_6_a_header_naming_the_true_channel_changes_nothing(world: World) -> None:
    aid = granted(world)
    r = inquire(world, aid, **{"X-PCIP-Channel": "api"})
    assert r.status_code == 200, r.text


def test_art22_authorized_inquiry_allowed_on_last_day_refused_after_expiry(
    world: World,
) -> None:
    aid = granted(world)
    with clock.frozen("2027-05-31T23:59:00"):
        assert inquire(world, aid).status_code == 200
    with clock.frozen("2027-06-01T00:00:00"):
        r = inquire(world, aid)
        assert r.status_code == 403
        assert r.json()["field"] == "authorization_id" and "expired" in r.json()["message"]
        assert SECRET_A not in r.text
        listed = world.client.get("/api/v1/grantee/authorizations", headers=world.auth("grantee"))
        assert listed.json()[0]["status"] == "expired"


def test_art22_authorized_inquiry_refused_before_valid_from(world: World) -> None:
    aid = granted(world, valid_from="2026-12-01")
    r = inquire(world, aid)
    assert r.status_code == 403 and "not yet valid" in r.json()["message"]
    with clock.frozen("2026-12-01T08:00:00"):
        assert inquire(world, aid).status_code == 200


def test_art39b_revocation_blocks_authorized_inquiry_other_services_keep_working(
    world: World,
) -> None:
    aid = granted(world)
    assert inquire(world, aid).status_code == 200
    r = world.client.delete(f"{MINE}/{aid}", headers=world.auth("subject_a"))
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "revoked" and r.json()["revoked_at"] is not None

    refused = inquire(world, aid)
    assert refused.status_code == 403 and "revoked" in refused.json()["message"]
    assert SECRET_A not in refused.text
    for url in ("/api/v1/me/records", "/api/v1/me/inquiries", MINE):
        assert world.client.get(url, headers=world.auth("subject_a")).status_code == 200, url
    # A new, separate authorization works again.
    assert inquire(world, granted(world)).status_code == 200


def test_art39_revoking_twice_is_harmless(world: World) -> None:
    aid = granted(world)
    first = world.client.delete(f"{MINE}/{aid}", headers=world.auth("subject_a")).json()
    again = world.client.delete(f"{MINE}/{aid}", headers=world.auth("subject_a"))
    assert again.status_code == 200
    assert datetime.fromisoformat(again.json()["revoked_at"]) == datetime.fromisoformat(
        first["revoked_at"]
    )


def test_art39_another_subject_cannot_see_or_revoke_an_authorization(world: World) -> None:
    aid = granted(world)
    r = world.client.delete(f"{MINE}/{aid}", headers=world.auth("subject_b"))
    assert r.status_code == 404 and r.json()["field"] == "authorization_id"
    assert world.client.get(MINE, headers=world.auth("subject_b")).json() == []
    assert inquire(world, aid).status_code == 200  # still in force


def test_art22_grant_to_an_unregistered_grantee_is_404(world: World) -> None:
    r = grant(world, grantee_uscc=uscc(952))
    assert r.status_code == 404 and r.json()["field"] == "grantee"


def test_art22_grant_to_a_malformed_uscc_is_422(world: World) -> None:
    r = grant(world, grantee_uscc="not-a-uscc")
    assert r.status_code == 422


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"categories": None}, "items"),
        ({"categories": [], "items": []}, "items"),
        ({"categories": [9]}, "categories"),
        ({"categories": None, "items": ["no_such_item"]}, "items"),
        ({"valid_from": "2027-01-10", "valid_to": "2027-01-09"}, "valid_to"),
        ({"valid_from": "2026-11-25"}, "valid_from"),
        ({"valid_to": "2030-12-31"}, "valid_to"),
        ({"channels": []}, "channels"),
        ({"channels": ["fax"]}, "channels.0"),
        ({"purpose": "abc"}, "purpose"),
    ],
)
def test_art22_grant_refuses_an_incomplete_or_unbounded_authorization(
    world: World, changes: dict[str, Any], field: str
) -> None:
    r = grant(world, **changes)
    assert r.status_code == 422, r.text
    assert r.json()["field"] == field
    assert world.client.get(MINE, headers=world.auth("subject_a")).json() == []


def test_art22_another_grantee_cannot_use_the_authorization(world: World) -> None:
    aid = granted(world)
    token = other_grantee_key(world)
    r = world.client.post(
        INQUIRE, json={"authorization_id": aid}, headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 404 and r.json()["field"] == "authorization_id"
    assert SECRET_A not in r.text
    others = world.client.get(
        "/api/v1/grantee/authorizations", headers={"Authorization": f"Bearer {token}"}
    )
    assert others.json() == []


def test_art22_unknown_authorization_is_404(world: World) -> None:
    assert inquire(world, 9999).status_code == 404


@pytest.mark.parametrize("role", ["staff", "unit_key", "operator", "drc", "subject_a"])
def test_art22_only_grantees_make_authorized_inquiries(world: World, role: str) -> None:
    aid = granted(world)
    r = inquire(world, aid, role=role)
    assert r.status_code == 403 and SECRET_A not in r.text


def test_art22_anonymous_authorized_inquiry_is_401(world: World) -> None:
    aid = granted(world)
    r = world.client.post(INQUIRE, json={"authorization_id": aid})
    assert r.status_code == 401


@pytest.mark.parametrize(
    ("role", "status"),
    [("grantee", 403), ("staff", 403), ("operator", 403), ("unit_key", 403), (None, 401)],
)
def test_art39_only_subjects_grant_authorizations(
    world: World, role: str | None, status: int
) -> None:
    r = grant(world, role)
    assert r.status_code == status, r.text
    with world.platform.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Authorization)) == 0


def test_art39_organisation_subject_can_authorize_too(world: World) -> None:
    aid = granted(world, "org")
    r = inquire(world, aid)
    assert r.status_code == 200
    assert r.json()["subject"]["identifier"] == world.org_uscc
    assert [x["item_code"] for x in r.json()["records"]] == ["pledge_made"]


def test_art22_grantee_without_authorization_gets_only_public_information(world: World) -> None:
    assert (
        world.client.get("/api/v1/grantee/authorizations", headers=world.auth("grantee")).json()
        == []
    )
    r = world.client.post(
        "/api/v1/public/persons",
        json={"citizen_id": world.person_a},
        headers=world.auth("grantee"),
    )
    assert r.status_code == 200
    assert [x["item_code"] for x in r.json()["records"]] == ["admin_penalty"]
    assert SECRET_A not in r.text
