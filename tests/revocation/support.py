"""Builders for the revocation and complaint tests: the populated world (``tests.world``),
its unit's staff, an authority inquiry and a credit check that received the data, and a
listing decided on the same basis document."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from pcip import clock
from pcip.auth.permissions import Principal
from pcip.inquiry import service as inquiry
from pcip.inquiry.schemas import AuthorityInquiry, Channel, SubjectRef
from pcip.kernel.platform import Platform
from pcip.lists import designation
from pcip.lists.schemas import ServiceIn
from pcip.measures import checks
from pcip.measures.schemas import CheckIn
from pcip.records.models import RecordVersion
from pcip.subjects.models import Subject
from tests.lists.support import decision_body, draft_body, staff
from tests.world import UNIT

UNIT_NAME = "重庆市市场监督管理局"
#: The world's company record rests on this basis document (tests.world, row "001").
BASIS = "渝市监〔2026〕001号"
SERVED = date(2026, 11, 30)  # Mon; the list type's 5-WD window ends Mon 7 Dec
DECIDED = date(2026, 12, 8)
CHECKED = date(2026, 12, 9)
REVOKED = date(2026, 12, 10)


def unit_staff(platform: Platform) -> Principal:
    return staff(platform, UNIT, UNIT_NAME)


def company_id(platform: Platform, org_uscc: str) -> int:
    with platform.transaction() as s:
        sid = s.scalar(select(Subject.id).where(Subject.uscc == org_uscc))
    assert sid is not None
    return sid


def records_on(platform: Platform, number: str) -> list[int]:
    from pcip.records.models import BasisDocument

    with platform.transaction() as s:
        doc = s.scalar(select(BasisDocument).where(BasisDocument.number == number))
        assert doc is not None
        return sorted(
            set(s.scalars(select(RecordVersion.record_id).where(RecordVersion.basis_id == doc.id)))
        )


def inquire(platform: Platform, who: Principal, org_uscc: str, on: date) -> int:
    """The unit's authority inquiry about the company: it receives the records."""
    body = AuthorityInquiry(
        subject=SubjectRef(uscc=org_uscc),
        purpose_code="administrative_management",  # type: ignore[arg-type]
        purpose="行政许可审查前核查企业信用记录",
    )
    with clock.frozen(on), platform.transaction() as s:
        result = inquiry.authority(s, platform.keyring, who, body, Channel.API)
    assert result.inquiry_id is not None and result.records
    return result.inquiry_id


def listed_on_basis(platform: Platform, who: Principal, org_uscc: str) -> int:
    """A serious-untrustworthiness listing of the company decided by the same document."""
    body = draft_body("渝市监信〔2026〕77号").model_copy(
        update={"uscc": org_uscc, "name": "重庆示例科技有限公司"}
    )
    with clock.frozen(SERVED), platform.transaction() as s:
        d = designation.draft(s, platform.keyring, who, body)
        designation.serve_notice(
            s, who, d.id, ServiceIn(served_on=SERVED, method="in_person", proof="签收回执")
        )
        did = d.id
    decision = decision_body().model_copy(update={"decision_number": BASIS})
    with clock.frozen(DECIDED), platform.transaction() as s:
        designation.decide(s, platform.keyring, who, did, decision)
        designation.serve_decision(
            s, who, did, ServiceIn(served_on=DECIDED, method="post", proof="EMS 1")
        )
        designation.list_subject(s, who, did)
    return did


def credit_check(platform: Platform, who: Principal, org_uscc: str, on: date) -> int | None:
    body = CheckIn(
        subject=SubjectRef(uscc=org_uscc), matter="procurement", purpose="政府采购供应商资格审查"
    )
    with clock.frozen(on), platform.transaction() as s:
        return checks.check(s, platform.keyring, who, body, Channel.API).inquiry_id
