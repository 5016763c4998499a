"""Issue 22.1 and 22.5: ``pcip serve --workers N`` runs N server processes on one port, stateless
behind the port: the public rate limit of Art. 28 is counted in Redis for all of them, and the
background rounds (audit checkpoints, the objection watch) run once, in the supervising process.

The server runs as a subprocess on a free loopback port over a copy of the test template, with
the real Redis (``make redis``) under a key prefix of its own. Which process answered a request
is read from the access log: every log line carries its process id.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from pcip.config import Settings, reset_settings, server_processes
from pcip.errors import ConfigError
from pcip.kernel.shared_state import RedisState
from tests.helpers import pg_admin, run_main

ROOT = Path(__file__).resolve().parents[2]
PCIP = Path(sys.executable).parent / "pcip"
REDIS_URL = os.environ.get("PCIP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
LIMIT = 10
SEARCH = "/api/v1/public/organisations?q=%E7%A4%BA%E4%BE%8B"  # q=示例
#: An access-log line: "... [pid] INFO pcip.access: GET /api/v1/public/organisations 200 ..."
ACCESS = re.compile(r"\[(\d+)\] INFO pcip\.access: GET /api/v1/public/organisations (\d{3}) ")


@dataclass(frozen=True)
class Served:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return int(r.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def _wait(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}: {log.read_text()}")
        try:
            if _get(url) == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer {url} within {timeout:.0f}s")


@pytest.fixture(scope="module")
def redis_prefix() -> Iterator[str]:
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


@pytest.fixture(scope="module")
def served(
    templates: dict[str, Settings],
    tmp_path_factory: pytest.TempPathFactory,
    redis_prefix: str,
) -> Iterator[Served]:
    """``pcip serve --workers 2`` over PostgreSQL when the suite has it, else SQLite."""
    backend = "postgresql" if "postgresql" in templates else "sqlite"
    template = templates[backend]
    home = tmp_path_factory.mktemp("workers") / "home"
    shutil.copytree(template.home, home)
    copy = f"{make_url(template.database_url).database}_workers"
    if backend == "postgresql":
        with pg_admin(template.database_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
            conn.execute(
                f'CREATE DATABASE "{copy}" TEMPLATE "{make_url(template.database_url).database}"'
            )
        database_url = (
            make_url(template.database_url).set(database=copy).render_as_string(hide_password=False)
        )
    else:
        database_url = f"sqlite:///{home / 'db.sqlite3'}"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PCIP_")}
    env.update(
        PCIP_DATABASE_URL=database_url,
        PCIP_HOME=str(home),
        PCIP_REDIS_URL=REDIS_URL,
        PCIP_REDIS_PREFIX=redis_prefix,
        PCIP_PUBLIC_RATE_PER_MINUTE=str(LIMIT),
        PCIP_LOG_LEVEL="INFO",
        PCIP_AUDIT_CHECKPOINT_EVERY="1000",
        PCIP_OBJECTION_WATCH_SECONDS="3600",
    )
    log = home / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(PCIP), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{url}/api/v1/health", process, log)
        yield Served(url, process, log)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if backend == "postgresql":
            with pg_admin(template.database_url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


HEALTH = re.compile(r"\[(\d+)\] INFO pcip\.access: GET /api/v1/health 200 ")


def _both_serving(served: Served, deadline_s: float = 120.0) -> None:
    """Wait until both worker processes answer (health checks, which no limit counts): the
    supervisor's first health answer says only that one is up. Once, on a machine loaded by
    the 1/10 dataset's generator, one process answered every search of the test's ten
    batches; a second still starting is the likely cause."""
    deadline = time.monotonic() + deadline_s
    with ThreadPoolExecutor(max_workers=8) as pool:
        while len(set(HEALTH.findall(served.log.read_text()))) < 2:
            assert time.monotonic() < deadline, "the second worker process never answered"
            list(pool.map(lambda _: _get(served.url + "/api/v1/health"), range(8)))
            time.sleep(0.3)  # the access line is written after the answer


def _answers(log: Path) -> list[tuple[int, int]]:
    """(process id, status) of every public search in the access log so far."""
    return [(int(pid), int(status)) for pid, status in ACCESS.findall(log.read_text())]


def test_issue22_p1_the_public_rate_limit_holds_across_worker_processes(served: Served) -> None:
    """Art. 28: at most ``LIMIT`` public searches a minute per client, counted together by
    both processes (with a count per process, up to twice as many would get through)."""
    _both_serving(served)
    statuses: list[int] = []
    with ThreadPoolExecutor(max_workers=8) as pool:
        # Fresh connections, several at once, until both processes have answered some.
        for _ in range(10):
            statuses += pool.map(lambda _: _get(served.url + SEARCH), range(2 * LIMIT))
            time.sleep(0.3)  # the access line is written after the answer
            if len({pid for pid, _ in _answers(served.log)}) >= 2:
                break
    answers = _answers(served.log)
    answering = {pid for pid, _ in answers}
    assert len(answering) == 2, f"one process answered everything: {answers}"
    assert served.process.pid not in answering  # the supervisor serves nothing itself
    assert statuses.count(200) == LIMIT, statuses
    assert statuses.count(429) == len(statuses) - LIMIT
    allowed_by = {pid: sum(1 for p, s in answers if p == pid and s == 200) for pid in answering}
    assert sum(allowed_by.values()) == LIMIT, allowed_by


def test_issue22_p1_the_background_rounds_run_once_in_the_supervisor(served: Served) -> None:
    """The audit checkpoints (Art. 28) and the objection watch (D-2) start once per server,
    in the process that supervises the workers, never once per worker."""
    text = served.log.read_text()
    for started in ("audit checkpoints running", "objection watch running"):
        pids = re.findall(r"\[(\d+)\] INFO [\w.]+: " + started, text)
        assert pids == [str(served.process.pid)], (started, text[-3000:])


# --- how many processes, and when more than one is refused ------------------------------------


def test_issue22_p1_several_workers_without_redis_are_refused_with_one_line() -> None:
    with pytest.raises(ConfigError, match="PCIP_REDIS_URL") as caught:
        server_processes(Settings(), 2)
    assert "\n" not in str(caught.value)
    with pytest.raises(ConfigError, match="PCIP_REDIS_URL"):
        server_processes(Settings(workers=3))
    with pytest.raises(ConfigError, match="--workers must be between 1 and 64, got 0"):
        server_processes(Settings(redis_url=REDIS_URL), 0)


def test_issue22_p1_by_default_one_process_per_core_with_redis_else_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert server_processes(Settings(redis_url=REDIS_URL)) == (4, None)
    count, note = server_processes(Settings())
    assert count == 1 and note is not None and "PCIP_REDIS_URL" in note
    assert server_processes(Settings(), 1) == (1, None)
    assert server_processes(Settings(redis_url=REDIS_URL, workers=2), 3) == (3, None)


def test_issue22_p1_serve_refuses_before_binding_and_starts_no_round(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``pcip serve --workers 2`` without PCIP_REDIS_URL: refused before anything starts."""
    import threading

    import uvicorn

    from pcip import cli as cli_module

    def run(*_: object, **__: object) -> None:
        raise AssertionError("it started serving")

    monkeypatch.setattr(uvicorn, "run", run)
    reset_settings()
    result = CliRunner().invoke(cli_module.app, ["serve", "--port", "8123", "--workers", "2"])
    assert isinstance(result.exception, ConfigError), result.output
    assert "PCIP_REDIS_URL" in str(result.exception)
    alive = {t.name for t in threading.enumerate()}
    assert not alive & {"pcip-objection-watch", "pcip-checkpoints"}


