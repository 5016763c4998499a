"""The operator's work queue and the overdue watch (Art. 40; D-2; Art. 53 oversight).

Both read the derived deadlines; neither stores a due date. ``overdue_check`` is the only
writer: one audit event per missed step, once (the audit log itself says whether a step was
already reported, so running the check twice, or on two servers, reports nothing twice).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased

from pcip.calendar.service import work_calendar
from pcip.calendar.workdays import WorkCalendar
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.audit.models import AuditEvent
from pcip.objections import alerts
from pcip.objections.deadlines import Deadline, derive
from pcip.objections.log import events_of, timeline
from pcip.objections.models import Objection, ObjectionEvent
from pcip.objections.states import State

OVERDUE_ACTION = "objection.overdue"


@dataclass(frozen=True)
class Case:
    objection: Objection
    state: State
    deadlines: tuple[Deadline, ...]

    @property
    def next_due(self) -> Deadline | None:
        """The earliest step still open."""
        open_steps = [d for d in self.deadlines if d.met_on is None]
        return min(open_steps, key=lambda d: d.due) if open_steps else None


def _open_objections(session: Session) -> list[Objection]:
    """Cases whose last event is not ``closed`` (a closed case re-examined later is open
    again: Art. 40 para 4 sets no time limit for the application)."""
    later = aliased(ObjectionEvent)
    closed = exists().where(
        ObjectionEvent.objection_id == Objection.id,
        ObjectionEvent.kind == "closed",
        ~exists().where(later.objection_id == Objection.id, later.id > ObjectionEvent.id),
    )
    return list(session.scalars(select(Objection).where(~closed).order_by(Objection.id)))


def open_cases(session: Session, today: date) -> list[Case]:
    """Every case not closed, with its deadlines as of ``today``."""
    return cases_of(session, _open_objections(session), today)


def cases_of(session: Session, objections: Sequence[Objection], today: date) -> list[Case]:
    """These cases with their state and deadlines as of ``today`` (logs read in one query)."""
    logs = events_of(session, [o.id for o in objections])
    cal = work_calendar(session)
    out: list[Case] = []
    for o in objections:
        t = timeline(o, logs[o.id])
        out.append(Case(o, t.position.state, tuple(derive(t, cal, today))))
    return out


def queue(session: Session, today: date) -> list[Case]:
    """Open cases, the most urgent first (by next due date; cases with no open step last)."""

    def key(case: Case) -> tuple[int, date, int]:
        nxt = case.next_due
        return (0, nxt.due, case.objection.id) if nxt else (1, date.max, case.objection.id)

    return sorted(open_cases(session, today), key=key)


def _focus_key(case: Case, name: str) -> tuple[int, date, int]:
    """Order by one step's deadline: open ones first, by due date; then done; then none."""
    d = next((d for d in case.deadlines if d.name == name), None)
    if d is None:
        return (2, date.max, case.objection.id)
    return (1 if d.met_on is not None else 0, d.due, case.objection.id)


def transferred_to(cases: Iterable[Case], provider_id: int | None) -> list[Case]:
    """The cases transferred to one providing unit (Art. 40 para 2(2)), most urgent first by
    the unit's own handling deadline."""
    mine = [c for c in cases if provider_id is not None and c.objection.provider_id == provider_id]
    return sorted(mine, key=lambda c: _focus_key(c, "pu_handling"))


def in_reexamination(cases: Iterable[Case]) -> list[Case]:
    """Cases under re-examination (paused or not), or decided by it and awaiting the notice
    (Art. 40 para 4), by the re-examination deadline."""
    waiting = (State.REEXAM_REQUESTED, State.REEXAM_DECIDED)
    mine = [
        c
        for c in cases
        if c.state in waiting
        or (c.state is State.PAUSED and any(d.name == "reexam" for d in c.deadlines))
    ]
    return sorted(mine, key=lambda c: _focus_key(c, "reexam"))


