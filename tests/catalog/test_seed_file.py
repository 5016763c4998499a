"""Art. 16-18: the seeded catalogs are versioned data files, checked on load; a wrong file is
refused with an error naming the file, the item, the field and the reason (issue 15)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from pcip.catalog.seed_data import (
    DATA_DIR,
    FORMAT,
    SEED_CATALOGS,
    CatalogDataError,
    load_catalog_file,
    parse_catalog,
)

#: SHA-256 of the seeded catalogs (canonical JSON) as the Python seed module defined them
#: before they became data files: the files load to exactly the same catalogs, items, fields,
#: periods and citations. A new catalog version is a new file, never an edit of this one.
BEFORE = "196a32a1601bc2e8d7198174d68466f4a1f3d4f0d2b86a999926bcade62bdcfa"


def _raw(name: str = "national_basic.yaml") -> dict[str, Any]:
    data = yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_art16_art17_data_files_load_to_the_catalogs_seeded_before() -> None:
    canon = json.dumps(
        [c.model_dump(mode="json") for c in SEED_CATALOGS], sort_keys=True, ensure_ascii=False
    )
    assert hashlib.sha256(canon.encode()).hexdigest() == BEFORE


def test_art17_every_file_names_its_format_and_version() -> None:
    for catalog in SEED_CATALOGS:
        raw = _raw(f"{catalog.code}.yaml")
        assert raw["format"] == FORMAT
        assert raw["version"] == catalog.version


def test_art43_every_period_and_severity_class_in_the_files_carries_a_citation() -> None:
    for catalog in SEED_CATALOGS:
        for item in _raw(f"{catalog.code}.yaml")["items"]:
            for rule in item.get("publicity", []):
                assert rule["citation"], item["code"]
            for c in item.get("severity_classes", []):
                assert c["citation"], item["code"]
            if "inquiry_period" in item:
                assert item["inquiry_period"]["citation"], item["code"]


def test_art16_a_wrong_field_type_names_file_item_field_and_key() -> None:
    raw = _raw()
    item = next(i for i in raw["items"] if i["code"] == "admin_penalty")
    index = raw["items"].index(item)
    item["fields"][2]["type"] = "strng"
    name = item["fields"][2]["name"]
    with pytest.raises(CatalogDataError) as got:
        parse_catalog(raw, source="national_basic.yaml")
    message = str(got.value)
    assert f"item {index + 1} (admin_penalty), field 3 ({name}), key type" in message
    assert "national_basic.yaml" in message and "'strng'" in message
    assert got.value.field == f"items[{index}].fields[2].type"


def test_art16_an_unknown_key_is_refused_by_name() -> None:
    raw = _raw()
    raw["items"][0]["publicity_months"] = 12
    with pytest.raises(CatalogDataError, match=r"item 1 \(registration_info\), key publicity_"):
        parse_catalog(raw, source="national_basic.yaml")


def test_art43_a_negative_item_without_an_inquiry_period_is_refused() -> None:
    raw = _raw()
    item = next(i for i in raw["items"] if i["code"] == "tax_arrears")
    del item["inquiry_period"]
    with pytest.raises(CatalogDataError, match="tax_arrears: negative items need an inquiry"):
        parse_catalog(raw, source="national_basic.yaml")


def test_art43_a_severity_class_without_citation_is_refused() -> None:
    raw = _raw()
    item = next(i for i in raw["items"] if i.get("severity_classes"))
    item["severity_classes"][1]["citation"] = ""
    with pytest.raises(CatalogDataError) as got:
        parse_catalog(raw, source="national_basic.yaml")
    assert f"({item['code']}), severity class 2 (general), key citation" in str(got.value)


def test_a_wrong_format_or_broken_yaml_is_named(tmp_path: Path) -> None:
    raw = _raw()
    raw["format"] = "pcip.catalog/0"
    with pytest.raises(CatalogDataError, match=r"format must be 'pcip\.catalog/1'"):
        parse_catalog(raw, source="x.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: pcip.catalog/1\nitems: [\n  - code: x\n", encoding="utf-8")
    with pytest.raises(CatalogDataError, match=r"broken.yaml line \d+: not valid YAML"):
        load_catalog_file(broken)
