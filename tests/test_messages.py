"""Coded messages (issue 19.3): every message code the services raise has its wording in both
languages in ``pcip.kernel.messages``, the two wordings agree on their values, a Chinese wording
has no English in it (nor an English one Chinese), and a message renders in either language:
in the API (English, or Chinese on request), on a web page and in a batch's ledger."""

from __future__ import annotations

import ast
import pickle
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from pcip.errors import Conflict
from pcip.kernel import messages, vocabulary
from pcip.kernel.messages import MESSAGES, Both, Either, Message, Term, msg, placeholders

ROOT = Path(messages.__file__).parent.parent
CJK = re.compile(r"[\u3400-\u9fff]")
#: Latin words a Chinese wording may hold (abbreviations Chinese text writes in Latin letters).
#: Standard designations (GB/T 2260, ISO 3166-1), formats (JSON, UTF-8) and the date pattern
#: YYYY-MM-DD are written in Latin letters in Chinese too.
LATIN_OK = {"API", "USCC", "PDF", "CSV", "GB", "ISO", "JSON", "UTF", "YYYY", "MM", "DD"}
#: Names of file formats and tools a unit saves its file with (records, msgs3).
LATIN_OK |= {"XLSX", "Excel", "GBK", "Unicode", "MiB", "xls", "xlsx", "csv", "jsonl"}


def _raised_codes() -> dict[str, list[str]]:
    """Every ``msg("code", ...)`` / ``Message("code", ...)`` in ``pcip``, with where it is."""
    out: dict[str, list[str]] = {}
    for path in ROOT.rglob("*.py"):
        if path.name == "messages.py" and path.parent.name == "kernel":
            continue
        source = path.read_text(encoding="utf-8")
        if "from pcip.kernel.messages import" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("msg", "Message")
            ):
                first = node.args[0] if node.args else None
                assert isinstance(first, ast.Constant | ast.IfExp), (path, node.lineno)
                options = [first] if isinstance(first, ast.Constant) else [first.body, first.orelse]
                given = {k.arg for k in node.keywords}
                for option in options:
                    assert isinstance(option, ast.Constant), (path, node.lineno)
                    out.setdefault(str(option.value), []).append(f"{path}:{node.lineno}")
                    wording = MESSAGES.get(str(option.value))
                    if wording is not None and None not in given:  # not for **params
                        needed = placeholders(wording.zh) | placeholders(wording.en)
                        assert needed <= given, (path, node.lineno, sorted(needed - given))
    return out


def test_issue19_3_every_raised_code_has_both_wordings() -> None:
    raised = _raised_codes()
    missing = {code: where for code, where in raised.items() if code not in MESSAGES}
    assert not missing, f"message codes without wording in pcip.kernel.messages: {missing}"
    unused = sorted(set(MESSAGES) - set(raised))
    assert not unused, f"wordings nobody raises (remove them): {unused}"


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_issue19_3_each_wording_is_in_its_own_language(code: str) -> None:
    m = MESSAGES[code]
    assert m.zh.strip() and m.en.strip(), code
    # Each wording names the values it needs (the Chinese may leave out a field's code, the
    # English name a state by its code): every raise site passes both sets (checked above).
    bare_zh = re.sub(r"\{\w+\}", "", m.zh)
    english = set(re.findall(r"[A-Za-z]{2,}", bare_zh)) - LATIN_OK
    assert not english, (code, english)
    assert "Art." not in m.zh and "para" not in m.zh, code
    assert not CJK.search(m.en), code


