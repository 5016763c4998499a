"""Whether a stated purpose says something (Art. 22(2), Art. 27: the purpose is mandatory).

A purpose the inquiry log keeps must let an overseer tell why a unit read a subject's
information. Empty, whitespace-only and placeholder text ("test", "查询", "无", "1", "xxx")
say nothing and are refused, naming the field. The rule, in order:

1. Only letters and digits count (spaces and punctuation are ignored).
2. Weight: each Chinese character (CJK ideograph) counts 2, any other letter or digit 1.
   At least ``MIN_WEIGHT`` (8) is needed: four Chinese characters ("资质审批") or eight
   letters or digits ("permit check" has 11).
3. At least ``MIN_DISTINCT`` (3) different characters ("哈哈哈哈", "aaaaaaaa" say nothing).
4. Not digits only ("12345678").
5. Not a placeholder: the text, lower-cased and without spaces and punctuation, is not in
   ``PLACEHOLDERS`` and is not one of them repeated ("testtest", "查询查询").

The same rule checks the legal basis an operator cites when widening a unit's inquiry scope.
"""

from __future__ import annotations

import unicodedata

from pcip.errors import ValidationError
from pcip.kernel.messages import Message, msg

MIN_WEIGHT = 8
MIN_DISTINCT = 3

#: Text seen in place of a purpose: test words, "purpose", "query", "none", "see above",
#: "other", keyboard runs. Compared lower-cased, without spaces and punctuation.
PLACEHOLDERS = frozenset(
    {
        "test",
        "testing",
        "tests",
        "purpose",
        "thepurpose",
        "query",
        "inquiry",
        "enquiry",
        "lookup",
        "check",
        "none",
        "null",
        "nil",
        "na",
        "n/a",
        "tbd",
        "todo",
        "xxx",
        "xxxx",
        "asdf",
        "asdfgh",
        "qwer",
        "qwerty",
        "abc",
        "abcd",
        "abcdefgh",
        "foo",
        "bar",
        "foobar",
        "demo",
        "sample",
        "example",
        "other",
        "others",
        "misc",
        "whatever",
        "1",
        "123",
        "1234",
        "12345678",
        "测试",
        "测试一下",
        "测试查询",
        "查询",
        "查询一下",
        "查一下",
        "查看",
        "看看",
        "了解",
        "了解一下",
        "核查",
        "信用查询",
        "信用核查",
        "工作需要",
        "工作需要查询",
        "因工作需要",
        "业务需要",
        "业务查询",
        "用途",
        "目的",
        "查询目的",
        "查询用途",
        "无",
        "暂无",
        "没有",
        "略",
        "同上",
        "其他",
        "其它",
        "其他用途",
        "其他目的",
        "不详",
        "未知",
        "随便",
        "随便看看",
    }
)


def _is_cjk(ch: str) -> bool:
    return unicodedata.category(ch) == "Lo" and "CJK" in unicodedata.name(ch, "")


def _core(text: str) -> str:
    """Letters and digits only, lower-case (spaces and punctuation removed)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def _placeholder(core: str) -> bool:
    if core in PLACEHOLDERS:
        return True
    for p in PLACEHOLDERS:  # "testtest", "查询查询查询"
        if len(core) > len(p) and len(core) % len(p) == 0 and core == p * (len(core) // len(p)):
            return True
    return False


def problem(text: str | None, what: Message | None = None) -> Message | None:
    """Why ``text`` (``what``: the purpose, or the legal basis) says nothing, or None when it is
    a meaningful statement."""
    what = what or msg("inquiry.the_purpose")
    if text is None or not text.strip():
        return msg("inquiry.purpose_required", what=what)
    core = _core(text)
    if not core:
        return msg("inquiry.purpose_no_letters", what=what)
    if core.isdigit():
        return msg("inquiry.purpose_digits_only", what=what)
    if _placeholder(core):
        return msg("inquiry.purpose_placeholder", what=what, text=text.strip()[:40])
    weight = sum(2 if _is_cjk(ch) else 1 for ch in core)
    if weight < MIN_WEIGHT:
        return msg("inquiry.purpose_too_short", what=what)
    if len(set(core)) < MIN_DISTINCT:
        return msg("inquiry.purpose_repeats", what=what)
    return None


def require_meaningful(text: str | None, field: str) -> str:
    """``text`` stripped, or a ValidationError naming ``field`` (``purpose`` or
    ``legal_basis``) and why it is refused."""
    what = msg("inquiry.the_legal_basis" if field == "legal_basis" else "inquiry.the_purpose")
    why = problem(text, what)
    if why is not None:
        raise ValidationError(why, field=field)
    assert text is not None
    return text.strip()
