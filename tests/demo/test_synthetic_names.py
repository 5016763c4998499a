"""Synthetic Chinese person and company names (registered-name pattern: division + trade name +
industry + form)."""

from __future__ import annotations

import random

from pcip.demo.generators import random_company_name, random_person_name
from pcip.demo.generators.names import _SURNAME_VALUES

_FORMS = ("公司", "经营部", "商行", "店", "服务部", "门市部")


def test_synthetic_person_names_deterministic_and_plausible() -> None:
    names = [random_person_name(random.Random(4)) for _ in range(3)]
    assert len(set(names)) == 1
    rng = random.Random(9)
    sample = [random_person_name(rng) for _ in range(3000)]
    for name in sample:
        surname = name[:2] if name[:2] in _SURNAME_VALUES else name[0]
        assert surname in _SURNAME_VALUES
        assert 1 <= len(name) - len(surname) <= 2
    assert any(name[:2] in _SURNAME_VALUES for name in sample)  # a compound surname appears


def test_synthetic_company_names_follow_registered_pattern() -> None:
    rng = random.Random(2)
    sample = [random_company_name(rng) for _ in range(500)]
    assert sample == [random_company_name(r) for r in [random.Random(2)] for _ in range(500)]
    assert all(name.endswith(_FORMS) for name in sample)
    companies = [n for n in sample if n.endswith("公司")]
    assert all(n.startswith("重庆市") for n in companies)
    assert any(n.startswith("重庆市渝北区") or n.startswith("重庆市渝中区") for n in companies)
    assert any(n.endswith("股份有限公司") for n in companies)


def test_synthetic_company_names_for_other_regions() -> None:
    rng = random.Random(3)
    names = [random_company_name(rng, "成都") for _ in range(300)]
    companies = [n for n in names if n.endswith("公司")]
    assert companies and all(n.startswith("成都市") for n in companies)
    assert any(n.startswith("成都市武侯区") or n.startswith("成都市锦江区") for n in companies)
    assert all("重庆" not in n for n in names)


def test_synthetic_company_names_unknown_region_used_as_given() -> None:
    rng = random.Random(1)
    names = [random_company_name(rng, "某地") for _ in range(50)]
    assert all(n.startswith("某地") for n in names)
