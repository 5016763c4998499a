"""GB/T 2260 region codes read from python-stdnum's loc.dat (Art. 19 identity matching)."""

from __future__ import annotations

import pytest

from pcip.identity.regions import all_regions, region_info


def test_gbt2260_chongqing_500103_dates_from_1997() -> None:
    info = region_info("500103")
    assert info is not None
    assert info.name == "重庆市渝中区"
    assert (info.first_year, info.last_year) == (1997, None)


def test_gbt2260_abolished_code_keeps_its_last_year() -> None:
    info = region_info("110103")  # 崇文区, merged into 东城区 in 2010
    assert info is not None
    assert info.name == "北京市崇文区"
    assert (info.first_year, info.last_year) == (None, 2010)


def test_gbt2260_renamed_code_has_history_and_latest_name() -> None:
    info = region_info("500101")
    assert info is not None
    assert [p.name for p in info.history] == ["万县区", "万州区"]
    assert info.name == "重庆市万州区"
    assert (info.first_year, info.last_year) == (1997, None)


def test_gbt2260_grouping_code_is_distinguishable_from_municipality() -> None:
    municipality, districts = region_info("500000"), region_info("500100")
    assert municipality is not None and districts is not None
    assert municipality.name == "重庆市"
    assert districts.name == "重庆市市辖区"


def test_gbt2260_prefecture_name_included() -> None:
    info = region_info("510104")
    assert info is not None
    assert info.name == "四川省成都市锦江区"


@pytest.mark.parametrize(
    "code", ["990101", "50010", "5001030", "５００１０３", "500103\n", "", "abcdef"]
)
def test_gbt2260_unknown_or_malformed_code_is_none(code: str) -> None:
    assert region_info(code) is None


def test_art19_address_code_rule_in_use_in_or_after_birth_year() -> None:
    chongqing = region_info("500103")
    chongwen = region_info("110103")
    assert chongqing is not None and chongwen is not None
    # Created after the birth year: fine (the number is issued after birth).
    assert chongqing.in_use_in_or_after(1950)
    # Abolished before the birth year: impossible; the last year itself is still in use.
    assert chongwen.in_use_in_or_after(2010)
    assert not chongwen.in_use_in_or_after(2011)


def test_gbt2260_all_regions_is_complete_and_cached() -> None:
    regions = all_regions()
    assert regions is all_regions()
    assert len(regions) > 6000
    assert len({r.code for r in regions}) == len(regions)
    assert all(len(r.code) == 6 and r.code.isascii() and r.code.isdigit() for r in regions)
