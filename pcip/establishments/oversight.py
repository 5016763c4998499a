"""Oversight orders to departments and to the platform itself (Art. 53-54).

Fed by the overdue steps the platform already detects: the objection deadlines
(``pcip.objections.queries.all_cases``, the same derivation the work queue and the overdue
watch read). A providing unit's late verification (``pu_handling``) and a late re-examination
(``reexam``) are a department's (Art. 53); the platform's own steps (label, transfer, its own
handling, the notice) are the operator's (Art. 54, D-2: "the PU's lateness is logged for Art.
53"). An order has its addressee, basis, set period (working days, ``data/deadlines.yaml``) and
the addressee's response. Once the period passes without a response, or on a recorded serious
finding, the development and reform department records the escalation: circulated criticism
(Art. 53) or sanctions referred for the directly responsible staff (Art. 54).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, Principal, require
from pcip.calendar.service import work_calendar
from pcip.calendar.workdays import WorkCalendar
from pcip.errors import Conflict, Forbidden, NotFound, ValidationError
from pcip.establishments import rules
from pcip.establishments.models import OversightOrder
from pcip.establishments.schemas import (
    EscalationIn,
    FromStepIn,
    OverdueStep,
    OversightOrderIn,
    OversightOrderOut,
    ResponseIn,
)
from pcip.kernel import audit
from pcip.kernel.enums import ActorKind
from pcip.kernel.messages import Both, Term, cite, msg
from pcip.objections.queries import all_cases
from pcip.providers.models import Provider
from pcip.providers.service import get_provider

#: Whose step each objection deadline is (Art. 40 steps -> Art. 53 or Art. 54 addressee).
DEPARTMENT_STEPS = frozenset({"pu_handling", "reexam"})
PLATFORM_NAME = "公共信用信息平台运行维护机构"
DRC_NAME = "发展改革部门"


def _key(objection_id: int, step: str) -> str:
    return f"objection:{objection_id}:{step}"


def overdue_steps(session: Session, principal: Principal) -> list[OverdueStep]:
    """Every objection step past its deadline (done late or still open), with the addressee
    an order would have and the order already issued for it, by due day."""
    require(principal, Permission.OVERSIGHT_ISSUE)
    today = clock.today()
    issued: dict[str, int] = {
        str(key): oid
        for key, oid in session.execute(
            select(OversightOrder.source_key, OversightOrder.id).where(
                OversightOrder.source_key.is_not(None)
            )
        )
    }
    names: dict[int, str] = {}
    out: list[OverdueStep] = []
    for case in all_cases(session, today):
        for d in case.deadlines:
            if not d.overdue:
                continue
            key = _key(case.objection.id, d.name)
            pid: int | None = None
            if d.name in DEPARTMENT_STEPS:
                addressee, article = "department", "Art. 53"
                if d.name == "pu_handling" and case.objection.provider_id is not None:
                    pid = case.objection.provider_id
                    if pid not in names:
                        p = session.get(Provider, pid)
                        names[pid] = p.name if p else str(pid)
                    name = names[pid]
                else:
                    name = DRC_NAME
            else:
                addressee, article, name = "platform", "Art. 54", PLATFORM_NAME
            out.append(
                OverdueStep(
                    source_key=key,
                    objection_id=case.objection.id,
                    step=d.name,
                    article=d.article,
                    due=d.due,
                    met_on=d.met_on,
                    addressee=addressee,
                    provider_id=pid,
                    addressee_name=name,
                    order_article=article,
                    order_id=issued.get(key),
                )
            )
    return sorted(out, key=lambda s: (s.due, s.objection_id, s.step))


def _period(addressee: str) -> rules.PeriodName:
    return "department_correction" if addressee == "department" else "platform_correction"


def _create(
    session: Session,
    principal: Principal,
    *,
    addressee: str,
    provider_id: int | None,
    addressee_name: str,
    article: str,
    basis: str,
    requirement: str,
    working_days: int | None,
    source_key: str | None = None,
    source: dict[str, object] | None = None,
) -> OversightOrder:
    days = rules.check_working_days(_period(addressee), working_days)
    row = OversightOrder(
        addressee=addressee,
        provider_id=provider_id,
        addressee_name=addressee_name,
        article=article,
        basis=basis,
        requirement=requirement,
        source_key=source_key,
        source=source,
        issued_on=clock.today(),
        working_days=days,
        issued_by=str(principal.actor),
        recorded_at=clock.now(),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "oversight.order_issued",
        object_type="oversight_order",
        object_id=row.id,
        article=article,
        details={
            "addressee": addressee,
            "provider_id": provider_id,
            "working_days": days,
            "source": source_key,
        },
    )
    return row


def issue_from_step(session: Session, principal: Principal, body: FromStepIn) -> OversightOrder:
    """An order for one overdue step, once per step; the step must still read as overdue."""
    require(principal, Permission.OVERSIGHT_ISSUE)
    step = next(
        (s for s in overdue_steps(session, principal) if s.source_key == body.source_key), None
    )
    if step is None:
        raise NotFound(
            msg("establishments.no_overdue_step", key=repr(body.source_key)),
            field="source_key",
        )
    if step.order_id is not None:
        raise Conflict(
            msg("establishments.order_already_issued", id=step.order_id), field="source_key"
        )
    met = f"done on {step.met_on.isoformat()}" if step.met_on else "still not done"
    basis = (
        f"Objection {step.objection_id}: step {step.step} ({step.article}) was due on "
        f"{step.due.isoformat()} and is {met}."
    )
    return _create(
        session,
        principal,
        addressee=step.addressee,
        provider_id=step.provider_id,
        addressee_name=step.addressee_name,
        article=step.order_article,
        basis=basis,
        requirement=body.requirement,
        working_days=body.working_days,
        source_key=step.source_key,
        source={
            "objection_id": step.objection_id,
            "step": step.step,
            "article": step.article,
            "due": step.due.isoformat(),
            "met_on": step.met_on.isoformat() if step.met_on else None,
        },
    )


def issue(session: Session, principal: Principal, body: OversightOrderIn) -> OversightOrder:
    """An order written from a finding: to a providing unit (Art. 53) or the platform (Art. 54)."""
    require(principal, Permission.OVERSIGHT_ISSUE)
    if body.addressee == "department":
        if not body.provider_uscc:
            raise ValidationError(
                msg("establishments.department_needs_unit"), field="provider_uscc"
            )
        try:
            unit = get_provider(session, body.provider_uscc)
        except NotFound:
            raise NotFound(
                msg("establishments.no_unit_under_uscc"), field="provider_uscc"
            ) from None
        pid, name, article = unit.id, unit.name, "Art. 53"
    else:
        if body.provider_uscc:
            raise ValidationError(msg("establishments.platform_no_unit"), field="provider_uscc")
        pid, name, article = None, PLATFORM_NAME, "Art. 54"
    return _create(
        session,
        principal,
        addressee=body.addressee,
        provider_id=pid,
        addressee_name=name,
        article=article,
        basis=body.basis,
        requirement=body.requirement,
        working_days=body.working_days,
    )


def _get(session: Session, order_id: int) -> OversightOrder:
    row = session.get(OversightOrder, order_id)
    if row is None:
        raise NotFound(msg("establishments.no_oversight_order", id=order_id), field="order_id")
    return row


def _is_addressee(principal: Principal, row: OversightOrder) -> bool:
    if row.addressee == "platform":
        return principal.role is ActorKind.OPERATOR
    if row.provider_id is not None:
        return principal.role is ActorKind.PROVIDER and principal.provider_id == row.provider_id
    return principal.role is ActorKind.DRC  # a late re-examination: the D&R department answers


def _visible(principal: Principal, row: OversightOrder) -> bool:
    return principal.role is ActorKind.DRC or _is_addressee(principal, row)


def respond(
    session: Session, principal: Principal, order_id: int, body: ResponseIn
) -> OversightOrder:
    """The addressee's response: what it corrected (once; the day is today)."""
    require(principal, Permission.OVERSIGHT_RESPOND)
    row = _get(session, order_id)
    if not _visible(principal, row):
        raise NotFound(msg("establishments.no_oversight_order", id=order_id), field="order_id")
    if not _is_addressee(principal, row):
        raise Forbidden(msg("establishments.addressee_only"))
    if row.responded_on is not None:
        raise Conflict(msg("establishments.order_answered", id=order_id), field="order_id")
    row.responded_on = clock.today()
    row.response = body.response
    row.responded_by = str(principal.actor)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "oversight.order_answered",
        object_type="oversight_order",
        object_id=row.id,
        article=row.article,
        details={"responded_on": row.responded_on.isoformat()},
    )
    return row


