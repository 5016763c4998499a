"""Art. 22 public search, made fuzzy and fast (issue #7): exact first, then names containing
the query, and only when none does, names that resemble it. Never natural persons."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from pcip.demo.generators.records import Party
from pcip.inquiry.service import gram_share, name_grams, search_organisations, typo_patterns
from pcip.kernel.enums import SubjectKind
from tests.helpers import citizen_id, uscc
from tests.world import World, _rows, submit

SEARCH = "/api/v1/public/organisations"
COMPANIES = (
    ("重庆市渝北区鑫源商贸有限公司", 501),
    ("重庆市江北区鑫源商贸股份有限公司", 502),
    ("重庆鑫源物流有限公司", 503),
    ("渝中区鑫源百货经营部", 504),
    ("重庆市沙坪坝区恒泰建材有限责任公司", 505),
)


@pytest.fixture
def companies(world: World) -> dict[str, str]:
    rows = []
    for i, (name, seed) in enumerate(COMPANIES):
        party = Party(SubjectKind.LEGAL_PERSON, name, uscc=uscc(seed))
        rows += _rows(world.platform, "admin_penalty", party, None, f"9{i:02d}")
    submit(world.platform, "admin_penalty", rows)
    return {name: uscc(seed) for name, seed in COMPANIES}


def names(world: World, q: str) -> list[str]:
    r = world.client.get(SEARCH, params={"q": q})
    assert r.status_code == 200, r.text
    return [h["name"] for h in r.json()]


def test_art22_exact_name_first_then_names_containing_it_shorter_first(
    world: World, companies: dict[str, str]
) -> None:
    got = names(world, "鑫源商贸")
    assert got == ["重庆市渝北区鑫源商贸有限公司", "重庆市江北区鑫源商贸股份有限公司"]
    assert names(world, "重庆鑫源物流有限公司")[0] == "重庆鑫源物流有限公司"
    # Names containing the query come before names that only resemble it; no fuzzy noise.
    assert names(world, "鑫源")[:4] == [
        "重庆鑫源物流有限公司",
        "渝中区鑫源百货经营部",
        "重庆市渝北区鑫源商贸有限公司",
        "重庆市江北区鑫源商贸股份有限公司",
    ]


def test_art22_a_mistyped_character_still_finds_the_organisation(
    world: World, companies: dict[str, str]
) -> None:
    assert names(world, "恒泰建财有限责任公司") == ["重庆市沙坪坝区恒泰建材有限责任公司"]
    assert "重庆市渝北区鑫源商贸有限公司" in names(world, "渝北区鑫源商茂")
    # ... but a query that resembles nothing lists nothing.
    assert names(world, "完全无关的名字") == []


def test_art22_a_chinese_name_of_eighteen_characters_is_not_taken_for_a_uscc(
    world: World,
) -> None:
    long_name = "重庆市潼南区昌弘装饰工程股份有限公司"
    assert len(long_name) == 18
    party = Party(SubjectKind.LEGAL_PERSON, long_name, uscc=uscc(611))
    submit(
        world.platform, "admin_penalty", _rows(world.platform, "admin_penalty", party, None, "611")
    )
    assert names(world, long_name) == [long_name]


def test_art22_fuzzy_search_never_lists_persons(world: World) -> None:
    person = Party(SubjectKind.PERSON, "赵鑫源商", citizen_id=citizen_id(71))
    submit(
        world.platform, "admin_penalty", _rows(world.platform, "admin_penalty", person, None, "712")
    )
    for q in ("赵鑫源商", "赵鑫源", "鑫源商茂"):
        assert all(h["kind"] != "person" for h in world.client.get(SEARCH, params={"q": q}).json())
    assert names(world, "赵鑫源商") == []


def test_name_grams_ignore_the_city_and_the_legal_form() -> None:
    assert name_grams("重庆市渝北区鑫源商贸有限公司") == "渝北 北区 区鑫 鑫源 源商 商贸"
    assert name_grams("ABC (China) Co.") == "ab bc cc ch hi in na ac co"
    assert name_grams("有限公司") == "" and name_grams("示") == "示"
    assert gram_share(name_grams("鑫源商茂").split(), "重庆市渝北区鑫源商贸有限公司") == 2 / 3


def test_name_grams_agree_with_the_database_function(world: World, backend: str) -> None:
    """The SQL function of migration 0006 and its Python statement give the same bigrams."""
    if backend != "postgresql":
        pytest.skip("pcip_name_grams is a PostgreSQL function")
    samples = [name for name, _ in COMPANIES] + [
        "ABC (China) Co., Ltd.",
        "重庆市  某某（集团）有限责任公司",
        "Ä-Ö 12",
        "重庆",
        "公司",
        "",
    ]
    with world.platform.transaction() as s:
        for name in samples:
            got = s.scalar(text("SELECT pcip_name_grams(:n)"), {"n": name})
            assert got == name_grams(name), name


def test_search_service_limits_and_validates(world: World, companies: dict[str, str]) -> None:
    with world.platform.transaction() as s:
        assert len(search_organisations(s, "鑫源", limit=2)) == 2
        assert search_organisations(s, companies["重庆鑫源物流有限公司"].lower())[0].name == (
            "重庆鑫源物流有限公司"
        )


def test_typo_patterns_cover_one_edit_and_stay_selective() -> None:
    patterns = typo_patterns("鑫源商茂有限公司")
    assert "%鑫源商_%" in patterns  # the last character mistyped
    assert "%_源商茂%" in patterns  # the first character mistyped
    assert "%鑫_源商茂%" in patterns  # a character left out
    assert "%源商茂%" in patterns  # a character too many
    # Nothing made only of what most names hold (the city, the legal form).
    assert typo_patterns("重庆市有限责任公司") == []
    assert all("有限公司" not in p for p in patterns)
    # LIKE metacharacters typed by the user are literal.
    assert "%百分\\%号商_%" in typo_patterns("百分%号商店")


def test_typo_search_leaves_the_transaction_settings_as_they_were(
    world: World, companies: dict[str, str], backend: str
) -> None:
    """The fuzzy step's time budget and per-pattern index limit apply to it alone: the rest
    of the request's transaction (its inquiry log entry, say) runs with the defaults."""
    if backend != "postgresql":
        pytest.skip("the budget and the index limit are PostgreSQL settings")
    with world.platform.transaction() as s:
        before = [s.scalar(text(f"SHOW {name}")) for name in SETTINGS]
        hits = search_organisations(s, "恒泰建财有限责任公司")  # no name holds it: fuzzy step
        assert [s.scalar(text(f"SHOW {name}")) for name in SETTINGS] == before
    assert [h.name for h in hits] == ["重庆市沙坪坝区恒泰建材有限责任公司"]


SETTINGS = ("statement_timeout", "gin_fuzzy_search_limit")
