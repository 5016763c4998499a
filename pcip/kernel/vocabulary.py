"""One vocabulary: the words for the codes the platform uses, in both languages.

Codes stay codes wherever machines read them (the API's JSON, the audit log, the CLI's JSON
lines); wherever a person reads one (the portal, the console, a written notice, an error
message), its words come from this one table, so a state, an event, a ground or an outcome
is called the same thing everywhere. Each word has its Simplified Chinese (the default
language of the platform) and its English, and may have other *forms* where a reader needs a
different wording:

``staff``
    the console's wording, where staff need a shorter or more technical name;
``help``
    what a step does, with the article it carries out (console);
``done``
    what the console says after a step was taken;
``notice``
    the wording inside a written notice to the applicant (a clause or a sentence);
``answer``
    the wording in an API answer to the subject;
``action``
    what an event does, as an error message says it ("cannot <action>").

A form a word does not have falls back to the word itself. This module is part of the
kernel: it imports nothing from ``pcip``, so every area and every door may read it. Doors
keep no tables of their own (``tests/test_vocabulary.py`` checks both).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

Form = Literal["staff", "help", "done", "notice", "answer", "action"]
FORMS: tuple[Form, ...] = ("staff", "help", "done", "notice", "answer", "action")
#: The languages of the platform; the first is the default (a Chongqing platform, Art. 1).
LANGUAGES = ("zh_CN", "en")
Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class W:
    """A code's words: Chinese and English, and the other forms it has (each ``(zh, en)``)."""

    zh: str
    en: str
    staff: Pair | None = None
    help: Pair | None = None
    done: Pair | None = None
    notice: Pair | None = None
    answer: Pair | None = None
    action: Pair | None = None

    def form(self, form: Form | None = None) -> Pair:
        """``(zh, en)`` of the form, or of the word itself where it has no such form."""
        pair = getattr(self, form) if form else None
        return pair if pair is not None else (self.zh, self.en)


Word = W

