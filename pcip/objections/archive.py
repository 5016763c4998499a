"""Art. 41 para 3: the archive of objection dispositions, searchable.

Filters that are columns run in SQL; the state is derived from each case's log, so a state
filter is applied after replaying the logs of the candidates.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pcip.clock import CST
from pcip.objections.log import events_of, get, position
from pcip.objections.models import Evidence, Notice, Objection, ObjectionEvent, ObjectionRecord
from pcip.objections.states import State
from pcip.records.models import CreditRecord


@dataclass(frozen=True)
class Summary:
    objection: Objection
    state: State
    record_ids: tuple[int, ...]


@dataclass(frozen=True)
class CaseFile:
    """One case as the archive holds it: the objection, its log, evidence and notices."""

    objection: Objection
    state: State
    record_ids: tuple[int, ...]
    events: tuple[ObjectionEvent, ...]
    evidence: tuple[Evidence, ...]
    notices: tuple[Notice, ...]


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=CST)


def search(
    session: Session,
    *,
    subject_id: int | None = None,
    record_id: int | None = None,
    provider_id: int | None = None,
    state: State | str | None = None,
    received_from: date | None = None,
    received_to: date | None = None,
    limit: int = 500,
) -> list[Summary]:
    """Cases matching every filter, newest first. ``provider_id`` matches the unit a case was
    transferred to or the unit that provided a disputed record; dates are legal (CST) days,
    both ends included."""
    query = select(Objection)
    if subject_id is not None:
        query = query.where(Objection.subject_id == subject_id)
    if record_id is not None:
        query = query.where(
            Objection.id.in_(
                select(ObjectionRecord.objection_id).where(ObjectionRecord.record_id == record_id)
            )
        )
    if provider_id is not None:
        provided = (
            select(ObjectionRecord.objection_id)
            .join(CreditRecord, CreditRecord.id == ObjectionRecord.record_id)
            .where(CreditRecord.provider_id == provider_id)
        )
        query = query.where(or_(Objection.provider_id == provider_id, Objection.id.in_(provided)))
    if received_from is not None:
        query = query.where(Objection.received_at >= _start_of(received_from))
    if received_to is not None:
        query = query.where(Objection.received_at < _start_of(received_to + timedelta(days=1)))
    found = list(session.scalars(query.order_by(Objection.received_at.desc(), Objection.id.desc())))
    wanted = State(state) if state is not None else None
    logs = events_of(session, [o.id for o in found])
    records = records_by_case(session, [o.id for o in found])
    out: list[Summary] = []
    for o in found:
        current = position(logs[o.id]).state
        if wanted is None or current is wanted:
            out.append(Summary(o, current, tuple(records[o.id])))
        if len(out) >= limit:
            break
    return out


def records_by_case(session: Session, ids: list[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    if not ids:
        return out
    for oid, rid in session.execute(
        select(ObjectionRecord.objection_id, ObjectionRecord.record_id)
        .where(ObjectionRecord.objection_id.in_(ids))
        .order_by(ObjectionRecord.objection_id, ObjectionRecord.record_id)
    ):
        out[oid].append(rid)
    return out


def case_file(session: Session, objection_id: int) -> CaseFile:
    objection = get(session, objection_id)
    events = events_of(session, [objection.id])[objection.id]
    evidence = session.scalars(
        select(Evidence).where(Evidence.objection_id == objection.id).order_by(Evidence.id)
    )
    notices = session.scalars(
        select(Notice).where(Notice.objection_id == objection.id).order_by(Notice.id)
    )
    return CaseFile(
        objection,
        position(events).state,
        tuple(records_by_case(session, [objection.id])[objection.id]),
        tuple(events),
        tuple(evidence),
        tuple(notices),
    )