@dataclass(frozen=True)
class Overdue:
    objection_id: int
    deadline: Deadline


def _reported(session: Session, ids: Sequence[int]) -> set[tuple[str, str]]:
    rows = session.execute(
        select(AuditEvent.object_id, AuditEvent.details).where(
            AuditEvent.action == OVERDUE_ACTION,
            AuditEvent.object_type == "objection",
            AuditEvent.object_id.in_([str(i) for i in ids]),
        )
    )
    return {(oid, str(details.get("deadline"))) for oid, details in rows}


#: States in which a case still waits to be routed (transferred, reviewed or refused).
_UNROUTED = frozenset({State.RECEIVED, State.LABELLED})


def transfer_watch(session: Session, cases: Sequence[Case], today: date) -> list[int]:
    """D-2: alert the operator to each case neither transferred, reviewed by the platform
    nor refused by the end of its first working day (the 1-working-day label deadline's
    day): the unit's 3 working days then no longer fit in the 5-day notice deadline."""
    raised: list[int] = []
    for case in cases:
        if case.objection.route is not None or case.state not in _UNROUTED:
            continue
        first = next((d for d in case.deadlines if d.name == "label"), None)
        if first is None or today <= first.due:
            continue
        details = {"first_working_day": first.due.isoformat(), "state": case.state.value}
        if alerts.raise_alert(session, case.objection, "not_transferred_wd1", details):
            raised.append(case.objection.id)
    return raised


def overdue_check(session: Session, actor: Actor, today: date) -> list[Overdue]:
    """Report each step newly past its deadline (Art. 40 limits; D-2: a unit's lateness is
    logged for Art. 53). Missed steps done late are reported too: they were missed. Also
    raises the first-working-day transfer alerts (``transfer_watch``)."""
    cases = open_cases(session, today)
    transfer_watch(session, cases, today)
    seen = _reported(session, [c.objection.id for c in cases])
    out: list[Overdue] = []
    for case in cases:
        for d in case.deadlines:
            if not d.overdue or (str(case.objection.id), d.name) in seen:
                continue
            audit.record(
                session,
                actor,
                OVERDUE_ACTION,
                object_type="objection",
                object_id=case.objection.id,
                article=d.article,
                details={
                    "deadline": d.name,
                    "due": d.due.isoformat(),
                    "met_on": d.met_on.isoformat() if d.met_on else None,
                    "provisional": d.provisional,
                    "state": case.state.value,
                    "provider_id": case.objection.provider_id,
                },
            )
            out.append(Overdue(case.objection.id, d))
    return out


@dataclass(frozen=True)
class Recounted:
    """An open case's deadline that a newly loaded official schedule moved or settled."""

    objection_id: int
    deadline: str
    due_before: date
    due_after: date
    provisional_before: bool
    provisional_after: bool

    def as_json(self) -> dict[str, object]:
        return {
            "objection_id": self.objection_id,
            "deadline": self.deadline,
            "due_before": self.due_before.isoformat(),
            "due_after": self.due_after.isoformat(),
            "provisional_before": self.provisional_before,
            "provisional_after": self.provisional_after,
        }


def recount(
    session: Session, before: WorkCalendar, after: WorkCalendar, today: date
) -> list[Recounted]:
    """Open cases' deadlines as counted on ``before`` and on ``after`` (a schedule load):
    those whose due date or provisional mark differ. Nothing is rewritten, since deadlines
    are derived; this is what the load's audit row reports as recounted (issue #5, D-1)."""
    objections = _open_objections(session)
    logs = events_of(session, [o.id for o in objections])
    out: list[Recounted] = []
    for o in objections:
        t = timeline(o, logs[o.id])
        old = {d.name: d for d in derive(t, before, today)}
        for d in derive(t, after, today):
            was = old.get(d.name)
            if was is None or (was.due, was.provisional) == (d.due, d.provisional):
                continue
            out.append(Recounted(o.id, d.name, was.due, d.due, was.provisional, d.provisional))
    return out
