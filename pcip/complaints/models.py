"""Complaints, reconsideration and litigation cases, and what they concern (Art. 46).

Append-only: a complaint's state and deadlines are derived from its dated events and the
working-day calendar; a case's outcome is a dated event; nothing is deleted.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pcip.db import Base, BigId, UTCDateTime

#: What a complaint is about (Art. 46; Art. 39 para 2: bundled or coerced consent); disputes
#: over market credit information are logged and redirected to their legal channel.
CATEGORIES = ("collection", "disclosure", "use", "bundled_consent", "market_dispute")
CHANNELS = ("portal", "api", "desk")
#: The handling steps, in order; ``not_accepted`` and ``redirected`` close a complaint too.
EVENT_KINDS = ("received", "accepted", "not_accepted", "redirected", "answered")
CASE_KINDS = ("reconsideration", "litigation")
CASE_EVENT_KINDS = ("filed", "decided")
#: A case's outcome: the act stands, is revoked, changed, the case dismissed or withdrawn.
OUTCOMES = ("upheld", "revoked", "changed", "dismissed", "withdrawn")
OWNER_TYPES = ("complaint", "case")
TARGET_TYPES = ("record", "designation", "application")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Complaint(Base):
    __tablename__ = "complaint"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    category: Mapped[str] = mapped_column(String(24))
    #: The unit or establishment the complaint is about, as the complainant names it.
    against: Mapped[str] = mapped_column(String(200))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"))
    description: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(16))
    received_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(128))

    __table_args__ = (
        CheckConstraint(_in("category", CATEGORIES), name="category"),
        CheckConstraint(_in("channel", CHANNELS), name="channel"),
    )


class ComplaintEvent(Base):
    __tablename__ = "complaint_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    on: Mapped[date] = mapped_column(Date)
    #: What the complainant is told (the reasons, the answer, the channel redirected to).
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by: Mapped[str] = mapped_column(String(128))

    __table_args__ = (CheckConstraint(_in("kind", EVENT_KINDS), name="kind"),)


class LegalCase(Base):
    """An administrative reconsideration or litigation case about a credit-related act."""

    __tablename__ = "legal_case"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    case_number: Mapped[str] = mapped_column(String(128))
    #: The reconsideration organ or the court.
    body: Mapped[str] = mapped_column(String(200))
    #: The act challenged (a penalty decision, a designation, a measure).
    act: Mapped[str] = mapped_column(Text)
    filed_on: Mapped[date] = mapped_column(Date)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(128))

    __table_args__ = (CheckConstraint(_in("kind", CASE_KINDS), name="kind"),)


class LegalCaseEvent(Base):
    __tablename__ = "legal_case_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("legal_case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(16))
    document_number: Mapped[str | None] = mapped_column(String(128))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by: Mapped[str] = mapped_column(String(128))

    __table_args__ = (
        CheckConstraint(_in("kind", CASE_EVENT_KINDS), name="kind"),
        CheckConstraint(f"outcome IS NULL OR {_in('outcome', OUTCOMES)}", name="outcome"),
    )


class ConcernLink(Base):
    """A complaint or case concerns a record, a listing or a measure application."""

    __tablename__ = "concern_link"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    owner_type: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[int] = mapped_column(BigId)
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(BigId)

    __table_args__ = (
        CheckConstraint(_in("owner_type", OWNER_TYPES), name="owner_type"),
        CheckConstraint(_in("target_type", TARGET_TYPES), name="target_type"),
        Index("ix_concern_link_owner", "owner_type", "owner_id"),
        Index("ix_concern_link_target", "target_type", "target_id"),
    )