def escalate(
    session: Session, principal: Principal, order_id: int, body: EscalationIn
) -> OversightOrder:
    """Art. 53: circulate criticism; Art. 54: refer sanctions of the directly responsible
    staff (named in the note). Only after the set period passed without a response (or with a
    late one), or on serious circumstances recorded with their reasons (D-24)."""
    require(principal, Permission.OVERSIGHT_ISSUE)
    row = _get(session, order_id)
    if row.escalation is not None:
        raise Conflict(msg("establishments.order_escalated", id=order_id), field="order_id")
    c = rules.order_clock(
        work_calendar(session), row.issued_on, row.working_days, row.responded_on, clock.today()
    )
    if c.missed:
        ground = "missed_deadline"
    elif body.serious_reasons:
        ground = "serious"
    else:
        raise ValidationError(
            msg(
                "establishments.no_escalation",
                day=c.due.isoformat(),
                status=Term("order_status", c.status),
                status_code=c.status,
                article=Both(cite(row.article, "zh"), row.article),
            ),
            field="serious_reasons",
        )
    row.escalation = "criticism_circulated" if row.article == "Art. 53" else "sanction_referred"
    row.escalated_on = clock.today()
    row.escalation_ground = ground
    row.escalation_note = (
        body.note if ground == "missed_deadline" else f"{body.note}\n{body.serious_reasons}"
    )
    session.flush()
    audit.record(
        session,
        principal.actor,
        f"oversight.{row.escalation}",
        object_type="oversight_order",
        object_id=row.id,
        article=row.article,
        details={"ground": ground, "due": c.due.isoformat()},
    )
    return row


