"""Receiving an objection (Art. 40 para 1; D-4 repeats; D-5 provision stopped at once)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, Principal, require
from pcip.disclosure.rules import inquiry_end
from pcip.disclosure.service import held_records
from pcip.errors import Collect, NotFound, ValidationError
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind
from pcip.kernel.messages import Term, msg
from pcip.objections import effects
from pcip.objections import evidence as files
from pcip.objections.casework import _audit, _choice, _event, _store_evidence, _text
from pcip.objections.codes import CHANNELS, GROUNDS, REGISTERED_CHANNELS
from pcip.objections.log import positions
from pcip.objections.models import (
    Evidence,
    Objection,
    ObjectionRecord,
)
from pcip.objections.states import CONCLUDED, Kind
from pcip.records.models import CreditRecord
from pcip.subjects.models import Subject


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
        raise ValidationError(msg("objections.name_a_record"), field="record_ids")
    for i, rid in enumerate(ids):
        # Ids are 64-bit (BIGINT): a larger number is a malformed request, not a lookup.
        if not 1 <= rid <= MAX_RECORD_ID:
            raise ValidationError(
                msg("objections.record_id_range", id=rid, max=MAX_RECORD_ID),
                field=f"record_ids[{i}]",
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
            raise NotFound(msg("objections.not_own_record", id=rid), field=f"record_ids[{i}]")
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
    principal: Principal,
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
    """Art. 40 para 1: the subject objects to its own information (or the operator, who
    registers objections, records one); its receipt time fixes every deadline.

    A subject's principal files for its own subject only: another subject's records answer
    as missing ones (Art. 27), as they do on the form that lists them.
    """
    if principal.role is ActorKind.SUBJECT:
        require(principal, Permission.OBJECTION_FILE)
        if principal.subject_id != subject_id:
            raise NotFound(msg("objections.own_information_only"), field="subject_id")
    else:
        require(principal, Permission.OBJECTION_REGISTER)
    return _receive(
        session,
        principal.actor,
        subject_id=subject_id,
        record_ids=record_ids,
        ground=ground,
        statement=statement,
        applicant=applicant,
        channel=channel,
        agent=agent,
        evidence=evidence,
        received_at=received_at,
        files_dir=files_dir,
    )


def _receive(
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
    subject = session.get(Subject, subject_id)
    if subject is None:
        raise NotFound(msg("common.no_subject", id=subject_id), field="subject_id")
    # Issue 19.8: every field is checked before the application is refused, so the form
    # names each field's error at once.
    problems = Collect()
    ids: list[int] = []
    checked: list[files.CheckedFile] = []
    with problems:
        ids = _records_of_subject(session, subject, record_ids)
    with problems:
        ground = _choice(ground, GROUNDS, "ground")
    with problems:
        channel = _choice(channel, CHANNELS, "channel")
    with problems:
        statement = _text(statement, "statement", limit=20_000)
    with problems:
        applicant = _text(applicant, "applicant", limit=200)
    with problems:
        agent = _text(agent, "agent", limit=200) if agent and agent.strip() else None
    with problems:
        checked = files.check(evidence)
    problems.raise_any()
    now = clock.now()
    at = received_at or now
    if at.tzinfo is None or at > now:
        raise ValidationError(msg("objections.receipt_time"), field="received_at")
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


def register(session: Session, principal: Principal, *, channel: str, **kwargs: Any) -> Received:
    """Art. 40 para 1: staff register an application that arrived at a window, by post, from
    Credit China or through a department; its receipt time is when it arrived there.

    Only those channels: an application made on the website or the API is filed by the
    subject's own request, whose channel is decided by its credential (Art. 22).
    """
    require(principal, Permission.OBJECTION_REGISTER)
    if channel not in REGISTERED_CHANNELS:
        raise ValidationError(
            msg(
                "objections.desk_channel",
                value=channel[:20],
                allowed=", ".join(REGISTERED_CHANNELS),
                choices=[Term("channel", c) for c in REGISTERED_CHANNELS],
            ),
            field="channel",
        )
    return _receive(session, principal.actor, channel=channel, **kwargs)
