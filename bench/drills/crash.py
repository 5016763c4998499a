"""The crash drill (issue #23): kill -9 of an ingest, and of the server under load, on
PostgreSQL; then resubmission. Afterwards the database holds exactly the submitted rows, none
twice, nothing half-applied, and the audit chain verifies against its signed checkpoints.

Part 1: ``pcip ingest`` of an N-row penalty file (default 300,000) is killed with SIGKILL once
it has read half the file (its read position, from /proc). Then nothing of the batch may be
stored; the same file submitted again is stored completely, once.

Part 2: ``pcip serve`` answers public inquiries (each logged) and takes JSON batches from the
unit's API key on several threads; it is killed with SIGKILL in the middle. Every batch it
acknowledged must be stored; restarted, it takes every batch again: acknowledged ones change
nothing, the others are stored; in the end every row of every batch is there exactly once.
"""

from __future__ import annotations

import csv
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from bench import penalty_file
from bench.common import ROOT, BenchDb
from bench.drills.common import (
    Drill,
    DrillFailed,
    checkpoints,
    database,
    last_json,
    python,
    run,
    scalar,
    sql,
    start_server,
    verify_audit,
    wait_for_no_backends,
)
from pcip.catalog.schemas import FieldRole

BATCH_ROWS = 200


def _number_field() -> str:
    spec = penalty_file.item_spec()
    return next(f.name for f in spec.fields if f.role is FieldRole.BASIS_NUMBER)


