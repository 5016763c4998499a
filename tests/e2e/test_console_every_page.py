"""Every console page, in a real browser, for each staff role: it renders without a server
error, in Chinese, with the console's navigation for that role; with ``make screenshots``, a
screenshot of each page goes to ``test-output/screenshots/console-<role>-<page>.png``."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, Server, shot
from tests.e2e.test_console_support import case, staff_sign_in

#: The pages of each role ({oid} is a case the role may open).
PAGES = {
    "operator": (
        "/console",
        "/console/objections",
        "/console/objections/{oid}",
        "/console/objections/{oid}/step/decide",
        "/console/objections/new",
        "/console/archive",
        "/console/records",
        "/console/calendar",
        "/console/dashboard",
        "/console/scopes",
        "/console/designations",
        "/console/restoration",
        "/console/revocations",
        "/console/complaints",
        "/console/oversight",
        "/console/exchange",
        "/console/exchange/dead-letters",
        "/console/integrity",
    ),
    "drc": (
        "/console",
        "/console/reexaminations",
        "/console/objections/{oid}",
        "/console/archive",
        "/console/dashboard",
        "/console/scopes",
        "/console/designations",
        "/console/revocations",
        "/console/establishments",
        "/console/oversight",
        "/console/exchange",
        "/console/exchange/dead-letters",
        "/console/proposals",
        "/console/integrity",
    ),
    "provider": (
        "/console",
        "/console/inbox",
        "/console/objections/{oid}",
        "/console/batches",
        "/console/inquiry",
        "/console/records",
        "/console/designations",
        "/console/credit-checks",
        "/console/measures",
        "/console/restoration",
        "/console/pledges",
        "/console/revocations",
        "/console/oversight",
        "/console/proposals",
    ),
}
#: The case each role is shown: one waiting for that role's next step.
STATES = {"operator": "self_review", "drc": "reexam_requested", "provider": "pu_review"}


def _slug(url: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "home"


@pytest.mark.parametrize("role", ["operator", "drc", "provider"])
def test_every_console_page_renders_for_the_role(page: Any, server: Server, role: str) -> None:
    oid = case(server, STATES[role])
    staff_sign_in(page, role)
    for template in PAGES[role]:
        url = template.format(oid=oid)
        response = page.goto(url)
        assert response is not None and response.status == 200, (role, url)
        expect(page.locator("nav.console-nav")).to_be_visible()
        expect(page.locator("h1")).to_be_visible()
        assert "出错" not in page.title()
        shot(page, f"console-{role}-{_slug(template)}")
    # The console navigation shows only this role's pages.
    links = page.locator("nav.console-nav a")
    hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
    assert hrefs == {"/console"} | {p for p in PAGES[role] if "{" not in p}


def test_console_on_a_phone_keeps_the_queue_readable(browser: Any, server: Server) -> None:
    case(server, "labelled")
    ctx = browser.new_context(base_url=server.url, viewport=PHONE, is_mobile=True, locale="zh-CN")
    try:
        phone = ctx.new_page()
        staff_sign_in(phone, "operator")
        phone.goto("/console/objections")
        row = phone.locator("table.queue tbody tr").first
        expect(row).to_be_visible()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1  # no sideways scrolling of the page
        shot(phone, "console-phone-queue")
    finally:
        ctx.close()


def test_console_switches_to_english_and_back(page: Any, server: Server) -> None:
    staff_sign_in(page, "operator")
    page.goto("/console/objections")
    expect(page.locator("h1")).to_have_text("异议办理队列")
    page.locator("a[data-lang='en']").click()
    expect(page.locator("h1")).to_have_text("Objection queue")
    page.goto("/console/dashboard")
    expect(page.locator("h1")).to_have_text("Dashboard")
    expect(page.locator("svg.chart").first).to_be_visible()
    page.locator("a[data-lang='zh_CN']").click()
    expect(page.locator("h1")).to_have_text("统计看板")
