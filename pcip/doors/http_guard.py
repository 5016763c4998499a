"""What every HTTP door does before a route sees a request, and to every answer (issue 23).

* **Body size limits, enforced while reading.** The application refuses any request body
  larger than :data:`SMALL_BODY` (1 MiB: every JSON body and form of the platform is far
  smaller); the routes that take files or batches raise their own limit to
  :data:`UPLOAD_BODY` with ``max_body_size=UPLOAD_BODY`` on the route. The limit counts the
  bytes as they arrive, chunked bodies included, and stops reading at the first byte over it:
  a client claiming 1 GiB costs the server at most the limit. The answer is a 413 naming the
  limit (:func:`too_large_message`).
* **Text the databases cannot store.** PostgreSQL refuses the NUL character (U+0000) in text,
  and no database can store an unpaired surrogate (``"\\ud800"`` in JSON). :class:`InputGuard`
  refuses both in the path, the query string, JSON bodies and URL-encoded forms with a 422
  naming the field, before any route runs. (Batch rows are checked row by row by the
  ingestion pipeline instead, so one bad row is rejected with its line and field and the
  others are kept; multipart fields are checked by the database safety net in
  ``pcip.doors.api_common``.)
* **Headers on every answer.** :class:`SecurityHeaders`: no page may be framed by another
  site (``Content-Security-Policy: frame-ancestors 'none'`` and ``X-Frame-Options: DENY``,
  against click-jacking), no answer is sniffed into another type (``X-Content-Type-Options``),
  no referrer leaves the site with a query, and every answer except the static files is
  ``Cache-Control: no-store``: answers carry personal data (Art. 27, 39) and must not stay in
  a shared or browser cache.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pcip.kernel.text import bad_text

__all__ = [
    "SMALL_BODY",
    "UPLOAD_BODY",
    "BodyLimit",
    "InputGuard",
    "SecurityHeaders",
    "bad_text",
    "replaying",
    "too_large_message",
]

#: Every request body of the platform that carries no file: JSON objects and forms.
SMALL_BODY = 1024 * 1024
#: Routes that take files (evidence, batch files, calendars) or a JSON batch of 10,000 rows.
UPLOAD_BODY = 32 * 1024 * 1024
#: Paths whose JSON body is not scanned here: batch rows are checked one by one by the
#: ingestion pipeline, which rejects a bad row with its line and field and keeps the others.
UNSCANNED_BODIES = frozenset({"/api/v1/batches"})


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MiB" if n % (1024 * 1024) == 0 else f"{n:,} bytes"


def too_large_message(limit: int) -> str:
    return f"the request body is larger than this route's limit of {_size(limit)} ({limit:,} bytes)"


class BodyTooLarge(HTTPException):
    """413: an HTTP error, so that FastAPI's body parsing passes it on untouched (it turns
    any other exception raised while reading into a 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, detail=too_large_message(limit))
        self.limit = limit


class BodyLimit:
    """Count the request body's bytes as they arrive and stop at the limit (chunked too).

    The limit is ``max_bytes`` unless the request's route was declared with a larger
    ``max_body_size`` (``pcip.doors.api_common.UnitOfWorkRoute`` keeps it as ``body_limit``;
    ``routes`` returns the application's routes, read once, on the first request). A body
    over the limit raises :class:`BodyTooLarge` where the route reads it, so the
    route's door answers it (JSON for the API, a page for the web); the rest of the body is
    never read.
    """

    def __init__(
        self, app: ASGIApp, max_bytes: int = SMALL_BODY, routes: Callable[[], Any] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self._routes = routes
        self._raised: list[tuple[frozenset[str], re.Pattern[str], int]] | None = None

    def limit_for(self, method: str, path: str) -> int:
        if self._raised is None:
            self._raised = _raised_limits(self._routes() if self._routes else [])
        for methods, pattern, limit in self._raised:
            if method in methods and pattern.match(path):
                return limit
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("method", ""), scope.get("path", ""))
        declared = _content_length(scope)
        received = 0

        async def limited() -> Message:
            nonlocal received
            if declared is not None and declared > limit:
                raise BodyTooLarge(limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, limited, send)


def _raised_limits(routes: Any) -> list[tuple[frozenset[str], re.Pattern[str], int]]:
    """(methods, path pattern, limit) of every route declared with a larger body limit."""
    from starlette.routing import compile_path

    return [
        (frozenset(methods), compile_path(path)[0], limit)
        for methods, path, limit in _declared_limits(routes, "")
    ]


