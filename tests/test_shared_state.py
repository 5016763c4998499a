"""Issue 22: the shared state's running counts and texts behave the same in this process's
memory and in the real Redis (under a key prefix of the test's own)."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator

import pytest

from pcip.kernel.shared_state import MemoryState, RedisState, SharedState

REDIS_URL = os.environ.get("PCIP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(params=["memory", "redis"])
def state(request: pytest.FixtureRequest) -> Iterator[SharedState]:
    if request.param == "memory":
        yield MemoryState()
        return
    prefix = f"pcip-test:{uuid.uuid4().hex}:"
    try:
        redis_state = RedisState.from_url(REDIS_URL, prefix)
        redis_state.ping()
    except Exception as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL} (make redis starts one): {exc}")
    yield redis_state
    for key in redis_state.client.scan_iter(match=prefix + "*"):
        redis_state.client.delete(key)


def test_issue22_a_running_count_is_seeded_once_then_counted_by_everyone(
    state: SharedState,
) -> None:
    assert state.bump("n", 1) is None  # nothing to add to: nothing created
    assert state.get("n") == 0
    assert state.seed("n", 7, 1, 60) == 7  # the first process starts it from the fact
    assert state.seed("n", 3, 2, 60) == 9  # a second one, too late: its inquiries are added
    assert state.bump("n", 5) == 14
    assert 0 < state.ttl("n") <= 60  # adding never extends the count's life


def test_issue22_a_running_count_expires_and_is_seeded_again(state: SharedState) -> None:
    state.seed("n", 7, 1, 0.05)
    time.sleep(0.1)
    assert state.bump("n", 1) is None
    assert state.seed("n", 2, 1, 60) == 2


def test_issue22_a_text_is_read_back_until_it_expires(state: SharedState) -> None:
    assert state.get_text("t") is None
    state.put_text("t", '{"percent": 40, "file": "处罚.csv"}', 0.1)
    assert state.get_text("t") == '{"percent": 40, "file": "处罚.csv"}'
    time.sleep(0.2)
    assert state.get_text("t") is None
    state.put_text("t", "x", 60)
    state.delete("t")
    assert state.get_text("t") is None
