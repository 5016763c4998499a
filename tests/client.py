"""The suite's in-process HTTP client: Starlette's ``TestClient`` with a transport that crosses
threads once per request (issue 15).

Starlette's own transport runs each request on a new event loop in a new thread (a blocking
portal), and hands every ASGI message and every body chunk across threads one at a time: some
ten thread hand-offs and a loop start per request. Measured on this machine, a bare FastAPI
``GET`` took 3.2 ms through it against 0.5 ms through httpx's ``ASGITransport``; the suite
sends tens of thousands of requests. This transport builds the same ASGI scope, runs the whole
request (the app, its ``receive`` and ``send``) as one coroutine on one long-lived event loop,
collects the body there, and returns it in one hand-off.

What stays as Starlette's client does it: the scope (client ``testclient:50000``, the
``http.response.debug`` extension, the lifespan state), cookies, redirects,
``raise_server_exceptions`` (the app's exception is raised in the test; without it a request
that never answered is a 500), and a client used as a context manager: its lifespan runs on its
own portal, and so do its requests (anything the lifespan bound to that loop still works).
Not kept: streaming a response chunk by chunk (every response is read whole; no test reads an
endless one) and WebSockets (pcip has none).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import unquote

import httpx
from starlette.testclient import TestClient as _StarletteTestClient

Message = dict[str, Any]
Outcome = tuple[int | None, list[tuple[str, str]], bytes, BaseException | None]

_loop: asyncio.AbstractEventLoop | None = None
_loop_lock = threading.Lock()


def _shared_loop() -> asyncio.AbstractEventLoop:
    """One event loop per test process, in a daemon thread (it never holds the process up)."""
    global _loop
    with _loop_lock:
        if _loop is None:
            loop = asyncio.new_event_loop()
            threading.Thread(
                target=loop.run_forever, name="pcip-test-client-loop", daemon=True
            ).start()
            _loop = loop
    return _loop


async def _run(app: Callable[..., Awaitable[None]], scope: Message, body: bytes) -> Outcome:
    """The whole exchange on the loop: the request body in one message, the answer collected."""
    status: int | None = None
    headers: list[tuple[str, str]] = []
    chunks: list[bytes] = []
    finished = asyncio.Event()
    request_sent = False

    async def receive() -> Message:
        nonlocal request_sent
        if not request_sent:
            request_sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await finished.wait()  # a disconnect only once the answer is complete, as Starlette's
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            assert status is None, 'Received multiple "http.response.start" messages.'
            status = int(message["status"])
            headers = [(k.decode(), v.decode()) for k, v in message.get("headers", [])]
        elif message["type"] == "http.response.body":
            assert status is not None, 'Received "http.response.body" without a start.'
            chunks.append(bytes(message.get("body", b"")))
            if not message.get("more_body", False):
                finished.set()

    error: BaseException | None = None
    try:
        await app(scope, receive, send)
    except BaseException as exc:  # handed to the calling thread, as Starlette's client does
        error = exc
    finally:
        finished.set()
    return status, headers, b"".join(chunks), error


class _OneHopTransport(httpx.BaseTransport):
    def __init__(self, client: TestClient, original: Any) -> None:
        self.client = client
        self.app = original.app
        self.raise_server_exceptions: bool = original.raise_server_exceptions
        self.root_path: str = original.root_path
        self.app_state: dict[str, Any] = original.app_state
        self.peer: tuple[str, int] = original.client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        port = url.port or {"http": 80, "https": 443}[url.scheme]
        headers = [] if "host" in request.headers else [(b"host", url.netloc)]
        headers += [(k.lower().encode(), v.encode()) for k, v in request.headers.multi_items()]
        scope: Message = {
            "type": "http",
            "http_version": "1.1",
            "method": request.method,
            "path": unquote(url.path),
            "raw_path": url.raw_path.split(b"?", 1)[0],
            "root_path": self.root_path,
            "scheme": url.scheme,
            "query_string": url.query,
            "headers": headers,
            "client": self.peer,
            "server": [url.raw_host.decode("ascii"), port],
            "extensions": {"http.response.debug": {}, "http.response.trailers": {}},
            "state": self.app_state.copy(),
        }
        body = request.read()
        portal = self.client.portal
        if portal is not None:  # inside ``with client``: the lifespan's own loop
            outcome = portal.call(_run, self.app, scope, body)
        else:
            future = asyncio.run_coroutine_threadsafe(_run(self.app, scope, body), _shared_loop())
            outcome = future.result()
        status, response_headers, content, error = outcome
        if error is not None and self.raise_server_exceptions:
            raise error
        if status is None:
            if self.raise_server_exceptions:
                raise AssertionError("TestClient did not receive any response.")
            status, response_headers, content = 500, [], b""
        if request.method == "HEAD":
            content = b""
        return httpx.Response(
            status, headers=response_headers, stream=httpx.ByteStream(content), request=request
        )


class TestClient(_StarletteTestClient):
    """Starlette's test client, one thread hand-off per request (see the module's text)."""

    __test__ = False

    def __init__(self, app: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(app, *args, **kwargs)
        client: Any = self  # httpx.Client's transport attribute is private and untyped
        client._transport = _OneHopTransport(self, client._transport)
