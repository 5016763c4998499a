"""The written notices to the applicant (Art. 40 para 3-4, Art. 41 para 3; D-2).

Plain functions from facts to HTML: every value from the case is escaped, every statement of
a right cites its article, and every notice names the Regulations and their effective date
(Art. 57). A notice is written twice, once in Chinese and once in English, each a whole
notice in one language (issue 19.2): the stored ``Notice.html`` holds both ``<article>``
elements exactly as issued, and a reader is shown the one in the page's language
(:func:`version`). Each carries what an official notice carries: the issuing institution and
the unit that decided (from the case's facts), the date, the contact for questions (the
operator's settings, ``PCIP_NOTICE_*``), and the remedies that exist: re-examination online on
this portal or in writing (Art. 40 para 4), a complaint to the providing unit, administrative
reconsideration or litigation (Art. 46).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

from pcip.config import get_settings
from pcip.kernel import vocabulary
from pcip.objections.deadlines import REEXAM

#: The two languages of a notice, in the platform's locale codes; Chinese first (the
#: notice's legal language).
LANGUAGES = ("zh_CN", "en")
_HTML_LANG = {"zh_CN": "zh-CN", "en": "en"}

REGULATIONS = "Chongqing Municipal Social Credit Regulations (2021), effective 2021-07-01"
REGULATIONS_ZH = "《重庆市社会信用条例》（2021年7月1日起施行）"
#: D-14: the re-examination goes to the development and reform department at the level of the
#: public credit service establishment that handled the objection (the municipal platform).
REEXAM_DEPARTMENT = "Chongqing Municipal Development and Reform Commission"
REEXAM_DEPARTMENT_ZH = "重庆市发展和改革委员会"


@dataclass(frozen=True)
class Issuer:
    """Who issues the notices and where the applicant asks questions (``PCIP_NOTICE_*``)."""

    name_zh: str
    name_en: str
    phone: str
    email: str
    address_zh: str
    address_en: str


def issuer() -> Issuer:
    """The operator's published institution and contact, from the settings."""
    s = get_settings()
    return Issuer(
        s.notice_issuer_zh,
        s.notice_issuer_en,
        s.notice_contact_phone,
        s.notice_contact_email,
        s.notice_contact_address_zh,
        s.notice_contact_address_en,
    )


@dataclass(frozen=True)
class CaseText:
    """What every notice says about the case."""

    objection_id: int
    applicant: str
    received: date
    ground: str
    records: Sequence[tuple[int, str, str]]  # (record id, catalog item name zh, name en)


#: One line of what was done (stored in the decision's payload as ``done``): a record changed
#: ``{"changed": id, "outcome": code, "version": n}``, no longer provided ``{"stopped": id,
#: "on": iso day}``, withdrawn ``{"withdrawn": id, "ground": code, "on": iso day}``, or filed
#: under the subject the unit named ``{"refiled": id}``.
Done = Mapping[str, Any]


def changed_line(record_id: int, outcome: str, version: int) -> dict[str, Any]:
    """A record corrected or supplemented (Art. 42(1)-(2)): its new version."""
    return {"changed": record_id, "outcome": outcome, "version": version}


def stopped_line(record_id: int, on: date) -> dict[str, Any]:
    """A record no longer provided (Art. 42(3)) from ``on``."""
    return {"stopped": record_id, "on": on.isoformat()}


def withdrawn_line(record_id: int, ground: str, on: date) -> dict[str, Any]:
    """What happened to one withdrawn record, as the decision stores it for the notice."""
    return {"withdrawn": record_id, "ground": ground, "on": on.isoformat()}


def refiled_line(record_id: int) -> dict[str, Any]:
    """The record was filed under the subject the unit named (who is not told here)."""
    return {"refiled": record_id}


