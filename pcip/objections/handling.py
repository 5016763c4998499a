"""Handling a case before its decision: the label (Art. 40 para 2), refusal (Art. 41 para 3),
the platform's own review or the transfer to the providing unit and its result (Art. 40
para 2), and pauses (Art. 41 para 2; D-3).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, Principal
from pcip.errors import Collect, NotFound, ValidationError
from pcip.kernel.actors import Actor
from pcip.kernel.messages import msg
from pcip.objections import alerts, effects, notices
from pcip.objections import evidence as files
from pcip.objections.casework import (
    Changes,
    _audit,
    _case_text,
    _changes_json,
    _choice,
    _event,
    _guard,
    _notice,
    _store_evidence,
    _text,
)
from pcip.objections.deadlines import NOTICE
from pcip.objections.decisions import Withdrawal, _apply_decision, _check_outcome, _notify
from pcip.objections.log import get, record_ids
from pcip.objections.models import (
    Notice,
    Objection,
    ObjectionEvent,
    ObjectionRecord,
)
from pcip.objections.schemas import DeclineIn, PauseIn, TransferIn, UnitResultIn
from pcip.objections.states import Kind, State
from pcip.objections.steps import step
from pcip.providers.models import Provider
from pcip.records.models import CreditRecord

#: Art. 41 para 2: the kinds of work whose time is not counted.
PAUSE_TYPES = ("inspection", "testing", "evaluation", "expert_review")
#: Art. 41 para 3: the two reasons an objection may be refused.
DECLINE_BASES = ("repeat", "no_legitimate_reason")


@step("label", Kind.LABELLED, Permission.OBJECTION_HANDLE)
def apply_label(session: Session, actor: Actor, objection_id: int) -> ObjectionEvent:
    """Art. 40 para 2: note the objection on each record; Art. 41 para 1: it stays disclosed."""
    objection = get(session, objection_id, lock=True)
    _guard(session, objection, Kind.LABELLED)
    today = clock.today()
    ids = record_ids(session, objection.id)
    effects.label_on(session, actor, objection.id, ids, today)
    event = _event(session, actor, objection, Kind.LABELLED, {"records": ids})
    _audit(
        session,
        actor,
        objection,
        "label",
        "Art. 40 para 2; Art. 41 para 1",
        {"records": ids, "effective_on": today.isoformat(), "disclosure": "unchanged"},
    )
    return event


@step("decline", Kind.NOT_ACCEPTED, Permission.OBJECTION_HANDLE, schema=DeclineIn)
def decline(
    session: Session, actor: Actor, objection_id: int, *, basis: str, reasons: str
) -> Notice:
    """Art. 41 para 3, D-4: refuse an objection with a reasoned notice (re-examinable)."""
    # Issue 19.8: every field is checked before the step is refused.
    problems = Collect()
    with problems:
        basis = _choice(basis, DECLINE_BASES, "basis")
    with problems:
        reasons = _text(reasons, "reasons")
    problems.raise_any()
    objection = get(session, objection_id, lock=True)
    current = _guard(session, objection, Kind.NOT_ACCEPTED)
    if basis == "repeat" and objection.repeat_of is None:
        raise ValidationError(msg("objections.not_a_repeat"), field="basis")
    today = clock.today()
    ids = record_ids(session, objection.id)
    removed = (
        effects.label_off(session, actor, objection.id, ids, today)
        if current.state is State.LABELLED
        else {}
    )
    html = notices.not_accepted(_case_text(session, objection), today, basis, reasons)
    notice = _notice(session, actor, objection, "not_accepted", html, NOTICE.name)
    payload = {"basis": basis, "reasons": reasons, "notice_id": notice.id}
    _event(session, actor, objection, Kind.NOT_ACCEPTED, payload)
    _audit(
        session,
        actor,
        objection,
        "not_accepted",
        "Art. 41 para 3; D-4",
        {
            "basis": basis,
            "repeat_of": objection.repeat_of,
            "notice_id": notice.id,
            "label_removed": {str(k): v for k, v in removed.items()},
        },
    )
    return notice


def decline_repeat(
    session: Session, principal: Principal, objection_id: int, reasons: str
) -> Notice:
    """D-4: the handler confirms a flagged repeat: not accepted, with a reasoned notice."""
    return decline(session, principal, objection_id, basis="repeat", reasons=reasons)


@step("self_review", Kind.SELF_REVIEW, Permission.OBJECTION_HANDLE)
def start_self_review(session: Session, actor: Actor, objection_id: int) -> ObjectionEvent:
    """Art. 40 para 2(1): within the platform's own scope, it verifies and handles the case."""
    objection = get(session, objection_id, lock=True)
    _guard(session, objection, Kind.SELF_REVIEW)
    objection.route = "self"
    event = _event(session, actor, objection, Kind.SELF_REVIEW, {})
    _audit(session, actor, objection, "self_review", "Art. 40 para 2(1)", {"route": "self"})
    return event


