"""The backup-and-restore drill (issue #23): ``pcip backup`` of a running platform (database
snapshot, files directory, audit checkpoints, keys), ``pcip restore`` into a fresh database and
an empty PCIP_HOME, and the restored platform answers the same inquiries the same way.

Also: keys of another installation are refused before anything is written, and a restored
database whose files directory is missing answers evidence downloads with a 503 that names
the missing file.
"""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from bench.common import BenchDb
from bench.drills.common import (
    Drill,
    DrillFailed,
    Server,
    checkpoints,
    database,
    last_json,
    run,
    scalar,
    serving,
    sha256,
    verify_audit,
)
from pcip.config import Settings
from pcip.kernel.keys.keyring import create_keyring

PASSWORD = "drill operator password 23"
#: Values that differ between two askings of the same inquiry (each is logged anew).
VOLATILE = {"inquiry_id"}


def _stable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


def targets(db: BenchDb) -> dict[str, Any]:
    """What to ask: organisations and persons with records, evidence of objections."""
    from pcip.kernel.platform import Platform
    from pcip.objections.models import Evidence
    from pcip.records.models import CreditRecord
    from pcip.subjects.models import Subject
    from pcip.subjects.service import reveal_identifier

    platform = Platform.open(Settings(database_url=db.url, home=db.home))
    try:
        with platform.transaction() as s:
            with_records = select(CreditRecord.subject_id).distinct()
            orgs = list(
                s.scalars(
                    select(Subject.uscc)
                    .where(Subject.id.in_(with_records), Subject.uscc.is_not(None))
                    .order_by(Subject.id)
                    .limit(30)
                )
            )
            persons = [
                reveal_identifier(platform.keyring, p)
                for p in s.scalars(
                    select(Subject)
                    .where(Subject.id.in_(with_records), Subject.kind == "person")
                    .order_by(Subject.id)
                    .limit(20)
                )
            ]
            names = list(
                s.scalars(
                    select(Subject.name)
                    .where(Subject.uscc.is_not(None))
                    .order_by(Subject.id)
                    .limit(10)
                )
            )
            evidence = [
                (e.objection_id, e.id) for e in s.scalars(select(Evidence).order_by(Evidence.id))
            ]
    finally:
        platform.dispose()
    return {
        "orgs": orgs,
        "persons": persons,
        "queries": [n.removeprefix("重庆市").removeprefix("重庆")[:4] for n in names],
        "evidence": evidence,
    }


def ask(server: Server, t: dict[str, Any]) -> dict[str, Any]:
    """The same inquiries, through the API: public disclosure, search, an operator's cases."""
    out: dict[str, Any] = {}
    with server.client() as c:
        for code in t["orgs"]:
            r = c.get(f"/api/v1/public/organisations/{code}")
            out[f"org {code}"] = (r.status_code, _stable(r.json()))
        for i, number in enumerate(t["persons"]):
            r = c.post("/api/v1/public/persons", json={"citizen_id": number})
            out[f"person {i}"] = (r.status_code, _stable(r.json()))
        for q in t["queries"]:
            r = c.get("/api/v1/public/organisations", params={"q": q})
            out[f"search {q}"] = (r.status_code, _stable(r.json()))
        r = c.post("/api/v1/auth/login", json={"username": "drill-op", "password": PASSWORD})
        if r.status_code != 200:
            raise DrillFailed(f"operator sign-in: {r.status_code} {r.text[:200]}")
        auth = {"Authorization": f"Bearer {r.json()['token']}"}
        for case, evidence in t["evidence"]:
            r = c.get(f"/api/v1/objections/{case}", headers=auth)
            out[f"case {case}"] = (r.status_code, _stable(r.json()))
            r = c.get(f"/api/v1/objections/{case}/evidence/{evidence}", headers=auth)
            out[f"evidence {evidence}"] = (r.status_code, sha256(r.content))
    return out


def _say(drill: Drill, done: Any) -> None:
    for line in done.stderr.splitlines():
        drill.did(f"  | {line}")


def main(work: Path) -> Drill:
    drill = Drill("backup")
    try:
        with database("backup_src", work) as src:
            _drill(drill, src, work)
    except DrillFailed as exc:
        drill.failures.append(str(exc))
        print(f"[backup] stopped: {exc}", flush=True)
    return drill


