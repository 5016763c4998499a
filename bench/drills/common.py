"""What the drills share: a narrated drill (what it did, what it checked), databases and homes
on the PostgreSQL server at ``BENCH_PG``, ``pcip`` as a subprocess, servers that can be killed.

A drill is not a test: it runs the real commands as an operator would, against real processes,
and prints every step. A failed check is reported and makes ``make drill`` exit non-zero.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg

from bench.common import ROOT, VENV_BIN, BenchDb, create_database, drop_database
from bench.http import free_port


class DrillFailed(Exception):
    """A check the rest of the drill depends on failed."""


@dataclass
class Drill:
    name: str
    checks: int = 0
    failures: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def did(self, what: str) -> None:
        print(f"[{self.name}] did:     {what}", flush=True)

    def check(self, ok: bool, what: str, detail: object = "") -> bool:
        """Report a check; a failure is recorded and the drill goes on."""
        self.checks += 1
        mark = "ok" if ok else f"FAILED {detail}".rstrip()
        print(f"[{self.name}] checked: {what}: {mark}", flush=True)
        if not ok:
            self.failures.append(what)
        return ok

    def require(self, ok: bool, what: str, detail: object = "") -> None:
        """A check the next steps depend on: a failure ends the drill."""
        if not self.check(ok, what, detail):
            raise DrillFailed(what)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started


def unique(prefix: str) -> str:
    return f"pcip_drill_{prefix}_{int(time.time())}_{os.getpid()}"


@contextmanager
def database(
    prefix: str, work: Path, *, init: bool = True, keep: bool = False
) -> Iterator[BenchDb]:
    """A fresh PostgreSQL database and PCIP_HOME; ``pcip init`` unless ``init`` is False."""
    db = BenchDb(unique(prefix), work / unique(prefix))
    db.home.mkdir(parents=True)
    create_database(db.name)
    try:
        if init:
            run(db, "init")
        yield db
    finally:
        if not keep:
            drop_database(db.name)


def run(
    db: BenchDb, *args: str, check: bool = True, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``pcip ARGS`` against ``db``; a failure (when ``check``) raises with its stderr."""
    done = subprocess.run(
        [str(VENV_BIN / "pcip"), *args],
        env=db.env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and done.returncode not in (0,):
        raise DrillFailed(f"pcip {' '.join(args)} exited {done.returncode}: {done.stderr[-800:]}")
    return done


def last_json(done: subprocess.CompletedProcess[str]) -> Any:
    lines = [x for x in done.stdout.splitlines() if x.startswith("{")]
    return json.loads(lines[-1]) if lines else None


def sql(db: BenchDb, query: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(db.url) as conn:
        return list(conn.execute(query, params or None).fetchall())


def scalar(db: BenchDb, query: str, *params: Any) -> Any:
    rows = sql(db, query, *params)
    return rows[0][0] if rows else None


def other_backends(db: BenchDb) -> int:
    """Client connections to the database other than this query's own."""
    return int(
        scalar(
            db,
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
        )
    )


def wait_for_no_backends(db: BenchDb, timeout: float = 60.0) -> int:
    """After a kill -9, PostgreSQL ends the dead client's session; wait for that."""
    deadline = time.monotonic() + timeout
    while (n := other_backends(db)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return n


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self, timeout: float = 30.0) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=timeout)

    def kill9(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_server(db: BenchDb, log: Path, *, timeout: float = 60.0) -> Server:
    """``pcip serve`` on a free port; returns once /api/v1/health answers 200."""
    port = free_port()
    out = log.open("ab")
    proc = subprocess.Popen(
        [str(VENV_BIN / "pcip"), "serve", "--port", str(port)],
        env=db.env,
        cwd=ROOT,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    out.close()
    server = Server(proc, port, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise DrillFailed(f"pcip serve exited {proc.returncode}: {log.read_text()[-800:]}")
        with suppress(httpx.HTTPError):
            if httpx.get(f"{server.url}/api/v1/health", timeout=2).status_code == 200:
                return server
        time.sleep(0.3)
    server.stop()
    raise DrillFailed(f"pcip serve not ready after {timeout:.0f}s")


@contextmanager
def serving(db: BenchDb, log: Path) -> Iterator[Server]:
    server = start_server(db, log)
    try:
        yield server
    finally:
        server.stop()


def checkpoints(db: BenchDb) -> int:
    path = db.home / "anchor" / "checkpoints.jsonl"
    return len(path.read_text().splitlines()) if path.exists() else 0


def verify_audit(drill: Drill, db: BenchDb, when: str) -> dict[str, Any]:
    done = run(db, "audit", "verify", check=False)
    result = last_json(done) or {}
    anchor = result.get("anchor") or {}
    drill.check(
        done.returncode == 0 and result.get("ok") is True,
        f"the audit chain verifies {when} ({result.get('checked')} entries, "
        f"{anchor.get('checkpoints')} signed checkpoint(s) agree)",
        done.stderr.strip(),
    )
    return result


def python() -> str:
    return str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
