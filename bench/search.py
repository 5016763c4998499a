"""Public organisation search (Art. 22) at scale: latency per kind of query, and whether the
organisation the query was made from is found.

Queries are made from organisations of the dataset, five kinds: the exact current name, a
part of it (4-8 characters from after the place name), a part with one character mistyped
(the typo kind measures the fuzzy search), a former name, and the USCC. Each query goes
through ``pcip.inquiry.service.search_organisations`` in its own transaction, as the API
serves it, one after the other on one connection.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from typing import Any

from bench.common import percentile
from pcip.config import Settings
from pcip.inquiry.service import search_organisations
from pcip.kernel.platform import Platform

KINDS = ("exact", "part", "typo", "former", "uscc")
#: Characters a typo may put in (common in company names, so the typo is plausible).
_TYPO_CHARS = "鑫源恒泰华盛达利丰祥瑞隆兴宏昌福金鼎安康荣顺通诚信德弘嘉汇博远创新宇腾骏朗禾商贸科技"


def _part(rng: random.Random, name: str) -> str:
    # Skip the place name (重庆市, a district): users type the distinctive part.
    start = next((i + 1 for i, ch in enumerate(name[:8]) if ch in "市区县"), 0)
    body = name[start:] if len(name) - start >= 4 else name
    n = min(len(body), rng.randint(4, 8))
    first = rng.randint(0, len(body) - n)
    return body[first : first + n]


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 5:
        return text
    i = rng.randint(1, len(text) - 2)
    wrong = rng.choice([c for c in _TYPO_CHARS if c != text[i]])
    return text[:i] + wrong + text[i + 1 :]


def queries(
    rng: random.Random, orgs: list[tuple[str, str]], former: list[str], n: int
) -> list[tuple[str, str, str]]:
    """(kind, query, the name or USCC the result should contain)."""
    out: list[tuple[str, str, str]] = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        name, uscc = orgs[rng.randrange(len(orgs))]
        if kind == "exact":
            out.append((kind, name, name))
        elif kind == "part":
            out.append((kind, _part(rng, name), name))
        elif kind == "typo":
            part = _part(rng, name)
            part = part if len(part) >= 6 else name[-8:]
            out.append((kind, _typo(rng, part), name))
        elif kind == "former" and former:
            f = former[rng.randrange(len(former))]
            out.append((kind, f, f))
        else:
            out.append(("uscc", uscc, uscc))
    return out


def run(
    settings: Settings, orgs: list[tuple[str, str]], former: list[str], n: int
) -> dict[str, Any]:
    rng = random.Random(7)
    qs = queries(rng, orgs, former, n)
    platform = Platform.open(settings)
    times: dict[str, list[float]] = defaultdict(list)
    found: dict[str, int] = defaultdict(int)
    try:
        for _, q, _ in qs[:50]:  # warm the connection, caches and prepared statements
            with platform.transaction() as s:
                search_organisations(s, q)
        for kind, q, want in qs:
            t = time.perf_counter()
            with platform.transaction() as s:
                hits = search_organisations(s, q)
            times[kind].append((time.perf_counter() - t) * 1000)
            if any(want in (h.name, h.uscc, *h.former_names) for h in hits):
                found[kind] += 1
    finally:
        platform.dispose()
    every = [x for v in times.values() for x in v]
    out: dict[str, Any] = {
        "all": {
            "queries": len(every),
            "p50_ms": percentile(every, 50),
            "p99_ms": percentile(every, 99),
        }
    }
    for kind, values in times.items():
        out[kind] = {
            "queries": len(values),
            "p50_ms": percentile(values, 50),
            "p99_ms": percentile(values, 99),
            "max_ms": max(values),
            "found": found[kind] / len(values),
        }
    return out
