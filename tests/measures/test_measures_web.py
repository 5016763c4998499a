"""Measures on the web (Art. 31, 34, 37; issue 16.5, 16.8): the public measures page with the
incentive and punishment measures and their basis; the console page where a department records a
listed measure, or the mandatory Art. 37 waiver with the conditions that held."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pcip import clock
from pcip.kernel.platform import Platform
from tests.web.support import Browser, browser
from tests.world import NOW, PASSWORD, World, WorldData, reopen


@pytest.fixture
def site(platform: Platform, api_world_data: WorldData) -> Iterator[World]:
    # tests.world's world, built once per test process into a template (tests/conftest.py).
    with clock.frozen(NOW):
        yield reopen(platform, api_world_data)


def _staff(world: World, lang: str | None = None) -> Browser:
    b = browser(world.platform, lang)
    r = b.post(
        "/staff/signin",
        {"username": "staff", "password": PASSWORD, "next": "/console"},
        form="/staff/signin",
    )
    assert r.status_code == 303, r.text
    return b


def test_art31_art34_the_public_measures_page_shows_incentives_and_punishments(
    site: World,
) -> None:
    zh = browser(site.platform).get("/measures")
    assert zh.status_code == 200
    assert "激励措施" in zh.text and "《重庆市社会信用条例》第三十一条第一项" in zh.text
    assert 'data-incentive="credit_portal_publicity"' in zh.text
    assert 'data-measure="no_government_procurement"' in zh.text and "政府采购法" in zh.text
    en = browser(site.platform, "en").get("/measures")
    assert "Incentive measures (Art. 31)" in en.text and "激励措施" not in en.text
    api = browser(site.platform).get("/api/v1/measures/incentives").json()
    assert [(m["type"], m["legal_basis"][-3:]) for m in api][:1] == [(1, "第一项")]


def _form(world: World, **extra: str | list[str]) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {
        "uscc": world.org_uscc,
        "measure": "cq_funding_restriction",
        "matter": "subsidy",
        "matter_ref": "渝财补〔2026〕12号",
        "nature": "逾期未报送统计数据",
        "circumstances": "首次，偶发",
        "impact": "未造成损害",
        "severity": "light",
        "waiver_reasons": "当日补报，未影响统计结果",
    }
    data.update(extra)
    return data


def test_art37_the_console_records_the_waiver_when_all_three_conditions_held(
    site: World,
) -> None:
    staff = _staff(site)
    page = staff.get("/console/measures")
    assert page.status_code == 200 and 'href="/console/measures"' in page.text
    assert "cq_funding_restriction" in page.text and "public_shaming" not in page.text
    all_three = ["minor_or_incidental", "promptly_corrected", "no_harmful_outcome"]
    r = staff.post("/console/measures", _form(site, conditions=all_three), form="/console/measures")
    assert r.status_code == 200, r.text
    assert 'id="recorded" data-status="waived"' in r.text and "第三十七条" in r.text
    r = staff.post(
        "/console/measures",
        _form(site, conditions=["minor_or_incidental"]),
        form="/console/measures",
    )
    assert r.status_code == 200, r.text
    assert 'id="recorded" data-status="applied"' in r.text
    # The unit's record lists both, each saying which conditions held.
    assert r.text.count('data-status="waived"') == 1 and r.text.count("data-application=") == 2
    assert "失信行为轻微或者偶发" in r.text and "未造成社会危害后果" in r.text


def test_art34_the_console_refuses_a_measure_off_the_lists_naming_the_field(
    site: World,
) -> None:
    staff = _staff(site, "en")
    r = staff.post(
        "/console/measures", _form(site, measure="public_shaming"), form="/console/measures"
    )
    assert r.status_code == 422
    assert "Art. 34" in r.text and 'id="measure"' in r.text
    r = staff.post("/console/measures", _form(site, nature=""), form="/console/measures")
    assert r.status_code == 422 and 'aria-invalid="true"' in r.text


def test_art37_a_subject_or_third_party_cannot_open_the_page(site: World) -> None:
    anon = browser(site.platform)
    r = anon.get("/console/measures")
    assert r.status_code in (303, 401)


def test_art32_art44_the_dashboard_counts_listings_and_credit_checks(site: World) -> None:
    operator = browser(site.platform)
    r = operator.post(
        "/staff/signin",
        {"username": "operator", "password": PASSWORD, "next": "/console"},
        form="/staff/signin",
    )
    assert r.status_code == 303, r.text
    page = operator.get("/console/dashboard").text
    assert 'id="list-counts"' in page and "名单和信用核查" in page
    for key in ("in_force", "listed", "removed", "expired", "revoked", "credit_checks"):
        assert f'data-count="{key}"' in page
