"""Credit records, their versions, basis documents and submission batches (Art. 16, 20-23, 56).

History is append-only (docs/design.md#principle-3): a ``CreditRecord`` is the stable identity of
one fact about one subject; every state of it is a ``RecordVersion`` with its reason and provenance.
Nothing is edited in place. Whether a record is visible is derived from these facts by the
disclosure rules, never stored as a flag.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from pcip.db import Base, BigId, Json, UTCDateTime


class Batch(Base):
    """One submission by a providing unit: the ledger entry (Art. 20 provenance)."""

    __tablename__ = "batch"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    item_code: Mapped[str] = mapped_column(String(64))
    #: Who submitted: "provider:<uscc>/<account>", "operator:cli:<user>", "system:demo".
    submitted_by: Mapped[str] = mapped_column(String(128))
    channel: Mapped[str] = mapped_column(String(16))  # api, cli, console, demo
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source_name: Mapped[str | None] = mapped_column(String(255))
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    source_format: Mapped[str | None] = mapped_column(String(16))
    #: processing, completed, failed (file unreadable: nothing stored), quarantined (unknown
    #: item, Art. 16), refused (unit not registered for the item, Art. 20).
    status: Mapped[str] = mapped_column(String(16))
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why a batch failed, was quarantined or refused (one line).
    error: Mapped[str | None] = mapped_column(Text)
    #: Warnings that concern the batch as a whole, e.g. fields dropped (Art. 23) with counts.
    warnings: Mapped[list[str]] = mapped_column(Json, default=list)


class RejectedRow(Base):
    """A row the platform did not accept, kept so the unit can download, fix and resubmit it."""

    __tablename__ = "rejected_row"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id"), index=True)
    line: Mapped[int] = mapped_column(Integer)
    #: The row exactly as submitted (column -> value); None when the row could not be parsed.
    values: Mapped[dict[str, Any] | None] = mapped_column(Json)
    #: Each problem: {"field", "code", "message"}.
    errors: Mapped[list[dict[str, Any]]] = mapped_column(Json)


class BasisDocument(Base):
    """Art. 21: the document a negative record rests on (judgment, decision, designated)."""

    __tablename__ = "basis_document"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    #: judicial (judgment or arbitral award), admin_decision, designated (other, cited).
    doc_type: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(128))
    issuer: Mapped[str] = mapped_column(String(200))
    issuer_uscc: Mapped[str | None] = mapped_column(String(18))
    title: Mapped[str | None] = mapped_column(String(255))
    decision_date: Mapped[date] = mapped_column(Date)
    effective_date: Mapped[date | None] = mapped_column(Date)
    #: For "designated" documents: the law or rule that designates them (Art. 21(3)).
    designation_citation: Mapped[str | None] = mapped_column(String(255))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("issuer", "number"),
        CheckConstraint(
            "doc_type IN ('judicial', 'admin_decision', 'designated')", name="doc_type"
        ),
    )


#: The suffix of the natural key of a record filed again under the right subject after an
#: objection withdrew it from the wrong one (Art. 19, 42): the unit, item and document number
#: stay its identity, and ingestion follows a row naming the right subject to it.
REFILED_SUFFIX = "|refiled"


class CreditRecord(Base):
    """The stable identity of one credit fact about one subject."""

    __tablename__ = "credit_record"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    #: Searched through ix_credit_record_subject_item (its first column).
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"))
    item_code: Mapped[str] = mapped_column(String(64))
    #: Searched through the unique (provider_id, item_code, natural_key) (its first column).
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"))
    #: Art. 56: every record carries its polarity and information class.
    polarity: Mapped[str] = mapped_column(String(16))
    info_class: Mapped[str] = mapped_column(String(16))
    #: Idempotency (unit + item + source document number): resubmission finds this record.
    natural_key: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("provider_id", "item_code", "natural_key"),
        Index("ix_credit_record_subject_item", "subject_id", "item_code"),
        CheckConstraint("polarity IN ('positive', 'neutral', 'negative')", name="polarity"),
        CheckConstraint("info_class IN ('public', 'market', 'self_declared')", name="info_class"),
    )


class RecordVersion(Base):
    """One state of a record. The highest version number is the current state."""

    __tablename__ = "record_version"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("credit_record.id"))
    #: Carried for distribution by subject (docs/design.md#principle-8) and subject-scoped queries.
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    #: The exact catalog item version the payload was validated against (Art. 16).
    item_id: Mapped[int] = mapped_column(ForeignKey("catalog_item.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(Json)
    basis_id: Mapped[int | None] = mapped_column(ForeignKey("basis_document.id"))
    severity: Mapped[str | None] = mapped_column(String(16))
    #: Art. 43: the period runs from the end of the conduct (None: continuing or unknown).
    conduct_end_date: Mapped[date | None] = mapped_column(Date)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    publicity_end: Mapped[date | None] = mapped_column(Date)
    #: Not indexed: no query selects versions by batch, and batches are never deleted.
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batch.id"))
    #: Hash of this version's canonical payload: resubmitting the same row changes nothing.
    content_sha256: Mapped[str] = mapped_column(String(64))
    #: Why this version exists: "submitted", "resubmitted with changes", "objection 12: ...".
    reason: Mapped[str] = mapped_column(Text)
    #: The case that caused it (objection, correction, restoration), if any.
    cause_type: Mapped[str | None] = mapped_column(String(32))
    cause_id: Mapped[int | None] = mapped_column(BigId)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(128))

    __table_args__ = (UniqueConstraint("record_id", "version"),)


#: Dated facts about a record that change what is disclosed (never a stored "status" flag).
RECORD_EVENT_KINDS = (
    "objection_label_on",  # Art. 40-41: label applied; the record stays disclosed with it
    "objection_label_off",  # Art. 42: label removed when the case is decided
    "provision_stopped",  # Art. 42(3) outcome; D-5 at once for a proven expiry
    "basis_revoked",  # Art. 44
    "restored",  # Art. 45
    "removed",  # Art. 45(3), D-8
    "withdrawn",  # Art. 19, 21, 42(1): filed against the wrong subject or on a wrong basis
)


class RecordEvent(Base):
    """A dated fact about a record, written by the workflow that decided it (append-only).

    The disclosure rules read these as facts (``effective_on``); ``as_of`` inquiries therefore
    answer correctly for any past day, and nothing has to "expire" in a batch job.
    """

    __tablename__ = "record_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("credit_record.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    effective_on: Mapped[date] = mapped_column(Date)
    #: The case that decided it: ("objection", 12), ("restoration", 3) ...
    cause_type: Mapped[str | None] = mapped_column(String(32))
    cause_id: Mapped[int | None] = mapped_column(BigId)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(128))

    __table_args__ = (
        CheckConstraint(
            "kind IN ('objection_label_on', 'objection_label_off', 'provision_stopped', "
            "'basis_revoked', 'restored', 'removed', 'withdrawn')",
            name="kind",
        ),
    )
