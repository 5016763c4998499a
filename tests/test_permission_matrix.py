"""The permission matrix (Art. 22, 27, 39): every endpoint, called as every role and anonymously,
answers as ``EXPECTED`` says, and no caller ever receives another subject's non-public
information.

``EXPECTED`` is the whole HTTP access policy in one table. A route missing from it fails the
test (a new endpoint cannot escape the matrix), and so does a row naming a route that no longer
exists. Each call is a plausible, valid request with real ids from a populated world
(``tests.world``), so a permitted caller reaches the handler and succeeds, and a refused one is
refused by the access policy, not by a malformed request.

The privacy property is checked on the raw text of every response, whatever its status:
``SECRET_A`` (planted in a non-public record of person A) reaches only A, the providing unit
(authority mode), and the bank through the authorization A granted it; ``SECRET_B`` only B and
the unit (B authorized no one). A person's full citizen ID reaches only that person and the
unit (never the public, a third party, or anyone else).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from fastapi import FastAPI, routing
from fastapi.routing import APIRoute
from sqlalchemy import func, select

from pcip import clock
from pcip.app import create_app
from pcip.auth import service as auth
from pcip.calendar.schedule import schedules_from_chinesecalendar
from pcip.inquiry import scope
from pcip.inquiry.models import InquiryAlert
from pcip.kernel.platform import Platform
from pcip.objections.models import Evidence, Notice, ObjectionAlert
from pcip.providers.service import get_provider
from pcip.records.models import Batch, CreditRecord
from pcip.reports.models import CreditReport
from tests.client import TestClient
from tests.establishments.support import matrix_fixtures
from tests.governance.matrix import governance_requests
from tests.helpers import citizen_id, uscc
from tests.integrity.matrix import integrity_requests
from tests.lists.support import designation_in
from tests.lists.support import staff as unit_staff
from tests.objections.cases import case_in

# --- who calls, and the access policy: one table for the API and the web (tests.permission_table)
from tests.permission_table import (
    API as EXPECTED,
)
from tests.permission_table import (
    CALLERS,
    CASE,
    DESIGNATION,
    ESTABLISHMENT,
    ME_AUTHORIZATION,
    OVERSIGHT_ORDER,
    SCOPES,
    UNIT,
    Access,
    api_answer,
)
from tests.records.builders import penalty_rows
from tests.restoration.matrix import restoration_requests
from tests.revocation.matrix import complaint_requests, revocation_requests
from tests.world import ACTOR, BANK, NOW, PASSWORD, SECRET_A, SECRET_B, World, WorldData, reopen
from tests.world import UNIT as UNIT_USCC

OTHER_BANK = uscc(951)
#: Callers that sign in with a session (a logout ends it); the others hold API keys.
SESSION_CALLERS = ("operator", "drc", "staff", "subject_a", "subject_b", "org")

#: These would spoil later calls (an ended session, a revoked authorization): they run last,
#: on sessions and an authorization made for the purpose.
RUN_LAST = (("POST", "/api/v1/auth/logout"), ("DELETE", ME_AUTHORIZATION))
#: Person A's own report, issued here, is the one the report routes then read (issuing one
#: draws a PDF, a second of CPU; see ``report_requests``).
RUN_FIRST = (("POST", "/api/v1/me/reports"),)

#: Answers that change nothing: the call was refused. A resource made for a call (a callable
#: ``url`` or ``json``) serves the callers after a refusal too, and is made afresh after any
#: other answer (a success, or an unexpected error that may have changed it). Every caller
#: still meets the resource in the state its step needs, and one whose refusal wrongly
#: changed it shows as a failure of the next caller.
REFUSED = frozenset({401, 403, 404})


# --- the requests ---------------------------------------------------------------------------

Body = dict[str, Any] | Callable[[], dict[str, Any]] | None


Url = str | Callable[[], str]
Files = Callable[[], list[tuple[str, tuple[str, bytes, str]]]] | None


@dataclass(frozen=True)
class Call:
    #: A callable URL (or body) makes a fresh resource (a case in the state a step needs), so
    #: one permitted caller's success does not turn the next one's into a conflict; callers
    #: that are refused share one (``REFUSED``).
    url: Url
    json: Body = None
    params: dict[str, str] = field(default_factory=dict)
    #: multipart/form-data fields and files (uploads).
    data: dict[str, Any] | None = None
    files: Files = None
    #: What the call is about, for the failure report.
    note: str = ""


@dataclass
class Setup:
    world: World
    #: Person A's authorization of the bank (category 6: credit pledges, holding SECRET_A).
    authorization_id: int
    #: A second one of A's, revoked by the matrix at the end.
    spare_authorization_id: int
    batch_id: int
    alert_id: int
    batch_rows: list[dict[str, str]]
    #: Person A's admin penalty (the record A objects to).
    a_record: int
    #: A case of A's transferred to the unit, decided and notified: notice and evidence ids.
    read_case: int
    notice_id: int
    evidence_id: int
    #: D-2: the alert raised when the unit's result on ``read_case`` was notified.
    objection_alert_id: int


def _assertion(world: World, name: str, number: str) -> str:
    r = world.client.post(
        "/dev-idp/assertions", json={"name": name, "id_type": "citizen_id", "id_number": number}
    )
    assert r.status_code == 200, r.text
    return str(r.json()["assertion"])


def requests_for(s: Setup) -> dict[tuple[str, str], list[Call]]:
    """One or more plausible, valid requests per route."""
    w = s.world
    person_c = citizen_id(14)  # a third person, signing in for the first time
    grant = {
        "grantee_uscc": BANK,
        "purpose": "个人经营贷款审批 (business loan assessment)",
        "channels": ["api"],
        "items": ["admin_penalty"],
        "valid_to": "2027-06-30",
    }
    authority = {"purpose_code": "credit_check", "purpose": "资质审批前信用核查 (permit check)"}
    scopes_url = SCOPES.format(provider=UNIT_USCC)
    spare_items = iter(
        [
            "social_insurance_arrears",
            "court_judgment_defaulter",
            "abnormal_operation_list",
            "false_materials",
            "commendation",
            "admin_licence",
            "admin_inspection",
            "pledge_breach",
            "volunteering",
            "charity_donation",
            "registration_info",
            "cq_government_pledge_breach",
        ]
    )

    def fresh_grant() -> int:
        with w.platform.transaction() as session:
            unit = get_provider(session, UNIT_USCC)
            return scope.grant(
                session, ACTOR, unit, next(spare_items), "《条例》第二十二条第二款"
            ).id

    return {
        ("GET", "/docs"): [Call("/docs")],
        ("GET", "/favicon.ico"): [Call("/favicon.ico")],
        ("GET", "/api/v1/health"): [Call("/api/v1/health")],
        ("GET", "/api/v1/catalog/items"): [Call("/api/v1/catalog/items")],
        ("GET", "/api/v1/catalog/items/{code}"): [Call("/api/v1/catalog/items/pledge_made")],
        ("POST", "/api/v1/auth/login"): [
            Call("/api/v1/auth/login", {"username": "drc", "password": PASSWORD})
        ],
        ("POST", "/api/v1/auth/subject"): [
            Call(
                "/api/v1/auth/subject",
                lambda: {"assertion": _assertion(w, "赵六", person_c)},
                note="person C",
            )
        ],
        ("POST", "/api/v1/auth/logout"): [Call("/api/v1/auth/logout")],
        ("GET", "/api/v1/auth/me"): [Call("/api/v1/auth/me")],
        ("GET", "/dev-idp/jwks.json"): [Call("/dev-idp/jwks.json")],
        ("POST", "/dev-idp/assertions"): [
            Call(
                "/dev-idp/assertions",
                {"name": "赵六", "id_type": "citizen_id", "id_number": person_c},
                note="person C",
            )
        ],
        ("GET", "/api/v1/public/organisations"): [
            Call("/api/v1/public/organisations", params={"q": "示例科技"})
        ],
        ("GET", "/api/v1/public/organisations/{key}"): [
            Call(f"/api/v1/public/organisations/{w.org_uscc}")
        ],
        ("POST", "/api/v1/public/persons"): [
            Call("/api/v1/public/persons", {"citizen_id": w.person_a}, note="about A"),
            Call("/api/v1/public/persons", {"citizen_id": w.person_b}, note="about B"),
        ],
        ("POST", "/api/v1/inquiries/authority"): [
            Call(
                "/api/v1/inquiries/authority",
                {**authority, "subject": {"citizen_id": w.person_a}},
                note="about A",
            ),
            Call(
                "/api/v1/inquiries/authority",
                {**authority, "subject": {"citizen_id": w.person_b}},
                note="about B",
            ),
            Call(
                "/api/v1/inquiries/authority",
                {**authority, "subject": {"uscc": w.org_uscc}},
                note="about the company",
            ),
        ],
        ("GET", "/api/v1/inquiries/authority/scope"): [Call("/api/v1/inquiries/authority/scope")],
        ("GET", SCOPES): [Call(scopes_url)],
        ("POST", SCOPES): [
            Call(
                scopes_url,
                {"item_code": "tax_arrears", "legal_basis": "《重庆市社会信用条例》第三十四条"},
            )
        ],
        ("POST", SCOPES + "/{grant_id}/revoke"): [
            Call(lambda: f"{scopes_url}/{fresh_grant()}/revoke", {"reason": "职责调整"})
        ],
        ("GET", "/api/v1/inquiries/confidential-reasons"): [
            Call("/api/v1/inquiries/confidential-reasons")
        ],
        ("POST", "/api/v1/inquiries/authorized"): [
            Call(
                "/api/v1/inquiries/authorized",
                {"authorization_id": s.authorization_id},
                note="under A's authorization of the bank",
            )
        ],
        ("GET", "/api/v1/grantee/authorizations"): [Call("/api/v1/grantee/authorizations")],
        ("GET", "/api/v1/me/records"): [Call("/api/v1/me/records")],
        ("GET", "/api/v1/me/inquiries"): [Call("/api/v1/me/inquiries")],
        ("GET", "/api/v1/me/authorizations"): [Call("/api/v1/me/authorizations")],
        ("POST", "/api/v1/me/authorizations"): [Call("/api/v1/me/authorizations", grant)],
        ("DELETE", ME_AUTHORIZATION): [
            Call(f"/api/v1/me/authorizations/{s.spare_authorization_id}", note="A's spare one")
        ],
        ("POST", "/api/v1/batches"): [
            Call(
                "/api/v1/batches",
                {"item": "admin_penalty", "rows": s.batch_rows, "source_name": "matrix.json"},
            )
        ],
        ("GET", "/api/v1/batches"): [Call("/api/v1/batches", params={"limit": "10"})],
        ("GET", "/api/v1/batches/{batch_id}"): [Call(f"/api/v1/batches/{s.batch_id}")],
        ("GET", "/api/v1/batches/{batch_id}/rejected"): [
            Call(f"/api/v1/batches/{s.batch_id}/rejected", params={"format": "jsonl"})
        ],
        ("GET", "/api/v1/alerts"): [Call("/api/v1/alerts")],
        **objection_requests(s),
        **list_requests(s),
        **restoration_requests(s.world, Call),
        **revocation_requests(s.world),
        **complaint_requests(s.world),
        **report_requests(s),
        **establishment_requests(s),
        **governance_requests(s.world),
        **integrity_requests(s.world),
        ("POST", "/api/v1/alerts/{alert_id}/acknowledge"): [
            Call(f"/api/v1/alerts/{s.alert_id}/acknowledge")
        ],
    }


def objection_requests(s: Setup) -> dict[tuple[str, str], list[Call]]:
    """Objections, corrections and the calendar: each step on a fresh case in its state."""
    w = s.world
    a_id = w.subject_ids["subject_a"]
    case_url = f"/api/v1/objections/{s.read_case}"

    def fresh(state: str, step: str) -> Callable[[], str]:
        return lambda: (
            f"{CASE.split('{')[0]}{case_in(w.platform, a_id, [s.a_record], state)}/{step}"
        )

    evidence: Files = lambda: [("evidence", ("copy.txt", "见附件。".encode(), "text/plain"))]  # noqa: E731
    filing = {"record_ids": [str(s.a_record)], "ground": "error", "statement": "金额有误"}
    counter = iter(range(1, 10_000))
    schedule = schedules_from_chinesecalendar([2026])[2026].as_json()
    upheld = {"outcome": "upheld", "reasons": "经核实无误"}
    return {
        ("GET", "/api/v1/me/objections"): [Call("/api/v1/me/objections")],
        ("POST", "/api/v1/me/objections"): [
            Call("/api/v1/me/objections", data=filing, files=evidence, note="A's record")
        ],
        ("POST", "/api/v1/objections"): [
            Call(
                "/api/v1/objections",
                data={**filing, "subject_id": str(a_id), "applicant": "张三", "channel": "desk"},
                files=evidence,
            )
        ],
        ("GET", "/api/v1/objections"): [
            Call("/api/v1/objections", params={"subject_id": str(a_id)})
        ],
        ("GET", "/api/v1/objections/queue"): [Call("/api/v1/objections/queue")],
        ("GET", "/api/v1/objections/alerts"): [Call("/api/v1/objections/alerts")],
        ("POST", "/api/v1/objections/alerts/{alert_id}/acknowledge"): [
            Call(f"/api/v1/objections/alerts/{s.objection_alert_id}/acknowledge")
        ],
        ("POST", "/api/v1/objections/overdue-check"): [Call("/api/v1/objections/overdue-check")],
        ("GET", "/api/v1/objections/transferred"): [Call("/api/v1/objections/transferred")],
        ("GET", "/api/v1/objections/reexaminations"): [Call("/api/v1/objections/reexaminations")],
        ("GET", CASE): [Call(case_url)],
        ("GET", CASE + "/notices/{notice_id}"): [Call(f"{case_url}/notices/{s.notice_id}")],
        ("GET", CASE + "/evidence/{evidence_id}"): [Call(f"{case_url}/evidence/{s.evidence_id}")],
        ("POST", CASE + "/label"): [Call(fresh("received", "label"))],
        ("POST", CASE + "/decline"): [
            Call(
                fresh("received", "decline"),
                {"basis": "no_legitimate_reason", "reasons": "未说明理由"},
            )
        ],
        ("POST", CASE + "/self-review"): [Call(fresh("labelled", "self-review"))],
        ("POST", CASE + "/transfer"): [Call(fresh("labelled", "transfer"), {"provider_id": None})],
        ("POST", CASE + "/unit-receipt"): [Call(fresh("transferred", "unit-receipt"))],
        ("POST", CASE + "/unit-result"): [
            Call(fresh("pu_review", "unit-result"), data=upheld, files=evidence)
        ],
        ("POST", CASE + "/pause"): [
            Call(
                fresh("self_review", "pause"),
                data={"pause_type": "expert_review", "reason": "专家评审"},
                files=evidence,
            )
        ],
        ("POST", CASE + "/resume"): [Call(fresh("paused", "resume"))],
        ("POST", CASE + "/decision"): [Call(fresh("self_review", "decision"), upheld)],
        ("POST", CASE + "/notice"): [Call(fresh("decided", "notice"))],
        ("POST", CASE + "/status-notice"): [Call(fresh("labelled", "status-notice"))],
        ("POST", CASE + "/reexamination"): [
            Call(fresh("notified", "reexamination"), data={"statement": "不服"}, files=evidence)
        ],
        ("POST", CASE + "/reexamination/paper"): [
            Call(
                fresh("notified", "reexamination/paper"),
                data={"applicant": "张三", "statement": "书面申请复核", "channel": "desk"},
                files=evidence,
            )
        ],
        ("POST", CASE + "/reexamination-decision"): [
            Call(fresh("reexam_requested", "reexamination-decision"), upheld)
        ],
        ("POST", CASE + "/close"): [Call(fresh("notified", "close"))],
        ("POST", "/api/v1/records/{record_id}/corrections"): [
            Call(
                f"/api/v1/records/{s.a_record}/corrections",
                lambda: {
                    "outcome": "corrected",
                    "reasons": "复核发现罚款金额录入错误",
                    "changes": {"CF_NR_FK": f"{next(counter)}.00"},
                },
            )
        ],
        ("GET", "/api/v1/calendar/deadline"): [
            Call("/api/v1/calendar/deadline", params={"start": "2026-11-26", "working_days": "3"})
        ],
        ("GET", "/api/v1/calendar/years"): [Call("/api/v1/calendar/years")],
        ("POST", "/api/v1/calendar/years"): [
            Call(
                "/api/v1/calendar/years",
                files=lambda: [
                    ("file", ("2026.json", json.dumps(schedule).encode(), "application/json"))
                ],
            )
        ],
    }


def establishment_requests(s: Setup) -> dict[tuple[str, str], list[Call]]:
    """Issue 20.4: establishments and oversight orders (Art. 47-55)."""
    w = s.world
    f = matrix_fixtures(w.platform, w.subject_ids["subject_a"], s.a_record)
    est = f"/api/v1/establishments/{f['establishment']}"
    orders = "/api/v1/oversight/orders"
    filing = {
        "uscc": uscc(62),
        "name": "重庆矩阵信用风控有限公司",
        "category": "risk_control",
        "business_scope": "信用风险控制",
        "data_security": "访问留痕，分级授权",
        "documents": [{"title": "营业执照", "reference": "附件1"}],
        "contact": "023-60000001",
    }
    return {
        ("GET", "/api/v1/establishments"): [Call("/api/v1/establishments")],
        ("POST", "/api/v1/establishments"): [Call("/api/v1/establishments", filing)],
        ("POST", ESTABLISHMENT + "/supervision"): [
            Call(
                est + "/supervision",
                {"kind": "inspection", "held_on": "2026-11-20", "findings": "材料齐全"},
            )
        ],
        ("POST", ESTABLISHMENT + "/orders"): [
            Call(est + "/orders", {"basis": "超范围经营", "requirement": "停止超范围经营"})
        ],
        ("POST", ESTABLISHMENT + "/fines"): [
            Call(
                est + "/fines",
                {
                    "ground": "serious_finding",
                    "supervision_id": f["supervision"],
                    "amount_yuan": 50_000,
                    "decision_number": "渝发改罚〔2026〕9号",
                },
            )
        ],
        ("GET", "/api/v1/establishment-orders"): [
            Call("/api/v1/establishment-orders", params={"overdue": "true"})
        ],
        ("POST", "/api/v1/establishment-orders/{order_id}/correction"): [
            Call(
                f"/api/v1/establishment-orders/{f['order']}/correction",
                {"corrected_on": "2026-11-26", "correction": "已补正材料"},
            )
        ],
        ("GET", "/api/v1/oversight/overdue-steps"): [Call("/api/v1/oversight/overdue-steps")],
        ("GET", orders): [Call(orders)],
        ("POST", orders): [
            Call(orders, {"addressee": "platform", "basis": "公示超期", "requirement": "整改"})
        ],
        ("POST", orders + "/from-step"): [
            Call(
                orders + "/from-step",
                {"source_key": f"objection:{f['late_case']}:label", "requirement": "立即标注"},
            )
        ],
        ("POST", OVERSIGHT_ORDER + "/response"): [
            Call(f"{orders}/{f['answer']}/response", {"response": "已整改公示流程"})
        ],
        ("POST", OVERSIGHT_ORDER + "/escalation"): [
            Call(
                f"{orders}/{f['escalate']}/escalation",
                {"note": "移送追责：主管王某", "serious_reasons": "泄露个人信息"},
            )
        ],
    }


def list_requests(s: Setup) -> dict[tuple[str, str], list[Call]]:
    """Issue 16: the lists; each department step on a fresh designation in its state."""
    w = s.world
    unit = unit_staff(w.platform, UNIT_USCC)
    base = "/api/v1/designations"

    def fresh(state: str, step: str) -> Callable[[], str]:
        return lambda: f"{base}/{designation_in(w.platform, unit, w.org_uscc, state)}/{step}"

    cases = iter(range(1, 10_000))
    read = designation_in(w.platform, unit, w.org_uscc, "window")
    court = (
        "name,uscc,case_ref,deciding_authority,decided_on\n"
        f"重庆欠债不还有限公司,{uscc(88)},（2026）渝0103执1号,重庆市渝中区人民法院,2026-10-01\n"
    ).encode()
    draft = {
        "list_type": "serious_illegal_untrustworthy",
        "uscc": w.org_uscc,
        "name": w.org_name,
        "facts": "虚假宣传",
        "grounds": "情节严重",
        "basis": "第七条",
    }
    decision = {
        "decision_number": "渝市监列严〔2026〕1号",
        "measures": "列入并公示",
        "removal": "满一年可申请提前移出",
        "remedies": "行政复议或行政诉讼",
    }
    service = {"served_on": "2026-11-26", "method": "post", "proof": "EMS"}
    return {
        ("GET", "/api/v1/lists/types"): [Call("/api/v1/lists/types")],
        ("GET", "/api/v1/lists/types/{code}"): [Call("/api/v1/lists/types/court_defaulter")],
        ("GET", "/api/v1/lists/{code}/entries"): [
            Call("/api/v1/lists/serious_illegal_untrustworthy/entries", params={"q": "示例"})
        ],
        ("POST", "/api/v1/lists/{code}/imports"): [
            Call(
                "/api/v1/lists/court_defaulter/imports",
                files=lambda: [("file", ("court.csv", court, "text/csv"))],
            )
        ],
        ("POST", "/api/v1/lists/expiry-check"): [Call("/api/v1/lists/expiry-check")],
        ("GET", base): [Call(base)],
        ("POST", base): [Call(base, lambda: {**draft, "case_ref": f"矩阵{next(cases)}"})],
        ("GET", DESIGNATION): [Call(f"{base}/{read}")],
        ("POST", DESIGNATION + "/notice"): [Call(fresh("draft", "notice"), service)],
        ("POST", DESIGNATION + "/statement"): [
            Call(fresh("window", "statement"), {"text": "申辩"})
        ],
        ("POST", DESIGNATION + "/response"): [
            Call(fresh("statement", "response"), {"outcome": "rejected", "reasons": "不成立"})
        ],
        ("POST", DESIGNATION + "/drop"): [Call(fresh("draft", "drop"), {"reason": "事实不清"})],
        ("POST", DESIGNATION + "/decision"): [Call(fresh("responded", "decision"), decision)],
        ("POST", DESIGNATION + "/decision-service"): [
            Call(fresh("decided", "decision-service"), service)
        ],
        ("POST", DESIGNATION + "/listing"): [Call(fresh("served", "listing"))],
        ("POST", DESIGNATION + "/removal"): [Call(fresh("listed", "removal"), {"reason": "移出"})],
        ("POST", DESIGNATION + "/revocation"): [
            Call(fresh("listed", "revocation"), {"reason": "处罚被撤销", "cause": "court_judgment"})
        ],
        ("GET", "/api/v1/measures"): [Call("/api/v1/measures")],
        ("GET", "/api/v1/measures/incentives"): [Call("/api/v1/measures/incentives")],
        ("POST", "/api/v1/measures/applications"): [
            Call(
                "/api/v1/measures/applications",
                {
                    "subject": {"uscc": w.org_uscc},
                    "measure": "cq_credit_interview",
                    "matter": "licence",
                    "matter_ref": "渝市监许〔2026〕1号",
                    "nature": "逾期未报送",
                    "circumstances": "首次",
                    "impact": "轻微",
                    "severity": "light",
                    "minor_or_incidental": True,
                    "promptly_corrected": False,
                    "no_harmful_outcome": True,
                    "waiver_reasons": "未及时改正",
                },
            )
        ],
        ("POST", "/api/v1/credit-checks"): [
            Call(
                "/api/v1/credit-checks",
                {
                    "subject": {"uscc": w.org_uscc},
                    "matter": "procurement",
                    "purpose": "采购资格审查",
                },
            )
        ],
        ("POST", "/api/v1/credit-checks/batch"): [
            Call(
                "/api/v1/credit-checks/batch",
                data={"matter": "subsidy", "purpose": "财政补贴资格审查"},
                files=lambda: [
                    ("file", ("keys.csv", f"uscc\n{w.org_uscc}\n".encode(), "text/csv"))
                ],
            )
        ],
        ("GET", "/api/v1/exchange/feed"): [Call("/api/v1/exchange/feed")],
        ("POST", "/api/v1/exchange/feed/ack"): [Call("/api/v1/exchange/feed/ack", {"up_to": 0})],
        ("GET", "/api/v1/exchange/feed/reconciliation"): [
            Call("/api/v1/exchange/feed/reconciliation")
        ],
    }


def report_requests(s: Setup) -> dict[tuple[str, str], list[Call]]:
    """Issue 18: reports (Art. 29) and the assessment (Art. 30)."""
    w = s.world
    report: list[str] = []

    def a_report(suffix: str = "") -> Callable[[], str]:
        """A's own report, at ``/reports/{number}{suffix}``: the one A asked for in the matrix
        (``RUN_FIRST``), or, should there be none, one issued on first use."""

        def url() -> str:
            if not report:
                report.append(own_report(w) or _issue_own_report(w))
            return f"/api/v1/reports/{report[0]}{suffix}"

        return url

    return {
        ("POST", "/api/v1/me/reports"): [Call("/api/v1/me/reports", {})],
        ("GET", "/api/v1/me/reports"): [Call("/api/v1/me/reports")],
        ("POST", "/api/v1/reports/authorized/{authorization_id}"): [
            Call(f"/api/v1/reports/authorized/{s.authorization_id}", {})
        ],
        ("GET", "/api/v1/reports/public-key"): [Call("/api/v1/reports/public-key")],
        ("GET", "/api/v1/reports/verify/{number}"): [
            Call("/api/v1/reports/verify/CR20261126ABCDEFGH")
        ],
        ("POST", "/api/v1/reports/verify"): [
            Call(
                "/api/v1/reports/verify",
                files=lambda: [("file", ("r.pdf", b"%PDF-1.7 not issued", "application/pdf"))],
            )
        ],
        ("GET", "/api/v1/reports/{number}"): [Call(a_report())],
        ("GET", "/api/v1/reports/{number}/pdf"): [Call(a_report("/pdf"))],
        ("GET", "/api/v1/reports/{number}/html"): [Call(a_report("/html"))],
        ("POST", "/api/v1/assessments"): [
            Call(
                "/api/v1/assessments",
                {
                    "subject": {"uscc": w.org_uscc},
                    "purpose_code": "tiered_supervision",
                    "purpose": "分级分类监管年度评估",
                },
            )
        ],
        ("GET", "/api/v1/assessments/distribution"): [Call("/api/v1/assessments/distribution")],
    }


# --- helpers --------------------------------------------------------------------------------


def own_report(w: World) -> str | None:
    """The number of the latest report person A asked for about herself, if any."""
    a_id = w.subject_ids["subject_a"]
    with w.platform.transaction() as session:
        return session.scalar(
            select(CreditReport.number)
            .where(CreditReport.subject_id == a_id, CreditReport.mode == "self")
            .order_by(CreditReport.id.desc())
            .limit(1)
        )


def _issue_own_report(w: World) -> str:
    r = w.client.post("/api/v1/me/reports", headers=w.auth("subject_a"), json={})
    assert r.status_code == 201, r.text
    return str(r.json()["number"])


def api_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path template) the application serves, however deeply routers nest.

    Since FastAPI 0.137 ``app.routes`` holds one opaque entry per included router; its own
    ``iter_route_contexts`` (what the OpenAPI generator walks) yields the effective routes.
    """
    walk: Callable[[Any], Iterator[Any]] | None = getattr(routing, "iter_route_contexts", None)
    entries: Iterator[Any] = walk(app.routes) if walk is not None else iter(app.routes)
    out: set[tuple[str, str]] = set()
    for entry in entries:
        route = getattr(entry, "original_route", entry)
        # Web pages (tagged "web") have their own access tests under tests/web.
        if isinstance(route, APIRoute) and "web" not in (getattr(entry, "tags", None) or ()):
            out |= {(m, str(entry.path)) for m in entry.methods if m != "HEAD"}
    return out