def test_issue19_3_a_message_renders_in_each_language_with_its_values() -> None:
    m = msg(
        "common.cannot_step_in_state",
        step=Term("restoration_action", "approve"),
        step_code="approve",
        state=Term("restoration_state", "submitted"),
        state_code="submitted",
    )
    assert m == "cannot approve a case in state 'submitted'"  # as a str: its English text
    assert m.render("zh_CN") == "当前状态为“已收到申请”，不能执行“准予修复”"
    listed = msg(
        "lists.wrong_state",
        step=Term("designation_action", "decide"),
        step_code="decide",
        id=7,
        state=Term("designation_state", "draft"),
        state_code="draft",
        wanted_codes="responded or window_lapsed",
        wanted=Either(
            [Term("designation_state", "responded"), Term("designation_state", "window_lapsed")]
        ),
    )
    assert listed.render("zh_CN") == (
        "不能作出认定决定：认定 7 当前为“草稿”，应为“已答复陈述申辩或陈述申辩期已届满”"
    )
    named = msg("lists.organisations_only", list=Both("严重失信主体名单", "serious list"))
    assert named.render("zh_CN") == "严重失信主体名单只列入单位"
    assert named == "serious list lists organisations only"


def test_issue19_3_a_message_survives_the_ledger_and_a_pickle() -> None:
    inner = msg("records.decision_in_future", day="2030-01-01")
    outer = msg("records.from_v1_column", reason=inner, column="CF_XZJG")
    kept = Message.from_json(outer.as_json())
    assert kept is not None and kept.render("zh_CN") == outer.render("zh_CN")
    assert kept.render("zh") == "决定日期 2030-01-01 晚于今天（第二十一条）（读自第1版列 CF_XZJG）"
    again = pickle.loads(pickle.dumps(outer))
    assert isinstance(again, Message) and again.key == outer.key and again == outer
    assert Message.from_json({"key": "no.such.code"}) is None


def test_issue19_3_an_error_carries_its_code_and_renders_in_each_language() -> None:
    e = Conflict(msg("restoration.case_open", id=3), field="record_id")
    assert e.code == "conflict" and e.message_key == "restoration.case_open"
    assert e.as_dict() == {
        "code": "conflict",
        "message": "restoration case 3 for it is still open",
        "field": "record_id",
    }
    assert e.as_dict("zh_CN")["message"] == "针对该信息的信用修复申请 3 仍在办理中"
    plain = Conflict("not coded yet")
    assert plain.message_key is None and plain.as_dict("zh_CN")["message"] == "not coded yet"


def test_issue19_3_terms_come_from_the_one_vocabulary() -> None:
    for kind in (
        "restoration_state",
        "restoration_action",
        "designation_state",
        "designation_action",
        "complaint_state",
        "case_target",
    ):
        for code in vocabulary.codes(kind):
            assert vocabulary.word(kind, code, "zh_CN") != vocabulary.word(kind, code, "en")


def test_issue19_3_the_services_remaining_refusals_render_in_chinese() -> None:
    """A refusal of the subjects, lists, governance, objections and the API's doors is coded:
    Chinese on a Chinese page, the English unchanged for the API and the CLI."""
    from pcip.doors.api_common import _text_problem
    from pcip.errors import PcipError
    from pcip.governance.rules import check_group
    from pcip.lists.types import get as list_type
    from pcip.objections.states import replay
    from pcip.subjects.service import _clean_name

    def refusal(call: Callable[..., object], *args: object) -> PcipError:
        with pytest.raises(PcipError) as caught:
            call(*args)
        return caught.value

    empty = refusal(_clean_name, "  ")
    assert (empty.message_key, empty.message_in("zh_CN"), empty.message) == (
        "subjects.name_empty",
        "名称为空",
        "name is empty",
    )
    unknown = refusal(list_type, "no_such_list")
    assert unknown.message_key == "lists.no_list_type"
    assert unknown.message_in("zh_CN").startswith("没有有效的名单类型“no_such_list”")
    group = refusal(check_group, "nobody")
    assert group.message_in("zh_CN").startswith("未知的利益相关方群体“nobody”")
    assert refusal(replay, []).message_in("zh_CN") == "该异议没有任何事件记录"
    text = _text_problem("label", "a\x00b")
    assert text is not None and text.message == "label contains a NUL character (U+0000)"
    assert text.message_in("zh_CN") == "label：含有空字符（U+0000）"
