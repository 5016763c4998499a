"""Issue 19.3: the one-language walk still finds text of the other language, and skips only
what a template marks as quoted data (``translate="no"``, or ``lang`` naming the other
language)."""

from __future__ import annotations

import pytest

from pcip.web.labels import data_lang
from pcip.web.templating import as_data
from tests.web.one_language import foreign_text


def _page(body: str, lang: str = "en") -> str:
    return f'<html lang="{lang}"><body>{body}</body></html>'


@pytest.mark.parametrize(
    "body",
    [
        "<p>Severity: 严重</p>",  # a word left untranslated
        '<select><option value="x">违约毁约</option></select>',  # an unmarked option
        '<input placeholder="渝市监〔2026〕1号">',  # an unmarked placeholder
        '<nav aria-label="主菜单"></nav>',
        '<p lang="en">Legal basis: 《重庆市社会信用条例》</p>',  # the page's own language
        '<p translate="yes">万元</p>',
    ],
)
def test_issue19_3_a_chinese_leak_on_an_english_page_is_found(body: str) -> None:
    assert foreign_text(_page(body), "en")


@pytest.mark.parametrize(
    "body",
    [
        '<p>Unit: <span lang="zh-Hans">重庆市市场监督管理局</span></p>',
        '<select><option value="1" lang="zh-Hans">重庆市市场监督管理局</option></select>',
        '<p>Number: <span translate="no">渝市监〔2026〕002号</span></p>',
        '<div lang="zh-CN"><input placeholder="渝市监〔2026〕1号" aria-label="文号"></div>',
        "<p>Code <code>轻微</code></p>",
    ],
)
def test_issue19_3_marked_data_on_an_english_page_is_not_a_finding(body: str) -> None:
    assert foreign_text(_page(body), "en") == []


def test_issue19_3_an_english_leak_on_a_chinese_page_is_found_unless_marked() -> None:
    assert foreign_text(_page("<p>处罚 Severity</p>", "zh-CN"), "zh_CN")
    # lang="zh-Hans" on a Chinese page names the page's own language: still read.
    assert foreign_text(_page('<p lang="zh-Hans">Severity</p>', "zh-CN"), "zh_CN")
    assert not foreign_text(_page('<p lang="en">Acme Ltd</p>', "zh-CN"), "zh_CN")
    assert not foreign_text(_page("<p>上传 PDF 文件，USCC 91500000MA5U000000</p>"), "zh_CN")


def test_issue19_3_templates_mark_only_chinese_data_with_its_language() -> None:
    assert data_lang("重庆市市场监督管理局") == "zh-Hans"
    assert data_lang("Acme Ltd") == "" and data_lang(None) == ""
    marked = str(as_data("渝市监〔2026〕002号"))
    assert marked == '<span lang="zh-Hans" translate="no">渝市监〔2026〕002号</span>'
    assert foreign_text(_page(f"<p>Record · {marked}</p>"), "en") == []
    assert str(as_data("<b>")) == '<span translate="no">&lt;b&gt;</span>'  # escaped
