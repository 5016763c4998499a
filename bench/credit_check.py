"""Batch credit check benchmark (issue 16, Art. 31): 100,000 USCCs checked by
``pcip.measures.checks.batch`` on PostgreSQL, reported next to a plain join of the same keys
against the same tables in the same run (the floor: what the database does with no
validation, explanation, logging or result file).

    .venv/bin/python -m bench.credit_check [--rows 100000] [--keep-db]

Seeds organisations straight into the tables (COPY), 2% of them on the market regulation
serious list; the target is at least 25% of the join's rate and under 10 s.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg

from bench.common import bench_database
from pcip import clock
from pcip.auth.permissions import Principal
from pcip.config import Settings
from pcip.demo.generators import random_uscc
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind
from pcip.kernel.platform import Platform
from pcip.measures import checks
from pcip.providers.service import get_provider

UNIT = random_uscc(random.Random(900), authority="1", entity_type="1")
ON = date(2026, 11, 26)


def _keys(n: int) -> list[str]:
    rnd, out, seen = random.Random(16), [], set()
    while len(out) < n:
        code = random_uscc(rnd)
        if code not in seen:
            seen.add(code)
            out.append(code)
    return out


def _seed(url: str, keys: list[str]) -> int:
    now = datetime(2026, 11, 1, tzinfo=UTC)
    with psycopg.connect(url) as conn:
        with conn.cursor().copy(
            "COPY subject (kind, id_type, uscc, name, created_at) FROM STDIN"
        ) as cp:
            for i, code in enumerate(keys):
                cp.write_row(("legal_person", "uscc", code, f"重庆基准企业{i}有限公司", now))
        ids = dict(conn.execute("SELECT uscc, id FROM subject WHERE uscc IS NOT NULL").fetchall())
        listed = keys[::50]
        with conn.cursor().copy(
            "COPY designation (list_type, subject_id, origin, deciding_authority, case_ref, "
            "facts, grounds, basis, created_at, decided_on, decision_number, listed_on, "
            "listed_until) FROM STDIN"
        ) as cp:
            for i, code in enumerate(listed):
                cp.write_row(
                    (
                        "serious_illegal_untrustworthy",
                        ids[code],
                        "imported",
                        "重庆市市场监督管理局",
                        f"基准〔2026〕{i}号",
                        "",
                        "",
                        "",
                        now,
                        date(2026, 10, 1),
                        f"渝市监列严〔2026〕{i}号",
                        date(2026, 10, 1),
                        date(2029, 10, 1),
                    )
                )
        conn.execute("ANALYZE subject")
        conn.execute("ANALYZE designation")
        conn.commit()
    return len(listed)


def _join(url: str, keys: list[str]) -> tuple[float, int]:
    """The floor: COPY the keys into a temporary table and join them to the listings."""
    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TEMP TABLE k (uscc text)")
        with conn.cursor().copy("COPY k (uscc) FROM STDIN") as cp:
            for code in keys:
                cp.write_row((code,))
        rows = conn.execute(
            "SELECT k.uscc, s.id, d.list_type FROM k LEFT JOIN subject s ON s.uscc = k.uscc "
            "LEFT JOIN designation d ON d.subject_id = s.id AND d.listed_on <= %s "
            "AND (d.ended_on IS NULL OR d.ended_on > %s) "
            "AND (d.listed_until IS NULL OR d.listed_until >= %s)",
            (ON, ON, ON),
        ).fetchall()
    return time.perf_counter() - started, sum(1 for r in rows if r[2] is not None)


def run(rows: int, work: Path, *, keep: bool = False) -> dict[str, Any]:
    """Seed, time the plain join and the batch check of the same ``rows`` keys; the figures."""
    keys = _keys(rows)
    with (
        tempfile.TemporaryDirectory(dir=work) as tmp,
        bench_database("check", Path(tmp), keep=keep) as db,
    ):
        db.pcip("provider", "add", UNIT, "重庆市财政局", "--items", "admin_penalty")
        listed = _seed(db.url, keys)
        src = Path(tmp) / "keys.csv"
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["uscc"])
        w.writerows([k] for k in keys)
        src.write_text(buf.getvalue(), encoding="utf-8")
        join_s, join_listed = _join(db.url, keys)
        platform = Platform.open(Settings(database_url=db.url, home=db.home))
        try:
            with clock.frozen(ON), platform.transaction() as s:
                unit = get_provider(s, UNIT)
                who = Principal(
                    ActorKind.PROVIDER,
                    Actor(ActorKind.PROVIDER, f"bench@{UNIT}", "bench"),
                    via="api_key",
                    provider_id=unit.id,
                    organisation=unit.name,
                )
                started = time.perf_counter()
                summary = checks.batch(
                    s,
                    platform.keyring,
                    who,
                    src,
                    matter="procurement",
                    purpose="政府采购供应商资格审查（基准测试）",
                    result_path=Path(tmp) / "result.csv",
                )
            check_s = time.perf_counter() - started  # including the commit of the log
        finally:
            platform.dispose()
    return {
        "rows": rows,
        "listed": listed,
        "join": {
            "seconds": round(join_s, 3),
            "per_second": round(rows / join_s),
            "listed": join_listed,
        },
        "batch_check": {
            "seconds": round(check_s, 3),
            "per_second": round(rows / check_s),
            "listed": summary.listed,
            "found": summary.found,
        },
        "share_of_join_rate": round(join_s / check_s, 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--keep-db", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        out = run(args.rows, Path(work), keep=args.keep_db)
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
