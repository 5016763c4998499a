"""What every HTTP door shares: the platform dependency and JSON errors with a code."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from pcip.errors import PcipError
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
    return JSONResponse(exc.as_dict(), status_code=exc.http_status)


async def validation_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
    loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
    return JSONResponse(
        {"code": "invalid", "message": str(first.get("msg")), "field": ".".join(loc) or None},
        status_code=422,
    )


_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized", 403: "forbidden"}


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
