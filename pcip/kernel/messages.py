"""Coded messages: what the services say to a person, in both languages (issue 19.3).

A service that refuses or rejects something raises an error whose message is a
:class:`Message`: a code (``"restoration.case_open"``) and its parameters. The wording of
each code is in :data:`MESSAGES`, Simplified Chinese and English side by side, like the words
of :mod:`pcip.kernel.vocabulary` (the same table for codes of states, events, grounds...):

* a web page renders the message in the visitor's language (``pcip.web.i18n``);
* the API keeps its JSON shape: the machine-readable ``code`` of the error class and the
  ``message`` in English (or in Chinese when the request prefers it, ``Accept-Language``);
* the CLI, the logs and a batch's report read it as the English text.

A :class:`Message` *is* its English text (a ``str``), so code that formats, logs or compares a
message keeps working; the code and parameters ride along for whoever renders it in another
language. A parameter may be a :class:`Term` (a code of the vocabulary, rendered as its word
in the reader's language) or another :class:`Message`; anything else is shown as it is (an id,
a date, a number, a name: data).

Wordings use ``{name}`` placeholders; every place that raises a code passes the placeholders
of both its wordings (``tests/test_messages.py`` checks it, and that every code the code base
raises has both wordings). Article references are written as each language writes them:
第四十条第二款 in Chinese, "Art. 40 para 2" in English.

This module is part of the kernel: it imports nothing from ``pcip`` but the vocabulary.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Any

from pcip.kernel.vocabulary import Form, word


@dataclass(frozen=True, slots=True)
class M:
    """A code's wording: Chinese and English, with ``{name}`` placeholders."""

    zh: str
    en: str

    def text(self, locale: str) -> str:
        return self.en if locale.lower().startswith("en") else self.zh


@dataclass(frozen=True, slots=True)
class Term:
    """A vocabulary code as a parameter: shown as its word in the reader's language."""

    kind: str
    code: str
    #: The form of the word (``"action"``: what an event does, as a refusal says it).
    form: Form | None = None

    def render(self, locale: str) -> str:
        return word(self.kind, self.code, locale, self.form)

    def __str__(self) -> str:
        return self.render("en")


@dataclass(frozen=True, slots=True)
class Either:
    """Alternatives as a parameter: "a or b" / "a或b"."""

    options: list[Any]

    def render(self, locale: str) -> str:
        sep = " or " if locale.lower().startswith("en") else "或"
        return sep.join(_value(v, locale) for v in self.options)

    def __str__(self) -> str:
        return self.render("en")


@dataclass(frozen=True, slots=True)
class Both:
    """A name the data gives in both languages (a list type's name) as a parameter."""

    zh: str
    en: str

    def render(self, locale: str) -> str:
        return self.en if locale.lower().startswith("en") else self.zh

    def __str__(self) -> str:
        return self.en


