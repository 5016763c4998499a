"""The exchange tables (migration 0014). All append-only except the receivers registry (whose
every change is audited) and the delivery bookkeeping (attempts, acknowledgement)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

# The tables named by the foreign keys below must be known wherever these are used.
import pcip.lists.models
import pcip.records.models  # noqa: F401
from pcip.db import Base, BigId, Json, UTCDateTime


class IntakeBatch(Base):
    """One sharing-system batch received over JetStream (Art. 20): its id is the provenance,
    and the unique key is what makes a redelivered message a no-op."""

    __tablename__ = "exchange_intake"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    provider_uscc: Mapped[str] = mapped_column(String(18))
    sharing_batch_id: Mapped[str] = mapped_column(String(128))
    item_code: Mapped[str] = mapped_column(String(64))
    stream: Mapped[str] = mapped_column(String(64))
    stream_seq: Mapped[int] = mapped_column(BigId)
    #: The ingestion ledger's batch (pcip.records), where the rows' outcome is kept.
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batch.id"), index=True)
    #: Or, for a list published nationally, the list import (pcip.lists) it became.
    list_import_id: Mapped[int | None] = mapped_column(ForeignKey("list_import.id"))
    rows: Mapped[int] = mapped_column(Integer)
    payload_sha256: Mapped[str] = mapped_column(String(64))
    #: Art. 20: the unit's statement that the data are true, accurate and complete: who, when.
    attestation: Mapped[dict[str, Any]] = mapped_column(Json)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("provider_uscc", "sharing_batch_id"),)


class DeadLetter(Base):
    """A message the intake could not use, with the reason (also on the dead-letter stream)."""

    __tablename__ = "exchange_dead_letter"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    stream: Mapped[str] = mapped_column(String(64))
    stream_seq: Mapped[int] = mapped_column(BigId)
    subject: Mapped[str] = mapped_column(String(255))
    reason: Mapped[str] = mapped_column(Text)
    field: Mapped[str | None] = mapped_column(String(64))
    #: The message as received, cut at 64 KiB (the full copy is on the dead-letter stream).
    payload: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("stream", "stream_seq"),)


class Change(Base):
    """One change leaving the platform (Art. 6, 25). The id is the feed's cursor.

    ``source``/``source_key`` name the fact it was derived from (a record version, a record
    event, a designation event, a computed expiry, or a caller of ``feed.publish``), so that
    collecting twice appends nothing twice."""

    __tablename__ = "exchange_changes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int] = mapped_column(BigId)
    record_id: Mapped[int | None] = mapped_column(BigId, index=True)
    subject_id: Mapped[int | None] = mapped_column(BigId)
    source: Mapped[str] = mapped_column(String(32))
    source_key: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    payload: Mapped[dict[str, Any]] = mapped_column(Json)

    __table_args__ = (UniqueConstraint("source", "source_key"),)


class Receiver(Base):
    """A receiving system (Art. 25): the national platform or a department, with its scopes
    (the change kinds it receives) and the hash of its key."""

    __tablename__ = "exchange_receiver"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[list[str]] = mapped_column(Json)
    key_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    key_hint: Mapped[str] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean)
    #: The highest change id it acknowledged: where it resumes when it names no cursor.
    acked_cursor: Mapped[int] = mapped_column(BigId)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(128))


class Delivery(Base):
    """A change offered to a receiver: attempts, next retry (backoff), acknowledgement."""

    __tablename__ = "exchange_delivery"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    receiver_id: Mapped[int] = mapped_column(ForeignKey("exchange_receiver.id"))
    change_id: Mapped[int] = mapped_column(ForeignKey("exchange_changes.id"))
    record_id: Mapped[int | None] = mapped_column(BigId)
    attempts: Mapped[int] = mapped_column(Integer)
    first_sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("receiver_id", "change_id"),)


class Watermark(Base):
    """How far the collector has read each append-only source (and expiries: a day)."""

    __tablename__ = "exchange_watermark"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(64))