def _providers_of(session: Session, objection: Objection) -> set[int]:
    return set(
        session.scalars(
            select(CreditRecord.provider_id)
            .join(ObjectionRecord, ObjectionRecord.record_id == CreditRecord.id)
            .where(ObjectionRecord.objection_id == objection.id)
        )
    )


@step("transfer", Kind.TRANSFERRED, Permission.OBJECTION_HANDLE, schema=TransferIn)
def transfer(
    session: Session, actor: Actor, objection_id: int, provider_id: int | None = None
) -> ObjectionEvent:
    """Art. 40 para 2(2): transfer to the unit that provided the disputed information.

    Without ``provider_id`` the records' one providing unit is chosen; a named unit must have
    provided at least one of the records.
    """
    objection = get(session, objection_id, lock=True)
    _guard(session, objection, Kind.TRANSFERRED)
    providers = _providers_of(session, objection)
    if provider_id is None:
        if len(providers) != 1:
            raise ValidationError(msg("objections.name_the_unit"), field="provider_id")
        provider_id = next(iter(providers))
    if session.get(Provider, provider_id) is None:
        raise NotFound(msg("objections.no_unit", id=provider_id), field="provider_id")
    if provider_id not in providers:
        raise ValidationError(
            msg("objections.unit_provided_none", id=provider_id), field="provider_id"
        )
    objection.route, objection.provider_id = "transferred", provider_id
    event = _event(session, actor, objection, Kind.TRANSFERRED, {"provider_id": provider_id})
    _audit(session, actor, objection, "transfer", "Art. 40 para 2(2)", {"provider_id": provider_id})
    return event


@step("unit_receive", Kind.PU_RECEIVED, Permission.OBJECTION_TRANSFERRED)
def pu_receive(session: Session, actor: Actor, objection_id: int) -> ObjectionEvent:
    """Art. 40 para 2(2): the unit's 3 working days run from its receipt of the transfer."""
    objection = get(session, objection_id, lock=True)
    _guard(session, objection, Kind.PU_RECEIVED)
    event = _event(session, actor, objection, Kind.PU_RECEIVED, {})
    _audit(
        session,
        actor,
        objection,
        "pu_receive",
        "Art. 40 para 2(2)",
        {"provider_id": objection.provider_id},
    )
    return event


@step(
    "unit_result",
    Kind.PU_RESULT_RETURNED,
    Permission.OBJECTION_TRANSFERRED,
    schema=UnitResultIn,
    files=True,
)
def pu_return(
    session: Session,
    actor: Actor,
    objection_id: int,
    *,
    outcome: str,
    reasons: str,
    changes: Changes | None = None,
    withdrawal: Mapping[str, Any] | None = None,
    evidence: Sequence[files.EvidenceFile] = (),
    files_dir: Path | None = None,
) -> ObjectionEvent:
    """Art. 40 para 2(2): the unit returns its verification result to the platform.

    D-2: in the same transaction the platform applies the result (the unit verified and
    handled the case, Art. 40 para 2(2)), issues the written notice of the outcome (Art. 40
    para 3) and tells the operator (``ObjectionAlert`` ``unit_result_notified``), without
    waiting for anyone to look. A result that cannot be applied (a field value refused, a
    subject that cannot be named) is refused whole, naming the field.
    """
    reasons = _text(reasons, "reasons")
    objection = get(session, objection_id, lock=True)
    chosen = _check_outcome(
        session, outcome, changes, record_ids(session, objection.id), withdrawal
    )
    checked = files.check(evidence)
    _guard(session, objection, Kind.PU_RESULT_RETURNED)
    evidence_ids = _store_evidence(session, actor, objection, checked, files_dir)
    payload = {
        "outcome": outcome,
        "reasons": reasons,
        "changes": _changes_json(changes),
        "evidence": evidence_ids,
    }
    if chosen is not None:
        payload["withdrawal"] = chosen.as_json()
    event = _event(session, actor, objection, Kind.PU_RESULT_RETURNED, payload)
    _audit(
        session,
        actor,
        objection,
        "pu_return",
        "Art. 40 para 2(2)",
        {"provider_id": objection.provider_id, "outcome": outcome, "evidence": evidence_ids},
    )
    _notify_unit_result(session, actor, objection, outcome, reasons, changes, chosen)
    return event