def _grant(world: World, body: dict[str, Any]) -> int:
    r = world.client.post("/api/v1/me/authorizations", json=body, headers=world.auth("subject_a"))
    assert r.status_code == 201, r.text
    return int(r.json()["authorization_id"])


def _setup(platform: Platform, data: WorldData) -> Setup:
    world = reopen(platform, data)
    with platform.transaction() as s:
        other = auth.add_grantee(s, ACTOR, OTHER_BANK, "重庆另一银行股份有限公司")
        world.tokens["other_bank"] = auth.create_grantee_key(s, ACTOR, other, "test").token
        alert = InquiryAlert(
            inquirer=f"grantee:{BANK}",
            inquirer_display="重庆示例银行股份有限公司",
            window_start=clock.now().replace(minute=0, second=0, microsecond=0),
            count=301,
            threshold=300,
            raised_at=clock.now(),
        )
        s.add(alert)
        s.flush()
        alert_id = alert.id
        batch_id = s.scalar(select(func.max(Batch.id)))
    assert batch_id is not None
    grant: dict[str, Any] = {
        "grantee_uscc": BANK,
        "purpose": "个人消费贷款审批 (consumer loan)",
        "channels": ["api"],
        "categories": [6],
        "valid_to": "2027-06-30",
    }
    a_id = world.subject_ids["subject_a"]
    with platform.transaction() as s:
        a_record = s.scalars(
            select(CreditRecord.id).where(CreditRecord.subject_id == a_id).order_by(CreditRecord.id)
        ).first()
    assert a_record is not None
    read_case = case_in(platform, a_id, [a_record], "notified_transferred")
    with platform.transaction() as s:
        notice_id = s.scalar(select(Notice.id).where(Notice.objection_id == read_case))
        evidence_id = s.scalar(select(Evidence.id).where(Evidence.objection_id == read_case))
        objection_alert_id = s.scalar(
            select(ObjectionAlert.id).where(ObjectionAlert.objection_id == read_case)
        )
    assert notice_id is not None and evidence_id is not None and objection_alert_id is not None
    return Setup(
        world=world,
        authorization_id=_grant(world, grant),
        spare_authorization_id=_grant(world, grant),
        batch_id=batch_id,
        alert_id=alert_id,
        batch_rows=penalty_rows(platform, 1, seed=7),
        a_record=a_record,
        read_case=read_case,
        notice_id=notice_id,
        evidence_id=evidence_id,
        objection_alert_id=objection_alert_id,
    )


