"""Basis-document changes (Art. 44) and what each changed: append-only facts.

A ``BasisChange`` is the registration of one document (a unit's notice, a reconsideration
decision, a court judgment) that revoked or changed a basis document. Its effects on records and
listings are written as the usual dated facts (``record_event`` 'basis_revoked', a new
``record_version`` on the changed basis, the designation's 'revoked' end) and listed here as
``BasisChangeItem`` rows, which the per-department change list reads. Nothing is deleted.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pcip.db import Base, BigId, UTCDateTime

CHANGE_KINDS = ("revoked", "amended")
#: The document that revoked or changed the basis (Art. 44, 46).
DOCUMENT_KINDS = ("unit_notice", "reconsideration", "judgment")
CHANNELS = ("console", "api", "cli", "feed")
TARGET_TYPES = ("record", "designation")
#: withdrawn: the record is no longer provided; updated: a new version rests on the changed
#: basis; revoked: the listing ended (its linked persons' records with it, D-7).
EFFECTS = ("withdrawn", "updated", "revoked")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class BasisChange(Base):
    __tablename__ = "basis_change"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    basis_id: Mapped[int] = mapped_column(ForeignKey("basis_document.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    #: For a change: the basis document as changed (the records' new versions rest on it).
    replacement_basis_id: Mapped[int | None] = mapped_column(ForeignKey("basis_document.id"))
    document_kind: Mapped[str] = mapped_column(String(24))
    document_number: Mapped[str] = mapped_column(String(128))
    document_issuer: Mapped[str] = mapped_column(String(200))
    document_date: Mapped[date] = mapped_column(Date)
    #: The uploaded file's name and SHA-256, or a reference (URL, archive number).
    document_name: Mapped[str | None] = mapped_column(String(255))
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    document_ref: Mapped[str | None] = mapped_column(String(500))
    effective_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(16))
    #: The unit whose feed sent it, if any.
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(128))

    __table_args__ = (
        CheckConstraint(_in("kind", CHANGE_KINDS), name="kind"),
        CheckConstraint(_in("document_kind", DOCUMENT_KINDS), name="document_kind"),
        CheckConstraint(_in("channel", CHANNELS), name="channel"),
        CheckConstraint(
            "(kind = 'amended') = (replacement_basis_id IS NOT NULL)", name="replacement"
        ),
    )


class BasisChangeItem(Base):
    """One record or listing a change withdrew or updated."""

    __tablename__ = "basis_change_item"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    change_id: Mapped[int] = mapped_column(ForeignKey("basis_change.id"), index=True)
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(BigId)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"))
    effect: Mapped[str] = mapped_column(String(16))

    __table_args__ = (
        CheckConstraint(_in("target_type", TARGET_TYPES), name="target_type"),
        CheckConstraint(_in("effect", EFFECTS), name="effect"),
        Index("ix_basis_change_item_subject", "subject_id"),
    )
