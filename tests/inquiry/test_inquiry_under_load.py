"""Art. 22 under load: concurrent logged inquiries never wait on each other for good.

More requests in flight than worker threads, and more worker threads than database
connections: each request's transaction (its read and its log entry) must end before its
answer waits for anything else, or every thread ends up waiting for a connection that a
finished request still holds (found by the HTTP benchmark, docs/performance.md).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import anyio.to_thread
import httpx
from sqlalchemy.orm import sessionmaker

from pcip.db import make_engine
from pcip.doors.api_common import UnitOfWorkRoute
from tests.inquiry.support import log_count
from tests.world import World

REQUESTS = 8


async def _many(world: World, url: str) -> list[httpx.Response]:
    # Two worker threads for every plain endpoint, its dependencies and its answer's checks.
    anyio.to_thread.current_default_thread_limiter().total_tokens = 2
    transport = httpx.ASGITransport(app=world.client.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://pcip.test") as client:
        return list(await asyncio.gather(*(client.get(url) for _ in range(REQUESTS))))


def test_art22_concurrent_public_inquiries_all_answered_and_logged_with_one_connection(
    world: World,
) -> None:
    platform = world.platform
    # One database connection, and a checkout gives up after 3 s (a deadlock shows as 500s).
    engine = make_engine(str(platform.engine.url), pool_size=1, max_overflow=0, pool_timeout=3)
    original = platform.sessions
    platform.sessions = sessionmaker(engine, expire_on_commit=False)
    before = log_count(platform)
    try:
        url = f"/api/v1/public/organisations/{world.org_uscc}"
        # In a thread of its own: a browser test before this one, in the same process, leaves
        # Playwright's event loop running in the main thread (asyncio.run would refuse).
        with ThreadPoolExecutor(1) as pool:
            responses = pool.submit(asyncio.run, _many(world, url)).result()
    finally:
        platform.sessions = original
        engine.dispose()
    assert [r.status_code for r in responses] == [200] * REQUESTS
    assert log_count(platform) == before + REQUESTS


def test_every_route_ends_its_transaction_in_its_own_thread(world: World) -> None:
    """Every API and web route uses the route class that commits before the answer's checks."""
    routes = [r for r in world.client.app.routes if hasattr(r, "endpoint")]
    plain = [r for r in routes if hasattr(r, "dependant")]
    assert plain and all(isinstance(r, UnitOfWorkRoute) for r in plain), [
        r.path for r in plain if not isinstance(r, UnitOfWorkRoute)
    ]
