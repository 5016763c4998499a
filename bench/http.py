"""HTTP benchmark: pcip's logged inquiries against the least an endpoint can do, under wrk.

Two servers run side by side on loopback, each with the same number of uvicorn worker
processes (``--workers``, default 1; issue 22) on the same database:
``pcip serve`` (the product, exactly as deployed) and ``bench.minimal_app`` (constant JSON,
and one indexed SELECT through psycopg). wrk drives each scenario in turn with the same
threads, connections and duration, and a Lua script reports requests and latency percentiles.
Every pcip inquiry is logged in the inquiry log as Art. 22 requires; the run checks that the
log grew by the number of inquiries answered.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from bench.common import ROOT, VENV_BIN, BenchDb, load

LUA = Path(__file__).resolve().parent / "lua"


@dataclass(frozen=True)
class Scenario:
    name: str
    server: str  # "pcip", "minimal" or "floor"
    script: str
    env: dict[str, str]
    logged: bool = False  # each request writes one inquiry log entry
    read_url: str | None = None  # PCIP_READ_DATABASE_URL of the pcip server (issue 22)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with status {proc.returncode} before it was ready")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError(f"server not ready at {url} after {timeout:.0f}s")


@contextmanager
def server(cmd: list[str], env: dict[str, str], ready: str, log: Path) -> Iterator[int]:
    """Start a server process, wait until ``ready`` answers 200, stop it afterwards."""
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_ready(ready, proc)
            yield proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:  # graceful shutdown waits for stuck requests
                proc.kill()
                proc.wait()


def wrk(
    url: str, scenario: Scenario, *, seconds: int, threads: int, connections: int
) -> dict[str, Any]:
    env = dict(os.environ, BENCH_LUA=str(LUA), **scenario.env)
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA / scenario.script),
        url,
    ]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    line = next(x for x in reversed(out.splitlines()) if x.startswith("{"))
    got: dict[str, Any] = json.loads(line)
    got["rps"] = got["requests"] / (got["duration_us"] / 1e6)
    return got


def idle_in_transaction(db: BenchDb, settle: float = 10.0) -> int:
    """Connections to the bench database still in a transaction ``settle`` seconds after wrk
    stopped (0 when all is well: the requests wrk left in flight finish well within that).

    A request that ends leaves no transaction open; connections stuck "idle in transaction"
    are the mark of the worker-thread/connection-pool deadlock this benchmark once found
    (docs/performance.md)."""
    deadline = time.monotonic() + settle
    while True:
        with psycopg.connect(db.url) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND state = 'idle in transaction'"
            ).fetchone()
        count = int(row[0]) if row else 0
        if count == 0 or time.monotonic() >= deadline:
            return count
        time.sleep(0.5)


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_seconds(pid: int) -> tuple[int, float] | None:
    """(parent pid, user + system CPU seconds) of a live process, from /proc/<pid>/stat."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK


def tree_cpu(root: int) -> float:
    """CPU seconds used so far by ``root`` and every live descendant (a server's workers)."""
    found: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (got := _cpu_seconds(int(entry.name))) is not None:
            found[int(entry.name)] = got
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, (parent, _) in found.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(found[pid][1] for pid in tree if pid in found)


