"""The sample files in the providing unit's guide (docs/providers.md) are accepted as shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcip.kernel.platform import Platform
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


def test_issue14_11_guide_version1_sample_is_accepted_with_its_warnings(
    platform: Platform,
) -> None:
    """docs/providers.md "Version-1 files": the sample is read as the current layout."""
    with platform.transaction() as s:
        add_provider(s, ACTOR, UNIT, "重庆市渝中区市场监督管理局", ["admin_penalty"])
    summary = ingest_file(
        platform,
        ACTOR,
        SAMPLES / "admin_penalty_v1.csv",
        provider_uscc=UNIT,
        item_code="admin_penalty",
    )
    assert summary.errors == [] and summary.accepted == 2
    named = {w.split()[1] for w in summary.warnings}
    assert named == set(
        [
            "CF_CFLB1",
            "CF_CFLB2",
            "CF_XDR_ZDM",
            "CF_XDR_GSDJ",
            "CF_XDR_SFZ",
            "CF_FR",
            "CF_JG",
            "CF_XZJG",
            "DFBM",
            "SJC",
            "CF_CFMC",
            "CF_ZT",
        ]
    )
