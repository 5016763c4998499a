"""The lists on the web (Art. 32-33, 39, 44; issue 16.7-16.8): a department designates a company
in the console, the company answers in the window on its own page, the decision is served, the
company appears on the public list page, its legal representative sees the linked record on
his page, and after removal the company is gone from the public page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from pcip import clock
from pcip.kernel.platform import Platform
from tests.helpers import citizen_id
from tests.web.support import Browser, browser
from tests.world import NOW, PASSWORD, World, WorldData, reopen

LIST = "serious_illegal_untrustworthy"


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


def _step(b: Browser, did: int, step: str, data: dict[str, str]) -> None:
    page = f"/console/designations/{did}"
    r = b.post(f"{page}/step/{step}", data, form=page)
    assert r.status_code == 303, r.text
    assert r.headers["location"] == page


def test_art32_art33_art44_the_designation_walk_through_the_pages(site: World) -> None:
    staff = _staff(site, "en")
    r = staff.post(
        "/console/designations",
        {
            "list_type": LIST,
            "uscc": site.org_uscc,
            "name": site.org_name,
            "case_ref": "渝市监信〔2026〕30号",
            "facts": "虚假宣传",
            "grounds": "情节严重",
            "basis": "办法第七条",
            "conduct_end_date": "2026-09-01",
        },
    )
    assert r.status_code == 303, r.text
    did = int(r.headers["location"].rsplit("/", 1)[1])
    _step(staff, did, "notice", {"served_on": "2026-11-26", "method": "post", "proof": "EMS 7"})
    page = staff.get(f"/console/designations/{did}").text
    assert 'data-state="objection_window"' in page and "2026-12-03" in page
    company = browser(site.platform)  # Chinese, the default
    company.sign_in_subject(site.org_name, site.org_uscc, "uscc")
    mine = company.get("/me/listings").text
    assert "我的名单" in mine and "2026-12-03" in mine
    r = company.post(f"/me/listings/{did}/statement", {"text": "已全额退款"}, form="/me/listings")
    assert r.status_code == 303, r.text
    _step(staff, did, "response", {"outcome": "rejected", "reasons": "不影响认定"})
    _step(
        staff,
        did,
        "decision",
        {
            "decision_number": "渝市监列严〔2026〕30号",
            "measures": "列入并公示",
            "removal": "满一年可申请提前移出",
            "remedies": "行政复议或行政诉讼",
        },
    )
    _step(
        staff,
        did,
        "decision-service",
        {"served_on": "2026-11-26", "method": "post", "proof": "EMS"},
    )
    _step(staff, did, "listing", {})
    public = browser(site.platform)
    listed = public.get(f"/lists/{LIST}").text
    assert site.org_name in listed and "重庆市市场监督管理局" in listed
    rep = browser(site.platform)
    rep.sign_in_subject("李四", citizen_id(13))
    linked = rep.get("/me/listings").text
    assert site.org_name in linked and "法定代表人" in linked
    _step(staff, did, "removal", {"reason": "履行完毕后移出"})
    gone = public.get(f"/lists/{LIST}").text
    assert site.org_name not in gone and 'id="no-entries"' in gone


def test_art32_a_step_out_of_order_is_refused_on_the_page_with_the_reason(site: World) -> None:
    staff = _staff(site, "en")
    r = staff.post(
        "/console/designations",
        {
            "list_type": LIST,
            "uscc": site.org_uscc,
            "name": site.org_name,
            "case_ref": "渝市监信〔2026〕31号",
            "facts": "虚假宣传",
            "grounds": "情节严重",
            "basis": "办法第七条",
        },
    )
    did = int(r.headers["location"].rsplit("/", 1)[1])
    page = f"/console/designations/{did}"
    r = staff.post(
        f"{page}/step/decision",
        {"decision_number": "1", "measures": "x", "removal": "y", "remedies": "z"},
        form=page,
    )
    assert r.status_code == 409
    assert "the pre-designation notice was not served" in r.text


def test_art32_the_list_types_page_shows_the_legal_basis(site: World) -> None:
    page = browser(site.platform).get("/lists").text
    assert "总局令第44号" in page and "法释〔2017〕7号" in page
    assert re.search(r"经营异常名录", page)
