"""Issue 23 point 3: inputs the databases cannot store are the caller's error (4xx naming the
field), never a 500; the alert race under load is fixed; a connection stays usable after an
error. Each runs on SQLite and, with ``PCIP_TEST_DATABASE_URL``, on PostgreSQL (which
refuses NUL in text: where the 500s came from).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from pcip import clock
from pcip.inquiry import alerts
from pcip.inquiry.models import InquiryAlert
from pcip.kernel.platform import Platform
from pcip.records.models import RejectedRow
from pcip.records.reports import open_values
from tests.client import TestClient
from tests.records.builders import penalty_rows
from tests.web.support import Browser, browser, csrf_of
from tests.world import NOW, PASSWORD, World, WorldData, reopen

NUL = "\x00"
BEYOND = str(2**63)  # one more than a 64-bit id column holds


@pytest.fixture
def world(platform: Platform, api_world_data: WorldData) -> Iterator[World]:
    with clock.frozen(NOW):
        yield reopen(platform, api_world_data)


def _client(world: World) -> TestClient:
    return TestClient(world.client.app, raise_server_exceptions=False)


def _still_usable(client: TestClient) -> None:
    """The next request, on the same pool, reads the database as usual."""
    r = client.get("/api/v1/public/organisations", params={"q": "示例"})
    assert r.status_code == 200, r.text


#: (caller, method, url, how the input is sent, the field the answer must name)
API_CASES: list[tuple[str | None, str, str, dict[str, Any], str]] = [
    (None, "GET", "/api/v1/public/organisations", {"params": {"q": f"示例{NUL}"}}, "q"),
    (None, "GET", "/api/v1/public/organisations/91500%00", {}, "path"),
    (None, "POST", "/api/v1/public/persons", {"json": {"citizen_id": NUL}}, "citizen_id"),
    (
        None,
        "POST",
        "/api/v1/auth/login",
        {"json": {"username": f"operator{NUL}", "password": "x" * 12}},
        "username",
    ),
    (None, "POST", "/api/v1/auth/subject", {"json": {"assertion": "a" * 12 + NUL}}, "assertion"),
    (None, "GET", "/api/v1/catalog/items/admin%00", {}, "path"),
    (None, "GET", "/api/v1/calendar/deadline", {"params": {"start": NUL}}, "start"),
    (
        "staff",
        "POST",
        "/api/v1/inquiries/authority",
        {
            "json": {
                "subject": {"uscc": "91500000000000000X"},
                "purpose_code": "credit_check",
                "purpose": f"核查{NUL}",
            }
        },
        "purpose",
    ),
    (
        "subject_a",
        "POST",
        "/api/v1/me/authorizations",
        {
            "json": {
                "grantee_uscc": "91500000000000000X",
                "purpose": f"贷款{NUL}",
                "channels": ["api"],
                "categories": [6],
                "valid_to": "2027-06-30",
            }
        },
        "purpose",
    ),
    (
        "subject_a",
        "POST",
        "/api/v1/me/objections",
        {"data": {"record_ids": "1", "ground": "error", "statement": f"有误{NUL}"}},
        "statement",
    ),
    (
        "subject_a",
        "POST",
        "/api/v1/me/objections",
        {"data": {"record_ids": BEYOND, "ground": "error", "statement": "有误"}},
        "record_ids[0]",
    ),
    (
        "unit_key",
        "POST",
        "/api/v1/batches",
        {"json": {"item": f"admin_penalty{NUL}", "rows": [{"CF_WSH": "1"}]}},
        "item",
    ),
    (
        "operator",
        "POST",
        "/api/v1/objections",
        {
            "data": {
                "record_ids": "1",
                "ground": "error",
                "statement": "有误",
                "subject_id": "1",
                "applicant": f"张三{NUL}",
                "channel": "desk",
            }
        },
        "applicant",
    ),
]


@pytest.mark.parametrize(
    ("caller", "method", "url", "send", "field"),
    API_CASES,
    ids=[f"{c[1]} {c[2].split('?')[0]} {c[4]}".replace(NUL, "%00") for c in API_CASES],
)
def test_issue23_p3_text_the_database_cannot_store_is_a_4xx_naming_the_field(
    world: World, caller: str | None, method: str, url: str, send: dict[str, Any], field: str
) -> None:
    client = _client(world)
    with clock.frozen(NOW):
        r = client.request(method, url, headers=world.auth(caller), **send)
        assert 400 <= r.status_code < 500, f"{r.status_code}: {r.text[:300]}"
        body = r.json()
        assert body["field"] == field, body
        _still_usable(client)


WEB_CASES: list[tuple[str, str, str, dict[str, str] | None, str]] = [
    ("anyone", "GET", "/?q=%E7%A4%BA%00", None, "q"),
    ("anyone", "GET", "/organisations/91500%00", None, "path"),
    ("anyone", "GET", "/rules/x%00", None, "path"),
    ("anyone", "GET", "/lang/en%00", None, "path"),
    (
        "anyone",
        "POST",
        "/staff/signin",
        {"username": f"operator{NUL}", "password": "x"},
        "username",
    ),
    ("anyone", "POST", "/persons", {"citizen_id": f"5001{NUL}"}, "citizen_id"),
    (
        "subject_a",
        "POST",
        "/me/objections",
        {"record_ids": BEYOND, "ground": "error", "statement": "有误"},
        "record_ids",
    ),
    ("staff", "POST", "/console/inquiry", {"identifier": f"5001{NUL}"}, "identifier"),
    (
        "operator",
        "POST",
        "/console/objections/new",
        {"stage": "find", "id_type": "citizen_id", "identifier": f"5001{NUL}"},
        "identifier",
    ),
]


def _visitor(world: World, who: str) -> Browser:
    b = browser(world.platform)
    b.client = TestClient(b.client.app, raise_server_exceptions=False)
    if who == "subject_a":
        b.sign_in_subject("张三", world.person_a)
    elif who in ("operator", "staff"):
        r = b.post(
            "/staff/signin",
            {"username": who, "password": PASSWORD, "next": "/console"},
            form="/staff/signin",
        )
        assert r.status_code == 303
    return b


@pytest.mark.parametrize(
    ("who", "method", "url", "form", "field"),
    WEB_CASES,
    ids=[f"{c[1]} {c[2].split('?')[0]} {c[4]}".replace(NUL, "%00") for c in WEB_CASES],
)
def test_issue23_p3_web_pages_answer_a_nul_with_a_4xx_not_a_500(
    world: World, who: str, method: str, url: str, form: dict[str, str] | None, field: str
) -> None:
    with clock.frozen(NOW):
        b = _visitor(world, who)
        if method == "GET":
            r = b.get(url)
        else:
            page = url if url != "/staff/signin" else "/staff/signin"
            token_page = {"/me/objections": "/me/objections/new", "/persons": "/persons"}.get(
                page, page
            )
            got = b.client.get(token_page)
            fields = dict(form or {})
            if 'name="csrf_token"' in got.text:
                fields["csrf_token"] = csrf_of(got.text)
            r = b.client.post(url, data=fields, follow_redirects=False)
        assert 400 <= r.status_code < 500, f"{r.status_code}: {r.text[:300]}"
        _still_usable(b.client)


def test_issue23_p3_a_lone_surrogate_or_nul_in_a_batch_row_rejects_that_row_with_its_field(
    world: World,
) -> None:
    """Before: a lone surrogate in a JSON batch row was a 500 (it could not even be sealed
    into the rejected-rows ledger); now that row is rejected, the others are stored."""
    rows = penalty_rows(world.platform, 3, seed=41)
    rows[1]["CF_NR_WFXW"] = "违法\ud800行为"
    rows[2]["CF_WSH"] = f"渝罚{NUL}号"
    client = _client(world)
    with clock.frozen(NOW):
        r = client.post(
            "/api/v1/batches",
            # ASCII JSON: the surrogate travels as the escape "\ud800", as a client sends it.
            content=json.dumps({"item": "admin_penalty", "rows": rows}).encode(),
            headers={**world.auth("unit_key"), "Content-Type": "application/json"},
        )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["accepted"] == 1 and body["rejected"] == 2
    errors = {e["line"]: e for e in body["errors"]}
    assert errors[2]["field"] == "CF_NR_WFXW" and "surrogate" in errors[2]["message"]
    assert errors[3]["field"] == "CF_WSH" and "NUL" in errors[3]["message"]
    with world.platform.transaction() as s:
        kept = s.scalars(select(RejectedRow).where(RejectedRow.batch_id == body["batch_id"]))
        assert [open_values(world.platform.keyring, k.values) for k in kept] == [None, None]
    _still_usable(client)


@pytest.mark.postgres
def test_issue23_p3_two_inquiries_crossing_the_alert_threshold_at_once_both_succeed(
    platform: Platform,
) -> None:
    """The race seen under load: both inquiries find no alert for the hour and insert one; the
    second waits for the first and then hit the unique key (a 500 on an authorized inquiry).
    Here the first transaction holds its alert open while the second tries."""
    if platform.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers: no two transactions insert at once")
    inquirer = "grantee:91500000000000000X"
    outcome: dict[str, Any] = {}
    with clock.frozen(NOW):
        at = clock.now()
        first = platform.sessions()
        raised = alerts.check_volume(first, inquirer, "银行", at, threshold=-1)
        assert raised is not None  # inserted, not yet committed

        def second() -> None:
            with clock.frozen(NOW):
                s = platform.sessions()
                try:
                    outcome["alert"] = alerts.check_volume(s, inquirer, "银行", at, threshold=-1)
                    s.commit()
                except Exception as exc:
                    outcome["error"] = exc
                    s.rollback()
                finally:
                    s.close()

        worker = threading.Thread(target=second)
        worker.start()
        worker.join(1.0)
        assert worker.is_alive(), "the second insert should wait for the first transaction"
        first.commit()
        first.close()
        worker.join(30)
    assert "error" not in outcome, repr(outcome.get("error"))
    assert outcome["alert"] is None  # it counted on the alert the first one raised
    with platform.transaction() as s:
        rows = list(s.scalars(select(InquiryAlert).where(InquiryAlert.inquirer == inquirer)))
    assert len(rows) == 1 and rows[0].count == raised.count + 1
