"""Recording a measure in a real browser (Art. 34, 37; issue 16.5): a department picks a listed
measure, records the conduct's nature, circumstances and impact, ticks the three Art. 37
conditions, and the record says the measure was waived and which conditions held.
Screenshot (``make screenshots``): ``test-output/screenshots/measures-waiver.png``."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import Server, shot
from tests.e2e.test_console_support import staff_sign_in


def test_art37_the_waiver_is_recorded_with_the_conditions_that_held(
    page: Any, server: Server
) -> None:
    staff_sign_in(page, "provider")
    page.goto("/console/measures")
    page.locator("#uscc").fill(server.org_uscc)
    page.locator("#measure").select_option("cq_funding_restriction")
    page.locator("#matter").select_option("subsidy")
    page.locator("#matter_ref").fill("渝财补〔2026〕12号")
    page.locator("#nature").fill("逾期未报送统计数据")
    page.locator("#circumstances").fill("首次，偶发")
    page.locator("#impact").fill("未造成损害")
    page.locator("#severity").select_option("light")
    for condition in ("minor_or_incidental", "promptly_corrected", "no_harmful_outcome"):
        page.locator(f"input[name=conditions][value={condition}]").check()
    page.locator("#waiver_reasons").fill("当日补报，未影响统计结果")
    page.locator("form[action='/console/measures'] button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#recorded")).to_have_attribute("data-status", "waived")
    row = page.locator("#applications tbody tr").first
    expect(row).to_have_attribute("data-status", "waived")
    expect(row).to_contain_text("未造成社会危害后果")
    shot(page, "measures-waiver")
