"""Builders shared by the ingestion tests: a registered unit and synthetic penalty rows."""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from pcip.catalog.service import item_in_force, item_spec
from pcip.demo.generators.records import Issuer, Party, make_row
from pcip.kernel.actors import Actor
from pcip.kernel.enums import SubjectKind
from pcip.kernel.platform import Platform
from pcip.records.ingest import IngestSummary, Source, ingest
from pcip.records.readers import FileFormat, open_rows, sha256_file
from tests.helpers import citizen_id, uscc

ACTOR = Actor.system("test")
TODAY = date(2026, 11, 26)
UNIT = uscc(900, authority="1", entity_type="1")


def penalty_rows(platform: Platform, n: int, seed: int = 1) -> list[dict[str, str]]:
    with platform.transaction() as s:
        spec = item_spec(item_in_force(s, "admin_penalty"))
    rng = random.Random(seed)
    issuer = Issuer("重庆市渝中区市场监督管理局", uscc(901))
    rows = []
    for i in range(n):
        rep = (
            "王" + "一二三四五"[i % 5],
            citizen_id(seed * 1000 + i, born=date(1970, 1, 1 + i % 28)),
        )
        party = Party(
            SubjectKind.LEGAL_PERSON,
            f"重庆测试{i}号商贸有限公司",
            uscc=uscc(seed * 10_000 + i),
            legal_rep_name=rep[0],
            legal_rep_id=rep[1],
        )
        row = make_row(rng, spec, party, issuer, TODAY)
        row["CF_WSH"] = f"渝中市监罚〔2026〕{seed:03d}{i:05d}号"  # unique per row
        rows.append(row)
    return rows


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    columns = list(rows[0])
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.DictWriter(fh, columns)
        w.writeheader()
        w.writerows(rows)
    return path


def run(
    platform: Platform,
    path: Path,
    item: str = "admin_penalty",
    provider: str = UNIT,
    fmt: FileFormat = FileFormat.CSV,
) -> IngestSummary:
    _info, rows = open_rows(path, fmt)
    return ingest(
        platform,
        ACTOR,
        provider_uscc=provider,
        item_code=item,
        rows=rows,
        source=Source("test", path.name, sha256_file(path), fmt.value),
    )


def count(platform: Platform, model: type) -> int:
    with platform.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)
