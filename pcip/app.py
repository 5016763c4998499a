"""FastAPI application factory: the HTTP door onto the same services the CLI uses."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from pcip import REGULATION_NAME, __version__
from pcip.config import get_settings, refuse_unsafe_start
from pcip.doors import fast_inquiry
from pcip.doors.access_log import AccessLog
from pcip.doors.api_common import (
    UnitOfWorkRoute,
    database_refusal_handler,
    http_error_handler,
    pcip_error_handler,
    unexpected_error_handler,
    validation_error_handler,
)
from pcip.doors.assembly import include, share_openapi
from pcip.doors.http_guard import SMALL_BODY, BodyLimit, InputGuard, SecurityHeaders
from pcip.errors import PcipError
from pcip.kernel.platform import Platform
from pcip.kernel.shared_state import open_shared_state

STATIC = Path(__file__).parent / "web" / "static"
#: No request body may exceed this unless its route raises it (``pcip.doors.http_guard``).
MAX_REQUEST_BODY = SMALL_BODY
API_PREFIX = "/api/v1"

DESCRIPTION = f"""
Public Credit Information Platform implementing the **{REGULATION_NAME}**.

Every rule cites its article. Errors are JSON objects with a stable `code`, a `message`
and, where one field is at fault, its `field`.
"""


def settle_heap() -> None:
    """Issue 22: leave a serving process's startup objects out of the cyclic collector's scans.

    What exists when a server starts (the modules, the application and its routes, the
    platform: about 275,000 tracked objects) lives as long as the process. Python's full
    collections scanned all of it: under wrk each took about 200 ms of a public disclosure
    server's CPU, every request in flight waiting behind it, three or four times in 20 s
    (docs/performance.md, "The collector's pauses"). ``gc.freeze`` moves these objects to a
    generation the collector never scans; garbage made while serving is collected as before.
    For ``pcip serve`` only: a test process making many applications would keep them all.
    """
    gc.collect()
    gc.freeze()


def create_app(platform: Platform | None = None, *, serving: bool = False) -> FastAPI:
    """Build the application. Without a platform, one is opened from ``PCIP_*`` settings.

    ``serving``: the process exists to serve this application (``pcip serve``): its startup
    objects are frozen once it has started (:func:`settle_heap`).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = platform is None
        app.state.platform = platform or Platform.open()
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = app.state.platform.settings.worker_threads
        if serving:
            settle_heap()
        try:
            yield
        finally:
            if owned:
                app.state.platform.dispose()

    app = FastAPI(
        title="pcip",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    if platform is not None:
        app.state.platform = platform
    app.add_exception_handler(PcipError, pcip_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(StarletteHTTPException, http_error_handler)
    app.add_exception_handler(DataError, database_refusal_handler)
    app.add_exception_handler(Exception, unexpected_error_handler)
    # Outermost last: headers on every answer, then the body limit, then the text check.
    app.add_middleware(InputGuard)
    app.add_middleware(BodyLimit, max_bytes=MAX_REQUEST_BODY, routes=lambda: app.routes)
    app.add_middleware(SecurityHeaders)
    settings = platform.settings if platform is not None else get_settings()
    if settings.access_log:
        app.add_middleware(AccessLog)  # outermost: it times and logs every answer
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    app.router.route_class = UnitOfWorkRoute  # routes declared on the app itself

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        # Browsers ask for /favicon.ico whatever the page links: answer it, no 404 per page.
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        # Served from our own static files: the platform works with no internet (no CDN).
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="pcip API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
        )

    from pcip.assessment.api import routers as assessment_routers
    from pcip.auth.api import router as auth_router
    from pcip.calendar.api import router as calendar_router
    from pcip.catalog.api import router as catalog_router
    from pcip.complaints.api import routers as complaint_routers
    from pcip.doors.health import router as health_router
    from pcip.establishments.api import routers as establishment_routers
    from pcip.exchange.api import router as exchange_router
    from pcip.governance.api import routers as governance_routers
    from pcip.inquiry.api import routers as inquiry_routers
    from pcip.integrity.api import routers as integrity_routers
    from pcip.lists.api import routers as list_routers
    from pcip.measures.api import routers as measure_routers
    from pcip.objections.api import routers as objection_routers
    from pcip.pledges.api import routers as pledge_routers
    from pcip.records.api import router as batches_router
    from pcip.reports.api import routers as report_routers
    from pcip.restoration.api import routers as restoration_routers
    from pcip.revocation.api import routers as revocation_routers

    api_routers = [
        health_router,
        auth_router,
        catalog_router,
        batches_router,
        *inquiry_routers,
        *objection_routers,
        *list_routers,
        *measure_routers,
        *restoration_routers,
        *pledge_routers,
        *revocation_routers,
        *complaint_routers,
        *report_routers,
        *assessment_routers,
        *establishment_routers,
        *governance_routers,
        *integrity_routers,
        calendar_router,
        exchange_router,
    ]
    for router in api_routers:
        include(app, router, prefix=API_PREFIX)
    # Issue 22: the three logged inquiries most callers make skip FastAPI's routing and
    # dependency solving (same endpoints, same dependencies, same answers).
    fast_inquiry.install(app, API_PREFIX)
    refuse_unsafe_start(settings)  # production needs a real identity provider (issue 23)
    # Counters shared by every worker process (Redis) or kept in this one (issue 23).
    app.state.shared = open_shared_state(settings.redis_url, settings.redis_prefix)
    if settings.uses_dev_idp and settings.environment != "production":
        # Demo and tests only; says plainly what it is. Production configures PCIP_IDP_*.
        from pcip.auth.dev_idp_api import router as dev_idp_router

        include(app, dev_idp_router)
    from pcip import web

    # The web pages (portal, subject area, console): after the API, so its routes come first.
    web.mount(app, settings)
    share_openapi(app)  # the document built once per process for the same routes
    return app


def create_worker_app() -> FastAPI:
    """The factory each process of ``pcip serve --workers N`` calls (``pcip.app:create_worker_app``,
    uvicorn's ``factory=True``): the process's own logging (identifiers redacted, Art. 27),
    then an application that opens its own platform (database pool, keys, Redis) when it
    starts. The background rounds (audit checkpoints, the watches, the exchange) are not
    started here: they run once, in the supervising ``pcip serve`` process (issue 22)."""
    from pcip.kernel.logredact import configure_logging

    configure_logging(get_settings().log_level)
    return create_app(serving=True)