#: Who generates the decision and notice when a unit's result arrives (D-2).
D2 = Actor.system("objections.d2")


def _notify_unit_result(
    session: Session,
    unit: Actor,
    objection: Objection,
    outcome: str,
    reasons: str,
    changes: Changes | None,
    chosen: Withdrawal | None,
) -> None:
    """D-2: the unit's result becomes the decision, its notice is issued, the operator told."""
    _apply_decision(
        session,
        D2,
        objection,
        outcome,
        reasons,
        changes,
        chosen,
        step=(Kind.DECIDED, "decision", "decide", "Art. 40 para 2(2); D-2"),
        extra={"from_unit_result": True, "unit": str(unit)},
    )
    notice = _notify(session, D2, objection.id)
    alerts.raise_alert(
        session,
        objection,
        "unit_result_notified",
        {
            "notice_id": notice.id,
            "outcome": outcome,
            "provider_id": objection.provider_id,
            "unit": str(unit),
        },
    )


@step("pause", Kind.PAUSED, schema=PauseIn, files=True)
def pause(
    session: Session,
    actor: Actor,
    objection_id: int,
    *,
    pause_type: str,
    reason: str,
    evidence: Sequence[files.EvidenceFile],
    files_dir: Path | None = None,
) -> ObjectionEvent:
    """Art. 41 para 2: stop the handling clock for inspection, testing, evaluation or expert
    review; D-3: each pause has a type, a reason and supporting evidence."""
    # Issue 19.8: every field is checked before the step is refused.
    problems = Collect()
    with problems:
        pause_type = _choice(pause_type, PAUSE_TYPES, "pause_type")
    with problems:
        reason = _text(reason, "reason")
    checked: list[files.CheckedFile] = []
    with problems:
        if not evidence:
            raise ValidationError(msg("objections.pause_evidence"), field="evidence")
        checked = files.check(evidence)
    problems.raise_any()
    objection = get(session, objection_id, lock=True)
    current = _guard(session, objection, Kind.PAUSED)
    evidence_ids = _store_evidence(session, actor, objection, checked, files_dir)
    payload = {
        "type": pause_type,
        "reason": reason,
        "evidence": evidence_ids,
        # Which clock stops: the handling one, or the re-examination's (D-3).
        "reexam": current.state is State.REEXAM_REQUESTED,
    }
    event = _event(session, actor, objection, Kind.PAUSED, payload)
    _audit(
        session,
        actor,
        objection,
        "pause",
        "Art. 41 para 2; D-3",
        {"type": pause_type, "evidence": evidence_ids, "from_state": current.state.value},
    )
    return event


@step("resume", Kind.RESUMED)
def resume(session: Session, actor: Actor, objection_id: int) -> ObjectionEvent:
    """Art. 41 para 2: the clock runs again; the paused days stay excluded."""
    objection = get(session, objection_id, lock=True)
    current = _guard(session, objection, Kind.RESUMED)
    event = _event(session, actor, objection, Kind.RESUMED, {})
    back = current.paused_from.value if current.paused_from else None
    _audit(session, actor, objection, "resume", "Art. 41 para 2; D-3", {"to_state": back})
    return event
