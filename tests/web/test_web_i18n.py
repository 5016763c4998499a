"""The pages speak Simplified Chinese by default and English on request: every message of the
portal, the subject area and the shared layout has its Chinese translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from pcip.web import i18n

WEB = Path(i18n.__file__).parent
#: The console keeps its own catalog (console.po) and its own check.
METHODS = [
    ("console/**", "ignore"),
    ("templates/console/**", "ignore"),
    ("**.py", "python"),
    ("templates/**.html", "jinja2"),
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def _msgids() -> dict[str | tuple[str, ...], str]:
    found: dict[str | tuple[str, ...], str] = {}
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    for filename, lineno, message, *_ in extract_from_dir(
        WEB, METHODS, options_map=options, keywords=KEYWORDS
    ):
        found.setdefault(message, f"{filename}:{lineno}")
    return found


def test_every_message_has_a_chinese_translation() -> None:
    zh = i18n.messages("zh_CN")
    missing = [
        f"{where}: {msgid!r}"
        for msgid, where in _msgids().items()
        if (msgid[0] not in zh.plural if isinstance(msgid, tuple) else msgid not in zh.singular)
    ]
    assert not missing, "add to locale/zh_CN/LC_MESSAGES/messages.po:\n" + "\n".join(missing)


def test_translations_keep_their_placeholders() -> None:
    import re

    zh = i18n.messages("zh_CN")
    for msgid, text in zh.singular.items():
        assert set(re.findall(r"%\(\w+\)s", msgid)) == set(re.findall(r"%\(\w+\)s", text)), msgid


def test_the_default_is_chinese_and_english_falls_back_to_the_message_ids() -> None:
    with i18n.using("zh_CN"):
        assert i18n._("Search organisations") == "查询单位"
        assert i18n.ngettext("%(num)s record", "%(num)s records", 3) == "3 条信息"
    with i18n.using("en"):
        assert i18n._("Search organisations") == "Search organisations"
        assert i18n.ngettext("%(num)s record", "%(num)s records", 1) == "1 record"


@pytest.mark.parametrize(
    ("value", "chinese", "english"),
    [
        ("11010519491231003X", "校验码为 X，应为 8", "check character is X, should be 8"),
        ("91110000600037341M", "校验码为 M，应为 L", "check character is M, should be L"),
        ("11010519491231002", "长度为 17 位，应为 18 位", "length is 17, expected 18"),
    ],
)
def test_issue19_3_an_identifier_reason_is_a_coded_message_in_each_language(
    value: str, chinese: str, english: str
) -> None:
    from datetime import date

    from pcip.identity import check_identifier

    reason = check_identifier(value, today=date(2026, 1, 1))["reason"]
    assert isinstance(reason, str)
    with i18n.using("zh_CN"):
        assert i18n.translate_message(reason) == chinese
    with i18n.using("en"):
        assert i18n.translate_message(reason) == english


def test_a_message_the_catalog_does_not_know_is_shown_as_it_is() -> None:
    with i18n.using("zh_CN"):
        text = "something the catalog does not know"
        assert i18n.translate_message(text) == text


def test_every_po_file_of_a_locale_is_merged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "zh_CN" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    (folder / "messages.po").write_text(header + 'msgid "A"\nmsgstr "甲"\n', encoding="utf-8")
    (folder / "console.po").write_text(
        header + 'msgid "A"\nmsgstr "乙"\n\nmsgid "B"\nmsgstr "丙"\n', encoding="utf-8"
    )
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.reload()
    try:
        with i18n.using("zh_CN"):
            assert (i18n._("A"), i18n._("B")) == ("甲", "丙")  # messages.po first
    finally:
        monkeypatch.undo()
        i18n.reload()


def test_language_codes_are_normalised() -> None:
    assert i18n.normalise("en-US") == "en"
    assert i18n.normalise("zh") == "zh_CN"
    assert i18n.normalise("zh-cn") == "zh_CN"
    assert i18n.normalise("fr") is None


def test_no_message_is_translated_differently_in_two_catalogs() -> None:
    """``pcip serve`` warns of such a message ('Received at' was one): the pages would say
    whichever catalog is read first."""
    from babel.messages.pofile import read_po

    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for path in i18n.catalog_files("zh_CN"):
        with path.open("rb") as fh:
            for m in read_po(fh):
                if not isinstance(m.id, str) or not m.id or not m.string:
                    continue
                first = seen.setdefault(m.id, (path.name, str(m.string)))
                if first[1] != m.string:
                    clashes.append(f"{m.id!r}: {first} vs {(path.name, m.string)}")
    assert not clashes, "\n".join(clashes)
