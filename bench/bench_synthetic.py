"""Benchmark: synthetic identifier generation (used by the demo and the dataset generators).

Prints identifiers per second for our generators against a raw baseline in the same process
(formatting random digits with no validity), so the cost of validity is visible.
Run: .venv/bin/python bench/bench_synthetic.py [N]
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date

from pcip.demo.generators import random_citizen_id, random_uscc


def rate(label: str, n: int, fn: object) -> float:
    assert callable(fn)
    start = time.perf_counter()
    for _ in range(n):
        fn()
    per_s = n / (time.perf_counter() - start)
    print(f"{label:<40} {per_s:>12,.0f} /s")
    return per_s


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    rng = random.Random(0)
    raw = rate("baseline: 18 random digits", n, lambda: f"{rng.randrange(10**18):018d}")
    cid = rate(
        "random_citizen_id (valid, region by year)",
        n,
        lambda: random_citizen_id(rng, birth_from=date(1950, 1, 1), birth_to=date(2008, 12, 31)),
    )
    uscc = rate("random_uscc (valid, embedded org code)", n, lambda: random_uscc(rng))
    print(f"ratio citizen_id/baseline {cid / raw:.2f}; uscc/baseline {uscc / raw:.2f}")


if __name__ == "__main__":
    main()
