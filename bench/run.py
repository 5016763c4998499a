"""``make bench``: ingestion, logged inquiries and the public search on PostgreSQL, each next to
the database's own speed for the same work, in one run.

* ingest: a file of N double-publicity penalty rows through the real ``pcip ingest`` (every
  check, encryption, audit, idempotency), and the same file through ``COPY`` into a bare
  table; rows per second of both, their ratio, the peak memory (RSS) of the ingest process.
  Optionally a second, larger file only for the memory of a streaming ingest (``--memory-rows``).
* inquiry: a dataset of organisations, people and records (``bench.datagen``), ``pcip serve``
  with ``--workers`` processes (default 1; the yardstick gets as many) driven by wrk on
  loopback: public disclosure of an organisation, real-name self inquiry, authorized inquiry
  (each logged), next to a minimal endpoint doing one indexed SELECT (``bench.minimal_app``);
  requests per second, p50, p99 and the ratios.
* search: the fuzzy organisation search on the same dataset, p50 and p99 per kind of query.
* exchange: the same penalty rows through the JetStream intake (one message per sharing-system
  batch of ``exchange_batch_rows`` rows) and from a CSV file, messages/s and rows/s of both
  (``bench.exchange_intake``; needs NATS, ``make nats``).
* credit_check: a batch credit check of N USCCs (``bench.credit_check``: validated, explained,
  each subject logged) next to a plain join of the same keys against the same tables.
* reports: the time to draw and sign a credit report PDF (p50, p99), and the assessment batch
  over N subjects next to a plain aggregate query over the same records (``bench.reports``).

Every part uses its own PostgreSQL database (created and dropped, ``BENCH_PG`` names the
server). Results: ``var/bench/results-<timestamp>.json`` and ``var/bench/latest.json``, and a
table on stdout. Scale: ``--scale small|full`` (or ``BENCH_SCALE``); every size has a flag.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import psycopg

from bench import (
    credit_check,
    datagen,
    exchange_intake,
    http,
    penalty_file,
    purge,
    reports,
    search,
)
from bench.common import (
    ROOT,
    VENV_BIN,
    BenchDb,
    bench_database,
    fmt_rate,
    libpq,
    load,
    machine,
    server_url,
    wait_replayed,
)
from pcip.config import Settings


@dataclass
class Options:
    ingest_rows: int
    memory_rows: int
    organisations: int
    persons: int
    records: int
    seconds: int
    warmup: int
    connections: int
    threads: int
    search_queries: int
    check_rows: int = 10_000
    jobs: int = 2
    #: Issue 18: subjects graded by the assessment batch, and reports drawn for PDF times.
    assess_subjects: int = 100_000
    report_pdfs: int = 20
    exchange_rows: int = 5_000
    exchange_batch_rows: int = 100
    #: Issue 22.4: inquiry log entries in the dataset (over 3 years), and the log size of the
    #: purge benchmark (``bench.purge``).
    inquiries: int = 0
    purge_rows: int = 200_000
    #: Issue 22: server processes of both pcip and the yardstick in the HTTP part (more than
    #: one runs pcip with the local Redis, BENCH_REDIS_URL, as it must be deployed).
    workers: int = 1


SCALES: dict[str, Options] = {
    "small": Options(
        ingest_rows=20_000,
        memory_rows=0,
        organisations=20_000,
        persons=5_000,
        records=60_000,
        seconds=5,
        warmup=2,
        connections=64,
        threads=2,
        search_queries=500,
    ),
    "full": Options(
        ingest_rows=200_000,
        memory_rows=1_000_000,
        organisations=1_000_000,
        persons=200_000,
        records=3_000_000,
        seconds=15,
        warmup=3,
        connections=64,
        threads=2,
        search_queries=2_500,
        check_rows=100_000,
        assess_subjects=1_000_000,
        report_pdfs=50,
        exchange_rows=50_000,
        purge_rows=10_000_000,
    ),
}
#: One tenth of Chongqing (issue 22.4): the full scale's sizes with the dataset of
#: ``bench.datagen.SCALES["city10"]`` (100,000,000 log entries: 47 GB on disk with
#: indexes; the generator's rates at 1/1000 and 1/100 are in docs/performance.md).
SCALES["city10"] = Options(
    **{
        **asdict(SCALES["full"]),
        "organisations": datagen.SCALES["city10"].organisations,
        "persons": datagen.SCALES["city10"].persons,
        "records": datagen.SCALES["city10"].records,
        "inquiries": datagen.SCALES["city10"].inquiries,
    }
)
PARTS = (
    "ingest",
    "memory",
    "inquiry",
    "search",
    "credit_check",
    "reports",
    "exchange",
    "purge",
)


def log(msg: str) -> None:
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {msg}\n")
    sys.stderr.flush()


# --- ingestion ---------------------------------------------------------------------------------


def _pg_cpu() -> float:
    """CPU seconds used so far by PostgreSQL on this machine (Linux): every live process, and
    what the postmaster collected from the backends that have exited."""
    hz = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() != "postgres":
                continue
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(stat[11]) + int(stat[12]) + int(stat[13]) + int(stat[14])) / hz
    return total


def _backend_cpu(pid: int) -> float | None:
    """CPU seconds of one PostgreSQL backend so far (None once it has exited)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")


