"""Art. 22 and 39 real-name self inquiry: every own record with its status in each mode, its
provenance and history; D-6 records no longer provided still listed; Art. 41 labels; D-8."""

from __future__ import annotations

from typing import Any

from pcip import clock
from tests.inquiry.support import (
    add_event,
    by_item,
    pledge_row_a,
    record_id,
    resubmit_pledge_a,
)
from tests.world import SECRET_A, SECRET_B, TODAY, World, sign_in_subject

URL = "/api/v1/me/records"


def mine(world: World, who: str = "subject_a") -> dict[str, Any]:
    r = world.client.get(URL, headers=world.auth(who))
    assert r.status_code == 200, r.text
    return dict(r.json())


def codes(status: dict[str, Any]) -> list[str]:
    return [reason["code"] for reason in status["reasons"]]


def test_art39_self_view_lists_every_own_record_with_status_per_mode(world: World) -> None:
    out = mine(world)
    assert out["mode"] == "self" and out["subject"]["name"] == "张三"
    records = by_item(out["records"])
    assert set(records) == {"admin_penalty", "pledge_made"}
    penalty, pledge = records["admin_penalty"], records["pledge_made"]
    assert set(penalty["disclosure"]) == {"public_disclosure", "authorized", "authority"}
    assert penalty["disclosure"]["public_disclosure"]["visible"] is True
    assert pledge["disclosure"]["public_disclosure"]["visible"] is False
    assert "disclosure_class" in codes(pledge["disclosure"]["public_disclosure"])
    assert pledge["disclosure"]["authorized"]["visible"] is True
    assert pledge["disclosure"]["authority"]["visible"] is True
    assert pledge["fields"]["pledge_type"] == SECRET_A  # own data, in full


def test_art39a_self_view_shows_provenance_and_history(world: World) -> None:
    records = by_item(mine(world)["records"])
    for rec in records.values():
        prov = rec["provenance"]
        assert prov["provider_name"] == "重庆市市场监督管理局"
        assert prov["batch_id"] is not None
        assert [v["version"] for v in rec["history"]] == [1]
        assert rec["history"][0]["batch_id"] == prov["batch_id"]
        assert rec["history"][0]["changes"] == []
    assert (
        records["admin_penalty"]["provenance"]["batch_id"]
        != (records["pledge_made"]["provenance"]["batch_id"])
    )


def test_art39_self_view_never_shows_another_subjects_records(world: World) -> None:
    r = world.client.get(URL, headers=world.auth("subject_a"))
    assert SECRET_B not in r.text
    r = world.client.get(URL, headers=world.auth("subject_b"))
    assert SECRET_A not in r.text and SECRET_B in r.text
    assert [x["item_code"] for x in r.json()["records"]] == ["pledge_made"]


def test_art39_organisation_signed_in_sees_its_own_records(world: World) -> None:
    out = mine(world, "org")
    assert out["subject"]["identifier"] == world.org_uscc
    assert set(by_item(out["records"])) == {"admin_penalty", "pledge_made"}


def test_art39a_new_version_shows_old_and_new_value_in_history(world: World) -> None:
    with clock.frozen("2026-11-26T11:00:00"):
        resubmit_pledge_a(world, pledge_matter="已变更的承诺事项")
        pledge = by_item(mine(world)["records"])["pledge_made"]
    assert pledge["version"] == 2
    assert pledge["fields"]["pledge_matter"] == "已变更的承诺事项"
    history = pledge["history"]
    assert [v["version"] for v in history] == [1, 2]
    assert history[0]["changes"] == []
    assert history[1]["batch_id"] == pledge["provenance"]["batch_id"]
    assert history[1]["reason"]
    changed = {c["field"]: c for c in history[1]["changes"]}
    assert set(changed) == {"pledge_matter"}
    assert changed["pledge_matter"]["old"] == pledge_row_a(world)["pledge_matter"]
    assert changed["pledge_matter"]["new"] == "已变更的承诺事项"


