"""The report PDF keeps every character on the page (Art. 29): a word wider than its table cell
wraps inside the cell instead of widening the table past the page's edge."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest

from pcip.reports import render

LONG_URL = "https://example.org/" + "a" * 150
LONG_NAME = "Z" * 120


def _content() -> dict[str, Any]:
    record = {
        "record_id": 7,
        "version": 1,
        "item_name_zh": "行政处罚",
        "item_name_en": "Administrative penalty",
        "fields": {"决定书文号": "渝市监罚〔2026〕1号", "Reference" * 8: LONG_URL},
        "labels": [],
        "notes": [],
        "basis": None,
        "provenance": {
            "provider_name": "重庆市市场监督管理局",
            "provider_uscc": "11500000MB1234567X",
            "recorded_at": "2026-10-20T10:00:00+08:00",
        },
    }
    return {
        "number": "CR20261206ABCD2345",
        "issued_at": "2026-12-06T10:00:00+08:00",
        "period": {"from": "2026-10-20", "to": "2026-12-06"},
        "mode": "self",
        "channel": "web",
        "requester": "本人 (the subject)",
        "subject": {"name": LONG_NAME, "identifier": "11500000MB1234567X"},
        "records": [record],
        "sections": [
            {"key": "basic", "title_zh": "基本信息", "title_en": "Basic information",
             "records": [], "entries": [], "empty": False},
            {"key": "penalties", "title_zh": "行政处罚", "title_en": "Penalties",
             "records": [0], "entries": [], "empty": False},
        ],
        "key_id": "test",
    }  # fmt: skip


def test_art29_a_word_wider_than_its_cell_stays_on_the_page() -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils, make browser) is not installed")
    data = render.pdf(_content(), base_url="http://127.0.0.1:8000/", lang="en")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    joined = "".join(text.split())  # the wrapped word's lines, joined again
    assert LONG_URL in joined and LONG_NAME in joined
    assert "ReferenceReference" in joined and "渝市监罚〔2026〕1号" in joined
