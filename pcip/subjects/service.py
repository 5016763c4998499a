"""Finding and registering credit subjects by identifier only (Art. 19).

Organisations are matched by USCC and nothing else: a name never identifies anyone, and a new
name for a known USCC is recorded in the name history of the same subject. Natural persons are
matched by a keyed blind index of their normalised document; the number itself is encrypted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.errors import NotFound, ValidationError
from pcip.identity import (
    mask_citizen_id,
    mask_document_number,
    validate_citizen_id,
    validate_document,
    validate_uscc,
)
from pcip.identity.uscc import Uscc
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.enums import IdType, ResponsibleRole, SubjectKind
from pcip.kernel.keys.keyring import Keyring
from pcip.kernel.messages import msg
from pcip.subjects.models import ResponsibleLink, Subject, SubjectName

#: Associated data bound to every encrypted identifier (a blob cannot be moved to another use).
CIPHER_CONTEXT = "subject.identifier"

# GB 32100 entity types (authority + type) that are legal persons under the Civil Code;
# everything else with a USCC is an unincorporated organisation unless the caller says so.
_LEGAL_PERSON_TYPES = frozenset({"11", "12", "13", "51", "52", "53", "91", "93"})


@dataclass(frozen=True)
class SubjectKey:
    """A validated identifier, ready to find or create a subject. Holds no clear ID in logs."""

    kind: SubjectKind
    id_type: IdType
    uscc: str | None = None
    registration_no: str | None = None
    index: str | None = None
    secret: str | None = None  # the normalised personal identifier, to be encrypted
    masked: str | None = None
    document_type: str | None = None
    document_country: str | None = None
    birth_date: date | None = None
    region_code: str | None = None
    #: Natural persons: the identifier's digest under the record key, which never rotates.
    #: Records refer to their person by it (natural keys), so a rotation of the index key
    #: leaves resubmissions recognised. Equal to ``index`` in installations whose key file
    #: predates key rotation (there the record key is the first index key).
    record_ref: str | None = None

    def __repr__(self) -> str:  # never print the identifier in a traceback or log
        shown = self.uscc or self.registration_no or self.masked
        return f"SubjectKey({self.kind.value}, {self.id_type.value}, {shown})"


def person_by_citizen_id(ring: Keyring, value: str, *, field: str = "citizen_id") -> SubjectKey:
    cid = validate_citizen_id(value, today=clock.today(), field=field)
    return SubjectKey(
        kind=SubjectKind.PERSON,
        id_type=IdType.CITIZEN_ID,
        index=ring.blind_index("citizen_id", cid.normalized),
        record_ref=ring.record_digest("citizen_id", cid.normalized),
        secret=cid.normalized,
        masked=mask_citizen_id(cid.normalized),
        birth_date=cid.birth_date,
        region_code=cid.region.code,
    )


def person_by_document(
    ring: Keyring, doc_type: str, number: str, country: str | None
) -> SubjectKey:
    """Art. 19: without a citizen ID, a passport or other document with its type (and country)."""
    doc = validate_document(doc_type, number, country)
    material = f"{doc.document_type.value}|{doc.issuing_country or ''}|{doc.number}"
    return SubjectKey(
        kind=SubjectKind.PERSON,
        id_type=IdType.DOCUMENT,
        index=ring.blind_index("document", material),
        record_ref=ring.record_digest("document", material),
        secret=doc.number,
        masked=mask_document_number(doc.number),
        document_type=doc.document_type.value,
        document_country=doc.issuing_country,
    )


def organisation_by_uscc(
    value: str, *, kind: SubjectKind | None = None, field: str = "uscc"
) -> SubjectKey:
    return organisation_key(validate_uscc(value, field=field), kind=kind, field=field)


def organisation_key(
    code: Uscc, *, kind: SubjectKind | None = None, field: str = "uscc"
) -> SubjectKey:
    """``organisation_by_uscc`` of a code already validated (ingestion validates each USCC
    field once, then keys the subject by it)."""
    if kind is SubjectKind.PERSON:
        raise ValidationError(msg("subjects.uscc_not_person"), field=field)
    if kind is None:
        kind = (
            SubjectKind.LEGAL_PERSON
            if code.normalized[:2] in _LEGAL_PERSON_TYPES
            else SubjectKind.ORGANISATION
        )
    return SubjectKey(
        kind=kind, id_type=IdType.USCC, uscc=code.normalized, region_code=code.region_code
    )


def find(session: Session, key: SubjectKey) -> Subject | None:
    if key.uscc is not None:
        return session.scalar(select(Subject).where(Subject.uscc == key.uscc))
    if key.registration_no is not None:
        return session.scalar(select(Subject).where(Subject.registration_no == key.registration_no))
    return session.scalar(select(Subject).where(Subject.id_index == key.index))


def _clean_name(name: str, field: str = "name") -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError(msg("subjects.name_empty"), field=field)
    if len(name) > 200:
        raise ValidationError(msg("subjects.name_too_long", n=len(name)), field=field)
    return name


@dataclass(frozen=True)
class Ensured:
    subject: Subject
    created: bool
    renamed: bool


def ensure(session: Session, ring: Keyring, key: SubjectKey, name: str, source: str) -> Ensured:
    """Find or create a subject; record a changed name in its history.

    Not an audited action by itself: the action that calls it (a batch, a registration)
    writes one audit event covering it, in the same transaction.
    """
    name = _clean_name(name)
    now = clock.now()
    subject = find(session, key)
    if subject is None:
        subject = _new_subject(ring, key, name, now)
        session.add(subject)
        session.flush()
        session.add(SubjectName(subject_id=subject.id, name=name, recorded_at=now, source=source))
        return Ensured(subject, True, False)
    if subject.name != name:
        subject.name = name
        session.add(SubjectName(subject_id=subject.id, name=name, recorded_at=now, source=source))
        return Ensured(subject, False, True)
    return Ensured(subject, False, False)


def register(
    session: Session, actor: Actor, ring: Keyring, key: SubjectKey, name: str, source: str
) -> Ensured:
    """Register (or re-confirm) one subject as an audited action."""
    result = ensure(session, ring, key, name, source)
    if result.created or result.renamed:
        audit.record(
            session,
            actor,
            "subject.register" if result.created else "subject.rename",
            object_type="subject",
            object_id=result.subject.id,
            article="Art. 19",
            details={
                "kind": result.subject.kind,
                "identifier": display_identifier(result.subject),
                "source": source,
            },
        )
    return result


def display_identifier(subject: Subject) -> str:
    """What may be shown: the public USCC, or the masked personal identifier."""
    return subject.uscc or subject.registration_no or subject.id_masked or f"#{subject.id}"


def reveal_identifier(ring: Keyring, subject: Subject) -> str:
    """The clear identifier, for the subject's own view only (Art. 39)."""
    if subject.id_cipher is None or subject.id_key is None:
        return display_identifier(subject)
    return ring.decrypt(subject.id_key, subject.id_cipher, context=CIPHER_CONTEXT)


