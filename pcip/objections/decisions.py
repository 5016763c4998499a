"""Deciding a case and telling the applicant: the outcome applied to the records (Art. 42),
withdrawal from the wrong subject, the written notices (Art. 40 para 3-4; D-2), and closing
the case (Art. 41 para 3).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission
from pcip.errors import Collect, ValidationError
from pcip.kernel.actors import Actor
from pcip.kernel.messages import Both, Term, msg
from pcip.objections import effects, notices
from pcip.objections.casework import (
    Changes,
    _audit,
    _case_text,
    _changes_json,
    _choice,
    _event,
    _guard,
    _last,
    _notice,
    _text,
)
from pcip.objections.codes import OUTCOMES, WITHDRAWAL_GROUNDS
from pcip.objections.deadlines import NOTICE, REEXAM, deadlines
from pcip.objections.log import events_of, get, position, record_ids
from pcip.objections.models import (
    Notice,
    Objection,
    ObjectionEvent,
)
from pcip.objections.schemas import CloseIn, DecisionIn
from pcip.objections.states import Kind, State
from pcip.objections.steps import also, notice_step, step
from pcip.providers.models import Provider
from pcip.records.models import CreditRecord
from pcip.records.reasons import coded_reason

#: The stage a decision was taken at, as a version's reason names it (pcip.records.reasons).
_STAGES = {
    "decision": Both("决定", "decision"),
    "re-examination": Both("复核决定", "re-examination"),
}


@dataclass(frozen=True)
class Withdrawal:
    """Art. 19, 21, 42(1): withdraw records filed against the wrong subject or on a wrong
    basis; for the wrong subject, optionally the subject they concern (filed there anew)."""

    ground: str
    records: tuple[int, ...]
    refile_to: effects.RefileTarget | None = None

    def as_json(self) -> dict[str, Any]:
        """What the case log keeps: never a clear identifier (Art. 27)."""
        target = self.refile_to
        return {
            "ground": self.ground,
            "records": list(self.records),
            "refile_to": (
                {
                    "kind": target.key.kind.value,
                    "identifier": target.key.uscc or target.key.masked,
                    "name": target.name,
                }
                if target
                else None
            ),
        }


def _refile_key(session: Session, raw: Mapping[str, Any], where: str) -> effects.RefileTarget:
    from pcip.kernel.audit.service import keyring_of
    from pcip.subjects import service as subjects

    name = _text(str(raw.get("name") or ""), f"{where}.name", limit=200)
    ring = keyring_of(session)
    if raw.get("uscc"):
        key = subjects.organisation_by_uscc(str(raw["uscc"]), field=f"{where}.uscc")
    elif raw.get("citizen_id"):
        key = subjects.person_by_citizen_id(
            ring, str(raw["citizen_id"]), field=f"{where}.citizen_id"
        )
    elif raw.get("document_number"):
        try:
            key = subjects.person_by_document(
                ring,
                str(raw.get("document_type") or ""),
                str(raw["document_number"]),
                str(raw["document_country"]) if raw.get("document_country") else None,
            )
        except ValidationError as exc:
            raise ValidationError(exc.message, field=f"{where}.{exc.field or 'document'}") from None
    else:
        raise ValidationError(msg("objections.refile_name_subject"), field=where)
    return effects.RefileTarget(key, name)


def withdrawal_of(
    session: Session, raw: Mapping[str, Any] | None, ids: Sequence[int]
) -> Withdrawal:
    if not raw:
        raise ValidationError(msg("objections.withdrawal_ground"), field="withdrawal")
    ground = _choice(str(raw.get("ground") or ""), WITHDRAWAL_GROUNDS, "withdrawal.ground")
    chosen = [int(r) for r in raw.get("records") or ids]
    for i, rid in enumerate(chosen):
        if rid not in ids:
            raise ValidationError(
                msg("objections.record_not_named", id=rid), field=f"withdrawal.records[{i}]"
            )
    target = raw.get("refile_to")
    if target and ground != "wrong_subject":
        raise ValidationError(msg("objections.refile_wrong_basis"), field="withdrawal.refile_to")
    refile = _refile_key(session, target, "withdrawal.refile_to") if target else None
    return Withdrawal(ground, tuple(dict.fromkeys(chosen)), refile)


def _check_outcome(
    session: Session,
    outcome: str,
    changes: Changes | None,
    ids: Sequence[int],
    withdrawal: Mapping[str, Any] | None = None,
    field: str = "outcome",
) -> Withdrawal | None:
    _choice(outcome, OUTCOMES, field)
    if outcome in ("corrected", "supplemented"):
        if not changes:
            raise ValidationError(
                msg(
                    "objections.outcome_needs_changes",
                    outcome=Term("outcome", outcome),
                    outcome_code=outcome,
                ),
                field="changes",
            )
        for rid in changes:
            if rid not in ids:
                raise ValidationError(
                    msg("objections.record_not_named", id=rid), field=f"changes[{rid}]"
                )
    elif changes:
        raise ValidationError(
            msg(
                "objections.outcome_changes_nothing",
                outcome=Term("outcome", outcome),
                outcome_code=outcome,
            ),
            field="changes",
        )
    if outcome == "withdrawn":
        return withdrawal_of(session, withdrawal, ids)
    if withdrawal:
        raise ValidationError(msg("objections.withdrawal_only_withdrawn"), field="withdrawal")
    return None


def _apply_outcome(
    session: Session,
    actor: Actor,
    objection: Objection,
    outcome: str,
    reasons: str,
    changes: Changes | None,
    stage: str,
    withdrawal: Withdrawal | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Art. 42(1)-(3): what the outcome does to the records; (facts for the log, notice lines)."""
    ids = record_ids(session, objection.id)
    cause = ("objection", objection.id)
    versions: dict[str, int] = {}
    stopped: list[int] = []
    done: list[dict[str, Any]] = []
    facts: dict[str, Any] = {}
    if outcome in ("corrected", "supplemented"):
        for rid, ch in (changes or {}).items():
            v = effects.new_version(
                session,
                actor,
                rid,
                ch,
                reason=coded_reason(
                    msg(
                        "records.version_objection",
                        id=objection.id,
                        stage=_STAGES[stage],
                        outcome=Term("outcome", outcome),
                    ),
                    reasons,
                ),
                cause=cause,
                where=f"changes[{rid}]",
            )
            versions[str(rid)] = v.version
            done.append(notices.changed_line(rid, outcome, v.version))
    elif outcome == "provision_stopped":
        today = clock.today()
        for record in effects.records(session, ids):
            note = f"objection {objection.id} {stage}: {reasons}"
            if effects.stop_provision(session, actor, record, today, cause, note):
                stopped.append(record.id)
            done.append(notices.stopped_line(record.id, today))
    elif outcome == "withdrawn" and withdrawal is not None:
        facts["withdrawal"], done = _withdraw(session, actor, objection, stage, reasons, withdrawal)
    return {"versions": versions, "stopped": stopped, **facts}, done


