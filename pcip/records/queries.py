"""Questions about submissions and records that the console, the API and the CLI all ask
(Art. 20-23, 42): a unit's batch ledger, recent batches, finding records by their basis
document, a subject's records, a record a unit may correct.

Each function is the one answer to its question; the doors arrange its result for display.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from pcip.errors import NotFound, ValidationError
from pcip.kernel.enums import SubjectKind
from pcip.kernel.messages import msg
from pcip.providers.models import Provider
from pcip.records.models import BasisDocument, Batch, CreditRecord, RecordVersion, RejectedRow
from pcip.subjects.models import Subject


def unit_batches(
    session: Session, provider_id: int, *, limit: int = 50, before_id: int | None = None
) -> list[Batch]:
    """A unit's batch ledger, newest first, ``limit`` at a time before ``before_id``."""
    q = select(Batch).where(Batch.provider_id == provider_id)
    if before_id is not None:
        q = q.where(Batch.id < before_id)
    return list(session.scalars(q.order_by(Batch.id.desc()).limit(limit)))


def recent_batches(
    session: Session, *, provider_id: int | None = None, limit: int = 50
) -> list[tuple[Batch, str]]:
    """The most recent batches of every unit (or one), newest first, with the unit's USCC."""
    q = select(Batch, Provider.uscc).join(Provider, Batch.provider_id == Provider.id)
    if provider_id is not None:
        q = q.where(Batch.provider_id == provider_id)
    return [(b, uscc) for b, uscc in session.execute(q.order_by(Batch.id.desc()).limit(limit))]


def completed_rows_since(session: Session, since: datetime) -> list[tuple[str, datetime, int]]:
    """(unit name, received at, rows) of every completed batch received since ``since``."""
    q = (
        select(Provider.name, Batch.received_at, Batch.rows_total)
        .join(Provider, Provider.id == Batch.provider_id)
        .where(Batch.status == "completed", Batch.received_at >= since)
    )
    return [(name, at, n) for name, at, n in session.execute(q)]


@dataclass(frozen=True)
class RecordHit:
    record_id: int
    item_code: str
    number: str
    subject_name: str
    provider: str


def find_records(
    session: Session, number: str, *, provider_id: int | None = None, limit: int = 20
) -> list[RecordHit]:
    """Records by (part of) their basis document number, optionally only one unit's (a unit
    corrects only what it provided, Art. 42 para 3). Record id works too."""
    text = number.strip()
    if len(text) < 2 and not text.isdigit():
        raise ValidationError(msg("records.search_too_short"), field="q")
    pattern = "%" + text.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
    latest = (
        select(RecordVersion.record_id, func.max(RecordVersion.version).label("v"))
        .group_by(RecordVersion.record_id)
        .subquery()
    )
    q = (
        select(CreditRecord, BasisDocument.number, Subject.name, Provider.name)
        .join(latest, latest.c.record_id == CreditRecord.id)
        .join(
            RecordVersion,
            (RecordVersion.record_id == CreditRecord.id) & (RecordVersion.version == latest.c.v),
        )
        .join(BasisDocument, BasisDocument.id == RecordVersion.basis_id, isouter=True)
        .join(Subject, Subject.id == CreditRecord.subject_id)
        .join(Provider, Provider.id == CreditRecord.provider_id)
    )
    match = or_(
        BasisDocument.number.ilike(pattern, escape="\\"),
        CreditRecord.natural_key.ilike(pattern, escape="\\"),
    )
    if text.isascii() and text.isdigit() and len(text) < 19:
        match = or_(match, CreditRecord.id == int(text))
    q = q.where(match)
    if provider_id is not None:
        q = q.where(CreditRecord.provider_id == provider_id)
    return [
        RecordHit(r.id, r.item_code, num or r.natural_key, subject, unit)
        for r, num, subject, unit in session.execute(q.order_by(CreditRecord.id).limit(limit))
    ]


def subject_records(session: Session, subject_id: int) -> list[RecordHit]:
    """Every record about one subject, for choosing the disputed ones at a service desk."""
    q = (
        select(CreditRecord, Subject.name, Provider.name)
        .join(Subject, Subject.id == CreditRecord.subject_id)
        .join(Provider, Provider.id == CreditRecord.provider_id)
        .where(CreditRecord.subject_id == subject_id)
        .order_by(CreditRecord.id)
    )
    numbers = dict(
        session.execute(
            select(RecordVersion.record_id, BasisDocument.number)
            .join(BasisDocument, BasisDocument.id == RecordVersion.basis_id)
            .where(RecordVersion.subject_id == subject_id)
        ).all()
    )
    return [
        RecordHit(r.id, r.item_code, numbers.get(r.id) or r.natural_key, subject, unit)
        for r, subject, unit in session.execute(q)
    ]


def unit_record(session: Session, record_id: int, provider_id: int | None) -> CreditRecord:
    """A record; a unit sees only its own (Art. 42 para 3: others answer 'not found')."""
    record = session.get(CreditRecord, record_id)
    if record is None or (provider_id is not None and record.provider_id != provider_id):
        raise NotFound(msg("common.no_record", id=record_id), field="record_id")
    return record


def versions_newest_first(session: Session, record_id: int) -> list[RecordVersion]:
    """A record's history: every version, the newest first (history is append-only)."""
    q = (
        select(RecordVersion)
        .where(RecordVersion.record_id == record_id)
        .order_by(RecordVersion.version.desc())
    )
    return list(session.scalars(q))


def rejected_preview(session: Session, batch_id: int, limit: int) -> list[RejectedRow]:
    """The first ``limit`` rejected rows of a batch, in file order (the full list is the
    batch's rejected-rows report, ``pcip.records.reports``)."""
    q = (
        select(RejectedRow)
        .where(RejectedRow.batch_id == batch_id)
        .order_by(RejectedRow.id)
        .limit(limit)
    )
    return list(session.scalars(q))


def ledger_entry_of_file(
    session: Session, provider_id: int, source_sha256: str, submitted_by: str
) -> int | None:
    """The newest batch a unit's submitter made from the file with this SHA-256, if any."""
    q = (
        select(Batch.id)
        .where(
            Batch.provider_id == provider_id,
            Batch.source_sha256 == source_sha256,
            Batch.submitted_by == submitted_by,
        )
        .order_by(Batch.id.desc())
        .limit(1)
    )
    found: int | None = session.scalar(q)
    return found


def subjects_with_records(
    session: Session, kind: SubjectKind, *, limit: int, born_citizens_only: bool = False
) -> list[Subject]:
    """The first subjects of a kind that have records (for the development sign-in's demo
    picks); ``born_citizens_only`` keeps persons identified by a citizen ID with a birth date."""
    q = (
        select(Subject)
        .where(Subject.kind == kind.value, Subject.id.in_(select(CreditRecord.subject_id)))
        .order_by(Subject.id)
        .limit(limit)
    )
    if born_citizens_only:
        q = q.where(Subject.id_type == "citizen_id", Subject.birth_date.is_not(None))
    return list(session.scalars(q))
