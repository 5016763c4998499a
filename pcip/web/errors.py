"""Errors on web pages are pages: the API's JSON error handlers stay for everything else.

``install(app)`` wraps the application's handlers: a request for a web path (anything outside
``/api``, ``/dev-idp``, ``/docs``, ``/openapi.json`` and ``/static``) gets an HTML page in the
visitor's language; an anonymous visitor who needs to sign in is sent to the sign-in page and
brought back afterwards.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import DataError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from pcip.doors.api_common import platform_of, refused_by_database
from pcip.errors import PcipError, RateLimited, Unauthorized
from pcip.web.i18n import N_
from pcip.web.pages import SAFE_METHODS, Page, _principal

log = logging.getLogger("pcip.web")
NOT_WEB = ("/api/", "/dev-idp/", "/static/", "/docs", "/openapi.json")

Handler = Callable[[Request, Exception], Awaitable[Response]]

TITLES = {
    400: N_("The request could not be handled"),
    401: N_("Please sign in"),
    403: N_("Not permitted"),
    404: N_("Page not found"),
    405: N_("The request could not be handled"),
    409: N_("This step is not possible now"),
    413: N_("The file is too large"),
    422: N_("Some information is missing or wrong"),
    429: N_("Too many requests"),
    500: N_("Something went wrong"),
    503: N_("Temporarily unavailable"),
}


def is_web(request: Request) -> bool:
    path = request.url.path
    return not (path.startswith(NOT_WEB) or path in ("/api", "/dev-idp", "/static"))


async def _page_for(request: Request) -> Page:
    existing = getattr(request.state, "web_page", None)
    if isinstance(existing, Page):
        return existing
    platform = platform_of(request)
    try:
        principal = await run_in_threadpool(_principal, request, platform)
    except Exception:  # the database itself may be why we are here
        from pcip.auth.permissions import ANONYMOUS

        principal = ANONYMOUS
    return Page(request, principal, platform)


def sign_in_url(request: Request) -> str:
    from urllib.parse import quote

    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = "/staff/signin" if request.url.path.startswith("/console") else "/signin"
    return f"{target}?next={quote(here, safe='/')}"


async def error_page(
    request: Request,
    status: int,
    message: str | None,
    *,
    code: str = "error",
    headers: dict[str, str] | None = None,
) -> Response:
    page = await _page_for(request)
    title = TITLES.get(status, TITLES[400])
    if page.is_htmx:
        # A fragment for the region htmx swaps (htmx is configured to swap errors).
        return page.render(
            "errors/fragment.html",
            status_code=status,
            headers=headers,
            title=title,
            message=message,
            code=code,
        )
    return page.render(
        "errors/error.html",
        status_code=status,
        headers=headers,
        title=title,
        message=message,
        code=code,
        status=status,
    )


def install(app: FastAPI) -> None:
    """Wrap the JSON error handlers so web paths answer with pages."""
    handlers: dict[Any, Handler] = dict(app.exception_handlers)

    def wrap(kind: Any) -> None:
        original = handlers.get(kind)
        if original is None:
            return

        async def handler(request: Request, exc: Exception) -> Response:
            if not is_web(request):
                return await original(request, exc)
            try:
                return await _web_error(request, exc)
            except Exception:  # never let the error page hide the error
                log.exception("the error page failed")
                return await original(request, exc)

        app.add_exception_handler(kind, handler)

    for kind in (PcipError, RequestValidationError, StarletteHTTPException, DataError, Exception):
        wrap(kind)


async def _web_error(request: Request, exc: Exception) -> Response:
    exc = refused_by_database(exc) or exc
    if isinstance(exc, Unauthorized):
        if request.method in SAFE_METHODS:
            return RedirectResponse(sign_in_url(request), status_code=303)
        return await error_page(request, 401, exc.message, code=exc.code)
    if isinstance(exc, RateLimited):
        retry = str(max(1, math.ceil(exc.retry_after)))
        return await error_page(
            request, 429, exc.message, code=exc.code, headers={"Retry-After": retry}
        )
    if isinstance(exc, PcipError):
        status = exc.http_status
        return await error_page(request, status, exc.message, code=exc.code)
    if isinstance(exc, RequestValidationError):
        errors = exc.errors()
        first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
        loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
        message = f"{'.'.join(loc)}: {first.get('msg')}" if loc else str(first.get("msg"))
        return await error_page(request, 422, message, code="invalid")
    if isinstance(exc, StarletteHTTPException):
        detail: str | None = exc.detail if isinstance(exc.detail, str) else None
        if exc.status_code == 404:
            detail = None
        return await error_page(request, exc.status_code, detail, code="http_error")
    log.error("unexpected error on a web page", exc_info=exc)
    return await error_page(request, 500, None, code="internal")
