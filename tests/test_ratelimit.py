"""Per-client rate limiting of public search and disclosure (Art. 28: guard against bulk or
anomalous querying; no bulk-export interface). Time is a fake clock: nothing sleeps."""

from __future__ import annotations

import threading

import pytest
from starlette.requests import Request

from pcip.doors.ratelimit import RateDecision, RateLimiter, client_key


class FakeClock:
    """A monotonic clock that moves only when the test says so."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def test_art28_public_search_allows_a_burst_of_limit_then_refuses() -> None:
    clock = FakeClock()
    limiter = RateLimiter(3, per_seconds=60, clock=clock)

    decisions = [limiter.hit("203.0.113.7") for _ in range(3)]

    assert decisions == [
        RateDecision(allowed=True, remaining=2, retry_after=0.0),
        RateDecision(allowed=True, remaining=1, retry_after=0.0),
        RateDecision(allowed=True, remaining=0, retry_after=0.0),
    ]
    assert limiter.hit("203.0.113.7") == RateDecision(allowed=False, remaining=0, retry_after=60.0)


def test_art28_retry_after_counts_down_to_when_the_oldest_request_leaves_the_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2, per_seconds=60, clock=clock)
    limiter.hit("a")
    clock.advance(10)
    limiter.hit("a")
    clock.advance(15)

    refused = limiter.hit("a")

    assert not refused.allowed
    assert refused.retry_after == pytest.approx(35.0)  # first request at 0 leaves at 60
    clock.advance(refused.retry_after)
    assert limiter.hit("a") == RateDecision(allowed=True, remaining=0, retry_after=0.0)


def test_art28_refused_requests_do_not_extend_the_lockout() -> None:
    clock = FakeClock()
    limiter = RateLimiter(1, per_seconds=60, clock=clock)
    limiter.hit("a")
    for _ in range(50):
        clock.advance(1)
        assert not limiter.hit("a").allowed
    clock.advance(10)  # 60 s after the only counted request

    assert limiter.hit("a").allowed


def test_art28_limit_holds_in_any_window_not_just_per_fixed_minute() -> None:
    # A fixed-minute counter would allow 2 x limit across a minute boundary; a token bucket
    # would refill mid-window. The sliding window allows at most `limit` in any 60 s.
    clock = FakeClock()
    limiter = RateLimiter(4, per_seconds=60, clock=clock)
    allowed_at: list[float] = []
    for _ in range(600):  # one request every 0.5 s for 5 minutes
        if limiter.hit("a").allowed:
            allowed_at.append(clock.now)
        clock.advance(0.5)

    for start in allowed_at:
        in_window = [t for t in allowed_at if start <= t < start + 60]
        assert len(in_window) <= 4
    assert len(allowed_at) == 4 * 5  # and the full allowance is usable every window


def test_art28_public_search_limit_refills_after_the_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(3, per_seconds=60, clock=clock)
    for _ in range(3):
        limiter.hit("a")
    clock.advance(59.999)
    assert not limiter.hit("a").allowed

    clock.advance(0.001)

    assert limiter.hit("a") == RateDecision(allowed=True, remaining=2, retry_after=0.0)


def test_art28_public_search_limited_per_client() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2, per_seconds=60, clock=clock)
    assert limiter.hit("198.51.100.1").allowed
    assert limiter.hit("198.51.100.1").allowed
    assert not limiter.hit("198.51.100.1").allowed

    assert limiter.hit("198.51.100.2") == RateDecision(allowed=True, remaining=1, retry_after=0.0)
    assert not limiter.hit("198.51.100.1").allowed


def test_art28_tracked_clients_are_bounded_by_max_keys() -> None:
    # An address flood (IPv6 makes new addresses cheap) must not grow memory without bound.
    clock = FakeClock()
    limiter = RateLimiter(5, per_seconds=60, clock=clock, max_keys=100)

    for i in range(10_000):
        limiter.hit(f"client-{i}")
        assert len(limiter) <= 100

    assert len(limiter) == 100
    assert limiter.hit("client-9999").remaining == 3  # the most recent clients are kept


def test_art28_evicting_the_stalest_client_only_ever_makes_the_limit_more_lenient() -> None:
    clock = FakeClock()
    limiter = RateLimiter(1, per_seconds=60, clock=clock, max_keys=2)
    limiter.hit("old")
    limiter.hit("b")
    limiter.hit("c")  # over the bound: "old" is dropped

    assert limiter.hit("old").allowed  # forgotten, so let in again rather than wrongly refused


def test_art28_clients_whose_window_emptied_are_forgotten_without_pressure() -> None:
    clock = FakeClock()
    limiter = RateLimiter(3, per_seconds=60, clock=clock)
    for i in range(50):
        limiter.hit(f"client-{i}")
    clock.advance(60)

    for _ in range(25):
        limiter.hit("active")

    assert len(limiter) == 1  # the 50 idle clients were dropped, two per hit
    assert limiter.hit("client-0").remaining == 2  # and behave exactly like new ones


def test_art28_concurrent_hits_never_exceed_the_limit() -> None:
    clock = FakeClock()  # never advances: every hit falls in the same window
    limiter = RateLimiter(25, per_seconds=60, clock=clock)
    results: list[bool] = []
    results_lock = threading.Lock()
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait()
        local = [limiter.hit("shared").allowed for _ in range(200)]
        with results_lock:
            results.extend(local)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 1600
    assert results.count(True) == 25


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 1, "per_seconds": 0}, "per_seconds"),
        ({"limit": 1, "max_keys": 0}, "max_keys"),
    ],
)
def test_art28_limiter_rejects_meaningless_settings(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RateLimiter(**kwargs)  # type: ignore[arg-type]


def _request(headers: list[tuple[bytes, bytes]], client: tuple[str, int] | None) -> Request:
    scope = {"type": "http", "method": "GET", "path": "/", "headers": headers, "client": client}
    return Request(scope)


def test_art28_client_key_is_the_connection_address() -> None:
    assert client_key(_request([], ("203.0.113.7", 52100))) == "203.0.113.7"


def test_art28_client_key_ignores_forged_forwarded_for_header() -> None:
    # A client could put any address there on each request and escape its limit.
    request = _request([(b"x-forwarded-for", b"192.0.2.99")], ("203.0.113.7", 52100))

    assert client_key(request) == "203.0.113.7"


def test_art28_client_key_without_a_client_address_is_unknown() -> None:
    assert client_key(_request([], None)) == "unknown"
