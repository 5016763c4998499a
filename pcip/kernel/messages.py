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
    # forms: every field of a submission checked at once (issue 19.8)
    "forms.choose_from_list": M("请从列表中选择", "choose from the list"),
}
