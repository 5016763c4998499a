"""The written notices to the applicant (Art. 40 para 3-4, Art. 41 para 3; D-2).

Plain functions from facts to HTML: every value from the case is escaped, every statement of
a right cites its article, and every notice names the Regulations and their effective date
(Art. 57). The notice is stored as issued (``Notice.html``), so the archive shows exactly what
the applicant received.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from pcip.kernel import vocabulary
from pcip.objections.deadlines import REEXAM

REGULATIONS = "Chongqing Municipal Social Credit Regulations (2021), effective 2021-07-01"
REGULATIONS_ZH = "《重庆市社会信用条例》（2021年7月1日起施行）"
#: D-14: the re-examination goes to the development and reform department at the level of the
#: public credit service establishment that handled the objection (the municipal platform).
REEXAM_DEPARTMENT = "重庆市发展和改革委员会 (Chongqing Municipal Development and Reform Commission)"
REEXAM_DEPARTMENT_ZH = "重庆市发展和改革委员会"


def withdrawn_line(record_id: int, ground: str, on: date) -> str:
    """A line of the outcome notice: what happened to one withdrawn record (both languages)."""
    zh, en = vocabulary.both("withdrawal_ground", ground, "notice")
    return (
        f"记录 {record_id}{zh}，已于{on.isoformat()}从您的信用信息中撤回，"
        f"不再向任何人提供。 Record {record_id} {en}: it was withdrawn from "
        f"your credit information on {on.isoformat()} and is no longer provided to anyone."
    )


def refiled_line(record_id: int) -> str:
    """The record was filed under the subject the unit named (who is not told here)."""
    return (
        f"记录 {record_id}所涉及的主体已由信息提供单位指明，该信息已作为新记录归集在其名下，"
        f"并注明本异议编号。 The providing unit named the subject record {record_id} concerns: "
        "it has been filed there as a new record citing this objection."
    )


#: Printed notices: A4, readable type, CJK fonts first (the notice is a legal document).
_STYLE = (
    "body{font-family:'Noto Sans CJK SC','Noto Serif CJK SC','WenQuanYi Zen Hei',"
    "'Microsoft YaHei',sans-serif;max-width:44em;margin:2em auto;padding:0 1em;"
    "line-height:1.7;color:#111}h1{font-size:1.5em;text-align:center}"
    "h1 span,.en{display:block;color:#444;font-size:.9em}h1 span{font-size:.65em}"
    "@page{size:A4;margin:2cm}@media print{body{margin:0}}"
)


@dataclass(frozen=True)
class CaseText:
    """What every notice says about the case."""

    objection_id: int
    applicant: str
    received: date
    ground: str
    records: Sequence[tuple[int, str]]  # (record id, catalog item name)


def _p(zh: str, en: str) -> str:
    """A paragraph in Chinese (the notice's language) with the English beneath it."""
    return f'<p>{zh}</p><p class="en" lang="en">{en}</p>'


def _h(tag: str, zh: str, en: str) -> str:
    return f'<{tag}>{escape(zh)} <span lang="en">{escape(en)}</span></{tag}>'


def _head(title: tuple[str, str], case: CaseText, issued: date) -> str:
    items = "".join(f"<li>记录 record {rid}：{escape(name)}</li>" for rid, name in case.records)
    ground_zh, ground_en = vocabulary.both("ground", case.ground, "notice")
    applicant = escape(case.applicant)
    return (
        '<article class="notice" lang="zh-CN">'
        + _h("h1", *title)
        + _p(
            f"异议编号：{case.objection_id} · 出具日期：{issued.isoformat()}",
            f"Objection no. {case.objection_id} · issued {issued.isoformat()}",
        )
        + _p(f"致：{applicant}", f"To: {applicant}")
        + _p(
            f"您于{case.received.isoformat()}提出异议，认为下列信息{escape(ground_zh)}：",
            f"Your objection, received on {case.received.isoformat()}, stated that "
            f"{escape(ground_en)} in:",
        )
        + f"<ul>{items}</ul>"
    )


def _reasons(reasons: str) -> str:
    return _h("h2", "理由", "Reasons") + f"<p>{escape(reasons)}</p>"


def _reexam_paragraph() -> str:
    """Art. 40 para 4: how to ask for re-examination, with no time limit (docs/objections.md:
    the Regulations set none, so the platform sets none: the case may be closed in the
    archive and still be re-examined, once)."""
    n = REEXAM.working_days
    return _h("h2", "复核", "Re-examination") + _p(
        f"如对本处理不服，您可以向{escape(REEXAM_DEPARTMENT_ZH)}申请复核（第四十条第四款），"
        "可在其服务窗口书面提出，或通过“信用中国（重庆）”网站提出，并注明本异议编号。"
        f"该部门自收到复核申请之日起{n}个工作日内完成复核（第四十条第四款）；"
        "检验、检测、评估或专家评审所需时间不计入（第四十一条第二款）。"
        "条例未规定申请复核的期限，本平台亦不设期限：本异议归档后仍可申请。"
        "每件异议可申请复核一次。复核期间，相关信息附异议标注继续提供（第四十一条第一款）。",
        "If you are not satisfied with this handling, you may apply for a re-examination "
        f"to {escape(REEXAM_DEPARTMENT)} (Art. 40 para 4), in writing at its service window "
        "or through the Credit China (Chongqing) website, citing this objection number. The "
        f"department completes the re-examination within {n} working days of receiving your "
        "application (Art. 40 para 4); time needed for inspection, testing, evaluation or "
        "expert review is not counted (Art. 41 para 2). The Regulations set no time limit for "
        "applying, and the platform sets none: you may apply even after this objection is "
        "closed in the archive. An objection is re-examined once. While the re-examination "
        "runs, the information stays available with an objection label (Art. 41 para 1).",
    )


def _unit_paragraph(unit: str | None) -> str:
    """Art. 40 para 2(2), D-2: the unit verified; the notice was generated on its result."""
    if not unit:
        return ""
    name = escape(unit)
    return _p(
        f"本异议已转交信息提供单位{name}核查处理（第四十条第二款第二项）；"
        "本告知书在其处理结果送达平台时即时生成（D-2）。",
        f"This objection was transferred to the providing unit {name}, which verified and "
        "handled it (Art. 40 para 2(2)); this notice was generated as soon as its result "
        "reached the platform (D-2).",
    )


def _foot() -> str:
    return (
        f'<footer><p>{escape(REGULATIONS_ZH)}</p><p class="en" lang="en">'
        f"{escape(REGULATIONS)}.</p></footer></article>"
    )


#: Art. 42(3): information provided beyond its legal period is no longer provided. Said only
#: when that was the ground of the objection (an objection on an error or an omission can
#: also end in a stop, for its own reasons).
BEYOND_PERIOD_STOP = (
    "经核查，信息已超过法定期限，平台已在各查询方式中停止提供（第四十二条第三项）。",
    "The information was found to be provided beyond its legal period: the platform has "
    "stopped providing it in every inquiry mode (Art. 42(3)).",
)


def outcome_sentence(outcome: str, ground: str) -> tuple[str, str]:
    """What the notice says the outcome was, true to the case's ground (Chinese, English)."""
    if outcome == "provision_stopped" and ground == "beyond_period":
        return BEYOND_PERIOD_STOP
    return vocabulary.both("outcome", outcome, "notice")


def outcome(
    case: CaseText,
    issued: date,
    outcome: str,
    reasons: str,
    done: Sequence[str],
    unit: str | None = None,
) -> str:
    """Art. 40 para 3: the outcome, its reasons, and the right to re-examination."""
    actions = "".join(f"<li>{escape(d)}</li>" for d in done)
    return (
        _head(vocabulary.both("notice", "outcome", "notice"), case, issued)
        + _h("h2", "处理结果", "Outcome")
        + _p(*(escape(x) for x in outcome_sentence(outcome, case.ground)))
        + (f"<ul>{actions}</ul>" if actions else "")
        + _unit_paragraph(unit)
        + _reasons(reasons)
        + _p(
            "异议标注已撤除（第四十二条第二款）。",
            "The objection label has been removed (Art. 42 para 2).",
        )
        + _reexam_paragraph()
        + _foot()
    )


def not_accepted(case: CaseText, issued: date, basis: str, reasons: str) -> str:
    """Art. 41 para 3, D-4: a reasoned notice of non-acceptance (itself re-examinable)."""
    why_zh, why = vocabulary.both(
        "decline_basis", "repeat" if basis == "repeat" else "no_legitimate_reason", "notice"
    )
    return (
        _head(vocabulary.both("notice", "not_accepted", "notice"), case, issued)
        + _h("h2", "决定", "Decision")
        + _p(
            f"不予受理：{escape(why_zh)}（第四十一条第三款）。",
            f"The objection is not accepted: {escape(why)} (Art. 41 para 3).",
        )
        + _reasons(reasons)
        + _reexam_paragraph()
        + _foot()
    )


def reexam_outcome(
    case: CaseText, issued: date, outcome: str, reasons: str, done: Sequence[str] = ()
) -> str:
    """Art. 40 para 4: the re-examination result, notified to the applicant."""
    actions = "".join(f"<li>{escape(d)}</li>" for d in done)
    if outcome == "upheld":
        result = "The re-examination upholds the handling of your objection."
        result_zh = "复核维持对您异议的处理。"
    else:
        changed_zh, changed = outcome_sentence(outcome, case.ground)
        result = "The re-examination changes the handling: " + changed
        result_zh = "复核变更处理结果：" + changed_zh
    return (
        _head(vocabulary.both("notice", "reexam_outcome", "notice"), case, issued)
        + _h("h2", "复核结果", "Result")
        + _p(escape(result_zh), escape(result))
        + (f"<ul>{actions}</ul>" if actions else "")
        + _reasons(reasons)
        + _p(
            f"复核机关：{escape(REEXAM_DEPARTMENT_ZH)}（第四十条第四款）。",
            f"Decided by {escape(REEXAM_DEPARTMENT)} (Art. 40 para 4).",
        )
        + _p(
            "复核结果为本异议程序的最终处理。如认为信用信息归集、公开、使用中的行政行为侵犯"
            "您的合法权益，可以向信息提供单位投诉，也可以依法申请行政复议或者提起行政诉讼"
            "（第四十六条）。",
            "The re-examination result concludes this objection. If you believe an "
            "administrative act in the collection, disclosure or use of the information "
            "infringes your lawful rights, you may complain to the providing unit, or apply "
            "for administrative reconsideration or bring an administrative lawsuit according "
            "to law (Art. 46).",
        )
        + _foot()
    )


def status_update(case: CaseText, issued: date, state: str, late: Sequence[str]) -> str:
    """D-2: by the notice deadline, the status of a case still in handling."""
    overdue = "".join(_late_step(x) for x in late)
    state_zh = vocabulary.word("state", state, "zh_CN")
    state_en = vocabulary.word("state", state, "en")
    return (
        _head(vocabulary.both("notice", "status_update", "notice"), case, issued)
        + _p(
            f"您的异议正在处理中（当前环节：{escape(state_zh)}），处理结果将另行书面告知。",
            f"Your objection is being handled (current step: {escape(state_en)}). You will "
            "receive a further written notice with the outcome.",
        )
        + (
            _p("已超过时限的环节：", "Steps past their time limit:") + f"<ul>{overdue}</ul>"
            if overdue
            else ""
        )
        + _foot()
    )


def _late_step(line: str) -> str:
    """One step past its time limit, ``"<deadline code> (due ..., Art. ...)"``, in words."""
    code, _, rest = line.partition(" ")
    zh, en = vocabulary.word("deadline", code, "zh_CN"), vocabulary.word("deadline", code, "en")
    return f'<li data-deadline="{escape(code)}">{escape(zh)} · {escape(en)} {escape(rest)}</li>'


def document(fragment: str, title: str = "异议告知书 Objection notice") -> str:
    """A stored notice as a complete, printable HTML document (what a subject opens)."""
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{fragment}</body></html>\n"
    )
