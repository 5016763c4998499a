"""Designations (SM-2), their append-only events, Art. 33 linked persons, and list imports.

A designation stores dated facts (notice served, statement received, decided, served,
listed, ended); its state and deadlines are derived from them and the working-day calendar
(``pcip.lists.states``), never stored as a flag. Every step also appends a
``DesignationEvent`` (who, when, what), and nothing is ever deleted: removal, expiry and
revocation set ``ended_on`` with its kind (Art. 44).
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

ORIGINS = ("platform", "imported")
#: How a listing ends (Art. 44, 45; list rules). Expiry is also derived from ``listed_until``.
END_KINDS = ("removed", "expired", "revoked")
SERVICE_METHODS = ("in_person", "post", "electronic", "public_announcement")
EVENT_KINDS = (
    "drafted",
    "notice_served",
    "statement",
    "responded",
    "dropped",
    "decided",
    "decision_served",
    "listed",
    "removed",
    "expired",
    "revoked",
    "imported",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Designation(Base):
    __tablename__ = "designation"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    list_type: Mapped[str] = mapped_column(String(48))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    origin: Mapped[str] = mapped_column(String(16))
    #: The designating unit on this platform (None for imported lists).
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"))
    deciding_authority: Mapped[str] = mapped_column(String(200))
    #: The department's case reference (the court's case number for imported lists).
    case_ref: Mapped[str] = mapped_column(String(100))
    facts: Mapped[str] = mapped_column(Text)
    grounds: Mapped[str] = mapped_column(Text)
    basis: Mapped[str] = mapped_column(Text)
    #: D-7: the conduct's end, from which linked persons' records run 5 years (Art. 43).
    conduct_end_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Art. 32 para 3: the pre-designation notice and its proof of service.
    notice_served_on: Mapped[date | None] = mapped_column(Date)
    notice_service: Mapped[dict[str, Any] | None] = mapped_column(Json)
    # The subject's statement or objection, and the department's response.
    statement_received_on: Mapped[date | None] = mapped_column(Date)
    statement: Mapped[str | None] = mapped_column(Text)
    responded_on: Mapped[date | None] = mapped_column(Date)
    response_outcome: Mapped[str | None] = mapped_column(String(16))
    response: Mapped[str | None] = mapped_column(Text)
    dropped_on: Mapped[date | None] = mapped_column(Date)
    # The decision and its written document (Art. 32 para 3).
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_number: Mapped[str | None] = mapped_column(String(100))
    decision: Mapped[dict[str, Any] | None] = mapped_column(Json)
    decision_served_on: Mapped[date | None] = mapped_column(Date)
    decision_service: Mapped[dict[str, Any] | None] = mapped_column(Json)
    listed_on: Mapped[date | None] = mapped_column(Date)
    listed_until: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_kind: Mapped[str | None] = mapped_column(String(16))
    end_reason: Mapped[str | None] = mapped_column(Text)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("list_import.id"))

    __table_args__ = (
        CheckConstraint(_in("origin", ORIGINS), name="origin"),
        CheckConstraint(f"end_kind IS NULL OR {_in('end_kind', END_KINDS)}", name="end_kind"),
        CheckConstraint(
            "response_outcome IS NULL OR response_outcome IN ('upheld', 'rejected')",
            name="response_outcome",
        ),
        CheckConstraint("(ended_on IS NULL) = (end_kind IS NULL)", name="ended"),
        # One designation per list, case and subject: imports are idempotent on it.
        UniqueConstraint("list_type", "case_ref", "subject_id"),
        Index("ix_designation_list_listed", "list_type", "listed_on"),
    )


class DesignationEvent(Base):
    """Append-only: every step, with who took it and on which day."""

    __tablename__ = "designation_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    designation_id: Mapped[int] = mapped_column(ForeignKey("designation.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by: Mapped[str] = mapped_column(String(128))
    details: Mapped[dict[str, Any]] = mapped_column(Json)

    __table_args__ = (CheckConstraint(_in("kind", EVENT_KINDS), name="kind"),)


class DesignationPerson(Base):
    """Art. 33: a responsible person named in the decision; a linked record while listed."""

    __tablename__ = "designation_person"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    designation_id: Mapped[int] = mapped_column(ForeignKey("designation.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))

    __table_args__ = (
        CheckConstraint(
            "role IN ('legal_representative', 'principal', 'actual_controller', 'other_direct')",
            name="role",
        ),
        UniqueConstraint("designation_id", "person_id", "role"),
    )


class ListImport(Base):
    """A list file decided elsewhere (a court's, a national authority's), once per content."""

    __tablename__ = "list_import"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    list_type: Mapped[str] = mapped_column(String(48))
    file_name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    by: Mapped[str] = mapped_column(String(128))
    accepted: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    ended: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(Json)

    __table_args__ = (UniqueConstraint("list_type", "sha256"),)
