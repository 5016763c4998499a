"""Art. 22(2) authority-based inquiry: providing-unit staff or the unit's API key, a duty
purpose always, optionally limited to items, and ``as_of`` for what was provided on a past day."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from httpx import Response

from pcip import clock
from tests.helpers import citizen_id
from tests.inquiry.support import by_item
from tests.world import SECRET_A, SECRET_B, World

URL = "/api/v1/inquiries/authority"


def body(subject: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "subject": subject,
        "purpose_code": "credit_check",
        "purpose": "资质审批前信用核查 (permit check)",
        **extra,
    }


def ask(world: World, role: str | None, **extra: Any) -> Response:
    subject = extra.pop("subject", {"citizen_id": world.person_a})
    return world.client.post(URL, json=body(subject, **extra), headers=world.auth(role))


@pytest.mark.parametrize("role", ["staff", "unit_key"])
def test_art22_2_unit_staff_and_api_key_see_authorized_class_records(
    world: World, role: str
) -> None:
    r = ask(world, role)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["mode"] == "authority" and out["inquiry_id"] is not None
    assert out["subject"]["name"] == "张三"  # not masked for a department
    records = by_item(out["records"])
    assert set(records) == {"admin_penalty", "pledge_made"}
    assert SECRET_A in r.text  # the authorized-class pledge, in full
    assert SECRET_B not in r.text
    assert records["pledge_made"]["provenance"]["provider_name"] == "重庆市市场监督管理局"


def test_art22_2_organisation_by_uscc(world: World) -> None:
    r = ask(world, "staff", subject={"uscc": world.org_uscc})
    assert r.status_code == 200, r.text
    assert r.json()["subject"]["identifier"] == world.org_uscc
    assert set(by_item(r.json()["records"])) == {"admin_penalty", "pledge_made"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"purpose": None}, "purpose"),
        ({"purpose": ""}, "purpose"),
        ({"purpose": "abc"}, "purpose"),
        ({"purpose_code": None}, "purpose_code"),
        ({"purpose_code": "curiosity"}, "purpose_code"),
    ],
)
def test_art22_2_duty_purpose_is_mandatory(
    world: World, change: dict[str, Any], field: str
) -> None:
    payload = body({"citizen_id": world.person_a})
    for k, v in change.items():
        if v is None:
            del payload[k]
        else:
            payload[k] = v
    r = world.client.post(URL, json=payload, headers=world.auth("staff"))
    assert r.status_code == 422, r.text
    assert r.json()["field"] == field


def test_art22_2_subject_must_be_named_by_exactly_one_identifier(world: World) -> None:
    r = ask(world, "staff", subject={"citizen_id": world.person_a, "uscc": world.org_uscc})
    assert r.status_code == 422
    r = ask(world, "staff", subject={})
    assert r.status_code == 422


def test_art22_2_as_of_before_the_records_were_recorded_returns_none(world: World) -> None:
    r = ask(world, "staff", as_of="2026-11-25")
    assert r.status_code == 200, r.text
    assert r.json()["on"] == "2026-11-25"
    assert r.json()["records"] == []
    assert SECRET_A not in r.text


def test_art22_2_as_of_today_is_allowed(world: World) -> None:
    r = ask(world, "staff", as_of="2026-11-26")
    assert r.status_code == 200 and len(r.json()["records"]) == 2


def test_art22_2_as_of_in_the_future_is_refused(world: World) -> None:
    r = ask(world, "staff", as_of="2026-11-27")
    assert r.status_code == 422
    assert r.json()["field"] == "as_of"


def test_art22_2_unknown_subject_is_404(world: World) -> None:
    r = ask(world, "staff", subject={"citizen_id": citizen_id(78, born=date(1979, 3, 3))})
    assert r.status_code == 404 and r.json()["field"] == "subject"


def test_art22_2_malformed_identifier_is_422(world: World) -> None:
    r = ask(world, "staff", subject={"citizen_id": "123"})
    assert r.status_code == 422 and "citizen_id" in r.json()["field"]


def test_art22_2_items_filter_limits_the_result(world: World) -> None:
    r = ask(world, "staff", items=["pledge_made"])
    assert r.status_code == 200, r.text
    assert [x["item_code"] for x in r.json()["records"]] == ["pledge_made"]
    r = ask(world, "staff", items=["admin_penalty"])
    assert [x["item_code"] for x in r.json()["records"]] == ["admin_penalty"]
    assert SECRET_A not in r.text


def test_art22_2_categories_filter_limits_the_result(world: World) -> None:
    r = ask(world, "staff", categories=[6])
    assert [x["item_code"] for x in r.json()["records"]] == ["pledge_made"]
    # Category 1 holds none of the unit's items: asking for it is asking outside the scope.
    r = ask(world, "staff", categories=[1])
    assert r.status_code == 422 and r.json()["field"] == "categories[0]"


@pytest.mark.parametrize("role", ["operator", "drc", "grantee", "subject_a", "subject_b", "org"])
def test_art22_2_other_roles_are_forbidden(world: World, role: str) -> None:
    r = ask(world, role)
    assert r.status_code == 403, r.text
    assert r.json()["code"] == "forbidden"
    assert SECRET_A not in r.text


def test_art22_2_anonymous_caller_is_unauthorized(world: World) -> None:
    r = ask(world, None)
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"
    assert r.headers["www-authenticate"] == "Bearer"


def test_art43_person_penalty_provided_until_five_years_after_conduct_end(world: World) -> None:
    # The world's penalties record the conduct as ended on 2026-09-01.
    with clock.frozen("2031-09-01T10:00:00"):
        on_last_day = ask(world, "unit_key", items=["admin_penalty"])
    with clock.frozen("2031-09-02T10:00:00"):
        after = ask(world, "unit_key", items=["admin_penalty"])
        looking_back = ask(world, "unit_key", items=["admin_penalty"], as_of="2031-09-01")
        organisation = ask(
            world, "unit_key", items=["admin_penalty"], subject={"uscc": world.org_uscc}
        )
    assert [x["item_code"] for x in on_last_day.json()["records"]] == ["admin_penalty"]
    assert after.status_code == 200 and after.json()["records"] == []
    assert [x["item_code"] for x in looking_back.json()["records"]] == ["admin_penalty"]
    # Art. 43's five years apply to natural persons only (D-6).
    assert [x["item_code"] for x in organisation.json()["records"]] == ["admin_penalty"]


def test_art22_authority_scope_names_only_catalog_items(world: World) -> None:
    body = {
        "subject": {"uscc": world.org_uscc},
        "purpose_code": "credit_check",
        "purpose": "资质审批前信用核查",
        "items": ["no_such_item"],
    }
    r = world.client.post("/api/v1/inquiries/authority", json=body, headers=world.auth("staff"))
    assert r.status_code == 422 and r.json()["field"] == "items[0]"
