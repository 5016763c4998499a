"""The providing units' HTTP door (Art. 20, 27): API keys, JSON batches, ledger, reports."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest

from pcip import clock
from pcip.app import create_app
from pcip.kernel.actors import Actor
from pcip.kernel.platform import Platform
from pcip.providers.service import add_provider, create_key, get_provider, revoke_key
from tests.client import TestClient
from tests.helpers import uscc
from tests.records.builders import penalty_rows

ACTOR = Actor.system("test")
UNIT_A = uscc(910, authority="1", entity_type="1")
UNIT_B = uscc(911, authority="1", entity_type="1")


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with clock.frozen("2026-11-26T10:00:00"):
        yield


@pytest.fixture
def keys(platform: Platform) -> dict[str, str]:
    with platform.transaction() as s:
        add_provider(s, ACTOR, UNIT_A, "市场监管局", ["admin_penalty"])
        add_provider(s, ACTOR, UNIT_B, "税务局", ["tax_arrears"])
        return {
            "a": create_key(s, ACTOR, get_provider(s, UNIT_A), "a").token,
            "b": create_key(s, ACTOR, get_provider(s, UNIT_B), "b").token,
        }


@pytest.fixture
def client(platform: Platform) -> TestClient:
    return TestClient(create_app(platform))


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_art20_json_batch_is_accepted_and_idempotent(
    client: TestClient, keys: dict[str, str], platform: Platform
) -> None:
    rows = penalty_rows(platform, 5)
    body = {"item": "admin_penalty", "rows": rows}
    first = client.post("/api/v1/batches", json=body, headers=auth(keys["a"]))
    assert first.status_code == 201, first.text
    assert first.json()["accepted"] == 5
    again = client.post("/api/v1/batches", json=body, headers=auth(keys["a"]))
    assert again.json()["unchanged"] == 5 and again.json()["accepted"] == 0


def test_art20_row_errors_name_position_and_field(
    client: TestClient, keys: dict[str, str], platform: Platform
) -> None:
    rows = penalty_rows(platform, 3)
    rows[1]["CF_JDRQ"] = "2026-02-30"
    r = client.post(
        "/api/v1/batches", json={"item": "admin_penalty", "rows": rows}, headers=auth(keys["a"])
    )
    body = r.json()
    assert body["rejected"] == 1
    assert body["errors"][0]["line"] == 2 and body["errors"][0]["field"] == "CF_JDRQ"
    download = client.get(f"/api/v1/batches/{body['batch_id']}/rejected", headers=auth(keys["a"]))
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    report = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert report[0]["_line"] == "2" and report[0]["CF_JDRQ"] == "2026-02-30"


@pytest.mark.parametrize(
    "header",
    [None, "Bearer nonsense", "Bearer pcip_pk_0000_forged", "Basic dXNlcjpwYXNz"],
)
def test_art27_missing_or_forged_key_is_refused(
    client: TestClient, keys: dict[str, str], platform: Platform, header: str | None
) -> None:
    headers = {"Authorization": header} if header else {}
    r = client.post(
        "/api/v1/batches", json={"item": "admin_penalty", "rows": [{"a": "b"}]}, headers=headers
    )
    assert r.status_code in (401, 403)
    assert r.json()["code"] in ("unauthorized", "forbidden")


def test_art27_revoked_key_is_refused(
    client: TestClient, keys: dict[str, str], platform: Platform
) -> None:
    key_id = keys["a"].split("_")[2]
    with platform.transaction() as s:
        revoke_key(s, ACTOR, key_id)
    r = client.get("/api/v1/batches", headers=auth(keys["a"]))
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"
    assert r.headers["www-authenticate"] == "Bearer"


def test_art20_unit_cannot_submit_items_of_another_unit(
    client: TestClient, keys: dict[str, str], platform: Platform
) -> None:
    r = client.post(
        "/api/v1/batches",
        json={"item": "admin_penalty", "rows": penalty_rows(platform, 1)},
        headers=auth(keys["b"]),
    )
    assert r.status_code == 403 and r.json()["field"] == "item"


def test_art16_unknown_item_over_api_is_quarantined(
    client: TestClient, keys: dict[str, str]
) -> None:
    r = client.post(
        "/api/v1/batches",
        json={"item": "no_such_item", "rows": [{"x": "1"}]},
        headers=auth(keys["a"]),
    )
    assert r.status_code == 404 and "quarantined" in r.json()["message"]
    ledger = client.get("/api/v1/batches", headers=auth(keys["a"])).json()
    assert ledger[0]["status"] == "quarantined"


def test_art27_unit_sees_only_its_own_batches(
    client: TestClient, keys: dict[str, str], platform: Platform
) -> None:
    r = client.post(
        "/api/v1/batches",
        json={"item": "admin_penalty", "rows": penalty_rows(platform, 1)},
        headers=auth(keys["a"]),
    )
    batch_id = r.json()["batch_id"]
    assert client.get(f"/api/v1/batches/{batch_id}", headers=auth(keys["a"])).status_code == 200
    other = client.get(f"/api/v1/batches/{batch_id}", headers=auth(keys["b"]))
    assert other.status_code == 404
    assert (
        client.get(f"/api/v1/batches/{batch_id}/rejected", headers=auth(keys["b"])).status_code
        == 404
    )
    assert client.get("/api/v1/batches", headers=auth(keys["b"])).json() == []


def test_malformed_batch_bodies_get_json_errors(client: TestClient, keys: dict[str, str]) -> None:
    r = client.post(
        "/api/v1/batches", json={"item": "admin_penalty", "rows": []}, headers=auth(keys["a"])
    )
    assert r.status_code == 422 and r.json()["field"] == "rows"
    r = client.post(
        "/api/v1/batches",
        json={"item": "admin_penalty", "rows": [{"CF_XDR_MC": {"nested": 1}}]},
        headers=auth(keys["a"]),
    )
    assert r.status_code == 422 and r.json()["code"] == "invalid"
    r = client.post(
        "/api/v1/batches",
        content=b"{not json",
        headers={**auth(keys["a"]), "Content-Type": "application/json"},
    )
    assert r.status_code == 422


def test_oversize_upload_is_refused_with_413(client: TestClient, keys: dict[str, str]) -> None:
    from pcip.records.api import MAX_BODY

    huge = b'{"item": "admin_penalty", "rows": [{"BZ": "' + b"x" * (MAX_BODY + 10) + b'"}]}'
    r = client.post(
        "/api/v1/batches",
        content=huge,
        headers={**auth(keys["a"]), "Content-Type": "application/json"},
    )
    assert r.status_code == 413 and r.json()["code"] == "too_large"