def name_history(session: Session, subject: Subject) -> list[SubjectName]:
    return list(
        session.scalars(
            select(SubjectName).where(SubjectName.subject_id == subject.id).order_by(SubjectName.id)
        )
    )


def link_responsible(
    session: Session,
    actor: Actor,
    organisation: Subject,
    person: Subject,
    role: ResponsibleRole,
    *,
    source: str,
    valid_from: date | None = None,
) -> ResponsibleLink:
    """Art. 33: record who is responsible for an organisation. Idempotent for an open link."""
    if organisation.kind == SubjectKind.PERSON.value:
        raise ValidationError(msg("subjects.not_organisation"), field="organisation")
    if person.kind != SubjectKind.PERSON.value:
        raise ValidationError(msg("subjects.not_person"), field="person")
    existing = session.scalar(
        select(ResponsibleLink).where(
            ResponsibleLink.subject_id == organisation.id,
            ResponsibleLink.person_id == person.id,
            ResponsibleLink.role == role.value,
            ResponsibleLink.valid_to.is_(None),
        )
    )
    if existing is not None:
        return existing
    link = ResponsibleLink(
        subject_id=organisation.id,
        person_id=person.id,
        role=role.value,
        source=source,
        valid_from=valid_from,
        recorded_at=clock.now(),
    )
    session.add(link)
    session.flush()
    audit.record(
        session,
        actor,
        "subject.link_responsible",
        object_type="subject",
        object_id=organisation.id,
        article="Art. 33",
        details={"person_subject": person.id, "role": role.value, "source": source},
    )
    return link