def _drill(drill: Drill, src: BenchDb, work: Path) -> None:
    run(src, "init", "--demo-if-empty")
    run(src, "account", "add", "drill-op", "--role", "operator", "--password-stdin", stdin=PASSWORD)
    t = targets(src)
    drill.did(
        f"created {src.name} with demo data (pcip init --demo-if-empty): "
        f"{scalar(src, 'SELECT count(*) FROM credit_record'):,} records, "
        f"{scalar(src, 'SELECT count(*) FROM subject'):,} subjects, "
        f"{len(t['evidence'])} evidence files of objections"
    )
    drill.require(bool(t["orgs"] and t["persons"] and t["evidence"]), "the data has what to ask")
    with serving(src, work / "backup-src.log") as server:
        before = ask(server, t)
        answered = sum(1 for code, _ in before.values() if code == 200)
        drill.did(
            f"asked {len(before)} inquiries of the running platform ({answered} answered 200)"
        )
        drill.require(answered == len(before), "every inquiry was answered")
        stop = threading.Event()
        during = [0]

        def load() -> None:
            with httpx.Client(base_url=server.url, timeout=30) as c:
                while not stop.is_set():
                    c.get(f"/api/v1/public/organisations/{t['orgs'][during[0] % len(t['orgs'])]}")
                    during[0] += 1

        thread = threading.Thread(target=load)
        thread.start()
        done = run(
            src,
            "backup",
            "--to",
            str(work / "backup"),
            "--keys-to",
            str(work / "backup-keys"),
            check=False,
        )
        stop.set()
        thread.join()
        drill.did(f"pcip backup while the server answered {during[0]} inquiries meanwhile:")
        _say(drill, done)
        drill.require(done.returncode == 0, "pcip backup succeeded", done.stderr[-400:])
    manifest = json.loads((work / "backup" / "manifest.json").read_text())
    drill.check(
        not (work / "backup" / "keys").exists()
        and (work / "backup-keys" / "keyring.json").exists(),
        "the keys were written apart from the data (--keys-to)",
    )

    with database("backup_dst", work, init=False) as dst:
        done = run(
            dst,
            "restore",
            "--from",
            str(work / "backup"),
            "--keys-from",
            str(work / "backup-keys"),
            check=False,
        )
        drill.did(f"pcip restore into the new, empty database {dst.name} and an empty PCIP_HOME:")
        _say(drill, done)
        drill.require(done.returncode == 0, "pcip restore succeeded", done.stderr[-400:])
        restored = last_json(done)
        drill.check(
            restored["counts"] == manifest["database"]["counts"],
            "the restored tables hold as many rows as the snapshot",
            restored["counts"],
        )
        with serving(dst, work / "backup-dst.log") as server:
            after = ask(server, t)
            differ = sorted(k for k in before if before[k] != after.get(k))
            drill.check(
                not differ,
                f"the restored platform answers all {len(before)} inquiries as the original "
                "(public disclosure, search by identifier, search by name, cases, evidence bytes)",
                differ[:5],
            )
            verify_audit(drill, dst, "on the restored database")
            drill.check(
                checkpoints(dst) > manifest["anchor"]["checkpoints"], "restore checkpointed"
            )
            files = dst.home / "files"
            files.rename(dst.home / "files.away")
            case, evidence = t["evidence"][0]
            with server.client() as c:
                r = c.post(
                    "/api/v1/auth/login", json={"username": "drill-op", "password": PASSWORD}
                )
                auth = {"Authorization": f"Bearer {r.json()['token']}"}
                r = c.get(f"/api/v1/objections/{case}/evidence/{evidence}", headers=auth)
                body = (
                    r.json()
                    if r.headers.get("content-type", "").startswith("application/json")
                    else {}
                )
                drill.did(
                    f"moved the files directory away; evidence {evidence} answered "
                    f"{r.status_code}: {body.get('message')}"
                )
                drill.check(
                    r.status_code == 503 and "evidence file" in str(body.get("message")),
                    "without its files directory the platform answers 503 naming the missing file",
                )
                (dst.home / "files.away").rename(files)
                r = c.get(f"/api/v1/objections/{case}/evidence/{evidence}", headers=auth)
                drill.check(r.status_code == 200, "with the files directory back it answers 200")

    with database("backup_wrong", work, init=False) as other:
        foreign = work / "foreign-keys"
        create_keyring(foreign)
        done = run(
            other,
            "restore",
            "--from",
            str(work / "backup"),
            "--keys-from",
            str(foreign),
            check=False,
        )
        drill.did(f"pcip restore with another installation's key file: {done.stderr.strip()}")
        tables = scalar(
            other, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )
        drill.check(
            done.returncode == 2 and "key file" in done.stderr and tables == 0,
            "keys that do not match the backup are refused before anything is written",
        )
    shutil.rmtree(work / "backup", ignore_errors=True)
