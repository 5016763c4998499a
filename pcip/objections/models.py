"""Objections (Art. 40-42): the case, the records it disputes, its event log, evidence, notices,
and proactive corrections made without any objection (Art. 42 para 3).

The event log is the truth (docs/design.md#principle-2, #principle-3): an objection's state and
every deadline are derived from its append-only ``ObjectionEvent`` rows and the working-day
calendar, never stored as a status column that could drift. The few columns set after receipt
(``route`` and ``provider_id``) are written once, when the case is routed, so the archive can be
searched by them; the ``self_review`` / ``transferred`` event remains the fact they come from.
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
from pcip.objections.codes import (
    ALERT_KINDS,
    CHANNELS,
    EVENT_KINDS,
    GROUNDS,
    NOTICE_KINDS,
    ROUTES,
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Objection(Base):
    """One objection application (Art. 40 para 1); its receipt time fixes every deadline."""

    __tablename__ = "objection"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    #: Who lodged it, as they describe themselves (the subject, or the agent's principal).
    applicant: Mapped[str] = mapped_column(String(200))
    #: The agent's name and capacity when the subject acts through an agent (Art. 40 para 1).
    agent: Mapped[str | None] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(16))
    ground: Mapped[str] = mapped_column(String(16))
    statement: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registered_by: Mapped[str] = mapped_column(String(128))
    #: D-4: the concluded case this one repeats (same subject, record and ground, no new
    #: evidence), as found at registration. A flag for the handler, not a refusal.
    repeat_of: Mapped[int | None] = mapped_column(ForeignKey("objection.id"))
    #: Written once when routed (Art. 40 para 2); the routing event is the fact.
    route: Mapped[str | None] = mapped_column(String(16))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"), index=True)

    __table_args__ = (
        CheckConstraint(_in("ground", GROUNDS), name="ground"),
        CheckConstraint(_in("channel", CHANNELS), name="channel"),
        CheckConstraint(f"route IS NULL OR {_in('route', ROUTES)}", name="route"),
        CheckConstraint("(route = 'transferred') = (provider_id IS NOT NULL)", name="transfer"),
    )


class ObjectionRecord(Base):
    """A record the objection disputes (one or more; all about the objection's subject)."""

    __tablename__ = "objection_record"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    #: Indexed by the unique constraint below (objection_id first).
    objection_id: Mapped[int] = mapped_column(ForeignKey("objection.id"))
    record_id: Mapped[int] = mapped_column(ForeignKey("credit_record.id"), index=True)
    #: Carried for distribution by subject (docs/design.md#principle-8).
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)

    __table_args__ = (UniqueConstraint("objection_id", "record_id"),)


class ObjectionEvent(Base):
    """One fact of a case (append-only). The state is replayed from these (``states.py``)."""

    __tablename__ = "objection_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("objection.id"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(128))
    #: What the event says: outcome, reasons, pause type and reason, evidence ids, notice id...
    payload: Mapped[dict[str, Any]] = mapped_column(Json)

    __table_args__ = (
        CheckConstraint(_in("kind", EVENT_KINDS), name="kind"),
        Index("ix_objection_event_objection_kind", "objection_id", "kind"),
    )


class Evidence(Base):
    """A file supporting an objection, a pause (D-3), a unit's result or a re-examination."""

    __tablename__ = "objection_evidence"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("objection.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    #: Detected from the file's bytes (magic numbers), never taken from the name alone.
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    #: Relative to ``Settings.files_dir`` (content-addressed: evidence/ab/abcd...).
    stored_path: Mapped[str] = mapped_column(String(255))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_by: Mapped[str] = mapped_column(String(128))


class Notice(Base):
    """A written notice to the applicant (Art. 40 para 3-4, Art. 41 para 3), kept as issued."""

    __tablename__ = "objection_notice"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("objection.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    html: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_by: Mapped[str] = mapped_column(String(128))
    #: The deadline the notice answered, as it stood when issued (for the archive).
    due_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (CheckConstraint(_in("kind", NOTICE_KINDS), name="kind"),)


class Correction(Base):
    """Art. 42 para 3: a correction the platform or a providing unit makes on its own motion.

    The new record version or the ``provision_stopped`` record event cites it
    (``cause_type="correction"``, ``cause_id``), as an objection's do.
    """

    __tablename__ = "record_correction"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("credit_record.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    #: The providing unit that acted, when a unit did (else the platform operator).
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"))
    outcome: Mapped[str] = mapped_column(String(24))
    reasons: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(128))

    __table_args__ = (
        CheckConstraint(
            _in("outcome", ("corrected", "supplemented", "provision_stopped", "withdrawn")),
            name="outcome",
        ),
    )


class ObjectionAlert(Base):
    """D-2: something the operator is told at once, on its list until acknowledged.

    * ``unit_result_notified``: a providing unit's result arrived; the decision and the
      written notice were generated from it in the same transaction;
    * ``not_transferred_wd1``: a case was neither transferred nor otherwise routed on its
      first working day (the transfer deadline is the second).
    """

    __tablename__ = "objection_alert"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("objection.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    details: Mapped[dict[str, Any]] = mapped_column(Json)
    acknowledged_by: Mapped[str | None] = mapped_column(String(128))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint(_in("kind", ALERT_KINDS), name="kind"),
        UniqueConstraint("objection_id", "kind"),
    )
