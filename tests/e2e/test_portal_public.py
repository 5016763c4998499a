"""A member of the public, in a real browser: search, an organisation's page, a person by
exact identifier, the rules (Art. 22), in Chinese and in English."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import Server, shot


def test_art22_the_public_finds_a_company_by_name_and_opens_its_page(
    page: Any, server: Server
) -> None:
    page.goto("/")
    expect(page).to_have_title("查询单位 · 重庆市公共信用信息平台")
    search = page.get_by_label("名称或统一社会信用代码")
    search.fill("示例科技")  # htmx shows the results as one types...
    result = page.get_by_role("link", name=server.org_name)
    expect(result).to_be_visible()
    search.press("Enter")  # ...and the form itself works too
    expect(page).to_have_url(f"{server.url}/?q=%E7%A4%BA%E4%BE%8B%E7%A7%91%E6%8A%80")
    page.get_by_role("link", name=server.org_name).click()
    expect(page).to_have_url(f"{server.url}/organisations/{server.org_uscc}")
    expect(page.get_by_role("heading", level=1)).to_have_text(server.org_name)
    expect(page.get_by_text("行政处罚").first).to_be_visible()
    provenance = page.locator("details").filter(has_text="信息来源").first
    provenance.locator("summary").click()  # provenance opens
    expect(provenance.get_by_text("重庆市市场监督管理局")).to_be_visible()
    # issue 19.6: the page opens with the summary; a record's further fields are on demand
    expect(page.locator("#summary")).to_contain_text("行政处罚信息")


def test_art22_a_person_is_found_only_by_exact_identifier(page: Any, server: Server) -> None:
    page.goto("/persons")
    page.get_by_role("textbox", name="居民身份证号码").fill(server.person_a)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", name="查询结果")).to_be_visible()
    expect(page.get_by_role("article").get_by_text("张*")).to_be_visible()
    assert server.person_a not in page.url  # POST: the number is never in a URL
    assert server.person_a not in page.content()  # nor echoed back in full


def test_a_bad_identifier_shows_the_error_next_to_the_field_and_keeps_the_input(
    page: Any,
) -> None:
    page.goto("/persons")
    field = page.get_by_role("textbox", name="居民身份证号码")
    field.fill("500103198504020011")  # wrong check character
    page.get_by_role("button", name="查询").click()
    error = page.locator("#citizen_id-error")
    expect(error).to_contain_text("校验码")
    expect(field).to_have_value("500103198504020011")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_attribute("aria-describedby", "citizen_id-help citizen_id-error")
    expect(page.locator("#error-summary")).to_be_focused()


def test_the_english_switch_changes_the_texts_and_persists_across_pages(page: Any) -> None:
    page.goto("/rules/objections")
    expect(page.get_by_role("heading", level=1)).to_have_text("对信用信息提出异议")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r".*/rules/objections$"))  # back on the same page
    expect(page.get_by_role("heading", level=1)).to_have_text("Objections to your information")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Search organisations").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Look up an organisation's public credit information"
    )
    page.get_by_role("link", name="中文").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("查询单位的公共信用信息")


def test_the_portal_fits_a_phone(phone: Any, server: Server) -> None:
    for name, url in (
        ("home", "/?q=示例"),
        ("organisation", f"/organisations/{server.org_uscc}"),
        ("rules", "/rules/objections"),
    ):
        phone.goto(url)
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        shot(phone, f"phone_{name}")
        assert overflow <= 0, f"{url} scrolls sideways on a phone by {overflow}px"


def test_keyboard_users_can_skip_to_the_content(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r".*/#main$"))
