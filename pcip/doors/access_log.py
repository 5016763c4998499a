"""The server's access log: one line per request, with no identifier in it (Art. 27).

A request line is where identifiers leak first: ``/organisations/91500000...`` names the
organisation, ``/api/v1/...?id_number=`` a person. This log writes the route's template instead
of the path (``GET /organisations/{key} 200 3.1 ms``), never the query string, and passes the
line through the same redaction as the application log (``pcip.kernel.logredact``). A request
no route matched is written as ``(no route)``: its path could hold anything.

Lines go to the ``pcip.access`` logger at INFO, through the handlers ``pcip serve`` configures
(stderr by default); ``PCIP_ACCESS_LOG=false`` turns them off.
"""

from __future__ import annotations

import logging
import time

from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pcip.kernel.logredact import redact

log = logging.getLogger("pcip.access")
NO_ROUTE = "(no route)"


def route_template(scope: Scope) -> str:
    """The request's path with each path parameter's value replaced by its name."""
    endpoint = scope.get("endpoint")
    path = str(scope.get("path", ""))
    if endpoint is None:
        return NO_ROUTE
    if isinstance(endpoint, StaticFiles):
        return "/static/…"  # files of the project, but their names are of no use here
    names = {str(value): name for name, value in (scope.get("path_params") or {}).items()}
    segments = ["{" + names[s] + "}" if s in names else s for s in path.split("/")]
    return redact("/".join(segments))


class AccessLog:
    """ASGI middleware writing one line per HTTP request after its answer went out."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # an exception before the answer started is answered 500 upstream

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            # The line's template and redaction cost more than the rest of this middleware:
            # only when the line is written (issue 22; PCIP_LOG_LEVEL above INFO writes none).
            if log.isEnabledFor(logging.INFO):
                elapsed = (time.perf_counter() - started) * 1000
                method = scope.get("method", "")
                log.info("%s %s %d %.1f ms", method, route_template(scope), status, elapsed)
