"""Issue 22 (and 15): a router answers "none of mine" at once for a path none of its routes can
match (``pcip.doors.api_common.Router.matches``), and never for a path one of them can.

The answers are compared with FastAPI's own, which tries every route, on every path of the
application and on paths made from them (parameters filled in, a slash or a segment added,
the last character taken away, every shorter prefix), with GET and POST."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.routing import Host, Match, Mount, Route

from pcip.app import create_app
from pcip.doors.api_common import Router, _literal_reach
from pcip.doors.assembly import include

METHODS = ("GET", "POST")


def _paths(app: FastAPI) -> set[str]:
    """Every route's path with its parameters filled in, and paths near it."""
    out = {"", "/", "/nothing", "/api", "/api/v1", "/api/v1/", "/api/v1/nothing", "/console/x"}
    routes = [
        prefix + route.path
        for included in _ours(app)
        for route in included.original_router.routes
        for prefix in included.original_router._under
    ]
    for path in routes:
        filled = re.sub(r"\{[^}]*\}", "1", path)
        out |= {filled, filled + "/", filled[:-1], filled + "/x"}
        parts = filled.split("/")
        out |= {"/".join(parts[:i]) for i in range(1, len(parts))}
    return out


def _scope(app: FastAPI, path: str, method: str, root_path: str = "") -> dict[str, Any]:
    return {
        "type": "http",
        "method": method,
        "path": root_path + path,
        "root_path": root_path,
        "headers": [],
        "query_string": b"",
        "app": app,
    }


def _ours(app: FastAPI) -> Iterator[Any]:
    """The application's inclusions of pcip routers."""
    for route in app.router.routes:
        if isinstance(getattr(route, "original_router", None), Router):
            yield route


def _answers(app: FastAPI, paths: set[str], root_path: str = "") -> list[Any]:
    return [
        (path, method, i, route.matches(_scope(app, path, method, root_path)))
        for path in sorted(paths)
        for method in METHODS
        for i, route in enumerate(_ours(app))
    ]


@pytest.fixture
def app() -> FastAPI:
    """The whole application's routes, under the test's own settings (``_isolated_env``).
    No database is opened: nothing here is sent to the application."""
    return create_app()


def test_issue22_a_router_refuses_at_once_only_paths_none_of_its_routes_matches(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _paths(app)
    assert len(paths) > 400
    refused_early = 0
    original = Router.matches

    def counting(self: Router, scope: Any) -> Any:
        nonlocal refused_early
        if not scope["path"].startswith(self.reach()):
            refused_early += 1
        return original(self, scope)

    monkeypatch.setattr(Router, "matches", counting)
    pruned = _answers(app, paths)
    assert refused_early > len(pruned) // 2  # most routers are skipped for most paths
    monkeypatch.setattr(Router, "reach", lambda self: ("",))  # FastAPI's way: try them all
    assert pruned == _answers(app, paths)
    assert any(answer[3][0] is Match.FULL for answer in pruned)
    assert any(answer[3][0] is Match.PARTIAL for answer in pruned)  # another method's route


def test_issue22_under_a_root_path_every_route_is_tried(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = {"/api/v1/health", "/", "/console", "/nothing"}
    pruned = _answers(app, paths, root_path="/base")
    monkeypatch.setattr(Router, "reach", lambda self: ("",))
    assert pruned == _answers(app, paths, root_path="/base")


def test_issue22_the_reach_is_the_routes_literal_start_under_each_inclusion_prefix() -> None:
    router = Router(prefix="/things")

    @router.get("/{thing_id}")
    def one(thing_id: int) -> dict[str, int]:
        return {"id": thing_id}

    @router.get("/{thing_id}/parts")
    def parts(thing_id: int) -> dict[str, int]:
        return {"id": thing_id}

    assert router.reach() == ("",)  # included by no one it knows of: every path may match
    include(FastAPI(), router, prefix="/api/v2")
    assert router.reach() == ("/api/v2/things/",)
    include(FastAPI(), router, prefix="")
    assert router.reach() == ("/api/v2/things/", "/things/")

    @router.get("")
    def listing() -> list[int]:
        return []

    assert router.reach() == ("/api/v2/things", "/things")  # a route added later counts


def test_issue22_a_route_that_matches_by_host_leaves_the_reach_open() -> None:
    def endpoint(_request: Any) -> None:
        return None

    assert _literal_reach([Route("/a/{x}", endpoint), Mount("/a/b", routes=[])]) == "/a/"
    assert _literal_reach([Route("/a", endpoint), Host("example.org", app=endpoint)]) is None
    assert _literal_reach([]) is None