def _done_text(item: Done | str, lang: str) -> str:
    if isinstance(item, str):  # a decision stored before notices had one language each
        return item
    if "changed" in item:
        rid, n = item["changed"], item["version"]
        if lang == "zh_CN":
            done = "已更正" if item["outcome"] == "corrected" else "已补充"
            return f"记录{rid}{done}（第{n}版）。"
        done = "corrected" if item["outcome"] == "corrected" else "supplemented"
        return f"Record {rid} {done} (version {n})."
    if "stopped" in item:
        rid, on = item["stopped"], _day(date.fromisoformat(item["on"]), lang)
        if lang == "zh_CN":
            return f"记录{rid}自{on}起不再提供。"
        return f"Record {rid} is no longer provided from {on}."
    if "withdrawn" in item:
        rid, on = item["withdrawn"], _day(date.fromisoformat(item["on"]), lang)
        zh, en = vocabulary.both("withdrawal_ground", item["ground"], "notice")
        if lang == "zh_CN":
            return f"记录{rid}{zh}，已于{on}从您的信用信息中撤回，不再向任何人提供。"
        return (
            f"Record {rid} {en}: it was withdrawn from your credit information on {on} and is "
            "no longer provided to anyone."
        )
    rid = item["refiled"]
    if lang == "zh_CN":
        return (
            f"记录{rid}所涉及的主体已由信息提供单位指明，该信息已作为新记录归集在其名下，"
            "并注明本异议编号。"
        )
    return (
        f"The providing unit named the subject record {rid} concerns: it has been filed there "
        "as a new record citing this objection."
    )


#: Printed notices: A4, readable type, CJK fonts first (the notice is a legal document).
_STYLE = (
    "body{font-family:'Noto Sans CJK SC','Noto Serif CJK SC','WenQuanYi Zen Hei',"
    "'Microsoft YaHei',sans-serif;max-width:44em;margin:2em auto;padding:0 1em;"
    "line-height:1.7;color:#111}h1{font-size:1.5em;text-align:center}"
    ".notice-issuer{text-align:center;font-weight:bold}"
    "@page{size:A4;margin:2cm}@media print{body{margin:0}}"
)


