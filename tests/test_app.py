"""The HTTP door: health, the OpenAPI document, offline /docs and the published catalogs
(Art. 16-18: the catalogs in force are public documents).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from pcip import clock
from pcip.app import create_app
from pcip.catalog.seed_data import SEED_CATALOGS
from pcip.config import Settings
from pcip.errors import ConfigError
from pcip.kernel.platform import Platform, head_revision
from tests.client import TestClient

ITEMS = {i.code: i for c in SEED_CATALOGS for i in c.items}
CATALOGS = {c.code: c for c in SEED_CATALOGS}
TODAY = date(2026, 11, 26)


@pytest.fixture
def client(platform: Platform) -> Iterator[TestClient]:
    with clock.frozen("2026-11-26T10:00:00"), TestClient(create_app(platform)) as c:
        yield c


def _in_force(on: date) -> dict[str, Any]:
    """What the seed data says is in force on a day: the latest version per catalog."""
    out: dict[str, Any] = {}
    for code, spec in CATALOGS.items():
        if spec.effective_from <= on:
            out[code] = spec
    return out


# --- health ---------------------------------------------------------------------------------


def test_health(client: TestClient, backend: str) -> None:
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["database"] == backend
    assert body["schema_revision"] == head_revision()
    assert body["now"] == "2026-11-26T10:00:00+08:00"
    assert body["regulation_effective"] == "2021-07-01"
    assert "Chongqing" in body["regulation"]


def test_create_app_without_platform_opens_one_from_settings(cli_env: Settings) -> None:
    with TestClient(create_app()) as c:
        r = c.get("/api/v1/health")
    assert r.status_code == 200 and r.json()["schema_revision"] == head_revision()


def test_serve_uses_the_configured_number_of_worker_threads(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import anyio.to_thread

    monkeypatch.setenv("PCIP_WORKER_THREADS", "3")

    def tokens() -> float:
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    with TestClient(create_app()) as c:
        assert c.portal is not None
        assert c.portal.call(tokens) == 3
        assert c.get("/api/v1/health").status_code == 200
    with pytest.raises(ValueError, match="worker_threads"):
        Settings(worker_threads=41)


def test_issue22_a_serving_process_freezes_its_startup_objects_and_collects_the_rest(
    cli_env: Settings,
) -> None:
    """``pcip serve`` (one process, or each of N: ``create_worker_app``) moves what exists at
    startup out of the collector's scans; an application made for a test does not; garbage
    made while serving is still collected."""
    import gc
    import weakref

    from pcip.app import create_worker_app

    class Node:
        pass

    gc.unfreeze()
    try:
        with TestClient(create_app()) as c:
            assert c.get("/api/v1/health").status_code == 200
            assert gc.get_freeze_count() == 0
        for app in (create_app(serving=True), create_worker_app()):
            with TestClient(app) as c:
                assert gc.get_freeze_count() > 0
                cycle = Node()
                cycle.self = cycle  # type: ignore[attr-defined]
                gone = weakref.ref(cycle)
                del cycle
                gc.collect()
                assert gone() is None
                assert c.get("/api/v1/health").status_code == 200
            gc.unfreeze()
    finally:
        gc.unfreeze()


def test_create_app_without_platform_refuses_an_uninitialised_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from pcip.config import reset_settings

    monkeypatch.setenv("PCIP_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    reset_settings()
    with pytest.raises(ConfigError, match="run 'pcip init'"), TestClient(create_app()):
        pass


# --- OpenAPI and /docs ----------------------------------------------------------------------


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                yield v
            else:
                yield from _refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from _refs(v)


def _resolve(doc: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), f"external $ref {ref}"
    node: Any = doc
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_openapi_is_3_1_and_lists_health_and_catalog(client: TestClient) -> None:
    r = client.get("/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert re.fullmatch(r"3\.1\.\d+", doc["openapi"])
    assert doc["info"]["title"] == "pcip" and doc["info"]["version"]
    paths = doc["paths"]
    for p in ("/api/v1/health", "/api/v1/catalog/items", "/api/v1/catalog/items/{code}"):
        assert "get" in paths[p], p
    assert "/docs" not in paths
    for path, ops in paths.items():
        for method, op in ops.items():
            assert op.get("responses"), (path, method)
            assert op.get("summary"), (path, method)
    # Every reference resolves inside the document (a structurally valid 3.1 document).
    for ref in set(_refs(doc)):
        assert isinstance(_resolve(doc, ref), dict), ref
    # Errors are documented with the shared {code, message, field} body.
    item = paths["/api/v1/catalog/items/{code}"]["get"]["responses"]
    ref = item["404"]["content"]["application/json"]["schema"]["$ref"]
    assert set(_resolve(doc, ref)["properties"]) == {"code", "message", "field"}
    assert any(
        p["name"] == "on" and p["in"] == "query"
        for p in paths["/api/v1/catalog/items"]["get"]["parameters"]
    )


def test_docs_work_offline_from_static_files(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    html = r.text
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, re.I), "no CDN or remote URL"
    assets = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']+)["\']', html)
    assert len(assets) >= 3
    for asset in assets:
        assert asset.startswith("/static/"), asset
        got = client.get(asset)
        assert got.status_code == 200, asset
        assert len(got.content) > 0, asset
    assert "url: '/openapi.json'" in html or '"/openapi.json"' in html


def test_docs_stylesheet_pulls_no_remote_resources(client: TestClient) -> None:
    css = client.get("/static/vendor/swagger-ui/swagger-ui.css").text
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
    assert urls and all(u.startswith("data:") for u in urls)
    assert "@import" not in css


def test_static_does_not_serve_outside_its_directory(client: TestClient) -> None:
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/nope.js").status_code == 404


# --- catalogs in force (Art. 16-18) ---------------------------------------------------------


def test_art16_catalog_items_in_force_today(client: TestClient) -> None:
    r = client.get("/api/v1/catalog/items")
    assert r.status_code == 200
    body = r.json()
    assert body["on"] == TODAY.isoformat()
    wanted = _in_force(TODAY)
    assert {(v["catalog"], v["version"], v["effective_from"]) for v in body["versions"]} == {
        (c.code, c.version, c.effective_from.isoformat()) for c in wanted.values()
    }
    codes = [i["code"] for i in body["items"]]
    assert codes == sorted(codes)
    assert set(codes) == {i.code for c in wanted.values() for i in c.items}
    by_code = {i["code"]: i for i in body["items"]}
    for code, summary in by_code.items():
        spec = ITEMS[code]
        assert summary["name_zh"] == spec.name_zh
        assert summary["polarity"] == spec.polarity.value
        assert summary["disclosure_class"] == spec.disclosure_class.value
        assert summary["fields"] == [f.name for f in spec.fields]
        assert summary["legal_basis"] == spec.legal_basis


def test_art17_catalog_on_a_day_follows_effective_dates(client: TestClient) -> None:
    for day in (date(2021, 6, 30), date(2021, 7, 1), date(2023, 12, 31), date(2024, 1, 1)):
        body = client.get("/api/v1/catalog/items", params={"on": day.isoformat()}).json()
        assert body["on"] == day.isoformat()
        wanted = _in_force(day)
        assert {v["catalog"] for v in body["versions"]} == set(wanted)
        assert {i["code"] for i in body["items"]} == {
            i.code for c in wanted.values() for i in c.items
        }


def test_catalog_admin_penalty_in_full(client: TestClient) -> None:
    r = client.get("/api/v1/catalog/items/admin_penalty")
    assert r.status_code == 200
    body = r.json()
    assert body == ITEMS["admin_penalty"].model_dump(mode="json")
    names = [f["name"] for f in body["fields"]]
    for required in (
        "CF_XDR_MC",
        "CF_XDR_LB",
        "CF_XDR_SHXYM",
        "CF_WSH",
        "CF_WFXW",
        "CF_SY",
        "CF_YJ",
        "CF_CFLB",
        "CF_NR",
        "CF_JDRQ",
        "CF_GSJZQ",
        "CF_CFJG",
        "CF_CFJGDM",
        "CF_SJLY",
        "CF_SJLYDM",
    ):
        assert required in names
    assert body["layout"] == "cf"
    assert body["severity_classes"], "Art. 43-45 publicity periods are published"
    for f in body["fields"]:
        assert f["label_zh"] and f["label_en"] and f["type"]


@pytest.mark.parametrize("code", sorted(ITEMS))
def test_every_seeded_item_is_served_as_seeded(client: TestClient, code: str) -> None:
    r = client.get(f"/api/v1/catalog/items/{code}")
    assert r.status_code == 200
    assert r.json() == ITEMS[code].model_dump(mode="json")


def test_art16_unknown_item_is_404_with_code_message_field(client: TestClient) -> None:
    r = client.get("/api/v1/catalog/items/no_such_item")
    assert r.status_code == 404
    body = r.json()
    assert set(body) == {"code", "message", "field"}
    assert body["code"] == "not_found"
    assert "no_such_item" in body["message"]
    assert body["field"] == "item"


def test_art17_item_not_yet_in_force_is_404(client: TestClient) -> None:
    supplement = next(c for c in SEED_CATALOGS if c.effective_from > date(2000, 1, 1))
    code = supplement.items[0].code
    day_before = date.fromordinal(supplement.effective_from.toordinal() - 1)
    r = client.get(f"/api/v1/catalog/items/{code}", params={"on": day_before.isoformat()})
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert day_before.isoformat() in r.json()["message"]
    r = client.get(
        f"/api/v1/catalog/items/{code}", params={"on": supplement.effective_from.isoformat()}
    )
    assert r.status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/catalog/items", "/api/v1/catalog/items/admin_penalty"])
@pytest.mark.parametrize("on", ["bad", "2026-13-01", "2026-02-30", "yesterday", ""])
def test_bad_on_date_is_422_naming_on(client: TestClient, url: str, on: str) -> None:
    r = client.get(url, params={"on": on})
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "invalid"
    assert body["field"] == "on"
    assert body["message"]


def test_unknown_route_returns_the_documented_error_body(client: TestClient) -> None:
    r = client.get("/api/v1/no-such-thing")
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"
    r = client.post("/api/v1/health")
    assert r.status_code == 405
    assert "code" in r.json()
