"""What every benchmark shares: a dedicated PostgreSQL database per run, a platform on it,
timing and percentile helpers, and the machine's description for the results file.

Benchmarks are not tests: they measure, they never assert a speed. Each run creates its own
database (``pcip_bench_<timestamp>_<pid>``) on the server at ``BENCH_PG`` (default
``postgresql://postgres@127.0.0.1:5432``) and drops it at the end, so runs never share data.
"""

from __future__ import annotations

import os
import platform as pyplatform
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432"


def server_url() -> str:
    return os.environ.get("BENCH_PG", DEFAULT_SERVER).rstrip("/")


def db_url(name: str) -> str:
    return f"{server_url()}/{name}"


def libpq(url: str) -> str:
    """A database URL as libpq reads it: SQLAlchemy's ``postgresql+psycopg://`` is not one."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme.split('+', 1)[0]}{sep}{rest}"


def wait_replayed(primary: str, replica: str, timeout: float, poll: float = 0.05) -> float:
    """Wait until the streaming replica at ``replica`` (libpq URLs, any database) has replayed
    the primary's WAL up to where it is now; the seconds it took.

    "Where it is now" is the WAL insert position, not ``pg_current_wal_lsn()``, the write
    position: a COMMIT made with ``synchronous_commit`` off (the test databases, the
    generator's loads) returns once its record is in the primary's WAL buffers, before the WAL
    writer writes it out, so right after such a commit the write position is usually before
    the commit's record (measured: 198 commits of 200), and a replica that replayed up to it
    could still lack the commit (docs/scaling.md)."""
    with psycopg.connect(primary) as conn:
        row = conn.execute("SELECT pg_current_wal_insert_lsn()::text").fetchone()
        assert row is not None
        target = str(row[0])
    started = time.monotonic()
    with psycopg.connect(replica, autocommit=True) as conn:
        while True:
            done = conn.execute(
                "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s::pg_lsn) >= 0", (target,)
            ).fetchone()
            if done and done[0]:
                return time.monotonic() - started
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"the replica did not replay {target} in {timeout:g} s")
            time.sleep(poll)


def admin() -> psycopg.Connection[Any]:
    """Autocommit connection to the maintenance database (CREATE / DROP DATABASE)."""
    return psycopg.connect(db_url("postgres"), autocommit=True)


def create_database(name: str) -> None:
    with admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    with admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class BenchDb:
    """One bench database with its PCIP_HOME (keys); ``env`` runs pcip against it."""

    name: str
    home: Path

    @property
    def url(self) -> str:
        return db_url(self.name)

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PCIP_")}
        env.update(
            # The checkout this bench runs from (a worktree, say), not the one the environment
            # installed in editable mode: ``pcip`` subprocesses import what is measured.
            PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p),
            PCIP_DATABASE_URL=self.url,
            PCIP_HOME=str(self.home),
            PCIP_LOG_LEVEL="WARNING",
            # Benchmarks drive the API far above the public per-address limit (Art. 28 guard):
            # lift it, and the alert threshold, so every request does the full work.
            PCIP_PUBLIC_RATE_PER_MINUTE="100000000",
            PCIP_INQUIRY_ALERT_PER_HOUR="100000000",
        )
        return env

    def pcip(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(VENV_BIN / "pcip"), *args],
            env=self.env,
            check=check,
            capture_output=True,
            text=True,
        )


@contextmanager
def bench_database(prefix: str, workdir: Path, *, keep: bool = False) -> Iterator[BenchDb]:
    """A fresh database, initialised with ``pcip init`` (schema, keys, catalogs), then dropped."""
    name = f"pcip_bench_{prefix}_{int(time.time())}_{os.getpid()}"
    home = workdir / name
    home.mkdir(parents=True, exist_ok=True)
    create_database(name)
    db = BenchDb(name, home)
    try:
        db.pcip("init")
        yield db
    finally:
        if not keep:
            drop_database(name)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of unsorted values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def machine() -> dict[str, Any]:
    """CPU, memory, load and versions: the context every figure needs."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    pg = ""
    try:
        with admin() as conn:
            row = conn.execute("SHOW server_version").fetchone()
            pg = str(row[0]) if row else ""
    except psycopg.Error:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": pyplatform.python_version(),
        "postgresql": pg,
        "load_average": load(),
    }


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def fmt_rate(x: float) -> str:
    return f"{x:,.0f}"
