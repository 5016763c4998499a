"""Short-lived shared state: counters with an expiry and sliding-window rate limits.

The public rate limit (Art. 28, ``pcip.doors.ratelimit``) and staff sign-in throttling
(``pcip.auth.throttle``) count requests per client and per account. With one server process
the counts can live in its memory; with several worker processes (or machines) they must be
shared, or each process grants its own allowance. This kernel gives both one small interface:

* :meth:`SharedState.window_hit`: at most ``limit`` hits per key in any window of
  ``per_seconds`` (a sliding-window log; refused hits do not count);
* :meth:`SharedState.incr` / :meth:`get` / :meth:`set` / :meth:`ttl` / :meth:`delete`:
  integer counters and flags that expire;
* :meth:`SharedState.bump` / :meth:`seed`: a running count that is started from a fact
  (the inquiry log, for the alerts of Art. 28) and then counted up by every process;
* :meth:`SharedState.put_text` / :meth:`get_text`: a short text that expires (the progress
  of a console upload, read by whichever process answers the page's poll).

:class:`RedisState` keeps them in Redis (``PCIP_REDIS_URL``; every key under
``PCIP_REDIS_PREFIX``), atomically (one Lua script per operation) and on Redis's clock, so
every process sees the same counts. :class:`MemoryState` keeps them in this process
(``make run`` needs no Redis); its limits are per process. :func:`open_shared_state` picks one
from the settings.

Nothing here is a legal fact: the clock is elapsed time (monotonic, or Redis's), never
``pcip.clock``, and losing this state (a Redis restart) only forgets recent counts. If Redis
cannot be reached while serving, the error is logged and the check lets the request through
(fail open): availability of the platform is not traded for a throttle; ``pcip serve``
refuses to start when Redis is configured but unreachable.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from pcip.errors import ConfigError

__all__ = [
    "MemoryState",
    "RateDecision",
    "RedisState",
    "SharedState",
    "open_shared_state",
]

log = logging.getLogger("pcip.kernel.shared_state")

# How many of the stalest keys one hit may inspect for expiry (keeps every hit O(1)).
_EXPIRE_PER_HIT = 2


@dataclass(frozen=True)
class RateDecision:
    """Outcome of one request against a limit.

    ``remaining`` is how many more requests the key may make right now; ``retry_after`` is
    the number of seconds until the next request would be allowed (0 when this one was).
    """

    allowed: bool
    remaining: int
    retry_after: float


class SharedState(Protocol):
    """Counters and sliding windows shared by every process that uses the same store."""

    def window_hit(self, key: str, limit: int, per_seconds: float) -> RateDecision: ...

    def incr(self, key: str, ttl_seconds: float) -> int:
        """Add one; a new counter expires ``ttl_seconds`` after its first increment."""
        ...

    def get(self, key: str) -> int: ...

    def set(self, key: str, value: int, ttl_seconds: float) -> None: ...

    def ttl(self, key: str) -> float:
        """Seconds until ``key`` expires (0 when it does not exist)."""
        ...

    def delete(self, *keys: str) -> None: ...

    def bump(self, key: str, amount: int) -> int | None:
        """Add ``amount`` to an existing counter and return it; ``None`` (nothing created)
        when the counter does not exist or has expired."""
        ...

    def seed(self, key: str, value: int, amount: int, ttl_seconds: float) -> int:
        """Start the counter at ``value`` (expiring after ``ttl_seconds``) unless another
        process already did, in which case add ``amount`` to it; its value after."""
        ...

    def put_text(self, key: str, value: str, ttl_seconds: float) -> None: ...

    def get_text(self, key: str) -> str | None: ...


# --- in this process ------------------------------------------------------------------------


class _SlidingLog:
    """At most ``limit`` hits per key in any window of ``per_seconds`` (one limit, many keys).

    A sliding-window log: a key may spend its whole allowance at once (a burst of ``limit``),
    and refused hits do not count, so ``retry_after`` says exactly when the oldest counted hit
    leaves the window. O(1) amortised per hit; memory holds at most ``max_keys`` keys and at
    most ``limit`` timestamps each. Keys whose window has emptied are dropped as they age
    (lossless); beyond ``max_keys`` the least recently seen key is dropped even if its window
    is not empty, which can only make the limit more lenient for it, never refuse wrongly.
    """

    def __init__(self, limit: int, per_seconds: float, max_keys: int) -> None:
        self.limit = limit
        self.per_seconds = per_seconds
        self.max_keys = max_keys
        # key -> timestamps of its counted hits, oldest first; ordered by last use.
        self.windows: OrderedDict[str, deque[float]] = OrderedDict()

    def hit(self, key: str, now: float) -> RateDecision:
        window = self.windows.get(key)
        if window is None:
            window = deque()
            self.windows[key] = window
        else:
            self.windows.move_to_end(key)
        horizon = now - self.per_seconds
        while window and window[0] <= horizon:
            window.popleft()
        if len(window) >= self.limit:
            decision = RateDecision(False, 0, window[0] + self.per_seconds - now)
        else:
            window.append(now)
            decision = RateDecision(True, self.limit - len(window), 0.0)
        self._forget_stale(horizon)
        return decision

    def _forget_stale(self, horizon: float) -> None:
        # The key just hit is last in the order and holds a hit newer than the horizon, so
        # neither loop can remove it (and the dict is never empty here).
        for _ in range(_EXPIRE_PER_HIT):
            stalest_key, stalest = next(iter(self.windows.items()))
            if stalest and stalest[-1] > horizon:
                break
            del self.windows[stalest_key]
        while len(self.windows) > self.max_keys:
            self.windows.popitem(last=False)


class MemoryState:
    """:class:`SharedState` in this process's memory (exact for one process only)."""

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000
    ) -> None:
        if max_keys < 1:
            raise ValueError(f"max_keys must be at least 1, got {max_keys}")
        self._clock = clock
        self.max_keys = max_keys
        self._lock = threading.Lock()
        self._logs: dict[tuple[int, float], _SlidingLog] = {}
        # key -> (value, expires at), ordered by creation so the oldest expire first.
        self._counters: OrderedDict[str, tuple[int, float]] = OrderedDict()
        self._texts: OrderedDict[str, tuple[str, float]] = OrderedDict()

    def window_keys(self) -> int:
        with self._lock:
            return sum(len(log.windows) for log in self._logs.values())

    def window_hit(self, key: str, limit: int, per_seconds: float) -> RateDecision:
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit}")
        if not per_seconds > 0:
            raise ValueError(f"per_seconds must be positive, got {per_seconds}")
        with self._lock:
            sliding = self._logs.get((limit, per_seconds))
            if sliding is None:
                sliding = _SlidingLog(limit, float(per_seconds), self.max_keys)
                self._logs[(limit, per_seconds)] = sliding
            return sliding.hit(key, self._clock())

    def _live(self, key: str, now: float) -> tuple[int, float] | None:
        found = self._counters.get(key)
        if found is not None and found[1] <= now:
            del self._counters[key]
            return None
        return found

    def _bound(self, now: float) -> None:
        for _ in range(_EXPIRE_PER_HIT):
            if not self._counters:
                return
            key, (_, expires) = next(iter(self._counters.items()))
            if expires > now:
                break
            del self._counters[key]
        while len(self._counters) > self.max_keys:
            self._counters.popitem(last=False)

    def incr(self, key: str, ttl_seconds: float) -> int:
        with self._lock:
            now = self._clock()
            found = self._live(key, now)
            value, expires = found if found is not None else (0, now + ttl_seconds)
            self._counters[key] = (value + 1, expires)
            self._bound(now)
            return value + 1

    def get(self, key: str) -> int:
        with self._lock:
            found = self._live(key, self._clock())
            return found[0] if found is not None else 0

    def set(self, key: str, value: int, ttl_seconds: float) -> None:
        with self._lock:
            now = self._clock()
            self._counters.pop(key, None)
            self._counters[key] = (value, now + ttl_seconds)
            self._bound(now)

    def ttl(self, key: str) -> float:
        with self._lock:
            now = self._clock()
            found = self._live(key, now)
            return max(0.0, found[1] - now) if found is not None else 0.0

    def delete(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._counters.pop(key, None)
                self._texts.pop(key, None)

    def bump(self, key: str, amount: int) -> int | None:
        with self._lock:
            found = self._live(key, self._clock())
            if found is None:
                return None
            self._counters[key] = (found[0] + amount, found[1])
            return found[0] + amount

    def seed(self, key: str, value: int, amount: int, ttl_seconds: float) -> int:
        with self._lock:
            now = self._clock()
            found = self._live(key, now)
            if found is not None:
                self._counters[key] = (found[0] + amount, found[1])
                return found[0] + amount
            self._counters[key] = (value, now + ttl_seconds)
            self._bound(now)
            return value

    def put_text(self, key: str, value: str, ttl_seconds: float) -> None:
        with self._lock:
            now = self._clock()
            self._texts.pop(key, None)
            self._texts[key] = (value, now + ttl_seconds)
            for _ in range(_EXPIRE_PER_HIT):
                oldest, (_, expires) = next(iter(self._texts.items()))
                if expires > now:
                    break
                del self._texts[oldest]
            while len(self._texts) > self.max_keys:
                self._texts.popitem(last=False)

    def get_text(self, key: str) -> str | None:
        with self._lock:
            found = self._texts.get(key)
            if found is None:
                return None
            if found[1] <= self._clock():
                del self._texts[key]
                return None
            return found[0]


# --- in Redis -------------------------------------------------------------------------------

# Sliding-window log on a sorted set scored by Redis's own clock (every process agrees).
_WINDOW_HIT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local per = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - per)
local n = redis.call('ZCARD', KEYS[1])
if n >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, 0, tostring(tonumber(oldest[2]) + per - now)}
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(per * 1000))
return {1, limit - n - 1, '0'}
"""
_BUMP = """
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
return redis.call('INCRBY', KEYS[1], ARGV[1])
"""
_SEED = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[3]) then return tonumber(ARGV[1]) end
return redis.call('INCRBY', KEYS[1], ARGV[2])
"""
_INCR = """
local v = redis.call('INCR', KEYS[1])
if v == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return v
"""


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