def test_d6_provision_stopped_record_hidden_publicly_but_listed_to_its_subject(
    world: World,
) -> None:
    rid = record_id(world.platform, world.subject_ids["subject_a"], "admin_penalty")
    add_event(world.platform, rid, "provision_stopped", TODAY)

    public = world.client.post("/api/v1/public/persons", json={"citizen_id": world.person_a})
    assert public.status_code == 200
    assert public.json()["records"] == []
    authority = world.client.post(
        "/api/v1/inquiries/authority",
        json={
            "subject": {"citizen_id": world.person_a},
            "purpose_code": "credit_check",
            "purpose": "permit check",
        },
        headers=world.auth("staff"),
    )
    assert [x["item_code"] for x in authority.json()["records"]] == ["pledge_made"]

    penalty = by_item(mine(world)["records"])["admin_penalty"]
    assert "provision_stopped" in penalty["labels"]
    for mode in ("public_disclosure", "authorized", "authority"):
        assert penalty["disclosure"][mode]["visible"] is False
        assert "provision_stopped" in codes(penalty["disclosure"][mode])


def test_d6_provision_stopped_tomorrow_is_still_provided_today(world: World) -> None:
    from datetime import timedelta

    rid = record_id(world.platform, world.subject_ids["subject_a"], "admin_penalty")
    add_event(world.platform, rid, "provision_stopped", TODAY + timedelta(days=1))
    public = world.client.post("/api/v1/public/persons", json={"citizen_id": world.person_a})
    assert [x["item_code"] for x in public.json()["records"]] == ["admin_penalty"]
    with clock.frozen("2026-11-27T10:00:00"):
        public = world.client.post("/api/v1/public/persons", json={"citizen_id": world.person_a})
        assert public.json()["records"] == []


def test_art41_record_under_objection_stays_public_with_label(world: World) -> None:
    rid = record_id(world.platform, world.subject_ids["subject_a"], "admin_penalty")
    add_event(world.platform, rid, "objection_label_on", TODAY)

    public = world.client.post("/api/v1/public/persons", json={"citizen_id": world.person_a})
    records = by_item(public.json()["records"])
    assert set(records) == {"admin_penalty"}
    assert records["admin_penalty"]["labels"] == ["under_objection"]

    penalty = by_item(mine(world)["records"])["admin_penalty"]
    assert "under_objection" in penalty["labels"]
    assert penalty["disclosure"]["public_disclosure"]["visible"] is True


def test_art42_objection_label_off_removes_the_label(world: World) -> None:
    from datetime import timedelta

    rid = record_id(world.platform, world.subject_ids["subject_a"], "admin_penalty")
    add_event(world.platform, rid, "objection_label_on", TODAY - timedelta(days=1))
    add_event(world.platform, rid, "objection_label_off", TODAY - timedelta(days=1))
    with clock.frozen("2026-11-27T10:00:00"):
        public = world.client.post("/api/v1/public/persons", json={"citizen_id": world.person_a})
    assert by_item(public.json()["records"])["admin_penalty"]["labels"] == []


def test_d8_removed_record_is_absent_even_from_the_self_view(world: World) -> None:
    rid = record_id(world.platform, world.subject_ids["subject_a"], "pledge_made")
    add_event(world.platform, rid, "removed", TODAY)
    r = world.client.get(URL, headers=world.auth("subject_a"))
    assert [x["item_code"] for x in r.json()["records"]] == ["admin_penalty"]
    assert SECRET_A not in r.text


def test_art22_self_inquiry_needs_a_signed_in_subject(world: World) -> None:
    assert world.client.get(URL).status_code == 401
    for role in ("staff", "operator", "grantee", "unit_key"):
        r = world.client.get(URL, headers=world.auth(role))
        assert r.status_code == 403, role


def test_d6_after_art43_period_the_subject_still_sees_the_record_as_no_longer_provided(
    world: World,
) -> None:
    with clock.frozen("2031-09-02T10:00:00"):
        token = sign_in_subject(world.client, "张三", "citizen_id", world.person_a)
        world.client.cookies.clear()
        r = world.client.get(URL, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    penalty = by_item(r.json()["records"])["admin_penalty"]
    assert "inquiry_period_ended" in penalty["labels"]
    for mode in ("public_disclosure", "authorized", "authority"):
        assert penalty["disclosure"][mode]["visible"] is False
        assert "inquiry_period_ended" in codes(penalty["disclosure"][mode])
    # The neutral pledge has no Art. 43 period.
    pledge = by_item(r.json()["records"])["pledge_made"]
    assert "inquiry_period_ended" not in pledge["labels"]
