"""Art. 46: complaints about the collection, disclosure or use of credit information.

A subject lodges a complaint (the portal, the API) or staff register one received at a desk.
The operator then decides within the accept time limit whether it is accepted, not accepted,
or (a dispute over market credit information, Art. 46 para 2) redirected to its legal channel,
and answers an accepted one within the answer time limit (``pcip.complaints.deadlines``).
The state and deadlines are derived from the dated steps; every step writes its audit row.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, Principal, require
from pcip.calendar.service import work_calendar
from pcip.complaints import deadlines
from pcip.complaints.models import Complaint, ComplaintEvent, ConcernLink
from pcip.complaints.schemas import (
    ComplaintIn,
    ComplaintOut,
    DeadlineOut,
    LinkOut,
    StepIn,
    StepOut,
)
from pcip.errors import Conflict, NotFound, ValidationError
from pcip.kernel import audit
from pcip.kernel.enums import ActorKind
from pcip.kernel.messages import Term, msg
from pcip.measures.models import MeasureApplication
from pcip.records.models import CreditRecord
from pcip.subjects.models import Subject

ARTICLE = "Art. 46"
#: Which step may follow which (the state is the last step taken).
_NEXT = {
    "received": {"accepted", "not_accepted", "redirected"},
    "accepted": {"answered"},
}


def _hidden(complaint_id: int) -> NotFound:
    return NotFound(msg("complaints.no_complaint_id", id=complaint_id), field="complaint_id")


def _check_links(
    session: Session,
    subject_id: int,
    model: type[CreditRecord] | type[MeasureApplication],
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
        raise NotFound(msg("complaints.not_about", field=field), field=field)


def link(session: Session, owner: tuple[str, int], targets: list[tuple[str, int]]) -> None:
    session.add_all(
        ConcernLink(owner_type=owner[0], owner_id=owner[1], target_type=t, target_id=i)
        for t, i in dict.fromkeys(targets)
    )


def lodge(session: Session, principal: Principal, body: ComplaintIn, channel: str) -> Complaint:
    """A complaint received today: by the subject itself, or registered by staff at a desk."""
    if body.subject_id is None or principal.role is ActorKind.SUBJECT:
        require(principal, Permission.COMPLAINT_FILE)
        if body.subject_id not in (None, principal.subject_id):
            raise ValidationError(msg("complaints.own_complaints"), field="subject_id")
        subject_id = principal.subject_id
    else:
        # A complaint received at a desk: staff name the complainant.
        require(principal, Permission.COMPLAINT_HANDLE)
        subject_id = body.subject_id
        channel = "desk"
    assert subject_id is not None
    if session.get(Subject, subject_id) is None:
        raise NotFound(msg("common.no_subject", id=subject_id), field="subject_id")
    _check_links(session, subject_id, CreditRecord, body.record_ids, "record_ids")
    _check_links(session, subject_id, MeasureApplication, body.application_ids, "application_ids")
    today = clock.today()
    c = Complaint(
        subject_id=subject_id,
        category=body.category,
        against=body.against.strip(),
        description=body.description,
        channel=channel,
        received_on=today,
        recorded_at=clock.now(),
        recorded_by=str(principal.actor),
    )
    session.add(c)
    session.flush()
    link(
        session,
        ("complaint", c.id),
        [("record", i) for i in body.record_ids]
        + [("application", i) for i in body.application_ids],
    )
    _event(session, principal, c, "received", today, None)
    return c


def _event(
    session: Session, principal: Principal, c: Complaint, kind: str, on: date, note: str | None
) -> None:
    session.add(
        ComplaintEvent(
            complaint_id=c.id,
            kind=kind,
            on=on,
            note=note,
            at=clock.now(),
            by=str(principal.actor),
        )
    )
    audit.record(
        session,
        principal.actor,
        f"complaint.{kind}",
        object_type="complaint",
        object_id=c.id,
        article=ARTICLE,
        details={"on": on.isoformat(), "category": c.category},
    )
    session.flush()


def get(session: Session, principal: Principal, complaint_id: int) -> Complaint:
    c = session.get(Complaint, complaint_id)
    if principal.role is ActorKind.SUBJECT:
        require(principal, Permission.COMPLAINT_FILE)
        if c is None or c.subject_id != principal.subject_id:
            raise _hidden(complaint_id)
    else:
        require(principal, Permission.COMPLAINT_HANDLE)
    if c is None:
        raise _hidden(complaint_id)
    return c


def state_of(events: list[ComplaintEvent]) -> str:
    return events[-1].kind if events else "received"


def step(session: Session, principal: Principal, complaint_id: int, body: StepIn) -> Complaint:
    """The operator's next handling step, with what the complainant is told."""
    require(principal, Permission.COMPLAINT_HANDLE)
    c = get(session, principal, complaint_id)
    events = deadlines.events_of(session, [c.id])[c.id]
    state = state_of(events)
    if body.step not in _NEXT.get(state, set()):
        raise Conflict(
            msg(
                "complaints.step_not_now",
                id=c.id,
                state=Term("complaint_state", state),
                state_code=state,
                step=Term("complaint_state", body.step),
                step_code=body.step,
            )
        )
    if body.step == "redirected" and c.category != "market_dispute":
        raise ValidationError(msg("complaints.only_market_redirected"), field="step")
    on = body.on or clock.today()
    last = events[-1].on if events else c.received_on
    if on < last or on > clock.today():
        raise ValidationError(msg("complaints.step_day", first=last), field="on")
    _event(session, principal, c, body.step, on, body.note)
    return c


def mine(session: Session, principal: Principal) -> list[Complaint]:
    require(principal, Permission.COMPLAINT_FILE)
    return list(
        session.scalars(
            select(Complaint)
            .where(Complaint.subject_id == principal.subject_id)
            .order_by(Complaint.id.desc())
        )
    )


def queue(session: Session, principal: Principal, open_only: bool = True) -> list[Complaint]:
    require(principal, Permission.COMPLAINT_HANDLE)
    rows = list(session.scalars(select(Complaint).order_by(Complaint.received_on, Complaint.id)))
    if not open_only:
        return rows
    logs = deadlines.events_of(session, [c.id for c in rows])
    return [c for c in rows if deadlines.is_open(logs[c.id])]


def concerns(session: Session, owner: tuple[str, int]) -> list[LinkOut]:
    return [
        LinkOut(target_type=link.target_type, target_id=link.target_id)
        for link in session.scalars(
            select(ConcernLink)
            .where(ConcernLink.owner_type == owner[0], ConcernLink.owner_id == owner[1])
            .order_by(ConcernLink.id)
        )
    ]


def out(session: Session, c: Complaint, today: date | None = None) -> ComplaintOut:
    today = today or clock.today()
    events = deadlines.events_of(session, [c.id])[c.id]
    found = deadlines.derive(c, events, work_calendar(session), today)
    return ComplaintOut(
        id=c.id,
        subject_id=c.subject_id,
        category=c.category,
        against=c.against,
        description=c.description,
        channel=c.channel,
        received_on=c.received_on,
        state=state_of(events),
        steps=[StepOut(step=e.kind, on=e.on, note=e.note) for e in events],
        deadlines=[
            DeadlineOut(
                name=d.name,
                article=d.article,
                due=d.due,
                provisional=d.provisional,
                met_on=d.met_on,
                overdue=d.overdue,
                days_left=d.days_left,
            )
            for d in found
        ],
        concerns=concerns(session, ("complaint", c.id)),
    )
