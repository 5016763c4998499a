"""Restoration applications (SM-3, Art. 45), their append-only events, proof files and alerts.

An application stores what was applied for (a record, or a listing of a seriously
untrustworthy entity), by whom, through which channel, and who owns the case (the providing
unit, or the platform). Its state, its deadlines and whether it is overdue are derived from the
events and the working-day calendar (``pcip.restoration.states``, ``deadlines``), never stored.
No fee column exists: restoration is free of charge (Art. 45 para 4).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pcip.db import Base, BigId, Json, UTCDateTime

CHANNELS = ("online", "api", "window")
EVENT_KINDS = (
    "submitted",
    "assigned",
    "accepted",
    "not_accepted",
    "materials_requested",
    "materials_received",
    "approved",
    "rejected",
    "executed",
)
ALERT_KINDS = ("acceptance_overdue", "result_overdue")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class RestorationApplication(Base):
    __tablename__ = "restoration_application"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    #: What is to be restored: one record, or one listing (exactly one of the two).
    record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_record.id"), index=True)
    designation_id: Mapped[int | None] = mapped_column(ForeignKey("designation.id"), index=True)
    #: The unit that owns the data and handles the case (None: the platform handles it).
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    #: Who applied: the subject, or the person it authorised (name and their document).
    applicant_name: Mapped[str] = mapped_column(String(100))
    authorised_by_subject: Mapped[bool] = mapped_column(default=False)
    #: How the conduct was corrected and the obligations performed (Art. 45 para 1).
    correction: Mapped[str] = mapped_column(Text)
    #: The credit pledge made in the same step (Art. 26, 45).
    pledge_id: Mapped[int] = mapped_column(ForeignKey("credit_pledge.id"))
    received_on: Mapped[date] = mapped_column(Date)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_by: Mapped[str] = mapped_column(String(128))

    __table_args__ = (
        CheckConstraint(_in("channel", CHANNELS), name="channel"),
        CheckConstraint("(record_id IS NULL) <> (designation_id IS NULL)", name="one_target"),
    )


class RestorationEvent(Base):
    """Append-only: every step, who took it, on which day, with its notice to the subject."""

    __tablename__ = "restoration_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("restoration_application.id"), index=True
    )
    kind: Mapped[str] = mapped_column(String(24))
    on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by: Mapped[str] = mapped_column(String(128))
    #: The officer's name for ``assigned``; reasons and remedies; the notice's text.
    details: Mapped[dict[str, Any]] = mapped_column(Json)

    __table_args__ = (CheckConstraint(_in("kind", EVENT_KINDS), name="kind"),)


class RestorationProof(Base):
    """A file proving the correction (checked and sealed like objection evidence)."""

    __tablename__ = "restoration_proof"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("restoration_application.id"), index=True
    )
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    stored_path: Mapped[str] = mapped_column(String(255))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_by: Mapped[str] = mapped_column(String(128))


class RestorationAlert(Base):
    """An overdue step, raised once per case and kind (Art. 45 para 2, D-9)."""

    __tablename__ = "restoration_alert"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("restoration_application.id"))
    kind: Mapped[str] = mapped_column(String(24))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    details: Mapped[dict[str, Any]] = mapped_column(Json)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(128))

    __table_args__ = (
        CheckConstraint(_in("kind", ALERT_KINDS), name="kind"),
        UniqueConstraint("application_id", "kind"),
    )