def get(session: Session, subject_id: int) -> Subject:
    subject = session.get(Subject, subject_id)
    if subject is None:
        raise NotFound(msg("common.no_subject", id=subject_id), field="subject")
    return subject


def key_ref(key: SubjectKey) -> str:
    """A string that identifies the subject a key denotes (for maps within one batch)."""
    if key.uscc is not None:
        return f"uscc:{key.uscc}"
    if key.registration_no is not None:
        return f"reg:{key.registration_no}"
    return f"idx:{key.index}"


def _load(session: Session, wanted: list[SubjectKey]) -> dict[str, Subject]:
    """The stored subjects for these keys, by key_ref: one indexed query per key type."""
    by_ref: dict[str, Subject] = {}
    usccs = {k.uscc for k in wanted if k.uscc}
    regs = {k.registration_no for k in wanted if k.registration_no}
    idxs = {k.index for k in wanted if k.index and not k.uscc and not k.registration_no}
    for column, values, prefix in (
        (Subject.uscc, usccs, "uscc:"),
        (Subject.registration_no, regs, "reg:"),
        (Subject.id_index, idxs, "idx:"),
    ):
        if values:
            for found in session.scalars(select(Subject).where(column.in_(values))):
                by_ref[prefix + str(getattr(found, column.key))] = found
    return by_ref


def ensure_many(
    session: Session, ring: Keyring, wanted: list[tuple[SubjectKey, str]], source: str
) -> tuple[dict[str, Subject], int, int]:
    """Find or create many subjects with a handful of statements instead of several per row.

    New subjects are inserted with one executemany and read back with one indexed query
    (the ORM would insert them one by one to learn each new id). Names are applied in order,
    so the last name reported wins and every change lands in the history.
    Returns (subjects by key_ref, created, renamed).
    """
    by_ref = _load(session, [k for k, _ in wanted])
    now = clock.now()
    new: dict[str, dict[str, Any]] = {}
    for key, name in wanted:
        ref = key_ref(key)
        if ref not in by_ref and ref not in new:
            new[ref] = _subject_row(ring, key, _clean_name(name), now)
    if new:
        session.execute(insert(Subject), list(new.values()))
        fresh = _load(session, [k for k, _ in wanted if key_ref(k) in new])
        by_ref.update(fresh)
        session.execute(
            insert(SubjectName),
            [
                {
                    "subject_id": fresh[ref].id,
                    "name": row["name"],
                    "recorded_at": now,
                    "source": source,
                }
                for ref, row in new.items()
            ],
        )
    renamed = 0
    for key, name in wanted:  # later names in the same chunk win, each one recorded
        subj = by_ref[key_ref(key)]
        clean = _clean_name(name)
        if subj.name != clean:
            subj.name = clean
            session.add(SubjectName(subject_id=subj.id, name=clean, recorded_at=now, source=source))
            renamed += 1
    return by_ref, len(new), renamed


def _subject_row(ring: Keyring, key: SubjectKey, name: str, now: datetime) -> dict[str, Any]:
    subject = _new_subject(ring, key, name, now)
    return {c.key: getattr(subject, c.key) for c in Subject.__table__.columns if c.key != "id"}


def _new_subject(ring: Keyring, key: SubjectKey, name: str, now: datetime) -> Subject:
    subject = Subject(
        kind=key.kind.value,
        id_type=key.id_type.value,
        uscc=key.uscc,
        registration_no=key.registration_no,
        id_index=key.index,
        id_masked=key.masked,
        document_type=key.document_type,
        document_country=key.document_country,
        birth_date=key.birth_date,
        region_code=key.region_code,
        name=name,
        created_at=now,
    )
    if key.secret is not None:
        subject.id_key, subject.id_cipher = ring.encrypt(key.secret, context=CIPHER_CONTEXT)
    return subject
