"""Art. 32, D-10: list types are a data file checked on load."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from pcip.errors import NotFound, ValidationError
from pcip.lists import types
from pcip.lists.types import DATA_FILE


def _doc() -> dict[str, Any]:
    return dict(json.loads(DATA_FILE.read_text(encoding="utf-8")))


def _with(change: dict[str, Any], index: int = 0) -> dict[str, Any]:
    doc = copy.deepcopy(_doc())
    doc["types"][index].update(change)
    return doc


def test_art32_seeded_national_types_each_carry_their_real_legal_basis() -> None:
    seeded = {t.code: t for t in types.all_types()}
    assert set(seeded) >= {
        "serious_illegal_untrustworthy",
        "court_defaulter",
        "major_tax_violation",
        "abnormal_operation",
    }
    basis = {code: " ".join(c.title for c in t.legal_basis) for code, t in seeded.items()}
    assert "总局令第44号" in basis["serious_illegal_untrustworthy"]
    assert "法释〔2017〕7号" in basis["court_defaulter"]
    assert "总局令第54号" in basis["major_tax_violation"]
    assert "总局令第68号" in basis["abnormal_operation"]
    for t in seeded.values():
        assert t.scope == "national" and t.removal_conditions and t.remedies


def test_art32_abnormal_operation_is_an_anomaly_list_not_a_punishment_list() -> None:
    spec = types.get("abnormal_operation")
    assert spec.kind == "anomaly" and spec.field is None


def test_art32_a_local_list_type_cannot_be_activated_without_a_local_regulation() -> None:
    national_only = [{"kind": "national_rule", "title": "某国家规章名称", "article": "第一条"}]
    doc = _with({"scope": "local", "legal_basis": national_only, "code": "cq_local_type"})
    with pytest.raises(ValidationError) as err:
        types.parse(doc)
    assert err.value.field == "types.0.legal_basis"
    assert "local-regulation" in err.value.message
    # As a draft it may be kept; with a local regulation cited it may be activated.
    types.parse(_with({"scope": "local", "legal_basis": national_only, "status": "draft"}))
    regulation = {
        "kind": "local_regulation",
        "title": "重庆市社会信用条例",
        "article": "第三十二条",
    }
    local = [*national_only, regulation]
    types.parse(_with({"scope": "local", "legal_basis": local}))


def test_art32_a_serious_list_type_without_its_field_is_rejected() -> None:
    with pytest.raises(ValidationError) as err:
        types.parse(_with({"field": None}))
    assert err.value.field == "types.0.field"


def test_d10_a_platform_list_type_needs_its_statement_period() -> None:
    with pytest.raises(ValidationError) as err:
        types.parse(_with({"statement_period_working_days": None}))
    assert err.value.field == "types.0.statement_period_working_days"


def test_art32_an_unknown_or_extra_key_names_the_field() -> None:
    with pytest.raises(ValidationError) as err:
        types.parse(_with({"colour": "red"}))
    assert err.value.field == "types.0.colour"
    doc = _doc()
    doc["types"].append(doc["types"][0])
    with pytest.raises(ValidationError, match="repeated"):
        types.parse(doc)


def test_art32_an_unknown_list_type_is_not_found() -> None:
    with pytest.raises(NotFound) as err:
        types.get("nope")
    assert err.value.field == "list_type"
