"""Property tests (Art. 20, 23): no file crashes ingestion, and no accepted row is lost."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from pcip.errors import PcipError
from pcip.kernel.platform import Platform
from pcip.records.ingest import ingest_file
from pcip.records.models import CreditRecord, RecordVersion
from tests.records.builders import ACTOR, UNIT, penalty_rows

_example = itertools.count()
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
MUTATIONS = st.sampled_from(
    [
        "",
        "x",
        "2026-02-30",
        "1" * 300,
        "00000000000000000X",
        "自然人",
        "法人及非法人组织",
        "个体工商户",
        "9150010",
        "-1",
        "\x00",
        "，",
        '"',
    ]
)


@pytest.fixture
def base_rows(platform: Platform, unit: str) -> list[dict[str, str]]:
    return penalty_rows(platform, 12, seed=77)


@SETTINGS
@given(data=st.data(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_art20_no_accepted_row_is_lost(
    platform: Platform,
    base_rows: list[dict[str, str]],
    tmp_path: Path,
    data: st.DataObject,
    encoding: str,
) -> None:
    n = next(_example)
    columns = list(base_rows[0])
    rows = []
    for i, row in enumerate(base_rows):
        row = dict(row, CF_WSH=f"渝罚〔2026〕{n:04d}{i:03d}号")
        for col in data.draw(st.lists(st.sampled_from(columns), max_size=3)):
            row[col] = data.draw(MUTATIONS)
        rows.append(row)
    path = tmp_path / f"p{n}.csv"
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.DictWriter(fh, columns)
        writer.writeheader()
        writer.writerows(rows)
    try:
        summary = ingest_file(platform, ACTOR, path, provider_uscc=UNIT, item_code="admin_penalty")
    except PcipError:
        return  # e.g. a NUL byte made the file unreadable: refused whole, nothing stored
    assert summary.accepted + summary.updated + summary.unchanged + summary.rejected == len(rows)
    rejected_lines = {e.line for e in summary.errors}
    with platform.transaction() as s:
        for line, row in enumerate(rows, start=2):
            if line in rejected_lines:
                continue
            key = next(
                k
                for k in s.scalars(
                    select(CreditRecord.natural_key).where(
                        CreditRecord.natural_key.like(f"%{row['CF_WSH']}")
                    )
                )
            )
            assert key  # the accepted row is stored ...
            payloads = [
                v.payload
                for v in s.scalars(
                    select(RecordVersion).join(CreditRecord).where(CreditRecord.natural_key == key)
                )
            ]
            assert any(p.get("CF_WSH") == row["CF_WSH"].strip() for p in payloads)  # ... as sent


@SETTINGS
@given(blob=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".jsonl", ".xlsx"]))
def test_art20_arbitrary_bytes_never_crash_ingestion(
    platform: Platform, unit: str, tmp_path: Path, blob: bytes, suffix: str
) -> None:
    path = tmp_path / f"f{next(_example)}{suffix}"
    path.write_bytes(blob)
    try:
        summary = ingest_file(platform, ACTOR, path, provider_uscc=UNIT, item_code="admin_penalty")
    except PcipError:
        return  # a clear, ledgered refusal is a correct answer to garbage
    assert summary.accepted + summary.updated + summary.unchanged + summary.rejected == summary.rows
