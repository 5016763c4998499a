"""Report and assessment benchmarks (issue 18, Art. 29-30), on PostgreSQL.

* Report PDF: the time to draw and sign one report (WeasyPrint with the CJK font, SHA-256 of
  content and PDF, Ed25519), per report, p50 and p99 over ``--reports`` reports of a typical
  size (8 records over four sections). The inquiry the report is the answer of is measured by
  the inquiry benchmarks (bench/http.py), not again here.
* Assessment batch: ``pcip.assessment.batch.distribution`` over ``--subjects`` subjects
  (default 1,000,000) with about 0.6 records each, next to a plain aggregate query over the
  same records in the same run (the floor: the database's GROUP BY alone).

    .venv/bin/python -m bench.reports [--subjects 1000000] [--reports 50] [--keep-db]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg

from bench.common import bench_database, percentile
from pcip import clock
from pcip.config import Settings, reset_settings
from pcip.demo.generators import random_uscc
from pcip.kernel.platform import Platform

ON = date(2026, 11, 26)
UNIT = random_uscc(random.Random(901), authority="1", entity_type="1")
#: (item, polarity, share of subjects with one such record)
MIX = (
    ("admin_penalty", "negative", 0.25),
    ("admin_licence", "positive", 0.20),
    ("abnormal_operation_list", "negative", 0.05),
    ("commendation", "positive", 0.05),
    ("court_judgment_defaulter", "negative", 0.02),
    ("tax_arrears", "negative", 0.03),
)


def _seed(url: str, subjects: int) -> int:
    now = datetime(2026, 11, 1, tzinfo=UTC)
    rnd = random.Random(18)
    with psycopg.connect(url) as conn:
        unit = conn.execute("SELECT id FROM provider WHERE uscc = %s", (UNIT,)).fetchone()
        assert unit is not None
        with conn.cursor().copy(
            "COPY subject (kind, id_type, uscc, name, created_at) FROM STDIN"
        ) as cp:
            seen: set[str] = set()
            i = 0
            while i < subjects:
                code = random_uscc(rnd)
                if code in seen:
                    continue
                seen.add(code)
                cp.write_row(("legal_person", "uscc", code, f"重庆基准企业{i}有限公司", now))
                i += 1
        first = int((conn.execute("SELECT min(id) FROM subject").fetchone() or (0,))[0])
        records = 0
        with conn.cursor().copy(
            "COPY credit_record (subject_id, item_code, provider_id, polarity, info_class, "
            "natural_key, created_at) FROM STDIN"
        ) as cp:
            for n in range(subjects):
                for item, polarity, share in MIX:
                    if rnd.random() < share:
                        records += 1
                        cp.write_row(
                            (first + n, item, unit[0], polarity, "public", f"B{records}", now)
                        )
        conn.execute("ANALYZE subject")
        conn.execute("ANALYZE credit_record")
        conn.commit()
    return records


def _aggregate(url: str) -> tuple[float, int]:
    """The floor: the GROUP BY the batch runs, without the rest (events, listings, scoring)."""
    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT subject_id, item_code, polarity, count(*) FROM credit_record "
            "WHERE info_class = 'public' GROUP BY subject_id, item_code, polarity"
        ).fetchall()
    return time.perf_counter() - started, len(rows)


def _content(i: int) -> dict[str, Any]:
    from pcip.reports import content, sections

    records = []
    for j, (item, polarity, _) in enumerate(MIX[:4] * 2):
        records.append(
            {
                "record_id": i * 10 + j,
                "version": 1,
                "item_code": item,
                "item_name_zh": "行政处罚" if polarity == "negative" else "行政许可",
                "item_name_en": item,
                "scope_category": 2,
                "polarity": polarity,
                "info_class": "public",
                "fields": {
                    "决定书文号": f"渝市监罚〔2026〕{j}号",
                    "处罚内容": "罚款人民币五千元整",
                },
                "labels": [],
                "notes": [],
                "basis": {
                    "doc_type": "admin_decision",
                    "number": f"渝市监罚〔2026〕{j}号",
                    "issuer": "重庆市市场监督管理局",
                    "decision_date": "2026-10-15",
                    "effective_date": "2026-10-15",
                },
                "provenance": {
                    "provider_uscc": UNIT,
                    "provider_name": "重庆市市场监督管理局",
                    "batch_id": 1,
                    "received_at": "2026-10-20T10:00:00+08:00",
                    "catalog_version": "2026.1",
                    "recorded_at": "2026-10-20T10:00:00+08:00",
                },
            }
        )
    ctx = sections.ReportContext(None, 0, "authorized", ON, records)
    built = []
    for spec in sections.layout().sections:  # record sections only: no database needed
        idx = [k for k, r in enumerate(records) if sections.section_of(r["item_code"]) == spec.key]
        built.append(
            {"key": spec.key, "title_zh": spec.title_zh, "title_en": spec.title_en,
             "records": [] if spec.provider else idx, "entries": [], "empty": not idx}
        )  # fmt: skip
    del ctx
    return {
        "format": "pcip-credit-report/1",
        "number": f"CR20261126BENCH{i:03d}"[:18],
        "issued_at": "2026-11-26T10:00:00+08:00",
        "regulation": content.REGULATION,
        "fee": 0,
        "mode": "authorized",
        "channel": "api",
        "requester": "重庆示例银行股份有限公司",
        "inquiry_id": i,
        "authorization_id": 1,
        "period": {"from": "2026-10-20", "to": "2026-11-26"},
        "subject": {"subject_id": i, "kind": "legal_person", "name": "重庆基准企业有限公司",
                    "identifier": UNIT},
        "records": records,
        "sections": built,
        "key_id": "bench",
    }  # fmt: skip


def _pdfs(n: int, home: Path) -> dict[str, Any]:
    import os

    from pcip.reports import render, signing

    os.environ["PCIP_HOME"] = str(home)
    reset_settings()
    times = []
    size = 0
    render.pdf(_content(0), base_url="http://127.0.0.1:8000/")  # load pango and fonts once
    for i in range(n):
        doc = _content(i)
        started = time.perf_counter()
        pdf = render.pdf(doc, base_url="http://127.0.0.1:8000/")
        digest = signing.sha256(signing.canonical(doc))
        signing.sign(signing.manifest(doc["number"], doc["issued_at"], digest,
                                      signing.sha256(pdf), "bench"))  # fmt: skip
        times.append(time.perf_counter() - started)
        size = len(pdf)
    return {
        "reports": n,
        "p50_ms": round(percentile(times, 50) * 1000, 1),
        "p99_ms": round(percentile(times, 99) * 1000, 1),
        "pdf_bytes": size,
    }


def run(subjects: int, reports: int, work: Path, *, keep: bool = False) -> dict[str, Any]:
    from pcip.assessment import batch

    out: dict[str, Any] = {"pdf": _pdfs(reports, work)}
    with (
        tempfile.TemporaryDirectory(dir=work) as tmp,
        bench_database("assess", Path(tmp), keep=keep) as db,
    ):
        db.pcip("provider", "add", UNIT, "重庆市市场监督管理局", "--items", "admin_penalty")
        records = _seed(db.url, subjects)
        agg_s, groups = _aggregate(db.url)
        platform = Platform.open(Settings(database_url=db.url, home=db.home))
        try:
            with clock.frozen(ON), platform.transaction() as s:
                started = time.perf_counter()
                total, grades, _ = batch.distribution(s)
                batch_s = time.perf_counter() - started
        finally:
            platform.dispose()
    out["assessment"] = {
        "subjects": total,
        "records": records,
        "aggregate": {"seconds": round(agg_s, 2), "groups": groups},
        "batch": {
            "seconds": round(batch_s, 2),
            "subjects_per_second": round(total / batch_s),
            "distribution": dict(sorted(grades.items())),
        },
        "batch_over_aggregate": round(batch_s / agg_s, 2),
    }
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--subjects", type=int, default=1_000_000)
    ap.add_argument("--reports", type=int, default=50)
    ap.add_argument("--keep-db", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        out = run(args.subjects, args.reports, Path(work), keep=args.keep_db)
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
