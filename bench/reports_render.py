"""Report rendering alone (Art. 29): ``pcip.reports.render.pdf`` over ``--reports`` reports.

Prints the milliseconds per report (wall and process CPU, p50 and mean) for the typical report
of bench/reports.py (8 records over four sections) and, with ``--records``, a larger one. No
database: the content is built in memory. The first render (pango and the font loaded) is
timed apart. ``--dump DIR`` writes the PDFs, to compare documents before and after a change
(``pdftotext``, ``pdffonts``, ``pdfinfo``).

    .venv/bin/python -m bench.reports_render [--reports 30] [--records 8] [--lang zh]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import percentile
from bench.reports import _content


def _doc(i: int, records: int) -> dict[str, Any]:
    """The typical report, its records repeated up to ``records`` (sections follow)."""
    doc = _content(i)
    base = doc["records"]
    if records != len(base):
        doc["records"] = [
            {**base[k % len(base)], "record_id": i * 1000 + k} for k in range(records)
        ]
        for s in doc["sections"]:
            keys = {r["item_code"] for r in (base[j] for j in s["records"])}
            s["records"] = [k for k, r in enumerate(doc["records"]) if r["item_code"] in keys]
            s["empty"] = not s["records"]
    return doc


def run(reports: int, records: int, lang: str, dump: Path | None) -> dict[str, Any]:
    from pcip.reports import render

    base_url = "http://127.0.0.1:8000/"
    started = time.perf_counter()
    render.pdf(_doc(0, records), base_url=base_url, lang=lang)
    first = time.perf_counter() - started
    wall: list[float] = []
    cpu: list[float] = []
    size = 0
    for i in range(reports):
        doc = _doc(i, records)
        w0, c0 = time.perf_counter(), time.process_time()
        data = render.pdf(doc, base_url=base_url, lang=lang)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
        size = len(data)
        if dump is not None:
            (dump / f"report-{lang}-{records}-{i:03d}.pdf").write_bytes(data)
    return {
        "reports": reports,
        "records": records,
        "lang": lang,
        "first_ms": round(first * 1000, 1),
        "wall_p50_ms": round(percentile(wall, 50) * 1000, 1),
        "wall_mean_ms": round(sum(wall) / len(wall) * 1000, 1),
        "cpu_p50_ms": round(percentile(cpu, 50) * 1000, 1),
        "cpu_mean_ms": round(sum(cpu) / len(cpu) * 1000, 1),
        "pdf_bytes": size,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=30)
    ap.add_argument("--records", type=int, default=8)
    ap.add_argument("--lang", default="zh", choices=("zh", "en"))
    ap.add_argument("--dump", type=Path, default=None)
    args = ap.parse_args()
    if args.dump is not None:
        args.dump.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        os.environ.setdefault("PCIP_HOME", home)
        out = run(args.reports, args.records, args.lang, args.dump)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
