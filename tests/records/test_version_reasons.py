"""Issue 19.3: why a record's version exists is worded in the reader's language. A reason the
platform composes (an objection's or a correction's decision) is stored coded, with the
staff's own words as a note; a page words it in its language, the API keeps one English line.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from pcip.kernel.messages import Both, Term, msg
from pcip.records.reasons import coded_reason, reason_code, reason_parts, reason_text
from pcip.web import i18n
from pcip.web.reasons import version_reason

DECIDED = coded_reason(
    msg(
        "records.version_objection",
        id=5,
        stage=Both("复核决定", "re-examination"),
        outcome=Term("outcome", "corrected"),
    ),
    "金额录入错误 <b>",
)


NOTE = '<span lang="zh-Hans" translate="no">金额录入错误 &lt;b&gt;</span>'


@dataclass
class Stored:
    reason: str


def test_issue19_3_a_composed_reason_reads_in_each_language_with_the_note_as_written() -> None:
    assert reason_text(DECIDED) == "objection 5 re-examination: Corrected: 金额录入错误 <b>"
    assert reason_text(DECIDED, "zh_CN") == "异议 5 复核决定：已更正：金额录入错误 <b>"
    message, note = reason_parts(DECIDED)
    assert message is not None and message.key == "records.version_objection"
    assert note == "金额录入错误 <b>"
    code = reason_code(DECIDED)
    assert code is not None and code["note"] == "金额录入错误 <b>"


@pytest.mark.parametrize("plain", ["submitted", "objection 3 decision: corrected: 旧数据", "{x"])
def test_issue19_3_a_reason_stored_as_plain_text_stays_as_written(plain: str) -> None:
    assert reason_text(plain) == plain and reason_code(plain) is None
    assert reason_parts(plain) == (None, plain)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("zh_CN", "异议 5 复核决定：已更正：" + NOTE),
        ("en", "objection 5 re-examination: Corrected: " + NOTE),
    ],
)
def test_issue19_3_a_page_words_the_reason_in_its_language_and_marks_the_note(
    locale: str, expected: str
) -> None:
    with i18n.using(locale):
        assert str(version_reason(Stored(DECIDED))) == expected
        # Reasons written before they were coded are shown as data, escaped.
        old = str(version_reason(Stored("objection 3 decision: corrected: <i>")))
        assert old == '<span translate="no">objection 3 decision: corrected: &lt;i&gt;</span>'
