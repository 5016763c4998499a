"""What every HTTP door shares: the platform dependency and JSON errors with a code."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from pcip.errors import PcipError, RateLimited
from pcip.platform import Platform


class ErrorBody(BaseModel):
    """Every API error: a stable code, a sentence, and the field at fault if there is one."""

    code: str
    message: str
    field: str | None = None


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Bad request"},
    404: {"model": ErrorBody, "description": "Not found"},
    422: {"model": ErrorBody, "description": "Invalid input"},
}


#: Every id column is a 64-bit integer (BIGINT; INTEGER on SQLite): a larger number in a path
#: or body is refused as invalid before it reaches the database.
MAX_ID = 2**63 - 1
IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="An id")]

#: Routes that need a signed-in caller or an API key add these.
AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Sign-in or API key required, or it is invalid"},
    403: {"model": ErrorBody, "description": "Not permitted for this role or this request"},
}


def get_platform(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


def get_session(platform: Annotated[Platform, Depends(get_platform)]) -> Iterator[Session]:
    """One transaction per request: the action, its audit and its log commit together."""
    with platform.transaction() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


async def pcip_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PcipError)
    # RFC 6750: a 401 says which scheme to use.
    headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else None
    if isinstance(exc, RateLimited):  # RFC 9110: when the client may try again
        headers = {"Retry-After": str(max(1, math.ceil(exc.retry_after)))}
    return JSONResponse(exc.as_dict(), status_code=exc.http_status, headers=headers)


async def validation_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
    loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
    return JSONResponse(
        {"code": "invalid", "message": str(first.get("msg")), "field": ".".join(loc) or None},
        status_code=422,
    )


_HTTP_CODES = {
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
}


async def unexpected_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    """A bug: still JSON with a code, and nothing of the internals (the log has the trace)."""
    import logging

    logging.getLogger("pcip").error("unexpected error", exc_info=exc)
    return JSONResponse(
        {"code": "internal", "message": "an unexpected error occurred; it has been logged"},
        status_code=500,
    )


async def http_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    """Routing errors (unknown path, wrong method) in the same JSON shape as every error."""
    from starlette.exceptions import HTTPException

    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else "request failed"
    return JSONResponse(
        {"code": code, "message": message, "field": None},
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


class DeclaredBodyLimit:
    """Refuse a request whose declared Content-Length exceeds the limit, in our JSON shape.

    Route-level ``max_body_size`` still guards bodies sent without a length (chunked); this
    answers the common case before a byte of the body is read, with a JSON error body.
    """

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            declared = dict(scope.get("headers") or []).get(b"content-length")
            if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
                response = JSONResponse(
                    {
                        "code": "too_large",
                        "message": f"request body is {int(declared):,} bytes; the limit is "
                        f"{self.max_bytes:,} bytes (split the batch)",
                        "field": None,
                    },
                    status_code=413,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
