"""Reading the event log: a case's events, its position in SM-1, and the facts deadlines need."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip.clock import legal_day
from pcip.errors import NotFound
from pcip.kernel.messages import msg
from pcip.objections.models import Objection, ObjectionEvent, ObjectionRecord
from pcip.objections.states import Kind, Position, State, replay


def get(session: Session, objection_id: int, *, lock: bool = False) -> Objection:
    """The objection, or NotFound. ``lock`` serialises actions on one case (PostgreSQL)."""
    query = select(Objection).where(Objection.id == objection_id)
    found = session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise NotFound(msg("objections.no_objection", id=objection_id), field="objection_id")
    return found


def events_of(session: Session, ids: Collection[int]) -> dict[int, list[ObjectionEvent]]:
    out: dict[int, list[ObjectionEvent]] = defaultdict(list)
    if not ids:
        return out
    for e in session.scalars(
        select(ObjectionEvent)
        .where(ObjectionEvent.objection_id.in_(list(ids)))
        .order_by(ObjectionEvent.objection_id, ObjectionEvent.id)
    ):
        out[e.objection_id].append(e)
    return out


def position(events: Sequence[ObjectionEvent]) -> Position:
    return replay((e.kind, e.payload) for e in events)


def positions(session: Session, ids: Collection[int]) -> dict[int, Position]:
    return {oid: position(evs) for oid, evs in events_of(session, ids).items()}


def record_ids(session: Session, objection_id: int) -> list[int]:
    return list(
        session.scalars(
            select(ObjectionRecord.record_id)
            .where(ObjectionRecord.objection_id == objection_id)
            .order_by(ObjectionRecord.record_id)
        )
    )


@dataclass(frozen=True)
class PauseSpan:
    """An Art. 41 pause: first day, last day (None while running), and the phase it stops."""

    first: date
    last: date | None
    reexam: bool  # paused during the re-examination (else during the handling)


@dataclass
class Timeline:
    """The dated facts of a case, read once from its log (input of the derived deadlines)."""

    received: date
    position: Position
    route: str | None = None
    days: dict[Kind, date] = field(default_factory=dict)  # first day of each kind of event
    outcome_notice: date | None = None
    reexam_notice: date | None = None
    pauses: list[PauseSpan] = field(default_factory=list)

    def day(self, kind: Kind) -> date | None:
        return self.days.get(kind)


def timeline(objection: Objection, events: Sequence[ObjectionEvent]) -> Timeline:
    """Replay ``events`` into dated facts; the receipt time is the objection's own (Art. 40)."""
    t = Timeline(received=legal_day(objection.received_at), position=Position(State.RECEIVED))
    open_pause: tuple[date, bool] | None = None
    for e in events:
        kind, day = Kind(e.kind), legal_day(e.at)
        if kind is Kind.REEXAM_REQUESTED and e.payload.get("received_at"):
            # A paper application registered later: the department's 3 working days run
            # from the day its window received it (Art. 40 para 4).
            day = legal_day(datetime.fromisoformat(str(e.payload["received_at"])))
        if kind is not Kind.RECEIVED:
            t.position = t.position.after(kind, e.payload)
        t.days.setdefault(kind, day)
        if kind is Kind.SELF_REVIEW:
            t.route = "self"
        elif kind is Kind.TRANSFERRED:
            t.route = "transferred"
        elif kind is Kind.PAUSED:
            open_pause = (day, bool(e.payload.get("reexam")))
        elif kind is Kind.RESUMED and open_pause is not None:
            t.pauses.append(PauseSpan(open_pause[0], day, open_pause[1]))
            open_pause = None
        elif kind is Kind.NOTIFIED:
            notice = e.payload.get("notice")
            if notice in ("outcome", "not_accepted") and t.outcome_notice is None:
                t.outcome_notice = day
            elif notice == "reexam_outcome" and t.reexam_notice is None:
                t.reexam_notice = day
        elif kind is Kind.NOT_ACCEPTED and t.outcome_notice is None:
            # Art. 41 para 3: the reasoned non-acceptance notice is issued with the refusal.
            t.outcome_notice = day
    if open_pause is not None:
        t.pauses.append(PauseSpan(open_pause[0], None, open_pause[1]))
    return t