class _Text:
    """One language's sentences: ``t(zh, en)`` picks this language's."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh_CN" else en


def _day(d: date, lang: str) -> str:
    if lang == "zh_CN":
        return f"{d.year}年{d.month}月{d.day}日"
    return d.isoformat()


def _p(text: str, cls: str = "") -> str:
    return f'<p class="{cls}">{text}</p>' if cls else f"<p>{text}</p>"


def _h(tag: str, text: str, part: str = "") -> str:
    data = f' data-part="{part}"' if part else ""
    return f"<{tag}{data}>{escape(text)}</{tag}>"


def _article(lang: str, body: str) -> str:
    return (
        f'<article class="notice" lang="{_HTML_LANG[lang]}" data-notice-lang="{lang}">'
        f"{body}</article>"
    )


def _both(build: Callable[[str], str]) -> str:
    """The notice as issued: the whole notice in each language, Chinese first."""
    return "".join(_article(lang, build(lang)) for lang in LANGUAGES)


_ARTICLE = re.compile(
    r'<article class="notice" lang="[^"]+" data-notice-lang="(?P<lang>[a-zA-Z_]+)">.*?</article>',
    re.DOTALL,
)


def version(html: str, lang: str) -> str:
    """The notice in ``lang`` (Chinese if it has no such version). A notice issued before
    notices had one language each (paragraphs in both) is returned whole, as issued."""
    found = {m.group("lang"): m.group(0) for m in _ARTICLE.finditer(html)}
    if not found:
        return html
    return found.get(lang) or found[LANGUAGES[0]]


def languages(html: str) -> tuple[str, ...]:
    """The languages the stored notice was issued in (empty: a bilingual legacy notice)."""
    return tuple(m.group("lang") for m in _ARTICLE.finditer(html))


def _head(kind: str, case: CaseText, issued: date, who: Issuer, lang: str) -> str:
    t = _Text(lang)
    title = vocabulary.both("notice", kind, "notice")
    ground_zh, ground_en = vocabulary.both("ground", case.ground, "notice")
    items = "".join(
        "<li>" + escape(t(f"记录{rid}：{zh}", f"Record {rid}: {en}")) + "</li>"
        for rid, zh, en in case.records
    )
    # What the applicant and staff typed is quoted as it is, in any language: marked as data
    # (``translate="no"``), as the portal marks data (docs/web.md, one language per page).
    applicant = _data(case.applicant)
    received = _day(case.received, lang)
    return (
        _p(escape(t(who.name_zh, who.name_en)), "notice-issuer")
        + _h("h1", t(*title))
        + _p(
            escape(
                t(
                    f"异议编号：{case.objection_id} · 出具日期：{_day(issued, lang)}",
                    f"Objection no. {case.objection_id} · issued {_day(issued, lang)}",
                )
            ),
            "notice-date",
        )
        + _p(t(f"致：{applicant}", f"To: {applicant}"))
        + _p(
            escape(
                t(
                    f"您于{received}提出异议，认为下列信息{ground_zh}：",
                    f"Your objection, received on {received}, stated that {ground_en} in:",
                )
            )
        )
        + f"<ul>{items}</ul>"
    )


def _data(text: str) -> str:
    return f'<span translate="no">{escape(text)}</span>'


def _reasons(reasons: str, lang: str) -> str:
    return _h("h2", _Text(lang)("理由", "Reasons")) + f'<p translate="no">{escape(reasons)}</p>'


def _remedies(case: CaseText, lang: str, reexam: bool) -> str:
    """The remedies that exist. Art. 40 para 4: re-examination, online on this portal (the
    case page's form) or in writing at the department's window (staff register it), with no
    time limit (docs/objections.md: the Regulations set none, so the platform sets none);
    Art. 46: a complaint to the providing unit (online on this portal too), administrative
    reconsideration or litigation according to law (outside the platform)."""
    t = _Text(lang)
    n = REEXAM.working_days
    oid = case.objection_id
    out = _h("h2", t("救济途径", "Remedies"), "remedies")
    if reexam:
        out += _p(
            escape(
                t(
                    f"如对本处理不服，您可以向{REEXAM_DEPARTMENT_ZH}申请复核（第四十条第四款）："
                    f"登录本平台信用门户，在“异议”栏目中打开异议{oid}，点击“申请复核”在线提出；"
                    "或者到该部门服务窗口书面提出，并注明本异议编号。"
                    f"该部门自收到复核申请之日起{n}个工作日内完成复核；"
                    "检验、检测、评估或专家评审所需时间不计入（第四十一条第二款）。"
                    "条例未规定申请复核的期限，本平台亦不设期限：本异议归档后仍可申请。"
                    "每件异议可申请复核一次。复核期间，相关信息附异议标注继续提供"
                    "（第四十一条第一款）。",
                    "If you are not satisfied with this handling, you may apply to the "
                    f"{REEXAM_DEPARTMENT} for a re-examination (Article 40(4)): sign in to this "
                    "platform's portal, open objection "
                    f'{oid} under "Objections" and choose "Apply for re-examination"; or apply '
                    "in writing at the department's service "
                    "window, citing this objection number. The department completes the "
                    f"re-examination within {n} working days of receiving your application; "
                    "time needed for inspection, testing, evaluation or expert review is not "
                    "counted (Article 41(2)). The Regulations set no time limit for applying, "
                    "and the platform sets none: you may apply even after this objection is "
                    "closed in the archive. An objection is re-examined once. While the "
                    "re-examination runs, the information stays available with an objection "
                    "label (Article 41(1)).",
                )
            ),
            "remedy-reexam",
        )
    out += _p(
        escape(
            t(
                "如认为信用信息归集、公开、使用中的行政行为侵犯您的合法权益，可以向信息提供单位"
                "投诉（可登录本平台信用门户，在“投诉”栏目中在线提出），也可以依法申请行政复议"
                "或者提起行政诉讼（第四十六条）；行政复议和行政诉讼不通过本平台办理。",
                "If you believe an administrative act in the collection, disclosure or use of "
                "credit information infringes your lawful rights, you may complain to the "
                "providing unit (online too: sign in to this platform's portal and use "
                '"Complaints"), or apply for administrative reconsideration or bring an '
                "administrative lawsuit according to law (Article 46); reconsideration and "
                "lawsuits are not handled through this platform.",
            )
        ),
        "remedy-art46",
    )
    return out


def _contact(who: Issuer, lang: str) -> str:
    """Where to ask questions: the operator's published contact (``PCIP_NOTICE_*``)."""
    t = _Text(lang)
    email = _data(who.email)
    return _h("h2", t("咨询", "Questions"), "contact") + _p(
        t(
            f"对本告知书有疑问的，请联系{escape(who.name_zh)}：电话 {escape(who.phone)}，"
            f"电子邮箱 {email}，地址 {escape(who.address_zh)}。以上联系方式由平台运行机构公布。",
            f"For questions about this notice, contact the {escape(who.name_en)}: telephone "
            f"{escape(who.phone)}, email {email}, address {escape(who.address_en)}. This is "
            "the contact the platform's operator publishes.",
        ),
        "notice-contact",
    )


def _decided_by(name_zh: str, name_en: str, lang: str, article: tuple[str, str]) -> str:
    t = _Text(lang)
    return _p(
        escape(
            t(
                f"作出决定的单位：{name_zh}（{article[0]}）。",
                f"Decided by: {name_en} ({article[1]}).",
            )
        ),
        "notice-decided-by",
    )


def _foot(who: Issuer, issued: date, lang: str) -> str:
    t = _Text(lang)
    return (
        f'<footer><p class="notice-seal">{escape(t(who.name_zh, who.name_en))}</p>'
        f"<p>{escape(_day(issued, lang))}</p>"
        f"<p>{escape(t(REGULATIONS_ZH, REGULATIONS + '.'))}</p></footer>"
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


def _english_articles(text: str) -> str:
    """The vocabulary's notice sentences abbreviate articles ("Art. 42(1)"); a notice spells
    "Article" out."""
    return text.replace("Art. ", "Article ")


def _actions(done: Sequence[Done | str], lang: str) -> str:
    if not done:
        return ""
    return "<ul>" + "".join(f"<li>{escape(_done_text(d, lang))}</li>" for d in done) + "</ul>"


def outcome(
    case: CaseText,
    issued: date,
    outcome: str,
    reasons: str,
    done: Sequence[Done | str],
    unit: str | None = None,
) -> str:
    """Art. 40 para 3: the outcome, its reasons, who decided, the remedies and the contact.

    ``unit``: the providing unit that verified and handled the objection when it was
    transferred (Art. 40 para 2(2)); otherwise the platform decided."""
    who = issuer()

    def build(lang: str) -> str:
        t = _Text(lang)
        zh, en = outcome_sentence(outcome, case.ground)
        if unit:
            decided = _decided_by(unit, unit, lang, ("第四十条第二款第二项", "Article 40(2)(2)"))
            decided += _p(
                escape(
                    t(
                        f"本异议已转交信息提供单位{unit}核查处理；本告知书在其处理结果送达平台时"
                        "即时生成。",
                        f"This objection was transferred to the providing unit {unit}, which "
                        "verified and handled it; this notice was generated as soon as its "
                        "result reached the platform.",
                    )
                )
            )
        else:
            decided = _decided_by(
                who.name_zh, who.name_en, lang, ("第四十条第二款第一项", "Article 40(2)(1)")
            )
        return (
            _head("outcome", case, issued, who, lang)
            + _h("h2", t("处理结果", "Outcome"), "outcome")
            + _p(escape(t(zh, _english_articles(en))))
            + _actions(done, lang)
            + decided
            + _reasons(reasons, lang)
            + _p(
                escape(
                    t(
                        "异议标注已撤除（第四十二条第二款）。",
                        "The objection label has been removed (Article 42(2)).",
                    )
                )
            )
            + _remedies(case, lang, reexam=True)
            + _contact(who, lang)
            + _foot(who, issued, lang)
        )

    return _both(build)


def not_accepted(case: CaseText, issued: date, basis: str, reasons: str) -> str:
    """Art. 41 para 3, D-4: a reasoned notice of non-acceptance (itself re-examinable)."""
    who = issuer()
    why_zh, why = vocabulary.both(
        "decline_basis", "repeat" if basis == "repeat" else "no_legitimate_reason", "notice"
    )

    def build(lang: str) -> str:
        t = _Text(lang)
        return (
            _head("not_accepted", case, issued, who, lang)
            + _h("h2", t("决定", "Decision"), "outcome")
            + _p(
                escape(
                    t(
                        f"不予受理：{why_zh}（第四十一条第三款）。",
                        f"The objection is not accepted: {why} (Article 41(3)).",
                    )
                )
            )
            + _decided_by(who.name_zh, who.name_en, lang, ("第四十一条第三款", "Article 41(3)"))
            + _reasons(reasons, lang)
            + _remedies(case, lang, reexam=True)
            + _contact(who, lang)
            + _foot(who, issued, lang)
        )

    return _both(build)


def reexam_outcome(
    case: CaseText, issued: date, outcome: str, reasons: str, done: Sequence[Done | str] = ()
) -> str:
    """Art. 40 para 4: the re-examination result, notified to the applicant."""
    who = issuer()

    def build(lang: str) -> str:
        t = _Text(lang)
        if outcome == "upheld":
            result = t(
                "复核维持对您异议的处理。",
                "The re-examination upholds the handling of your objection.",
            )
        else:
            zh, en = outcome_sentence(outcome, case.ground)
            result = t(
                "复核变更处理结果：" + zh,
                "The re-examination changes the handling: " + _english_articles(en),
            )
        return (
            _head("reexam_outcome", case, issued, who, lang)
            + _h("h2", t("复核结果", "Result"), "outcome")
            + _p(escape(result))
            + _actions(done, lang)
            + _decided_by(
                REEXAM_DEPARTMENT_ZH,
                "the " + REEXAM_DEPARTMENT,
                lang,
                ("第四十条第四款", "Article 40(4)"),
            )
            + _reasons(reasons, lang)
            + _p(
                escape(
                    t(
                        "复核结果为本异议程序的最终处理，不能再次申请复核。",
                        "The re-examination result concludes this objection: it cannot be "
                        "re-examined again.",
                    )
                )
            )
            + _remedies(case, lang, reexam=False)
            + _contact(who, lang)
            + _foot(who, issued, lang)
        )

    return _both(build)


def status_update(
    case: CaseText, issued: date, state: str, late: Sequence[tuple[str, date]]
) -> str:
    """D-2: by the notice deadline, the status of a case still in handling; ``late``: each
    step past its time limit, ``(deadline code, due day)``."""
    who = issuer()

    def build(lang: str) -> str:
        t = _Text(lang)
        state_words = vocabulary.word("state", state, lang)
        overdue = "".join(
            f'<li data-deadline="{escape(code)}">'
            + escape(
                t(
                    f"{vocabulary.word('deadline', code, lang)}：应于{_day(due, lang)}前完成",
                    f"{vocabulary.word('deadline', code, lang)}: due {_day(due, lang)}",
                )
            )
            + "</li>"
            for code, due in late
        )
        return (
            _head("status_update", case, issued, who, lang)
            + _p(
                escape(
                    t(
                        f"您的异议正在处理中（当前环节：{state_words}），处理结果将另行书面告知，"
                        "届时告知书将载明救济途径。",
                        f"Your objection is being handled (current step: {state_words}). You "
                        "will receive a further written notice with the outcome and the "
                        "remedies open to you.",
                    )
                )
            )
            + (
                _p(escape(t("已超过时限的环节：", "Steps past their time limit:")))
                + f"<ul>{overdue}</ul>"
                if overdue
                else ""
            )
            + _contact(who, lang)
            + _foot(who, issued, lang)
        )

    return _both(build)


def document(fragment: str, lang: str = LANGUAGES[0]) -> str:
    """A stored notice as a complete, printable HTML document in one language (what a
    subject opens or the CLI saves)."""
    body = version(fragment, lang)
    langs = languages(fragment)
    shown = lang if lang in langs else LANGUAGES[0]
    title = vocabulary.both("notice", "outcome", None)
    m = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.DOTALL)
    text = m.group(1) if m else escape(title[0] if shown == "zh_CN" else title[1])
    return (
        f'<!doctype html><html lang="{_HTML_LANG[shown]}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{text}</title><style>{_STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )
