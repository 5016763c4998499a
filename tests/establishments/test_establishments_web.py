"""Establishments and oversight on the web (Art. 47-55; issue 20.4): the public directory, the
console's filing, supervision, order and fine forms, and the oversight page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pcip import clock
from pcip.kernel.platform import Platform
from tests.establishments.support import filing
from tests.web.support import Browser, browser
from tests.world import NOW, PASSWORD, World, WorldData, reopen


@pytest.fixture
def site(platform: Platform, api_world_data: WorldData) -> Iterator[World]:
    # tests.world's world, built once per test process into a template (tests/conftest.py).
    with clock.frozen(NOW):
        yield reopen(platform, api_world_data)


def _signin(world: World, who: str, lang: str | None = None) -> Browser:
    b = browser(world.platform, lang)
    r = b.post(
        "/staff/signin",
        {"username": who, "password": PASSWORD, "next": "/console"},
        form="/staff/signin",
    )
    assert r.status_code == 303, r.text
    return b


def _filing_form(seed: int = 71, **over: str) -> dict[str, str]:
    f = filing(seed)
    data = {
        "uscc": f.uscc,
        "name": f.name,
        "category": f.category,
        "business_scope": f.business_scope,
        "data_security": f.data_security,
        "documents": "营业执照 | 附件1\n数据安全制度 | 附件2",
        "contact": f.contact,
    }
    data.update(over)
    return data


def test_art49_a_filing_from_the_console_reaches_the_public_directory(site: World) -> None:
    drc = _signin(site, "drc")
    bad = drc.post(
        "/console/establishments",
        _filing_form(category="rating"),
        form="/console/establishments",
    )
    assert bad.status_code == 422 and "第四十九条第一款" in bad.text  # issue 19.3: Chinese page
    r = drc.post("/console/establishments", _filing_form(), form="/console/establishments")
    assert r.status_code == 303, r.text
    page = drc.get(r.headers["location"])
    assert "数据分级分类" in page.text and "附件2" in page.text
    public = browser(site.platform).get("/establishments")
    assert public.status_code == 200 and "重庆某信用风控有限公司71" in public.text
    assert "数据分级分类" not in public.text and "023-60000000" not in public.text
    en = browser(site.platform, "en").get("/establishments?category=rating")
    assert "重庆某信用风控有限公司71" not in en.text and 'id="no-establishments"' in en.text


@pytest.mark.parametrize(
    ("lang", "said", "not_said"),
    [(None, "第四十九条第一款", "Art. 49"), ("en", "Art. 49 para 1", "第四十九条")],
)
def test_issue19_3_a_refusal_is_in_the_page_language(
    site: World, lang: str | None, said: str, not_said: str
) -> None:
    drc = _signin(site, "drc", lang)
    bad = drc.post(
        "/console/establishments", _filing_form(category="rating"), form="/console/establishments"
    )
    assert bad.status_code == 422 and said in bad.text and not_said not in bad.text


def test_art55_the_console_refuses_a_fine_without_a_missed_period_naming_why(
    site: World,
) -> None:
    drc = _signin(site, "drc")
    r = drc.post("/console/establishments", _filing_form(72), form="/console/establishments")
    url = r.headers["location"]
    r = drc.post(url + "/orders", {"basis": "备案信息未更新", "requirement": "更新备案"}, form=url)
    assert r.status_code == 303, r.text
    page = drc.get(url)
    assert 'data-status="open"' in page.text
    order = page.text.split('data-order="', 1)[1].split('"', 1)[0]
    r = drc.post(
        url + "/fines",
        {
            "ground": "missed_deadline",
            "order_id": order,
            "amount_yuan": "60000",
            "decision_number": "渝发改罚〔2026〕3号",
        },
        form=url,
    )
    assert r.status_code == 422 and "第五十五条第二款" in r.text  # issue 19.3: Chinese page


def test_art53_the_oversight_page_issues_and_the_addressee_answers(site: World) -> None:
    drc = _signin(site, "drc")
    page = drc.get("/console/oversight")
    assert page.status_code == 200
    r = drc.post(
        "/console/oversight",
        {"addressee": "platform", "basis": "公示期满未撤下", "requirement": "撤下并说明"},
        form="/console/oversight",
    )
    assert r.status_code == 303, r.text
    op = _signin(site, "operator")
    page = op.get("/console/oversight")
    assert "撤下并说明" in page.text
    order = page.text.split('data-order="', 1)[1].split('"', 1)[0]
    r = op.post(
        f"/console/oversight/{order}/response",
        {"response": "已撤下，并修正定时任务"},
        form="/console/oversight",
    )
    assert r.status_code == 303, r.text
    assert "已撤下" in drc.get("/console/oversight").text