def _withdraw(
    session: Session,
    actor: Actor,
    objection: Objection,
    stage: str,
    reasons: str,
    w: Withdrawal,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Withdraw each record from the subject (and file it under the right one, if named)."""
    today = clock.today()
    cause = ("objection", objection.id)
    refiled: dict[str, int] = {}
    done: list[dict[str, Any]] = []
    for record in effects.records(session, w.records):
        note = f"objection {objection.id} {stage}: {reasons}"
        effects.withdraw(session, actor, record, today, cause, w.ground, note)
        done.append(notices.withdrawn_line(record.id, w.ground, today))
        if w.refile_to is not None:
            new = effects.refile(
                session,
                actor,
                record.id,
                w.refile_to,
                reason=coded_reason(
                    msg("records.version_refiled_objection", id=objection.id, stage=_STAGES[stage])
                ),
                cause=cause,
                where="withdrawal.refile_to",
            )
            refiled[str(record.id)] = new.id
            done.append(notices.refiled_line(record.id))
    out = {**w.as_json(), "refiled": refiled, "effective_on": today.isoformat()}
    if w.refile_to is not None and refiled:
        first = next(iter(refiled.values()))
        out["refiled_subject_id"] = session.get(CreditRecord, first).subject_id  # type: ignore[union-attr]
    return out, done


@step("decide", Kind.DECIDED, Permission.OBJECTION_HANDLE, schema=DecisionIn)
def decide(
    session: Session,
    actor: Actor,
    objection_id: int,
    *,
    outcome: str,
    reasons: str,
    changes: Changes | None = None,
    withdrawal: Mapping[str, Any] | None = None,
) -> ObjectionEvent:
    """Art. 42: correct, supplement, stop provision, withdraw from the wrong subject, or
    uphold; the label comes off in the same transaction (Art. 42 para 2)."""
    return _decide(
        session,
        actor,
        objection_id,
        outcome,
        reasons,
        changes,
        withdrawal,
        step=(Kind.DECIDED, "decision", "decide", "Art. 42"),
    )


def _notify(session: Session, actor: Actor, objection_id: int) -> Notice:
    """Art. 40 para 3: the written outcome notice (or, after a re-examination, its result,
    Art. 40 para 4)."""
    objection = get(session, objection_id, lock=True)
    current = position(events_of(session, [objection.id])[objection.id])
    kind = "reexam_outcome" if current.state is State.REEXAM_DECIDED else "outcome"
    _guard(session, objection, Kind.NOTIFIED, {"notice": kind})
    today = clock.today()
    case = _case_text(session, objection)
    if kind == "outcome":
        decided = _last(session, objection, Kind.DECIDED).payload
        unit = None
        if decided.get("from_unit_result") and objection.provider_id is not None:
            provider = session.get(Provider, objection.provider_id)
            unit = provider.name if provider else None
        html = notices.outcome(
            case,
            today,
            decided["outcome"],
            decided["reasons"],
            decided.get("done", []),
            unit=unit,
        )
        notice = _notice(session, actor, objection, kind, html, NOTICE.name)
        article = "Art. 40 para 3"
    else:
        decided = _last(session, objection, Kind.REEXAM_DECIDED).payload
        html = notices.reexam_outcome(
            case, today, decided["outcome"], decided["reasons"], decided.get("done", [])
        )
        notice = _notice(session, actor, objection, kind, html, REEXAM.name)
        article = "Art. 40 para 4"
    _event(session, actor, objection, Kind.NOTIFIED, {"notice": kind, "notice_id": notice.id})
    _audit(
        session,
        actor,
        objection,
        "notify",
        article,
        {"notice": kind, "notice_id": notice.id, "due_on": str(notice.due_on)},
    )
    return notice


@step(
    "notify",
    Kind.NOTIFIED,
    Permission.OBJECTION_HANDLE,
    payload={"notice": "outcome"},
    choose=notice_step,
)
def notify(session: Session, actor: Actor, objection_id: int) -> Notice:
    """Art. 40 para 3: the written outcome notice (or, after a re-examination, its result,
    Art. 40 para 4)."""
    return _notify(session, actor, objection_id)


also(
    "notify_reexam",
    Kind.NOTIFIED,
    Permission.OBJECTION_HANDLE,
    Permission.OBJECTION_REEXAMINE,
    payload={"notice": "reexam_outcome"},
    function=notify,
)


@step(
    "status_notice",
    Kind.NOTIFIED,
    Permission.OBJECTION_HANDLE,
    payload={"notice": "status_update"},
)
def notify_status(session: Session, actor: Actor, objection_id: int) -> Notice:
    """D-2: the case is not decided yet (e.g. the unit is late): by the 5-WD notice deadline
    the applicant still gets a written notice, stating the status and any overdue step."""
    objection = get(session, objection_id, lock=True)
    current = _guard(session, objection, Kind.NOTIFIED, {"notice": "status_update"})
    today = clock.today()
    late = [
        f"{d.name} (due {d.due.isoformat()}, {d.article})"
        for d in deadlines(session, objection, today)
        if d.overdue and d.met_on is None
    ]
    overdue = [
        (d.name, d.due)
        for d in deadlines(session, objection, today)
        if d.overdue and d.met_on is None
    ]
    html = notices.status_update(_case_text(session, objection), today, current.state, overdue)
    notice = _notice(session, actor, objection, "status_update", html, NOTICE.name)
    payload = {"notice": "status_update", "notice_id": notice.id, "late": late}
    _event(session, actor, objection, Kind.NOTIFIED, payload)
    _audit(session, actor, objection, "notify", "Art. 40 para 3; D-2", payload)
    return notice


def _decide(
    session: Session,
    actor: Actor,
    objection_id: int,
    outcome: str,
    reasons: str,
    changes: Changes | None,
    withdrawal: Mapping[str, Any] | None,
    *,
    step: tuple[Kind, str, str, str],
) -> ObjectionEvent:
    """A decision or a re-examination decision: apply the outcome to the records and take
    the label off, in one transaction (Art. 42 para 2)."""
    objection = get(session, objection_id, lock=True)
    ids = record_ids(session, objection.id)
    # Issue 19.8: the reasons and the outcome (with its changes or withdrawal) are both
    # checked before the decision is refused, so the form names each error at once.
    problems = Collect()
    chosen: Withdrawal | None = None
    with problems:
        reasons = _text(reasons, "reasons")
    with problems:
        chosen = _check_outcome(session, outcome, changes, ids, withdrawal)
    problems.raise_any()
    return _apply_decision(session, actor, objection, outcome, reasons, changes, chosen, step=step)


def _apply_decision(
    session: Session,
    actor: Actor,
    objection: Objection,
    outcome: str,
    reasons: str,
    changes: Changes | None,
    chosen: Withdrawal | None,
    *,
    step: tuple[Kind, str, str, str],
    extra: dict[str, Any] | None = None,
) -> ObjectionEvent:
    kind, stage, action, article = step
    ids = record_ids(session, objection.id)
    _guard(session, objection, kind)
    facts, done = _apply_outcome(
        session, actor, objection, outcome, reasons, changes, stage, chosen
    )
    removed = effects.label_off(session, actor, objection.id, ids, clock.today())
    label_removed = {str(k): v for k, v in removed.items()}
    payload = {
        "outcome": outcome,
        "reasons": reasons,
        "changes": _changes_json(changes),
        "done": done,
        "label_removed": label_removed,
        **facts,
        **(extra or {}),
    }
    event = _event(session, actor, objection, kind, payload)
    _audit(
        session,
        actor,
        objection,
        action,
        article,
        {"outcome": outcome, **facts, **(extra or {}), "label_removed": label_removed},
    )
    return event


@step("close", Kind.CLOSED, Permission.OBJECTION_HANDLE, schema=CloseIn)
def close(
    session: Session, actor: Actor, objection_id: int, note: str | None = None
) -> ObjectionEvent:
    """Art. 41 para 3: the case joins the archive of objection dispositions as concluded."""
    objection = get(session, objection_id, lock=True)
    current = _guard(session, objection, Kind.CLOSED)
    payload = {"note": note.strip()} if note and note.strip() else {}
    event = _event(session, actor, objection, Kind.CLOSED, payload)
    _audit(
        session, actor, objection, "close", "Art. 41 para 3", {"from_state": current.state.value}
    )
    return event
