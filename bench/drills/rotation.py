"""The key-rotation drill (issue #23): ``pcip keys rotate`` gives the platform new encryption
and blind-index keys; killed in the middle it resumes; afterwards every old record is still
readable, every person is still found by ID number, a resubmission stores nothing twice, and
key files or databases from the other side of the rotation are refused at start.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bench import penalty_file
from bench.common import ROOT, BenchDb
from bench.drills.common import (
    Drill,
    DrillFailed,
    Server,
    database,
    last_json,
    python,
    run,
    scalar,
    serving,
    sql,
    verify_audit,
)
from pcip.config import Settings

ROWS = 20_000
SEALED_UNDER = """SELECT count(*) FROM rejected_row WHERE "values"->>'sealed' = %s"""


def people(db: BenchDb) -> dict[int, str]:
    """Every person on file: subject id -> the ID number, decrypted (as an operator can)."""
    from pcip.kernel.platform import Platform
    from pcip.subjects.models import Subject
    from pcip.subjects.service import reveal_identifier

    platform = Platform.open(Settings(database_url=db.url, home=db.home))
    try:
        with platform.transaction() as s:
            return {
                p.id: reveal_identifier(platform.keyring, p)
                for p in s.scalars(select(Subject).where(Subject.kind == "person"))
            }
    finally:
        platform.dispose()


def found(db: BenchDb, numbers: dict[int, str]) -> dict[int, int | None]:
    """Each person looked up by ID number through the blind index (search by identifier)."""
    from pcip.kernel.platform import Platform
    from pcip.subjects.service import find, person_by_citizen_id

    platform = Platform.open(Settings(database_url=db.url, home=db.home))
    try:
        out: dict[int, int | None] = {}
        with platform.transaction() as s:
            for pid, number in numbers.items():
                subject = find(s, person_by_citizen_id(platform.keyring, number))
                out[pid] = subject.id if subject else None
        return out
    finally:
        platform.dispose()


def public(server: Server, numbers: list[str]) -> list[Any]:
    with server.client() as c:
        return [
            {
                k: v
                for k, v in c.post("/api/v1/public/persons", json={"citizen_id": n}).json().items()
                if k != "inquiry_id"
            }
            for n in numbers
        ]


def _refused(db: BenchDb, home: Path) -> str:
    """What a start (any command opening the platform) says with this PCIP_HOME."""
    other = BenchDb(db.name, home)
    done = run(other, "audit", "verify", check=False)
    return done.stderr.strip() if done.returncode == 2 else ""


def main(work: Path) -> Drill:
    drill = Drill("rotation")
    try:
        with database("rotation", work) as db:
            _drill(drill, db, work)
    except DrillFailed as exc:
        drill.failures.append(str(exc))
        print(f"[rotation] stopped: {exc}", flush=True)
    return drill


def _drill(drill: Drill, db: BenchDb, work: Path) -> None:
    unit = penalty_file.unit_uscc()
    run(db, "provider", "add", unit, penalty_file.UNIT_NAME, "--items", penalty_file.ITEM)
    path = work / "rotation.csv"
    subprocess.run(
        [python(), "-m", "bench.penalty_file", str(path), str(ROWS), "--seed", "7"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    bad = work / "rotation-bad.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        first_row = next(reader)
        columns = list(reader.fieldnames or [])
    first_row["CF_XDR_SHXYM"] = "not a code"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, columns)
        writer.writeheader()
        writer.writerow(first_row)
    ingest = ("--item", penalty_file.ITEM, "--provider", unit, "--json")
    run(db, "ingest", str(path), *ingest)
    run(db, "ingest", str(bad), *ingest, check=False)  # exit 1: one row rejected
    numbers = people(db)
    records = int(scalar(db, "SELECT count(*) FROM credit_record"))
    sealed = int(scalar(db, SEALED_UNDER, "k1"))
    drill.did(
        f"ingested {ROWS:,} penalty rows: {records:,} records, {len(numbers):,} persons "
        f"(identifiers encrypted under k1, indexed under i1), {sealed} rejected row sealed"
    )
    drill.require(len(numbers) > 100 and sealed == 1, "the data has persons and a sealed row")
    backup = work / "before-rotation"
    run(db, "backup", "--to", str(backup))
    drill.did(f"pcip backup before the rotation: {backup}")

    with serving(db, work / "rotation-1.log") as server:
        sample = list(numbers.values())[:400]
        answers = public(server, sample)
        shown = sum(1 for a in answers if a["subject"])
        drill.did(f"asked public inquiries for {len(sample)} persons by ID ({shown} with records)")
        done = run(db, "keys", "rotate", check=False)
        drill.did(f"pcip keys rotate with the server running: {done.stderr.strip()}")
        drill.check(
            done.returncode == 2 and "other connection" in done.stderr,
            "the rotation refuses to start while the server is connected",
        )
    cmd = [str(Path(python()).parent / "pcip"), "keys", "rotate", "--batch-size", "20"]
    proc = subprocess.Popen(
        cmd, env=db.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stderr is not None
    first = proc.stderr.readline().strip()  # the first progress line: 10% of the persons
    proc.kill()
    proc.wait()
    drill.did(f"pcip keys rotate, killed (SIGKILL) after its first progress line: '{first}'")
    status = last_json(run(db, "keys", "status"))
    under_way = status["rotation_under_way"]
    drill.require(under_way is not None, "the database records the unfinished rotation")
    done_before = under_way["done"]["subject"]
    drill.check(
        0 < done_before < len(numbers),
        f"the rotation stopped part-way ({done_before:,} of {len(numbers):,} persons done)",
    )
    refused = _refused(db, db.home)
    drill.did(f"a start during the rotation: {refused}")
    drill.check("unfinished" in refused, "nothing starts while the rotation is unfinished")
    done = run(db, "keys", "rotate", "--batch-size", "200")
    report = last_json(done)
    drill.did(f"pcip keys rotate again: {report}")
    drill.check(report["resumed"] is True, "the second run resumed the interrupted rotation")
    drill.check(
        report["data_key"] == "k1 -> k2" and report["index_key"] == "i1 -> i2",
        "new encryption key (k2) and blind-index key (i2)",
    )
    status = last_json(run(db, "keys", "status"))
    states = {(k["kind"], k["id"]): k["state"] for k in status["keys"]}
    drill.check(
        states[("data", "k2")] == states[("index", "i2")] == "active"
        and states[("data", "k1")] == states[("index", "i1")] == "retired"
        and status["rotation_under_way"] is None,
        "the database records k2 and i2 active, k1 and i1 retired",
        states,
    )
    left = scalar(db, "SELECT count(*) FROM subject WHERE id_key IS NOT NULL AND id_key <> 'k2'")
    drill.check(left == 0, "every person's identifier is now encrypted under k2", left)
    resealed = scalar(db, SEALED_UNDER, "k2")
    drill.check(resealed == sealed, "the rejected row is sealed under k2", resealed)
    after = people(db)
    drill.check(after == numbers, f"all {len(numbers):,} old identifiers still decrypt, unchanged")
    lookups = found(db, numbers)
    missing = [pid for pid, got in lookups.items() if got != pid]
    drill.check(
        not missing,
        f"search by identifier finds each of the {len(numbers):,} persons under the new index key",
        f"{len(missing)} not found",
    )
    actions = {
        a: int(n)
        for a, n in sql(
            db,
            "SELECT action, count(*) FROM audit_event WHERE action LIKE 'keys.%' GROUP BY action",
        )
    }
    drill.check(
        actions == {"keys.rotate_start": 1, "keys.rotate": 1},
        "the rotation is in the audit chain (keys.rotate_start, keys.rotate)",
        actions,
    )
    verify_audit(drill, db, "after the rotation")
    with serving(db, work / "rotation-2.log") as server:
        again = public(server, sample)
        drill.check(
            again == answers,
            f"the restarted server answers the {len(sample)} public inquiries by ID as before",
        )
    summary = last_json(run(db, "ingest", str(path), *ingest))
    drill.check(
        summary["accepted"] == 0 and summary["updated"] == 0 and summary["unchanged"] == ROWS,
        f"the same file submitted after the rotation: all {ROWS:,} rows unchanged, "
        "none stored twice",
        summary,
    )

    old_home = work / "old-keys-home"
    shutil.copytree(db.home, old_home)
    shutil.copy2(backup / "keys" / "keyring.json", old_home / "keys" / "keyring.json")
    refused = _refused(db, old_home)
    drill.did(f"the rotated database with the key file from before the rotation: {refused}")
    drill.check("older than the database" in refused, "an older key file is refused at start")

    with database("rotation_restore", work, init=False) as old:
        run(old, "restore", "--from", str(backup))
        shutil.copy2(db.home / "keys" / "keyring.json", old.home / "keys" / "keyring.json")
        refused = _refused(old, old.home)
        drill.did(f"the backup from before the rotation with the rotated key file: {refused}")
        drill.check(
            "newer than the database" in refused,
            "a database from before the rotation is refused with the newer keys",
        )
