"""Issue 19.2: a written notice carries what an official notice carries (Art. 40 para 3-4,
Art. 41 para 3, Art. 46; D-2): the issuing institution, the unit that decided (from the
case's facts), the date, the contact for questions (the operator's ``PCIP_NOTICE_*``
settings), the remedies that exist, and one language per version: no English line in the
Chinese notice, no Chinese in the English one."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from html import unescape

import pytest

from pcip.config import get_settings, reset_settings
from pcip.objections import notices
from pcip.objections.codes import GROUNDS, OUTCOMES
from pcip.objections.states import State

APPLICANT = "重庆示例商贸有限公司"
REASONS = "依据撤销决定书核查。"
UNIT = "重庆市市场监督管理局"
ISSUED = date(2024, 9, 30)
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
TAGS = re.compile(r"<[^>]+>")


def _case(ground: str = "error") -> notices.CaseText:
    return notices.CaseText(
        7, APPLICANT, date(2024, 9, 27), ground, [(1, "行政处罚信息", "Administrative penalty")]
    )


def _text(html: str) -> str:
    return TAGS.sub(" ", html)


def _chinese_only(html: str) -> None:
    """Nothing of English in the Chinese notice but the contact's address and number."""
    s = get_settings()
    text = _text(html).replace(s.notice_contact_email, "")
    words = re.findall(r"[A-Za-z]{2,}", text)
    assert not words, (words, text)


def _english_only(html: str) -> None:
    """No Chinese in the English notice but the quoted data (applicant, reasons) and proper
    names (the providing unit has only its Chinese name)."""
    text = _text(html).replace(APPLICANT, "").replace(REASONS, "").replace(UNIT, "")
    assert not CJK.search(text), CJK.findall(text)


def _all_notices() -> Iterator[tuple[str, str, str]]:
    """(label, kind of remedies, html) for each notice kind and outcome."""
    for outcome in OUTCOMES:
        done = [
            notices.changed_line(1, "corrected", 2),
            notices.stopped_line(1, ISSUED),
            notices.withdrawn_line(1, "wrong_subject", ISSUED),
            notices.refiled_line(1),
        ]
        yield (
            f"outcome/{outcome}",
            "reexam",
            notices.outcome(_case(), ISSUED, outcome, REASONS, done),
        )
        yield (
            f"outcome-unit/{outcome}",
            "reexam",
            notices.outcome(_case(), ISSUED, outcome, REASONS, [], unit=UNIT),
        )
        yield (
            f"reexam/{outcome}",
            "art46",
            notices.reexam_outcome(_case(), ISSUED, outcome, REASONS, done),
        )
    for basis in ("repeat", "no_legitimate_reason"):
        yield (
            f"not_accepted/{basis}",
            "reexam",
            notices.not_accepted(_case(), ISSUED, basis, REASONS),
        )
    yield (
        "status_update",
        "none",
        notices.status_update(_case(), ISSUED, State.PU_REVIEW, [("pu_handling", ISSUED)]),
    )


ALL = list(_all_notices())


@pytest.mark.parametrize(("label", "remedies", "html"), ALL, ids=[a[0] for a in ALL])
def test_issue19_2_every_notice_in_each_language_carries_the_parts(
    label: str, remedies: str, html: str
) -> None:
    s = get_settings()
    assert notices.languages(html) == ("zh_CN", "en")
    zh, en = notices.version(html, "zh_CN"), notices.version(html, "en")
    assert zh != en and zh in html and en in html
    zh, en = unescape(zh), unescape(en)
    # the issuing institution, the date, the contact, the Regulations
    assert s.notice_issuer_zh in zh and s.notice_issuer_en in en
    assert "出具日期：2024年9月30日" in zh and "issued 2024-09-30" in en
    for part in (s.notice_contact_phone, s.notice_contact_email):
        assert part in zh and part in en
    assert s.notice_contact_address_zh in zh and s.notice_contact_address_en in en
    assert "以上联系方式由平台运行机构公布" in zh and "the platform's operator publishes" in en
    assert "《重庆市社会信用条例》" in zh and "Social Credit Regulations" in en
    # the remedies that exist, and only those
    if remedies == "reexam":
        assert "申请复核" in zh and "在“异议”栏目中" in zh and "服务窗口书面提出" in zh
        assert "Apply for re-examination" in en and "in writing" in en
    else:
        assert 'data-part="remedies"' not in zh or "remedy-reexam" not in zh
    if remedies in ("reexam", "art46"):
        assert "行政复议" in zh and "第四十六条" in zh and "在“投诉”栏目中" in zh
        assert "administrative reconsideration" in en and "Article 46" in en
    else:  # nothing decided yet: no remedy is claimed
        assert "行政复议" not in zh and "reconsideration" not in en
    # one language per version
    _chinese_only(zh)
    _english_only(en)


