"""One vocabulary (issue 15.6): every code a person reads has its words in both languages in
``pcip.kernel.vocabulary``, and no door (web, API, CLI, notices) keeps a table of its own."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from pcip.catalog.schemas import SEVERITY_WORDS
from pcip.inquiry.schemas import Channel, PurposeCode
from pcip.integrity.schemas import BREACH_TYPES
from pcip.kernel import vocabulary
from pcip.kernel.enums import InquiryMode, Polarity, SubjectKind
from pcip.objections import codes, notices, steps
from pcip.objections.deadlines import PERIODS
from pcip.objections.service import DECLINE_BASES, PAUSE_TYPES
from pcip.objections.states import Kind, State

ROOT = Path(vocabulary.__file__).parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")

#: The codes of each kind, as the areas define them.
DEFINED: dict[str, set[str]] = {
    "mode": {m.value for m in InquiryMode},
    "channel": {*codes.CHANNELS, *(c.value for c in Channel), "cli", "console", "demo"},
    "purpose": {p.value for p in PurposeCode},
    "subject_kind": {k.value for k in SubjectKind},
    "polarity": {p.value for p in Polarity},
    "ground": set(codes.GROUNDS),
    "state": {s.value for s in State},
    "event": {k.value for k in Kind} | set(codes.EVENT_KINDS),
    "deadline": {p.name for p in PERIODS},
    "notice": set(codes.NOTICE_KINDS),
    "outcome": set(codes.OUTCOMES),
    "withdrawal_ground": set(codes.WITHDRAWAL_GROUNDS),
    "pause_type": set(PAUSE_TYPES),
    "decline_basis": set(DECLINE_BASES),
    "route": set(codes.ROUTES),
    "alert": set(codes.ALERT_KINDS),
    "step": set(steps.ORDER),
    "scope_category": {str(n) for n in range(1, 9)},
    "severity": set(SEVERITY_WORDS),
    "breach_type": set(BREACH_TYPES),
}


def _reason_codes() -> set[str]:
    """The codes of the reasons a disclosure decision gives (Art. 3, 22, 30, 41-45)."""
    found: set[str] = set()
    for path in (ROOT / "disclosure").glob("*.py"):
        found |= set(re.findall(r"\bReason\(\s*\"([a-z_]+)\"", path.read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize("kind", sorted(DEFINED))
def test_every_code_of_each_kind_has_both_words(kind: str) -> None:
    missing = sorted(DEFINED[kind] - set(vocabulary.codes(kind)))
    assert not missing, f"add to pcip/kernel/vocabulary.py, kind {kind!r}: {missing}"


def test_art39_every_reason_a_subject_is_given_has_its_words() -> None:
    codes = _reason_codes()
    assert codes, "no Reason(...) found in pcip/disclosure"
    assert not sorted(codes - set(vocabulary.codes("reason")))


def test_every_word_and_form_is_chinese_and_english() -> None:
    for kind, words in vocabulary.VOCABULARY.items():
        for code, w in words.items():
            pairs = [("word", (w.zh, w.en))]
            pairs += [(f, p) for f in vocabulary.FORMS if (p := getattr(w, f)) is not None]
            for form, (zh, en) in pairs:
                where = f"{kind}.{code} ({form})"
                assert zh.strip() and CJK.search(zh), f"{where}: no Chinese"
                assert en.strip() and not CJK.search(en), f"{where}: no English"


def test_chinese_is_the_default_and_unknown_codes_read_as_themselves() -> None:
    assert vocabulary.word("state", "closed") == "已办结"
    assert vocabulary.word("state", "closed", "en") == "Closed"
    assert vocabulary.word("state", "received", "en", "staff") == "Received, to be labelled"
    assert vocabulary.word("state", "closed", "en", "staff") == "Closed"  # no staff form
    assert vocabulary.word("state", "no_such_state") == "no_such_state"
    assert vocabulary.has("step", "label", "help") and not vocabulary.has("state", "x")


def test_art40_status_notice_names_the_state_and_late_steps_in_words() -> None:
    case = notices.CaseText(
        7, "申请人", date(2024, 9, 27), "error", [(1, "行政处罚", "Administrative penalty")]
    )
    late = [("pu_handling", date(2024, 10, 10))]
    html = notices.status_update(case, date(2024, 10, 11), State.PU_REVIEW, late)
    assert "提供单位核查中" in html and "Being verified by the providing unit" in html
    assert "提供单位核查处理" in html and "current step: pu_review" not in html
    assert "存在错误" in html  # the ground, in the notice's wording


def test_the_cli_lists_the_words() -> None:
    import json

    from typer.testing import CliRunner

    from pcip.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["words", "state"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["code"] for r in rows] == list(vocabulary.codes("state"))
    assert rows[0]["staff"] == {"zh": "已收件待标注", "en": "Received, to be labelled"}
    bad = runner.invoke(app, ["words", "colour"])
    assert bad.exit_code != 0


# --- no door keeps its own table ---------------------------------------------------------------

#: Where people read words: the web door, the API routers, the CLI, what shapes answers, and
#: the notices and refusals that reach the applicant.
DOORS = sorted(
    {
        *(ROOT / "web").rglob("*.py"),
        *ROOT.rglob("api.py"),
        *ROOT.rglob("cli*.py"),
        *ROOT.rglob("present.py"),
        ROOT / "objections" / "notices.py",
        ROOT / "objections" / "states.py",
    }
)


def _is_words(node: ast.expr) -> bool:
    """A literal text, or a marked message (``N_("...")``, ``_("...")``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.Tuple):
        # A (zh, en) pair is words; a tuple of codes (the steps a page offers) is not.
        codes_only = all(
            isinstance(e, ast.Constant) and re.fullmatch(r"[a-z_-]+", str(e.value))
            for e in node.elts
        )
        return not codes_only and all(_is_words(e) for e in node.elts)
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"N_", "_", "gettext"}
    )


