"""A credit subject, in a real browser: real-name sign-in (development identity provider),
own records, who looked, an authorization granted and revoked, an objection with an evidence
file and its deadlines (Art. 22, 39, 40)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import Server, shot, sign_in


def test_art39_a_subject_signs_in_and_reads_records_and_who_looked(
    page: Any, server: Server
) -> None:
    sign_in(page, "张三", server.person_a, through_form=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("我的信用信息")
    page.get_by_role("link", name="我的信息记录").first.click()
    records = page.locator("article.card")
    expect(records.first).to_be_visible()
    assert records.count() == 2  # a penalty and a pledge (not public, still the subject's)
    expect(page.get_by_role("cell", name="依法公开").first).to_be_visible()
    provenance = page.locator("details", has_text="信息来源").first
    provenance.locator("summary").click()
    expect(provenance.get_by_text("重庆市市场监督管理局").first).to_be_visible()
    page.get_by_role("link", name="谁查询过我").first.click()
    history = page.locator("#inquiry-history")
    expect(history).to_contain_text("本人查询")  # the self inquiry just made is logged


def test_art22_art39_a_subject_grants_and_revokes_an_authorization(
    page: Any, server: Server
) -> None:
    sign_in(page, "王五", server.person_b)
    page.goto("/me/authorizations")
    page.get_by_label("单位").select_option(server.bank_uscc)
    page.get_by_label("用途").fill("个人住房贷款审批")
    page.get_by_label("系统接口").check()
    page.get_by_label("信用承诺履行情况等信息").check()  # Art. 18 category 6
    page.get_by_label("截止日期（含当日）").fill("2027-06-30")
    page.get_by_role("button", name="确认授权").click()
    expect(page.get_by_role("status")).to_have_text("授权已生效。")
    row = page.locator("#grants tbody tr").first
    expect(row).to_contain_text("个人住房贷款审批")
    expect(row).to_contain_text("有效")
    row.get_by_role("link", name="撤销").click()
    # issue 19.9: it asks first, naming the organisation; "no" keeps the authorization
    expect(page.locator("main")).to_contain_text("撤销不能恢复")
    page.get_by_role("link", name="不撤销").click()
    expect(page.locator("#grants tbody tr").first).to_contain_text("有效")
    page.locator("#grants tbody tr").first.get_by_role("link", name="撤销").click()
    page.get_by_role("button", name="确认撤销").click()
    expect(page.get_by_role("status")).to_have_text("授权已撤销。")
    expect(page.locator("#grants tbody tr").first).to_contain_text("已撤销")


def test_art40_a_subject_files_an_objection_with_evidence_and_sees_its_deadlines(
    page: Any, server: Server, tmp_path: Path
) -> None:
    evidence = tmp_path / "缴款凭证.txt"
    evidence.write_text("罚款已于 2026-10-20 缴清，见银行回单。\n", encoding="utf-8")
    sign_in(page, "张三", server.person_a)
    page.goto("/me/records")
    page.get_by_role("link", name="对此信息提出异议").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("提出异议")
    # the record it came from is already ticked
    expect(page.locator("input[name=record_ids]:checked")).to_have_count(1)
    page.get_by_label("信息有错误").check()
    page.get_by_label("存在什么问题，正确的内容应当是什么").fill("罚款金额有误，应为 1.00 万元。")
    page.get_by_label("证明材料").set_input_files(str(evidence))
    page.get_by_role("button", name="提交异议").click()
    expect(page).to_have_url(re.compile(r".*/me/objections/\d+$"))
    expect(page.get_by_role("status")).to_have_text("您的异议申请已收到。")
    expect(page.locator("#case-state")).to_have_text("已收到，待标注")
    deadlines = page.locator("#deadlines")
    # Received Thursday 2026-11-26: label by Friday the 27th (1 WD), notice by 2026-12-03 (5 WD)
    expect(deadlines.locator("[data-deadline=label]")).to_contain_text("2026-11-27")
    expect(deadlines.locator("[data-deadline=notice]")).to_contain_text("2026-12-03")
    expect(page.get_by_role("link", name="缴款凭证.txt")).to_be_visible()
    shot(page, "objection_case")
    page.get_by_role("link", name="异议").first.click()
    expect(page.locator("#objections")).to_contain_text("信息有错误")


def test_a_refused_objection_keeps_what_was_typed_next_to_the_error(
    page: Any, server: Server
) -> None:
    sign_in(page, "张三", server.person_a)
    page.goto("/me/objections/new")
    page.get_by_label("存在什么问题，正确的内容应当是什么").fill("日期录入错误")
    page.get_by_role("button", name="提交异议").click()  # no record chosen
    expect(page.locator("#record_ids-error")).to_have_text(re.compile("至少一条信息记录"))
    expect(page.get_by_label("存在什么问题，正确的内容应当是什么")).to_have_value("日期录入错误")
