"""The demo world a person believes (issue 19.11): an organisation's name fits the kind its
USCC's registration authority and type code say it is (GB 32100-2015)."""

from __future__ import annotations

import random

from pcip.demo.generators import random_organisation, random_uscc
from pcip.demo.generators.names import _area_codes
from pcip.identity.regions import region_info

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
        code, name, _ = random_organisation(rng)
        seen.add(code)
        assert name.endswith(ENDINGS[code]), (code, name)
        assert not (code != "91" and name.endswith("公司")), (code, name)
    assert seen == set(ENDINGS)


def test_issue19_11_a_demo_organisation_s_uscc_names_the_region_its_name_gives() -> None:
    """A 城口县 shop is registered in 城口县 (500229), not in 渝中区; a name with no district is
    registered by the municipality (500000)."""
    rng = random.Random(2021)
    districts = dict(_area_codes("重庆")[2])
    for _ in range(500):
        code, name, region = random_organisation(rng)
        uscc = random_uscc(rng, entity_type=code, region_prefix=region)
        rest = name.removeprefix("重庆市")
        place = next((d for d in districts if rest.startswith(d)), None)
        want = districts[place] if place else "500000"
        assert uscc[2:8] == want, (name, uscc)
        info = region_info(uscc[2:8])
        assert info is not None and info.name.startswith("重庆市"), (name, uscc)
        if place:
            assert info.name.endswith(place), (name, uscc, info.name)
