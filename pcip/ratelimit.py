"""In-process rate limiting for public search and disclosure (Art. 28).

Art. 28 requires the platform to guard against bulk or anomalous querying of credit information
(it raises alerts on such patterns) and not to offer a bulk-export interface. A per-client limit
on the public search and disclosure endpoints is the first line of that guard: it makes
enumerating the register through the public interface slow enough to be noticed.

Algorithm: a sliding-window log. A client may make at most ``limit`` requests in *any* window of
``per_seconds`` seconds (the window is half-open: a request at ``t`` stops counting at
``t + per_seconds``), and may spend all of them at once (a burst of ``limit``). A token bucket
was not chosen because its guarantee is weaker and harder to state: after a full burst it
refills continuously, so almost ``2 x limit`` requests fit in one window. Refused requests do
not count, so a client that keeps retrying is let in again as soon as its oldest counted
request leaves the window, and ``retry_after`` says exactly when that is.

Cost: O(1) amortised per hit (every timestamp is appended once and removed once). Memory holds
at most ``max_keys`` clients and at most ``limit`` timestamps each; in practice it holds one
timestamp per request made in the last window, because a client only accumulates timestamps by
making requests. Clients whose window has emptied are dropped as they age (that loses nothing:
an empty window is the same as no entry); beyond ``max_keys`` the least recently seen client is
dropped even if its window is not empty, which can only make the limit more lenient for that
client, never refuse anyone wrongly.

Per process: the state lives in this process's memory. The default deployment runs one uvicorn
worker (``pcip serve``), so the limit is exact there. With N worker processes each keeps its own
counts and the effective limit is N x ``limit`` per client; a multi-worker deployment wanting
an exact limit must move this state to a shared store (or rate-limit at the reverse proxy).

The clock is :func:`time.monotonic`: this measures elapsed time between requests, not a legal
date, so it deliberately does not use :mod:`pcip.clock` (whose dates follow the legal calendar
and may be set by tests or operators), and it is immune to wall-clock steps.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request

__all__ = ["RateDecision", "RateLimiter", "client_key"]

# How many of the stalest clients one hit may inspect for expiry. A small constant keeps every
# hit O(1) in the worst case; since each hit adds at most one client, dropping up to two expired
# ones per hit is enough for expired clients never to pile up.
_EXPIRE_PER_HIT = 2


@dataclass(frozen=True)
class RateDecision:
    """Outcome of one request against the limit.

    ``remaining`` is how many more requests the client may make right now; ``retry_after`` is
    the number of seconds until the next request would be allowed (0 when this one was).
    """

    allowed: bool
    remaining: int
    retry_after: float


class RateLimiter:
    """At most ``limit`` requests per key in any window of ``per_seconds`` seconds."""

    def __init__(
        self,
        limit: int,
        per_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit}")
        if not per_seconds > 0:
            raise ValueError(f"per_seconds must be positive, got {per_seconds}")
        if max_keys < 1:
            raise ValueError(f"max_keys must be at least 1, got {max_keys}")
        self.limit = limit
        self.per_seconds = float(per_seconds)
        self.max_keys = max_keys
        self._clock = clock
        self._lock = threading.Lock()
        # key -> timestamps of its counted requests, oldest first. The dict is ordered by the
        # time each key was last seen (move_to_end on every hit), so its first entry is always
        # the stalest key: O(1) to find for expiry and eviction.
        self._windows: OrderedDict[str, deque[float]] = OrderedDict()

    def __len__(self) -> int:
        """Number of keys currently tracked."""
        with self._lock:
            return len(self._windows)

    def hit(self, key: str) -> RateDecision:
        """Count one request for ``key`` if the limit allows it, and say whether it did."""
        with self._lock:
            now = self._clock()
            window = self._windows.get(key)
            if window is None:
                window = deque()
                self._windows[key] = window
            else:
                self._windows.move_to_end(key)
            horizon = now - self.per_seconds
            while window and window[0] <= horizon:
                window.popleft()
            if len(window) >= self.limit:
                decision = RateDecision(
                    allowed=False, remaining=0, retry_after=window[0] + self.per_seconds - now
                )
            else:
                window.append(now)
                decision = RateDecision(
                    allowed=True, remaining=self.limit - len(window), retry_after=0.0
                )
            self._forget_stale(horizon)
            return decision

    def _forget_stale(self, horizon: float) -> None:
        # Drop the stalest keys whose window is empty by now: lossless, since an empty window
        # behaves exactly like an absent key. Then, if still over the bound, drop the stalest
        # keys regardless (lenient for them, but memory stays bounded under an address flood).
        # The key just hit is last in the order and its window holds a request newer than the
        # horizon, so neither loop can remove it (and the dict is never empty here).
        for _ in range(_EXPIRE_PER_HIT):
            stalest_key, stalest = next(iter(self._windows.items()))
            if stalest and stalest[-1] > horizon:
                break
            del self._windows[stalest_key]
        while len(self._windows) > self.max_keys:
            self._windows.popitem(last=False)


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
