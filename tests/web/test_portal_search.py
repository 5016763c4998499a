"""The portal's search as a person reads it (issue 19.7, Art. 22): paged results with a total,
a note when the names only resemble the query, a mistyped USCC explained instead of "no
match", and a query cut at 100 characters said so."""

from __future__ import annotations

from pcip.identity import uscc_check_character
from pcip.inquiry.name_search import PAGE_SIZE
from pcip.subjects import service as subjects
from tests.helpers import uscc
from tests.web.support import browser
from tests.world import World


def _register(site: World, count: int) -> None:
    with site.platform.transaction() as s:
        for n in range(count):
            key = subjects.organisation_by_uscc(uscc(5000 + n))
            subjects.ensure(
                s, site.platform.keyring, key, f"重庆分页测试第{n:02d}商贸有限公司", "test"
            )


def test_art22_results_are_paged_with_their_total(site: World) -> None:
    _register(site, 23)
    b = browser(site.platform, "en")
    first = b.get("/", params={"q": "分页测试"}).text
    assert "23 organisations found" in first and "Page 1 of 3" in first
    assert first.count('<li>\n          <a href="/organisations/') == PAGE_SIZE
    assert 'rel="next"' in first and 'rel="prev"' not in first
    last = b.get("/", params={"q": "分页测试", "p": "3"}).text
    assert "Page 3 of 3" in last and 'rel="prev"' in last and 'rel="next"' not in last
    assert last.count('<li>\n          <a href="/organisations/') == 3
    # a page that is not a number, or past the end, shows a page that exists
    assert "Page 1 of 3" in b.get("/", params={"q": "分页测试", "p": "x"}).text
    assert "Page 1 of 3" in b.get("/", params={"q": "分页测试", "p": "²"}).text  # isdigit, no int
    assert "Page 3 of 3" in b.get("/", params={"q": "分页测试", "p": "99"}).text
    zh = browser(site.platform).get("/", params={"q": "分页测试"}).text
    assert "找到 23 个单位" in zh and "第 1 页，共 3 页" in zh


def test_art22_a_typo_says_the_names_are_similar(site: World) -> None:
    b = browser(site.platform, "en")
    exact = b.get("/", params={"q": "示例科技"}).text
    assert site.org_name in exact and "similar" not in exact
    typo = b.get("/", params={"q": "示例科枝"}).text  # 技 mistyped as 枝
    assert site.org_name in typo
    assert "No name contains" in typo and "similar to it" in typo


def test_art22_a_uscc_with_a_wrong_check_character_says_which_it_should_be(site: World) -> None:
    right = site.org_uscc
    expected = uscc_check_character(right[:17])
    assert right[17] == expected
    wrong = right[:17] + ("1" if expected != "1" else "2")
    page = browser(site.platform, "en").get("/", params={"q": wrong.lower()}).text
    assert f"check character (the last one) should be {expected}" in page
    assert "No organisation matches" not in page
    zh = browser(site.platform).get("/", params={"q": wrong}).text
    assert f"校验位（最后一位）应为 {expected}" in zh
    other = browser(site.platform, "en").get("/", params={"q": "ABCDEFGHIJKLMNOPQR"}).text
    assert "is not a valid unified social credit code" in other


def test_art22_a_query_cut_at_100_characters_says_so(site: World) -> None:
    long = "示例科技" + "有" * 120
    page = browser(site.platform, "en").get("/", params={"q": long}).text
    assert "Only the first 100 characters of your search were used." in page
    assert f'value="{long[:100]}"' in page
    short = browser(site.platform, "en").get("/", params={"q": "示例科技"}).text
    assert "Only the first 100" not in short
