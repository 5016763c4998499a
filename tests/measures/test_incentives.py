"""The incentive measures (Art. 31): data with citations beside the punishment measures, checked
on load, versioned by effective dates, and published with their basis."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest

from pcip.errors import ValidationError
from pcip.measures import incentives


def _doc() -> dict[str, Any]:
    return dict(json.loads(incentives.DATA_FILE.read_text(encoding="utf-8")))


def test_art31_each_incentive_cites_its_item_of_article_31() -> None:
    items = incentives.in_force(date(2026, 12, 6))
    assert [m.type for m in items] == [1, 2, 3, 4, 5, 6]
    for m in items:
        assert m.legal_basis == f"《重庆市社会信用条例》第三十一条第{'一二三四五六'[m.type - 1]}项"
        assert m.proportionality.strip()
    # Versioned: nothing is in force before the regulation (Art. 57: 1 July 2021).
    assert incentives.in_force(date(2021, 6, 30)) == []


def test_art31_an_incentive_without_its_legal_authority_is_refused() -> None:
    doc = copy.deepcopy(_doc())
    doc["incentives"][2]["legal_basis"] = " "
    with pytest.raises(ValidationError) as err:
        incentives.parse(doc)
    assert err.value.field == "incentives.2.legal_basis" and "Art. 31" in err.value.message


def test_art31_7_another_incentive_cites_the_law_that_provides_it() -> None:
    doc = copy.deepcopy(_doc())
    extra = dict(doc["incentives"][0], code="other_incentive", type=7)
    doc["incentives"].append(extra)
    with pytest.raises(ValidationError) as err:
        incentives.parse(doc)
    assert err.value.field == "incentives.6.legal_basis" and "Art. 31(7)" in err.value.message
    extra["legal_basis"] = "《中华人民共和国某某法》第十条"
    assert len(incentives.parse(doc).incentives) == 7


def test_art31_proportionality_dates_and_unknown_keys_name_the_field() -> None:
    doc = copy.deepcopy(_doc())
    doc["incentives"][0]["proportionality"] = ""
    with pytest.raises(ValidationError) as err:
        incentives.parse(doc)
    assert err.value.field == "incentives.0.proportionality"
    doc = copy.deepcopy(_doc())
    doc["incentives"][0]["effective_to"] = "2020-01-01"
    with pytest.raises(ValidationError) as err:
        incentives.parse(doc)
    assert err.value.field == "incentives.0.effective_to"
    doc = copy.deepcopy(_doc())
    doc["incentives"][0]["free_text"] = "x"
    with pytest.raises(ValidationError) as err:
        incentives.parse(doc)
    assert err.value.field == "incentives.0.free_text"
    doc = copy.deepcopy(_doc())
    doc["incentives"].append(dict(doc["incentives"][0]))
    with pytest.raises(ValidationError) as err:
        incentives.parse(doc)
    assert err.value.field == "incentives.6.code"