def _tables(path: Path) -> list[str]:
    """Dict literals that name two or more codes of one kind with words: a label table."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Dict) or len(node.keys) < 2:
            continue
        keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
        if len(keys) != len(node.keys) or not all(isinstance(k, str) for k in keys):
            continue
        if not all(_is_words(v) for v in node.values):
            continue
        for kind, words in vocabulary.VOCABULARY.items():
            if set(keys) <= set(words):
                found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno} ({kind})")
                break
    return found


def test_no_door_keeps_its_own_table_of_words() -> None:
    assert DOORS
    tables = [t for path in DOORS for t in _tables(path)]
    assert not tables, "read pcip.kernel.vocabulary instead of:\n" + "\n".join(tables)


def test_templates_read_the_vocabulary() -> None:
    stale = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "web" / "templates").rglob("*.html")
        if re.search(r"\bL\.[A-Z_]+|\bword\([A-Z_]+,", p.read_text(encoding="utf-8"))
    ]
    assert not stale, f"templates naming a label table: {stale}"


def test_the_catalogs_hold_no_word_that_only_the_vocabulary_uses() -> None:
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    web = ROOT / "web"
    used: set[str] = set()
    for _file, _line, message, *_rest in extract_from_dir(
        web,
        [("**.py", "python"), ("templates/**.html", "jinja2")],
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        keywords={"_": None, "gettext": None, "ngettext": (1, 2), "N_": None},
    ):
        used.add(message if isinstance(message, str) else message[0])
    words = set()
    for table in vocabulary.VOCABULARY.values():
        for w in table.values():
            words.add(w.en)
            words |= {p[1] for f in vocabulary.FORMS if (p := getattr(w, f)) is not None}
    stale = []
    for path in sorted((web / "locale").rglob("*.po")):
        with path.open("rb") as fh:
            for m in read_po(fh):
                if isinstance(m.id, str) and m.id in words and m.id not in used:
                    stale.append(f"{path.name}: {m.id!r}")
    assert not stale, "the vocabulary holds these words; drop them from the catalogs:\n" + (
        "\n".join(stale)
    )


def test_art22_the_authority_mode_has_the_regulations_name_on_every_page() -> None:
    """Art. 22 names the mode 依职权查询; the portal once said 依职责查询 while the console said
    依职权查询, two names for one mode."""
    word = vocabulary.VOCABULARY["mode"]["authority"]
    assert word.zh == "依职权查询"
    assert word.staff is not None and word.staff[0] == "依职权查询"
    texts = [*ROOT.joinpath("web").rglob("*.html"), *ROOT.joinpath("web").rglob("*.po")]
    assert not [p.name for p in texts if "依职责查询" in p.read_text(encoding="utf-8")]