def _fresh_sessions(world: World) -> dict[str, str]:
    """New sessions for the callers that sign in, so logging out spoils none of the matrix's."""
    c = world.client
    tokens = dict(world.tokens)
    for who in ("operator", "drc", "staff"):
        r = c.post("/api/v1/auth/login", json={"username": who, "password": PASSWORD})
        assert r.status_code == 200, r.text
        tokens[who] = r.json()["token"]
    people = {
        "subject_a": ("张三", "citizen_id", world.person_a),
        "subject_b": ("王五", "citizen_id", world.person_b),
        "org": (world.org_name, "uscc", world.org_uscc),
    }
    for who, (name, id_type, number) in people.items():
        r = c.post(
            "/dev-idp/assertions", json={"name": name, "id_type": id_type, "id_number": number}
        )
        r = c.post("/api/v1/auth/subject", json={"assertion": r.json()["assertion"]})
        assert r.status_code == 200, r.text
        tokens[who] = r.json()["token"]
    c.cookies.clear()
    return tokens


def _may_see(caller: str, route: tuple[str, str]) -> dict[str, bool]:
    """Which planted secrets and full identifiers this caller may receive on this route."""
    via_grant = route == ("POST", "/api/v1/inquiries/authorized")
    return {
        "SECRET_A": caller in {"subject_a", *UNIT} or (caller == "grantee" and via_grant),
        "SECRET_B": caller in {"subject_b", *UNIT},
        "person_a": caller in {"subject_a", *UNIT},
        "person_b": caller in {"subject_b", *UNIT},
    }


