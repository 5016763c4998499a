"""Issue 22: every server process agrees on the catalog versions in force (Art. 16-17).

Each process keeps the list of published versions per item (read on the disclosure path); a
version published by another process (a worker adopting a proposal, ``pcip`` on the command
line) reaches it through the generation in the shared state within a second, not after the
copy's minute. The publisher here is a real second process; the reader, this one, with the
real Redis under a key prefix of the test's own."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import date

import pytest

from pcip.catalog import service
from pcip.catalog.seed_data import SEED_CATALOGS
from pcip.config import Settings
from pcip.kernel.platform import Platform
from pcip.kernel.shared_state import RedisState

REDIS_URL = os.environ.get("PCIP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PUBLISH = """
from datetime import date
from pcip.catalog import service
from pcip.catalog.schemas import CatalogSpec
from pcip.catalog.seed_data import SEED_CATALOGS
from pcip.kernel.actors import Actor
from pcip.kernel.platform import Platform

spec = SEED_CATALOGS[1]
later = CatalogSpec.model_validate(
    {**spec.model_dump(), "version": "2027", "effective_from": date(2027, 1, 1)}
)
platform = Platform.open()
with platform.transaction() as s:
    assert service.publish_version(s, Actor.system("test"), later)[0]
platform.dispose()
"""


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


def test_issue22_a_version_published_by_another_process_is_in_force_here_within_a_second(
    settings: Settings, redis_prefix: str
) -> None:
    shared = settings.model_copy(update={"redis_url": REDIS_URL, "redis_prefix": redis_prefix})
    code = SEED_CATALOGS[1].items[0].code
    platform = Platform.open(shared)
    try:
        with platform.transaction() as s:
            before = service.item_versions(s, code)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PCIP_")}
        env.update(
            PCIP_DATABASE_URL=settings.database_url,
            PCIP_HOME=str(settings.home),
            PCIP_REDIS_URL=REDIS_URL,
            PCIP_REDIS_PREFIX=redis_prefix,
            PCIP_PASSWORD_HASH_COST=settings.password_hash_cost,
        )
        done = subprocess.run(
            [sys.executable, "-c", PUBLISH], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        time.sleep(service._GENERATION_EVERY + 0.1)
        with platform.transaction() as s:
            after = service.item_versions(s, code)
    finally:
        platform.dispose()
    assert len(after) == len(before) + 1
    assert after[-1][0] == date(2027, 1, 1)
