"""Art. 42 para 3: the platform or a providing unit corrects a record on its own motion.

The same outcomes as an objection (correct, supplement, stop provision), without any
objection: a ``Correction`` case is recorded and the new version or record event cites it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, Principal, require
from pcip.errors import Collect, Conflict, Forbidden, ValidationError
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind
from pcip.kernel.messages import Term, msg
from pcip.objections import effects, service
from pcip.objections.casework import _choice, _text
from pcip.objections.models import Correction
from pcip.records.models import RecordEvent
from pcip.records.reasons import coded_reason

#: Art. 42(1)-(3), and the withdrawal of a record filed against the wrong subject or on a
#: wrong basis; "upheld" has no meaning without a dispute.
PROACTIVE_OUTCOMES = ("corrected", "supplemented", "provision_stopped", "withdrawn")


def proactive_correct(
    session: Session,
    principal: Principal,
    record_id: int,
    *,
    outcome: str,
    reasons: str,
    changes: Mapping[str, Any] | None = None,
    withdrawal: Mapping[str, Any] | None = None,
) -> Correction:
    """Art. 42 para 3: handle an error, omission or overdue provision found by the platform
    (the operator) or by the unit that provided the record (its staff or its system, which
    correct only information their unit provided)."""
    require(principal, Permission.RECORD_CORRECT)
    provider_id = None
    if principal.role is ActorKind.PROVIDER:
        if principal.provider_id is None:
            raise Forbidden(msg("objections.unit_must_name"))
        provider_id = principal.provider_id
    return _correct(
        session,
        principal.actor,
        record_id,
        outcome=outcome,
        reasons=reasons,
        changes=changes,
        provider_id=provider_id,
        withdrawal=withdrawal,
    )


def _correct(
    session: Session,
    actor: Actor,
    record_id: int,
    *,
    outcome: str,
    reasons: str,
    changes: Mapping[str, Any] | None,
    provider_id: int | None,
    withdrawal: Mapping[str, Any] | None,
) -> Correction:
    # Issue 19.8: the outcome and the reasons are both checked before either is refused.
    problems = Collect()
    with problems:
        _choice(outcome, PROACTIVE_OUTCOMES, "outcome")
    with problems:
        reasons = _text(reasons, "reasons")
    problems.raise_any()
    worded = {"outcome": Term("outcome", outcome), "outcome_code": outcome}
    if outcome in ("provision_stopped", "withdrawn") and changes:
        raise ValidationError(
            msg("objections.correction_changes_nothing", **worded), field="changes"
        )
    if outcome in ("corrected", "supplemented") and not changes:
        raise ValidationError(msg("objections.correction_needs_changes", **worded), field="changes")
    if outcome != "withdrawn" and withdrawal:
        raise ValidationError(msg("objections.withdrawal_only_withdrawn"), field="withdrawal")
    cur = effects.latest(session, record_id)
    chosen = (
        service.withdrawal_of(session, withdrawal, [record_id]) if outcome == "withdrawn" else None
    )
    if provider_id is not None and provider_id != cur.record.provider_id:
        raise ValidationError(msg("objections.own_records_only"), field="provider_id")
    case = Correction(
        record_id=record_id,
        subject_id=cur.record.subject_id,
        provider_id=provider_id,
        outcome=outcome,
        reasons=reasons,
        recorded_at=clock.now(),
        recorded_by=str(actor),
    )
    session.add(case)
    session.flush()
    details: dict[str, Any] = {"record_id": record_id, "outcome": outcome}
    if chosen is not None:
        today = clock.today()
        if session.scalar(
            select(RecordEvent.id).where(
                RecordEvent.record_id == record_id, RecordEvent.kind == "withdrawn"
            )
        ):
            raise Conflict(msg("objections.already_withdrawn", id=record_id), field="outcome")
        cause = ("correction", case.id)
        note = f"correction {case.id}: {reasons}"
        effects.withdraw(session, actor, cur.record, today, cause, chosen.ground, note)
        details["withdrawal"] = chosen.as_json()
        details["effective_on"] = today.isoformat()
        if chosen.refile_to is not None:
            new = effects.refile(
                session,
                actor,
                record_id,
                chosen.refile_to,
                reason=coded_reason(msg("records.version_refiled_correction", id=case.id)),
                cause=cause,
                where="withdrawal.refile_to",
            )
            details["refiled"] = {str(record_id): new.id}
    elif outcome == "provision_stopped":
        today = clock.today()
        note = f"correction {case.id}: {reasons}"
        if not effects.stop_provision(
            session, actor, cur.record, today, ("correction", case.id), note
        ):
            raise Conflict(msg("objections.already_stopped", id=record_id), field="outcome")
        details["effective_on"] = today.isoformat()
    else:
        version = effects.new_version(
            session,
            actor,
            record_id,
            changes or {},
            reason=coded_reason(
                msg("records.version_correction", id=case.id, outcome=Term("outcome", outcome)),
                reasons,
            ),
            cause=("correction", case.id),
        )
        details["version"] = version.version
        details["fields"] = sorted(changes or {})
    audit.record(
        session,
        actor,
        "correction.apply",
        object_type="correction",
        object_id=case.id,
        article="Art. 42 para 3",
        details={**details, "provider_id": provider_id},
    )
    return case
