"""The whole objection walk, in real browsers (Art. 40-42): a person objects to a record with an
evidence file on the portal; the operator labels it and transfers it; the providing unit
receives it and corrects the record; the platform issues the notice from the unit's result at
once and tells the operator (D-2); the person reads the written notice and sees the corrected
record. With ``make screenshots`` each step leaves a
screenshot (``test-output/screenshots/console-walk-NN-*.png``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import Server, shot, sign_in
from tests.e2e.test_console_support import staff_sign_in

#: The corrected fine (万元): a value no generated record has, so the subject's page shows it
#: only after the correction.
CORRECTED = "0.37"


def _shot(page: Any, name: str) -> None:
    shot(page, f"console-walk-{name}")


def _step(page: Any, step: str) -> None:
    """Click a step's button (or link to its form) on the case page."""
    page.locator(f"[data-step='{step}']").click()


def test_art40_to_42_objection_from_portal_through_console_to_notice(
    page: Any, fresh_page: Callable[[], Any], server: Server
) -> None:
    # 1. The person objects on the portal, with an evidence file (Art. 40 para 1).
    sign_in(page, "张三", server.person_a)
    page.goto("/me/objections/new")
    page.get_by_label(re.compile("渝市监〔2026〕002号")).check()
    page.locator("input[name=ground][value=error]").check()
    page.locator("#statement").fill("罚款金额有误，应为0.37万元。")
    page.locator("#evidence").set_input_files(
        files=[
            {
                "name": "缴款凭证.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n",
            }
        ]
    )
    _shot(page, "01-subject-objects")
    page.locator("form[action='/me/objections'] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/me/objections/\d+$"))
    oid = page.url.rsplit("/", 1)[1]

    # 2. The operator finds it at the top of the queue, labels it and transfers it.
    operator = fresh_page()
    staff_sign_in(operator, "operator", through_form=True)
    operator.goto("/console/objections")
    row = operator.locator(f"tr[data-objection='{oid}']")
    expect(row).to_contain_text("张三")
    _shot(operator, "02-operator-queue")
    row.get_by_role("link", name=oid, exact=True).click()
    expect(operator.locator("h1")).to_contain_text(f"第{oid}号异议")
    expect(operator.get_by_role("link", name="缴款凭证.pdf")).to_be_visible()
    _step(operator, "label")
    expect(operator.locator(".flash")).to_contain_text("异议标注")
    _step(operator, "transfer")
    expect(operator.locator(".flash")).to_contain_text("转交")
    expect(operator.locator("[data-deadline='transfer'] [data-deadline-status]")).to_have_attribute(
        "data-deadline-status", "met"
    )
    _shot(operator, "03-operator-transferred")

    # 3. The providing unit receives it and returns a correction (Art. 40 para 2(2)).
    unit = fresh_page()
    staff_sign_in(unit, "provider")
    unit.goto("/console/inbox")
    unit.locator(f"tr[data-objection='{oid}']").get_by_role("link", name=oid, exact=True).click()
    _step(unit, "unit_receive")
    expect(unit.locator(".flash")).to_contain_text("已确认接收")
    _step(unit, "unit_result")
    unit.locator("input[name=outcome][value=corrected]").check()
    unit.locator("#reasons").fill("经核实，罚款金额录入有误，已更正。")
    unit.locator("input[name$='.CF_NR_FK']").fill(CORRECTED)
    unit.locator("#evidence").set_input_files(
        files=[
            {
                "name": "核查记录.txt",
                "mimeType": "text/plain",
                "buffer": "核查记录：金额应为0.37万元。".encode(),
            }
        ]
    )
    _shot(unit, "04-unit-result")
    unit.locator("form.stack button[type=submit]").click()
    expect(unit.locator(".flash")).to_contain_text("核查结果已反馈")

    # 4. D-2: the decision and the notice were issued when the unit's result arrived, and the
    # operator is told on its queue without looking for the case (Art. 40(3)).
    operator.goto("/console/objections")
    alert = operator.locator("#objection-alerts li[data-kind='unit_result_notified']")
    expect(alert).to_contain_text(oid)
    _shot(operator, "05-operator-alerted")
    alert.locator("button[type=submit]").click()
    expect(operator.locator(".flash")).to_contain_text("提示已确认")
    operator.goto(f"/console/objections/{oid}")
    expect(operator.locator("h1 [data-state]")).to_have_attribute("data-state", "notified")
    _shot(operator, "06-operator-notified")

    # 5. The person reads the written notice and sees the corrected record.
    page.goto(f"/me/objections/{oid}")
    page.locator(f"a[href^='/me/objections/{oid}/notices/']").first.click()
    # issue 19.2: the notice in the page's language (Chinese), with no English line in it
    expect(page.get_by_role("heading", name="异议处理结果告知书")).to_be_visible()
    expect(page.get_by_text("已予更正")).to_be_visible()
    expect(page.get_by_text("Written notice of the outcome of your objection")).to_have_count(0)
    _shot(page, "07-subject-reads-notice")
    page.goto("/me/records")
    record = page.locator("article").filter(has_text="渝市监〔2026〕002号")
    record.locator("summary").filter(has_text="信息内容").click()
    expect(record.locator("dd").get_by_text(CORRECTED, exact=True)).to_be_visible()
    _shot(page, "08-subject-sees-correction")
