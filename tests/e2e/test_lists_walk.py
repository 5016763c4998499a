"""The designation walk in real browsers (Art. 32-33, 44; issue 16): a department designates a
company in the console; the company answers in the window on its own page; the decision is
served and the company listed; it appears on the public list page; its legal representative
sees the linked record on his page and in his self inquiry; the company is removed and
disappears from the page.
Screenshots (``make screenshots``): ``test-output/screenshots/lists-walk-NN-*.png``."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import Server, shot, sign_in
from tests.e2e.test_console_support import staff_sign_in
from tests.helpers import citizen_id

LIST = "serious_illegal_untrustworthy"


def _shot(page: Any, name: str) -> None:
    shot(page, f"lists-walk-{name}")


def _submit(page: Any, step: str) -> None:
    page.locator(f"[data-step='{step}'] button[type=submit]").click()
    page.wait_for_load_state()


def test_art32_art33_art44_designation_walk_in_browsers(
    page: Any, fresh_page: Callable[[], Any], server: Server
) -> None:
    staff_sign_in(page, "provider")
    page.goto("/console/designations")
    page.locator("#list_type").select_option(LIST)
    page.locator("#uscc").fill(server.org_uscc)
    page.locator("#name").fill(server.org_name)
    page.locator("#case_ref").fill("渝市监信〔2026〕88号")
    page.locator("#facts").fill("虚假宣传，骗取预付款。")
    page.locator("#grounds").fill("性质恶劣、情节严重")
    page.locator("#basis").fill("《市场监督管理严重违法失信名单管理办法》第七条")
    page.locator("form[action='/console/designations'] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/console/designations/\d+$"))
    did = page.url.rsplit("/", 1)[1]
    step = page.locator("[data-step='notice']")
    step.locator("#served_on").fill("2026-11-26")
    step.locator("#method").select_option("in_person")
    step.locator("#proof").fill("签收回执")
    _submit(page, "notice")
    expect(page.locator("#state")).to_have_attribute("data-state", "objection_window")
    _shot(page, "01-notice-served")

    company = fresh_page()
    sign_in(company, server.org_name, server.org_uscc, "uscc")
    company.goto("/me/listings")
    company.locator(f"form[action='/me/listings/{did}/statement'] #text").fill("已全额退款。")
    company.locator(f"form[action='/me/listings/{did}/statement'] button[type=submit]").click()
    company.wait_for_url("**/me/listings")
    _shot(company, "02-company-states-its-case")

    page.reload()
    step = page.locator("[data-step='response']")
    step.locator("#outcome").select_option("rejected")
    step.locator("#reasons").fill("退款不影响违法事实认定")
    _submit(page, "response")
    step = page.locator("[data-step='decision']")
    step.locator("#decision_number").fill("渝市监列严〔2026〕88号")
    step.locator("#measures").fill("列入严重违法失信名单并公示")
    step.locator("#removal").fill("列入满一年可申请提前移出；公示满三年移出")
    step.locator("#remedies").fill("六十日内申请行政复议或六个月内提起行政诉讼")
    _submit(page, "decision")
    step = page.locator("[data-step='decision-service']")
    step.locator("#served_on").fill("2026-11-26")
    step.locator("#method").select_option("post")
    step.locator("#proof").fill("EMS 8800")
    _submit(page, "decision-service")
    _submit(page, "listing")
    expect(page.locator("#state")).to_have_attribute("data-state", "listed")
    _shot(page, "03-listed")

    public = fresh_page()
    public.goto(f"/lists/{LIST}")
    expect(public.locator("#entries")).to_contain_text(server.org_name)
    _shot(public, "04-public-list")

    rep = fresh_page()
    sign_in(rep, "李四", citizen_id(13))
    rep.goto("/me/listings")
    expect(rep.locator("main")).to_contain_text(server.org_name)
    expect(rep.locator("main")).to_contain_text("法定代表人")
    _shot(rep, "05-legal-representative")
    # Art. 39: the self inquiry (the logged "my records" page) names the linked record too.
    rep.goto("/me/records")
    expect(rep.locator("#listings")).to_contain_text(server.org_name)
    expect(rep.locator("#listings")).to_contain_text("法定代表人")
    _shot(rep, "05b-self-inquiry")

    page.locator("[data-step='removal'] #reason").fill("已履行全部义务，提前移出")
    _submit(page, "removal")
    expect(page.locator("#state")).to_have_attribute("data-state", "removed")
    public.goto(f"/lists/{LIST}")
    expect(public.locator("#no-entries")).to_be_visible()
    _shot(public, "06-removed")
