"""The three-year purge of the inquiry log: dropping a month's partition against a DELETE of the
same month (issue 22 points 4 and 5).

A fresh database (``pcip init``: the log partitioned by CST month, migration 0018) gets N log
entries (``--rows``) spread evenly over the 36 months before now, starting on the 1st of a
month, by the generator's COPY (``bench.datagen``). The same rows are copied into a plain
table with the same indexes (the log before 0018). Then, in one run:

* baseline: ``DELETE`` from the plain table of every entry of the oldest month (what the
  purge did before partitioning, and still does on SQLite), and the ``VACUUM`` that reclaims
  the deleted rows (timed apart);
* pcip: ``pcip.inquiry.retention.purge`` on the day that month's last entries pass their
  three years: it counts the month (and its held entries: none), drops its partition and
  writes its audit event.

Both are printed with the rows removed and their ratio. ``python -m bench.purge --rows N``;
``make bench`` runs it as the ``purge`` part.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import psycopg

from bench import datagen
from bench.common import bench_database, db_url, libpq, load
from pcip import clock
from pcip.config import Settings
from pcip.disclosure.rules import add_years
from pcip.inquiry import partitions, retention
from pcip.kernel.actors import Actor
from pcip.kernel.platform import Platform

MONTHS = 36


def log(msg: str) -> None:
    datagen.log(f"purge: {msg}")


def run(db_url: str, home: Path, rows: int, jobs: int = 2) -> dict[str, Any]:
    settings = Settings(database_url=db_url, home=home)
    this_month = partitions.month_start(clock.today())
    first = partitions.add_months(this_month, -MONTHS)
    start, _ = partitions.bounds(first)
    end, _ = partitions.bounds(this_month)
    platform = Platform.open(settings)
    try:
        with platform.transaction() as s:
            partitions.ensure(s, since=first)
    finally:
        platform.dispose()
    t = time.perf_counter()
    with psycopg.connect(libpq(db_url)) as conn:
        dropped = datagen._drop_indexes(conn)
        conn.commit()
    scale = datagen.Scale(0, 0, 0, inquiries=rows, jobs=jobs)
    span = (end - start).total_seconds()
    cut = [rows * j // jobs for j in range(jobs + 1)]
    log(f"{rows:,} entries from {start:%Y-%m-%d} to {end:%Y-%m-%d}")
    for j in range(jobs):  # one COPY stream after the other: the bench measures the purge
        # Subject ids 1..100,000 need not exist: foreign keys are not checked by the load
        # (session_replication_role), and neither a DELETE nor a DROP of the log checks them.
        datagen._log_rows(
            db_url, 1 + cut[j], cut[j + 1] - cut[j], cut[j], scale, start, 1, 100_000, span
        )
    with psycopg.connect(libpq(db_url)) as conn:
        datagen._rebuild(conn, dropped, db_url)
        conn.autocommit = True
        log("the plain table (the log before migration 0018)")
        conn.execute("CREATE TABLE inquiry_log_plain (LIKE inquiry_log INCLUDING ALL)")
        conn.execute("INSERT INTO inquiry_log_plain SELECT * FROM inquiry_log")
        conn.execute("VACUUM (ANALYZE) inquiry_log_plain")
        conn.execute("VACUUM (ANALYZE) inquiry_log")
    loaded_s = time.perf_counter() - t
    lower, upper = partitions.bounds(first)
    with psycopg.connect(libpq(db_url)) as conn:
        t = time.perf_counter()
        cur = conn.execute(
            "DELETE FROM inquiry_log_plain WHERE at >= %s AND at < %s", (lower, upper)
        )
        deleted = cur.rowcount
        conn.commit()
        delete_s = time.perf_counter() - t
        # The DELETE leaves its rows dead in the table and its four indexes until a VACUUM
        # (autovacuum, later) reclaims them; the DROP frees the month at once.
        conn.autocommit = True
        t = time.perf_counter()
        conn.execute("VACUUM inquiry_log_plain")
        vacuum_s = time.perf_counter() - t
    result, drop_s = _purge_when_past(settings, upper)
    return {
        "rows": rows,
        "span_months": MONTHS,
        "month": f"{first:%Y-%m}",
        "load_s": round(loaded_s, 1),
        "delete": {
            "rows": deleted,
            "seconds": round(delete_s, 3),
            "vacuum_after_s": round(vacuum_s, 3),
        },
        "drop": {
            "rows": result.purged,
            "seconds": round(drop_s, 3),
            "dropped_partitions": list(result.dropped_partitions),
        },
        "ratio_delete_to_drop": round(delete_s / drop_s, 1) if drop_s else None,
        "ratio_delete_vacuum_to_drop": round((delete_s + vacuum_s) / drop_s, 1) if drop_s else None,
    }


def _purge_when_past(settings: Settings, upper: datetime) -> tuple[retention.PurgeResult, float]:
    """``retention.purge`` on the day the month ending at ``upper`` passes its three years
    (its last entries then leave), timed: what it did and its seconds."""
    purge_day: date = add_years(upper.astimezone(clock.CST).date(), retention.RETENTION_YEARS)
    platform = Platform.open(settings)
    try:
        with clock.frozen(f"{purge_day.isoformat()}T03:00:00"):
            t = time.perf_counter()
            with platform.transaction() as s:
                result = retention.purge(s, Actor.system("bench"))
            return result, time.perf_counter() - t
    finally:
        platform.dispose()


def run_existing(db_url: str, home: Path) -> dict[str, Any]:
    """The purge of the oldest month of an existing dataset (``bench.datagen``'s log, say the
    city10 scale's 100,000,000 entries, kept with ``bench.run --keep-db``): the month's rows
    first removed by a ``DELETE``, rolled back (row by row, as the purge removed entries before
    partitioning, though here from the month's own partition and without the ``VACUUM`` it
    would need), then ``pcip.inquiry.retention.purge`` on the day that
    month passes its three years. It drops the partition: run it after the other benchmarks
    that read the dataset."""
    before = load()
    with psycopg.connect(libpq(db_url)) as conn:
        total, oldest = conn.execute("SELECT count(*), min(at) FROM inquiry_log").fetchone() or (
            0,
            None,
        )
    if oldest is None:
        raise SystemExit("the database holds no inquiry log entries")
    first = partitions.month_start(oldest.astimezone(clock.CST).date())
    lower, upper = partitions.bounds(first)
    log(f"{total:,} entries; the oldest month {first:%Y-%m}")
    with psycopg.connect(libpq(db_url)) as conn:
        t = time.perf_counter()
        cur = conn.execute("DELETE FROM inquiry_log WHERE at >= %s AND at < %s", (lower, upper))
        deleted = cur.rowcount
        delete_s = time.perf_counter() - t
        conn.rollback()
    result, drop_s = _purge_when_past(Settings(database_url=db_url, home=home), upper)
    return {
        "rows": total,
        "month": f"{first:%Y-%m}",
        "delete_rolled_back": {"rows": deleted, "seconds": round(delete_s, 3)},
        "drop": {
            "rows": result.purged,
            "seconds": round(drop_s, 3),
            "dropped_partitions": list(result.dropped_partitions),
        },
        "ratio_delete_to_drop": round(delete_s / drop_s, 1) if drop_s else None,
        "load_before": before,
        "load_after": load(),
    }


def run_bench(rows: int, work: Path, *, keep: bool = False) -> dict[str, Any]:
    """The purge part of ``make bench``: a fresh database, ``rows`` entries, both timings."""
    before = load()
    with bench_database("purge", work, keep=keep) as db:
        out = run(db.url, db.home, rows)
    out["load_before"], out["load_after"] = before, load()
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--keep-db", action="store_true")
    ap.add_argument(
        "--existing",
        metavar="DATABASE",
        help="purge the oldest month of this existing dataset instead (needs --home)",
    )
    ap.add_argument("--home", type=Path, help="the existing dataset's PCIP_HOME (its keys)")
    args = ap.parse_args(argv)
    if args.existing:
        if args.home is None:
            ap.error("--existing needs --home")
        url = args.existing if "://" in args.existing else db_url(args.existing)
        print(json.dumps(run_existing(url, args.home), indent=1))
        return
    with tempfile.TemporaryDirectory() as work:
        out = run_bench(args.rows, Path(work), keep=args.keep_db)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
