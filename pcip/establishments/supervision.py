"""Supervision, correction orders and fines of credit service establishments (Art. 48-49, 55).

* A supervision record (inspection, spot check, complaint, unfiled activity) may record a
  *serious* finding, with its reasons (D-24).
* A correction order has a set period in working days (``data/deadlines.yaml``; D-24),
  counted on the working-day calendar (D-1); its status is derived, never stored.
* Art. 55 para 2: a fine of the amount range in ``data/fines.yaml`` is given only where the
  set period passed without correction, or the circumstances are serious (a recorded serious
  finding), and only to a market establishment of an Art. 49 para 2 line; reporting and rating
  violations are for the credit reporting oversight body (Art. 55 para 1). The service refuses
  otherwise, naming the reason.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, Principal, require
from pcip.calendar.service import work_calendar
from pcip.calendar.workdays import WorkCalendar
from pcip.errors import Conflict, NotFound, ValidationError
from pcip.establishments import filings, rules
from pcip.establishments.models import CorrectionOrder, Establishment, Fine, SupervisionRecord
from pcip.establishments.schemas import (
    CorrectionIn,
    CorrectionOrderIn,
    FineIn,
    FineOut,
    OrderOut,
    SupervisionIn,
    SupervisionOut,
)
from pcip.kernel import audit
from pcip.kernel.messages import Both, Term, cite, msg


def record_supervision(
    session: Session, principal: Principal, establishment_id: int, body: SupervisionIn
) -> SupervisionRecord:
    """Art. 48: an oversight record; a serious finding needs its reasons (D-24)."""
    require(principal, Permission.ESTABLISHMENT_SUPERVISE)
    est = filings.get(session, establishment_id)
    if body.held_on > clock.today():
        raise ValidationError(msg("establishments.supervision_future"), field="held_on")
    if body.serious and not body.serious_reasons:
        raise ValidationError(msg("establishments.serious_reasons"), field="serious_reasons")
    row = SupervisionRecord(
        establishment_id=est.id,
        kind=body.kind,
        held_on=body.held_on,
        findings=body.findings,
        serious=body.serious,
        serious_reasons=body.serious_reasons if body.serious else None,
        recorded_by=str(principal.actor),
        recorded_at=clock.now(),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "establishment.supervised",
        object_type="establishment",
        object_id=est.id,
        article="Art. 48",
        details={"supervision_id": row.id, "kind": body.kind, "serious": body.serious},
    )
    return row


def supervision_out(row: SupervisionRecord) -> SupervisionOut:
    return SupervisionOut(
        id=row.id,
        establishment_id=row.establishment_id,
        kind=row.kind,
        held_on=row.held_on,
        findings=row.findings,
        serious=row.serious,
        serious_reasons=row.serious_reasons,
    )


def supervision_of(session: Session, establishment_id: int) -> list[SupervisionOut]:
    rows = session.scalars(
        select(SupervisionRecord)
        .where(SupervisionRecord.establishment_id == establishment_id)
        .order_by(SupervisionRecord.id)
    )
    return [supervision_out(r) for r in rows]


def _supervision(session: Session, est: Establishment, sid: int, field: str) -> SupervisionRecord:
    row = session.get(SupervisionRecord, sid)
    if row is None or row.establishment_id != est.id:
        raise NotFound(msg("establishments.no_supervision", id=sid), field=field)
    return row


def order_correction(
    session: Session, principal: Principal, establishment_id: int, body: CorrectionOrderIn
) -> CorrectionOrder:
    """Art. 55 para 2: order correction within a set period (working days; D-24)."""
    require(principal, Permission.ESTABLISHMENT_SUPERVISE)
    est = filings.get(session, establishment_id)
    if body.supervision_id is not None:
        _supervision(session, est, body.supervision_id, "supervision_id")
    days = rules.check_working_days("establishment_correction", body.working_days)
    row = CorrectionOrder(
        establishment_id=est.id,
        supervision_id=body.supervision_id,
        basis=body.basis,
        requirement=body.requirement,
        issued_on=clock.today(),
        working_days=days,
        issued_by=str(principal.actor),
        recorded_at=clock.now(),
    )
    session.add(row)
    session.flush()
    cal = work_calendar(session)
    due = rules.order_clock(cal, row.issued_on, days, None, row.issued_on).due
    audit.record(
        session,
        principal.actor,
        "establishment.order_issued",
        object_type="establishment_order",
        object_id=row.id,
        article="Art. 55 para 2",
        details={"establishment_id": est.id, "working_days": days, "due": due.isoformat()},
    )
    return row


def _order(session: Session, order_id: int, field: str = "order_id") -> CorrectionOrder:
    row = session.get(CorrectionOrder, order_id)
    if row is None:
        raise NotFound(msg("establishments.no_correction_order", id=order_id), field=field)
    return row


def confirm_correction(
    session: Session, principal: Principal, order_id: int, body: CorrectionIn
) -> CorrectionOrder:
    """Record that the establishment corrected, on the day it did (late corrections count as
    a missed period: Art. 55 para 2 "not made in time")."""
    require(principal, Permission.ESTABLISHMENT_SUPERVISE)
    row = _order(session, order_id)
    if row.corrected_on is not None:
        raise Conflict(msg("establishments.order_corrected", id=order_id), field="order_id")
    if body.corrected_on < row.issued_on or body.corrected_on > clock.today():
        raise ValidationError(msg("establishments.correction_day"), field="corrected_on")
    row.corrected_on = body.corrected_on
    row.correction = body.correction
    row.confirmed_by = str(principal.actor)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "establishment.order_corrected",
        object_type="establishment_order",
        object_id=row.id,
        article="Art. 55 para 2",
        details={"corrected_on": body.corrected_on.isoformat()},
    )
    return row


def order_out(row: CorrectionOrder, est: Establishment, cal: WorkCalendar, today: date) -> OrderOut:
    c = rules.order_clock(cal, row.issued_on, row.working_days, row.corrected_on, today)
    return OrderOut(
        id=row.id,
        establishment_id=row.establishment_id,
        establishment_name=est.name,
        basis=row.basis,
        requirement=row.requirement,
        issued_on=row.issued_on,
        working_days=row.working_days,
        due=c.due,
        provisional=c.provisional,
        status=c.status,
        corrected_on=row.corrected_on,
        correction=row.correction,
    )


def orders(
    session: Session,
    principal: Principal,
    *,
    establishment_id: int | None = None,
    overdue_only: bool = False,
) -> list[OrderOut]:
    """Correction orders with their derived due day and status, by due day; ``overdue_only``
    keeps those past their set period and still not corrected."""
    require(principal, Permission.ESTABLISHMENT_SUPERVISE)
    q = select(CorrectionOrder, Establishment).join(
        Establishment, Establishment.id == CorrectionOrder.establishment_id
    )
    if establishment_id is not None:
        q = q.where(CorrectionOrder.establishment_id == establishment_id)
    if overdue_only:
        q = q.where(CorrectionOrder.corrected_on.is_(None))
    cal, today = work_calendar(session), clock.today()
    found = [
        order_out(o, e, cal, today) for o, e in session.execute(q.order_by(CorrectionOrder.id))
    ]
    if overdue_only:
        found = [o for o in found if o.status == "overdue"]
    return sorted(found, key=lambda o: (o.due, o.id))


def fine(session: Session, principal: Principal, establishment_id: int, body: FineIn) -> Fine:
    """Art. 55 para 2: a fine within the range, only after a missed set period or a recorded
    serious finding, only for an Art. 49 para 2 line; refused otherwise, naming the reason."""
    require(principal, Permission.ESTABLISHMENT_SUPERVISE)
    est = filings.get(session, establishment_id)
    spec = rules.fine_range()
    if est.category not in spec.categories:
        raise ValidationError(
            msg("establishments.fine_market_only"),
            field="establishment_id",
        )
    if not spec.min_yuan <= body.amount_yuan <= spec.max_yuan:
        raise ValidationError(
            msg(
                "establishments.fine_range",
                low=f"{spec.min_yuan:,}",
                high=f"{spec.max_yuan:,}",
                article=Both(cite(spec.article, "zh"), spec.article),
                amount=f"{body.amount_yuan:,}",
            ),
            field="amount_yuan",
        )
    today = clock.today()
    if body.ground == "missed_deadline":
        if body.order_id is None:
            raise ValidationError(msg("establishments.name_missed_order"), field="order_id")
        order = _order(session, body.order_id)
        if order.establishment_id != est.id:
            raise NotFound(
                msg("establishments.no_correction_order_here", id=body.order_id), field="order_id"
            )
        c = rules.order_clock(
            work_calendar(session), order.issued_on, order.working_days, order.corrected_on, today
        )
        if not c.missed:
            raise ValidationError(
                msg(
                    "establishments.fine_not_missed",
                    id=order.id,
                    day=c.due.isoformat(),
                    status=Term("order_status", c.status),
                    status_code=c.status,
                ),
                field="order_id",
            )
        source = {"order_id": order.id, "due": c.due.isoformat(), "status": c.status}
    else:
        if body.supervision_id is None:
            raise ValidationError(msg("establishments.name_serious_record"), field="supervision_id")
        sup = _supervision(session, est, body.supervision_id, "supervision_id")
        if not sup.serious:
            raise ValidationError(
                msg("establishments.fine_not_serious", id=sup.id),
                field="supervision_id",
            )
        source = {"supervision_id": sup.id}
    row = Fine(
        establishment_id=est.id,
        ground=body.ground,
        order_id=body.order_id if body.ground == "missed_deadline" else None,
        supervision_id=body.supervision_id if body.ground == "serious_finding" else None,
        amount_yuan=body.amount_yuan,
        unlawful_gains_yuan=body.unlawful_gains_yuan,
        decision_number=body.decision_number,
        decided_on=today,
        recorded_by=str(principal.actor),
        recorded_at=clock.now(),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "establishment.fined",
        object_type="establishment",
        object_id=est.id,
        article=spec.article,
        details={
            "fine_id": row.id,
            "ground": body.ground,
            "amount_yuan": body.amount_yuan,
            "unlawful_gains_yuan": body.unlawful_gains_yuan,
            **source,
        },
    )
    return row


def fine_out(row: Fine) -> FineOut:
    return FineOut(
        id=row.id,
        establishment_id=row.establishment_id,
        ground=row.ground,
        order_id=row.order_id,
        supervision_id=row.supervision_id,
        amount_yuan=row.amount_yuan,
        unlawful_gains_yuan=row.unlawful_gains_yuan,
        decision_number=row.decision_number,
        decided_on=row.decided_on,
        article=rules.fine_range().article,
    )


def fines_of(session: Session, establishment_id: int) -> list[FineOut]:
    rows = session.scalars(
        select(Fine).where(Fine.establishment_id == establishment_id).order_by(Fine.id)
    )
    return [fine_out(r) for r in rows]
