"""The demo world a person believes (issue 19.11): an organisation's name fits the kind its
USCC's registration authority and type code say it is (GB 32100-2015)."""

from __future__ import annotations

import random

from pcip.demo.generators import random_organisation

ENDINGS = {
    "91": ("公司",),
    "92": ("经营部", "商行", "店", "服务部", "门市部"),
    "93": ("合作社",),
    "51": ("商会", "协会", "促进会", "联合会"),
    "12": ("中心", "研究院"),
    "11": ("局", "委员会"),
}


def test_art19_a_demo_organisation_name_fits_its_uscc_type() -> None:
    rng = random.Random(2021)
    seen = set()
    for _ in range(2000):
        code, name = random_organisation(rng)
        seen.add(code)
        assert name.endswith(ENDINGS[code]), (code, name)
        assert not (code != "91" and name.endswith("公司")), (code, name)
    assert seen == set(ENDINGS)
