"""``make drill``: run the crash, backup-and-restore and key-rotation drills on PostgreSQL.

Each drill creates its own databases on the server at ``BENCH_PG`` (default
``postgresql://postgres@127.0.0.1:5432``) and drops them at the end, and prints what it did and
what it checked. The exit status is 1 when any check failed.

    .venv/bin/python -m bench.drills.run                      # all three
    .venv/bin/python -m bench.drills.run --only crash --rows 50000
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench.drills import backup, crash, rotation
from bench.drills.common import Drill

DRILLS = ("crash", "backup", "rotation")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--only", default=",".join(DRILLS), help="comma-separated: " + ", ".join(DRILLS)
    )
    ap.add_argument(
        "--rows",
        type=int,
        default=int(os.environ.get("DRILL_ROWS", "300000")),
        help="rows of the file the crash drill ingests (DRILL_ROWS, default 300000)",
    )
    ap.add_argument("--keep", action="store_true", help="keep the working directory")
    args = ap.parse_args(argv)
    chosen = [d.strip() for d in args.only.split(",") if d.strip()]
    unknown = sorted(set(chosen) - set(DRILLS))
    if unknown:
        ap.error(f"unknown drill(s): {', '.join(unknown)}")
    work = Path(tempfile.mkdtemp(prefix="pcip-drill-"))
    results: list[Drill] = []
    try:
        for name in chosen:
            print(f"=== {name} drill ===", flush=True)
            if name == "crash":
                results.append(crash.main(work, args.rows))
            elif name == "backup":
                results.append(backup.main(work))
            else:
                results.append(rotation.main(work))
    finally:
        if args.keep:
            print(f"working directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("=== summary ===")
    for d in results:
        state = "ok" if not d.failures else f"FAILED: {'; '.join(d.failures)}"
        print(f"{d.name:9} {d.checks:3} checks  {d.seconds:6.0f} s  {state}")
    return 1 if any(d.failures for d in results) else 0


if __name__ == "__main__":
    sys.exit(main())
