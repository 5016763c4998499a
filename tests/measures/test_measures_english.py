"""Issue 19.3: every measure and incentive gives its legal basis in English beside the citation
as enacted, and a page shows the one of its language (Art. 31, 34-36)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pcip.measures import catalogue, incentives

CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]")


@pytest.mark.parametrize("path", [catalogue.DATA_FILE, incentives.DATA_FILE])
def test_issue19_3_every_seeded_legal_basis_has_its_english(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    entries = doc.get("measures") or doc.get("incentives")
    assert entries
    for m in entries:
        assert CJK.search(m["legal_basis"]), m["code"]  # the citation as enacted stays
        assert m.get("legal_basis_en") and not CJK.search(m["legal_basis_en"]), m["code"]


def test_issue19_3_a_measure_shows_the_legal_basis_of_the_page_language() -> None:
    m = catalogue.spec_of("cq_credit_interview")
    assert m is not None
    assert m.basis("en") == "Chongqing Social Credit Regulations, Art. 36(1) (D-11)"
    assert m.basis("zh_CN") == m.legal_basis == "《重庆市社会信用条例》第三十六条第一项（D-11）"
    # A version published before the English existed: the Chinese, quoted as enacted.
    old = m.model_copy(update={"legal_basis_en": None})
    assert old.basis("en") == m.legal_basis