def out(row: OversightOrder, cal: WorkCalendar, today: date) -> OversightOrderOut:
    c = rules.order_clock(cal, row.issued_on, row.working_days, row.responded_on, today)
    return OversightOrderOut(
        id=row.id,
        addressee=row.addressee,
        provider_id=row.provider_id,
        addressee_name=row.addressee_name,
        article=row.article,
        basis=row.basis,
        requirement=row.requirement,
        source=row.source,
        issued_on=row.issued_on,
        working_days=row.working_days,
        due=c.due,
        provisional=c.provisional,
        status=c.status,
        responded_on=row.responded_on,
        response=row.response,
        escalation=row.escalation,
        escalated_on=row.escalated_on,
        escalation_ground=row.escalation_ground,
        escalation_note=row.escalation_note,
    )


def one(session: Session, principal: Principal, order_id: int) -> OversightOrderOut:
    require(principal, Permission.OVERSIGHT_RESPOND)
    row = _get(session, order_id)
    if not _visible(principal, row):
        raise NotFound(msg("establishments.no_oversight_order", id=order_id), field="order_id")
    return out(row, work_calendar(session), clock.today())


def orders(
    session: Session, principal: Principal, *, overdue_only: bool = False
) -> list[OversightOrderOut]:
    """The orders the caller may see (the D&R department: all; a unit: its own; the operator:
    the platform's), by due day."""
    require(principal, Permission.OVERSIGHT_RESPOND)
    q = select(OversightOrder)
    if principal.role is ActorKind.OPERATOR:
        q = q.where(OversightOrder.addressee == "platform")
    elif principal.role is ActorKind.PROVIDER:
        q = q.where(OversightOrder.provider_id == principal.provider_id)
    elif principal.role is not ActorKind.DRC:
        return []
    cal, today = work_calendar(session), clock.today()
    found = [out(r, cal, today) for r in session.scalars(q.order_by(OversightOrder.id))]
    if overdue_only:
        found = [o for o in found if o.status == "overdue"]
    return sorted(found, key=lambda o: (o.due, o.id))
