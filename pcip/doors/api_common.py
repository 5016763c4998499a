"""What every HTTP door shares: the platform dependency and JSON errors with a code."""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

import anyio.to_thread
from anyio import CapacityLimiter
from fastapi import APIRouter, Depends, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy.exc import DataError, StatementError
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile as StarletteUploadFile
from starlette.routing import BaseRoute, Match, Mount, Route, WebSocketRoute
from starlette.types import Scope

from pcip.doors.http_guard import bad_text
from pcip.errors import PcipError, RateLimited, ValidationError
from pcip.kernel.answers import Answer
from pcip.kernel.messages import msg
from pcip.kernel.platform import Platform


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


def platform_of(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


async def get_platform(request: Request) -> Platform:
    # ``async``: it does no I/O, and a plain ``def`` dependency costs a hop to the thread pool.
    return platform_of(request)


def _finish(session: Session, failed: bool) -> None:
    try:
        if failed:
            session.rollback()
        else:
            session.commit()
    finally:
        session.close()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request: the action, its audit and its log commit together.

    The session is opened here without I/O (its connection is taken by the endpoint's first
    statement) and ends in one hop to a thread of its own: never waiting for a worker thread
    of the pool, which may all be waiting for a database connection this one holds.
    """
    session = platform_of(request).sessions()
    try:
        yield session
    except BaseException:
        await anyio.to_thread.run_sync(_finish, session, True, limiter=CapacityLimiter(1))
        raise
    if session.in_transaction():  # not yet committed by the endpoint (an ``async`` one)
        await anyio.to_thread.run_sync(_finish, session, False, limiter=CapacityLimiter(1))
    else:
        session.close()  # nothing left to end: no I/O, no hop


def _ends_its_transaction(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Run a plain ``def`` endpoint, then commit its request's transaction in the same thread.

    FastAPI validates a plain endpoint's answer in another hop to the worker-thread pool. Were
    the transaction still open then, under load every worker thread could be waiting for a
    database connection while every connection waited for a worker thread to finish its
    answer: nothing moves until the pool's timeout (seen under wrk: 40 threads waiting, 30
    connections idle in transaction). Committing here returns the connection first. A failed
    commit fails the request, as before (Art. 22: no answer without its log entry); the
    session dependency still closes the session, or rolls back when the endpoint raised.
    """

    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> Any:
        result = endpoint(*args, **kwargs)
        for value in kwargs.values():
            if isinstance(value, Session):
                value.commit()
        return result

    return run


#: Set on an endpoint by :func:`answered_in_its_thread`.
_ANSWERED_IN_ITS_THREAD = "__pcip_answered_in_its_thread__"


def answered_in_its_thread(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a plain ``def`` endpoint whose answer is serialised in its own thread (issue 22).

    FastAPI validates a plain endpoint's answer again in a second hop to the worker-thread
    pool, then serialises it. For an endpoint that returns exactly its ``response_model``
    (already validated when it was built), :class:`UnitOfWorkRoute` serialises it once, with
    pydantic's JSON serialiser, in the endpoint's thread after the commit, and hands FastAPI
    the finished answer: no second hop, no second validation, the same bytes. An endpoint may
    also return a ``pcip.kernel.answers.Answer`` of its ``response_model``: its tree is
    written with orjson, as the model would write it, without building the model. Only for
    endpoints that take no ``Response`` parameter (headers or cookies set on it would be lost
    with a finished answer). Put it under the route decorator."""
    setattr(endpoint, _ANSWERED_IN_ITS_THREAD, True)
    return endpoint


def _serialised(route: APIRoute, endpoint: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> Any:
        result = endpoint(*args, **kwargs)
        if isinstance(result, Answer) and result.model_type is route.response_model:
            body: bytes | str = result.json()  # its tree, written as the model would write it
        elif isinstance(result, BaseModel) and type(result) is route.response_model:
            body = result.model_dump_json(by_alias=True)
        else:
            return result  # anything else goes FastAPI's usual way
        return Response(body, status_code=route.status_code or 200, media_type="application/json")

    return run


def _text_problem(name: str, value: Any) -> ValidationError | None:
    """A parameter the databases cannot store: a NUL or an unpaired surrogate in its text."""
    if isinstance(value, str):
        reason = bad_text(value)
        if not reason:
            return None
        return ValidationError(msg("console.field_text", field=name, reason=reason), field=name)
    if isinstance(value, StarletteUploadFile):
        reason = bad_text(value.filename or "")
        if not reason:
            return None
        return ValidationError(msg("console.file_name_text", field=name, reason=reason), field=name)
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            if (problem := _text_problem(f"{name}[{i}]", item)) is not None:
                return problem
    return None


def _check_text(kwargs: dict[str, Any]) -> None:
    for name, value in kwargs.items():
        if (problem := _text_problem(name, value)) is not None:
            raise problem


def _checks_its_text(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse NUL characters and unpaired surrogates in the endpoint's parameters (form
    fields, file names, query and path values), naming the parameter (issue 23): PostgreSQL
    cannot store them, and a refusal is the caller's error, not the server's."""
    if inspect.iscoroutinefunction(endpoint):

        @functools.wraps(endpoint)
        async def run_async(*args: Any, **kwargs: Any) -> Any:
            _check_text(kwargs)
            return await endpoint(*args, **kwargs)

        return run_async

    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> Any:
        _check_text(kwargs)
        return endpoint(*args, **kwargs)

    return run


class UnitOfWorkRoute(APIRoute):
    """Every route of the platform: plain endpoints end their transaction in their thread.

    ``max_body_size`` raises the platform's request body limit for this route
    (``pcip.doors.http_guard``: counted while reading, chunked bodies too, a 413 naming the limit).
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            answered = getattr(endpoint, _ANSWERED_IN_ITS_THREAD, False)
            endpoint = _ends_its_transaction(_checks_its_text(endpoint))
            if answered:
                endpoint = _serialised(self, endpoint)
        else:
            endpoint = _checks_its_text(endpoint)
        # Our own limiter (a JSON or page 413 naming the limit), not Starlette's plain text:
        # ``pcip.doors.http_guard.BodyLimit`` reads it from here.
        self.body_limit: int | None = kwargs.pop("max_body_size", None)
        super().__init__(path, endpoint, **kwargs)


class Router(APIRouter):
    """``APIRouter`` whose routes are :class:`UnitOfWorkRoute` (use it for every router).

    It also answers "none of mine" at once for a path that none of its routes can match.
    FastAPI (0.16x) asks every included router in turn, and each tries its routes one by one:
    a request for a route late in the table (every web page comes after the API) or for no
    route at all went through some 300 routes, about 1.9 ms of a 404's 2.6 ms of CPU. A
    route's path can only match a request path that starts with the path's literal part (up
    to its first ``{``, which Starlette compiles into an anchored pattern), under the prefix
    the router was included with; so a request path that starts with none of those is no
    match for any of them, and the router says so without trying them. The prefixes are the
    ones :func:`pcip.doors.assembly.include` put the router under (the one door through which
    pcip puts routers into an application); a router it never saw tries every route.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("route_class", UnitOfWorkRoute)
        super().__init__(**kwargs)
        self._under: set[str] = set()
        self._reach: tuple[str, ...] = ()
        self._reach_of: tuple[int, int] = (-1, -1)

    def included_under(self, prefix: str) -> None:
        """Record that an application includes this router under ``prefix``."""
        self._under.add(prefix)

    def reach(self) -> tuple[str, ...]:
        """Every request path a route of this router can match starts with one of these
        (``("",)``: any path may)."""
        if self._reach_of != (len(self.routes), len(self._under)):
            literal = _literal_reach(self.routes)
            if literal is None or not self._under:
                self._reach = ("",)
            else:
                self._reach = tuple(sorted(prefix + literal for prefix in self._under))
            self._reach_of = (len(self.routes), len(self._under))
        return self._reach

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        # With a root_path, Starlette matches the path without it: leave that to FastAPI.
        if not scope.get("root_path") and not scope["path"].startswith(self.reach()):
            return Match.NONE, {}
        return super().matches(scope)


def _literal_reach(routes: list[BaseRoute]) -> str | None:
    """The literal start every route's path shares, or ``None`` where a route matches by
    something else than a path of its own (a host, a router included inside this one)."""
    literals = []
    for route in routes:
        if not isinstance(route, (Route, WebSocketRoute, Mount)):
            return None
        literals.append(route.path.split("{", 1)[0])
    if not literals:
        return None
    # Character by character, not by path segment: "/me" starts "/me/records" and "/mes".
    # What all of them start with is what the first and last in sorted order start with.
    first, last = min(literals), max(literals)
    same = 0
    while same < len(first) and first[same] == last[same]:
        same += 1
    return first[:same]


#: ``scope="function"``: the transaction commits when the endpoint returns, BEFORE the answer
#: is sent. (The default scope ends after the response has gone out: a client could read an
#: inquiry whose log entry then failed to commit, Art. 22, or be told "created" for a change
#: that was rolled back, and its next request could run before the commit.)
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def message_locale(request: Request) -> str:
    """The language of an API error's ``message``: English unless ``Accept-Language`` puts
    Chinese first (the ``code`` is what a program reads; the message is for a person)."""
    first = request.headers.get("accept-language", "").split(",")[0].strip().lower()
    return "zh_CN" if first.startswith("zh") else "en"


async def pcip_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PcipError)
    # RFC 6750: a 401 says which scheme to use.
    headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else None
    if isinstance(exc, RateLimited):  # RFC 9110: when the client may try again
        headers = {"Retry-After": str(max(1, math.ceil(exc.retry_after)))}
    body = exc.as_dict(message_locale(request))
    return JSONResponse(body, status_code=exc.http_status, headers=headers)


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


def refused_by_database(exc: BaseException) -> ValidationError | None:
    """The caller's input, refused by the database driver (issue 23's safety net).

    Every text input is checked before it reaches a statement (``pcip.doors.http_guard``,
    ``UnitOfWorkRoute``); should one still carry a NUL character, an unpaired surrogate or a
    number out of a column's range, the driver refuses the statement before the database runs
    it. That is the caller's error (422), not the server's, and the connection stays usable.
    """
    if isinstance(exc, DataError) or (
        isinstance(exc, StatementError) and isinstance(exc.orig, UnicodeEncodeError)
    ):
        return ValidationError(msg("doors.value_not_stored"), code="invalid")
    return None


async def database_refusal_handler(request: Request, exc: Exception) -> JSONResponse:
    """``DataError``: the driver refused a value (see :func:`refused_by_database`)."""
    refused = refused_by_database(exc)
    if refused is None:
        return await unexpected_error_handler(request, exc)
    import logging

    logging.getLogger("pcip").warning("input refused by the database driver: %s", type(exc))
    return await pcip_error_handler(request, refused)


async def unexpected_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """A bug: still JSON with a code, and nothing of the internals (the log has the trace)."""
    import logging

    refused = refused_by_database(exc)
    if refused is not None:
        logging.getLogger("pcip").warning("input refused by the database driver: %s", type(exc))
        return await pcip_error_handler(request, refused)
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
