"""Issue 15: routers included once per process, and the OpenAPI document built once for the
same documented routes (``pcip.doors.assembly``), without one application's document or routes
reaching another's."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from pcip.doors.assembly import include, share_openapi

router = APIRouter()


@router.get("/ping")
def ping() -> dict[str, str]:
    return {"ok": "yes"}


def _app(*, extra: bool = False, version: str = "1") -> FastAPI:
    app = FastAPI(title="t", version=version)
    include(app, router, prefix="/api")
    if extra:

        @app.get("/extra")
        def extra_route() -> dict[str, str]:
            return {}

    share_openapi(app)
    return app


def test_issue15_apps_with_the_same_routes_share_the_inclusion_and_the_document() -> None:
    a, b = _app(), _app()
    assert [r for r in a.routes if getattr(r, "path", "") == "/api/ping"] == [
        r for r in b.routes if getattr(r, "path", "") == "/api/ping"
    ]
    assert a.openapi() is b.openapi()
    assert list(a.openapi()["paths"]) == ["/api/ping"]


def test_issue15_a_document_names_only_its_own_app_s_routes_and_version() -> None:
    plain = _app()
    assert list(plain.openapi()["paths"]) == ["/api/ping"]
    more = _app(extra=True)
    assert sorted(more.openapi()["paths"]) == ["/api/ping", "/extra"]
    assert list(plain.openapi()["paths"]) == ["/api/ping"]  # its own, kept
    other = _app(version="2")
    assert other.openapi()["info"]["version"] == "2"
    assert other.openapi() is not plain.openapi()
