"""The objection workflow, SM-1 (Art. 40-42): one plain function per step.

Every function takes ``(session, actor, ...)``, refuses a step SM-1 does not allow from the
current state (``Conflict`` naming that state), writes its case event, its effects on records
and its audit row (citing the article it carries out) in the caller's transaction, and never
edits anything in place. Deadlines are not written anywhere: ``deadlines.py`` derives them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.catalog.models import CatalogItem
from pcip.disclosure.rules import inquiry_end
from pcip.disclosure.service import held_records
from pcip.errors import NotFound, ValidationError
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.objections import alerts, effects, notices
from pcip.objections import evidence as files
from pcip.objections.deadlines import NOTICE, REEXAM, deadlines
from pcip.objections.log import events_of, get, position, positions, record_ids
from pcip.objections.models import (
    CHANNELS,
    GROUNDS,
    OUTCOMES,
    REGISTERED_CHANNELS,
    WITHDRAWAL_GROUNDS,
    Evidence,
    Notice,
    Objection,
    ObjectionEvent,
    ObjectionRecord,
)
from pcip.objections.states import CONCLUDED, Kind, Position, State
from pcip.providers.models import Provider
from pcip.records.models import CreditRecord, RecordVersion
from pcip.subjects.models import Subject

#: Art. 41 para 2: the kinds of work whose time is not counted.
PAUSE_TYPES = ("inspection", "testing", "evaluation", "expert_review")
#: Art. 41 para 3: the two reasons an objection may be refused.
DECLINE_BASES = ("repeat", "no_legitimate_reason")

Changes = Mapping[int, Mapping[str, Any]]
"""Per record id, the fields to change and their new values (as a unit would send them)."""


# --- helpers ------------------------------------------------------------------------------


def _text(value: str | None, field: str, *, limit: int | None = None) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(f"{field} is required", field=field)
    if limit is not None and len(text) > limit:
        raise ValidationError(f"at most {limit} characters, not {len(text)}", field=field)
    return text


def _choice(value: str, allowed: Sequence[str], field: str) -> str:
    if value not in allowed:
        raise ValidationError(f"'{value}' is not one of: {', '.join(allowed)}", field=field)
    return value


def _guard(
    session: Session, objection: Objection, kind: Kind, payload: Mapping[str, Any] | None = None
) -> Position:
    """The current position, once SM-1 allows ``kind`` from it (else Conflict)."""
    current = position(events_of(session, [objection.id])[objection.id])
    current.after(kind, payload)
    return current


def _event(
    session: Session, actor: Actor, objection: Objection, kind: Kind, payload: dict[str, Any]
) -> ObjectionEvent:
    event = ObjectionEvent(
        objection_id=objection.id,
        subject_id=objection.subject_id,
        kind=kind.value,
        at=clock.now(),
        actor=str(actor),
        payload=payload,
    )
    session.add(event)
    session.flush()
    return event


def _audit(
    session: Session,
    actor: Actor,
    objection: Objection,
    action: str,
    article: str,
    details: dict[str, Any],
) -> None:
    audit.record(
        session,
        actor,
        f"objection.{action}",
        object_type="objection",
        object_id=objection.id,
        article=article,
        details=details,
    )


def _store_evidence(
    session: Session,
    actor: Actor,
    objection: Objection,
    checked: Sequence[files.CheckedFile],
    files_dir: Path | None,
) -> list[int]:
    rows = files.store(session, actor, objection.id, objection.subject_id, checked, files_dir)
    return [r.id for r in rows]


def state(session: Session, objection_id: int) -> State:
    """Where the case stands, replayed from its log."""
    objection = get(session, objection_id)
    return position(events_of(session, [objection.id])[objection.id]).state


# --- receipt (Art. 40 para 1; D-4; D-5) ------------------------------------------------------


@dataclass(frozen=True)
class Received:
    objection: Objection
    #: D-4: the concluded case this one repeats (registered anyway; the handler decides).
    repeat_of: int | None
    #: D-5: records whose provision stopped at once (Art. 43 expiry proven by their dates).
    provision_stopped: tuple[int, ...]
    evidence: tuple[int, ...]


#: The largest id a 64-bit id column holds.
MAX_RECORD_ID = 2**63 - 1


def _records_of_subject(session: Session, subject: Subject, ids: Sequence[int]) -> list[int]:
    if not ids:
        raise ValidationError(
            "an objection must name at least one record (Art. 40)", field="record_ids"
        )
    for i, rid in enumerate(ids):
        # Ids are 64-bit (BIGINT): a larger number is a malformed request, not a lookup.
        if not 1 <= rid <= MAX_RECORD_ID:
            raise ValidationError(
                f"record id {rid} is out of range (1 to {MAX_RECORD_ID})", field=f"record_ids[{i}]"
            )
    wanted = list(dict.fromkeys(ids))
    found = {
        r.id: r for r in session.scalars(select(CreditRecord).where(CreditRecord.id.in_(wanted)))
    }
    for i, rid in enumerate(wanted):
        record = found.get(rid)
        # Another subject's record answers as a missing one: whether it exists is itself
        # information about someone else (Art. 27). A subject objects to its own (Art. 40).
        if record is None or record.subject_id != subject.id:
            raise NotFound(
                f"no record {rid} about this subject (Art. 40: a subject objects to its own "
                "information)",
                field=f"record_ids[{i}]",
            )
    return wanted


def _repeat_of(
    session: Session, subject_id: int, ids: Sequence[int], ground: str, digests: set[str]
) -> int | None:
    """D-4: same subject, a same record, same ground, and no evidence not seen before."""
    earlier = list(
        session.execute(
            select(Objection.id, Objection.received_at)
            .join(ObjectionRecord, ObjectionRecord.objection_id == Objection.id)
            .where(
                Objection.subject_id == subject_id,
                Objection.ground == ground,
                ObjectionRecord.record_id.in_(list(ids)),
            )
            .distinct()
        )
    )
    states = positions(session, [oid for oid, _ in earlier])
    concluded = [(at, oid) for oid, at in earlier if states[oid].state in CONCLUDED]
    if not concluded:
        return None
    seen = set(
        session.scalars(
            select(Evidence.sha256).where(Evidence.objection_id.in_([o for _, o in concluded]))
        )
    )
    if digests - seen:
        return None  # new evidence: a fresh look is owed
    return max(concluded)[1]


def _stop_expired(
    session: Session, actor: Actor, objection: Objection, subject: Subject, ids: Sequence[int]
) -> list[int]:
    """D-5: on a beyond-period objection, stop provision at once where the record's own
    dates prove the Art. 43 period has ended (Art. 42 para 3: the platform acts on its own).

    A period counted only provisionally (no end date of the conduct, D-6) proves nothing.
    """
    today = clock.today()
    held = {h.record.id: h for h in held_records(session, subject)}
    stopped: list[int] = []
    for rid in ids:
        h = held.get(rid)
        if h is None:
            continue
        last_day, provisional = inquiry_end(h.latest.facts)
        if last_day is None or provisional is not None or today <= last_day:
            continue
        note = f"objection {objection.id}: Art. 43 period ended {last_day.isoformat()} (D-5)"
        if effects.stop_provision(
            session, actor, h.record, today, ("objection", objection.id), note
        ):
            stopped.append(rid)
    if stopped:
        _audit(
            session,
            actor,
            objection,
            "provision_stopped",
            "Art. 42(3); D-5",
            {"records": stopped, "effective_on": today.isoformat()},
        )
    return stopped


def receive(
    session: Session,
    actor: Actor,
    *,
    subject_id: int,
    record_ids: Sequence[int],
    ground: str,
    statement: str,
    applicant: str,
    channel: str,
    agent: str | None = None,
    evidence: Sequence[files.EvidenceFile] = (),
    received_at: datetime | None = None,
    files_dir: Path | None = None,
) -> Received:
    """Art. 40 para 1: register an objection; its receipt time fixes every deadline."""
    ground = _choice(ground, GROUNDS, "ground")
    channel = _choice(channel, CHANNELS, "channel")
    statement = _text(statement, "statement", limit=20_000)
    applicant = _text(applicant, "applicant", limit=200)
    agent = _text(agent, "agent", limit=200) if agent and agent.strip() else None
    subject = session.get(Subject, subject_id)
    if subject is None:
        raise NotFound(f"no subject {subject_id}", field="subject_id")
    ids = _records_of_subject(session, subject, record_ids)
    checked = files.check(evidence)
    now = clock.now()
    at = received_at or now
    if at.tzinfo is None or at > now:
        raise ValidationError(
            "the receipt time must be a time-zone-aware instant, not in the future",
            field="received_at",
        )
    repeat = _repeat_of(session, subject.id, ids, ground, {c.sha256 for c in checked})
    objection = Objection(
        subject_id=subject.id,
        applicant=applicant,
        agent=agent,
        channel=channel,
        ground=ground,
        statement=statement,
        received_at=at,
        registered_at=now,
        registered_by=str(actor),
        repeat_of=repeat,
    )
    session.add(objection)
    session.flush()
    session.add_all(
        ObjectionRecord(objection_id=objection.id, record_id=r, subject_id=subject.id) for r in ids
    )
    evidence_ids = _store_evidence(session, actor, objection, checked, files_dir)
    payload = {"records": ids, "evidence": evidence_ids, "repeat_of": repeat}
    _event(session, actor, objection, Kind.RECEIVED, payload)
    _audit(
        session,
        actor,
        objection,
        "receive",
        "Art. 40 para 1",
        {**payload, "subject_id": subject.id, "ground": ground, "channel": channel},
    )
    stopped = (
        _stop_expired(session, actor, objection, subject, ids) if ground == "beyond_period" else []
    )
    return Received(objection, repeat, tuple(stopped), tuple(evidence_ids))


def register(session: Session, actor: Actor, *, channel: str, **kwargs: Any) -> Received:
    """Art. 40 para 1: staff register an application that arrived at a window, by post, from
    Credit China or through a department; its receipt time is when it arrived there.

    Only those channels: an application made on the website or the API is filed by the
    subject's own request, whose channel is decided by its credential (Art. 22).
    """
    if channel not in REGISTERED_CHANNELS:
        raise ValidationError(
            f"'{channel[:20]}' is not one of: {', '.join(REGISTERED_CHANNELS)} (an application "
            "made on the website or the API is filed by the subject itself)",
            field="channel",
        )
    return receive(session, actor, channel=channel, **kwargs)


# --- label, refusal, routing (Art. 40 para 2, Art. 41 para 3) -------------------------------


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


def _case_text(session: Session, objection: Objection) -> notices.CaseText:
    ids = record_ids(session, objection.id)
    names: dict[int, str] = {}
    for rid in ids:
        version = session.scalars(
            select(RecordVersion)
            .where(RecordVersion.record_id == rid)
            .order_by(RecordVersion.version.desc())
            .limit(1)
        ).one()
        item = session.get(CatalogItem, version.item_id)
        names[rid] = f"{item.name_zh} ({item.name_en})" if item else str(version.item_id)
    return notices.CaseText(
        objection.id,
        objection.applicant,
        clock.legal_day(objection.received_at),
        objection.ground,
        [(rid, names[rid]) for rid in ids],
    )


def _due(session: Session, objection: Objection, name: str) -> date | None:
    found = [d for d in deadlines(session, objection, clock.today()) if d.name == name]
    return found[0].due if found else None


def _notice(
    session: Session, actor: Actor, objection: Objection, kind: str, html: str, due: str
) -> Notice:
    notice = Notice(
        objection_id=objection.id,
        subject_id=objection.subject_id,
        kind=kind,
        html=html,
        issued_at=clock.now(),
        issued_by=str(actor),
        due_on=_due(session, objection, due),
    )
    session.add(notice)
    session.flush()
    return notice


def decline(
    session: Session, actor: Actor, objection_id: int, *, basis: str, reasons: str
) -> Notice:
    """Art. 41 para 3, D-4: refuse an objection with a reasoned notice (re-examinable)."""
    basis = _choice(basis, DECLINE_BASES, "basis")
    reasons = _text(reasons, "reasons")
    objection = get(session, objection_id, lock=True)
    current = _guard(session, objection, Kind.NOT_ACCEPTED)
    if basis == "repeat" and objection.repeat_of is None:
        raise ValidationError(
            "this objection was not found to repeat a concluded one (D-4); refuse it for "
            "having no legitimate reason, or handle it",
            field="basis",
        )
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


def decline_repeat(session: Session, actor: Actor, objection_id: int, reasons: str) -> Notice:
    """D-4: the handler confirms a flagged repeat: not accepted, with a reasoned notice."""
    return decline(session, actor, objection_id, basis="repeat", reasons=reasons)


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
            raise ValidationError(
                "the records come from several providing units: name the one to transfer to",
                field="provider_id",
            )
        provider_id = next(iter(providers))
    if session.get(Provider, provider_id) is None:
        raise NotFound(f"no providing unit {provider_id}", field="provider_id")
    if provider_id not in providers:
        raise ValidationError(
            f"providing unit {provider_id} provided none of the disputed records "
            "(Art. 40 para 2(2): the case goes to the unit that provided them)",
            field="provider_id",
        )
    objection.route, objection.provider_id = "transferred", provider_id
    event = _event(session, actor, objection, Kind.TRANSFERRED, {"provider_id": provider_id})
    _audit(session, actor, objection, "transfer", "Art. 40 para 2(2)", {"provider_id": provider_id})
    return event


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


def _changes_json(changes: Changes | None) -> dict[str, dict[str, Any]]:
    return {str(rid): {k: v for k, v in ch.items()} for rid, ch in (changes or {}).items()}


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
        raise ValidationError(
            "name the right subject by uscc, citizen_id or document_type and document_number",
            field=where,
        )
    return effects.RefileTarget(key, name)


def withdrawal_of(
    session: Session, raw: Mapping[str, Any] | None, ids: Sequence[int]
) -> Withdrawal:
    if not raw:
        raise ValidationError(
            "a withdrawal names its ground: wrong_subject or wrong_basis", field="withdrawal"
        )
    ground = _choice(str(raw.get("ground") or ""), WITHDRAWAL_GROUNDS, "withdrawal.ground")
    chosen = [int(r) for r in raw.get("records") or ids]
    for i, rid in enumerate(chosen):
        if rid not in ids:
            raise ValidationError(
                f"record {rid} is not named by this objection", field=f"withdrawal.records[{i}]"
            )
    target = raw.get("refile_to")
    if target and ground != "wrong_subject":
        raise ValidationError(
            "only a record filed against the wrong subject is filed again elsewhere; one on a "
            "wrong basis is withdrawn (the unit submits it afresh with its right basis)",
            field="withdrawal.refile_to",
        )
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
                f"a record {outcome} needs its changes (Art. 42(1)-(2))", field="changes"
            )
        for rid in changes:
            if rid not in ids:
                raise ValidationError(
                    f"record {rid} is not named by this objection", field=f"changes[{rid}]"
                )
    elif changes:
        raise ValidationError(
            f"the outcome '{outcome}' changes no record content: only 'corrected' or "
            "'supplemented' do",
            field="changes",
        )
    if outcome == "withdrawn":
        return withdrawal_of(session, withdrawal, ids)
    if withdrawal:
        raise ValidationError(
            "a withdrawal goes with the outcome 'withdrawn' only", field="withdrawal"
        )
    return None


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
    notice = notify(session, D2, objection.id)
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


# --- pauses (Art. 41 para 2; D-3) -----------------------------------------------------------


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
    pause_type = _choice(pause_type, PAUSE_TYPES, "pause_type")
    reason = _text(reason, "reason")
    if not evidence:
        raise ValidationError("a pause needs supporting evidence (D-3)", field="evidence")
    checked = files.check(evidence)
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


def resume(session: Session, actor: Actor, objection_id: int) -> ObjectionEvent:
    """Art. 41 para 2: the clock runs again; the paused days stay excluded."""
    objection = get(session, objection_id, lock=True)
    current = _guard(session, objection, Kind.RESUMED)
    event = _event(session, actor, objection, Kind.RESUMED, {})
    back = current.paused_from.value if current.paused_from else None
    _audit(session, actor, objection, "resume", "Art. 41 para 2; D-3", {"to_state": back})
    return event


# --- decisions (Art. 42) --------------------------------------------------------------------


def _apply_outcome(
    session: Session,
    actor: Actor,
    objection: Objection,
    outcome: str,
    reasons: str,
    changes: Changes | None,
    stage: str,
    withdrawal: Withdrawal | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Art. 42(1)-(3): what the outcome does to the records; (facts for the log, notice lines)."""
    ids = record_ids(session, objection.id)
    cause = ("objection", objection.id)
    versions: dict[str, int] = {}
    stopped: list[int] = []
    done: list[str] = []
    facts: dict[str, Any] = {}
    if outcome in ("corrected", "supplemented"):
        for rid, ch in (changes or {}).items():
            v = effects.new_version(
                session,
                actor,
                rid,
                ch,
                reason=f"objection {objection.id} {stage}: {outcome}: {reasons}",
                cause=cause,
                where=f"changes[{rid}]",
            )
            versions[str(rid)] = v.version
            done.append(f"Record {rid}: {outcome} (version {v.version}).")
    elif outcome == "provision_stopped":
        today = clock.today()
        for record in effects.records(session, ids):
            note = f"objection {objection.id} {stage}: {reasons}"
            if effects.stop_provision(session, actor, record, today, cause, note):
                stopped.append(record.id)
            done.append(f"Record {record.id}: no longer provided from {today.isoformat()}.")
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
) -> tuple[dict[str, Any], list[str]]:
    """Withdraw each record from the subject (and file it under the right one, if named)."""
    today = clock.today()
    cause = ("objection", objection.id)
    refiled: dict[str, int] = {}
    done: list[str] = []
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
                reason=(
                    f"objection {objection.id} {stage}: filed under this subject; it had been "
                    "filed in error against another subject and was withdrawn from it"
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


def _last(session: Session, objection: Objection, kind: Kind) -> ObjectionEvent:
    found = [e for e in events_of(session, [objection.id])[objection.id] if e.kind == kind.value]
    return found[-1]


def notify(session: Session, actor: Actor, objection_id: int) -> Notice:
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
    html = notices.status_update(_case_text(session, objection), today, current.state, late)
    notice = _notice(session, actor, objection, "status_update", html, NOTICE.name)
    payload = {"notice": "status_update", "notice_id": notice.id, "late": late}
    _event(session, actor, objection, Kind.NOTIFIED, payload)
    _audit(session, actor, objection, "notify", "Art. 40 para 3; D-2", payload)
    return notice


# --- re-examination (Art. 40 para 4) and closing (Art. 41 para 3) ---------------------------


def request_reexam(
    session: Session,
    actor: Actor,
    objection_id: int,
    *,
    statement: str,
    evidence: Sequence[files.EvidenceFile] = (),
    files_dir: Path | None = None,
    paper: PaperApplication | None = None,
) -> ObjectionEvent:
    """Art. 40 para 4: the D&R department registers the application; its 3 working days run
    from the day it received it. Art. 41 para 1: the label is back on while it is
    re-examined.

    The Regulations set no time limit for applying: a case closed without a re-examination
    can still be re-examined, once (``states.py``). ``paper``: an application received on
    paper at the department's window or by post, registered by its staff; the receipt time
    is when it arrived there (not in the future, not before the case's last notice).
    """
    statement = _text(statement, "statement", limit=20_000)
    checked = files.check(evidence)
    objection = get(session, objection_id, lock=True)
    current = _guard(session, objection, Kind.REEXAM_REQUESTED)
    payload: dict[str, Any] = {"statement": statement}
    if paper is not None:
        payload.update(_paper(session, objection, paper))
    evidence_ids = _store_evidence(session, actor, objection, checked, files_dir)
    payload["evidence"] = evidence_ids
    ids = record_ids(session, objection.id)
    effects.label_on(session, actor, objection.id, ids, clock.today())
    event = _event(session, actor, objection, Kind.REEXAM_REQUESTED, payload)
    _audit(
        session,
        actor,
        objection,
        "reexam_request",
        "Art. 40 para 4; Art. 41 para 1",
        {
            "evidence": evidence_ids,
            "records": ids,
            "from_state": current.state.value,
            **{k: payload[k] for k in ("channel", "received_at", "applicant") if k in payload},
        },
    )
    return event


@dataclass(frozen=True)
class PaperApplication:
    """A re-examination application received on paper (Art. 40 para 4), as staff register it."""

    applicant: str
    channel: str  # desk or mail
    received_at: datetime | None = None


#: How a paper application reaches the department.
PAPER_CHANNELS = ("desk", "mail")


def _paper(session: Session, objection: Objection, paper: PaperApplication) -> dict[str, Any]:
    applicant = _text(paper.applicant, "applicant", limit=200)
    channel = _choice(paper.channel, PAPER_CHANNELS, "channel")
    now = clock.now()
    at = paper.received_at or now
    if at.tzinfo is None or at > now:
        raise ValidationError(
            "the receipt time must be a time-zone-aware instant, not in the future",
            field="received_at",
        )
    last_notice = session.scalar(
        select(Notice.issued_at)
        .where(Notice.objection_id == objection.id)
        .order_by(Notice.issued_at.desc())
        .limit(1)
    )
    if last_notice is not None and at < last_notice:
        raise ValidationError(
            f"the application cannot have arrived before the notice it answers "
            f"({clock.legal_day(last_notice).isoformat()})",
            field="received_at",
        )
    return {"applicant": applicant, "channel": channel, "received_at": at.isoformat()}


def register_reexam(
    session: Session,
    actor: Actor,
    objection_id: int,
    *,
    applicant: str,
    channel: str,
    statement: str,
    received_at: datetime | None = None,
    evidence: Sequence[files.EvidenceFile] = (),
    files_dir: Path | None = None,
) -> ObjectionEvent:
    """Art. 40 para 4: the department's staff register a paper application for
    re-examination received at its window (or by post), dated when it arrived."""
    return request_reexam(
        session,
        actor,
        objection_id,
        statement=statement,
        evidence=evidence,
        files_dir=files_dir,
        paper=PaperApplication(applicant, channel, received_at),
    )


def decide_reexam(
    session: Session,
    actor: Actor,
    objection_id: int,
    *,
    outcome: str,
    reasons: str,
    changes: Changes | None = None,
    withdrawal: Mapping[str, Any] | None = None,
) -> ObjectionEvent:
    """Art. 40 para 4: the D&R department's result; a changed outcome applies Art. 42 to the
    records, and the label comes off in the same transaction (Art. 42 para 2)."""
    return _decide(
        session,
        actor,
        objection_id,
        outcome,
        reasons,
        changes,
        withdrawal,
        step=(Kind.REEXAM_DECIDED, "re-examination", "reexam_decide", "Art. 40 para 4; Art. 42"),
    )


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
    reasons = _text(reasons, "reasons")
    objection = get(session, objection_id, lock=True)
    ids = record_ids(session, objection.id)
    chosen = _check_outcome(session, outcome, changes, ids, withdrawal)
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
