"""Exchange intake benchmark (issue 21, Art. 20): the same penalty rows ingested from a CSV
file (``pcip.records.ingest.ingest_file``) and through NATS JetStream (``pcip.exchange.intake``:
one message per sharing-system batch, the durable consumer, the same pipeline), each into its
own fresh PostgreSQL database, in the same run. Reports rows/s of both, messages/s of the
intake, and their ratio. Needs the NATS server on 127.0.0.1:4222 (``make nats``).

    .venv/bin/python -m bench.exchange_intake [--rows 5000] [--batch-rows 100]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from bench import penalty_file
from bench.common import bench_database
from pcip.config import Settings
from pcip.exchange import intake
from pcip.exchange.bus import Names, connect
from pcip.kernel.actors import Actor
from pcip.kernel.platform import Platform
from pcip.records.ingest import ingest_file

NATS_URL = "nats://127.0.0.1:4222"
ATTEST = {
    "statement": "本单位承诺所报送信息真实、准确、完整（基准测试）",
    "by": "bench",
    "at": "2026-11-26T09:00:00+08:00",
}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [dict(r) for r in csv.DictReader(fh)]


async def _through_jetstream(
    platform: Platform, unit: str, rows: list[dict[str, str]], batch_rows: int
) -> dict[str, Any]:
    names = Names("bench" + uuid.uuid4().hex[:8])
    nc = await connect(NATS_URL)
    js = nc.jetstream()
    try:
        batches = [rows[i : i + batch_rows] for i in range(0, len(rows), batch_rows)]
        started = time.perf_counter()
        for i, b in enumerate(batches):
            await intake.publish_batch(
                js,
                names,
                provider=unit,
                batch_id=f"BENCH-{i}",
                item=penalty_file.ITEM,
                rows=b,
                attestation=ATTEST,
            )
        published = time.perf_counter() - started
        started = time.perf_counter()
        stats = await intake.consume(platform, js, unit, names=names, fetch=32, idle_seconds=1.0)
        consumed = time.perf_counter() - started - 1.0  # less the final idle wait
        for info in await js.streams_info():
            if info.config.name.startswith(names.upper + "_"):
                await js.delete_stream(info.config.name)
    finally:
        await nc.close()
    return {
        "messages": len(batches),
        "stored": stats.stored,
        "poison": stats.poison,
        "publish_seconds": round(published, 3),
        "seconds": round(consumed, 3),
        "messages_per_second": round(len(batches) / consumed, 1),
        "rows_per_second": round(len(rows) / consumed),
    }


def run(rows: int, work: Path, *, batch_rows: int = 100, keep: bool = False) -> dict[str, Any]:
    unit = penalty_file.unit_uscc()
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        src = Path(tmp) / "penalties.csv"
        penalty_file.write(src, rows)
        data = _rows(src)
        out: dict[str, Any] = {"rows": rows, "batch_rows": batch_rows}
        for part in ("file", "jetstream"):
            with bench_database(f"xch{part[0]}", Path(tmp), keep=keep) as db:
                db.pcip(
                    "provider", "add", unit, penalty_file.UNIT_NAME, "--items", penalty_file.ITEM
                )
                platform = Platform.open(Settings(database_url=db.url, home=db.home))
                try:
                    if part == "file":
                        started = time.perf_counter()
                        s = ingest_file(
                            platform,
                            Actor.system("bench"),
                            src,
                            provider_uscc=unit,
                            item_code=penalty_file.ITEM,
                        )
                        secs = time.perf_counter() - started
                        out["file"] = {
                            "seconds": round(secs, 3),
                            "rows_per_second": round(rows / secs),
                            "accepted": s.accepted,
                        }
                    else:
                        out["jetstream"] = asyncio.run(
                            _through_jetstream(platform, unit, data, batch_rows)
                        )
                finally:
                    platform.dispose()
    out["share_of_file_rate"] = round(
        out["jetstream"]["rows_per_second"] / max(out["file"]["rows_per_second"], 1), 3
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--batch-rows", type=int, default=100)
    ap.add_argument("--keep-db", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pcip-bench-exchange-"))
    print(json.dumps(run(args.rows, work, batch_rows=args.batch_rows, keep=args.keep_db), indent=2))


if __name__ == "__main__":
    main()