class Message(str):
    """A coded message; as a ``str``, its English text."""

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, /, **params: Any) -> Message:
        if key not in MESSAGES:
            raise KeyError(f"no wording for message code {key!r} in pcip.kernel.messages")
        obj = super().__new__(cls, _format(MESSAGES[key].en, params, "en"))
        obj.key = key
        obj.params = params
        return obj

    def render(self, locale: str) -> str:
        """The message in ``locale`` (``zh_CN`` or ``en``)."""
        return _format(MESSAGES[self.key].text(locale), self.params, locale)

    def as_json(self) -> dict[str, Any]:
        """The code and parameters as JSON (a rejected row's reasons, kept in the ledger)."""
        return {"key": self.key, "params": {k: _encode(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Message | None:
        """The message :meth:`as_json` kept, or None if its code has no wording (any more)."""
        key = data.get("key")
        if not isinstance(key, str) or key not in MESSAGES:
            return None
        try:
            return cls(key, **{k: _decode(v) for k, v in (data.get("params") or {}).items()})
        except (KeyError, TypeError, ValueError, IndexError):
            return None

    def __reduce__(self) -> tuple[Any, ...]:  # pickles (a worker's result) keep the code
        return (_rebuild, (self.key, self.params))


def _rebuild(key: str, params: dict[str, Any]) -> Message:
    return Message(key, **params)


def _encode(value: Any) -> Any:
    if isinstance(value, Message):
        return {"message": value.as_json()}
    if isinstance(value, Term):
        return {"term": [value.kind, value.code, value.form]}
    if isinstance(value, Both):
        return {"both": [value.zh, value.en]}
    if isinstance(value, Either):
        return {"either": [_encode(v) for v in value.options]}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return value if isinstance(value, int | float | bool) or value is None else str(value)


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        if "message" in value:
            return Message.from_json(value["message"]) or ""
        if "term" in value:
            return Term(*value["term"])
        if "both" in value:
            return Both(*value["both"])
        if "either" in value:
            return Either([_decode(v) for v in value["either"]])
    return value


def msg(key: str, /, **params: Any) -> Message:
    """The message ``key`` with ``params`` (what services raise)."""
    return Message(key, **params)


def render(text: str, locale: str) -> str:
    """``text`` in ``locale`` if it is a coded message; otherwise as it is."""
    return text.render(locale) if isinstance(text, Message) else text


def _value(value: Any, locale: str) -> str:
    if isinstance(value, Message | Term | Either | Both):
        return value.render(locale)
    if isinstance(value, list | tuple):
        sep = "、" if not locale.lower().startswith("en") else ", "
        return sep.join(_value(v, locale) for v in value)
    return str(value)


def _format(wording: str, params: dict[str, Any], locale: str) -> str:
    return wording.format(**{k: _value(v, locale) for k, v in params.items()})


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1-999 in Chinese numerals, as articles are numbered (第二十二条)."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = (
        ""
        if rest == 0
        else ("零" if rest < 10 else "")
        + (
            "一十" + (_DIGITS[rest % 10] if rest % 10 else "")
            if 10 <= rest < 20
            else chinese_number(rest)
        )
    )
    return _DIGITS[n // 100] + "百" + tail


_ARTICLE = re.compile(
    r"\bArts?\.\s*(\d+)(?:\s*(?:-|–|to)\s*(\d+))?(?:\s+para\.?\s*(\d+))?(?:\s*\((\d+)\))?"
)


def cite(text: str, locale: str) -> str:
    """An article reference in ``locale``: "Art. 40 para 2(1)" stays as it is in English and
    becomes 第四十条第二款第（一）项 in Chinese; "Arts. 40-42" becomes 第四十条至第四十二条.
    Other text is left as it is."""
    if locale.lower().startswith("en"):
        return text

    def zh(m: re.Match[str]) -> str:
        out = f"第{chinese_number(int(m.group(1)))}条"
        if m.group(2):
            out += f"至第{chinese_number(int(m.group(2)))}条"
        if m.group(3):
            out += f"第{chinese_number(int(m.group(3)))}款"
        if m.group(4):
            out += f"第（{chinese_number(int(m.group(4)))}）项"
        return out

    return _ARTICLE.sub(zh, text).replace("; ", "；").replace(", ", "、")


def placeholders(wording: str) -> set[str]:
    """The ``{name}`` placeholders of a wording."""
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(wording) if name}


#: code -> wording. Codes are ``<area>.<what>``; ``common.*`` are shared by several areas.
MESSAGES: dict[str, M] = {
    # Shared.
    "common.sign_in_as_subject": M("请以信用主体身份登录", "sign in as a credit subject"),
    "common.no_subject": M("没有编号为 {id} 的主体", "no subject {id}"),
    "common.no_record": M("不存在编号为 {id} 的信息记录", "no record {id}"),
    "common.no_record_of_subject": M(
        "该主体没有编号为 {id} 的记录", "no record {id} of this subject"
    ),
    "common.length_between": M("应为 {low} 至 {high} 个字符", "{low} to {high} characters"),
    "common.at_most_chars": M("最多 {n} 个字符", "at most {n} characters"),
    "common.in_future": M("不能晚于今天", "cannot be in the future"),
    "common.not_before": M("不能早于 {day}", "cannot be before {day}"),
    "common.cannot_step_in_state": M(
        "当前状态为“{state}”，不能执行“{step}”", "cannot {step_code} a case in state '{state_code}'"
    ),
    # Restoration (Art. 44-45).
    "restoration.name_one_target": M("请指明一条记录或一项名单", "name one record or one listing"),
    "restoration.only_untrustworthiness": M(
        "只有失信信息可以申请信用修复", "only untrustworthiness information can be restored"
    ),
    "restoration.record_not_provided": M(
        "记录 {id} 已不再提供（{why}）", "record {id} is no longer provided ({why})"
    ),
    "restoration.no_listing": M("该主体没有编号为 {id} 的名单", "no listing {id} of this subject"),
    "restoration.listing_not_in_force": M("名单 {id} 不在有效期内", "listing {id} is not in force"),
    "restoration.imported_list": M(
        "从其他机关导入的名单，由该机关办理信用修复",
        "a list imported from another authority is restored by that authority",
    ),
    "restoration.subject_channel": M(
        "信用主体通过网站或系统接口提出申请", "a subject applies online or through the API"
    ),
    "restoration.own_records": M(
        "信用主体只能为本人的信息申请", "a subject applies for its own records"
    ),
    "restoration.name_subject": M(
        "请指明申请所针对的主体", "name the subject the application is for"
    ),
    "restoration.correction_length": M(
        "请说明如何纠正失信行为、履行义务（10 至 4000 个字符）",
        "say how the conduct was corrected and the obligations performed (10 to 4000 characters)",
    ),
    "restoration.case_open": M(
        "针对该信息的信用修复申请 {id} 仍在办理中",
        "restoration case {id} for it is still open",
    ),
    "restoration.too_early": M(
        "最短公示期届满后方可申请信用修复：自 {day} 起",
        "restoration can be requested only after the minimum publicity period: from {day}",
    ),
    "restoration.no_materials_requested": M("未要求补充材料", "no materials were requested"),
    # Complaints (Art. 46) and legal cases.
    "complaints.not_about": M(
        "所指明的条目中有不属于投诉人的", "one of {field} is not about the complainant"
    ),
    "complaints.no_complaint_id": M("没有编号为 {id} 的投诉", "no complaint {id}"),
    "complaints.own_complaints": M(
        "信用主体只能提出本人的投诉", "a subject lodges its own complaints"
    ),
    "complaints.step_not_now": M(
        "投诉 {id} 当前为“{state}”，现在不能转为“{step}”",
        "complaint {id} is {state_code}: it cannot be {step_code} now",
    ),
    "complaints.only_market_redirected": M(
        "只有市场信用信息争议可以转由相关机构处理（第四十六条第二款）",
        "only a dispute over market credit information is redirected (Art. 46 para 2)",
    ),
    "complaints.step_day": M(
        "办理日期应在 {first} 至今天之间", "the step's day must be from {first} to today"
    ),
    "complaints.not_about_subject": M(
        "所指明的条目中有不属于主体 {id} 的", "one of {field} is not about subject {id}"
    ),
    "complaints.filing_in_future": M("立案日期晚于今天", "the filing day is in the future"),
    "complaints.no_complaint": M(
        "该主体没有编号为 {id} 的投诉", "no complaint {id} of this subject"
    ),
    "complaints.no_case": M("没有编号为 {id} 的案件", "no case {id}"),
    "complaints.case_decided": M("案件 {id} 已作出决定", "case {id} is already decided"),
    "complaints.decision_day": M(
        "决定日期应在 {first} 至今天之间", "the decision's day must be from {first} to today"
    ),
    "complaints.name_application_or_designation": M(
        "请指明一项惩戒措施适用或一项名单认定",
        "name either a measure application or a designation",
    ),
    "complaints.case_not_concerning": M(
        "案件 {id} 与 {target} {target_id} 无关", "case {id} does not concern {target} {target_id}"
    ),
    "complaints.suspension_before_document": M(
        "中止不能早于其文书日期", "the suspension cannot begin before its document"
    ),
    # Lists (Art. 30-33).
    "lists.wrong_state": M(
        "不能{step}：认定 {id} 当前为“{state}”，应为“{wanted}”",
        "cannot {step_code}: designation {id} is {state_code}, it must be {wanted_codes}",
    ),
    "lists.imported_elsewhere": M(
        "{list}由其他机关认定，以文件导入，不在此认定",
        "{list} is decided elsewhere and imported as a file, not designated here",
    ),
    "lists.one_identifier": M(
        "请用统一社会信用代码或身份证号码中的一项指明主体",
        "name the subject by exactly one of uscc or citizen_id",
    ),
    "lists.organisations_only": M("{list}只列入单位", "{list} lists organisations only"),
    "lists.department_staff_only": M(
        "只有部门工作人员可以认定", "only a department's staff designate"
    ),
    "lists.already_covered": M(
        "认定 {id} 已涵盖该主体的案件 {case}",
        "designation {id} already covers case {case} for this subject",
    ),
    "lists.receipt_today": M("收到日期为今天", "the receipt date is today's"),
    "lists.persons_for_organisations": M(
        "只有单位的名单认定可以列明相关人员", "only an organisation's listing names persons"
    ),
    "lists.notice_not_served": M(
        "不能作出决定：尚未送达列入前告知",
        "cannot decide: the pre-designation notice was not served",
    ),
    "lists.statement_window": M(
        "不能作出决定：陈述申辩期至 {day} 届满",
        "cannot decide: the statement window runs until {day}",
    ),
    "lists.answer_statement": M(
        "不能作出决定：请先答复主体的陈述申辩",
        "cannot decide: answer the subject's statement first",
    ),
    "lists.removal_required": M(
        "决定书应载明移出条件和程序（第三十二条）",
        "the decision must state the removal conditions and procedure (Art. 32)",
    ),
    "lists.remedies_required": M(
        "决定书应载明救济途径（第三十二条）", "the decision must state the remedies (Art. 32)"
    ),
    # Ingestion: the reasons a row is rejected (Art. 16, 19-23), shown in the batch report.
    "records.required": M("缺少{label}（{field}）", "{field} ({label}) is required"),
    "records.invalid": M("{field} 无效：{why}", "{field} {why}"),
    "records.name_required": M("缺少主体名称", "the subject's name is required"),
    "records.persons_only": M(
        "{item}只适用于自然人", "item {item} applies to natural persons only"
    ),
    "records.registration_no_needed": M(
        "未报送统一社会信用代码的个体工商户，须报送注册号",
        "an individual business reported without a USCC needs its registration number",
    ),
    "records.uscc_missing": M(
        "法人和非法人组织只按统一社会信用代码匹配（第十九条）；缺少统一社会信用代码",
        "a legal person or organisation is matched only by its USCC (Art. 19); the USCC is missing",
    ),
    "records.placeholder_uscc": M(
        "全零占位统一社会信用代码只用于个体工商户",
        "the all-zero placeholder USCC is only for individual businesses",
    ),
    "records.document_number_missing": M(
        "自然人按身份证件号码匹配（第十九条）；缺少证件号码",
        "a natural person is matched by an ID document number (Art. 19); it is missing",
    ),
    "records.basis_number_needed": M(
        "失信信息须报送认定文书编号（第二十一条）",
        "negative information needs its basis document number (Art. 21)",
    ),
    "records.basis_issuer_date_needed": M(
        "认定文书须载明作出机关和决定日期（第二十一条）",
        "the basis document needs its issuer and decision date (Art. 21)",
    ),
    "records.decision_in_future": M(
        "决定日期 {day} 晚于今天（第二十一条）",
        "the decision date {day} is in the future (Art. 21)",
    ),
    "records.not_yet_effective": M(
        "认定文书于 {day} 生效，尚未生效；生效后再报送（第二十一条）",
        "the basis document takes effect on {day}, in the future; submit it once it is "
        "effective (Art. 21)",
    ),
    "records.from_v1_column": M(
        "{reason}（读自第1版列 {column}）", "{reason} (read from the version-1 column {column})"
    ),
    "records.other_subject": M(
        "该文书编号已登记在另一主体名下，记录不在主体之间移动（第十九条）。如误报于错误主体，"
        "对其提出的异议按“撤回”处理：记录从该主体撤回，贵单位报送正确主体后归入其名下，"
        "此行即可接收",
        "this document number is already recorded for another subject, and a record never "
        "moves between subjects (Art. 19). If it was filed against the wrong subject, an "
        "objection about it is decided 'withdrawn': the record is withdrawn from that subject "
        "and, when your unit names the right one, filed under it, after which this row is "
        "accepted for it (docs/objections.md, 'A record filed against the wrong subject')",
    ),
    "records.other_subject_in_batch": M(
        "该文书编号已在本批次中用于另一主体，记录不在主体之间移动（第十九条）。如误报于错误主体，"
        "对其提出的异议按“撤回”处理：记录从该主体撤回，贵单位报送正确主体后归入其名下，"
        "此行即可接收",
        "this document number is already used in this batch for another subject, and a record "
        "never moves between subjects (Art. 19). If it was filed against the wrong subject, an "
        "objection about it is decided 'withdrawn': the record is withdrawn from that subject "
        "and, when your unit names the right one, filed under it, after which this row is "
        "accepted for it (docs/objections.md, 'A record filed against the wrong subject')",
    ),
    "records.same_number_in_batch": M(
        "本批次前面一行的文书编号相同而内容不同；请只报送该记录的一个版本",
        "an earlier row of this batch has the same document number with different content; "
        "submit one version of the record",
    ),
    # Governance (Art. 17, 35-36): change proposals and their public consultation.
    "governance.no_proposal": M("没有编号为 {id} 的变更提案", "no change proposal {id}"),
    "governance.wrong_state": M(
        "提案 {id} 当前为“{state}”：“{step}”要求其为“{wanted}”",
        "proposal {id} is {state_code}: '{step_code}' needs it {wanted_codes}",
    ),
    "governance.other_department": M(
        "提案 {id} 属于其他部门", "proposal {id} belongs to another department"
    ),
    "governance.item_needs_data": M(
        "新增或替换的事项须附其数据", "an added or replaced item needs its data"
    ),
    "governance.amend_state": M(
        "提案 {id} 当前为“{state}”：只有草稿或已退回的提案可以修改",
        "proposal {id} is {state_code}: only a draft or a returned one is amended",
    ),
    "governance.citation_needed": M(
        "提案须引用其所依据的地方性法规中信用管理（惩戒措施：惩戒）条款（第十七条、第三十五条）",
        "a proposal cites the credit-management (for measures: punishment) provision of a "
        "local regulation that it rests on (Art. 17, 35)",
    ),
    "governance.justification_needed": M(
        "惩戒措施提案须说明其关联性和比例性（第三十六条）",
        "a measure proposal states its relevance and proportionality (Art. 36)",
    ),
    "governance.not_open": M("提案 {id} 未在征求意见", "proposal {id} is not open for comment"),
    "governance.no_comment": M("没有编号为 {id} 的意见", "no comment {id}"),
    "governance.hidden_reason": M(
        "隐藏的意见须保留隐藏理由", "a hidden comment keeps the reason it is hidden"
    ),
    "governance.answer_shown_only": M(
        "意见 {id} 未公开：只答复公开的意见",
        "comment {id} is not shown: only a shown comment is answered",
    ),
    "governance.period_runs": M("征求意见期至 {day} 届满", "the comment period runs until {day}"),
    "governance.await_moderation": M(
        "意见 {ids} 尚待审核", "comment(s) {ids} still await moderation"
    ),
    "governance.not_answered": M("意见 {ids} 尚未答复", "comment(s) {ids} are not answered yet"),
    "governance.approval_date": M("批准须登记文件日期", "an approval records the document's date"),
    "governance.approval_in_future": M("批准日期晚于今天", "the approval date is in the future"),
    "governance.rejection_reason": M("不予批准须登记理由", "a rejection records its reason"),
    "governance.no_approval": M(
        "没有市人民政府的批准文件", "no approval document of the municipal government"
    ),
    "governance.effective_in_past": M(
        "版本不能自过去的日期起施行", "a version does not take effect in the past"
    ),
    # Objections (Art. 40-42).
    "objections.wrong_state": M(
        "异议当前为“{state}”，不能{action}（仅在“{allowed}”时可以）",
        # The English names the states by their codes, as the API always has.
        "the objection is '{state_code}': cannot {action} (allowed only when {allowed_codes})",
    ),
    "objections.send_notice": M("出具{notice}", "send the {notice}"),
    "objections.received_once": M("异议只受理一次", "an objection is received once"),
    "objections.reexamined_once": M(
        "该异议已经复核：复核结果即终结异议程序（第四十条第四款）；仍可投诉、申请行政复议或者"
        "提起行政诉讼（第四十六条）",
        "this objection was already re-examined: the re-examination result ends the objection "
        "procedure (Art. 40 para 4); a complaint, administrative reconsideration or litigation "
        "remain (Art. 46)",
    ),
    "objections.name_a_record": M(
        "异议须指明至少一条信息记录（第四十条）",
        "an objection must name at least one record (Art. 40)",
    ),
    "objections.record_id_range": M(
        "记录编号 {id} 超出范围（1 至 {max}）", "record id {id} is out of range (1 to {max})"
    ),
    "objections.not_own_record": M(
        "该主体没有编号为 {id} 的记录（第四十条：信用主体对本人的信息提出异议）",
        "no record {id} about this subject (Art. 40: a subject objects to its own information)",
    ),
    "objections.own_information_only": M(
        "信用主体只能对本人的信息提出异议（第四十条）",
        "a subject objects to its own information only (Art. 40)",
    ),
    "objections.receipt_time": M(
        "收件时间须为带时区的时刻，且不晚于现在",
        "the receipt time must be a time-zone-aware instant, not in the future",
    ),
    "objections.no_objection": M("没有编号为 {id} 的异议", "no objection {id}"),
    "objections.no_notice": M(
        "异议 {objection} 中没有编号为 {id} 的告知书", "no notice {id} in objection {objection}"
    ),
    "objections.no_evidence": M(
        "异议 {objection} 中没有编号为 {id} 的证据材料", "no evidence {id} in objection {objection}"
    ),
    "objections.not_a_repeat": M(
        "该异议未被认定为重复已办结的异议（D-4）：请以无正当理由不予受理，或予以办理",
        "this objection was not found to repeat a concluded one (D-4); refuse it for having "
        "no legitimate reason, or handle it",
    ),
    "objections.name_the_unit": M(
        "所涉记录来自多个信息提供单位：请指明转送的单位",
        "the records come from several providing units: name the one to transfer to",
    ),
    "objections.no_unit": M("没有编号为 {id} 的信息提供单位", "no providing unit {id}"),
    "objections.unit_provided_none": M(
        "信息提供单位 {id} 未提供任何所涉记录（第四十条第二款第（二）项：案件转送提供记录的单位）",
        "providing unit {id} provided none of the disputed records (Art. 40 para 2(2): the "
        "case goes to the unit that provided them)",
    ),
    "objections.pause_evidence": M(
        "中止计时须附证明材料（D-3）", "a pause needs supporting evidence (D-3)"
    ),
    # --- casewords (issue 19.3): objections' case history, decisions, corrections, effects and
    # evidence files; revocation (Art. 44). ---
    # The values of an event's details as a case history words them (pcip.objections.history).
    "objections.history.record": M("记录 {ids}", "record {ids}"),
    "objections.history.records": M("记录 {ids}", "records {ids}"),
    "objections.history.file": M("文件 {ids}", "file {ids}"),
    "objections.history.files": M("文件 {ids}", "files {ids}"),
    "objections.history.objection": M("异议 {id}", "objection {id}"),
    "objections.history.subject": M("信用主体 {id}", "subject {id}"),
    "objections.history.notice_no": M("第 {id} 号", "no. {id}"),
    "objections.history.yes": M("是", "Yes"),
    "objections.history.no": M("否", "No"),
    "objections.history.version": M("记录 {id}：第 {version} 版", "record {id}: version {version}"),
    "objections.history.change": M("记录 {id} 的{field}：", "record {id}, {field}: "),
    "objections.history.label_held": M(
        "记录 {id} 仍因其他异议保留标注", "record {id} keeps the label for another objection"
    ),
    "objections.history.withdrawn": M("{ground}：记录 {ids}", "{ground}: records {ids}"),
    "objections.history.filed_right": M("已归集至正确的主体名下", "filed under the right subject"),
    "objections.history.reexam_clock": M("复核时限", "Re-examination time limit"),
    "objections.history.handling_clock": M("办理时限", "Handling time limit"),
    # Objections: what every step checks (pcip.objections.casework).
    "objections.required": M("请填写{label}", "{field} is required"),
    "objections.too_long": M(
        "最多 {limit} 个字符，现为 {n} 个", "at most {limit} characters, not {n}"
    ),
    "objections.not_one_of": M(
        "“{value}”不是可选的值（可选：{choices}）", "'{value}' is not one of: {allowed}"
    ),
    "objections.desk_channel": M(
        "“{value}”不是可选的渠道（可选：{choices}；在网站或者通过接口提出的申请由信用主体本人提交）",
        "'{value}' is not one of: {allowed} (an application made on the website or the API is "
        "filed by the subject itself)",
    ),
    "objections.no_alert": M("没有编号为 {id} 的异议提醒", "no objection alert {id}"),
    "objections.no_step": M("没有名为“{name}”的步骤", "no step '{name}'"),
    # Objections: decisions and their withdrawals (Art. 19, 21, 42).
    "objections.refile_name_subject": M(
        "请以统一社会信用代码、公民身份号码或者证件类型和证件号码指明正确的主体",
        "name the right subject by uscc, citizen_id or document_type and document_number",
    ),
    "objections.withdrawal_ground": M(
        "撤回须写明理由：归集主体错误或者依据错误",
        "a withdrawal names its ground: wrong_subject or wrong_basis",
    ),
    "objections.record_not_named": M(
        "本异议未涉及记录 {id}", "record {id} is not named by this objection"
    ),
    "objections.refile_wrong_basis": M(
        "只有归集主体错误的记录才改为归集至其他主体；依据错误的记录予以撤回（由提供单位以正确的依据"
        "重新报送）",
        "only a record filed against the wrong subject is filed again elsewhere; one on a "
        "wrong basis is withdrawn (the unit submits it afresh with its right basis)",
    ),
    "objections.outcome_needs_changes": M(
        "“{outcome}”须写明更改的内容（第四十二条第一项、第二项）",
        "a record {outcome_code} needs its changes (Art. 42(1)-(2))",
    ),
    "objections.outcome_changes_nothing": M(
        "处理结果“{outcome}”不更改信息内容：只有更正或者补充才更改",
        "the outcome '{outcome_code}' changes no record content: only 'corrected' or "
        "'supplemented' do",
    ),
    "objections.withdrawal_only_withdrawn": M(
        "只有处理结果为撤回时才填写撤回事项", "a withdrawal goes with the outcome 'withdrawn' only"
    ),
    # Objections: a unit's own corrections (Art. 42 para 3).
    "objections.unit_must_name": M(
        "信息提供单位须指明本单位（第四十二条第三款）",
        "a providing unit's principal must name its unit (Art. 42 para 3)",
    ),
    "objections.correction_changes_nothing": M(
        "“{outcome}”不更改信息内容", "a record {outcome_code} changes no record content"
    ),
    "objections.correction_needs_changes": M(
        "“{outcome}”须写明更改的内容", "a record {outcome_code} needs its changes"
    ),
    "objections.own_records_only": M(
        "信息提供单位只能更正本单位提供的信息（第四十二条第三款）",
        "a providing unit corrects only information it provided (Art. 42 para 3)",
    ),
    "objections.already_withdrawn": M("记录 {id} 已经撤回", "record {id} is already withdrawn"),
    "objections.already_stopped": M(
        "记录 {id} 已经停止提供", "record {id} is already no longer provided"
    ),
    # Objections: changes to a record and refiling (pcip.objections.effects).
    "objections.not_a_field": M(
        "{name} 不是信息项 {item} 的字段", "{name} is not a field of item {item}"
    ),
    "objections.field_value": M("{label}：{reason}", "{name} {reason}"),
    "objections.field_fixed": M(
        "{label}（{name}）用于识别主体或者依据文书，不在此更正（第十九条：信息不在主体之间移动；"
        "第四十四条：依据文书被撤销或者变更另有程序）",
        "{name} ({label}) identifies the subject or the basis document: it is not corrected "
        "here (Art. 19: a record never moves between subjects; Art. 44: a revoked or amended "
        "basis document is its own procedure)",
    ),
    "objections.field_personal": M(
        "{label}（{name}）是个人身份标识，仅以遮蔽形式保存：请在来源处更正主体身份",
        "{name} is a personal identifier, stored only masked: correct the subject's identity "
        "at its source",
    ),
    "objections.name_a_field": M("请至少指明一个要更改的字段", "name at least one field to change"),
    "objections.nothing_changed": M(
        "更改后记录 {id} 与原记录相同", "the changes leave record {id} as it is"
    ),
    "objections.refile_same_id_type": M(
        "该记录以{id_type}归集：请以同类标识指明正确的主体（或者由提供单位重新报送）",
        "the record was filed under a {id_type_code} identifier: name the right subject by the "
        "same kind of identifier (or the unit submits the record afresh)",
    ),
    "objections.refile_same_subject": M(
        "这正是该记录原归集的主体：请指明信息所涉及的主体",
        "that is the subject the record was filed against: name the subject it concerns",
    ),
    "objections.refile_number_too_long": M(
        "该记录的文书编号过长，无法改为归集", "the record's document number is too long to refile"
    ),
    "objections.already_refiled": M(
        "记录 {id} 已改为归集为记录 {taken}",
        "record {id} was already filed again as record {taken}",
    ),
    "objections.paper_before_notice": M(
        "申请不能早于其所针对的告知书送达（{day}）",
        "the application cannot have arrived before the notice it answers ({day})",
    ),
    # Evidence files (pcip.objections.evidence).
    "evidence.too_many": M(
        "每次最多 {max} 个文件，现为 {n} 个", "at most {max} files at a time, not {n}"
    ),
    "evidence.name_length": M(
        "文件名须为 1 至 255 个字符", "a file needs a name of 1 to 255 characters"
    ),
    "evidence.empty": M("{name} 是空文件", "{name} is empty"),
    "evidence.too_large": M(
        "{name} 大小为 {size} 字节；单个文件最多 {max} 字节（10 兆字节）",
        "{name} is {size} bytes; a file may have at most {max} bytes (10 MB)",
    ),
    "evidence.wrong_type": M(
        "{name} 不是可接受的类型（{types}，或 {encoding} 编码的文本）：无论文件名如何，其内容不符",
        "{name} is not one of the accepted types ({types}, text in {encoding}): its content "
        "says otherwise, whatever its name",
    ),
    "evidence.wrong_suffix": M(
        "{name} 的内容为 {kind}，但扩展名为“{suffix}”（应为 {expected}）",
        "{name} holds {kind} content but is named '{suffix}' (expected {expected})",
    ),
    "evidence.declared_otherwise": M(
        "{name} 申报为 {declared}，但其内容为 {kind}",
        "{name} was declared {declared} but its content is {kind}",
    ),
    "evidence.missing": M(
        "证据文件 {name} 不在平台的文件目录中（数据库恢复时未一并恢复文件？）：请稍后再试",
        "evidence file {name} ({path}) is missing from the platform's files directory (not "
        "restored with the database?); try again later",
    ),
    # Revocation and amendment of basis documents (Art. 44).
    "revocation.no_basis": M(
        "没有 {issuer} 的依据文书 {number}", "no basis document {number} of {issuer} is on file"
    ),
    "revocation.no_designation": M("没有编号为 {id} 的认定", "no designation {id}"),
    "revocation.not_your_basis": M(
        "本单位没有该发文机关和文号的依据文书",
        "no basis document of your unit under that issuer and number",
    ),
    "revocation.empty_document": M("上传的文书是空文件", "the uploaded document is empty"),
    "revocation.before_document": M(
        "变更不能早于其文书日期（{day}）生效",
        "the change cannot take effect before its document ({day})",
    ),
    "revocation.document_in_future": M("文书日期晚于今天", "the document's date is in the future"),
    "revocation.document_needed": M(
        "请上传文书或者注明文书出处", "upload the document or give a reference to it"
    ),
    "revocation.already_revoked": M(
        "依据文书 {number} 已被撤销（变更 {change}）",
        "basis document {number} was already revoked (change {change})",
    ),
    "revocation.nothing_rests": M(
        "平台上没有以依据文书 {number} 为依据的信息",
        "nothing on the platform rests on basis document {number}",
    ),
    "revocation.new_number": M(
        "变更后的依据须有其自己的文号（原文书仍保留）",
        "the changed basis needs its own number (the original stays on file)",
    ),
    "revocation.basis_on_file": M(
        "{issuer} 的依据文书 {number} 已在平台上",
        "basis document {number} of {issuer} is already on file",
    ),
    "revocation.needs_new_basis": M(
        "变更须写明变更后的依据文书", "a change names the basis document as changed"
    ),
    "revocation.no_new_basis": M(
        "只有变更才有新的依据文书", "only a change (not a revocation) has a new basis"
    ),
    "revocation.no_change": M("没有编号为 {id} 的依据变更", "no basis change {id}"),
    # --- version reasons (issue 19.3): why a record's version exists, when the platform
    # composed the reason (pcip.records.reasons); the staff's own words follow as a note.
    "records.version_objection": M(
        "异议 {id} {stage}：{outcome}", "objection {id} {stage}: {outcome}"
    ),
    "records.version_correction": M("更正申请 {id}：{outcome}", "correction {id}: {outcome}"),
    "records.version_refiled_objection": M(
        "异议 {id} {stage}：该信息原误记于其他主体名下，已从该主体撤回并记入本主体",
        "objection {id} {stage}: filed under this subject; it had been filed in error against "
        "another subject and was withdrawn from it",
    ),
    "records.version_refiled_correction": M(
        "更正申请 {id}：该信息原误记于其他主体名下，已从该主体撤回并记入本主体",
        "correction {id}: filed under this subject; it had been filed in error against another "
        "subject and was withdrawn from it",
    ),
    # Identifiers (Art. 19): citizen identity numbers (GB 11643-1999), USCCs (GB 32100-2015)
    # and other identity documents; a reason says what is wrong and, for a check character,
    # which character it should be.
    "identity.empty": M("未填写", "value is empty"),
    "identity.length": M("长度为 {n} 位，应为 18 位", "length is {n}, expected 18"),
    "identity.not_a_digit": M(
        "第 {pos} 位的字符 {ch} 不是数字", "character {ch} at position {pos} is not a digit"
    ),
    "identity.check_character": M(
        "校验码为 {got}，应为 {want}", "check character is {got}, should be {want}"
    ),
    "identity.birth_not_a_date": M(
        "出生日期 {d} 不是真实的日期", "birth date {d} is not a real date"
    ),
    "identity.birth_after_today": M(
        "出生日期 {d} 晚于今天（{today}）", "birth date {d} is after today ({today})"
    ),
    "identity.birth_too_early": M(
        "出生日期 {d} 早于 {earliest}", "birth date {d} is before {earliest}"
    ),
    "identity.region_unknown": M(
        "行政区划代码 {code} 不在国家标准行政区划代码（GB/T 2260）中",
        "region code {code} is not a GB/T 2260 code",
    ),
    "identity.region_abolished": M(
        "行政区划代码 {code}（{name}）已于 {last_year} 年后撤销，早于出生年份 {birth_year}",
        "region code {code} ({name}) was abolished after {last_year}, before the birth year "
        "{birth_year}",
    ),
    "identity.uscc_alphabet": M(
        "第 {pos} 位的字符 {ch} 不是统一社会信用代码可用的字符"
        "（数字和除 I、O、S、V、Z 以外的大写字母）",
        "character {ch} at position {pos} is not in the USCC alphabet (digits and capital "
        "letters except I, O, S, V, Z)",
    ),
    "identity.uscc_placeholder": M(
        "00000000000000000X 是未取得统一社会信用代码的个体工商户的占位代码，应改为报送其注册号",
        "00000000000000000X is the placeholder reported for individual businesses without a "
        "USCC; the business registration number is required instead",
    ),
    "identity.uscc_authority": M(
        "登记管理部门代码 {code} 不在国家标准（GB 32100-2015）所定义的代码中"
        "（应为 1-9、A、N 或 Y）",
        "registration authority code {code} is not defined in GB 32100-2015 (expected 1-9, A, "
        "N or Y)",
    ),
    "identity.character_not_allowed": M(
        "第 {pos} 位的字符 {ch} 既不能用于公民身份号码，也不能用于统一社会信用代码",
        "character {ch} at position {pos} is not allowed in a citizen identity number or a USCC",
    ),
    "identity.document_type_unknown": M(
        "证件类型 {value} 无法识别（应为以下之一：{allowed}）",
        "document type {value} is not known (expected one of: {allowed})",
    ),
    "identity.document_number_shape": M(
        "证件号码应为 3 至 32 位大写字母、数字或“-”，现为 {n} 位{shown}",
        "document number must be 3-32 characters of A-Z, 0-9 and '-', got {n} characters{shown}",
    ),
    "identity.residence_permit_shape": M(
        "居住证号码应为 18 位，以 {codes} 开头",
        "residence permit number must be 18 characters starting with {codes}",
    ),
    "identity.country_required": M(
        "证件类型 {type} 须填写签发国家（地区）",
        "issuing country is required for document type {type}",
    ),
    "identity.country_unknown": M(
        "签发国家（地区）{value} 不是 ISO 3166-1 三字母代码",
        "issuing country {value} is not an ISO 3166-1 alpha-3 code",
    ),
    # Inquiry (Art. 22, 39; D-18, D-26): alerts, authorizations, authority scopes, legal holds.
    "inquiry.no_alert": M("没有编号为 {id} 的查询提示", "no alert {id}"),
    "inquiry.authorization_in_past": M(
        "授权起始日期不能早于今天", "an authorization cannot start in the past"
    ),
    "inquiry.valid_to_before_from": M("授权截止日期早于起始日期", "valid_to is before valid_from"),
    "inquiry.authorization_too_long": M(
        "授权有效期最长 {days} 天", "an authorization is valid for at most {days} days"
    ),
    "inquiry.authorization_scope_needed": M(
        "请选择授权查询的信息事项或类别", "an authorization names the items or categories it covers"
    ),
    "inquiry.no_own_authorization": M("您没有编号为 {id} 的授权", "you have no authorization {id}"),
    "inquiry.not_granted_to_you": M(
        "没有授予您的编号为 {id} 的授权", "no authorization {id} was granted to you"
    ),
    "inquiry.authorization_not_active": M(
        "授权 {id} 当前为“{state}”（第二十二条）", "authorization {id} is {state_code} (Art. 22)"
    ),
    "inquiry.channel_not_covered": M(
        "授权 {id} 不包括“{channel}”渠道，只包括：{channels}（第二十二条）",
        "authorization {id} does not cover the {channel_code} channel; it covers {channel_codes} "
        "(Art. 22)",
    ),
    "inquiry.unknown_item": M("未知的目录事项 {code}", "unknown catalog item {code}"),
    "inquiry.unknown_category": M(
        "类别 {category} 不是第十八条所列的第一至第八类",
        "category {category} is not one of Art. 18's 1-8",
    ),
    "inquiry.unknown_confidentiality": M(
        "{code} 不是保密理由，请从以下选择：{codes}（D-26）",
        "{code} is not a confidentiality reason; choose one of: {codes} (D-26)",
    ),
    "inquiry.hold_target": M(
        "保全针对一个主体或一条查询记录", "a hold covers one subject or one inquiry entry"
    ),
    "inquiry.hold_reason": M(
        "法律保全须说明理由（案件或法律依据）", "a legal hold needs its reason (the case or law)"
    ),
    "inquiry.no_log_entry": M("没有编号为 {id} 的查询记录", "no inquiry log entry {id}"),
    "inquiry.no_hold": M("没有编号为 {id} 的法律保全", "no legal hold {id}"),
    "inquiry.authority_needs_unit": M(
        "依职权查询须为信息提供单位履行职责而进行（第二十二条第二款）",
        "authority inquiries are made for a providing unit's duties (Art. 22(2))",
    ),
    "inquiry.empty_scope": M(
        "本单位的查询范围内没有目录事项：由运营单位设置（第二十二条第二款）",
        "your unit has no catalog items in its inquiry scope: the operator sets them (Art. 22(2))",
    ),
    "inquiry.name_item": M("请选择目录事项", "name the catalog item"),
    "inquiry.at_most_chars": M(
        "最多 {limit} 个字符，当前 {n} 个", "at most {limit} characters, not {n}"
    ),
    "inquiry.item_in_scope": M(
        "目录事项 {code} 已在该单位的查询范围内：{how}",
        "item {code} is already in the unit's scope: {how}",
    ),
    "inquiry.grant_end_reason": M("请说明终止授予的原因", "say why the grant ends"),
    "inquiry.no_grant": M("该单位没有编号为 {id} 的授予", "no grant {id} for this unit"),
    "inquiry.grant_ended": M("授予 {id} 已于 {day} 终止", "grant {id} already ended on {day}"),
    "inquiry.item_outside_scope": M(
        "目录事项 {code} 超出本单位的查询范围：依职权查询只能查询履职所需的事项（第二十二条第二款）"
        "；请运营单位注明履职的法律依据后授予",
        "item {code} is outside your unit's inquiry scope: an authority inquiry sees only the "
        "items its duties need (Art. 22(2)); ask the operator to grant it, citing the legal basis "
        "of the duty",
    ),
    "inquiry.category_outside_scope": M(
        "类别 {category} 不含本单位查询范围内的任何目录事项（第二十二条第二款）",
        "category {category} holds none of the items in your unit's inquiry scope (Art. 22(2))",
    ),
    "inquiry.no_organisation": M(
        "没有统一社会信用代码为 {code} 的单位", "no organisation is on file under {code}"
    ),
    "inquiry.as_of_future": M("查询基准日期不能晚于今天", "as_of cannot be in the future"),
    "inquiry.no_subject_under_identifier": M(
        "平台未登记该标识的主体", "no subject is on file under that identifier"
    ),
    "inquiry.too_many_public": M(
        "该地址的公开查询过于频繁，请稍后再试",
        "too many public inquiries from this address; wait and try again",
    ),
    "inquiry.query_too_short": M(
        "请至少输入名称或统一社会信用代码中的 2 个字符",
        "type at least 2 characters of a name or a USCC",
    ),
    "inquiry.unit_provides": M("该单位提供此事项（第二十条）", "the unit provides it (Art. 20)"),
    "inquiry.grant_covers": M("授予 {id} 已包含此事项", "grant {id} already covers it"),
    "inquiry.purpose_required": M(
        "必须填写{what}（第二十二条第二款）", "{what} is required (Art. 22(2))"
    ),
    "inquiry.purpose_no_letters": M(
        "{what}没有实际内容：不含任何文字或数字（第二十二条第二款）",
        "{what} says nothing: it holds no letters or digits (Art. 22(2))",
    ),
    "inquiry.purpose_digits_only": M(
        "{what}没有实际内容：不能只填数字（第二十二条第二款）",
        "{what} says nothing: digits alone are not enough (Art. 22(2))",
    ),
    "inquiry.purpose_placeholder": M(
        "{what}没有实际内容：“{text}”只是占位内容（第二十二条第二款）",
        "{what} says nothing: '{text}' is a placeholder (Art. 22(2))",
    ),
    "inquiry.purpose_too_short": M(
        "{what}过短，无法说明情况：请至少填写4个汉字或8个字母（第二十二条第二款）",
        "{what} is too short to say anything: write at least 4 Chinese characters or 8 letters "
        "(Art. 22(2))",
    ),
    "inquiry.purpose_repeats": M(
        "{what}没有实际内容：只是重复一两个字符（第二十二条第二款）",
        "{what} says nothing: it repeats one or two characters (Art. 22(2))",
    ),
    "inquiry.the_purpose": M("查询用途", "the purpose"),
    "inquiry.the_legal_basis": M("法律依据", "the legal basis"),
    # Pledges and self-declared information (Art. 26-27).
    "pledges.no_pledge": M("没有编号为 {id} 的信用承诺", "no pledge {id}"),
    "pledges.unknown_channel": M("未知的承诺渠道 {channel}", "unknown channel {channel}"),
    "pledges.staff_window_only": M(
        "工作人员只登记在服务窗口签署的承诺",
        "staff register a pledge signed at a service window only",
    ),
    "pledges.not_made_to_unit": M(
        "没有向本单位作出的编号为 {id} 的信用承诺", "no pledge {id} made to your unit"
    ),
    "pledges.kept_or_broken": M("应为“已履行”或“违诺”", "'kept' or 'broken'"),
    "pledges.state_finding": M("请说明认定情况", "state the finding"),
    "pledges.broken_needs_number": M(
        "认定违诺的，须填写本单位为此报送的失信记录所依据文书的文号",
        "a broken pledge names the basis document number of the record your unit submits for it",
    ),
    "pledges.finding_day": M(
        "认定日期应在承诺日期（{day}）至今天之间", "between the pledge's day ({day}) and today"
    ),
    "pledges.already_found": M("信用承诺 {id} 已有认定结果", "pledge {id} already has its finding"),
    "pledges.declaration_kind": M("应为以下之一：{kinds}", "one of: {kinds}"),
    "pledges.no_declaration": M("没有编号为 {id} 的自主申报信息", "no declaration {id}"),
    "pledges.declaration_withdrawn": M(
        "自主申报信息 {id} 已撤回", "declaration {id} was already withdrawn"
    ),
    "pledges.own_only": M("信用主体只能为本人作出承诺", "a subject pledges for itself only"),
    "pledges.subject_channel": M(
        "信用主体通过网站或系统接口作出承诺", "a subject pledges online or through the API"
    ),
    "pledges.no_standard_text": M(
        "没有事项 {matter} 的标准承诺文本", "no standard pledge text for the matter {matter}"
    ),
    # Establishments (Art. 49-55; D-24): filings, supervision, orders, fines, oversight orders.
    "establishments.permit_needed": M(
        "征信机构和信用评级机构须填写其许可证号或备案号（第四十九条第一款）",
        "a credit reporting or rating establishment must give its permit or state filing number "
        "(Art. 49 para 1)",
    ),
    "establishments.already_filed": M(
        "该统一社会信用代码的机构已备案", "an establishment with this USCC is already filed"
    ),
    "establishments.no_establishment": M("没有编号为 {id} 的机构", "no establishment {id}"),
    "establishments.no_overdue_step": M(
        "没有 {key} 的逾期环节：平台未发现该处有超过期限的情况",
        "no overdue step {key}: the platform finds no missed deadline there",
    ),
    "establishments.order_already_issued": M(
        "已就该环节发出责令 {id}", "order {id} was already issued for this step"
    ),
    "establishments.no_oversight_order": M("没有编号为 {id} 的监督责令", "no oversight order {id}"),
    "establishments.addressee_only": M(
        "只有责令的对象可以答复", "only the order's addressee responds to it"
    ),
    "establishments.order_answered": M("责令 {id} 已答复", "order {id} was already answered"),
    "establishments.order_escalated": M("责令 {id} 已升级处理", "order {id} was already escalated"),
    "establishments.department_needs_unit": M(
        "向部门发出的责令须填写信息提供单位的统一社会信用代码",
        "an order to a department names the providing unit's USCC",
    ),
    "establishments.platform_no_unit": M(
        "向平台发出的责令不填写信息提供单位", "an order to the platform names no providing unit"
    ),
    "establishments.no_unit_under_uscc": M(
        "没有以该统一社会信用代码登记的信息提供单位", "no providing unit under that USCC"
    ),
    "establishments.no_escalation": M(
        "不能升级处理：整改期限至 {day}，未逾期（{status}）；"
        "{article}只在未按期整改或情节严重时适用（请说明情节严重的理由）",
        "no escalation: the set period runs to {day} and was not missed ({status_code}); {article} "
        "allows it only when corrections are not made in time or the circumstances are serious "
        "(give the serious reasons)",
    ),
    "establishments.period_range": M(
        "整改期限应为 {low} 至 {high} 个工作日（{article}；D-24），而不是 {days}",
        "the set period must be {low} to {high} working days ({article}; D-24), not {days}",
    ),
    "establishments.supervision_future": M(
        "监督检查日期不能晚于今天", "the supervision cannot be held in the future"
    ),
    "establishments.serious_reasons": M(
        "认定情节严重须说明理由（D-24）", "a serious finding needs its reasons (D-24)"
    ),
    "establishments.no_supervision": M(
        "该机构没有编号为 {id} 的监督检查记录", "no supervision record {id} of this establishment"
    ),
    "establishments.no_correction_order": M(
        "没有编号为 {id} 的责令整改", "no correction order {id}"
    ),
    "establishments.order_corrected": M("责令 {id} 已整改", "order {id} was already corrected"),
    "establishments.correction_day": M(
        "整改日期应在责令日期至今天之间",
        "the correction day must lie between the issue day and today",
    ),
    "establishments.fine_market_only": M(
        "只有从事第四十九条第二款所列业务的市场机构可在此处罚款；"
        "征信和信用评级违法行为由征信监督管理部门处理（第五十五条第一款）",
        "only a market establishment of an Art. 49 para 2 line may be fined here; credit reporting "
        "and rating violations are handled by the credit reporting oversight body (Art. 55 para 1)",
    ),
    "establishments.fine_range": M(
        "罚款应在 {low} 元至 {high} 元之间（{article}），而不是 {amount} 元",
        "the fine must be between {low} and {high} yuan ({article}), not {amount}",
    ),
    "establishments.name_missed_order": M(
        "请指明逾期未整改的责令", "name the correction order whose period was missed"
    ),
    "establishments.no_correction_order_here": M(
        "该机构没有编号为 {id} 的责令整改", "no correction order {id} of this establishment"
    ),
    "establishments.fine_not_missed": M(
        "不能罚款：责令 {id} 的整改期限至 {day}，未逾期（{status}）；"
        "第五十五条第二款只在未按期整改或情节严重时允许罚款",
        "no fine: the set period of order {id} runs to {day} and was not missed ({status_code}); "
        "Art. 55 para 2 allows a fine only when corrections are not made in time or the "
        "circumstances are serious",
    ),
    "establishments.name_serious_record": M(
        "请指明认定情节严重的监督检查记录", "name the supervision record with the serious finding"
    ),
    "establishments.fine_not_serious": M(
        "不能罚款：监督检查记录 {id} 未认定情节严重；第五十五条第二款只在未按期整改或情节严重时允许"
        "罚款",
        "no fine: supervision record {id} records no serious finding; Art. 55 para 2 allows a fine "
        "only when corrections are not made in time or the circumstances are serious",
    ),
    # Government integrity (Art. 9): commitments, changes, breaches, accountability, evaluations.
    "integrity.period_reversed": M(
        "评价期间的结束日期早于开始日期", "the period ends before it starts"
    ),
    "integrity.period_not_ended": M("评价期间尚未结束", "the period has not ended yet"),
    "integrity.no_evaluation": M("没有编号为 {id} 的评价", "no evaluation {id}"),
    "integrity.weights_sum": M("各项权重之和应为 100", "the weights add up to 100"),
    "integrity.unknown_reason": M(
        "未知的变更事由 {code}（应为以下之一：{codes}）", "unknown reason {code} (one of {codes})"
    ),
    "integrity.not_an_organ": M(
        "政府机关的统一社会信用代码以 11 开头（机关，GB 32100）；该代码以 {prefix} 开头",
        "a government body's USCC begins with 11 (an organ of state, GB 32100); this one begins "
        "with {prefix}",
    ),
    "integrity.due_before_made": M("履行期限早于作出日期", "due before it was made"),
    "integrity.no_commitment": M(
        "没有编号为 {id} 的已登记承诺或合同", "no registered pledge or contract {id}"
    ),
    "integrity.commitment_state": M(
        "承诺或合同 {id} 当前为“{state}”", "commitment {id} is {state_code}"
    ),
    "integrity.nothing_to_change": M(
        "承诺或合同 {id} 当前为“{state}”：没有可变更的内容",
        "commitment {id} is {state_code}: nothing to change",
    ),
    "integrity.lawful_change_authority": M(
        "因{reason}变更的，须写明作出决定的机关和履行的程序（第九条第二款）",
        "a change for {reason} names the authority and procedure followed (Art. 9 para 2)",
    ),
    "integrity.never_lawful": M(
        "{reason}从来不是合法的变更事由（第九条第二款）：请写明报送失信记录的单位",
        "{reason} is never a lawful reason (Art. 9 para 2): name the unit that submits the breach "
        "record",
    ),
    "integrity.no_change": M("没有编号为 {id} 的变更", "no change {id}"),
    "integrity.change_closed": M("变更 {id} 已结案", "change {id} is closed"),
    "integrity.unlawful_is_breach": M(
        "因不合法事由的变更属于失信，不能结案",
        "a change for an unlawful reason is a breach, not closed",
    ),
    "integrity.no_compensation": M(
        "尚未登记对受影响市场主体的补偿（第九条第二款）",
        "no compensation of the affected market entities is recorded (Art. 9 para 2)",
    ),
    "integrity.determined_future": M("认定日期不能晚于今天", "determined in the future"),
    "integrity.breach_refused": M(
        "失信记录未被接收：{reason}", "the breach record was refused: {reason}"
    ),
    "integrity.no_case": M("没有编号为 {id} 的责任追究案件", "no accountability case {id}"),
    "integrity.case_step": M(
        "案件 {id} 当前为“{state}”：不能转为“{target}”",
        "case {id} is {state_code}: it cannot go to {target_code}",
    ),
    "integrity.already_breached": M(
        "承诺或合同 {id} 已记为失信", "commitment {id} is already recorded as breached"
    ),
    "integrity.outcome_needed": M(
        "办结的案件须记录处理结果", "a concluded case records its outcome"
    ),
    # Measures (Art. 34-38): the lists of measures, their application and batch checks.
    "measures.wrong_matter": M(
        "措施 {code} 适用于以下事项：{matters}，不适用于 {matter}",
        "{code} bears on {matters}, not {matter}",
    ),
    "measures.no_designation": M(
        "该主体没有编号为 {id} 的名单认定", "no designation {id} of this subject"
    ),
    "measures.not_in_force": M(
        "{code} 不是 {day} 施行的全国基础清单或本市补充清单所列的措施（第三十四条）",
        "{code} is not a measure on the national basic list or the city supplement in force on "
        "{day} (Art. 34)",
    ),
    "measures.unknown_matter": M(
        "未知的事项 {matter}（应为以下之一：{matters}）",
        "unknown matter {matter} (one of {matters})",
    ),
    "measures.unknown_list_types": M("未知的名单类型：{types}", "unknown list type(s): {types}"),
    "measures.no_key_column": M("文件没有 {a} 或 {b} 列", "the file has no column {a} or {b}"),
    "measures.batch_too_large": M("批量核查最多 {n} 行", "a batch check holds at most {n} rows"),
    "measures.one_key": M("请只填写 {a} 或 {b} 中的一项", "give exactly one of {a} or {b}"),
    "measures.incentive_twice": M("{code} 重复出现", "{code} appears twice"),
    # Exchange (Art. 15): receivers and the change feed.
    "exchange.receivers_only": M(
        "只有已登记的接收方可以读取变更流（{header}）",
        "only a registered receiver reads the feed ({header})",
    ),
    "exchange.unknown_kind": M(
        "{kind} 不是变更类型（{kinds}）", "{kind} is not a change kind ({kinds})"
    ),
    "exchange.limit_range": M("{name} 应为 1 至 5000", "{name} must be 1-5000"),
    "exchange.not_negative": M("{name} 不能小于 0", "{name} must be 0 or more"),
    "exchange.past_last": M(
        "{name} 为 {up_to}，超过最后一条变更（{top}）",
        "{name} {up_to} is past the last change ({top})",
    ),
    "exchange.scopes": M(
        "范围应为以下之一：{scopes}{bad_zh}", "scopes must be among {scopes}{bad}"
    ),
    "exchange.code_shape": M(
        "代码应为 2 至 48 个小写字母、数字、_ 或 -",
        "code must be 2-48 lower-case letters, digits, _ or -",
    ),
    "exchange.name_required": M(
        "必须填写名称（最多 200 个字符）", "name is required (at most 200 characters)"
    ),
    "exchange.receiver_exists": M("接收方 {code} 已存在", "receiver {code} already exists"),
    "exchange.no_receiver": M("没有接收方 {code}", "no receiver {code}"),
    "exchange.key_required": M(
        "须提供接收方密钥（请求头 {header}）",
        "a receiver key is required (header {header})",
    ),
    "exchange.key_unknown": M("接收方密钥未知或已停用", "unknown or disabled receiver key"),
    # Providing units (Art. 20).
    "providers.bad_key": M(
        "系统接口密钥缺失、格式错误、已吊销或无法识别",
        "the API key is missing, malformed, revoked or unknown",
    ),
    "providers.name_length": M("名称应为 1 至 200 个字符", "name must be 1-200 characters"),
    "providers.level": M("层级应为“市级”或“区县级”", "level must be 'city' or 'district'"),
    "providers.items_required": M(
        "至少须填写一个目录事项代码", "at least one catalog item code is required"
    ),
    "providers.no_unit_under_uscc": M(
        "没有以统一社会信用代码 {code} 登记的信息提供单位",
        "no providing unit is registered with USCC {code}",
    ),
    # Calendar (Art. 40 and the deadlines): official schedules, pauses, working days.
    "calendar.file_too_large": M(
        "工作日安排文件最大 {n} 字节", "a schedule file is at most {n} bytes"
    ),
    "calendar.not_a_range": M(
        "{text} 不是“起始日:截止日”（YYYY-MM-DD:YYYY-MM-DD）",
        "{text} is not FROM:TO (YYYY-MM-DD:YYYY-MM-DD)",
    ),
    "calendar.year_unsupported": M(
        "{year} 年超出支持的年份范围 {first}-{last}",
        "year {year} is outside the supported calendar years {first}-{last}",
    ),
    "calendar.outside_year": M(
        "{day} 不在 {year} 年的安排内：安排可包含 {year} 年的日期，以及元旦安排涉及的 {start} 至 "
        "{prev}-12-31",
        "{day} is outside the {year} schedule: it may hold dates of {year} and, for the New Year "
        "arrangement, {start} to {prev}-12-31",
    ),
    "calendar.makeup_on_weekday": M(
        "{day} 是{weekday}：调休上班日须为星期六或星期日（工作日本来就上班）",
        "{day} is a {weekday}: a make-up working day must be a Saturday or Sunday (weekdays are "
        "working days already)",
    ),
    "calendar.not_a_list": M(
        "应为以 YYYY-MM-DD 书写的日期列表，而不是 {type}",
        "must be a list of dates written YYYY-MM-DD, not {type}",
    ),
    "calendar.not_an_object": M(
        "工作日安排应为含有以下键的 JSON 对象：{keys}",
        "a schedule must be a JSON object with keys {keys}",
    ),
    "calendar.unknown_key": M(
        "未知的键 {key}；可用的键为 {keys}", "unknown key {key}; the keys are {keys}"
    ),
    "calendar.year_not_integer": M(
        "应为整数年份，而不是 {value}", "must be an integer year, not {value}"
    ),
    "calendar.source_needed": M(
        "须写明发布该安排的通知（非空文字）",
        "must name the notice that publishes the schedule (non-empty text)",
    ),
    "calendar.missing_holidays": M(
        "缺少 {year} 年依据 {source} 的法定节假日：{listed}。每份正式通知都包括这些日期；"
        "请对照通知核对文件",
        "lacks statutory holiday day(s) of {year} under {source}: {listed}. Every official notice "
        "includes them; check the file against the notice",
    ),
    "calendar.source_named": M("须写明工作日安排的来源", "the source of a schedule must be named"),
    "calendar.holiday_and_makeup": M(
        "{day} 既是节假日又是调休上班日", "{day} is both a holiday and a make-up working day"
    ),
    "calendar.library_years": M(
        "{source} 覆盖 {first}-{last} 年，不含 {year} 年：请载入正式安排",
        "{source} covers {first}-{last}, not {year}: load the official schedule",
    ),
    "calendar.not_iso_date": M(
        "{item} 不是以 YYYY-MM-DD 书写的日期", "{item} is not a date written YYYY-MM-DD"
    ),
    "calendar.listed_twice": M(
        "{item} 重复列出（另见 {at}）", "{item} is listed twice (also at {at})"
    ),
    "calendar.key_required": M("必须填写", "is required"),
    "calendar.also_holiday": M(
        "{day} 也列为节假日（{at}）：一天不能两者兼是",
        "{day} is also listed as a holiday ({at}): a day cannot be both",
    ),
    "calendar.key_twice": M("键 {key} 出现两次", "key {key} appears twice"),
    "calendar.cannot_read": M("无法读取 {path}：{why}", "cannot read {path}: {why}"),
    "calendar.not_utf8": M(
        "{name} 不是 UTF-8 文本（第 {byte} 字节）；请另存为 UTF-8",
        "{name} is not UTF-8 text (byte {byte}); save it as UTF-8",
    ),
    "calendar.not_json": M(
        "{name} 不是有效的 JSON：第 {line} 行第 {column} 列，{why}",
        "{name} is not valid JSON: {why} at line {line} column {column}",
    ),
    "calendar.not_a_calendar_date": M("{item} 不是真实的日期", "{item} is not a calendar date"),
    "calendar.pause_reversed": M(
        "中止不能在开始（{first}）之前结束（{last}）",
        "a pause cannot end ({last}) before it starts ({first})",
    ),
    "calendar.negative_days": M(
        "工作日数应不小于 0，而不是 {n}", "must be 0 or more working days, not {n}"
    ),
    "calendar.schedule_wrong_year": M(
        "登记在 {year} 年下的安排实为 {actual} 年的安排",
        "the schedule filed under {year} is for {actual}",
    ),
    # Accounts and sign-in (Art. 22-23, 39): what a person reads on a page or from the API.
    "auth.channel_claimed": M(
        "本次请求经由 {channel} 渠道：渠道由承载请求的凭据和路径决定，而不是由 {header} "
        "决定（第二十二条）",
        "this request came through the {channel} channel: the channel is decided by the credential "
        "and route that carry a request, not by {header} (Art. 22)",
    ),
    "auth.csrf": M(
        "表单令牌缺失或错误，请刷新页面", "the CSRF token is missing or wrong; reload the page"
    ),
    "auth.uscc_not_person": M(
        "统一社会信用代码标识法人或组织，而不是自然人",
        "a USCC identifies a legal person or an organisation, not a person",
    ),
    "auth.document_type_needed": M(
        "证件类型为其他证件时须写明证件种类", "id type document needs a document type"
    ),
    "auth.unknown_id_type": M(
        "证件类型 {value} 无法识别（应为以下之一：{allowed}）",
        "id type {value} is not known (expected one of: {allowed})",
    ),
    "auth.document_fields_only": M(
        "证件种类和签发国家只适用于其他证件，不适用于 {id_type}",
        "document type and country apply only to id type document, not {id_type}",
    ),
    "auth.unknown_subject_kind": M(
        "主体类别 {value} 无法识别（应为以下之一：{allowed}）",
        "subject kind {value} is not known (expected one of: {allowed})",
    ),
    "auth.person_id_type": M(
        "证件类型 {id_type} 标识自然人，而不是 {kind}",
        "id type {id_type} identifies a natural person, not a {kind}",
    ),
    "auth.name_required": M("必须填写姓名或名称", "name is required"),
    "auth.name_too_long": M("姓名或名称不能超过 {n} 个字符", "name is longer than {n} characters"),
    "auth.sign_in_needed": M(
        "请登录或提供系统接口密钥：“{permission}”需要身份凭据",
        "sign in or send an API key: '{permission}' needs one",
    ),
    "auth.not_permitted": M(
        "{role} 无权执行“{permission}”", "a {role} may not perform '{permission}'"
    ),
    "auth.wrong_password": M("用户名不存在或密码错误", "unknown username or wrong password"),
    "auth.password_short": M("密码至少 {n} 个字符", "a password needs at least {n} characters"),
    "auth.password_long": M("密码最多 256 个字符", "a password is at most 256 characters"),
    "auth.username_shape": M(
        "用户名为 3 至 64 个字符：小写字母、数字、“.”、“_”或“-”",
        "a username is 3-64 characters: lower-case letters, digits, '.', '_' or '-'",
    ),
    "auth.role_unknown": M("角色应为以下之一：{roles}", "role must be one of {roles}"),
    "auth.username_taken": M("用户名 {username} 已被使用", "the username {username} is taken"),
    "auth.no_account": M("没有账户 {username}", "no account {username}"),
    "auth.account_disabled": M("该账户已停用", "this account is disabled"),
    "auth.assertion_reused": M(
        "该身份认证凭据已使用过", "this identity assertion was already used"
    ),
    "auth.no_grantee": M(
        "没有以统一社会信用代码 {code} 登记的被授权机构",
        "no authorized third party is registered with USCC {code}",
    ),
    "auth.unit_uscc_needed": M(
        "信息提供单位的工作人员须填写本单位的统一社会信用代码",
        "providing-unit staff need their unit's USCC",
    ),
    "auth.role_without_unit": M(
        "{role} 账户不属于任何信息提供单位", "a {role} account belongs to no providing unit"
    ),
    "auth.account_locked": M(
        "该账户登录失败次数过多，已锁定，请 {minutes} 分钟后再试",
        "too many failed sign-ins for this account; it is locked for {minutes} more minute(s)",
    ),
    "auth.address_locked": M(
        "该地址登录失败次数过多，请 {minutes} 分钟后再试",
        "too many failed sign-ins from this address; try again in {minutes} minute(s)",
    ),
    # Console and portal pages: what a form refuses before a service is asked.
    "console.no_upload": M(
        "没有该上传（可能是服务器重启前的上传）",
        "no such upload (it may be from before the server restarted)",
    ),
    "console.choose_item": M("请选择本单位的目录事项", "choose one of your unit's items"),
    "console.choose_format": M("请选择 {formats}", "choose {formats}"),
    "console.choose_file": M("请选择要上传的文件", "choose a file to upload"),
    "console.working_days": M(
        "应为 1 至 {n} 的整数个工作日", "a whole number of working days from 1 to {n}"
    ),
    "console.not_a_date": M("{value} 不是日期（YYYY-MM-DD）", "{value} is not a date (YYYY-MM-DD)"),
    "console.not_a_range": M("{value} 不是“起始日:截止日”", "{value} is not FROM:TO"),
    "console.range_reversed": M("{value} 的截止日早于起始日", "{value} ends before it starts"),
    "console.choose_schedule": M(
        "请选择要载入的工作日安排文件（JSON）", "choose the schedule file (JSON) to load"
    ),
    "console.schedule_too_large": M(
        "该文件过大，不可能是一年的工作日安排", "this file is too large to be a year's schedule"
    ),
    "console.choose_state": M("请从列表中选择状态", "choose a state from the list"),
    "console.not_a_number": M("{value} 不是数字", "{value} is not a number"),
    "console.no_step": M("没有步骤 {step}", "no step {step}"),
    "console.find_subject_first": M("请先查找主体", "find the subject first"),
    "console.choose_identifier_kind": M("请选择标识类型", "choose the kind of identifier"),
    "console.type_identifier": M("请输入主体的标识", "type the subject's identifier"),
    "console.not_a_time": M(
        "{value} 不是日期和时间（例如 2026-11-26 09:30）",
        "{value} is not a date and time (e.g. 2026-11-26 09:30)",
    ),
    "console.invalid_identifier": M("不是有效的标识", "not a valid identifier"),
    "console.choose_order": M("请选择责令", "choose the order"),
    "console.no_order_here": M("该机构没有这一责令", "no such order of this establishment"),
    "console.choose_scope": M("请至少选择一个范围", "choose at least one scope"),
    "console.unknown_action": M("未知的操作 {action}", "unknown action {action}"),
    "console.which_one": M("请选择一项", "which one?"),
    "console.enter_date": M("请填写日期（YYYY-MM-DD）", "enter a date (YYYY-MM-DD)"),
    "console.not_an_amount": M("{value} 不是金额", "{value} is not an amount"),
    "console.unknown_conditions": M(
        "未知的条件：{conditions}", "unknown condition(s): {conditions}"
    ),
    "console.item_mapping": M("事项应为键值映射", "the item is a mapping of keys to values"),
    "console.which_comment": M("请选择一条意见", "which comment?"),
    "console.not_yaml": M("不是有效的 {formats}（{why}）", "not valid {formats} ({why})"),
    "console.give_reason": M("请说明理由", "give the reason"),
    "console.effective_date": M("请填写施行日期", "the effective date"),
    "console.choose_unit": M("请选择信息提供单位", "choose the providing unit"),
    "console.no_language": M("没有该语言：{code}", "no such language: {code}"),
    "console.form_expired": M(
        "表单已过期或并非来自本网站，请刷新页面后重试",
        "the form has expired or did not come from this site; reload the page and try again",
    ),
    "console.no_rules_page": M("没有规则页面 {topic}", "no rules page {topic}"),
    "text.nul": M("含有空字符（U+0000）", "contains a NUL character (U+0000)"),
    "text.surrogate": M(
        "含有不成对的代理字符（无效的 \\u 转义）",
        "contains an unpaired surrogate (an invalid \\u escape)",
    ),
    "console.field_text": M("{field}：{reason}", "{field} {reason}"),
    "console.file_name_text": M("{field}：文件名{reason}", "{field}: the file name {reason}"),
    # --- console case steps (lead, issue 19.3)
    "console.step_not_now": M(
        "该异议当前为“{state}”，现在不能进行这一步",
        "the objection is '{state}': this step is not possible now",
    ),
    # forms: every field of a submission checked at once (issue 19.8)
    "forms.choose_from_list": M("请从列表中选择", "choose from the list"),
    # --- schema checks of a form's fields (lead, issue 19.3: pcip.web.console.common)
    "forms.required": M("此项必填", "this field is required"),
    "forms.too_short": M("至少 {min_length} 个字符", "at least {min_length} characters"),
    "forms.too_long": M("至多 {max_length} 个字符", "at most {max_length} characters"),
    "forms.not_a_date": M("不是有效日期（格式 YYYY-MM-DD）", "not a date (YYYY-MM-DD)"),
    "forms.not_a_number": M("不是有效数字", "not a number"),
    "governance.approval_needs": M(
        "批准须记录文件的{name}", "an approval records the document's {name}"
    ),
    "integrity.concluded_needs_outcome": M(
        "办结的案件须记录处理结果", "a concluded case records its outcome"
    ),
    # --- msgs2 (issue 19.3): the services' remaining refusals, coded.
    # Assessment (Art. 30).
    "assessment.purpose_not_allowed": M(
        "第三十条：只有出于{purposes}目的，方可查询信用评估；“{purpose}”不在此列",
        "Art. 30: an assessment is read only for {purpose_codes}; '{code}' is not one of them",
    ),
    "assessment.no_subject": M(
        "没有以该标识登记的信用主体", "no subject is on file under that identifier"
    ),
    # Catalogs (Art. 16).
    "catalog.published_differently": M(
        "{catalog}第 {version} 版已经发布，其事项与此不同（{items}）；变更请作为新版本发布",
        "catalog {catalog_code} version {version} is already published with different items "
        "({items}); publish the change as a new version",
    ),
    "catalog.code_taken": M(
        "事项代码“{code}”已属于{catalog}",
        "item code '{code}' already belongs to catalog {catalog_code}",
    ),
    "catalog.unknown_item": M(
        "未知的目录事项“{code}”：{day} 施行的国家基础目录和本市补充目录中均无此事项（第十六条）",
        "unknown catalog item '{code}': it is in neither the national basic catalog nor the city "
        "supplemental catalog in force on {day} (Art. 16)",
    ),
    # The API's doors: a value the database cannot store.
    "doors.value_not_stored": M(
        "无法保存该值：含有空字符（U+0000）、不成对的代理字符或超出范围的数字",
        "a value cannot be stored: it contains a NUL character (U+0000), an unpaired "
        "surrogate or a number out of range",
    ),
    # Governance (Art. 17, 35-36): consultations and the versions a proposal makes.
    "governance.unknown_group": M(
        "未知的利益相关方群体“{code}”（应为 {group_codes} 之一）",
        "unknown stakeholder group '{code}' (one of {group_codes})",
    ),
    "governance.comment_days": M(
        "征求意见期不少于 {days} 日（{citation}）",
        "the comment period is at least {days} days ({citation})",
    ),
    "governance.groups_not_invited": M(
        "征求意见时未邀请{groups}", "the consultation did not invite {group_codes}"
    ),
    "governance.city_catalog_missing": M(
        "本市补充目录尚未载入（须由运维人员初始化平台）",
        "the city supplemental catalog is not loaded (pcip init)",
    ),
    "governance.item_exists": M(
        "“{code}”已在{kind}中：请提出替换",
        "'{code}' is already in the {kind}: propose a replacement",
    ),
    "governance.item_not_in": M("“{code}”不在{kind}中", "'{code}' is not in the {kind}"),
    "governance.item_code_mismatch": M(
        "事项代码应为“{code}”，而不是 {given}", "the item's code must be '{code}', not {given}"
    ),
    "governance.measures_version_exists": M(
        "失信惩戒措施清单版本 {version} 已存在", "measure-list version {version} already exists"
    ),
    # Keys: changes refused while the keys rotate.
    "audit.rotation_under_way": M(
        "正在轮换密钥：轮换完成前，暂不受理任何变更",
        "a key rotation is under way: changes are refused until 'pcip keys rotate' has finished",
    ),
    "audit.keys_rotated": M(
        "本进程载入密钥（{loaded}）后，数据库的密钥已经轮换（现为 {now}）：请重新启动本进程",
        "the database's keys were rotated (now {now}) after this process loaded its keys "
        "({loaded}): restart it",
    ),
    # API keys (Art. 27).
    "tokens.no_key": M("没有编号为 {id} 的 API 密钥", "no API key with id {id}"),
    "tokens.label_too_long": M("标签超过 100 个字符", "label is longer than 100 characters"),
    # Lists (Art. 30-33): designations, list types and imported list files.
    "lists.no_designation": M("没有编号为 {id} 的名单认定", "no designation {id}"),
    "lists.designated_here": M(
        "{list}在本平台认定，不以文件导入",
        "'{list_code}' is designated on this platform (SM-2), not imported",
    ),
    "lists.file_missing_columns": M("文件缺少列 {columns}", "the file has no column {columns}"),
    "lists.file_too_many_rows": M("名单文件最多 {max} 行", "a list file holds at most {max} rows"),
    "lists.types_repeated": M("名单类型代码重复：{codes}", "list type code(s) repeated: {codes}"),
    "lists.no_list_type": M(
        "没有有效的名单类型“{code}”（已有：{known}）",
        "no active list type '{code}' (known: {known})",
    ),
    # Objections (Art. 40-42): the API's fields and the case log.
    "objections.changes_json": M(
        '应为 JSON 对象 {{"<记录编号>": {{"<字段>": 值, ...}}}}',
        'must be a JSON object {{"<record id>": {{"<field>": value, ...}}}}',
    ),
    "objections.withdrawal_json": M(
        '应为 JSON 对象 {{"{ground}": {grounds}, "{refile_to}": {{...}}}}',
        'must be a JSON object {{"{ground}": {grounds}, "{refile_to}": {{...}}}}',
    ),
    "objections.not_iso_time": M(
        "“{value}”不是 ISO 格式的日期时间（例如 2026-11-26T09:30:00+08:00）",
        "'{value}' is not an ISO date-time (e.g. 2026-11-26T09:30:00+08:00)",
    ),
    "objections.unknown_notice": M("未知的告知书类型“{notice}”", "unknown notice kind '{notice}'"),
    "objections.log_starts_received": M(
        "异议的事件记录应以“{received}”开始", "an objection's log must start with 'received'"
    ),
    "objections.no_events": M("该异议没有任何事件记录", "the objection has no events"),
    # Credit reports (Art. 29): reading one's reports and verifying one.
    "reports.no_report": M("您没有编号为 {number} 的信用报告", "no report {number} of yours"),
    "reports.number_format": M(
        "信用报告编号由“{prefix}”、8 位出具日期数字和 8 位字母或数字组成（例如 {example}）",
        "a report number is {prefix}, 8 digits of the issue day and 8 letters or digits "
        "(e.g. {example})",
    ),
    "reports.file_too_large": M(
        "文件大小为 {size} 字节，最大可接受 {max} 字节（10 兆字节）",
        "the file is {size} bytes; the largest accepted is {max} bytes (10 MB)",
    ),
    "reports.file_empty": M(
        "文件为空，请选择信用报告的 PDF 文件", "the file is empty; choose the report's PDF"
    ),
    "reports.not_pdf": M(
        "该文件不是 PDF 文件（不以 %PDF- 开头）",
        "the file is not a PDF (it does not start with %PDF-)",
    ),
    # Restoration (Art. 44-45).
    "restoration.no_case": M("没有编号为 {id} 的信用修复申请", "no restoration case {id}"),
    # Subjects (Art. 19, 33): identifiers, names and responsible persons.
    "subjects.uscc_not_person": M(
        "统一社会信用代码用于标识单位，不能标识自然人",
        "a USCC identifies an organisation, not a natural person",
    ),
    "subjects.name_empty": M("名称为空", "name is empty"),
    "subjects.name_too_long": M(
        "名称有 {n} 个字符，最多 200 个字符", "name is {n} characters, at most 200"
    ),
    "subjects.not_organisation": M(
        "关联的主体须为单位", "the linked entity must be an organisation"
    ),
    "subjects.not_person": M("责任人须为自然人", "a responsible person must be a natural person"),
    # --- records (msgs3, issue 19.3): value checks, file problems, batches, searches
    "records.value_not_date": M(
        "“{raw}”不是日期（请用 YYYY-MM-DD）", "'{raw}' is not a date (use YYYY-MM-DD)"
    ),
    "records.value_not_real_date": M("“{raw}”不是真实存在的日期", "'{raw}' is not a real date"),
    "records.value_not_number": M("“{raw}”不是数字", "'{raw}' is not a number"),
    "records.value_negative": M("“{raw}”不是非负金额", "'{raw}' is not a non-negative amount"),
    "records.value_not_whole": M("“{raw}”不是整数", "'{raw}' is not a whole number"),
    "records.value_not_choice": M(
        "“{raw}”不是以下之一：{listed}", "'{raw}' is not one of: {listed}"
    ),
    "records.value_too_long": M(
        "长 {n} 个字符，至多 {limit} 个", "is {n} characters long, at most {limit}"
    ),
    "records.organisations_only": M(
        "事项 {item} 不适用于自然人", "item {item} does not apply to natural persons"
    ),
    "records.at": M("{where}：{reason}", "{where}: {reason}"),
    "records.where_line": M("第 {line} 行", "line {line}"),
    "records.where_sheet_row": M("工作表“{sheet}”第 {row} 行", "sheet '{sheet}' row {row}"),
    "records.where_sheet_cell": M("工作表“{sheet}”单元格 {cell}", "sheet '{sheet}' cell {cell}"),
    "records.column_number": M("第 {n} 列", "column {n}"),
    "records.column_letter": M("{letter} 列", "column {letter}"),
    "records.file_utf16": M(
        "文件为 UTF-16 编码（Excel“Unicode 文本”）；请另存为 UTF-8 或 GBK 编码的 CSV",
        "the file is UTF-16 encoded (Excel 'Unicode text'); save it as CSV in UTF-8 or GBK",
    ),
    "records.file_row_too_long": M(
        "该行超过 {mib} MiB（是否缺少右引号？）",
        "the row is longer than {mib} MiB (is a closing quote missing?)",
    ),
    "records.file_bad_utf8": M(
        "字节不是有效的 UTF-8（文件混用了编码；请另存为 UTF-8）",
        "bytes are not valid UTF-8 (the file mixes encodings; save it as UTF-8)",
    ),
    "records.file_bad_gb18030": M(
        "字节既不是有效的 UTF-8 也不是有效的 GB18030（请另存为 UTF-8 或 GBK）",
        "bytes are neither valid UTF-8 nor GB18030 (save the file as UTF-8 or GBK)",
    ),
    "records.file_unterminated_quote": M(
        "引号未闭合（文件在引号内结束：是否被截断？）",
        "unterminated quoted field (the file ends inside quotes: was it cut short?)",
    ),
    "records.file_field_too_long": M(
        "某字段超过 {limit} 个字符（是否缺少右引号？）",
        "a field is longer than {limit} characters (is a closing quote missing?)",
    ),
    "records.file_after_quote": M(
        '右引号后还有字符（字段内的引号须写成两个：""）',
        'a character follows a closing quote (a quote inside a field must be doubled: "")',
    ),
    "records.file_csv_error": M("无法读取 CSV：{text}", "{text}"),
    "records.file_empty": M("文件为空", "the file is empty"),
    "records.file_unreadable": M("无法读取文件：{why}", "cannot read the file: {why}"),
    "records.legacy_xls": M(
        "不支持旧版 Excel .xls 文件；请另存为 .xlsx 或 CSV",
        "legacy Excel .xls files are not supported; save the file as .xlsx or CSV",
    ),
    "records.unknown_format": M(
        "未知的文件格式“{fmt}”：请使用 csv、jsonl 或 xlsx",
        "unknown file format '{fmt}': use csv, jsonl or xlsx",
    ),
    "records.unknown_format_xls": M(
        "未知的文件格式“{fmt}”：请使用 csv、jsonl 或 xlsx；不支持旧版 Excel .xls 文件，"
        "请另存为 .xlsx 或 CSV",
        "unknown file format '{fmt}': use csv, jsonl or xlsx; legacy Excel .xls files are not "
        "supported; save the file as .xlsx or CSV",
    ),
    "records.xlsx_unreadable": M(
        "不是可读取的 XLSX 文件：{why}", "not a readable XLSX file: {why}"
    ),
    "records.xlsx_no_sheet": M(
        "不是可读取的 XLSX 文件：工作簿没有工作表",
        "not a readable XLSX file: the workbook has no worksheet",
    ),
    "records.xlsx_too_many_rows": M(
        "一个工作表至多 {n} 行（请拆分文件）", "a sheet may have at most {n} rows (split the file)"
    ),
    "records.xlsx_too_many_columns": M(
        "一个工作表至多使用 {n} 列（至 {letter} 列）",
        "a sheet may use at most {n} columns (up to column {letter})",
    ),
    "records.xlsx_cell_too_long": M(
        "一个单元格至多 {n} 个字符（Excel 自身的限制）；该单元格有 {got} 个",
        "a cell may hold at most {n} characters (Excel's own limit); it has {got}",
    ),
    "records.xlsx_too_many_parts": M(
        "不是可用的 XLSX 文件：包含 {got} 个部件，至多接受 {n} 个",
        "not a usable XLSX file: it holds {got} parts, at most {n} are accepted",
    ),
    "records.xlsx_part_bomb": M(
        "已拒绝：XLSX 文件的部件 {part} 解压后膨胀 {ratio} 倍（至 {size} 字节）；"
        "至多接受 {n} 倍（“压缩炸弹”？）",
        "refused: part {part} of the XLSX file expands {ratio} times (to {size} bytes); "
        "at most {n} times is accepted (a 'zip bomb'?)",
    ),
    "records.xlsx_shared_strings": M(
        "已拒绝：XLSX 文件的共享字符串解压后为 {size} 字节；至多接受 {n} 字节"
        "（请拆分文件或另存为 CSV）",
        "refused: the XLSX file's shared strings expand to {size} bytes; at most {n} are "
        "accepted (split the file or save it as CSV)",
    ),
    "records.xlsx_too_big": M(
        "已拒绝：XLSX 文件解压后为 {size} 字节；至多接受 {n} 字节（请拆分文件或另存为 CSV）",
        "refused: the XLSX file expands to {size} bytes; at most {n} are accepted (split the "
        "file or save it as CSV)",
    ),
    "records.sheet_empty": M(
        "工作表“{sheet}”为空：第一个非空行必须是表头",
        "sheet '{sheet}' is empty: the first non-empty row must be the header",
    ),
    "records.header_unnamed": M(
        "表头中 {columns} 没有名称", "the header has no name for {columns}"
    ),
    "records.header_duplicates": M(
        "表头中有重复的列名：{names}", "duplicate column names in the header: {names}"
    ),
    "records.header_nul": M(
        "某列名含有空字符（这是文本文件吗？）",
        "a column name contains a NUL character (is this a text file?)",
    ),
    "records.unit_not_registered": M(
        "{unit}（{uscc}）未登记报送“{item}”（第二十条）",
        "{unit} ({uscc}) is not registered to submit '{item}' (Art. 20)",
    ),
    "records.batch_refused": M("{reason}；批次 {id} 已拒绝", "{reason}; batch {id} refused"),
    "records.batch_quarantined": M(
        "{reason}；批次 {id} 已隔离，未存储任何信息",
        "{reason}; batch {id} quarantined, nothing stored",
    ),
    "records.batch_failed": M(
        "{reason}；批次 {id} 失败，未存储任何信息", "{reason}; batch {id} failed, nothing stored"
    ),
    "records.subject_name_empty": M("名称为空", "name is empty"),
    "records.subject_name_too_long": M(
        "名称长 {n} 个字符，至多 200 个", "name is {n} characters, at most 200"
    ),
    "records.search_too_short": M(
        "请输入文书编号的至少 2 个字符", "type at least 2 characters of a document number"
    ),
    "records.no_batch": M("不存在编号为 {id} 的批次", "no batch {id}"),
}
