"""Rate limiting for public search and disclosure (Art. 28).

Art. 28 requires the platform to guard against bulk or anomalous querying of credit information
(it raises alerts on such patterns) and not to offer a bulk-export interface. A per-client limit
on the public search and disclosure endpoints is the first line of that guard: it makes
enumerating the register through the public interface slow enough to be noticed.

Algorithm: a sliding-window log (``pcip.kernel.shared_state``). A client may make at most ``limit``
requests in *any* window of ``per_seconds`` seconds (the window is half-open: a request at
``t`` stops counting at ``t + per_seconds``), and may spend all of them at once (a burst of
``limit``). A token bucket was not chosen because its guarantee is weaker and harder to state:
after a full burst it refills continuously, so almost ``2 x limit`` requests fit in one
window. Refused requests do not count, so a client that keeps retrying is let in again as soon
as its oldest counted request leaves the window, and ``retry_after`` says exactly when that is.

Where the counts live: in the platform's shared state (issue 23). With ``PCIP_REDIS_URL`` set
they are in Redis, so the limit is exact across any number of worker processes; without it
they are in this process's memory (O(1) amortised per hit, at most ``max_keys`` clients
tracked, stale clients forgotten), exact for the default single-process ``pcip serve``.

The clock is elapsed time (monotonic, or Redis's own clock), not :mod:`pcip.clock`: this
measures time between requests, not a legal date, and is immune to wall-clock steps.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from starlette.requests import Request

from pcip.kernel.shared_state import MemoryState, RateDecision, SharedState

__all__ = ["RateDecision", "RateLimiter", "client_key"]


class RateLimiter:
    """At most ``limit`` requests per key in any window of ``per_seconds`` seconds.

    Without ``state`` the counts are kept in a :class:`~pcip.kernel.shared_state.MemoryState` of its
    own (``clock`` and ``max_keys`` apply to it).
    """

    def __init__(
        self,
        limit: int,
        per_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
        *,
        state: SharedState | None = None,
        prefix: str = "rate:public:",
    ) -> None:
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit}")
        if not per_seconds > 0:
            raise ValueError(f"per_seconds must be positive, got {per_seconds}")
        if max_keys < 1:
            raise ValueError(f"max_keys must be at least 1, got {max_keys}")
        self.limit = limit
        self.per_seconds = float(per_seconds)
        self.state: SharedState = state or MemoryState(clock, max_keys)
        self.prefix = prefix

    def __len__(self) -> int:
        """Number of keys currently tracked (in memory; unknown for Redis: 0)."""
        return self.state.window_keys() if isinstance(self.state, MemoryState) else 0

    def hit(self, key: str) -> RateDecision:
        """Count one request for ``key`` if the limit allows it, and say whether it did."""
        return self.state.window_hit(self.prefix + key, self.limit, self.per_seconds)


# Behind a reverse proxy, request.client is the proxy's address, and every client would share
# one limit. Do not fix that here by reading X-Forwarded-For: without a trusted proxy in front,
# any client can send that header with a different made-up address on each request and so
# escape the limit entirely. Instead, a deployment behind a reverse proxy runs uvicorn with
# ``--proxy-headers`` and ``--forwarded-allow-ips=<proxy address>`` (``forwarded_allow_ips`` in
# uvicorn.run): uvicorn then replaces request.client with the forwarded address only for
# connections that really come from the trusted proxy, and this function needs no change.
def client_key(request: Request) -> str:
    """The rate-limit key of a request: the client's address, or ``"unknown"``."""
    client = request.client
    if client is None or not client.host:
        return "unknown"
    return client.host
