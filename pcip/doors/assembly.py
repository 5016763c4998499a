"""Putting the areas' routers into an application, with each inclusion built once per process.

FastAPI (0.16x) turns every route of an included router into an "effective" route the first
time an application routes a request through it: it analyses the endpoint's dependencies and
builds its parameter models again, about 0.3 s of CPU for pcip's routes. A server pays that
once per process. The test suite builds an application per test, well over a thousand of
them, and paid it every time: about two and a half minutes of an eight-minute run (issue 15).

The inclusion holds no state of an application: routes find the platform, the shared counters
and the settings through ``request.app``. So one inclusion, made on a scratch router the first
time it is asked for, is put into every application that includes the same router with the same
prefix, tags and schema flag; its effective routes are built once and kept. One consequence:
``app.dependency_overrides`` does not reach these routes (the inclusion was made on the scratch
router); pcip sets no overrides, and its tests use real services instead.

The OpenAPI document is shared the same way (``share_openapi``): FastAPI builds it per
application on the first ``/openapi.json`` (0.7-1.5 s of CPU), and applications whose
documented routes are the same objects, under the same title, version and description, get
the same document.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.routing import BaseRoute

from pcip.doors.api_common import Router

_Key = tuple[int, str, tuple[str, ...], bool]
_included: dict[_Key, tuple[APIRouter, list[BaseRoute]]] = {}
_lock = threading.Lock()


def include(
    app: FastAPI,
    router: APIRouter,
    *,
    prefix: str = "",
    tags: tuple[str, ...] = (),
    include_in_schema: bool = True,
) -> None:
    """``app.include_router(router, ...)``, sharing the inclusion between applications."""
    if router.on_startup or router.on_shutdown:
        # A shared inclusion cannot carry start-up work into each application.
        raise ValueError(f"router {router!r} has start-up or shut-down handlers")
    key = (id(router), prefix, tags, include_in_schema)
    with _lock:
        made = _included.get(key)
        if made is None or made[0] is not router:  # (an id can be reused by a new router)
            scratch = APIRouter()
            scratch.include_router(
                router, prefix=prefix, tags=list(tags), include_in_schema=include_in_schema
            )
            made = _included[key] = (router, list(scratch.routes))
            if isinstance(router, Router):
                router.included_under(prefix)
    app.router.routes.extend(made[1])


_DocKey = tuple[str, str, str, str | None]
#: Per title, version, OpenAPI version and description: the documented routes and their document.
_documents: dict[_DocKey, tuple[tuple[BaseRoute, ...], dict[str, Any]]] = {}


def share_openapi(app: FastAPI) -> None:
    """Give ``app`` the OpenAPI document already built for the same documented routes.

    The routes are compared by identity (the shared inclusions above), and kept with the
    document, so that an id is never taken for another route's. Call it once the app's routes
    are all in place; a route added later makes the document another one."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            routes = tuple(r for r in app.routes if getattr(r, "include_in_schema", False))
            key = (app.title, app.version, app.openapi_version, app.description)
            with _lock:
                made = _documents.get(key)
            if (
                made is not None
                and len(made[0]) == len(routes)
                and all(a is b for a, b in zip(made[0], routes, strict=True))
            ):
                app.openapi_schema = made[1]
            else:
                document = build()
                with _lock:
                    _documents[key] = (routes, document)
        return app.openapi_schema  # type: ignore[return-value]  # set above

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override