def _declared_limits(routes: Any, prefix: str) -> Iterator[tuple[set[str], str, int]]:
    """Walk the routes as declared. FastAPI's own walk (``iter_route_contexts``) builds an
    effective copy of every route of every included router first: about 0.2 s per
    application, paid by every test that makes one; the prefixes are all this needs."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _declared_limits(included.routes, prefix + route.include_context.prefix)
            continue
        limit = getattr(route, "body_limit", None)
        if isinstance(limit, int):
            yield set(route.methods or ()), prefix + str(route.path), limit


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers") or ():
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


# --- text the databases cannot store ---------------------------------------------------------


def _walk(value: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every string in a JSON document (keys too) with the path that leads to it."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield (*path, str(key)), str(key)
            yield from _walk(item, (*path, str(key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, (*path, str(i)))


def _first_bad(pairs: Iterator[tuple[str, str]]) -> tuple[str, str] | None:
    for field, value in pairs:
        reason = bad_text(value)
        if reason is not None:
            return field, reason
    return None


def _query_pairs(query: str) -> Iterator[tuple[str, str]]:
    for name, value in parse_qsl(query, keep_blank_values=True):
        yield name, name
        yield name, value


def _json_pairs(body: bytes) -> Iterator[tuple[str, str]]:
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
        return  # not JSON: the route's own validation answers
    for path, value in _walk(doc, ()):
        yield ".".join(path) or "body", value


def _refusal(field: str, reason: str) -> JSONResponse:
    return JSONResponse(
        {"code": "invalid", "message": f"{field} {reason}", "field": field}, status_code=422
    )


class InputGuard:
    """Refuse NUL characters and unpaired surrogates in any text input, naming the field."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        if (reason := bad_text(path)) is not None:
            await _refusal("path", reason)(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        if "%00" in query or "\x00" in query:
            found = _first_bad(_query_pairs(query))
            if found is not None:
                await _refusal(*found)(scope, receive, send)
                return
        kind = _content_type(scope)
        if kind not in ("application/json", "application/x-www-form-urlencoded") or (
            path in UNSCANNED_BODIES
        ):
            await self.app(scope, receive, send)
            return
        body, messages, error = await _read_body(receive)
        if body is None:  # the client went away, or the body limit stopped reading
            await self.app(scope, replaying(messages, receive, error), send)
            return
        if kind == "application/json":
            found = _first_bad(_json_pairs(body)) if b"\\u" in body else None
        else:
            text = body.decode("utf-8", "replace")
            found = _first_bad(_query_pairs(text)) if "%00" in text or "\x00" in text else None
        if found is not None:
            await _refusal(*found)(scope, receive, send)
            return
        await self.app(scope, replaying(messages, receive), send)


def _content_type(scope: Scope) -> str:
    for name, value in scope.get("headers") or ():
        if name == b"content-type":
            text: str = bytes(value).decode("latin-1")
            return text.split(";", 1)[0].strip().lower()
    return ""


async def _read_body(receive: Receive) -> tuple[bytes | None, list[Message], Exception | None]:
    """The whole body, the messages to replay, and the error that stopped reading, if any
    (``receive`` enforces the size limit: its 413 is raised again when the route reads)."""
    messages: list[Message] = []
    chunks: list[bytes] = []
    while True:
        try:
            message = await receive()
        except Exception as exc:  # the body limit: the route's handlers answer it
            return None, messages, exc
        messages.append(message)
        if message["type"] != "http.request":
            return None, messages, None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks), messages, None


def replaying(messages: list[Message], receive: Receive, error: Exception | None = None) -> Receive:
    """A ``receive`` that gives ``messages`` again, then raises ``error`` (the one that stopped
    reading, if any) or reads on (``pcip.doors.fast_inquiry`` hands a body it read on too)."""
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        if error is not None:
            raise error
        return await receive()

    return replay


# --- headers on every answer -----------------------------------------------------------------

_ALWAYS = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)
_FRAME_ANCESTORS = b"frame-ancestors 'none'"
_NO_STORE = (b"cache-control", b"no-store")
_STATIC = "/static/"


def _secured(original: Any, static: bool) -> list[tuple[bytes, bytes]]:
    headers = [(k, v) for k, v in original if static or k.lower() != b"cache-control"]
    names = {k.lower() for k, _ in headers}
    headers += [h for h in _ALWAYS if h[0] not in names]
    for i, (name, value) in enumerate(headers):
        if name.lower() == b"content-security-policy":
            if b"frame-ancestors" not in value:
                headers[i] = (name, value + b"; " + _FRAME_ANCESTORS)
            break
    else:
        headers.append((b"content-security-policy", _FRAME_ANCESTORS))
    if not static:
        headers.append(_NO_STORE)
    return headers


class SecurityHeaders:
    """Anti-framing and no-sniff on every answer; ``no-store`` on all but the static files."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith(_STATIC)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": _secured(message.get("headers", ()), static)}
            await send(message)

        await self.app(scope, receive, send_with_headers)
