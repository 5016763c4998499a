"""The exchange tests run against the real NATS JetStream server (127.0.0.1:4222; `make nats`
starts it). Each test gets its own prefix, hence its own streams, and deletes them after."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator

import pytest

from pcip import clock
from pcip.exchange.bus import Names, connect, reachable
from pcip.kernel.platform import Platform
from pcip.providers.service import add_provider
from tests.helpers import run_async
from tests.records.builders import ACTOR, UNIT

NATS_URL = "nats://127.0.0.1:4222"
_started: list[subprocess.Popen[bytes]] = []


def _ensure_server() -> str | None:
    """None when a server answers (started here if need be), else why not."""
    if run(reachable(NATS_URL)):
        return None
    exe = shutil.which("nats-server")
    if exe is None:
        return "nats-server is not installed (make nats installs Debian's package)"
    store = tempfile.mkdtemp(prefix="pcip-nats-")
    _started.append(
        subprocess.Popen(
            [exe, "-a", "127.0.0.1", "-p", "4222", "-js", "-sd", store],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    for _ in range(40):
        if run(reachable(NATS_URL)):
            return None
        time.sleep(0.25)
    return "nats-server did not start on 127.0.0.1:4222"


@pytest.fixture(scope="session")
def nats_server() -> Iterator[str]:
    problem = _ensure_server()
    if problem:
        pytest.skip(f"NATS JetStream not available: {problem}")
    yield NATS_URL
    for proc in _started:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def names(nats_server: str) -> Iterator[Names]:
    """A unique prefix per test (parallel workers never share a stream); streams deleted after."""
    n = Names("t" + uuid.uuid4().hex[:12])
    yield n

    async def drop() -> None:
        nc = await connect(nats_server)
        js = nc.jetstream()
        for info in await js.streams_info():
            if info.config.name.startswith(n.upper + "_"):
                await js.delete_stream(info.config.name)
        await nc.close()

    run(drop())


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with clock.frozen("2026-11-26T10:00:00"):
        yield


@pytest.fixture
def unit(platform: Platform) -> str:
    with platform.transaction() as s:
        add_provider(s, ACTOR, UNIT, "重庆市市场监督管理局", ["admin_penalty", "admin_licence"])
    return UNIT


run = run_async  # the tests import it from here
