"""Issue 22: a console upload's progress is in the shared state, so the page's polls may be
answered by any server process, not only the one applying the file (Art. 20-23 uploads).

Two applications over one platform and one Redis stand for two worker processes."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from pcip.app import create_app
from pcip.kernel.shared_state import RedisState
from tests.client import TestClient
from tests.web.support import Browser
from tests.web.test_console_pages import staff
from tests.world import World

REDIS_URL = os.environ.get("PCIP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SAMPLE = Path(__file__).parents[2] / "docs" / "samples" / "admin_penalty.csv"


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


def test_issue22_an_upload_started_in_one_process_is_followed_from_another(
    site: World, redis_prefix: str
) -> None:
    site.platform.settings = site.platform.settings.model_copy(
        update={"redis_url": REDIS_URL, "redis_prefix": redis_prefix}
    )
    first = staff(site, "provider")  # signed in; its session is in the database
    second = Browser(TestClient(create_app(site.platform), raise_server_exceptions=True))
    second.client.cookies.update(first.client.cookies)
    r = first.post(
        "/console/batches",
        {"item": "admin_penalty", "format": ""},
        files={"file": ("处罚.csv", SAMPLE.read_bytes(), "text/csv")},
    )
    assert r.status_code == 303, r.text
    job_url = r.headers["location"]
    assert second.get(job_url).status_code == 200  # the other process knows the upload
    for _ in range(200):
        fragment = second.get(f"{job_url}/status").text
        if 'data-finished="true"' in fragment:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the other process never saw the upload finish")
    assert "/console/batches/" in fragment and "hx-trigger" not in fragment
