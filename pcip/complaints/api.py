"""The HTTP door onto complaints and legal cases (Art. 46). Thin routes: each calls one
service, which checks the permission."""

from __future__ import annotations

from pcip.auth.api import PrincipalDep
from pcip.complaints import cases, service
from pcip.complaints.schemas import (
    CaseDecisionIn,
    CaseIn,
    CaseOut,
    ComplaintIn,
    ComplaintOut,
    StepIn,
    SuspensionIn,
    SuspensionOut,
)
from pcip.doors.api_common import AUTH_RESPONSES, ERROR_RESPONSES, IdPath, Router, SessionDep
from pcip.kernel.enums import ActorKind

RESPONSES = {**ERROR_RESPONSES, **AUTH_RESPONSES}
complaints = Router(prefix="/complaints", tags=["complaints"], responses=RESPONSES)
legal = Router(prefix="/legal-cases", tags=["complaints"], responses=RESPONSES)


@complaints.post("", response_model=ComplaintOut, status_code=201)
def lodge(body: ComplaintIn, session: SessionDep, principal: PrincipalDep) -> ComplaintOut:
    """Art. 46: a subject's complaint about the collection, disclosure or use of its credit
    information (staff register one received at a desk, naming the subject)."""
    return service.out(session, service.lodge(session, principal, body, "api"))


@complaints.get("", response_model=list[ComplaintOut])
def listing(session: SessionDep, principal: PrincipalDep) -> list[ComplaintOut]:
    """A subject: its own complaints; the operator: the open queue."""
    if principal.role is ActorKind.SUBJECT:
        rows = service.mine(session, principal)
    else:
        rows = service.queue(session, principal)
    return [service.out(session, c) for c in rows]


@complaints.get("/{complaint_id}", response_model=ComplaintOut)
def one(complaint_id: IdPath, session: SessionDep, principal: PrincipalDep) -> ComplaintOut:
    """One complaint: its steps with their dates, its working-day deadlines, what it concerns
    (a subject: its own only)."""
    return service.out(session, service.get(session, principal, complaint_id))


@complaints.post("/{complaint_id}/steps", response_model=ComplaintOut)
def step(
    complaint_id: IdPath, body: StepIn, session: SessionDep, principal: PrincipalDep
) -> ComplaintOut:
    """The next handling step: accepted, not accepted, redirected (market disputes), answered."""
    return service.out(session, service.step(session, principal, complaint_id, body))


@legal.post("", response_model=CaseOut, status_code=201)
def record_case(body: CaseIn, session: SessionDep, principal: PrincipalDep) -> CaseOut:
    """Art. 46: a reconsideration or litigation case, linked to what it concerns; the measures
    stay in force while it is pending."""
    return cases.out(session, cases.record_case(session, principal, body))


@legal.get("", response_model=list[CaseOut])
def case_list(session: SessionDep, principal: PrincipalDep) -> list[CaseOut]:
    """The reconsideration and litigation cases, newest first."""
    return [cases.out(session, c) for c in cases.cases(session, principal)]


@legal.get("/{case_id}", response_model=CaseOut)
def case(case_id: IdPath, session: SessionDep, principal: PrincipalDep) -> CaseOut:
    """One case: what it concerns, its outcome and the suspensions decided in it."""
    return cases.out(session, cases.get(session, principal, case_id))


@legal.post("/{case_id}/decision", response_model=CaseOut)
def decide(
    case_id: IdPath, body: CaseDecisionIn, session: SessionDep, principal: PrincipalDep
) -> CaseOut:
    """The case's outcome with its document; a revoked or changed act is then registered as
    a basis change (Art. 44)."""
    return cases.out(session, cases.decide(session, principal, case_id, body))


@legal.post("/{case_id}/suspensions", response_model=SuspensionOut, status_code=201)
def suspend(
    case_id: IdPath, body: SuspensionIn, session: SessionDep, principal: PrincipalDep
) -> SuspensionOut:
    """Art. 46: a decision suspending a measure (or lifting that suspension), with its
    document; credit checks then show the measure as suspended."""
    row = cases.suspend(session, principal, case_id, body)
    return SuspensionOut.model_validate(row, from_attributes=True)


routers = [complaints, legal]
