"""What objections and corrections do to records: labels, stopped provision, new versions.

Everything here writes dated facts the disclosure rules read (``RecordEvent``) or a new
``RecordVersion`` (append-only, docs/design.md#principle-3); nothing edits a record in place. The
caller's transaction holds these writes together with the case event and the audit row.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.catalog.models import CatalogItem
from pcip.catalog.schemas import FieldRole, FieldSpec, ItemSpec
from pcip.errors import Conflict, NotFound, PcipError, ValidationError
from pcip.kernel.actors import Actor
from pcip.kernel.audit.service import keyring_of
from pcip.kernel.messages import Both, Term, msg
from pcip.objections.log import positions
from pcip.objections.models import ObjectionRecord
from pcip.objections.states import LABELLED_STATES
from pcip.records.interpret import check_value, value_reason  # the same value rules as ingestion
from pcip.records.models import (
    REFILED_SUFFIX,
    BasisDocument,
    CreditRecord,
    RecordEvent,
    RecordVersion,
)
from pcip.records.service import BasisFacts, RecordFacts, content_hash, severity_value
from pcip.subjects import service as subjects
from pcip.subjects.models import Subject
from pcip.subjects.service import SubjectKey

#: A correction never changes who a record is about (Art. 19: a record never moves between
#: subjects) nor its basis document, which changes only through Art. 44 (revoked or amended).
_FIXED_ROLES = frozenset(
    r for r in FieldRole if r.value.split(".")[0] in ("subject", "legal_rep", "basis")
)


def record_event(
    session: Session,
    actor: Actor,
    record: CreditRecord,
    kind: str,
    on: date,
    cause: tuple[str, int],
    note: str | None = None,
) -> RecordEvent:
    event = RecordEvent(
        record_id=record.id,
        subject_id=record.subject_id,
        kind=kind,
        effective_on=on,
        cause_type=cause[0],
        cause_id=cause[1],
        note=note,
        recorded_at=clock.now(),
        recorded_by=str(actor),
    )
    session.add(event)
    return event


def records(session: Session, ids: Collection[int]) -> list[CreditRecord]:
    query = select(CreditRecord).where(CreditRecord.id.in_(list(ids))).order_by(CreditRecord.id)
    return list(session.scalars(query))


def label_on(
    session: Session, actor: Actor, objection_id: int, record_ids: Collection[int], on: date
) -> None:
    """Art. 40 para 2: the "under objection" label; Art. 41 para 1: nothing is hidden by it."""
    for record in records(session, record_ids):
        record_event(session, actor, record, "objection_label_on", on, ("objection", objection_id))
    session.flush()


def _other_holders(session: Session, objection_id: int, record_ids: Collection[int]) -> set[int]:
    """Records whose label another open objection still holds.

    The disclosure rules read one label period per record (first ``on`` to the next ``off``),
    so the label comes off only when the last objection holding it is done with it.
    """
    pairs = list(
        session.execute(
            select(ObjectionRecord.objection_id, ObjectionRecord.record_id).where(
                ObjectionRecord.record_id.in_(list(record_ids)),
                ObjectionRecord.objection_id != objection_id,
            )
        )
    )
    open_cases = {
        oid
        for oid, pos in positions(session, {o for o, _ in pairs}).items()
        if pos.state in LABELLED_STATES
    }
    return {r for o, r in pairs if o in open_cases}


def label_off(
    session: Session, actor: Actor, objection_id: int, record_ids: Collection[int], on: date
) -> dict[int, bool]:
    """Art. 42 para 2: remove the label at once; {record id: removed (False: still held)}."""
    held = _other_holders(session, objection_id, record_ids)
    out: dict[int, bool] = {}
    for record in records(session, record_ids):
        out[record.id] = record.id not in held
        if record.id not in held:
            record_event(
                session, actor, record, "objection_label_off", on, ("objection", objection_id)
            )
    session.flush()
    return out


def stop_provision(
    session: Session,
    actor: Actor,
    record: CreditRecord,
    on: date,
    cause: tuple[str, int],
    note: str,
) -> bool:
    """Art. 42(3): stop providing the record in every mode; False if it already was stopped."""
    already = session.scalar(
        select(func.count())
        .select_from(RecordEvent)
        .where(RecordEvent.record_id == record.id, RecordEvent.kind == "provision_stopped")
    )
    if already:
        return False
    record_event(session, actor, record, "provision_stopped", on, cause, note)
    session.flush()
    return True


# --- corrections (Art. 42(1)-(2)) ---------------------------------------------------------


@dataclass(frozen=True)
class Latest:
    record: CreditRecord
    version: RecordVersion
    spec: ItemSpec


def latest(session: Session, record_id: int) -> Latest:
    record = session.get(CreditRecord, record_id)
    if record is None:
        raise NotFound(msg("common.no_record", id=record_id), field="record_id")
    version = session.scalars(
        select(RecordVersion)
        .where(RecordVersion.record_id == record_id)
        .order_by(RecordVersion.version.desc())
        .limit(1)
    ).one()
    item = session.get(CatalogItem, version.item_id)
    assert item is not None  # a version always names its item (foreign key)
    return Latest(record, version, ItemSpec.model_validate(item.spec))


def _changed_payload(
    spec: ItemSpec, payload: Mapping[str, Any], changes: Mapping[str, Any], where: str
) -> dict[str, Any]:
    fields = {f.name: f for f in spec.fields}
    out = dict(payload)
    for name, raw in changes.items():
        here = f"{where}.{name}"
        f = fields.get(name)
        if f is None:
            raise ValidationError(
                msg("objections.not_a_field", name=name, item=spec.code), field=here
            )
        check_changeable(f, here)
        text = "" if raw is None else str(raw).strip()
        if not text:
            if f.required:
                label = Both(f.label_zh, f.label_en)
                raise ValidationError(msg("records.required", field=name, label=label), field=here)
            out.pop(name, None)
            continue
        try:
            out[name] = check_value(f, text)
        except PcipError as exc:
            raise ValidationError(exc.message, field=here) from None
        except ValueError as exc:
            label = Both(f.label_zh, f.label_en)
            raise ValidationError(
                msg("objections.field_value", name=name, label=label, reason=value_reason(exc)),
                field=here,
            ) from None
    return out


def check_changeable(f: FieldSpec, where: str) -> None:
    if f.role in _FIXED_ROLES:
        label = Both(f.label_zh, f.label_en)
        raise ValidationError(msg("objections.field_fixed", name=f.name, label=label), field=where)
    if f.personal:
        label = Both(f.label_zh, f.label_en)
        raise ValidationError(
            msg("objections.field_personal", name=f.name, label=label), field=where
        )


def _facts(spec: ItemSpec, payload: Mapping[str, Any]) -> RecordFacts:
    """The dated facts of a payload, read by field role exactly as ingestion reads them."""
    by_role = {f.role: f.name for f in spec.fields if f.role is not None}

    def text(role: FieldRole) -> str:
        name = by_role.get(role)
        return str(payload.get(name, "")) if name else ""

    def day(role: FieldRole) -> date | None:
        value = text(role)
        return date.fromisoformat(value) if value else None

    return RecordFacts(
        severity=severity_value(text(FieldRole.SEVERITY)),
        conduct_end_date=day(FieldRole.CONDUCT_END_DATE),
        valid_from=day(FieldRole.VALID_FROM),
        valid_to=day(FieldRole.VALID_TO),
        publicity_end=day(FieldRole.PUBLICITY_END),
    )


def _basis_facts(basis: BasisDocument | None) -> BasisFacts | None:
    if basis is None:
        return None
    return BasisFacts(
        doc_type=basis.doc_type,
        number=basis.number,
        issuer=basis.issuer,
        decision_date=basis.decision_date,
        effective_date=basis.effective_date,
        issuer_uscc=basis.issuer_uscc,
        title=basis.title,
        designation_citation=basis.designation_citation,
    )


def new_version(
    session: Session,
    actor: Actor,
    record_id: int,
    changes: Mapping[str, Any],
    *,
    reason: str,
    cause: tuple[str, int],
    where: str = "changes",
) -> RecordVersion:
    """Art. 42(1)-(2): the corrected or supplemented record, as a new version citing its case.

    The content hash is computed as ingestion computes it (``content_hash`` over payload,
    basis and facts) but over the stored payload, whose personal fields are masked: the
    unmasked values are not kept anywhere to hash.
    """
    if not changes:
        raise ValidationError(msg("objections.name_a_field"), field=where)
    cur = latest(session, record_id)
    payload = _changed_payload(cur.spec, cur.version.payload, changes, where)
    if payload == cur.version.payload:
        raise ValidationError(msg("objections.nothing_changed", id=record_id), field=where)
    facts = _facts(cur.spec, payload)
    basis = session.get(BasisDocument, cur.version.basis_id) if cur.version.basis_id else None
    version = RecordVersion(
        record_id=record_id,
        subject_id=cur.record.subject_id,
        version=cur.version.version + 1,
        item_id=cur.version.item_id,
        payload=payload,
        basis_id=cur.version.basis_id,
        severity=facts.severity,
        conduct_end_date=facts.conduct_end_date,
        valid_from=facts.valid_from,
        valid_to=facts.valid_to,
        publicity_end=facts.publicity_end,
        batch_id=None,  # provenance is the case (cause_type, cause_id), not a batch
        content_sha256=content_hash(keyring_of(session), payload, _basis_facts(basis), facts),
        reason=reason,
        cause_type=cause[0],
        cause_id=cause[1],
        recorded_at=clock.now(),
        recorded_by=str(actor),
    )
    session.add(version)
    session.flush()
    return version


# --- withdrawal from the wrong subject (Art. 19, 21, 40, 42(1)) -----------------------------


def withdraw(
    session: Session,
    actor: Actor,
    record: CreditRecord,
    on: date,
    cause: tuple[str, int],
    ground: str,
    note: str,
) -> None:
    """Withdraw a record from its subject: it was filed against the wrong subject, or on a
    wrong basis. No mode provides it from ``on`` (a ``provision_stopped`` fact the disclosure
    rules read), and a ``withdrawn`` fact says why (the subject's own view shows it so)."""
    stop_provision(session, actor, record, on, cause, f"withdrawn ({ground}): {note}")
    record_event(session, actor, record, "withdrawn", on, cause, f"{ground}: {note}")
    session.flush()


def withdrawal_of(events: Collection[RecordEvent], on: date) -> RecordEvent | None:
    """The record's withdrawal in force on ``on``, if any."""
    return next((e for e in events if e.kind == "withdrawn" and e.effective_on <= on), None)


def withdrawal_ground(event: RecordEvent) -> str:
    return (event.note or "").split(":", 1)[0]


@dataclass(frozen=True)
class RefileTarget:
    """The subject a record really concerns, as the unit (or the handler) names it."""

    key: SubjectKey
    name: str


_SUBJECT_ROLES = {
    FieldRole.SUBJECT_NAME,
    FieldRole.SUBJECT_USCC,
    FieldRole.SUBJECT_LEGACY_CODE,
    FieldRole.SUBJECT_DOC_NUMBER,
}
_LEGAL_REP_ROLES = {
    FieldRole.LEGAL_REP_NAME,
    FieldRole.LEGAL_REP_DOC_TYPE,
    FieldRole.LEGAL_REP_DOC_NUMBER,
}


def refile(
    session: Session,
    actor: Actor,
    record_id: int,
    target: RefileTarget,
    *,
    reason: str,
    cause: tuple[str, int],
    where: str = "refile_to",
) -> CreditRecord:
    """File a record withdrawn from the wrong subject under the subject it concerns: a new
    record (version 1 citing the case) with the same unit, item, basis and content, its
    subject fields naming the right subject. The withdrawn record stays where it was (Art.
    19: a record never moves between subjects; history is append-only).

    The right subject is identified the same way as the wrong one was (a citizen ID for a
    citizen ID, a document for a document, a USCC for a USCC); it is registered if it is not
    on file yet. The legal representative's fields describe the wrong organisation's
    representative and are not carried over.
    """
    cur = latest(session, record_id)
    wrong = session.get(Subject, cur.record.subject_id)
    assert wrong is not None
    if target.key.id_type.value != wrong.id_type:
        raise ValidationError(
            msg(
                "objections.refile_same_id_type",
                id_type=Term("id_type", wrong.id_type),
                id_type_code=wrong.id_type,
            ),
            field=where,
        )
    found = subjects.find(session, target.key)
    if found is not None and found.id == wrong.id:
        raise ValidationError(msg("objections.refile_same_subject"), field=where)
    natural_key = cur.record.natural_key + REFILED_SUFFIX
    if len(natural_key) > 255:
        raise ValidationError(msg("objections.refile_number_too_long"), field=where)
    taken = session.scalar(
        select(CreditRecord.id).where(
            CreditRecord.provider_id == cur.record.provider_id,
            CreditRecord.item_code == cur.record.item_code,
            CreditRecord.natural_key == natural_key,
        )
    )
    if taken is not None:
        raise Conflict(msg("objections.already_refiled", id=record_id, taken=taken), field=where)
    right = subjects.ensure(session, keyring_of(session), target.key, target.name, reason)
    subject = right.subject
    payload = _refiled_payload(cur.spec, cur.version.payload, subject)
    now = clock.now()
    new = CreditRecord(
        subject_id=subject.id,
        item_code=cur.record.item_code,
        provider_id=cur.record.provider_id,
        polarity=cur.record.polarity,
        info_class=cur.record.info_class,
        natural_key=natural_key,
        created_at=now,
    )
    session.add(new)
    session.flush()
    facts = _facts(cur.spec, payload)
    basis = session.get(BasisDocument, cur.version.basis_id) if cur.version.basis_id else None
    session.add(
        RecordVersion(
            record_id=new.id,
            subject_id=subject.id,
            version=1,
            item_id=cur.version.item_id,
            payload=payload,
            basis_id=cur.version.basis_id,
            severity=facts.severity,
            conduct_end_date=facts.conduct_end_date,
            valid_from=facts.valid_from,
            valid_to=facts.valid_to,
            publicity_end=facts.publicity_end,
            batch_id=None,
            content_sha256=content_hash(keyring_of(session), payload, _basis_facts(basis), facts),
            reason=reason,
            cause_type=cause[0],
            cause_id=cause[1],
            recorded_at=now,
            recorded_by=str(actor),
        )
    )
    session.flush()
    return new


def _refiled_payload(
    spec: ItemSpec, payload: Mapping[str, Any], subject: Subject
) -> dict[str, Any]:
    out = dict(payload)
    for f in spec.fields:
        if f.role in _LEGAL_REP_ROLES:
            out.pop(f.name, None)
        elif f.role is FieldRole.SUBJECT_NAME:
            out[f.name] = subject.name
        elif f.role is FieldRole.SUBJECT_USCC:
            if subject.uscc:
                out[f.name] = subject.uscc
            else:
                out.pop(f.name, None)
        elif f.role is FieldRole.SUBJECT_LEGACY_CODE:
            out.pop(f.name, None)
        elif f.role is FieldRole.SUBJECT_DOC_NUMBER:
            if subject.id_masked:
                out[f.name] = subject.id_masked  # stored masked, as ingestion stores it
            else:
                out.pop(f.name, None)
    return out
