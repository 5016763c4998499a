"""Paired bursts: two checkouts' inquiry servers side by side on one kept dataset (issue 22).

On the project's shared 2-core machine, runs of ``bench.run`` minutes apart moved by more than
most changes do: the same code gave a self inquiry 33% and 46% of the yardstick's rate in two
runs of one half hour. This compares two checkouts (say ``main`` in a worktree and the working
tree) where both see the same machine: both servers run at once on the same database, wrk
drives each in turn for a few seconds, the order is swapped every round, and the requests and
the server's CPU are summed over the rounds. Both servers are started afresh every round. The
CPU per request moves far less with the machine than requests per second do.

Each server is ``pcip serve`` from this environment with ``PYTHONPATH`` naming its checkout
(``bench.http.pcip_server``: the console script, so the checkout in the current directory
does not come first). A dataset is made once with ``bench.run --keep-db``::

    .venv/bin/python -m bench.run --scale small --only inquiry --keep-db --out var/bench/kept
    git worktree add /tmp/main main
    .venv/bin/python -m bench.paired --dataset pcip_bench_inquiry_... \\
        --home var/bench/kept/work/pcip_bench_inquiry_... --a /tmp/main --b .

It prints, for each inquiry, the requests each server answered, its CPU per request, the
median of the rounds' p99, and B against A; ``--out`` keeps them as JSON. Two runs with the
same checkout on both sides show the noise left (docs/performance.md: about 5% in eight
rounds of 3 s).
"""

from __future__ import annotations

import argparse
import json
import statistics
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import BenchDb
from bench.http import free_port, logged_scenarios, pcip_server, server, tree_cpu, wrk

MODES = {
    "public": "public_organisation",
    "self": "self_inquiry",
    "authorized": "authorized_inquiry",
}


@dataclass
class Tally:
    requests: int = 0
    cpu_s: float = 0.0
    p99_ms: list[float] = field(default_factory=list)

    def add(self, got: dict[str, Any], cpu_s: float) -> None:
        self.requests += int(got["requests"])
        self.cpu_s += cpu_s
        self.p99_ms.append(got["p99_us"] / 1000)

    def summary(self) -> dict[str, float]:
        return {
            "requests": self.requests,
            "cpu_ms_per_request": 1000 * self.cpu_s / max(1, self.requests),
            "p99_ms_median": statistics.median(self.p99_ms) if self.p99_ms else 0.0,
        }


def run(args: argparse.Namespace) -> dict[str, Any]:
    db = BenchDb(args.dataset, args.home)
    by_name = {sc.name: sc for sc in logged_scenarios(args.home / "targets")}
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    sides = {"A": args.a.resolve(), "B": args.b.resolve()}
    tallies = {(side, m): Tally() for side in sides for m in modes}
    burst = {"threads": args.threads, "connections": args.connections}
    for i in range(args.rounds):
        # Fresh servers every round: a long-lived process keeps where the scheduler put it
        # (next to PostgreSQL's busiest backend, say), which biased whole runs by up to 10%.
        with ExitStack() as stack:
            urls: dict[str, tuple[str, int]] = {}
            for side, tree in sides.items():
                port = free_port()
                env = dict(db.env, PYTHONPATH=str(tree))
                log = args.home / f"paired-server-{side}.log"
                ready = f"http://127.0.0.1:{port}/api/v1/health"
                pid = stack.enter_context(server(pcip_server(port), env, ready, log))
                urls[side] = (f"http://127.0.0.1:{port}", pid)
            for side in sides:  # warm both: prepared statements, caches
                for m in modes:
                    wrk(urls[side][0], by_name[MODES[m]], seconds=args.warmup, **burst)
            order = ("A", "B") if i % 2 == 0 else ("B", "A")
            for m in modes:
                for side in order:
                    url, pid = urls[side]
                    before = tree_cpu(pid)
                    got = wrk(url, by_name[MODES[m]], seconds=args.seconds, **burst)
                    tallies[(side, m)].add(got, tree_cpu(pid) - before)
    out: dict[str, Any] = {"a": str(sides["A"]), "b": str(sides["B"]), "modes": {}}
    for m in modes:
        a, b = tallies[("A", m)].summary(), tallies[("B", m)].summary()
        out["modes"][m] = {
            "a": a,
            "b": b,
            "requests_b_over_a": b["requests"] / max(1, a["requests"]),
            "cpu_b_over_a": b["cpu_ms_per_request"] / max(1e-9, a["cpu_ms_per_request"]),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--dataset", required=True, help="a database kept by bench.run --keep-db")
    ap.add_argument("--home", type=Path, required=True, help="its home (OUT/work/NAME)")
    ap.add_argument("--a", type=Path, required=True, help="checkout A (the reference)")
    ap.add_argument("--b", type=Path, required=True, help="checkout B (the change)")
    ap.add_argument("--modes", default="public,self,authorized")
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--seconds", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1, help="seconds of each inquiry per server")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--out", type=Path, default=None, help="write the figures here as JSON")
    args = ap.parse_args(argv)
    if not args.home.joinpath("targets").is_dir():
        ap.error(f"--home: {args.home} has no targets/ (made by bench.run --keep-db)")
    got = run(args)
    print(f"A = {got['a']}\nB = {got['b']}\n{args.rounds} rounds of {args.seconds} s each")
    print(
        f"{'inquiry':12s} {'A req':>8s} {'A ms':>6s} {'A p99':>6s} {'B req':>8s} {'B ms':>6s} "
        f"{'B p99':>6s} {'B/A req':>8s} {'B/A CPU':>8s}"
    )
    for m, r in got["modes"].items():
        a, b = r["a"], r["b"]
        print(
            f"{m:12s} {a['requests']:8d} {a['cpu_ms_per_request']:6.3f} {a['p99_ms_median']:6.0f} "
            f"{b['requests']:8d} {b['cpu_ms_per_request']:6.3f} {b['p99_ms_median']:6.0f} "
            f"{r['requests_b_over_a'] - 1:+8.1%} {r['cpu_b_over_a'] - 1:+8.1%}"
        )
    if args.out:
        args.out.write_text(json.dumps(got, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
