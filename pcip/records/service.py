"""Storing credit records as append-only versions (Art. 20-23).

``store`` writes one record at a time (the demo generator; later the objection and correction
workflows). Bulk submissions go through ``pcip.records.ingest``, which resolves a whole chunk
with set-based queries. Both use ``content_hash`` and the same versioning rules: a record is
found by (unit, item, natural key); identical content is "unchanged"; different content is a
new version; a record never moves to another subject.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pcip import audit, clock
from pcip.actors import Actor
from pcip.catalog.models import CatalogItem
from pcip.errors import ValidationError
from pcip.providers.models import Provider
from pcip.records.models import BasisDocument, Batch, CreditRecord, RecordVersion
from pcip.subjects.models import Subject


class Outcome(StrEnum):
    ACCEPTED = "accepted"  # a new record
    UPDATED = "updated"  # a new version of a stored record
    UNCHANGED = "unchanged"  # the same content was already the current version


@dataclass(frozen=True)
class BasisFacts:
    """Art. 21: type, number, issuer, decision date, effective date."""

    doc_type: str
    number: str
    issuer: str
    decision_date: date
    effective_date: date | None = None
    issuer_uscc: str | None = None
    title: str | None = None
    designation_citation: str | None = None


@dataclass(frozen=True)
class RecordFacts:
    """The dated facts of one version that the disclosure rules derive visibility from."""

    severity: str | None = None
    conduct_end_date: date | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    publicity_end: date | None = None


def content_hash(payload: dict[str, Any], basis: BasisFacts | None, facts: RecordFacts) -> str:
    doc = {"payload": payload, "basis": basis.__dict__ if basis else None, "facts": facts.__dict__}
    raw = json.dumps(doc, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


def open_batch(
    session: Session,
    provider: Provider,
    item_code: str,
    *,
    submitted_by: str,
    channel: str,
    source_name: str | None = None,
    source_sha256: str | None = None,
    source_format: str | None = None,
) -> Batch:
    batch = Batch(
        provider_id=provider.id,
        item_code=item_code,
        submitted_by=submitted_by,
        channel=channel,
        received_at=clock.now(),
        source_name=source_name,
        source_sha256=source_sha256,
        source_format=source_format,
        status="processing",
        rows_total=0,
        accepted=0,
        rejected=0,
        unchanged=0,
        updated=0,
    )
    session.add(batch)
    session.flush()
    return batch


def ensure_basis(session: Session, facts: BasisFacts) -> BasisDocument:
    """Art. 21: one row per (issuer, number); a future decision date is refused."""
    today = clock.today()
    if facts.decision_date > today:
        raise ValidationError(
            f"decision date {facts.decision_date} is in the future (Art. 21)", field="basis"
        )
    if facts.doc_type == "designated" and not facts.designation_citation:
        raise ValidationError(
            "a designated basis document must cite the law that designates it (Art. 21(3))",
            field="basis",
        )
    doc = session.scalar(
        select(BasisDocument).where(
            BasisDocument.issuer == facts.issuer, BasisDocument.number == facts.number
        )
    )
    if doc is None:
        doc = BasisDocument(**facts.__dict__, recorded_at=clock.now())
        session.add(doc)
        session.flush()
    return doc


def store(
    session: Session,
    *,
    batch: Batch,
    provider: Provider,
    item: CatalogItem,
    subject: Subject,
    natural_key: str,
    payload: dict[str, Any],
    basis: BasisFacts | None,
    facts: RecordFacts,
    recorded_by: str,
    reason: str = "submitted",
) -> tuple[Outcome, CreditRecord]:
    """Create a record, add a version, or recognise a resubmission that changes nothing."""
    if item.polarity == "negative" and basis is None:
        raise ValidationError(
            "negative information needs its basis document (Art. 21)", field="basis"
        )
    digest = content_hash(payload, basis, facts)
    record = session.scalar(
        select(CreditRecord).where(
            CreditRecord.provider_id == provider.id,
            CreditRecord.item_code == item.code,
            CreditRecord.natural_key == natural_key,
        )
    )
    if record is None:
        record = CreditRecord(
            subject_id=subject.id,
            item_code=item.code,
            provider_id=provider.id,
            polarity=item.polarity,
            info_class=item.info_class,
            natural_key=natural_key,
            created_at=clock.now(),
        )
        session.add(record)
        session.flush()
        _add_version(
            session, record, 1, item, payload, basis, facts, batch, digest, recorded_by, reason
        )
        return Outcome.ACCEPTED, record
    current = current_version(session, record.id)
    if current is not None and current.content_sha256 == digest:
        return Outcome.UNCHANGED, record
    if record.subject_id != subject.id:
        raise ValidationError(
            "this document number is already recorded for another subject; a record never "
            "moves between subjects (correct it through an objection or a proactive correction)",
            field="basis.number",
        )
    number = (current.version if current else 0) + 1
    _add_version(
        session,
        record,
        number,
        item,
        payload,
        basis,
        facts,
        batch,
        digest,
        recorded_by,
        "resubmitted with changes",
    )
    return Outcome.UPDATED, record


def _add_version(
    session: Session,
    record: CreditRecord,
    number: int,
    item: CatalogItem,
    payload: dict[str, Any],
    basis: BasisFacts | None,
    facts: RecordFacts,
    batch: Batch,
    digest: str,
    recorded_by: str,
    reason: str,
) -> RecordVersion:
    version = RecordVersion(
        record_id=record.id,
        subject_id=record.subject_id,
        version=number,
        item_id=item.id,
        payload=payload,
        basis_id=ensure_basis(session, basis).id if basis else None,
        severity=facts.severity,
        conduct_end_date=facts.conduct_end_date,
        valid_from=facts.valid_from,
        valid_to=facts.valid_to,
        publicity_end=facts.publicity_end,
        batch_id=batch.id,
        content_sha256=digest,
        reason=reason,
        recorded_at=clock.now(),
        recorded_by=recorded_by,
    )
    session.add(version)
    session.flush()
    return version


def current_version(session: Session, record_id: int) -> RecordVersion | None:
    return session.scalar(
        select(RecordVersion)
        .where(RecordVersion.record_id == record_id)
        .order_by(RecordVersion.version.desc())
        .limit(1)
    )


def versions(session: Session, record_id: int) -> list[RecordVersion]:
    return list(
        session.scalars(
            select(RecordVersion)
            .where(RecordVersion.record_id == record_id)
            .order_by(RecordVersion.version)
        )
    )


def close_batch(
    session: Session, actor: Actor, batch: Batch, counts: dict[Outcome, int], rejected: int = 0
) -> None:
    """Finish the ledger entry and write the batch's one audit event (same transaction)."""
    batch.accepted = counts.get(Outcome.ACCEPTED, 0)
    batch.updated = counts.get(Outcome.UPDATED, 0)
    batch.unchanged = counts.get(Outcome.UNCHANGED, 0)
    batch.rejected = rejected
    batch.rows_total = batch.accepted + batch.updated + batch.unchanged + rejected
    batch.status = "completed"
    batch.finished_at = clock.now()
    audit.record(
        session,
        actor,
        "batch.complete",
        object_type="batch",
        object_id=batch.id,
        article="Art. 20-23",
        details={
            "item": batch.item_code,
            "provider_id": batch.provider_id,
            "channel": batch.channel,
            "source_sha256": batch.source_sha256,
            "accepted": batch.accepted,
            "updated": batch.updated,
            "unchanged": batch.unchanged,
            "rejected": rejected,
        },
    )


def count_records(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(CreditRecord)) or 0)