def _expected_status(access: Access, caller: str) -> str:
    return api_answer(access, caller)


# --- the tests ------------------------------------------------------------------------------


def test_art27_every_route_is_in_the_permission_matrix(platform: Platform) -> None:
    app = create_app(platform)
    served = api_routes(app)
    documented = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    # The walk must see what the OpenAPI document sees, or the matrix would check nothing.
    assert documented, "the OpenAPI document lists no operations"
    assert documented <= served, f"routes the walk missed: {sorted(documented - served)}"
    unlisted = sorted(served - set(EXPECTED))
    stale = sorted(set(EXPECTED) - served)
    assert not unlisted, f"routes missing from EXPECTED (add who may call them): {unlisted}"
    assert not stale, f"EXPECTED names routes that do not exist: {stale}"


def test_art22_art27_art39_every_endpoint_as_every_caller_leaks_no_non_public_information(
    platform: Platform, api_world_data: WorldData
) -> None:
    failures: list[str] = []
    seen: set[tuple[str, str]] = set()  # (caller, secret) pairs actually received
    with clock.frozen(NOW):
        s = _setup(platform, api_world_data)
        w = s.world
        # A crash is a 500 in the report, not an exception that ends the run.
        client = TestClient(w.client.app, raise_server_exceptions=False)
        served = api_routes(cast(FastAPI, w.client.app))
        planted = {
            "SECRET_A": SECRET_A,
            "SECRET_B": SECRET_B,
            "person_a": w.person_a,
            "person_b": w.person_b,
        }
        calls = requests_for(s)
        assert set(calls) == set(EXPECTED), "requests_for and EXPECTED name different routes"
        pinned = RUN_FIRST + RUN_LAST
        order = list(RUN_FIRST) + [r for r in sorted(EXPECTED) if r not in pinned]
        order += list(RUN_LAST)
        logged_out: dict[str, str] = {}
        for route in (r for r in order if r in served):
            tokens = w.tokens
            if route == ("POST", "/api/v1/auth/logout"):
                tokens = logged_out = _fresh_sessions(w)
            access = EXPECTED[route]
            method = route[0]
            for call in calls[route]:
                made: tuple[str, dict[str, Any] | None] | None = None
                for caller in CALLERS:
                    if made is None:  # a fresh resource, unless the last caller was refused
                        made = (
                            call.url() if callable(call.url) else call.url,
                            call.json() if callable(call.json) else call.json,
                        )
                    url, body = made
                    files = call.files() if call.files is not None else None
                    headers = (
                        {}
                        if caller == "anonymous"
                        else {"Authorization": f"Bearer {tokens[caller]}"}
                    )
                    client.cookies.clear()  # sign-ins set a cookie; every call stands alone
                    r = client.request(
                        method,
                        url,
                        headers=headers,
                        params=call.params,
                        json=body,
                        data=call.data,
                        files=files,
                    )
                    where = f"{method} {url}{' (' + call.note + ')' if call.note else ''}"
                    want = _expected_status(access, caller)
                    got = r.status_code
                    ok = (200 <= got < 300) if want == "2xx" else str(got) == want
                    if got >= 500 or not ok:
                        failures.append(
                            f"{where} as {caller}: expected {want}, got {got}: {r.text[:200]}"
                        )
                    if got not in REFUSED:
                        made = None
                    may = _may_see(caller, route)
                    for name, value in planted.items():
                        if value in r.text:
                            seen.add((caller, name))
                            if not may[name]:
                                failures.append(f"{where} as {caller}: LEAKS {name} ({got})")
        # Logging out ended those sessions only; the matrix's own still work.
        for who in SESSION_CALLERS:
            client.cookies.clear()
            r = client.get("/api/v1/auth/me", headers=w.auth(who))
            if r.status_code != 200 or r.json()["role"] == "public":
                failures.append(f"{who}'s session ended, though it never logged out: {r.text}")
            if who in logged_out:
                r = client.get(
                    "/api/v1/auth/me", headers={"Authorization": f"Bearer {logged_out[who]}"}
                )
                if r.status_code != 401:
                    failures.append(f"{who}'s session survived logging out: {r.status_code}")
    # The check must be able to fire: every permitted reader did receive the secrets.
    for expected in [
        ("subject_a", "SECRET_A"),
        ("staff", "SECRET_A"),
        ("unit_key", "SECRET_A"),
        ("grantee", "SECRET_A"),
        ("subject_b", "SECRET_B"),
        ("staff", "SECRET_B"),
        ("unit_key", "SECRET_B"),
    ]:
        if expected not in seen:
            failures.append(f"{expected[0]} never received {expected[1]}: the world is wrong")
    assert not failures, f"{len(failures)} permission matrix failures:\n" + "\n".join(failures)