#: kind -> code -> words. The kinds: inquiry modes (Art. 22), channels, duty purposes, kinds
#: of subject (Art. 56), polarity, the labels and reasons of a disclosure decision, states
#: and events of an objection (SM-1), its grounds, deadlines, notices, outcomes (Art. 40-42)
#: and steps, batch statuses, and the scope categories of catalog items (Art. 18).
VOCABULARY: dict[str, dict[str, W]] = {
    "mode": {
        "public_disclosure": W("依法公开", "Public disclosure"),
        "authorized": W("授权查询", "Authorized inquiry", staff=("授权查询", "Authorized")),
        # Art. 22's own name (依职权查询) on every page: the portal once said 依职责查询.
        "authority": W(
            "依职权查询", "Authority-based inquiry", staff=("依职权查询", "Authority-based")
        ),
        "self": W("本人查询", "Self inquiry"),
    },
    "channel": {
        "web": W("网站", "Website"),
        "mobile": W("移动客户端", "Mobile app", staff=("移动端", "Mobile")),
        "desk": W("服务窗口", "Service desk"),
        "api": W("系统接口", "System interface", staff=("接口", "API")),
        "mail": W("邮寄", "Post"),
        "credit_china": W("信用中国", "Credit China"),
        "department": W("部门", "Department", staff=("其他部门转来", "Another department")),
        "cli": W("命令行", "Command line"),
        "console": W("工作台", "Console"),
        "demo": W("演示数据", "Demo data"),
        "test": W("测试", "Test"),
    },
    # Art. 39: who inquired, where it is not an organisation (the log keeps the Chinese).
    "inquirer": {
        "本人": W("本人", "You"),
        "社会公众": W("社会公众", "A member of the public"),
        # As the log wrote them before issue 19.3 (one glued label for both languages).
        "本人 (yourself)": W("本人", "You"),
        "社会公众 (member of the public)": W("社会公众", "A member of the public"),
    },
    "purpose": {
        "administrative_management": W("行政管理", "Administrative management"),
        "public_services": W("公共服务", "Public services"),
        "sector_assessment": W("行业信用评价", "Sector credit assessment"),
        "tiered_supervision": W("分级分类监管", "Tiered and classified supervision"),
        "credit_check": W("办理事项前信用核查", "Credit check before a decision"),
        "law_enforcement": W("执法办案", "Law enforcement"),
        "other_duty": W("其他法定职责", "Other statutory duty"),
    },
    "subject_kind": {
        "person": W("自然人", "Natural person"),
        "legal_person": W("法人", "Legal person"),
        "organisation": W("非法人组织", "Unincorporated organisation"),
    },
    "polarity": {
        "negative": W("失信信息", "Untrustworthiness information", staff=("失信", "Negative")),
        "positive": W("守信信息", "Trustworthiness information", staff=("守信", "Positive")),
        "neutral": W("基础信息", "Basic information", staff=("中性", "Neutral")),
    },
    "record_label": {
        "under_objection": W("异议中", "Under objection"),
        "inquiry_period_ended": W(
            "已停止提供：第四十三条期限届满", "No longer provided: Art. 43 period ended"
        ),
        "basis_revoked": W(
            "已停止提供：认定文书被撤销或变更", "No longer provided: basis revoked or changed"
        ),
        "provision_stopped": W("异议处理后已停止提供", "No longer provided after an objection"),
        "restored": W("已停止提供：信用已修复", "No longer provided: credit restored"),
        "ended": W("已由提供单位移出或终止", "Removed or ended by the providing unit"),
        "conduct_ended": W("失信行为已终止，不再公开", "No longer public: the conduct ended"),
        "publicity_period_ended": W(
            "公示期已届满，不再公开", "No longer public: publicity period ended"
        ),
        "not_published": W(
            "轻微失信信息，不予公示", "Not published: minor untrustworthiness information"
        ),
        "continuing": W(
            "失信行为持续中：提供单位报送终止日期前不计算期限",
            "Continuing: no period runs until the providing unit sends its end",
        ),
        "withdrawn": W(
            "已从您的信用信息中撤回，不再提供",
            "Withdrawn from your information: no longer provided",
        ),
    },
    "reason": {
        "conduct_end_missing": W(
            "未报送失信行为终止日期：期限暂按决定日期计算",
            "No end date of the conduct: period counted provisionally",
        ),
        "severity_missing": W(
            "未报送失信程度：按默认公示期计算",
            "No severity reported: a publicity period is assumed",
        ),
        "not_held": W("该日期不是此版本", "Not the record on that day"),
        "removed": W("信用修复后已删除", "Removed after credit restoration"),
        "inquiry_period_ended": W(
            "第四十三条规定的查询期限已届满", "The Art. 43 inquiry period has ended"
        ),
        "basis_revoked": W("认定文书已被撤销或变更", "The basis document was revoked or changed"),
        "provision_stopped": W("异议处理后停止提供", "Provision stopped after an objection"),
        "restored": W("信用已修复，不再提供", "Credit restored: no longer provided"),
        "withdrawn": W(
            "已撤回：归集主体错误或依据错误",
            "Withdrawn: filed against the wrong subject or on a wrong basis",
        ),
        "purpose_required": W("须说明履职用途", "A duty purpose is required"),
        "disclosure_class": W("此查询方式不提供该类信息", "Not provided in this inquiry mode"),
        "administrative_use_only": W("仅供行政管理使用", "For administrative use only"),
        "not_public_information": W(
            "市场信用信息或自愿申报信息，不予公开",
            "Market or self-declared information: not public",
        ),
        "minor": W("未成年人信息不予公开", "Records of minors are not publicly disclosed"),
        "publicity_period_ended": W("公示期已届满", "The publicity period has ended"),
        "ended": W("已由提供单位移出或终止", "Removed or ended by the providing unit"),
        "conduct_ended": W(
            "失信行为已终止（如已足额缴清），不再公开",
            "The conduct ended (e.g. paid in full): no longer public",
        ),
        "not_published": W(
            "轻微失信信息不予公示", "Minor untrustworthiness information is not published"
        ),
        "continuing": W(
            "失信行为持续中：提供单位报送终止日期前不计算期限",
            "Continuing: no period runs until the providing unit sends its end",
        ),
        "severity_default": W(
            "未报送失信严重程度：适用该目录项的默认程度",
            "No severity reported: the item's default severity applies",
        ),
        "birth_date_unknown": W(
            "出生日期不明：按可能为未成年人处理", "Birth date unknown: treated as possibly a minor"
        ),
    },
    "authorization_status": {
        "active": W("有效", "Active"),
        "not_yet_valid": W("尚未生效", "Not yet valid"),
        "expired": W("已过期", "Expired"),
        "revoked": W("已撤销", "Revoked"),
    },
    "ground": {
        "error": W(
            "信息有错误",
            "The information contains an error",
            staff=("信息有误", "Error in the information"),
            notice=("存在错误", "the information contains an error"),
        ),
        "omission": W(
            "信息有遗漏",
            "The information is incomplete",
            staff=("信息遗漏", "Information incomplete"),
            notice=("存在遗漏", "the information is incomplete (an omission)"),
        ),
        "beyond_period": W(
            "超过法定期限仍在提供查询",
            "The information is still provided after its legal period",
            staff=("超期提供", "Provided beyond its period"),
            notice=(
                "超过法定期限仍在提供",
                "the information is still provided after its legal period",
            ),
        ),
    },
    "state": {
        "received": W(
            "已收到，待标注",
            "Received, awaiting the label",
            staff=("已收件待标注", "Received, to be labelled"),
        ),
        "labelled": W(
            "已标注，待处理", "Labelled, awaiting handling", staff=("已标注", "Labelled")
        ),
        "not_accepted": W("不予受理", "Not accepted"),
        "self_review": W(
            "公共信用服务机构核查中",
            "Being verified by the platform",
            staff=("平台核查中", "Platform review"),
        ),
        "transferred": W(
            "已转交提供单位",
            "Transferred to the providing unit",
            staff=("已转交提供单位", "Transferred to the unit"),
        ),
        "pu_review": W(
            "提供单位核查中",
            "Being verified by the providing unit",
            staff=("提供单位核查中", "Unit reviewing"),
        ),
        "pu_result_returned": W(
            "核查结果已反馈",
            "Verification result returned",
            staff=("提供单位已反馈", "Unit result returned"),
        ),
        "paused": W(
            "暂停计时（检验、检测、评估或专家评审）",
            "Paused (inspection, testing, evaluation or expert review)",
            staff=("期限中止", "Paused"),
        ),
        "decided": W("已作出处理决定", "Decided"),
        "notified": W("已书面告知处理结果", "Outcome notified", staff=("已告知", "Notified")),
        "reexam_requested": W("已申请复核", "Re-examination requested"),
        "reexam_decided": W("已作出复核决定", "Re-examination decided"),
        "reexam_notified": W(
            "已告知复核结果",
            "Re-examination result notified",
            staff=("复核结果已告知", "Re-examination notified"),
        ),
        "closed": W("已办结", "Closed"),
    },
    "event": {
        "received": W("收到异议申请", "Objection received"),
        "labelled": W(
            "已标注异议",
            "Objection label applied",
            action=("标注异议", "apply the objection label"),
        ),
        "not_accepted": W("不予受理", "Not accepted", action=("不予受理", "refuse to accept it")),
        "self_review": W(
            "公共信用服务机构开始核查",
            "Verification by the platform started",
            staff=("平台开始核查", "Platform review started"),
            action=("开始由平台自行核查", "start the platform's own review"),
        ),
        "transferred": W(
            "已转交提供单位",
            "Transferred to the providing unit",
            action=("转交信息提供单位", "transfer it to the providing unit"),
        ),
        "pu_received": W(
            "提供单位已接收转交",
            "Providing unit received the transfer",
            staff=("提供单位已接收", "Received by the unit"),
            action=("登记提供单位已收到", "record the unit's receipt"),
        ),
        "pu_result_returned": W(
            "提供单位已反馈核查结果",
            "Providing unit returned its result",
            staff=("提供单位已反馈", "Unit result returned"),
            action=("反馈提供单位的处理结果", "return the unit's result"),
        ),
        "paused": W(
            "暂停计时", "Handling time paused", action=("暂停办理时限", "pause the handling time")
        ),
        "resumed": W(
            "恢复计时", "Handling time resumed", action=("恢复办理时限", "resume the handling time")
        ),
        "decided": W("已作出处理决定", "Decided", action=("作出处理决定", "decide it")),
        "notified": W(
            "已发出告知书", "Notice issued", action=("告知申请人", "notify the applicant")
        ),
        "reexam_requested": W(
            "已申请复核",
            "Re-examination requested",
            action=("登记复核申请", "register a re-examination request"),
        ),
        "reexam_decided": W(
            "已作出复核决定",
            "Re-examination decided",
            action=("作出复核决定", "decide the re-examination"),
        ),
        "closed": W("已办结", "Closed", action=("结案", "close it")),
    },
    "deadline": {
        "label": W(
            "在信息上标注异议", "Objection label on the records", staff=("异议标注", "Label")
        ),
        "transfer": W("转交提供单位", "Transfer to the providing unit", staff=("转交", "Transfer")),
        "self_handling": W(
            "公共信用服务机构核查处理",
            "Verification and handling by the platform",
            staff=("平台处理", "Platform handling"),
        ),
        "pu_handling": W(
            "提供单位核查处理",
            "Verification and handling by the providing unit",
            staff=("提供单位处理", "Unit handling"),
        ),
        "notice": W(
            "书面告知处理结果",
            "Written notice of the outcome",
            staff=("书面告知", "Written notice"),
        ),
        "reexam": W("复核", "Re-examination"),
    },
    "deadline_status": {
        "met": W("按期完成", "Done in time"),
        "met_late": W("逾期完成", "Done late"),
        "due_today": W("今日到期", "Due today"),
        "open": W("未到期", "Open"),
        "overdue": W("已逾期", "Overdue"),
    },
    "notice": {
        "outcome": W(
            "处理结果告知书",
            "Notice of the outcome",
            staff=("处理结果告知书", "Outcome notice"),
            notice=("异议处理结果告知书", "Written notice of the outcome of your objection"),
        ),
        "not_accepted": W(
            "不予受理告知书",
            "Notice of non-acceptance",
            notice=("异议不予受理告知书", "Notice of non-acceptance of your objection"),
        ),
        "reexam_outcome": W(
            "复核结果告知书",
            "Notice of the re-examination result",
            staff=("复核结果告知书", "Re-examination result notice"),
            notice=("复核结果告知书", "Notice of the result of the re-examination"),
        ),
        "status_update": W(
            "办理进度告知书",
            "Status notice",
            notice=("异议处理进度告知书", "Status of your objection"),
        ),
    },
    "outcome": {
        "corrected": W(
            "已更正",
            "Corrected",
            staff=("予以更正（第四十二条第一项）", "Corrected (Art. 42(1))"),
            notice=(
                "经核查，信息存在错误，已予更正（第四十二条第一项）。",
                "The information was found to contain an error and has been corrected (Art. "
                "42(1)).",
            ),
        ),
        "supplemented": W(
            "已补充",
            "Supplemented",
            staff=("予以补充（第四十二条第二项）", "Supplemented (Art. 42(2))"),
            notice=(
                "经核查，信息存在遗漏，已予补充（第四十二条第二项）。",
                "The information was found to be incomplete and has been supplemented (Art. "
                "42(2)).",
            ),
        ),
        "provision_stopped": W(
            "已停止提供",
            "Provision stopped",
            staff=("停止提供（第四十二条第三项）", "Provision stopped (Art. 42(3))"),
            # The outcome alone does not say why: an expired period (Art. 42(3)), but also an
            # error that cannot be put right or a decision revoked. The notice adds the
            # period's sentence only on that ground (pcip.objections.notices).
            notice=(
                "经核查，平台已在各查询方式中停止提供该信息，理由见下。",
                "After verification the platform has stopped providing the information in every "
                "inquiry mode, for the reasons below.",
            ),
        ),
        "upheld": W(
            "维持原信息",
            "Upheld",
            staff=("维持：信息准确无误", "Upheld: the information stands"),
            notice=(
                "经核查，信息准确、完整，维持原记录。",
                "The information was verified and found to be accurate and complete: it stands as "
                "recorded.",
            ),
        ),
        "withdrawn": W(
            "从该主体撤回",
            "Withdrawn from the subject",
            staff=("撤回：主体错误或依据错误", "Withdrawn: wrong subject or wrong basis"),
            notice=(
                "经核查，该信息并非关于您，或者没有有效的依据，已从您的信用信息中撤回，不再向任何"
                "人提供（第十九条、第二十一条、第四十二条第一项）。",
                "The information was found not to be yours, or to have been recorded without a "
                "valid basis: it has been withdrawn from your credit information and is no longer "
                "provided to anyone (Art. 19, 21, 42(1)).",
            ),
        ),
    },
    "withdrawal_ground": {
        "wrong_subject": W(
            "归集主体错误",
            "Filed against the wrong subject",
            notice=("错误地归集在您的名下", "had been filed against you in error"),
            answer=(
                "错误地归集在您的名下：已从您的信用信息中撤回",
                "filed against you in error: withdrawn from your credit information",
            ),
        ),
        "wrong_basis": W(
            "依据错误",
            "Recorded on a wrong basis",
            notice=(
                "所依据的文书不能作为其依据",
                "had been recorded on a basis that does not support it",
            ),
            answer=(
                "所依据的文书不能作为其依据：已从您的信用信息中撤回",
                "recorded on a basis that does not support it: withdrawn from your credit "
                "information",
            ),
        ),
    },
    "pause_type": {
        "inspection": W("检验", "Inspection"),
        "testing": W("检测", "Testing"),
        "evaluation": W("评估", "Evaluation"),
        "expert_review": W("专家评审", "Expert review"),
    },
    "decline_basis": {
        "no_legitimate_reason": W(
            "无正当理由",
            "No legitimate reason",
            notice=("异议未提出正当理由", "the objection gives no legitimate reason"),
        ),
        "repeat": W(
            "无新证据重复提出已办结的异议（D-4）",
            "Repeats a concluded objection without new evidence (D-4)",
            notice=(
                "异议与已处理的异议事由相同，且未提供新的证据",
                "the objection repeats one already handled on the same grounds, without new "
                "evidence",
            ),
        ),
    },
    "route": {
        "self": W("平台自行处理", "Handled by the platform"),
        "transferred": W("已转办", "Transferred"),
    },
    "alert": {
        "unit_result_notified": W(
            "提供单位结果已送达：已作出处理并出具告知书",
            "Unit result arrived: decision and notice issued",
        ),
        "not_transferred_wd1": W(
            "第一个工作日内未转交", "Not transferred on its first working day"
        ),
    },
    "step": {
        "label": W(
            "加注异议标注",
            "Apply the objection label",
            help=(
                "自收到之日起1个工作日内在有异议的信息上加注异议标注；信息在标注后继续公开（第四十"
                "条第二款、第四十一条第一款）。",
                "Notes the objection on each disputed record within 1 working day; the records "
                "stay disclosed with the label (Art. 40 para 2, Art. 41 para 1).",
            ),
            done=("异议标注已加在相关信息上。", "The objection label is on the records."),
        ),
        "decline": W(
            "不予受理",
            "Decline",
            help=(
                "对无正当理由或无新证据重复提出的异议不予受理，并书面说明理由（第四十一条第三款）"
                "。",
                "Refuses the objection for having no legitimate reason, or as a repeat without "
                "new evidence, with a reasoned notice (Art. 41 para 3).",
            ),
            done=(
                "已决定不予受理，并已出具告知书。",
                "The objection is declined and the notice issued.",
            ),
        ),
        "self_review": W(
            "由平台核查处理",
            "Review on the platform",
            help=(
                "属于平台职责范围的，由平台自收到之日起3个工作日内核查处理（第四十条第二款第一项）"
                "。",
                "The platform verifies and handles the case itself, within 3 working days of "
                "receipt (Art. 40 para 2(1)).",
            ),
            done=("已转为平台自行核查。", "The platform is reviewing the case."),
        ),
        "transfer": W(
            "转交提供单位",
            "Transfer to the providing unit",
            help=(
                "自收到之日起2个工作日内转交提供该信息的单位（第四十条第二款第二项）。",
                "Sends the case to the unit that provided the records, within 2 working days of "
                "receipt (Art. 40 para 2(2)).",
            ),
            done=("已转交信息提供单位。", "The case is transferred to the providing unit."),
        ),
        "unit_receive": W(
            "确认接收",
            "Confirm receipt",
            help=(
                "记录本单位已接收：3个工作日的处理期限自今日起算（第四十条第二款第二项）。",
                "Records the unit's receipt: its 3 working days run from today (Art. 40 para "
                "2(2)).",
            ),
            done=(
                "已确认接收：本单位的处理期限自今日起算。",
                "Receipt recorded: the unit's handling time runs from today.",
            ),
        ),
        "unit_result": W(
            "反馈核查结果",
            "Return the result",
            help=(
                "向平台反馈本单位的核查处理结果（第四十条第二款第二项）。平台即时据此处理，向申请"
                "人出具书面告知书，并提示运营单位（D-2）。",
                "Returns the unit's verification result to the platform (Art. 40 para 2(2)). The "
                "platform applies it, issues the written notice to the applicant and tells the "
                "operator at once (D-2).",
            ),
            done=(
                "核查结果已反馈：平台已据此作出处理决定并向申请人出具书面告知书，运营单位已收到提"
                "示。",
                "The result is returned: the decision and the notice to the applicant were issued "
                "from it, and the operator was told.",
            ),
        ),
        "pause": W(
            "中止计算处理期限",
            "Pause the handling time",
            help=(
                "因检验、检测、评估或专家评审中止计算期限；须说明理由并提供证明材料（第四十一条第"
                "二款）。",
                "Stops the clock for inspection, testing, evaluation or expert review; a reason "
                "and evidence are required (Art. 41 para 2).",
            ),
            done=("处理期限已中止计算。", "The handling time is paused."),
        ),
        "resume": W(
            "恢复计算处理期限",
            "Resume the handling time",
            help=(
                "恢复计算期限；中止期间不计入（第四十一条第二款）。",
                "Starts the clock again; the paused days stay excluded (Art. 41 para 2).",
            ),
            done=("处理期限已恢复计算。", "The handling time runs again."),
        ),
        "decide": W(
            "作出处理决定",
            "Decide",
            help=(
                "更正、补充、停止提供、从错误主体撤回信息，或维持原记录；异议标注随即撤除（第四十"
                "二条）。",
                "Corrects, supplements, stops providing, withdraws from the wrong subject or "
                "upholds the information; the label comes off at once (Art. 42).",
            ),
            done=(
                "处理决定已记录，异议标注已撤销。",
                "The decision is recorded and the label removed.",
            ),
        ),
        "notify": W(
            "出具处理结果告知书",
            "Issue the outcome notice",
            help=(
                "出具处理结果书面告知书，应在收到异议之日起5个工作日内完成（第四十条第三款）。",
                "Issues the written notice of the outcome, due within 5 working days of receipt "
                "(Art. 40 para 3).",
            ),
            done=("书面告知书已出具。", "The notice is issued."),
        ),
        "notify_reexam": W(
            "出具复核结果告知书",
            "Issue the re-examination notice",
            help=(
                "出具复核结果书面告知书（第四十条第四款）。",
                "Issues the written notice of the re-examination result (Art. 40 para 4).",
            ),
            done=("书面告知书已出具。", "The notice is issued."),
        ),
        "status_notice": W(
            "出具办理进展告知书",
            "Issue a status notice",
            help=(
                "书面告知申请人案件仍在办理中以及哪个环节已逾期（第四十条第三款；D-2）。",
                "Tells the applicant in writing that the case is still being handled and which "
                "step is late (Art. 40 para 3; D-2).",
            ),
            done=("进展告知书已出具。", "The status notice is issued."),
        ),
        "request_reexam": W("申请复核", "Request re-examination"),
        "register_reexam": W(
            "登记书面复核申请",
            "Register a paper re-examination application",
            help=(
                "登记在本部门窗口或通过邮寄收到的书面复核申请；3个工作日自收到之日起计算。申请复核"
                "没有期限，异议归档后仍可申请；每件异议复核一次（第四十条第四款）。",
                "Registers an application for re-examination received on paper at the "
                "department's window or by post; the 3 working days run from the day it arrived. "
                "There is no time limit for applying, even after the case is closed; a case is "
                "re-examined once (Art. 40 para 4).",
            ),
            done=("复核申请已登记。", "The re-examination application is registered."),
        ),
        "decide_reexam": W(
            "作出复核决定",
            "Decide the re-examination",
            help=(
                "自收到复核申请之日起3个工作日内作出复核结果；改变处理结果的，依照第四十二条处理相"
                "关信息（第四十条第四款）。",
                "The re-examination result, within 3 working days of the application; a changed "
                "outcome applies Art. 42 to the records (Art. 40 para 4).",
            ),
            done=("复核决定已记录。", "The re-examination decision is recorded."),
        ),
        "close": W(
            "办结归档",
            "Close the case",
            help=(
                "案件纳入异议处理档案（第四十一条第三款）。",
                "The case joins the archive of objection dispositions (Art. 41 para 3).",
            ),
            done=("案件已办结归档。", "The case is closed."),
        ),
    },
    # The details an objection's event carries (its payload's keys), as the console's history
    # lists them.
    "event_detail": {
        "records": W("所涉记录", "Records"),
        "evidence": W("证据材料", "Evidence"),
        "provider_id": W("信息提供单位", "Providing unit"),
        "notice": W("告知书", "Notice"),
        "notice_id": W("告知书编号", "Notice no."),
        "subject_id": W("信用主体", "Credit subject"),
        "statement": W("陈述", "Statement"),
        "repeat_of": W("重复的异议", "Repeats objection"),
        "reasons": W("理由", "Reasons"),
        "note": W("备注", "Note"),
        "late": W("逾期", "Late"),
        "ground": W("异议理由类别", "Ground"),
        "channel": W("渠道", "Channel"),
        "basis": W("依据", "Basis"),
        "outcome": W("处理结果", "Outcome"),
        "changes": W("更改的内容", "Changes"),
        "versions": W("新版本", "New versions"),
        "stopped": W("停止提供的记录", "Records no longer provided"),
        "label_removed": W("撤除异议标注", "Objection label removed"),
        "withdrawal": W("撤回", "Withdrawal"),
        "refile_to": W("改为归集至", "Filed again under"),
        "from_unit_result": W("依据提供单位的核查结果", "From the unit's result"),
        "unit": W("作出结果的提供单位", "Unit that returned the result"),
        "type": W("暂停事由", "Pause for"),
        "reason": W("说明", "Explanation"),
        "reexam": W("暂停的时限", "Time limit paused"),
        "applicant": W("申请人", "Applicant"),
        "received_at": W("收件时间", "Received at"),
        # Not kept in an event, but checked with the others (a refusal names them).
        "agent": W("代理人", "Agent"),
        "name": W("名称", "Name"),
    },
    # Who took a step on an objection (the role part of an event's actor), as its history
    # names them; the person's or unit's own name is shown beside it where the platform has it.
    "actor": {
        "public": W("公众", "A member of the public"),
        "subject": W("信用主体", "The subject"),
        "grantee": W("被授权查询方", "Authorized third party"),
        "provider": W("信息提供单位", "Providing unit"),
        "operator": W("平台操作员", "Platform operator"),
        "drc": W("发展改革部门", "Development and reform department"),
        "system": W("平台自动处理", "The platform (automatic)"),
    },
    # How a subject is identified (Art. 19), as a refusal to refile a record names it.
    "id_type": {
        "citizen_id": W("公民身份号码", "Citizen ID number"),
        "uscc": W("统一社会信用代码", "Unified social credit code"),
        "document": W("其他有效证件", "Other valid document"),
        "registration_no": W("注册号", "Registration number"),
    },
    # Why a record's version exists, where the ledger keeps a fixed reason (others, such as
    # a correction's own reasons, are shown as written).
    "version_reason": {
        "submitted": W("提供单位报送", "Submitted"),
        "resubmitted with changes": W("提供单位重新报送（内容有变）", "Resubmitted with changes"),
    },
    # Art. 17, 35 (issue 20): a change proposal's states and the steps taken on it.
    "proposal_state": {
        "draft": W("草稿", "Draft"),
        "submitted": W("已提交", "Submitted"),
        "screened": W("已审查", "Screened"),
        "returned": W("已退回", "Returned"),
        "consultation": W("公开征求意见中", "Open for comment"),
        "consultation_closed": W("征求意见已结束", "Comment closed"),
        "submitted_to_mpg": W("已报市人民政府", "Submitted to the municipal government"),
        "approved": W("已批准", "Approved"),
        "rejected": W("未获批准", "Rejected"),
        "published": W("已发布", "Published"),
        "withdrawn": W("已撤回", "Withdrawn"),
    },
    "proposal_step": {
        "submit": W("提交", "Submit"),
        "withdraw": W("撤回", "Withdraw"),
        "screen": W("按范围审查", "Screen against the scope"),
        "return": W("退回提出部门", "Return to the department"),
        "open": W("公开征求意见", "Open for public comment"),
        "moderate": W("审核", "Moderate"),
        "answer": W("答复", "Answer"),
        "close": W("结束征求意见", "Close the comment period"),
        "to_mpg": W("报市人民政府", "Submit to the municipal government"),
        "decide": W("登记市人民政府决定", "Record the municipal government's decision"),
        "publish": W("发布新版本", "Publish the new version"),
    },
    "batch_status": {
        "processing": W("处理中", "Processing"),
        "completed": W("已完成", "Completed"),
        "failed": W("失败：未存储任何数据", "Failed: nothing stored"),
        "quarantined": W("已隔离：目录外事项", "Quarantined: unknown item"),
        "refused": W("已拒收：未登记该事项", "Refused: item not registered"),
    },
    "scope_category": {
        "1": W("登记注册等基础信息", "registration and other basic information"),
        "2": W(
            "行政处罚、行政许可、行政确认、行政给付、行政裁决、行政补偿、监督检查、行政奖励等信息",
            "administrative acts: punishment, permit, confirmation, payment, ruling, "
            "compensation, supervisory inspection, admonition and other acts",
        ),
        "3": W(
            "拒不缴纳依法应当缴纳的税款、社会保险费、行政事业性收费、政府性基金等信息",
            "refusal to pay taxes, social insurance, administrative fees or government funds",
        ),
        "4": W(
            "司法裁判、仲裁文书等信息，拒不履行生效法律文书确定义务的信息",
            "judicial and arbitral documents; refusal to perform effective legal documents",
        ),
        "5": W(
            "提供虚假材料、隐瞒事实真相，损害社会管理秩序和社会公共利益的信息",
            "false materials or concealment harming public order or the public interest",
        ),
        "6": W("信用承诺履行情况等信息", "performance of credit pledges"),
        "7": W("表彰奖励、慈善捐赠、志愿服务等信息", "commendations, charity and volunteering"),
        "8": W("本市地方性法规规定的其他信息", "other information set by a city local regulation"),
    },
    # Art. 44-45: a credit restoration case's states and what staff do to it (the refusals
    # "cannot <action> a case in state <state>" name both).
    "restoration_state": {
        "submitted": W("已收到申请", "Received"),
        "assigned": W("已指定修复专员", "Officer named"),
        "not_accepted": W("不予受理", "Not accepted"),
        "under_review": W("审核中", "Under review"),
        "materials_requested": W("需补充材料", "Materials requested"),
        "restored": W("信用已修复", "Credit restored"),
        "rejected": W("不予修复", "Not restored"),
    },
    "restoration_event": {
        "submitted": W("申请已收到", "Application received"),
        "assigned": W("已指定信用修复专员", "Restoration officer named"),
        "accepted": W("已受理", "Accepted for review"),
        "not_accepted": W("不予受理", "Not accepted"),
        "materials_requested": W("要求补充材料", "Further materials requested"),
        "materials_received": W("已补充材料", "Materials supplied"),
        "approved": W("准予信用修复", "Restoration approved"),
        "rejected": W("不予信用修复", "Restoration not granted"),
        "executed": W("已停止向他人提供", "No longer provided to anyone else"),
    },
    "restoration_action": {
        "assign": W("指定修复专员", "assign"),
        "accept": W("受理", "accept"),
        "not accept": W("不予受理", "not accept"),
        "request materials": W("要求补充材料", "request materials"),
        "reject": W("不予修复", "reject"),
        "approve": W("准予修复", "approve"),
    },
    # Art. 46: a complaint's states (each the step that led to it) and what a legal case
    # suspends.
    "complaint_state": {
        "received": W("已收到", "Received"),
        "accepted": W("已受理", "Accepted"),
        "not_accepted": W("不予受理", "Not accepted"),
        "redirected": W(
            "已告知向有权处理的机关提出",
            "Passed on to the body competent for it",
            staff=("已告知依法通过相应途径处理", "Redirected to its legal channel"),
        ),
        "answered": W("已答复", "Answered"),
    },
    "case_target": {
        "application": W("惩戒措施适用", "application"),
        "designation": W("名单认定", "designation"),
    },
    # Art. 30-33: a designation's states and what a department does to it.
    "designation_state": {
        "draft": W("草稿", "Draft"),
        "objection_window": W("已送达告知书：陈述申辩期内", "Notice served: statement window open"),
        "window_lapsed": W("陈述申辩期已届满", "Statement window closed"),
        "statement_received": W("已收到陈述申辩", "Statement received"),
        "responded": W("已答复陈述申辩", "Statement answered"),
        "dropped": W("已终止认定", "Dropped"),
        "decided": W("已作出认定决定", "Decided"),
        "decision_served": W("认定决定书已送达", "Decision served"),
        "listed": W("已列入名单", "Listed"),
        "removed": W("已移出", "Removed"),
        "expired": W("已到期", "Expired"),
        "revoked": W("已撤销（第四十四条）", "Revoked (Art. 44)"),
        "no_longer_provided": W("已不再提供（第四十三条）", "No longer provided (Art. 43)"),
    },
    "designation_action": {
        "serve the notice": W("送达列入前告知书", "serve the notice"),
        "file a statement": W("登记陈述申辩", "file a statement"),
        "respond": W("答复陈述申辩", "respond"),
        "drop": W("终止认定", "drop"),
        "decide": W("作出认定决定", "decide"),
        "serve the decision": W("送达认定决定书", "serve the decision"),
        "list": W("列入名单", "list"),
        "remove": W("移出名单", "remove"),
        "revoke": W("撤销认定", "revoke"),
    },
    # Art. 47-55 (issue 20.4): credit service establishments and oversight orders.
    "establishment_category": {
        "public_service": W("公共信用服务机构", "public credit service establishment"),
        "credit_reporting": W("征信机构", "credit reporting"),
        "rating": W("信用评级机构", "credit rating"),
        "information_inquiry": W("信息查询", "information inquiry"),
        "risk_control": W("信用风险控制", "credit risk control"),
        "other": W("其他信用服务", "other credit services"),
    },
    "supervision_kind": {
        "inspection": W("检查", "inspection"),
        "spot_check": W("抽查", "spot check"),
        "complaint": W("投诉核查", "complaint"),
        "unfiled_activity": W("未备案经营", "operating without a filing"),
    },
    "order_status": {
        "open": W("整改期内", "within the set period"),
        "overdue": W("逾期未整改", "overdue, not corrected"),
        "corrected": W("已按期整改", "corrected in time"),
        "corrected_late": W("逾期后整改", "corrected late"),
    },
    "oversight_addressee": {
        "department": W("部门或信息提供单位", "department or providing unit"),
        "platform": W("平台运行维护机构", "the platform's operator"),
    },
    "escalation": {
        "criticism_circulated": W("通报批评", "criticism circulated"),
        "sanction_referred": W("移送追责", "sanctions referred"),
    },
    # Issue 19.3: enumerated values of catalog fields, by the word stored (the catalog's
    # choices, as units send them): shown in the page's language (pcip.catalog.schemas,
    # CHOICE_KINDS names the fields).
    # The three severity classes (docs/facts.md#publicity-periods).
    "severity": {
        "轻微": W("轻微", "minor"),
        "一般": W("一般", "general"),
        "严重": W("严重", "serious"),
    },
    # Art. 8-9: the kinds of breach recorded against a government body.
    "breach_type": {
        "违背政策承诺": W("违背政策承诺", "breach of a policy commitment"),
        "违约毁约": W("违约毁约", "breach or repudiation of a contract"),
        "拒不履行生效法律文书": W(
            "拒不履行生效法律文书", "refusal to perform an effective legal document"
        ),
    },
    # Art. 9: a government body's registered pledge or contract, and an accountability case.
    "commitment_state": {
        "in_force": W("履行中", "In force"),
        "performed": W("已履行", "Performed"),
        "changed": W("已变更", "Changed"),
        "terminated": W("已终止", "Terminated"),
        "breached": W("已失信", "Breached"),
    },
    "accountability_state": {
        "pending": W("待处理", "Pending"),
        "investigating": W("调查中", "Investigating"),
        "concluded": W("已办结", "Concluded"),
    },
}


