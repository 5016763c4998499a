"""Profile one inquiry mode in process: statements per request and where the CPU goes.

Not a benchmark (no figures to compare): a tool to find what a logged inquiry costs. It builds
a small dataset (``bench.datagen``) in a database of its own (or reuses one with ``--db``),
then sends N requests through the real ASGI application (Starlette's test client, so the
HTTP server itself is not in the profile) and prints:

* the SQL statements each request sends (SQLAlchemy's ``before_cursor_execute`` event), and
* the top of a cProfile of the N requests (cumulative time).

Run: ``.venv/bin/python -m bench.profile_inquiry --mode public -n 500``
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench import datagen
from bench.common import ROOT, BenchDb, create_database

MODES = ("public", "self", "authorized")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mode", choices=MODES, default="public")
    ap.add_argument("-n", type=int, default=300)
    ap.add_argument("--db", default="", help="reuse this database (made by an earlier run)")
    ap.add_argument("--home", type=Path, default=None, help="its PCIP_HOME (with --db)")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--sort", default="cumulative")
    ap.add_argument("--cpu-only", action="store_true", help="no profiler: CPU per request")
    args = ap.parse_args(argv)

    name = args.db or f"pcip_profile_{int(time.time())}"
    home = args.home or ROOT / "var" / "profile" / name
    db = BenchDb(name, home)
    if not args.db:
        home.mkdir(parents=True, exist_ok=True)
        create_database(name)
        db.pcip("init")
        from pcip.config import Settings

        targets = datagen.generate(
            Settings(database_url=db.url, home=db.home), datagen.Scale(4000, 1000, 12000, jobs=1)
        )
        targets.write(home / "targets")
        print(f"dataset in {name} (reuse with --db {name})")

    import os

    os.environ.update(db.env)
    from fastapi.testclient import TestClient

    from pcip.app import create_app
    from pcip.config import get_settings
    from pcip.kernel.platform import Platform

    get_settings.cache_clear()
    platform = Platform.open(get_settings())
    statements: list[str] = []

    @event.listens_for(platform.engine, "before_cursor_execute")
    def count(_c: Any, _cur: Any, stmt: str, *_a: Any) -> None:
        statements.append(stmt)

    t = home / "targets"

    def lines(n: str) -> list[str]:
        return [x for x in (t / f"{n}.txt").read_text().split() if x]

    orgs, tokens, grants = lines("organisations"), lines("self_tokens"), lines("authorization_ids")
    grantee = (t / "grantee_token.txt").read_text().strip()

    def one(client: TestClient) -> Any:
        if args.mode == "public":
            return client.get(f"/api/v1/public/organisations/{random.choice(orgs)}")
        if args.mode == "self":
            token = random.choice(tokens)
            return client.get("/api/v1/me/records", headers={"Authorization": f"Bearer {token}"})
        return client.post(
            "/api/v1/inquiries/authorized",
            json={"authorization_id": int(random.choice(grants))},
            headers={"Authorization": f"Bearer {grantee}"},
        )

    with TestClient(create_app(platform)) as client:
        for _ in range(50):  # warm caches (catalog items, compiled statements)
            assert one(client).status_code == 200
        statements.clear()
        r = one(client)
        assert r.status_code == 200, r.text
        print(f"{args.mode}: {len(statements)} statements for one request")
        for s in statements:
            print("   ", " ".join(s.split())[:150])
        if args.cpu_only:  # the whole process (client and server threads), no profiler
            started = time.process_time()
            for _ in range(args.n):
                one(client)
            cpu = time.process_time() - started
            print(f"{args.mode}: {args.n} requests, {cpu / args.n * 1000:.2f} ms CPU each")
            platform.dispose()
            return 0
        # yappi (if installed: ``pip install yappi``, not in the lock) sees every thread, the
        # endpoint's worker thread included; cProfile sees only this one (the client).
        try:
            import yappi
        except ImportError:
            yappi = None
        started = time.process_time()
        if yappi is not None:
            yappi.set_clock_type("cpu")
            yappi.start()
        else:
            prof = cProfile.Profile()
            prof.enable()
        for _ in range(args.n):
            one(client)
        cpu = time.process_time() - started
        print(f"{args.n} requests: {cpu / args.n * 1000:.2f} ms CPU each (profiler on)")
        if yappi is not None:
            yappi.stop()
            stats = yappi.get_func_stats()
            stats.sort("ttot" if args.sort == "cumulative" else "tsub")
            for f in list(stats)[: args.top]:
                where = f"{Path(f.module).name}:{f.lineno}"
                print(f"{f.ttot:8.3f} {f.tsub:8.3f} {f.ncall:7d}  {where:40s} {f.name}")
        else:
            prof.disable()
            pstats.Stats(prof).sort_stats(args.sort).print_stats(args.top)
    platform.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
