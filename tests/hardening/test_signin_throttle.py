"""Issue 23 point 4: staff sign-in is throttled per account and per address, the counts are
shared across worker processes (Redis), and failures do not flood the audit chain.

Redis is the real server ``make test`` starts (``make redis``); each test writes under a key
prefix of its own and removes it afterwards. Two applications over the same Redis stand for
two worker processes: neither shares memory with the other.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from pcip import clock
from pcip.app import create_app
from pcip.config import Settings
from pcip.doors.ratelimit import RateLimiter
from pcip.kernel.audit.models import AuditEvent
from pcip.kernel.platform import Platform
from pcip.kernel.shared_state import MemoryState, RedisState
from tests.client import TestClient
from tests.web.support import Browser
from tests.world import NOW, PASSWORD, World, WorldData, reopen

REDIS_URL = os.environ.get("PCIP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
LOGIN = "/api/v1/auth/login"


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own in the real Redis, cleaned up afterwards."""
    prefix = f"pcip-test:{uuid.uuid4().hex}:"
    try:
        state = RedisState.from_url(REDIS_URL, prefix)
        state.ping()
    except Exception as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL} (make redis starts one): {exc}")
    yield prefix
    for key in state.client.scan_iter(match=prefix + "*"):
        state.client.delete(key)


def _app(platform: Platform, redis_prefix: str | None) -> TestClient:
    """One application (one 'worker process') over the platform's database."""
    if redis_prefix is not None:
        platform.settings = platform.settings.model_copy(
            update={"redis_url": REDIS_URL, "redis_prefix": redis_prefix}
        )
    return TestClient(create_app(platform))


def _login(client: TestClient, username: str, password: str) -> int:
    client.cookies.clear()
    with clock.frozen(NOW):
        return client.post(LOGIN, json={"username": username, "password": password}).status_code


def _audit(platform: Platform, action: str) -> int:
    with platform.transaction() as s:
        return len(list(s.scalars(select(AuditEvent.seq).where(AuditEvent.action == action))))


@pytest.fixture
def world(platform: Platform, api_world_data: WorldData) -> Iterator[World]:
    with clock.frozen(NOW):
        yield reopen(platform, api_world_data)


@pytest.mark.parametrize("store", ["memory", "redis"])
def test_issue23_p4_forty_wrong_passwords_lock_the_account_even_for_the_right_one(
    world: World, request: pytest.FixtureRequest, store: str
) -> None:
    """Before: 40 wrong passwords in 6 s, then the right one worked."""
    prefix = request.getfixturevalue("redis_prefix") if store == "redis" else None
    client = _app(world.platform, prefix)
    answers = [_login(client, "staff", f"wrong password {i}") for i in range(40)]
    assert answers[:4] == [401] * 4
    assert set(answers[5:]) == {429}, answers
    r = client.post(LOGIN, json={"username": "staff", "password": PASSWORD})
    assert r.status_code == 429 and r.json()["code"] == "rate_limited"
    assert int(r.headers["retry-after"]) > 0
    # Another account is not locked by it.
    assert _login(client, "operator", PASSWORD) == 200


def test_issue23_p4_the_lockout_is_shared_across_worker_processes(
    world: World, redis_prefix: str
) -> None:
    first = _app(world.platform, redis_prefix)
    second = _app(world.platform, redis_prefix)
    for i in range(5):
        assert _login(first, "staff", f"wrong {i}") in (401, 429)
    assert _login(second, "staff", PASSWORD) == 429


def test_issue23_p4_failures_do_not_flood_the_audit_chain(world: World, redis_prefix: str) -> None:
    """Before: each failure wrote an audit row, so an anonymous caller grew the chain at
    will. Now: one row for the first failure and one per lockout."""
    client = _app(world.platform, redis_prefix)
    failed_before = _audit(world.platform, "account.sign_in_failed")
    for i in range(40):
        _login(client, "staff", f"wrong {i}")
    for i in range(40):
        _login(client, "nobody-at-all", f"wrong {i}")
    assert _audit(world.platform, "account.sign_in_failed") == failed_before + 1
    assert _audit(world.platform, "account.locked") == 1


def test_issue23_p4_an_address_trying_many_accounts_is_refused(
    world: World, redis_prefix: str
) -> None:
    client = _app(world.platform, redis_prefix)
    limit = world.platform.settings.signin_address_failures
    for i in range(limit):
        assert _login(client, f"user{i}", "wrong password") == 401
    assert _login(client, "operator", PASSWORD) == 429


def test_issue23_p4_a_successful_sign_in_clears_the_count(world: World, redis_prefix: str) -> None:
    client = _app(world.platform, redis_prefix)
    lock_after = world.platform.settings.signin_lock_after
    for _ in range(2):
        for i in range(lock_after - 1):
            assert _login(client, "staff", f"wrong {i}") == 401
        assert _login(client, "staff", PASSWORD) == 200


def test_issue23_p4_the_staff_sign_in_page_is_locked_too(world: World, redis_prefix: str) -> None:
    b = Browser(_app(world.platform, redis_prefix))
    with clock.frozen(NOW):
        for i in range(5):
            r = b.post("/staff/signin", {"username": "staff", "password": f"wrong {i}"})
            assert r.status_code in (401, 429)
        r = b.post("/staff/signin", {"username": "staff", "password": PASSWORD})
    assert r.status_code == 429
    assert "Retry-After" in r.headers or "retry-after" in r.headers


def test_issue23_p4_the_public_rate_limit_is_shared_through_redis(redis_prefix: str) -> None:
    """The public limiter (Art. 28) now runs on the same kernel: two processes, one limit."""
    a = RateLimiter(3, per_seconds=60, state=RedisState.from_url(REDIS_URL, redis_prefix))
    b = RateLimiter(3, per_seconds=60, state=RedisState.from_url(REDIS_URL, redis_prefix))
    assert a.hit("198.51.100.9").allowed and a.hit("198.51.100.9").allowed
    third = b.hit("198.51.100.9")
    assert third.allowed and third.remaining == 0
    refused = a.hit("198.51.100.9")
    assert not refused.allowed and 0 < refused.retry_after <= 60
    assert b.hit("198.51.100.10").allowed  # per client


def test_issue23_p4_counters_expire_in_both_stores(redis_prefix: str) -> None:
    class Clock:
        now = 100.0

        def __call__(self) -> float:
            return self.now

    tick = Clock()
    memory = MemoryState(clock=tick)
    assert [memory.incr("k", 10) for _ in range(3)] == [1, 2, 3]
    tick.now += 10
    assert memory.get("k") == 0 and memory.incr("k", 10) == 1
    memory.set("flag", 1, 5)
    assert memory.ttl("flag") == pytest.approx(5)
    redis_state = RedisState.from_url(REDIS_URL, redis_prefix)
    assert [redis_state.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert 0 < redis_state.ttl("k") <= 60
    redis_state.set("flag", 1, 0.05)
    assert redis_state.get("flag") == 1
    import time

    time.sleep(0.1)
    assert redis_state.get("flag") == 0


def test_issue23_p4_an_unreachable_redis_refuses_to_start(settings: Settings) -> None:
    from pcip.errors import ConfigError
    from pcip.kernel.shared_state import open_shared_state

    with pytest.raises(ConfigError, match="PCIP_REDIS_URL"):
        open_shared_state("redis://127.0.0.1:1/0")
