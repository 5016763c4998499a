"""The HTTP door onto credit service establishments and oversight orders (Art. 47-55)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from pcip import clock
from pcip.auth.api import PrincipalDep
from pcip.calendar.service import work_calendar
from pcip.doors.api_common import AUTH_RESPONSES, ERROR_RESPONSES, Router, SessionDep
from pcip.establishments import filings, oversight, supervision
from pcip.establishments.schemas import (
    Category,
    CorrectionIn,
    CorrectionOrderIn,
    DirectoryEntry,
    EscalationIn,
    EstablishmentOut,
    FilingIn,
    FineIn,
    FineOut,
    FromStepIn,
    OrderOut,
    OverdueStep,
    OversightOrderIn,
    OversightOrderOut,
    ResponseIn,
    SupervisionIn,
    SupervisionOut,
)

Id = Annotated[int, Path(ge=1, le=2**63 - 1)]
RESPONSES = {**ERROR_RESPONSES, **AUTH_RESPONSES}
router = Router(tags=["establishments"], responses=RESPONSES)


@router.get("/establishments", response_model=list[DirectoryEntry])
def directory(
    session: SessionDep, principal: PrincipalDep, category: Category | None = None
) -> list[DirectoryEntry]:
    """Art. 47, 49: the public directory of filed credit service establishments."""
    return filings.directory(session, principal, category)


@router.post("/establishments", response_model=EstablishmentOut, status_code=201)
def file(body: FilingIn, session: SessionDep, principal: PrincipalDep) -> EstablishmentOut:
    """Art. 49: record a filing with the development and reform department."""
    return filings.out(filings.file(session, principal, body))


@router.post(
    "/establishments/{establishment_id}/supervision",
    response_model=SupervisionOut,
    status_code=201,
)
def supervise(
    establishment_id: Id, body: SupervisionIn, session: SessionDep, principal: PrincipalDep
) -> SupervisionOut:
    """Art. 48: an oversight record; a serious finding with its reasons (D-24)."""
    row = supervision.record_supervision(session, principal, establishment_id, body)
    return supervision.supervision_out(row)


@router.post("/establishments/{establishment_id}/orders", response_model=OrderOut, status_code=201)
def order(
    establishment_id: Id, body: CorrectionOrderIn, session: SessionDep, principal: PrincipalDep
) -> OrderOut:
    """Art. 55 para 2: order correction within a set period of working days."""
    row = supervision.order_correction(session, principal, establishment_id, body)
    est = filings.get(session, establishment_id)
    return supervision.order_out(row, est, work_calendar(session), clock.today())


@router.get("/establishment-orders", response_model=list[OrderOut])
def orders(
    session: SessionDep,
    principal: PrincipalDep,
    overdue: Annotated[bool, Query(description="only those past their period")] = False,
) -> list[OrderOut]:
    """Correction orders with their derived due day and status."""
    return supervision.orders(session, principal, overdue_only=overdue)


@router.post("/establishment-orders/{order_id}/correction", response_model=OrderOut)
def corrected(
    order_id: Id, body: CorrectionIn, session: SessionDep, principal: PrincipalDep
) -> OrderOut:
    """Record the correction and the day it was made."""
    row = supervision.confirm_correction(session, principal, order_id, body)
    est = filings.get(session, row.establishment_id)
    return supervision.order_out(row, est, work_calendar(session), clock.today())


@router.post("/establishments/{establishment_id}/fines", response_model=FineOut, status_code=201)
def fine(
    establishment_id: Id, body: FineIn, session: SessionDep, principal: PrincipalDep
) -> FineOut:
    """Art. 55 para 2: a fine within the range, only after a missed period or a serious
    finding."""
    return supervision.fine_out(supervision.fine(session, principal, establishment_id, body))


@router.get("/oversight/overdue-steps", response_model=list[OverdueStep])
def overdue_steps(session: SessionDep, principal: PrincipalDep) -> list[OverdueStep]:
    """Art. 53-54: the steps past their deadline, and whom an order would address."""
    return oversight.overdue_steps(session, principal)


@router.get("/oversight/orders", response_model=list[OversightOrderOut])
def oversight_orders(
    session: SessionDep,
    principal: PrincipalDep,
    overdue: Annotated[bool, Query(description="only those past their period")] = False,
) -> list[OversightOrderOut]:
    """The oversight orders the caller may see (its own, as an addressee)."""
    return oversight.orders(session, principal, overdue_only=overdue)


@router.post("/oversight/orders", response_model=OversightOrderOut, status_code=201)
def issue(
    body: OversightOrderIn, session: SessionDep, principal: PrincipalDep
) -> OversightOrderOut:
    """Art. 53-54: an order written from a finding."""
    row = oversight.issue(session, principal, body)
    return oversight.out(row, work_calendar(session), clock.today())


@router.post("/oversight/orders/from-step", response_model=OversightOrderOut, status_code=201)
def issue_from_step(
    body: FromStepIn, session: SessionDep, principal: PrincipalDep
) -> OversightOrderOut:
    """Art. 53-54: an order fed by an overdue step (once per step)."""
    row = oversight.issue_from_step(session, principal, body)
    return oversight.out(row, work_calendar(session), clock.today())


@router.post("/oversight/orders/{order_id}/response", response_model=OversightOrderOut)
def respond(
    order_id: Id, body: ResponseIn, session: SessionDep, principal: PrincipalDep
) -> OversightOrderOut:
    """The addressee's response."""
    row = oversight.respond(session, principal, order_id, body)
    return oversight.out(row, work_calendar(session), clock.today())


@router.post("/oversight/orders/{order_id}/escalation", response_model=OversightOrderOut)
def escalate(
    order_id: Id, body: EscalationIn, session: SessionDep, principal: PrincipalDep
) -> OversightOrderOut:
    """Art. 53 criticism circulated / Art. 54 sanctions referred: only after a missed period
    or a serious finding."""
    row = oversight.escalate(session, principal, order_id, body)
    return oversight.out(row, work_calendar(session), clock.today())


routers = [router]
