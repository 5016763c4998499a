"""Art. 46: reconsideration and litigation cases, linked to what they concern; suspensions.

Filing a case changes nothing about the records, listings or measures it concerns: they stay
in force while it is pending (Art. 46: no automatic suspension). Only a decision that suspends
a measure, registered here with its document, does (``MeasureSuspension``, read by the credit
checks). An outcome revoking or changing the act is followed by registering the basis change
(Art. 44, ``pcip.revocation``), which withdraws or updates the records and listings.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, Principal, require
from pcip.complaints.models import Complaint, LegalCase, LegalCaseEvent
from pcip.complaints.schemas import CaseDecisionIn, CaseIn, CaseOut, SuspensionIn, SuspensionOut
from pcip.complaints.service import concerns, link
from pcip.errors import Conflict, NotFound, ValidationError
from pcip.kernel import audit
from pcip.kernel.messages import Term, msg
from pcip.lists.models import Designation
from pcip.measures.models import MeasureApplication, MeasureSuspension
from pcip.records.models import CreditRecord
from pcip.subjects.models import Subject

ARTICLE = "Art. 46"
#: Outcomes after which the basis change is to be registered (Art. 44).
_CHANGES_ACT = {"revoked": "revoked", "changed": "amended"}


def _owned(
    session: Session,
    subject_id: int,
    model: type[CreditRecord] | type[Designation] | type[MeasureApplication],
    ids: list[int],
    field: str,
) -> None:
    if not ids:
        return
    found = session.scalar(
        select(func.count())
        .select_from(model)
        .where(model.id.in_(ids), model.subject_id == subject_id)
    )
    if found != len(set(ids)):
        raise NotFound(msg("complaints.not_about_subject", field=field, id=subject_id), field=field)


def record_case(session: Session, principal: Principal, body: CaseIn) -> LegalCase:
    """Record a case as filed, linked to the records, listings and measure applications it
    concerns; they stay in force (Art. 46)."""
    require(principal, Permission.COMPLAINT_HANDLE)
    if session.get(Subject, body.subject_id) is None:
        raise NotFound(msg("common.no_subject", id=body.subject_id), field="subject_id")
    if body.filed_on > clock.today():
        raise ValidationError(msg("complaints.filing_in_future"), field="filed_on")
    if body.complaint_id is not None:
        c = session.get(Complaint, body.complaint_id)
        if c is None or c.subject_id != body.subject_id:
            raise NotFound(
                msg("complaints.no_complaint", id=body.complaint_id), field="complaint_id"
            )
    _owned(session, body.subject_id, CreditRecord, body.record_ids, "record_ids")
    _owned(session, body.subject_id, Designation, body.designation_ids, "designation_ids")
    _owned(session, body.subject_id, MeasureApplication, body.application_ids, "application_ids")
    case = LegalCase(
        kind=body.kind,
        subject_id=body.subject_id,
        case_number=body.case_number.strip(),
        body=body.body.strip(),
        act=body.act,
        filed_on=body.filed_on,
        complaint_id=body.complaint_id,
        recorded_at=clock.now(),
        recorded_by=str(principal.actor),
    )
    session.add(case)
    session.flush()
    link(
        session,
        ("case", case.id),
        [("record", i) for i in body.record_ids]
        + [("designation", i) for i in body.designation_ids]
        + [("application", i) for i in body.application_ids],
    )
    _event(session, principal, case, "filed", body.filed_on, None, None, None)
    return case


def _event(
    session: Session,
    principal: Principal,
    case: LegalCase,
    kind: str,
    on: object,
    outcome: str | None,
    number: str | None,
    note: str | None,
) -> None:
    assert hasattr(on, "isoformat")
    session.add(
        LegalCaseEvent(
            case_id=case.id,
            kind=kind,
            on=on,
            outcome=outcome,
            document_number=number,
            note=note,
            at=clock.now(),
            by=str(principal.actor),
        )
    )
    audit.record(
        session,
        principal.actor,
        f"legal_case.{kind}",
        object_type="legal_case",
        object_id=case.id,
        article=ARTICLE,
        details={"kind": case.kind, "on": on.isoformat(), "outcome": outcome, "document": number},
    )
    session.flush()


def get(session: Session, principal: Principal, case_id: int) -> LegalCase:
    require(principal, Permission.COMPLAINT_HANDLE)
    case = session.get(LegalCase, case_id)
    if case is None:
        raise NotFound(msg("complaints.no_case", id=case_id), field="case_id")
    return case


def _decision(session: Session, case_id: int) -> LegalCaseEvent | None:
    return session.scalar(
        select(LegalCaseEvent).where(
            LegalCaseEvent.case_id == case_id, LegalCaseEvent.kind == "decided"
        )
    )


def decide(session: Session, principal: Principal, case_id: int, body: CaseDecisionIn) -> LegalCase:
    """The case's outcome, with its document. Nothing else changes here: a revoked or changed
    act is then registered as a basis change (Art. 44)."""
    case = get(session, principal, case_id)
    if _decision(session, case.id) is not None:
        raise Conflict(msg("complaints.case_decided", id=case.id))
    if body.on < case.filed_on or body.on > clock.today():
        raise ValidationError(msg("complaints.decision_day", first=case.filed_on), field="on")
    _event(
        session, principal, case, "decided", body.on, body.outcome, body.document_number, body.note
    )
    return case


def suspend(
    session: Session, principal: Principal, case_id: int, body: SuspensionIn
) -> MeasureSuspension:
    """Art. 46: a decision suspends a measure application or a listing's measures (or lifts
    that suspension). The target must be one the case concerns."""
    case = get(session, principal, case_id)
    if (body.application_id is None) == (body.designation_id is None):
        raise ValidationError(
            msg("complaints.name_application_or_designation"), field="application_id"
        )
    target = (
        ("application", body.application_id)
        if body.application_id is not None
        else ("designation", body.designation_id)
    )
    linked = {(x.target_type, x.target_id) for x in concerns(session, ("case", case.id))}
    if target not in linked:
        raise ValidationError(
            msg(
                "complaints.case_not_concerning",
                id=case.id,
                target=Term("case_target", target[0]),
                target_id=target[1],
            ),
            field=f"{target[0]}_id",
        )
    if body.document_date > body.effective_on:
        raise ValidationError(msg("complaints.suspension_before_document"), field="effective_on")
    row = MeasureSuspension(
        application_id=body.application_id,
        designation_id=body.designation_id,
        kind=body.kind,
        effective_on=body.effective_on,
        document_number=body.document_number.strip(),
        document_issuer=body.document_issuer.strip(),
        document_date=body.document_date,
        case_id=case.id,
        recorded_at=clock.now(),
        recorded_by=str(principal.actor),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal.actor,
        f"measure.{body.kind}",
        object_type=target[0],
        object_id=target[1] or 0,
        article=ARTICLE,
        details={
            "case_id": case.id,
            "effective_on": body.effective_on.isoformat(),
            "document_number": row.document_number,
            "document_issuer": row.document_issuer,
        },
    )
    return row


def cases(session: Session, principal: Principal) -> list[LegalCase]:
    require(principal, Permission.COMPLAINT_HANDLE)
    return list(session.scalars(select(LegalCase).order_by(LegalCase.id.desc())))


def out(session: Session, case: LegalCase) -> CaseOut:
    decision = _decision(session, case.id)
    suspensions = session.scalars(
        select(MeasureSuspension)
        .where(MeasureSuspension.case_id == case.id)
        .order_by(MeasureSuspension.id)
    )
    outcome = decision.outcome if decision else None
    return CaseOut(
        id=case.id,
        kind=case.kind,
        subject_id=case.subject_id,
        case_number=case.case_number,
        body=case.body,
        act=case.act,
        filed_on=case.filed_on,
        complaint_id=case.complaint_id,
        state="decided" if decision else "pending",
        outcome=outcome,
        decided_on=decision.on if decision else None,
        document_number=decision.document_number if decision else None,
        concerns=concerns(session, ("case", case.id)),
        suspensions=[
            SuspensionOut(
                id=s.id,
                kind=s.kind,
                application_id=s.application_id,
                designation_id=s.designation_id,
                effective_on=s.effective_on,
                document_number=s.document_number,
                document_issuer=s.document_issuer,
                document_date=s.document_date,
            )
            for s in suspensions
        ],
        next_step=(
            f"register the basis change (Art. 44, kind '{_CHANGES_ACT[outcome]}')"
            if outcome in _CHANGES_ACT
            else None
        ),
    )