class _BackendWatch:
    """The CPU of the backends serving one database, sampled every 0.1 s while a benchmark
    runs: on a machine shared with other work, ``_pg_cpu`` (every postgres process) also
    counts other databases' queries. A backend's last 0.1 s before it exits may be missed."""

    def __init__(self, url: str, database: str) -> None:
        self.url, self.database = url, database
        self.seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _BackendWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def seconds(self) -> float:
        return sum(self.seen.values())

    def _run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            own = conn.info.backend_pid
            while not self._stop.is_set():
                rows = conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
                    (self.database, own),
                ).fetchall()
                for (pid,) in rows:
                    cpu = _backend_cpu(pid)
                    if cpu is not None:
                        self.seen[pid] = max(cpu, self.seen.get(pid, 0.0))
                self._stop.wait(0.1)


def raw_copy(db: BenchDb, path: Path) -> dict[str, Any]:
    """COPY the file into a bare table (text columns, no index, no constraint)."""
    with path.open(encoding="utf-8") as fh:
        header = fh.readline().strip().split(",")
    columns = ", ".join(f'"{c}" text' for c in header)
    with psycopg.connect(db.url) as conn:
        conn.execute(f"CREATE TABLE bench_raw_copy ({columns})")
        conn.commit()
        cpu = _pg_cpu()
        started = time.perf_counter()
        with (
            conn.cursor() as cur,
            cur.copy("COPY bench_raw_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
            path.open("rb") as fh,
        ):
            while block := fh.read(1 << 20):
                copy.write(block)
        conn.commit()
        seconds = time.perf_counter() - started
        pg_cpu = _pg_cpu() - cpu
        row = conn.execute("SELECT count(*) FROM bench_raw_copy").fetchone()
        rows = int(row[0]) if row else 0
        conn.execute("DROP TABLE bench_raw_copy")
        conn.commit()
    return {
        "rows": rows,
        "seconds": seconds,
        "rows_per_s": rows / seconds,
        "postgres_cpu_us_per_row": pg_cpu / rows * 1e6 if rows else None,
    }


def _watch_rss(pid: int, peak: list[int]) -> None:
    """The process's own peak RSS (VmHWM, in kB), read until it exits.

    Not ``ru_maxrss`` of wait4: a child forked from this (large) process is charged with the
    parent's image until it execs.
    """
    status = Path(f"/proc/{pid}/status")
    while True:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak[0] = max(peak[0], int(line.split()[1]))
        except (OSError, ValueError):
            return
        time.sleep(0.1)


def pcip_ingest(db: BenchDb, path: Path, unit: str) -> dict[str, Any]:
    """The real door: ``pcip ingest FILE --json`` as its own process; wall time and peak RSS."""
    cmd = [str(VENV_BIN / "pcip"), "ingest", str(path), "--item", penalty_file.ITEM]
    cmd += ["--provider", unit, "--json"]
    out = path.with_suffix(".ingest.json")
    cpu = _pg_cpu()
    started = time.perf_counter()
    peak = [0]
    with (
        out.open("wb") as fh,
        path.with_suffix(".ingest.err").open("wb") as err,
        _BackendWatch(db.url, db.name) as backends,
    ):
        proc = subprocess.Popen(cmd, env=db.env, stdout=fh, stderr=err)
        watcher = threading.Thread(target=_watch_rss, args=(proc.pid, peak), daemon=True)
        watcher.start()
        _, status, usage = os.wait4(proc.pid, 0)
        watcher.join()
    seconds = time.perf_counter() - started
    pg_cpu = _pg_cpu() - cpu
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = path.with_suffix(".ingest.err").read_text(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"pcip ingest failed ({proc.returncode}): {stderr[-2000:]}")
    summary = json.loads(out.read_text())
    rows = summary["accepted"] + summary["rejected"] + summary["unchanged"] + summary["updated"]
    return {
        "rows": rows,
        "accepted": summary["accepted"],
        "rejected": summary["rejected"],
        "seconds": seconds,
        "rows_per_s": rows / seconds,
        "peak_rss_mb": peak[0] / 1024,
        "process_cpu_us_per_row": (usage.ru_utime + usage.ru_stime) / rows * 1e6,
        "postgres_cpu_us_per_row": pg_cpu / rows * 1e6,
        "backend_cpu_us_per_row": backends.seconds / rows * 1e6,
    }


#: What an ingest writes, in an order that satisfies the foreign keys.
WRITTEN = (
    "batch",
    "subject",
    "subject_name",
    "responsible_link",
    "basis_document",
    "credit_record",
    "record_version",
)


def stored_copy(db: BenchDb, floor: str, rows: int) -> dict[str, Any]:
    """The database's own time to store what pcip stored: the rows the ingest wrote, COPYed
    into the same schema (every index, constraint and foreign key) in another database."""
    dumps: list[tuple[str, bytes]] = []
    with psycopg.connect(db.url) as src:
        for table in WRITTEN:
            buf = bytearray()
            with src.cursor() as cur, cur.copy(f"COPY {table} TO STDOUT") as copy:
                for block in copy:
                    buf += block
            dumps.append((table, bytes(buf)))
    written = {t: data.count(b"\n") for t, data in dumps}
    with psycopg.connect(db_url_of(floor)) as dst:
        cpu = _pg_cpu()
        backend = _backend_cpu(dst.info.backend_pid) or 0.0
        started = time.perf_counter()
        for table, data in dumps:
            with dst.cursor() as cur, cur.copy(f"COPY {table} FROM STDIN") as copy:
                for i in range(0, len(data), 1 << 20):
                    copy.write(data[i : i + (1 << 20)])
        dst.commit()
        seconds = time.perf_counter() - started
        pg_cpu = _pg_cpu() - cpu
        backend = (_backend_cpu(dst.info.backend_pid) or backend) - backend
    return {
        "rows": rows,
        "rows_written": written,
        "seconds": seconds,
        "rows_per_s": rows / seconds,
        "postgres_cpu_us_per_row": pg_cpu / rows * 1e6,
        "backend_cpu_us_per_row": backend / rows * 1e6,
    }


def db_url_of(name: str) -> str:
    from bench.common import db_url

    return db_url(name)


def ingest_part(work: Path, rows: int, *, keep: bool, with_copy: bool) -> dict[str, Any]:
    from bench.common import admin, drop_database

    with bench_database("ingest", work, keep=keep) as db:
        unit = penalty_file.unit_uscc()
        db.pcip("provider", "add", unit, penalty_file.UNIT_NAME, "--items", penalty_file.ITEM)
        path = db.home / f"penalties-{rows}.csv"
        log(f"writing {rows:,} penalty rows")
        # In a process of its own: this one stays small (the ingest process is forked from it).
        subprocess.run(
            [str(VENV_BIN / "python"), "-m", "bench.penalty_file", str(path), str(rows)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        size = path.stat().st_size
        result: dict[str, Any] = {"rows": rows, "file_mb": size / 1e6, "bytes_per_row": size / rows}
        floor = f"{db.name}_floor"
        if with_copy:
            log("COPY into a bare table")
            result["copy"] = raw_copy(db, path)
            with admin() as conn:  # the same schema and reference rows, empty of records
                conn.execute(f'CREATE DATABASE "{floor}" TEMPLATE "{db.name}"')
        log("pcip ingest")
        result["load_before"] = load()
        result["pcip_ingest"] = pcip_ingest(db, path, unit)
        result["load_after"] = load()
        if with_copy:
            try:
                log("COPY of the rows pcip stored into the same schema")
                result["stored_copy"] = stored_copy(db, floor, rows)
            finally:
                if not keep:
                    drop_database(floor)
            ingest_rate = result["pcip_ingest"]["rows_per_s"]
            result["ratio"] = ingest_rate / result["copy"]["rows_per_s"]
            result["ratio_to_stored_copy"] = ingest_rate / result["stored_copy"]["rows_per_s"]
        path.unlink()
        return result


# --- inquiry and search ------------------------------------------------------------------------


REPLICA_SCRIPT = ROOT / "tools" / "pg_replica.sh"


def replica_exists() -> bool:
    got = subprocess.run([str(REPLICA_SCRIPT), "status"], capture_output=True, text=True)
    return got.returncode == 0 and "online" in got.stdout


def read_replica(db: BenchDb, timeout: float = 900.0) -> str:
    """Issue 22: the bench database on the streaming replica ``tools/pg_replica.sh`` makes
    (127.0.0.1:5433), once the replica has replayed the primary's WAL up to now."""
    from sqlalchemy.engine import make_url

    subprocess.run([str(REPLICA_SCRIPT), "create"], check=True)
    url = make_url(db.url).set(port=int(os.environ.get("BENCH_REPLICA_PORT", "5433")))
    replica = url.set(database="postgres").render_as_string(hide_password=False)
    took = wait_replayed(libpq(db.url), libpq(replica), timeout, poll=0.1)
    log(f"replica replayed the dataset in {took:.1f} s")
    return url.render_as_string(hide_password=False)


def replication_state() -> dict[str, Any]:
    """pg_stat_replication on the primary: bytes not yet replayed, and the replay lag."""
    from bench.common import admin

    with admin() as conn:
        row = conn.execute(
            "SELECT pg_wal_lsn_diff(sent_lsn, replay_lsn), "
            "extract(epoch FROM replay_lag) FROM pg_stat_replication LIMIT 1"
        ).fetchone()
    if row is None:
        return {}
    return {"bytes_behind": int(row[0] or 0), "replay_lag_s": float(row[1] or 0.0)}


@contextmanager
def _kept_dataset(work: Path, name: str) -> Iterator[BenchDb]:
    """A dataset an earlier run generated and kept (``--keep-db``): its database and home."""
    db = BenchDb(name, work / name)
    if not (db.home / "targets" / "organisations.txt").exists():
        raise SystemExit(f"--dataset {name}: no kept dataset in {db.home} (run with --keep-db)")
    yield db


def _former_names(url: str, limit: int = 1_000) -> list[str]:
    with psycopg.connect(libpq(url)) as conn:
        rows = conn.execute(
            "SELECT n.name FROM subject_name n JOIN subject s ON s.id = n.subject_id "
            "WHERE n.name <> s.name ORDER BY random() LIMIT %s",
            (limit,),
        ).fetchall()
    return [r[0] for r in rows]


def inquiry_part(
    work: Path,
    o: Options,
    parts: set[str],
    *,
    keep: bool,
    replica: bool = False,
    dataset: str | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with (
        _kept_dataset(work, dataset)
        if dataset
        else bench_database("inquiry", work, keep=keep) as db
    ):
        settings = Settings(database_url=db.url, home=db.home)
        targets_dir = db.home / "targets"
        if dataset:  # generated by an earlier run: the HTTP targets are on disk
            log(f"dataset: {dataset}, kept by an earlier run")
            former_names = _former_names(db.url)
            out["dataset"] = {"reused": dataset}
        else:
            scale = datagen.Scale(
                o.organisations, o.persons, o.records, jobs=o.jobs, inquiries=o.inquiries
            )
            log(
                f"dataset: {o.organisations:,} organisations, {o.persons:,} persons, "
                f"{o.records:,} records"
            )
            targets = datagen.generate(settings, scale)
            targets.write(targets_dir)
            former_names = targets.former_names
            out["dataset"] = {"counts": targets.counts, "seconds": targets.seconds}
        if "inquiry" in parts:
            existed = replica and replica_exists()
            read_url = read_replica(db) if replica else None
            log(f"HTTP: pcip serve and the minimal endpoint under wrk, {o.workers} worker(s)")
            out["workers"] = o.workers
            out["http"] = http.run(
                db,
                targets_dir,
                db.home,
                seconds=o.seconds,
                warmup=o.warmup,
                threads=o.threads,
                connections=o.connections,
                read_url=read_url,
                workers=o.workers,
            )
            if replica:
                out["replication_after"] = replication_state()
                if not existed:  # made for this run: it replays every database's writes
                    subprocess.run([str(REPLICA_SCRIPT), "remove"], check=False)
        if "search" in parts:
            log("search")
            with psycopg.connect(db.url) as conn:
                orgs = conn.execute(
                    "SELECT name, uscc FROM subject WHERE kind <> 'person' "
                    "ORDER BY random() LIMIT 5000"
                ).fetchall()
                organisations = int(
                    (
                        conn.execute(
                            "SELECT count(*) FROM subject WHERE kind <> 'person'"
                        ).fetchone()
                        or (0,)
                    )[0]
                )
            out["search"] = search.run(
                settings, [(r[0], r[1]) for r in orgs], former_names, o.search_queries
            )
            out["search"]["organisations"] = organisations
            out["search"]["load_average"] = load()
    return out


# --- report ------------------------------------------------------------------------------------


def _floor_lines(measured: dict[str, Any]) -> list[str]:
    """pcip against the floor of each inquiry: what pcip's own work costs on top of its
    statements, and what the statements alone leave of the yardstick's rate."""
    parts = [
        f"{name.split('_')[0]} {measured[name]['rps'] / measured[floor]['rps']:.0%} "
        f"(CPU {measured[name]['server_cpu_ms_per_request']:.2f} against "
        f"{measured[floor]['server_cpu_ms_per_request']:.2f} ms)"
        for name, floor in zip(http.LOGGED, http.FLOORS, strict=True)
        if name in measured and floor in measured and "server_cpu_ms_per_request" in measured[name]
    ]
    if not parts:
        return []
    return [
        "  floors (pcip's statements alone, bench.floor_app) reach the rates above; pcip's "
        "inquiries answer of their floor's requests/s: " + "; ".join(parts)
    ]


def table(results: dict[str, Any]) -> str:
    lines = [f"pcip benchmarks, {results['started']} (scale {results['scale']})"]
    m = results["machine"]
    lines.append(
        f"machine: {m['cores']} cores {m['cpu']}, {m['memory_gb']} GB, "
        f"PostgreSQL {m['postgresql']}, load average at start {m['load_average']}"
    )
    ing = results.get("ingest")
    if ing:
        p = ing["pcip_ingest"]
        lines.append("")
        lines.append(f"INGEST  {ing['rows']:,} penalty rows ({ing['bytes_per_row']:.0f} bytes/row)")
        if "copy" in ing:
            c = ing["copy"]
            lines.append(f"  COPY into a bare table   {fmt_rate(c['rows_per_s']):>10} rows/s")
        lines.append(
            f"  pcip ingest (validated)  {fmt_rate(p['rows_per_s']):>10} rows/s   "
            f"peak RSS {p['peak_rss_mb']:.0f} MB   accepted {p['accepted']:,}"
        )
        if "stored_copy" in ing:
            sc = ing["stored_copy"]
            lines.append(
                f"  COPY of pcip's stored rows into pcip's schema {fmt_rate(sc['rows_per_s'])} "
                f"rows/s ({sc['postgres_cpu_us_per_row']:.0f} us PostgreSQL CPU per row)"
            )
        if "ratio" in ing:
            lines.append(f"  ratio pcip/COPY          {ing['ratio']:10.1%}   (target >= 50%)")
        if "ratio_to_stored_copy" in ing:
            lines.append(
                f"  ratio pcip/COPY of the same stored rows {ing['ratio_to_stored_copy']:.1%}"
            )
        lines.append(
            f"  CPU per row: ingest process {p['process_cpu_us_per_row']:.0f} us, "
            f"PostgreSQL {p['postgres_cpu_us_per_row']:.0f} us"
            + (
                f" (COPY: {ing['copy']['postgres_cpu_us_per_row']:.0f} us)"
                if "copy" in ing and ing["copy"]["postgres_cpu_us_per_row"] is not None
                else ""
            )
            + f"; load {ing['load_before']} -> {ing['load_after']}"
        )
        if "stored_copy" in ing and "backend_cpu_us_per_row" in p:
            own, floor = p["backend_cpu_us_per_row"], ing["stored_copy"]["backend_cpu_us_per_row"]
            lines.append(
                f"  this database's backends only: pcip {own:.0f} us, COPY of the stored rows "
                f"{floor:.0f} us; CPU ratio COPY/(ingest process + its backends) "
                f"{floor / (p['process_cpu_us_per_row'] + own):.1%}"
            )
    mem = results.get("memory")
    if mem:
        p = mem["pcip_ingest"]
        lines.append(
            f"  streaming {mem['rows']:,} rows: peak RSS {p['peak_rss_mb']:.0f} MB "
            f"(target < 300 MB), {fmt_rate(p['rows_per_s'])} rows/s"
        )
    inq = results.get("inquiry", {})
    if "dataset" in inq:
        d = inq["dataset"]
        lines.append("")
        if "reused" in d:
            lines.append(f"DATASET {d['reused']} (kept by an earlier run)")
        else:
            total = d["seconds"].get("total", 0)
            lines.append(f"DATASET {d['counts']} generated in {total:.0f} s")
    if "http" in inq:
        lines.append("")
        lines.append(
            f"HTTP    ({inq.get('workers', 1)} uvicorn worker(s) each, wrk on loopback)   "
            "req/s      p50 ms   p99 ms  "
            "req/s vs lookup  p99 vs lookup  CPU ms/req: server  database"
        )
        for name, r in inq["http"].items():
            lines.append(
                f"  {name:<24} {r['rps']:>20,.0f} {r['p50_us'] / 1000:>10.2f} "
                f"{r['p99_us'] / 1000:>8.2f} {r['rps_ratio_to_lookup']:>15.1%} "
                f"{r['p99_ratio_to_lookup']:>14.2f}x"
                + (
                    f" {r['server_cpu_ms_per_request']:>19.2f} "
                    f"{r['database_cpu_ms_per_request']:>9.2f}"
                    if "server_cpu_ms_per_request" in r
                    else ""
                )
                + (f"  logged {r['logged']:,}" if "logged" in r else "")
                + ("" if not r["non_2xx"] else f"  NON-2XX {r['non_2xx']}")
                + ("" if not r["socket_errors"] else f"  SOCKET ERRORS {r['socket_errors']}")
                + (
                    f"  {r['idle_in_transaction_after']} CONNECTIONS LEFT IN A TRANSACTION"
                    if r.get("idle_in_transaction_after")
                    else ""
                )
            )
        lines.append("  targets: logged inquiries >= 50% of lookup req/s, p99 <= 2x lookup p99")
        lines += _floor_lines(inq["http"])
        if "public_organisation_replica" in inq["http"]:
            with_replica = inq["http"]["public_organisation_replica"]["rps"]
            without = inq["http"]["public_organisation"]["rps"]
            state = inq.get("replication_after", {})
            lines.append(
                f"  public disclosure read on the replica / on the primary: "
                f"{with_replica / without:.1%}; replica afterwards "
                f"{state.get('bytes_behind', 0):,} bytes behind, replay lag "
                f"{state.get('replay_lag_s', 0.0):.3f} s (same 2 cores: no added capacity)"
            )
    if "search" in inq:
        s = inq["search"]
        lines.append("")
        lines.append(
            f"SEARCH  {s['organisations']:,} organisations, {s['all']['queries']:,} queries"
            "            p50 ms   p99 ms   found"
        )
        for kind in ("all", *search.KINDS):
            if kind in s:
                r = s[kind]
                found = f"{r['found']:>7.0%}" if "found" in r else ""
                lines.append(f"  {kind:<50} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} {found}")
        lines.append("  target: p99 <= 50 ms")
    cc = results.get("credit_check")
    if cc:
        j, b = cc["join"], cc["batch_check"]
        lines.append("")
        lines.append(f"CREDIT CHECK  {cc['rows']:,} USCCs, {cc['listed']:,} of them listed")
        lines.append(
            f"  plain join of the keys   {fmt_rate(j['per_second']):>10} keys/s   "
            f"{j['seconds']:.2f} s"
        )
        lines.append(
            f"  batch check (explained, logged) {fmt_rate(b['per_second']):>10} keys/s   "
            f"{b['seconds']:.2f} s   listed {b['listed']:,}"
        )
        lines.append(
            f"  ratio check/join         {cc['share_of_join_rate']:10.1%}   "
            "(target >= 25%, under 10 s)"
        )
    rp = results.get("reports")
    if rp:
        p, a = rp["pdf"], rp["assessment"]
        lines.append("")
        lines.append(f"REPORTS  {p['reports']} PDFs of 8 records ({p['pdf_bytes']:,} bytes each)")
        lines.append(
            f"  per report (draw + sign)  p50 {p['p50_ms']:.0f} ms   p99 {p['p99_ms']:.0f} ms"
        )
        lines.append(f"ASSESSMENT  {a['subjects']:,} subjects, {a['records']:,} records")
        lines.append(
            f"  plain aggregate query     {a['aggregate']['seconds']:.2f} s   "
            f"batch (graded) {a['batch']['seconds']:.2f} s   "
            f"ratio {a['batch_over_aggregate']:.1f}x"
        )
    ex = results.get("exchange")
    if ex:
        f, j = ex["file"], ex["jetstream"]
        lines.append("")
        lines.append(f"EXCHANGE INTAKE  {ex['rows']:,} rows, {j['messages']:,} messages")
        lines.append(
            f"  file ingestion           {fmt_rate(f['rows_per_second']):>10} rows/s   "
            f"{f['seconds']:.2f} s"
        )
        lines.append(
            f"  JetStream intake         {fmt_rate(j['rows_per_second']):>10} rows/s   "
            f"{j['messages_per_second']:.1f} msgs/s   {j['seconds']:.2f} s"
        )
        lines.append(f"  ratio intake/file        {ex['share_of_file_rate']:10.1%}")
    pg = results.get("purge")
    if pg:
        lines.append("")
        lines.append(f"PURGE  one month ({pg['month']}) of a {pg['rows']:,}-entry inquiry log")
        lines.append(
            f"  DELETE from a plain table {pg['delete']['seconds']:>8.3f} s   "
            f"{pg['delete']['rows']:,} rows   then VACUUM {pg['delete']['vacuum_after_s']:.3f} s"
        )
        lines.append(
            f"  pcip purge (DROP)         {pg['drop']['seconds']:>8.3f} s   "
            f"{pg['drop']['rows']:,} rows   ratio DELETE/DROP {pg['ratio_delete_to_drop']}x"
        )
        lines.append("  target: one month of a 100,000,000-entry log under a second")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="pcip benchmarks (see bench/run.py)")
    ap.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "small"), choices=SCALES)
    for f in fields(Options):
        ap.add_argument("--" + f.name.replace("_", "-"), type=int, default=None)
    ap.add_argument("--only", default=os.environ.get("BENCH_ONLY", ""), help=",".join(PARTS))
    ap.add_argument("--out", type=Path, default=ROOT / "var" / "bench")
    ap.add_argument("--keep-db", action="store_true", help="leave the bench databases")
    ap.add_argument(
        "--dataset",
        help="measure inquiries and search on this kept dataset (a database an earlier run "
        "left with --keep-db, its home under OUT/work) instead of generating one",
    )
    ap.add_argument(
        "--read-replica",
        action="store_true",
        help="also measure public disclosure with its reads on a streaming replica "
        "(tools/pg_replica.sh makes it on 127.0.0.1:5433; issue 22)",
    )
    args = ap.parse_args(argv)
    o = Options(**asdict(SCALES[args.scale]))
    for f in fields(Options):
        env = os.environ.get("BENCH_" + f.name.upper())
        value = getattr(args, f.name)
        if value is None and env:
            value = int(env)
        if value is not None:
            setattr(o, f.name, value)
    parts = {p.strip() for p in args.only.split(",") if p.strip()} or set(PARTS)
    if shutil.which("wrk") is None and "inquiry" in parts:
        log("wrk is not installed (make bench installs it): skipping the HTTP part")
        parts.discard("inquiry")
    args.out.mkdir(parents=True, exist_ok=True)
    work = args.out / "work"
    work.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    results: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "scale": args.scale,
        "options": asdict(o),
        "machine": machine(),
        "server": server_url().rsplit("@", 1)[-1],
    }
    random.seed(0)
    started = time.perf_counter()
    if "ingest" in parts:
        results["ingest"] = ingest_part(work, o.ingest_rows, keep=args.keep_db, with_copy=True)
    if "memory" in parts and o.memory_rows:
        results["memory"] = ingest_part(work, o.memory_rows, keep=args.keep_db, with_copy=False)
    if parts & {"inquiry", "search"}:
        results["inquiry"] = inquiry_part(
            work, o, parts, keep=args.keep_db, replica=args.read_replica, dataset=args.dataset
        )
    if "credit_check" in parts:
        log(f"batch credit check of {o.check_rows:,} USCCs and the plain join")
        results["credit_check"] = credit_check.run(o.check_rows, work, keep=args.keep_db)
    if "reports" in parts:
        log(f"report PDFs ({o.report_pdfs}) and the assessment of {o.assess_subjects:,} subjects")
        results["reports"] = reports.run(o.assess_subjects, o.report_pdfs, work, keep=args.keep_db)
    if "exchange" in parts:
        log(f"exchange intake: {o.exchange_rows:,} rows through JetStream and from a file")
        results["exchange"] = exchange_intake.run(
            o.exchange_rows, work, batch_rows=o.exchange_batch_rows, keep=args.keep_db
        )
    if "purge" in parts:
        log(f"purge: one month of a {o.purge_rows:,}-entry log, DROP of its partition and DELETE")
        results["purge"] = purge.run_bench(o.purge_rows, work, keep=args.keep_db)
    results["seconds"] = time.perf_counter() - started
    results["load_average_end"] = load()
    text = json.dumps(results, indent=2, ensure_ascii=False, default=str)
    (args.out / f"results-{stamp}.json").write_text(text)
    (args.out / "latest.json").write_text(text)
    print(table(results))
    print(f"\n{results['seconds']:.0f} s; results in {args.out / f'results-{stamp}.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
