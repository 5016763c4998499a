"""Turn a case into what a caller may see of it (API, web and CLI share this)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip.auth.permissions import Principal
from pcip.calendar.service import work_calendar
from pcip.kernel.enums import ActorKind
from pcip.objections import steps
from pcip.objections.archive import case_file, records_by_case
from pcip.objections.deadlines import derive
from pcip.objections.log import timeline
from pcip.objections.models import Objection, ObjectionEvent
from pcip.objections.schemas import (
    DeadlineOut,
    EventOut,
    EvidenceOut,
    NoticeOut,
    ObjectionOut,
    ObjectionSummary,
)
from pcip.objections.states import Kind
from pcip.objections.tracking import Case
from pcip.records.models import RecordEvent

BASE = "/api/v1/objections"


def _by(actor: str, staff: bool) -> str:
    """Subjects see the acting role; staff also see the account (Art. 28 accountability)."""
    return actor if staff else actor.split(":", 1)[0]


#: What the applicant is not shown of a withdrawal: where the record was filed again (another
#: subject's name, masked identifier and ids are that subject's information, Art. 27).
_REFILE_KEYS = ("refile_to", "refiled", "refiled_subject_id")


def _for_subject(payload: dict[str, Any]) -> dict[str, Any]:
    out = dict(payload)
    withdrawal = out.get("withdrawal")
    if isinstance(withdrawal, dict):
        kept = {k: v for k, v in withdrawal.items() if k not in _REFILE_KEYS}
        kept["filed_under_the_right_subject"] = bool(
            withdrawal.get("refile_to") or withdrawal.get("refiled")
        )
        out["withdrawal"] = kept
    return out


def summaries(session: Session, cases: list[Case]) -> list[ObjectionSummary]:
    records = records_by_case(session, [c.objection.id for c in cases])
    return [summary(c, records[c.objection.id]) for c in cases]


def summary(case: Case, record_ids: list[int]) -> ObjectionSummary:
    o = case.objection
    nxt = case.next_due
    return ObjectionSummary(
        id=o.id,
        subject_id=o.subject_id,
        state=case.state.value,
        ground=o.ground,
        channel=o.channel,
        received_at=o.received_at,
        record_ids=list(record_ids),
        provider_id=o.provider_id,
        repeat_of=o.repeat_of,
        next_due=DeadlineOut.of(nxt) if nxt else None,
        overdue=any(d.overdue and d.met_on is None for d in case.deadlines),
    )


def _stopped(session: Session, objection: Objection, events: Sequence[ObjectionEvent]) -> list[int]:
    """The records the platform stopped providing on receipt because their Art. 43 period had
    ended (D-5; only an objection on that ground does it). A stop decided later, on any
    ground, is the outcome's, told by the outcome and its reasons, not by this sentence."""
    if objection.ground != "beyond_period":
        return []
    decided = [e.at for e in events if e.kind == Kind.DECIDED.value]
    query = select(RecordEvent.record_id).where(
        RecordEvent.cause_type == "objection",
        RecordEvent.cause_id == objection.id,
        RecordEvent.kind == "provision_stopped",
    )
    if decided:
        query = query.where(RecordEvent.recorded_at < min(decided))
    return list(session.scalars(query.order_by(RecordEvent.record_id)))


def detail(
    session: Session, principal: Principal, objection: Objection, today: date
) -> ObjectionOut:
    """The whole case as this caller may see it, with its derived deadlines and next steps."""
    f = case_file(session, objection.id)
    t = timeline(objection, f.events)
    found = derive(t, work_calendar(session), today)
    staff = principal.role is not ActorKind.SUBJECT
    url = f"{BASE}/{objection.id}"
    open_steps = [d for d in found if d.met_on is None]
    nxt = min(open_steps, key=lambda d: d.due) if open_steps else None
    return ObjectionOut(
        id=objection.id,
        subject_id=objection.subject_id,
        state=f.state.value,
        ground=objection.ground,
        channel=objection.channel,
        received_at=objection.received_at,
        record_ids=list(f.record_ids),
        provider_id=objection.provider_id,
        repeat_of=objection.repeat_of,
        next_due=DeadlineOut.of(nxt) if nxt else None,
        overdue=any(d.overdue and d.met_on is None for d in found),
        applicant=objection.applicant,
        agent=objection.agent,
        statement=objection.statement,
        deadlines=[DeadlineOut.of(d) for d in found],
        events=[
            EventOut(
                kind=e.kind,
                at=e.at,
                by=_by(e.actor, staff),
                details=dict(e.payload) if staff else _for_subject(e.payload),
            )
            for e in f.events
        ],
        evidence=[
            EvidenceOut(
                id=ev.id,
                file_name=ev.file_name,
                content_type=ev.content_type,
                size=ev.size,
                sha256=ev.sha256,
                uploaded_at=ev.uploaded_at,
                url=f"{url}/evidence/{ev.id}",
            )
            for ev in f.evidence
        ],
        notices=[
            NoticeOut(
                id=n.id,
                kind=n.kind,
                issued_at=n.issued_at,
                due_on=n.due_on,
                url=f"{url}/notices/{n.id}",
            )
            for n in f.notices
        ],
        actions=steps.actions(principal, t.position),
        stopped_records=_stopped(session, objection, f.events),
    )
