"""The three logged inquiries most callers make, found and run without FastAPI's machinery
(issue 22 point 2).

A public disclosure of an organisation (``GET /api/v1/public/organisations/{key}``), a self
inquiry (``GET /api/v1/me/records``) and an authorized inquiry (``POST
/api/v1/inquiries/authorized``) spent about a fifth of the server's CPU in FastAPI before their
own work began: finding the route (FastAPI 0.165 tries the included routers one by one, each
with its effective-route bookkeeping, and the public route is the 16th of about 300) and solving
its dependencies. :class:`FastInquiries` sits in front of the router, inside every middleware
and inside the exception handlers, and runs these three itself:

* the **same endpoint** (the route's own, with its text check, its commit in the endpoint's
  thread and its one serialisation, ``pcip.doors.api_common.UnitOfWorkRoute``), so the same
  service, rules, log entry and commit (Art. 22: no answer without its committed log entry);
* the **same dependencies**, called as functions in FastAPI's order: the public rate limit
  (Art. 28) first, then the request's session (``get_session``: its rollback when anything
  fails, its close), the caller (``_bearer`` and ``pcip.auth.api``'s lookup), the channel;
* the scope keys routing sets (``endpoint``, ``route``, ``path_params``, ``router``), which the
  access log reads; errors are raised to the same handlers.

Two things differ. The caller's token is looked up in the endpoint's thread, just before the
endpoint, and in the request's own session (the inquiry's transaction), instead of in a thread
hop with a connection and a session of its own (one hop, one pool checkout and one session per
signed-in inquiry saved). And the endpoint's thread is one of a plain pool of the same size as
anyio's limiter (``pcip.doors.hop``), whose hop costs less than anyio's. Everything it does
not handle exactly as FastAPI would, it passes to the router untouched, before anything with an
effect (a counted request, a statement) has happened: a path parameter FastAPI would refuse, a
body that is not a valid JSON object of the route's model, a cookie (the web session), a
channel header, an ``Authorization`` that is not a bearer token, a ``root_path``, FastAPI's
request telemetry.
``tests/inquiry/test_fast_inquiry.py`` compares its answers, headers, access log lines and log
entries with the router's on generated requests, on both databases.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel
from pydantic import ValidationError as ModelInvalid
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pcip.auth.api import _bearer, bearer_principal_in, current_principal, request_channel
from pcip.auth.permissions import Principal
from pcip.doors.api_common import get_platform, get_session
from pcip.doors.hop import in_worker_thread
from pcip.doors.http_guard import replaying
from pcip.inquiry import api as inquiry_api
from pcip.inquiry.schemas import AuthorizedInquiry, Channel
from pcip.kernel.platform import Platform

_session_of = asynccontextmanager(get_session)
_TELEMETRY = "fastapi.telemetry"  # the scope key of FastAPI's request telemetry

#: Headers that send a request to the router: the web session's cookie decides the caller and
#: the channel, a channel claim may be refused (``pcip.auth.api.request_channel``).
_ROUTER_HEADERS = frozenset({b"cookie", b"x-pcip-channel"})


def _route(routes: list[Any], name: str) -> APIRoute:
    found = [r for r in routes if isinstance(r, APIRoute) and r.name == name]
    assert len(found) == 1, name
    return found[0]


class FastInquiries:
    """ASGI middleware put around the application's router by :func:`install`."""

    def __init__(self, app: ASGIApp, router: Any, api_prefix: str) -> None:
        self.app = app
        self.router = router
        self.public = _route(inquiry_api.public.routes, "organisation")
        self.own = _route(inquiry_api.me.routes, "my_records")
        self.authorized = _route(inquiry_api.inquiries.routes, "authorized")
        # "/api/v1/public/organisations/{key}" -> "/api/v1/public/organisations/"
        self.public_prefix = api_prefix + self.public.path.removesuffix("{key}")
        self.max_key = _max_length(self.public, "key")
        self.own_path = api_prefix + self.own.path
        self.authorized_path = api_prefix + self.authorized.path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # With FastAPI's telemetry on, the router names the route for its spans: leave it.
        if scope["type"] == "http" and not scope.get("root_path") and not scope.get(_TELEMETRY):
            left = await self._dispatch(scope, receive, send)
            if left is None:
                return
            receive = left
        await self.app(scope, receive, send)

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        """Answer the request if it is one of the three (None), else the ``receive`` the router
        must read it from (``receive`` itself, or the body read here given again)."""
        path: str = scope["path"]
        method: str = scope["method"]
        if method == "GET":
            if path == self.own_path:
                return await self._own(scope, receive, send)
            if not path.startswith(self.public_prefix):
                return receive
            key = path[len(self.public_prefix) :]
            # FastAPI's own checks of the path parameter: the router refuses the others.
            if not key or "/" in key or len(key) > self.max_key:
                return receive
            return await self._public(scope, receive, send, key)
        if method == "POST" and path == self.authorized_path:
            return await self._authorized(scope, receive, send)
        return receive

    async def _public(self, scope: Scope, receive: Receive, send: Send, key: str) -> Receive | None:
        request = Request(scope, receive, send)
        token = await _caller_token(request)
        if isinstance(token, _ToRouter):
            return receive
        self._found(scope, self.public, {"key": key})
        platform = await get_platform(request)
        await inquiry_api.public_rate_limit(request, platform)  # the router's dependency
        await self._run(request, send, self.public, platform, token, {"key": key})
        return None

    async def _own(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        request = Request(scope, receive, send)
        token = await _caller_token(request)
        if isinstance(token, _ToRouter):
            return receive
        self._found(scope, self.own, {})
        await self._run(request, send, self.own, await get_platform(request), token, {})
        return None

    async def _authorized(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        messages, body, error = await _read_body(receive)
        model = _model(scope, body, AuthorizedInquiry) if body is not None else None
        request = Request(scope, receive, send)
        token = await _caller_token(request) if model is not None else TO_ROUTER
        if isinstance(token, _ToRouter):  # the router reads the body again from the start
            return replaying(messages, receive, error)
        self._found(scope, self.authorized, {})
        platform = await get_platform(request)
        await self._run(request, send, self.authorized, platform, token, {"body": model})
        return None

    async def _run(
        self,
        request: Request,
        send: Send,
        route: APIRoute,
        platform: Platform,
        token: str | None,
        params: dict[str, Any],
    ) -> None:
        """What the route does once found: its session (entered first, as FastAPI solves it
        first), the caller, the channel, the endpoint in a worker thread (a plain pool of
        ``PCIP_WORKER_THREADS``, ``pcip.doors.hop``: anyio's hop cost more), then the answer."""
        async with _session_of(request) as session:
            principal = None if token is not None else await _anonymous(request, platform)
            channel = await request_channel(request)
            response = await in_worker_thread(
                platform.settings.worker_threads,
                _answer,
                route.endpoint,
                platform,
                token,
                principal,
                session,
                channel,
                params,
            )
        if not isinstance(response, Response):  # the endpoints answer a finished Response
            raise TypeError(f"{route.path} did not answer a finished response")
        await response(request.scope, request.receive, send)

    def _found(self, scope: Scope, route: APIRoute, path_params: dict[str, Any]) -> None:
        """The scope keys routing sets when it finds the route (the access log reads them)."""
        scope.setdefault("router", self.router)
        scope["endpoint"] = route.endpoint
        scope["path_params"] = path_params
        scope["route"] = route


def _answer(
    endpoint: Callable[..., Any],
    platform: Platform,
    token: str | None,
    principal: Principal | None,
    session: Any,
    channel: Channel,
    params: dict[str, Any],
) -> Any:
    """In one worker thread: the caller's token looked up in the request's session
    (``current_principal`` does the same in a hop, a connection and a session of its own),
    then the endpoint, with the arguments FastAPI would pass it."""
    if principal is None:
        assert token is not None
        principal = bearer_principal_in(session, token)
    return endpoint(session=session, principal=principal, channel=channel, **params)


async def _anonymous(request: Request, platform: Platform) -> Principal:
    # No credentials and no cookie (else the router has the request): no I/O, no hop.
    return await current_principal(request, platform, None)


class _ToRouter:
    """The request goes to the router (what :func:`_caller_token` says when it cannot tell)."""


TO_ROUTER = _ToRouter()


async def _caller_token(request: Request) -> str | _ToRouter | None:
    """The bearer token, None for a caller without credentials, TO_ROUTER for a request the
    router must answer (a cookie, a channel claim, an ``Authorization`` that is not a bearer
    token)."""
    for name, _ in request.scope["headers"]:
        if name in _ROUTER_HEADERS:
            return TO_ROUTER
    if request.headers.get("authorization") is None:
        return None
    credentials = await _bearer(request)
    return TO_ROUTER if credentials is None else credentials.credentials


def _max_length(route: APIRoute, name: str) -> int:
    for param in route.dependant.path_params:
        if param.name == name:
            for rule in param.field_info.metadata:
                if hasattr(rule, "max_length"):
                    return int(rule.max_length)
    raise AssertionError(f"{route.path}: no max_length on {name}")


def _model(scope: Scope, body: bytes, model: type[BaseModel]) -> BaseModel | None:
    """The JSON body as FastAPI would validate it, or None where FastAPI would refuse it or
    read it another way (another content type, an empty or invalid body): the router answers."""
    if not body or _content_type(scope) != "application/json":
        return None
    try:
        return model.model_validate(json.loads(body))
    except (ValueError, RecursionError, ModelInvalid):
        return None


def _content_type(scope: Scope) -> str | None:
    found = [v for k, v in scope["headers"] if k == b"content-type"]
    return found[0].decode("latin-1").strip().lower() if len(found) == 1 else None


async def _read_body(receive: Receive) -> tuple[list[Message], bytes | None, Exception | None]:
    """The whole body (None when reading stopped), the messages read (to replay to the router)
    and the error that stopped reading (the body limit), which the router is given again."""
    messages: list[Message] = []
    chunks: list[bytes] = []
    while True:
        try:
            message = await receive()
        except Exception as exc:
            return messages, None, exc
        messages.append(message)
        if message["type"] != "http.request":  # the client went away
            return messages, None, None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return messages, b"".join(chunks), None


def install(app: FastAPI, api_prefix: str) -> None:
    """Put :class:`FastInquiries` in front of ``app``'s router: inside the exception handlers
    (``ExceptionMiddleware`` calls the router), so an error it raises is answered as the
    route's would be."""
    router = app.router
    router.middleware_stack = FastInquiries(router.middleware_stack, router, api_prefix)


def installed(app: FastAPI) -> FastInquiries | None:
    stack = app.router.middleware_stack
    return stack if isinstance(stack, FastInquiries) else None


__all__ = ["FastInquiries", "install", "installed"]