def _write_file(path: Path, rows: int, seed: int) -> None:
    subprocess.run(
        [python(), "-m", "bench.penalty_file", str(path), str(rows), "--seed", str(seed)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def _read_position(pid: int, path: Path) -> int | None:
    """How far the process has read ``path`` (its file descriptor's offset), or None."""
    fd_dir = Path(f"/proc/{pid}/fd")
    try:
        for fd in fd_dir.iterdir():
            try:
                if os.readlink(fd) == str(path):
                    for line in (Path(f"/proc/{pid}/fdinfo") / fd.name).read_text().splitlines():
                        if line.startswith("pos:"):
                            return int(line.split()[1])
            except OSError:
                continue
    except OSError:
        return None
    return None


def _stored(db: BenchDb) -> dict[str, int]:
    return {
        "records": int(scalar(db, "SELECT count(*) FROM credit_record")),
        "versions": int(scalar(db, "SELECT count(*) FROM record_version")),
        "batches": int(scalar(db, "SELECT count(*) FROM batch")),
        "documents": int(scalar(db, "SELECT count(DISTINCT number) FROM basis_document")),
        "duplicate_keys": int(
            scalar(
                db,
                "SELECT count(*) - count(DISTINCT (provider_id, item_code, natural_key)) "
                "FROM credit_record",
            )
        ),
        "max_versions": int(
            scalar(
                db,
                "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM record_version "
                "GROUP BY record_id) v",
            )
        ),
    }


def _numbers(path: Path) -> list[str]:
    field = _number_field()
    with path.open(encoding="utf-8", newline="") as fh:
        return [row[field] for row in csv.DictReader(fh)]


def part1_ingest(drill: Drill, db: BenchDb, work: Path, rows: int, unit: str) -> Path:
    path = work / f"penalties-{rows}.csv"
    _write_file(path, rows, seed=1)
    numbers = _numbers(path)
    size = path.stat().st_size
    drill.did(
        f"wrote a penalty file of {rows:,} rows ({size / 1e6:.0f} MB), every row its own document"
    )
    drill.require(len(set(numbers)) == rows, "every row of the file has its own document number")

    cmd = [str(Path(python()).parent / "pcip"), "ingest", str(path), "--item", penalty_file.ITEM]
    cmd += ["--provider", unit, "--json"]
    heap_query = "SELECT pg_total_relation_size('record_version')"
    empty = int(scalar(db, heap_query))
    proc = subprocess.Popen(cmd, env=db.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    started = time.monotonic()
    pos, heap = 0, empty
    # The file is read twice: once for its SHA-256 (the ledger's file hash), then row by row.
    # Rows are being written once record_version grows; then wait for half the file.
    while proc.poll() is None and (heap <= empty or pos < size // 2):
        time.sleep(0.1)
        heap = int(scalar(db, heap_query))
        pos = _read_position(proc.pid, path) or pos
    drill.require(
        proc.poll() is None, "the ingest is still running at half the file", proc.returncode
    )
    os.kill(proc.pid, 9)
    proc.wait()
    drill.did(
        f"killed pcip ingest (SIGKILL) after {time.monotonic() - started:.1f} s, at byte "
        f"{pos:,} of {size:,} ({pos / size:.0%}); record_version had grown to "
        f"{heap / 1e6:.1f} MB (uncommitted)"
    )
    left = wait_for_no_backends(db)
    drill.check(left == 0, "PostgreSQL ended the dead ingest's session", f"{left} still open")
    locks = scalar(db, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
    drill.check(locks == 0, "no advisory lock is left held (ingest and audit writers)", locks)
    stored = _stored(db)
    drill.check(
        stored["records"] == stored["versions"] == stored["batches"] == 0,
        "nothing of the killed batch is stored (no record, no version, no ledger entry)",
        stored,
    )
    verify_audit(drill, db, "after the kill")

    started = time.monotonic()
    done = run(db, "ingest", str(path), "--item", penalty_file.ITEM, "--provider", unit, "--json")
    summary = last_json(done)
    drill.did(
        f"submitted the same file again: {summary['accepted']:,} accepted, "
        f"{summary['rejected']:,} rejected in {time.monotonic() - started:.0f} s"
    )
    stored = _stored(db)
    drill.check(
        summary["accepted"] == rows and summary["rejected"] == 0,
        f"the resubmission accepted exactly the file's {rows:,} rows",
        summary,
    )
    drill.check(
        stored["records"] == stored["versions"] == stored["documents"] == rows,
        f"exactly {rows:,} records, versions and decision documents are stored",
        stored,
    )
    drill.check(
        stored["duplicate_keys"] == 0 and stored["max_versions"] == 1,
        "no record is stored twice, none has a second version",
        stored,
    )
    drill.check(stored["batches"] == 1, "one batch in the ledger (the completed one)", stored)
    verify_audit(drill, db, "after the resubmission")
    return path


def _batches(work: Path, n_batches: int) -> list[list[dict[str, str]]]:
    """JSON batches of new penalty rows, with document numbers of their own."""
    path = work / "api-rows.csv"
    _write_file(path, n_batches * BATCH_ROWS, seed=2)
    field = _number_field()
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for i, row in enumerate(rows):
        row[field] = row[field].replace("〕", f"〕API{i:06d}-", 1)
    return [rows[i : i + BATCH_ROWS] for i in range(0, len(rows), BATCH_ROWS)]


def _orgs(path: Path, n: int) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        found: list[str] = []
        for row in csv.DictReader(fh):
            code = row.get("CF_XDR_SHXYM", "")
            if code and code not in found:
                found.append(code)
            if len(found) >= n:
                break
    return found


class Load:
    """Threads that submit batches and ask public inquiries until told to stop."""

    def __init__(self, url: str, token: str, batches: list[list[dict[str, str]]], orgs: list[str]):
        self.url, self.token, self.batches, self.orgs = url, token, batches, orgs
        self.acked: set[int] = set()
        self.answered = 0
        self.sent = 0
        self.errors: list[str] = []
        self.stop = threading.Event()
        self._next = iter(range(len(batches)))
        self._lock = threading.Lock()

    def _batch_ids(self) -> Iterator[int]:
        while not self.stop.is_set():
            with self._lock:
                i = next(self._next, None)
            if i is None:
                return
            yield i

    def submitter(self) -> None:
        with httpx.Client(base_url=self.url, timeout=60) as c:
            for i in self._batch_ids():
                try:
                    r = c.post(
                        "/api/v1/batches",
                        json={"item": penalty_file.ITEM, "rows": self.batches[i]},
                        headers={"Authorization": f"Bearer {self.token}"},
                    )
                except httpx.HTTPError:
                    return  # the server is gone
                if r.status_code == 201:
                    with self._lock:
                        self.acked.add(i)
                else:
                    self.errors.append(f"batch {i}: {r.status_code} {r.text[:200]}")

    def inquirer(self) -> None:
        with httpx.Client(base_url=self.url, timeout=30) as c:
            k = 0
            while not self.stop.is_set():
                code = self.orgs[k % len(self.orgs)]
                k += 1
                with self._lock:
                    self.sent += 1
                try:
                    r = c.get(f"/api/v1/public/organisations/{code}")
                except httpx.HTTPError:
                    return
                if r.status_code == 200:
                    with self._lock:
                        self.answered += 1
                else:
                    self.errors.append(f"inquiry: {r.status_code} {r.text[:200]}")


def part2_server(drill: Drill, db: BenchDb, work: Path, unit: str, file: Path, rows: int) -> None:
    token = last_json(run(db, "provider", "key", "create", unit, "--label", "drill"))["token"]
    n_batches = 40
    batches = _batches(work, n_batches)
    orgs = _orgs(file, 200)
    before_cp = checkpoints(db)
    server = start_server(db, work / "server-1.log")
    drill.did(f"started pcip serve on port {server.port}")
    drill.check(
        checkpoints(db) == before_cp + 1, "the server wrote a signed audit checkpoint at start"
    )
    logged_before = int(scalar(db, "SELECT count(*) FROM inquiry_log"))
    load = Load(server.url, token, batches, orgs)
    threads = [threading.Thread(target=load.submitter) for _ in range(2)]
    threads += [threading.Thread(target=load.inquirer) for _ in range(4)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 300
    while len(load.acked) < n_batches // 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.kill9()
    load.stop.set()
    for t in threads:
        t.join()
    drill.did(
        f"killed pcip serve (SIGKILL) under load: {len(load.acked)} of {n_batches} batches "
        f"acknowledged, {load.answered:,} of {load.sent:,} inquiries answered"
    )
    drill.check(not load.errors, "no request failed while the server ran", load.errors[:3])
    left = wait_for_no_backends(db)
    drill.check(left == 0, "PostgreSQL ended the dead server's sessions", f"{left} still open")
    acked_numbers = {row[_number_field()] for i in load.acked for row in batches[i]}
    stored_numbers = {
        r[0] for r in sql(db, "SELECT number FROM basis_document WHERE number LIKE %s", "%API%")
    }
    drill.check(
        acked_numbers <= stored_numbers,
        f"every row of the {len(load.acked)} acknowledged batches is stored",
        f"{len(acked_numbers - stored_numbers)} missing",
    )
    logged = int(scalar(db, "SELECT count(*) FROM inquiry_log")) - logged_before
    drill.check(
        load.answered <= logged <= load.sent,
        f"the inquiry log holds every answered inquiry ({logged:,} logged, {load.answered:,} "
        f"answered, {load.sent:,} sent: the difference died with the server)",
    )
    stuck = scalar(db, "SELECT count(*) FROM batch WHERE status = 'processing'")
    drill.check(stuck == 0, "no batch is left half-applied ('processing')", stuck)
    verify_audit(drill, db, "after the server was killed")

    server = start_server(db, work / "server-2.log")
    drill.did(f"restarted pcip serve on port {server.port}")
    outcomes = {"accepted": 0, "unchanged": 0, "other": 0}
    changed: list[int] = []
    with httpx.Client(base_url=server.url, timeout=120) as c:
        for i, batch in enumerate(batches):
            r = c.post(
                "/api/v1/batches",
                json={"item": penalty_file.ITEM, "rows": batch},
                headers={"Authorization": f"Bearer {token}"},
            )
            if r.status_code != 201:
                raise DrillFailed(f"resubmitting batch {i}: {r.status_code} {r.text[:300]}")
            got: dict[str, Any] = r.json()
            outcomes["accepted"] += got["accepted"]
            outcomes["unchanged"] += got["unchanged"]
            outcomes["other"] += got["updated"] + got["rejected"]
            if i in load.acked and got["accepted"]:
                changed.append(i)
    server.stop()
    drill.check(
        not changed, "every acknowledged batch changed nothing when submitted again", changed
    )
    drill.did(
        f"resubmitted all {n_batches} batches: {outcomes['accepted']:,} rows accepted, "
        f"{outcomes['unchanged']:,} unchanged (already stored before the kill)"
    )
    api_rows = n_batches * BATCH_ROWS
    drill.check(
        outcomes["other"] == 0 and outcomes["accepted"] + outcomes["unchanged"] == api_rows,
        "every resubmitted row was either stored now or found unchanged",
        outcomes,
    )
    stored = _stored(db)
    total = rows + api_rows
    drill.check(
        stored["records"] == stored["versions"] == stored["documents"] == total,
        f"exactly {total:,} records: the file's {rows:,} and the batches' {api_rows:,}",
        stored,
    )
    drill.check(
        stored["duplicate_keys"] == 0 and stored["max_versions"] == 1,
        "no record is stored twice, none has a second version",
        stored,
    )
    drill.check(checkpoints(db) >= before_cp + 2, "the restarted server wrote a signed checkpoint")
    verify_audit(drill, db, "at the end")


def main(work: Path, rows: int) -> Drill:
    drill = Drill("crash")
    with database("crash", work) as db:
        drill.did(f"created database {db.name} and ran pcip init")
        unit = penalty_file.unit_uscc()
        run(db, "provider", "add", unit, penalty_file.UNIT_NAME, "--items", penalty_file.ITEM)
        try:
            path = part1_ingest(drill, db, work, rows, unit)
            part2_server(drill, db, work, unit, path, rows)
        except DrillFailed as exc:
            drill.failures.append(str(exc))
            print(f"[crash] stopped: {exc}", flush=True)
    return drill