class RedisState:
    """:class:`SharedState` in Redis: shared by every process and machine using it."""

    def __init__(self, client: Any, prefix: str = "pcip:") -> None:
        self.client = client
        self.prefix = prefix
        self._window = client.register_script(_WINDOW_HIT)
        self._incr = client.register_script(_INCR)
        self._bump = client.register_script(_BUMP)
        self._seed = client.register_script(_SEED)
        import redis

        # Connection and server errors fail open (logged); programming errors still raise.
        self._errors: tuple[type[Exception], ...] = (redis.RedisError, OSError)

    @classmethod
    def from_url(cls, url: str, prefix: str = "pcip:") -> RedisState:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0)
        return cls(client, prefix)

    def ping(self) -> None:
        self.client.ping()

    def _k(self, key: str) -> str:
        return self.prefix + key

    def window_hit(self, key: str, limit: int, per_seconds: float) -> RateDecision:
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit}")
        member = secrets.token_hex(8)
        try:
            allowed, remaining, retry = self._window(
                keys=[self._k(key)], args=[float(per_seconds), limit, member]
            )
        except self._errors as exc:
            log.error("Redis unreachable; rate limit not applied: %s", type(exc).__name__)
            return RateDecision(True, limit, 0.0)
        return RateDecision(bool(allowed), int(remaining), float(retry))

    def incr(self, key: str, ttl_seconds: float) -> int:
        try:
            return int(self._incr(keys=[self._k(key)], args=[_ms(ttl_seconds)]))
        except self._errors as exc:
            log.error("Redis unreachable; counter not kept: %s", type(exc).__name__)
            return 0

    def get(self, key: str) -> int:
        try:
            value = self.client.get(self._k(key))
        except self._errors as exc:
            log.error("Redis unreachable; counter not read: %s", type(exc).__name__)
            return 0
        return int(value) if value is not None else 0

    def set(self, key: str, value: int, ttl_seconds: float) -> None:
        try:
            self.client.set(self._k(key), value, px=_ms(ttl_seconds))
        except self._errors as exc:
            log.error("Redis unreachable; flag not kept: %s", type(exc).__name__)

    def ttl(self, key: str) -> float:
        try:
            left = int(self.client.pttl(self._k(key)))
        except self._errors as exc:
            log.error("Redis unreachable; expiry not read: %s", type(exc).__name__)
            return 0.0
        return left / 1000 if left > 0 else 0.0

    def delete(self, *keys: str) -> None:
        if not keys:
            return
        try:
            self.client.delete(*(self._k(k) for k in keys))
        except self._errors as exc:
            log.error("Redis unreachable; keys not deleted: %s", type(exc).__name__)

    def bump(self, key: str, amount: int) -> int | None:
        try:
            value = self._bump(keys=[self._k(key)], args=[amount])
        except self._errors as exc:
            log.error("Redis unreachable; counter not kept: %s", type(exc).__name__)
            return None
        return int(value) if value is not None else None

    def seed(self, key: str, value: int, amount: int, ttl_seconds: float) -> int:
        try:
            return int(self._seed(keys=[self._k(key)], args=[value, amount, _ms(ttl_seconds)]))
        except self._errors as exc:
            log.error("Redis unreachable; counter not kept: %s", type(exc).__name__)
            return value

    def put_text(self, key: str, value: str, ttl_seconds: float) -> None:
        try:
            self.client.set(self._k(key), value.encode(), px=_ms(ttl_seconds))
        except self._errors as exc:
            log.error("Redis unreachable; text not kept: %s", type(exc).__name__)

    def get_text(self, key: str) -> str | None:
        try:
            value = self.client.get(self._k(key))
        except self._errors as exc:
            log.error("Redis unreachable; text not read: %s", type(exc).__name__)
            return None
        return bytes(value).decode() if value is not None else None


def open_shared_state(redis_url: str, prefix: str = "pcip:", *, check: bool = True) -> SharedState:
    """Redis when ``PCIP_REDIS_URL`` is set (with ``check``, reached now: an unreachable
    Redis is a configuration error), else this process's memory."""
    if not redis_url:
        return MemoryState()
    try:
        state = RedisState.from_url(redis_url, prefix)
        if check:
            state.ping()
    except Exception as exc:
        raise ConfigError(f"PCIP_REDIS_URL: cannot reach Redis ({exc})") from None
    return state
