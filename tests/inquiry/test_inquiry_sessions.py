"""Art. 27: who may read credit information is established securely: staff passwords (failures
audited), real-name assertions used once, sessions that end, and CSRF for cookie sessions."""

from __future__ import annotations

import pytest

from pcip import clock
from pcip.auth.api import SESSION_COOKIE
from tests.inquiry.support import audit_events
from tests.world import BANK, PASSWORD, World

LOGIN = "/api/v1/auth/login"
ME = "/api/v1/auth/me"
GRANT = {
    "grantee_uscc": BANK,
    "purpose": "个人经营贷款审批",
    "channels": ["web"],
    "categories": [6],
    "valid_to": "2027-05-31",
}


def assertion(world: World) -> str:
    r = world.client.post(
        "/dev-idp/assertions",
        json={"name": "张三", "id_type": "citizen_id", "id_number": world.person_a},
    )
    assert r.status_code == 200, r.text
    return str(r.json()["assertion"])


def test_art27_wrong_password_is_401_and_the_failure_is_audited(world: World) -> None:
    before = len(audit_events(world.platform, "account.sign_in_failed"))
    r = world.client.post(LOGIN, json={"username": "staff", "password": "not the password"})
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"
    assert "token" not in r.json()
    assert SESSION_COOKIE not in r.cookies
    events = audit_events(world.platform, "account.sign_in_failed")
    assert len(events) == before + 1
    assert "not the password" not in str(events[-1].details)


def test_art27_unknown_user_gets_the_same_answer_as_a_wrong_password(world: World) -> None:
    wrong = world.client.post(LOGIN, json={"username": "staff", "password": "not the password"})
    unknown = world.client.post(LOGIN, json={"username": "nobody", "password": "whatever it is"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()


def test_art27_username_is_case_insensitive_password_is_not(world: World) -> None:
    assert world.client.post(LOGIN, json={"username": "STAFF", "password": PASSWORD}).is_success
    r = world.client.post(LOGIN, json={"username": "staff", "password": PASSWORD.upper()})
    assert r.status_code == 401


def test_art27_logout_ends_the_session(world: World) -> None:
    r = world.client.post(LOGIN, json={"username": "staff", "password": PASSWORD})
    token = r.json()["token"]
    world.client.cookies.clear()
    headers = {"Authorization": f"Bearer {token}"}
    assert world.client.get(ME, headers=headers).json()["role"] == "provider"
    assert world.client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    after = world.client.get(ME, headers=headers)
    assert after.status_code == 401 and after.json()["code"] == "unauthorized"
    assert audit_events(world.platform, "session.end")
    # Other sessions of the same account are not affected.
    assert world.client.get(ME, headers=world.auth("staff")).json()["role"] == "provider"


def test_art27_subject_logout_ends_subject_access(world: World) -> None:
    headers = world.auth("subject_a")
    assert world.client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert world.client.get("/api/v1/me/records", headers=headers).status_code == 401


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "pcip_ss_",
        "pcip_ss_forged-session-secret",
        "pcip_gk_0000_forged",
        "pcip_pk_0000_forged",
        "pcip_gk_",
    ],
)
def test_art27_forged_or_garbage_bearer_token_is_401(world: World, token: str) -> None:
    r = world.client.get(ME, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"
    assert r.headers["www-authenticate"] == "Bearer"


def test_art27_a_forged_bearer_is_not_downgraded_to_anonymous_public_access(
    world: World,
) -> None:
    r = world.client.post(
        "/api/v1/public/persons",
        json={"citizen_id": world.person_a},
        headers={"Authorization": "Bearer pcip_ss_forged"},
    )
    assert r.status_code == 401


def test_art27_an_assertion_is_used_only_once(world: World) -> None:
    token = assertion(world)
    first = world.client.post("/api/v1/auth/subject", json={"assertion": token})
    assert first.status_code == 200
    world.client.cookies.clear()
    again = world.client.post("/api/v1/auth/subject", json={"assertion": token})
    assert again.status_code == 401
    assert again.json()["field"] == "assertion"
    assert "token" not in again.json()


def test_art27_a_tampered_assertion_is_refused(world: World) -> None:
    head, body, sig = assertion(world).split(".")
    forged = f"{head}.{body}.{sig[:-4]}AAAA"
    r = world.client.post("/api/v1/auth/subject", json={"assertion": forged})
    assert r.status_code == 401 and r.json()["field"] == "assertion"


def test_art27_cookie_session_post_without_csrf_token_is_refused(world: World) -> None:
    r = world.client.post("/api/v1/auth/subject", json={"assertion": assertion(world)})
    assert r.status_code == 200
    assert world.client.cookies.get(SESSION_COOKIE)
    refused = world.client.post("/api/v1/me/authorizations", json=GRANT)
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden" and refused.json()["field"] == "csrf"
    wrong = world.client.post(
        "/api/v1/me/authorizations", json=GRANT, headers={"X-CSRF-Token": "not-the-token"}
    )
    assert wrong.status_code == 403 and wrong.json()["field"] == "csrf"
    listed = world.client.get("/api/v1/me/authorizations")  # safe methods need no token
    assert listed.status_code == 200 and listed.json() == []


def test_art27_cookie_session_post_with_csrf_token_is_allowed(world: World) -> None:
    r = world.client.post("/api/v1/auth/subject", json={"assertion": assertion(world)})
    csrf = r.json()["csrf_token"]
    ok = world.client.post("/api/v1/me/authorizations", json=GRANT, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 201, ok.text
    assert ok.json()["subject_id"] == world.subject_ids["subject_a"]
    assert ok.json()["channels"] == ["web"]


def test_art27_cookie_session_logout_needs_the_csrf_token_too(world: World) -> None:
    r = world.client.post("/api/v1/auth/subject", json={"assertion": assertion(world)})
    csrf = r.json()["csrf_token"]
    assert world.client.post("/api/v1/auth/logout").status_code == 403
    assert world.client.get("/api/v1/me/records").status_code == 200
    out = world.client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf})
    assert out.status_code == 204
    world.client.cookies.set(SESSION_COOKIE, r.json()["token"])
    # The ended session no longer signs anyone in: the cookie browses as the public does.
    assert world.client.get("/api/v1/me/records").status_code == 401


def test_art27_bearer_requests_need_no_csrf_token(world: World) -> None:
    r = world.client.post("/api/v1/me/authorizations", json=GRANT, headers=world.auth("subject_a"))
    assert r.status_code == 201, r.text


def test_art27_session_expires_after_the_configured_hours(world: World) -> None:
    # Signed in at 10:00 on the world's day; sessions last eight hours by default.
    with clock.frozen("2026-11-26T17:59:59"):
        assert world.client.get(ME, headers=world.auth("staff")).status_code == 200
        assert world.client.get("/api/v1/me/records", headers=world.auth("subject_a")).is_success
    with clock.frozen("2026-11-26T18:00:00"):
        assert world.client.get(ME, headers=world.auth("staff")).status_code == 401
        assert (
            world.client.get("/api/v1/me/records", headers=world.auth("subject_a")).status_code
            == 401
        )
        # API keys do not expire with sessions.
        assert world.client.get(ME, headers=world.auth("unit_key")).status_code == 200