def test_issue22_p1_several_workers_serve_the_worker_factory(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch, redis_prefix: str
) -> None:
    """With Redis, uvicorn is given the import string of the per-process factory (each worker
    opens its own platform) and the worker count, while the rounds run in this process."""
    import threading

    import uvicorn

    from pcip import cli as cli_module

    seen: list[tuple[tuple[object, ...], dict[str, object], set[str]]] = []

    def run(*args: object, **kwargs: object) -> None:
        seen.append((args, kwargs, {t.name for t in threading.enumerate()}))

    monkeypatch.setattr(uvicorn, "run", run)
    monkeypatch.setenv("PCIP_REDIS_URL", REDIS_URL)
    monkeypatch.setenv("PCIP_REDIS_PREFIX", redis_prefix)
    reset_settings()
    result = CliRunner().invoke(cli_module.app, ["serve", "--port", "8123", "--workers", "3"])
    assert result.exit_code == 0, result.output
    [(args, kwargs, threads)] = seen
    assert args == ("pcip.app:create_worker_app",)
    assert kwargs["factory"] is True and kwargs["workers"] == 3
    assert {"pcip-objection-watch", "pcip-checkpoints"} <= threads


def test_issue22_p1_an_unreachable_redis_stops_serve_with_one_line_before_binding(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run as the console script runs it (``pcip.cli.main``, in this process: the entry point
    in a process of its own is tests/test_cli.py's), with a Redis that does not answer."""
    import threading

    import uvicorn

    def run(*_: object, **__: object) -> None:
        raise AssertionError("it started serving")  # uvicorn.run is what binds the port

    monkeypatch.setattr(uvicorn, "run", run)
    port = _free_port()
    env = {
        "PCIP_REDIS_URL": f"redis://127.0.0.1:{_free_port()}/0",  # nothing listens there
        "PCIP_PASSWORD_HASH_COST": cli_env.password_hash_cost,
    }
    done = run_main(monkeypatch, "serve", "--port", str(port), "--workers", "2", env=env)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert lines[0].startswith("error: PCIP_REDIS_URL: cannot reach Redis"), lines
    alive = {t.name for t in threading.enumerate()}
    assert not alive & {"pcip-objection-watch", "pcip-checkpoints", "pcip-partitions"}
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))  # the port was never taken