def test_issue19_2_the_unit_that_decided_comes_from_the_case() -> None:
    s = get_settings()
    by_unit = notices.outcome(_case(), ISSUED, "corrected", REASONS, [], unit=UNIT)
    assert f"作出决定的单位：{UNIT}" in notices.version(by_unit, "zh_CN")
    by_platform = notices.outcome(_case(), ISSUED, "corrected", REASONS, [])
    assert f"作出决定的单位：{s.notice_issuer_zh}" in notices.version(by_platform, "zh_CN")
    reexam = notices.reexam_outcome(_case(), ISSUED, "upheld", REASONS)
    assert "作出决定的单位：重庆市发展和改革委员会" in notices.version(reexam, "zh_CN")
    assert "Chongqing Municipal Development and Reform Commission" in notices.version(reexam, "en")


def test_issue19_2_the_contact_is_the_operators_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCIP_NOTICE_ISSUER_ZH", "重庆市公共信用信息中心")
    monkeypatch.setenv("PCIP_NOTICE_CONTACT_PHONE", "023-1234 5678")
    reset_settings()
    try:
        html = notices.not_accepted(_case(), ISSUED, "repeat", REASONS)
    finally:
        monkeypatch.delenv("PCIP_NOTICE_ISSUER_ZH")
        monkeypatch.delenv("PCIP_NOTICE_CONTACT_PHONE")
        reset_settings()
    zh = notices.version(html, "zh_CN")
    assert "重庆市公共信用信息中心" in zh and "023-1234 5678" in zh


@pytest.mark.parametrize("ground", GROUNDS)
def test_issue19_2_what_was_done_reads_in_the_notices_language(ground: str) -> None:
    done = [notices.changed_line(3, "supplemented", 4), notices.stopped_line(3, ISSUED)]
    html = notices.outcome(_case(ground), ISSUED, "supplemented", REASONS, done)
    zh, en = notices.version(html, "zh_CN"), notices.version(html, "en")
    assert "记录3已补充（第4版）" in zh and "记录3自2024年9月30日起不再提供" in zh
    assert "Record 3 supplemented (version 4)" in en
    assert "Record 3 is no longer provided from 2024-09-30" in en


def test_issue19_2_a_notice_issued_in_both_languages_at_once_is_shown_whole() -> None:
    legacy = '<article class="notice" lang="zh-CN"><p>旧</p><p class="en">old</p></article>'
    assert notices.version(legacy, "en") == legacy and notices.languages(legacy) == ()


@pytest.mark.parametrize("lang", notices.LANGUAGES)
def test_issue19_2_the_printable_document_is_in_one_language(lang: str) -> None:
    html = notices.outcome(_case(), ISSUED, "corrected", REASONS, [])
    doc = notices.document(html, lang)
    check: Callable[[str], None] = _chinese_only if lang == "zh_CN" else _english_only
    check(doc.split("<body>", 1)[1])
    assert doc.count("<article") == 1
    assert f'<html lang="{"zh-CN" if lang == "zh_CN" else "en"}">' in doc
