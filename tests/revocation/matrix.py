"""The permission matrix's requests for the revocation and complaint routes (Art. 44, 46):
each call that changes something gets a fresh object, so one permitted caller's success does
not turn the next one's into a conflict."""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

from pcip import clock
from pcip.complaints import cases, service
from pcip.complaints.schemas import CaseIn, ComplaintIn
from pcip.demo.generators.records import Party
from pcip.kernel.enums import SubjectKind
from pcip.revocation import service as revocation
from pcip.revocation.schemas import ChangeIn
from tests.helpers import citizen_id
from tests.lists.support import designation_in, operator
from tests.lists.support import staff as unit_staff
from tests.world import UNIT, World, _rows, submit

_n = count(100)
UNIT_NAME = "重庆市市场监督管理局"


def _fresh_basis(w: World) -> str:
    """A new record of the company resting on a new basis document; its number."""
    n = f"{next(_n):03d}"
    company = Party(
        SubjectKind.LEGAL_PERSON,
        w.org_name,
        uscc=w.org_uscc,
        legal_rep_name="李四",
        legal_rep_id=citizen_id(13),
    )
    submit(w.platform, "admin_penalty", _rows(w.platform, "admin_penalty", company, None, n))
    return f"渝市监〔2026〕{n}号"


def _change(number: str) -> dict[str, Any]:
    return {
        "basis_issuer": UNIT_NAME,
        "basis_number": number,
        "kind": "revoked",
        "document_kind": "judgment",
        "document_number": f"（2026）渝0103行初{number}",
        "document_issuer": "重庆市渝中区人民法院",
        "document_date": "2026-11-20",
        "document_ref": "判决书正本存档",
        "reason": "法院判决撤销所依据的行政处罚",
    }


def revocation_requests(w: World) -> dict[tuple[str, str], list[Any]]:
    from tests.test_permission_matrix import Call

    base = "/api/v1/basis-changes"
    with w.platform.transaction() as s:
        read = revocation.register(
            s,
            unit_staff(w.platform, UNIT, UNIT_NAME),
            ChangeIn.model_validate(_change(_fresh_basis(w))),
            channel="api",
        ).id
    return {
        ("POST", base): [Call(base, lambda: _change(_fresh_basis(w)))],
        ("GET", base): [Call(base)],
        ("GET", base + "/departments"): [Call(base + "/departments")],
        ("GET", base + "/{change_id}"): [Call(f"{base}/{read}")],
    }


def complaint_requests(w: World) -> dict[tuple[str, str], list[Any]]:
    from tests.test_permission_matrix import Call

    a_id = w.subject_ids["subject_a"]
    org_id = w.subject_ids["org"]
    body = {"category": "disclosure", "against": UNIT_NAME, "description": "公示有误"}

    def complaint() -> int:
        with w.platform.transaction() as s:
            return service.lodge(
                s, operator(), ComplaintIn.model_validate({**body, "subject_id": a_id}), "desk"
            ).id

    listed = designation_in(
        w.platform, unit_staff(w.platform, UNIT, UNIT_NAME), w.org_uscc, "listed"
    )

    def case() -> int:
        with w.platform.transaction() as s:
            return cases.record_case(
                s,
                operator(),
                CaseIn(
                    kind="litigation",
                    subject_id=org_id,
                    case_number=f"（2026）渝0103行初{next(_n)}号",
                    body="重庆市渝中区人民法院",
                    act="列入严重违法失信名单决定",
                    filed_on=clock.today(),
                    designation_ids=[listed],
                ),
            ).id

    def fresh(step: str) -> Callable[[], str]:
        return lambda: f"/api/v1/legal-cases/{case()}/{step}"

    read = complaint()
    read_case = case()
    today = clock.today().isoformat()
    return {
        ("POST", "/api/v1/complaints"): [Call("/api/v1/complaints", body)],
        ("GET", "/api/v1/complaints"): [Call("/api/v1/complaints")],
        ("GET", "/api/v1/complaints/{complaint_id}"): [Call(f"/api/v1/complaints/{read}")],
        ("POST", "/api/v1/complaints/{complaint_id}/steps"): [
            Call(
                lambda: f"/api/v1/complaints/{complaint()}/steps",
                {"step": "accepted", "note": "已受理"},
            )
        ],
        ("POST", "/api/v1/legal-cases"): [
            Call(
                "/api/v1/legal-cases",
                lambda: {
                    "kind": "reconsideration",
                    "subject_id": a_id,
                    "case_number": f"渝府复〔2026〕{next(_n)}号",
                    "body": "重庆市人民政府",
                    "act": "行政处罚决定",
                    "filed_on": today,
                },
            )
        ],
        ("GET", "/api/v1/legal-cases"): [Call("/api/v1/legal-cases")],
        ("GET", "/api/v1/legal-cases/{case_id}"): [Call(f"/api/v1/legal-cases/{read_case}")],
        ("POST", "/api/v1/legal-cases/{case_id}/decision"): [
            Call(
                fresh("decision"),
                {"outcome": "upheld", "on": today, "document_number": "判决 1"},
            )
        ],
        ("POST", "/api/v1/legal-cases/{case_id}/suspensions"): [
            Call(
                fresh("suspensions"),
                {
                    "designation_id": listed,
                    "effective_on": today,
                    "document_number": "裁定 1",
                    "document_issuer": "重庆市渝中区人民法院",
                    "document_date": today,
                },
            )
        ],
    }


def remedy_pages(call: Any) -> dict[tuple[str, str], list[Any]]:
    """The web pages of issue 17.3-17.4: an empty form is refused with its errors (the
    caller was let in), which is all the web matrix asks."""
    return {
        ("GET", "/console/revocations"): [call("/console/revocations")],
        ("POST", "/console/revocations"): [call("/console/revocations", {})],
        ("GET", "/me/complaints"): [call("/me/complaints")],
        ("POST", "/me/complaints"): [call("/me/complaints", {})],
        ("GET", "/console/complaints"): [call("/console/complaints")],
        ("POST", "/console/complaints/{complaint_id}/step"): [
            call("/console/complaints/1/step", {})
        ],
        ("POST", "/console/complaints/cases"): [call("/console/complaints/cases", {})],
        ("POST", "/console/complaints/cases/{case_id}/decision"): [
            call("/console/complaints/cases/1/decision", {})
        ],
        ("POST", "/console/complaints/cases/{case_id}/suspension"): [
            call("/console/complaints/cases/1/suspension", {})
        ],
    }
