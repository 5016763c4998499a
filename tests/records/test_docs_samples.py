"""The sample files in the providing unit's guide (docs/providers.md) are accepted as shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcip.platform import Platform
from pcip.providers.service import add_provider
from pcip.records.ingest import ingest_file
from tests.records.builders import ACTOR

SAMPLES = Path(__file__).parents[2] / "docs" / "samples"
UNIT = "115001060724362841"  # the deciding authority named in the samples


@pytest.mark.parametrize(
    ("name", "item", "rows"),
    [
        ("admin_penalty.csv", "admin_penalty", 5),
        ("admin_licence.csv", "admin_licence", 3),
        ("tax_arrears.jsonl", "tax_arrears", 3),
    ],
)
def test_art20_guide_samples_are_accepted(
    platform: Platform, name: str, item: str, rows: int
) -> None:
    with platform.transaction() as s:
        add_provider(
            s,
            ACTOR,
            UNIT,
            "重庆市渝中区市场监督管理局",
            ["admin_penalty", "admin_licence", "tax_arrears"],
        )
    summary = ingest_file(platform, ACTOR, SAMPLES / name, provider_uscc=UNIT, item_code=item)
    assert summary.errors == [] and summary.warnings == []
    assert summary.accepted == rows
