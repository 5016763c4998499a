"""Art. 22 (D-18) every inquiry is logged truthfully in the transaction that reads; Art. 39 the
subject reads who inquired; D-26 confidential authority inquiries appear only as a count."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from httpx import Response

from pcip import clock
from pcip.inquiry.service import PUBLIC_DISPLAY, PUBLIC_INQUIRER
from pcip.kernel.platform import Platform
from tests.helpers import uscc
from tests.inquiry.support import log_count, log_entry, record_id, resubmit_pledge_a
from tests.world import BANK, World

AUTHORITY = "/api/v1/inquiries/authority"
HISTORY = "/api/v1/me/inquiries"
UNIT_NAME = "重庆市市场监督管理局"


def authority(world: World, role: str = "staff", **extra: Any) -> Response:
    return world.client.post(
        AUTHORITY,
        json={
            "subject": {"citizen_id": world.person_a},
            "purpose_code": "credit_check",
            "purpose": "资质审批前信用核查",
            **extra,
        },
        headers=world.auth(role),
    )


def grant(world: World, channels: list[str] | None = None) -> int:
    r = world.client.post(
        "/api/v1/me/authorizations",
        json={
            "grantee_uscc": BANK,
            "purpose": "个人经营贷款审批",
            "channels": channels or ["api"],
            "categories": [6],
            "valid_to": "2027-05-31",
        },
        headers=world.auth("subject_a"),
    )
    assert r.status_code == 201, r.text
    return int(r.json()["authorization_id"])


def history(world: World, who: str = "subject_a") -> dict[str, Any]:
    r = world.client.get(HISTORY, headers=world.auth(who))
    assert r.status_code == 200, r.text
    return dict(r.json())


def returned(records: list[dict[str, Any]]) -> list[list[int]]:
    return [[r["record_id"], r["version"]] for r in records]


def test_art22_public_person_lookup_writes_one_truthful_log_row(world: World) -> None:
    before = log_count(world.platform)
    r = world.client.post("/api/v1/public/persons", json={"citizen_id": world.person_a})
    assert r.status_code == 200
    assert log_count(world.platform) == before + 1
    e = log_entry(world.platform, r.json()["inquiry_id"])
    # No credential, on the API: the api channel (issue 14.6: not the caller's word).
    assert e["mode"] == "public_disclosure" and e["channel"] == "api"
    assert e["inquirer"] == PUBLIC_INQUIRER and e["inquirer_display"] == PUBLIC_DISPLAY
    assert e["purpose"] is None and e["authorization_id"] is None
    assert e["subject_id"] == world.subject_ids["subject_a"]
    assert e["returned"] == returned(r.json()["records"]) and e["returned_count"] == 1


def test_art22_public_organisation_page_writes_one_log_row(world: World) -> None:
    before = log_count(world.platform)
    r = world.client.get(f"/api/v1/public/organisations/{world.org_uscc}")
    assert log_count(world.platform) == before + 1
    e = log_entry(world.platform, r.json()["inquiry_id"])
    assert e["subject_id"] == world.subject_ids["org"]
    assert e["returned"] == returned(r.json()["records"])


def test_art22_public_lookup_of_person_with_nothing_public_is_still_logged(
    world: World,
) -> None:
    before = log_count(world.platform)
    r = world.client.post("/api/v1/public/persons", json={"citizen_id": world.person_b})
    assert r.json()["records"] == []
    assert log_count(world.platform) == before + 1
    entries = history(world, "subject_b")["entries"]
    assert [(e["mode"], e["records_returned"]) for e in entries] == [("public_disclosure", 0)]


def test_art22_authority_inquiry_log_row_names_unit_purpose_and_versions(world: World) -> None:
    before = log_count(world.platform)
    r = authority(world, as_of="2026-11-26")
    assert r.status_code == 200
    assert log_count(world.platform) == before + 1
    e = log_entry(world.platform, r.json()["inquiry_id"])
    assert e["mode"] == "authority" and e["channel"] == "api"
    assert e["purpose"] == "credit_check: 资质审批前信用核查"
    assert e["inquirer"].startswith("provider:") and e["inquirer_display"] == UNIT_NAME
    assert str(e["as_of"]) == "2026-11-26"
    assert e["returned"] == returned(r.json()["records"]) and e["returned_count"] == 2


def test_art22_authority_inquiry_by_unit_key_and_by_staff_are_told_apart(world: World) -> None:
    staff = log_entry(world.platform, authority(world, "staff").json()["inquiry_id"])
    key = log_entry(world.platform, authority(world, "unit_key").json()["inquiry_id"])
    assert staff["inquirer"] != key["inquirer"]
    assert "account:" in staff["inquirer"] and "account:" not in key["inquirer"]


def test_art22_log_records_the_version_returned(world: World) -> None:
    with clock.frozen("2026-11-26T11:00:00"):
        resubmit_pledge_a(world, pledge_matter="已变更的承诺事项")
        r = authority(world, items=["pledge_made"])
    rid = record_id(world.platform, world.subject_ids["subject_a"], "pledge_made")
    assert log_entry(world.platform, r.json()["inquiry_id"])["returned"] == [[rid, 2]]


def test_art22_authorized_inquiry_log_row_names_the_authorization(world: World) -> None:
    aid = grant(world)
    before = log_count(world.platform)
    r = world.client.post(
        "/api/v1/inquiries/authorized",
        json={"authorization_id": aid},
        headers=world.auth("grantee"),
    )
    assert r.status_code == 200
    assert log_count(world.platform) == before + 1
    e = log_entry(world.platform, r.json()["inquiry_id"])
    assert e["mode"] == "authorized" and e["authorization_id"] == aid
    assert e["purpose"] == "个人经营贷款审批"
    assert e["inquirer"] == f"grantee:{BANK}"
    assert e["inquirer_display"] == "重庆示例银行股份有限公司"
    assert e["returned"] == returned(r.json()["records"])


def test_art22_self_inquiry_is_logged(world: World) -> None:
    before = log_count(world.platform)
    r = world.client.get("/api/v1/me/records", headers=world.auth("subject_a"))
    assert log_count(world.platform) == before + 1
    e = log_entry(world.platform, r.json()["inquiry_id"])
    assert e["mode"] == "self" and e["subject_id"] == world.subject_ids["subject_a"]
    assert e["returned"] == returned(r.json()["records"])


def test_art22_reading_the_inquiry_history_or_searching_is_not_an_inquiry(world: World) -> None:
    before = log_count(world.platform)
    history(world)
    world.client.get("/api/v1/public/organisations", params={"q": "示例"})
    assert log_count(world.platform) == before


@pytest.mark.parametrize(
    "attempt",
    ["operator_authority", "grantee_authority", "anonymous_authority", "unknown_subject"],
)
def test_art22_refused_inquiry_writes_no_log_row(world: World, attempt: str) -> None:
    before = log_count(world.platform)
    if attempt == "operator_authority":
        assert authority(world, "operator").status_code == 403
    elif attempt == "grantee_authority":
        assert authority(world, "grantee").status_code == 403
    elif attempt == "anonymous_authority":
        r = world.client.post(
            AUTHORITY,
            json={
                "subject": {"citizen_id": world.person_a},
                "purpose_code": "credit_check",
                "purpose": "资质审批前信用核查",
            },
        )
        assert r.status_code == 401
    else:
        r = authority(world, subject={"uscc": uscc(953)})
        assert r.status_code == 404
    assert log_count(world.platform) == before


def test_art22_refused_authorized_inquiry_writes_no_log_row(world: World) -> None:
    aid = grant(world)
    web_only = grant(world, ["web"])
    before = log_count(world.platform)
    wrong_channel = world.client.post(
        "/api/v1/inquiries/authorized",
        json={"authorization_id": web_only},
        headers=world.auth("grantee"),
    )
    assert wrong_channel.status_code == 403 and wrong_channel.json()["field"] == "channel"
    world.client.delete(f"/api/v1/me/authorizations/{aid}", headers=world.auth("subject_a"))
    revoked = world.client.post(
        "/api/v1/inquiries/authorized",
        json={"authorization_id": aid},
        headers=world.auth("grantee"),
    )
    assert revoked.status_code == 403
    assert log_count(world.platform) == before


def test_art39_subject_reads_who_inquired_in_each_mode(world: World) -> None:
    world.client.post("/api/v1/public/persons", json={"citizen_id": world.person_a})
    authority(world)
    aid = grant(world)
    world.client.post(
        "/api/v1/inquiries/authorized",
        json={"authorization_id": aid},
        headers=world.auth("grantee"),
    )
    out = history(world)
    assert out["confidential"] == []
    by_mode = {e["mode"]: e for e in out["entries"]}
    assert set(by_mode) == {"public_disclosure", "authority", "authorized"}
    assert by_mode["public_disclosure"]["inquirer"] == PUBLIC_DISPLAY
    assert by_mode["public_disclosure"]["purpose"] is None
    assert by_mode["authority"]["inquirer"] == UNIT_NAME
    assert by_mode["authority"]["purpose"] == "credit_check: 资质审批前信用核查"
    assert by_mode["authority"]["records_returned"] == 2
    assert by_mode["authorized"]["inquirer"] == "重庆示例银行股份有限公司"
    assert by_mode["authorized"]["authorization_id"] == aid
    # Newest first.
    ids = [e["inquiry_id"] for e in out["entries"]]
    assert ids == sorted(ids, reverse=True)


def test_art39_subject_history_holds_only_inquiries_about_them(world: World) -> None:
    authority(world)
    world.client.post("/api/v1/public/persons", json={"citizen_id": world.person_b})
    assert [e["mode"] for e in history(world, "subject_b")["entries"]] == ["public_disclosure"]
    assert [e["mode"] for e in history(world, "subject_a")["entries"]] == ["authority"]
    assert history(world, "org")["entries"] == []


def test_d26_confidential_inquiry_shows_that_the_unit_inquired_and_when_only(
    world: World,
) -> None:
    """Issue 14.7, D-26: a confidential inquiry names a reason from the fixed list; the
    subject sees that the unit inquired and when, without mode, purpose or records."""
    authority(world)
    secret = authority(world, confidential_reason="supervision_investigation")
    assert secret.status_code == 200, secret.text
    authority(world, "unit_key", confidential_reason="criminal_investigation")
    out = history(world)
    entries = {e["inquiry_id"]: e for e in out["entries"]}
    assert len(entries) == 3
    withheld = entries[secret.json()["inquiry_id"]]
    assert withheld["withheld"] is True and withheld["inquirer"] == UNIT_NAME
    assert withheld["at"].startswith("2026-11-26")
    assert withheld["mode"] is None and withheld["purpose"] is None
    assert withheld["channel"] is None and withheld["records_returned"] is None
    assert [e["withheld"] for e in out["entries"]].count(False) == 1
    assert out["confidential"] == [{"inquirer": UNIT_NAME, "count": 2}]
    assert "监察法" not in str(out) and "资质审批" not in str(
        [e for e in out["entries"] if e["withheld"]]
    )
    e = log_entry(world.platform, secret.json()["inquiry_id"])
    # The log itself stays truthful: the reason and the provision it rests on.
    assert e["confidential_reason"] == "supervision_investigation"
    assert e["confidential_basis"] == "《中华人民共和国监察法》（2018年）第十八条"
    assert e["purpose"] == "credit_check: 资质审批前信用核查"


@pytest.mark.parametrize("reason", ["because I say so", "《监察法》第十八条", "secret"])
def test_d26_confidentiality_reason_must_come_from_the_fixed_list(
    world: World, reason: str
) -> None:
    before = log_count(world.platform)
    r = authority(world, confidential_reason=reason)
    assert r.status_code == 422, r.text
    assert r.json()["field"] == "confidential_reason"
    assert "supervision_investigation" in r.json()["message"]
    assert log_count(world.platform) == before


def test_d26_free_text_confidential_basis_is_no_longer_accepted(world: World) -> None:
    r = authority(world, confidential_basis="《监察法》第十八条")
    assert r.status_code == 422 and r.json()["field"] == "confidential_basis"


def test_d26_the_reasons_are_published_with_their_citations(world: World) -> None:
    r = world.client.get("/api/v1/inquiries/confidential-reasons")
    assert r.status_code == 200
    by_code = {x["code"]: x for x in r.json()}
    assert set(by_code) == {
        "criminal_investigation",
        "supervision_investigation",
        "administrative_penalty_investigation",
    }
    assert all("第" in x["citation"] and "条" in x["citation"] for x in r.json())
    # Issue 19.3: and in English, the law's official English title with the article.
    assert by_code["supervision_investigation"]["citation_en"] == (
        "Supervision Law of the People's Republic of China (2018), Art. 18"
    )
    assert all("Art. " in x["citation_en"] and "第" not in x["citation_en"] for x in r.json())


@pytest.mark.parametrize("role", ["staff", "operator", "grantee", "unit_key"])
def test_art39_inquiry_history_is_for_the_subject_only(world: World, role: str) -> None:
    assert world.client.get(HISTORY, headers=world.auth(role)).status_code == 403
    assert world.client.get(HISTORY).status_code == 401


def test_art39_public_lookup_by_a_signed_in_person_shows_a_member_of_the_public(
    world: World,
) -> None:
    r = world.client.post(
        "/api/v1/public/persons",
        json={"citizen_id": world.person_a},
        headers=world.auth("subject_b"),
    )
    assert r.status_code == 200
    entries = history(world)["entries"]
    assert [e["inquirer"] for e in entries] == [PUBLIC_DISPLAY]
    assert "王五" not in str(entries)


def test_art22_an_inquiry_whose_log_entry_fails_to_commit_is_never_answered(
    world: World,
) -> None:
    """The log entry commits before the answer leaves: when its commit fails, the caller gets
    an error, not the records.

    On PostgreSQL the database itself refuses the commit (a deferred constraint trigger, run at
    commit time); on SQLite the session's commit is refused."""
    from tests.client import TestClient

    before = log_count(world.platform)
    with _commit_refused(world.platform):
        client = TestClient(world.client.app, raise_server_exceptions=False)
        r = client.get(f"/api/v1/public/organisations/{world.org_uscc}")
    assert r.status_code == 500, r.text
    assert "records" not in r.json()
    assert log_count(world.platform) == before


@contextmanager
def _commit_refused(platform: Platform) -> Iterator[None]:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    if platform.engine.dialect.name == "postgresql":
        with platform.engine.begin() as conn:
            conn.exec_driver_sql(_REFUSE_AT_COMMIT)
        try:
            yield
        finally:
            with platform.engine.begin() as conn:
                conn.exec_driver_sql("DROP TRIGGER refuse_at_commit ON inquiry_log")
                conn.exec_driver_sql("DROP FUNCTION refuse_at_commit()")
        return

    def refuse(_session: Session) -> None:
        raise RuntimeError("the disk is full")

    event.listen(platform.sessions, "before_commit", refuse)
    try:
        yield
    finally:
        event.remove(platform.sessions, "before_commit", refuse)


_REFUSE_AT_COMMIT = """
CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'the disk is full'; END $$;
CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON inquiry_log
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_at_commit();
"""