def _language(locale: str) -> int:
    """0 for Chinese (the default), 1 for English."""
    return 1 if locale.lower().startswith("en") else 0


def has(kind: str, code: object, form: Form | None = None) -> bool:
    """Whether ``code`` of ``kind`` has words (and, if ``form`` is given, that form)."""
    w = VOCABULARY.get(kind, {}).get(str(code))
    return w is not None and (form is None or getattr(w, form) is not None)


def word(kind: str, code: object, locale: str = LANGUAGES[0], form: Form | None = None) -> str:
    """The words for ``code`` of ``kind`` in ``locale``: the code itself if it has none."""
    w = VOCABULARY.get(kind, {}).get(str(code))
    if w is None:
        return str(code)
    return w.form(form)[_language(locale)]


def both(kind: str, code: object, form: Form | None = None) -> Pair:
    """``(zh, en)`` for ``code`` of ``kind`` (a written notice says both)."""
    return VOCABULARY[kind][str(code)].form(form)


def codes(kind: str) -> tuple[str, ...]:
    """The codes of ``kind`` that have words, in the table's order."""
    return tuple(VOCABULARY[kind])


def rows() -> Iterator[tuple[str, str, str, str]]:
    """Every ``(kind, code, zh, en)``: the table as a reader (or ``pcip words``) lists it."""
    for kind, words in VOCABULARY.items():
        for code, w in words.items():
            yield kind, code, w.zh, w.en