def database_cpu(db: BenchDb) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend connected to the bench database (on this
    machine: /proc), by backend pid."""
    with psycopg.connect(db.url) as conn:
        pids = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        ).fetchall()
    out = {}
    for (pid,) in pids:
        if (got := _cpu_seconds(int(pid))) is not None:
            out[int(pid)] = got[1]
    return out


def _cpu_per_request(
    got: dict[str, Any], server: tuple[float, float], database: tuple[dict[int, float], ...]
) -> None:
    """Server and database CPU over the measured run, per request answered (issue 22: it moves
    far less with the machine's load than requests/s do)."""
    requests = max(1, int(got["requests"]))
    got["server_cpu_s"] = server[1] - server[0]
    got["server_cpu_ms_per_request"] = 1000 * got["server_cpu_s"] / requests
    before, after = database
    used = sum(after[pid] - before.get(pid, 0.0) for pid in after)
    got["database_cpu_ms_per_request"] = 1000 * used / requests


def inquiry_mark(db: BenchDb) -> int:
    """The largest inquiry log id so far: an entry logged later has a larger one (the ids come
    from one sequence, which ``bench.datagen`` moves past the entries it loads).

    Counting the whole log before and after each logged scenario read all of it: 47 GB at
    1/10 scale, twice per scenario, which pushed the subjects and records out of memory between
    scenarios (docs/performance.md). The largest id and the entries above it are read from the
    partitions' primary keys."""
    with psycopg.connect(db.url) as conn:
        row = conn.execute("SELECT coalesce(max(id), 0) FROM inquiry_log").fetchone()
        return int(row[0]) if row else 0


def inquiries_since(db: BenchDb, mark: int) -> int:
    """The inquiry log entries logged since :func:`inquiry_mark` gave ``mark``."""
    with psycopg.connect(db.url) as conn:
        row = conn.execute("SELECT count(*) FROM inquiry_log WHERE id > %s", (mark,)).fetchone()
        return int(row[0]) if row else 0


def run(
    db: BenchDb,
    targets_dir: Path,
    work: Path,
    *,
    seconds: int,
    warmup: int,
    threads: int,
    connections: int,
    read_url: str | None = None,
    workers: int = 1,
) -> dict[str, Any]:
    """``read_url``: a streaming replica of ``db`` (issue 22); the public disclosure is then
    measured a second time with its reads on the replica (``public_organisation_replica``)."""
    t = targets_dir
    scenarios = [
        Scenario("minimal_static", "minimal", "get_list.lua", _list_env(t, "static", "/static?")),
        Scenario(
            "minimal_lookup",
            "minimal",
            "get_list.lua",
            _list_env(t, "organisations", "/lookup?uscc="),
        ),
        # Each inquiry next to its floor: a machine that drifts during the run moves both.
        *(sc for pair in zip(logged_scenarios(t), floor_scenarios(t), strict=True) for sc in pair),
    ]
    if read_url:
        scenarios.insert(
            [sc.name for sc in scenarios].index("public_organisation") + 1,
            Scenario(
                "public_organisation_replica",
                "pcip",
                "get_list.lua",
                _list_env(t, "organisations", "/api/v1/public/organisations/"),
                logged=True,
                read_url=read_url,
            ),
        )
    (t / "static.txt").write_text("x=1\n")
    minimal_env = dict(os.environ, BENCH_DATABASE_URL=db.url)
    results: dict[str, Any] = {}
    for sc in scenarios:
        # A fresh server per scenario: no scenario inherits another's pool or caches (and a
        # run's end, which drops wrk's connections mid-request, cannot affect the next).
        port = free_port()
        if sc.server == "pcip":
            cmd = pcip_server(port, workers)
            env, ready = _with_redis(db.env, workers), f"http://127.0.0.1:{port}/api/v1/health"
            if sc.read_url:
                env = dict(env, PCIP_READ_DATABASE_URL=sc.read_url)
        else:
            app = "bench.minimal_app:app" if sc.server == "minimal" else "bench.floor_app:app"
            cmd = [str(VENV_BIN / "python"), "-m", "uvicorn", app]
            cmd += ["--port", str(port), "--log-level", "warning", "--no-access-log"]
            cmd += ["--workers", str(workers)]  # the same number of processes as pcip
            env, ready = minimal_env, f"http://127.0.0.1:{port}/static"
        url = f"http://127.0.0.1:{port}"
        with server(cmd, env, ready, work / f"server-{sc.name}.log") as pid:
            if warmup:
                wrk(url, sc, seconds=warmup, threads=threads, connections=connections)
                time.sleep(1)
            mark = inquiry_mark(db) if sc.logged else 0
            cpu, db_cpu = tree_cpu(pid), database_cpu(db)
            got = wrk(url, sc, seconds=seconds, threads=threads, connections=connections)
            _cpu_per_request(got, (cpu, tree_cpu(pid)), (db_cpu, database_cpu(db)))
            got["load_average"] = load()
            if sc.logged:
                got["logged"] = inquiries_since(db, mark)
                got["idle_in_transaction_after"] = idle_in_transaction(db)
            results[sc.name] = got
    base = results["minimal_lookup"]
    for got in results.values():
        got["rps_ratio_to_lookup"] = got["rps"] / base["rps"]
        got["p99_ratio_to_lookup"] = got["p99_us"] / base["p99_us"]
    return results


#: The three logged inquiries (pcip's routes) and their floors (``bench.floor_app``), in order:
#: public disclosure of an organisation, self inquiry, authorized inquiry.
LOGGED = ("public_organisation", "self_inquiry", "authorized_inquiry")
FLOORS = ("floor_public", "floor_self", "floor_authorized")
_PCIP_PATHS = (
    "/api/v1/public/organisations/",
    "/api/v1/me/records",
    "/api/v1/inquiries/authorized",
)
_FLOOR_PATHS = ("/floor/public/", "/floor/me/records", "/floor/inquiries/authorized")


def logged_scenarios(t: Path) -> list[Scenario]:
    """The three logged inquiries, on a dataset's targets (``bench.datagen``)."""
    return _inquiries(t, "pcip", LOGGED, _PCIP_PATHS)


def floor_scenarios(t: Path) -> list[Scenario]:
    """The floor of the three logged inquiries: pcip's statements alone (``bench.floor_app``)."""
    return _inquiries(t, "floor", FLOORS, _FLOOR_PATHS)


def _inquiries(
    t: Path, server: str, names: tuple[str, str, str], paths: tuple[str, str, str]
) -> list[Scenario]:
    """The three logged inquiries sent to ``server`` at ``paths`` (every one logged)."""
    public, own, authorized = paths
    grantee = (t / "grantee_token.txt").read_text().strip()
    envs = (
        _list_env(t, "organisations", public),
        {"BENCH_TARGETS": str(t / "self_tokens.txt"), "BENCH_PATH": own},
        {
            "BENCH_TARGETS": str(t / "authorization_ids.txt"),
            "BENCH_TOKEN": grantee,
            "BENCH_PATH": authorized,
        },
    )
    scripts = ("get_list.lua", "self.lua", "authorized.lua")
    return [
        Scenario(name, server, script, env, logged=True)
        for name, script, env in zip(names, scripts, envs, strict=True)
    ]


def pcip_server(port: int, workers: int = 1) -> list[str]:
    """``pcip serve`` through the environment's console script. Its ``sys.path`` starts with
    the script's directory, so ``PYTHONPATH`` decides which checkout it imports (with ``python
    -m`` or ``-c`` the current directory would come first)."""
    return [str(VENV_BIN / "pcip"), "serve", "--port", str(port), "--workers", str(workers)]


def _with_redis(env: dict[str, str], workers: int) -> dict[str, str]:
    """Several pcip processes share their counts in Redis (``pcip serve`` refuses otherwise)."""
    if workers <= 1:
        return env
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    return {**env, "PCIP_REDIS_URL": url, "PCIP_REDIS_PREFIX": f"pcip-bench:{os.getpid()}:"}


def _list_env(targets: Path, name: str, prefix: str) -> dict[str, str]:
    return {"BENCH_TARGETS": str(targets / f"{name}.txt"), "BENCH_PREFIX": prefix}
