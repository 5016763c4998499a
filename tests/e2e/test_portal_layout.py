"""Pages a person can read (issue 19.5): on the organisation page long labels wrap and values
keep their width, at 1280 px and 390 px, in both languages. The English page once squeezed
values to one character per line (a 20,000 px page)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, Server


def _measure(page: Any, server: Server, lang: str) -> dict[str, Any]:
    """The organisation page in ``lang`` (the switch leads back to it), measured."""
    org = f"/organisations/{server.org_uscc}"
    page.goto(f"/lang/{lang}?next={org}")
    assert page.url == f"{server.url}{org}", page.url
    return dict(
        page.evaluate(
            """() => {
              const cells = [...document.querySelectorAll('main dd, main td')]
                .filter(e => e.offsetParent !== null && e.textContent.trim().length > 3);
              const narrow = cells.filter(e => e.getBoundingClientRect().width < 60)
                .map(e => e.textContent.trim().slice(0, 40));
              return {height: document.documentElement.scrollHeight,
                      width: document.documentElement.scrollWidth,
                      cells: cells.length, narrow: narrow};
            }"""
        )
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_issue19_5_the_organisation_page_reads_the_same_in_both_languages(
    browser: Any, server: Server, viewport: dict[str, int]
) -> None:
    ctx = browser.new_context(base_url=server.url, viewport=viewport, locale="zh-CN")
    try:
        page = ctx.new_page()
        zh = _measure(page, server, "zh_CN")
        en = _measure(page, server, "en")
    finally:
        ctx.close()
    for lang, m in (("zh", zh), ("en", en)):
        assert m["cells"] > 0, lang
        assert m["narrow"] == [], (lang, m["narrow"])  # no value squeezed to a sliver
        assert m["width"] <= viewport["width"] + 1, (lang, m["width"])  # no sideways scroll
    print(f"organisation page {viewport['width']} px: zh {zh['height']} px, en {en['height']} px")
    assert en["height"] <= 1.6 * zh["height"], (en["height"], zh["height"])
