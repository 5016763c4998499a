"""Load test of a logged inquiry (issue 23): 60 s at 32 connections, 0 errors, and exactly one
inquiry-log row per answered inquiry (Art. 22: no answer without its log entry).

A bench, not a test: ``python -m bench.load`` (PostgreSQL at ``BENCH_PG``; wrk installed, as
``make bench`` does). A small dataset is generated (``bench.datagen``), ``pcip serve`` runs on a
loopback port, and wrk sends authorized inquiries as the bank over 32 connections, one per
wrk thread (``bench/lua/logged_load.lua``): each thread stops after its first answer past the
duration, so no inquiry is in flight when the count is taken. It prints the figures and exits
non-zero if any request failed or the log and the answers disagree.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from bench import datagen
from bench.common import ROOT, VENV_BIN, bench_database, load
from bench.http import (
    Scenario,
    free_port,
    idle_in_transaction,
    inquiries_since,
    inquiry_mark,
    server,
    wrk,
)
from pcip.config import Settings


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--out", type=Path, default=ROOT / "var" / "bench")
    ap.add_argument("--keep-db", action="store_true")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    work = args.out / "work"
    work.mkdir(exist_ok=True)
    with bench_database("load", work, keep=args.keep_db) as db:
        settings = Settings(database_url=db.url, home=db.home)
        targets = datagen.generate(
            settings, datagen.Scale(2_000, 20_000, 40_000, sessions=100, authorizations=2_000)
        )
        targets_dir = db.home / "targets"
        targets.write(targets_dir)
        token = (targets_dir / "grantee_token.txt").read_text().strip()
        scenario = Scenario(
            "logged_load",
            "pcip",
            "logged_load.lua",
            {
                "BENCH_TARGETS": str(targets_dir / "authorization_ids.txt"),
                "BENCH_TOKEN": token,
                "BENCH_SECONDS": str(args.seconds),
            },
            logged=True,
        )
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        cmd = [str(VENV_BIN / "pcip"), "serve", "--port", str(port)]
        with server(cmd, db.env, f"{url}/api/v1/health", work / "server-load.log"):
            mark = inquiry_mark(db)
            started = time.perf_counter()
            # wrk's own duration is only a cap: the threads stop themselves (see the script).
            got: dict[str, Any] = wrk(
                url,
                scenario,
                seconds=args.seconds + 5,
                threads=args.connections,
                connections=args.connections,
            )
            got["wall_seconds"] = time.perf_counter() - started
            got["idle_in_transaction_after"] = idle_in_transaction(db)
            got["logged"] = inquiries_since(db, mark)
    got["rps"] = got["requests"] / args.seconds
    got["errors"] = got["non_2xx"] + got["socket_errors"]
    got["load_average"] = load()
    got["connections"] = args.connections
    (args.out / "load-latest.json").write_text(json.dumps(got, indent=2))
    ok = got["errors"] == 0 and got["logged"] == got["requests"]
    print(
        f"logged inquiry load: {args.seconds} s at {args.connections} connections\n"
        f"  answered {got['requests']:,} ({got['rps']:.0f}/s), errors {got['errors']} "
        f"(non-2xx {got['non_2xx']}, socket {got['socket_errors']})\n"
        f"  latency p50 {got['p50_us'] / 1000:.1f} ms, p90 {got['p90_us'] / 1000:.1f} ms, "
        f"p99 {got['p99_us'] / 1000:.1f} ms, max {got['max_us'] / 1000:.1f} ms\n"
        f"  inquiry-log rows added {got['logged']:,} "
        f"({'equal to' if got['logged'] == got['requests'] else 'DIFFERENT FROM'} the answers); "
        f"connections idle in transaction after: {got['idle_in_transaction_after']}\n"
        f"  {'OK' if ok else 'FAILED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
