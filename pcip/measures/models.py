"""Measure applications (Art. 34, 37): one department's measure against one subject for one
matter, or the record that the Art. 37 waiver applied and no measure was taken."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pcip.db import Base, BigId, Json, UTCDateTime


class MeasureApplication(Base):
    __tablename__ = "measure_application"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"))
    designation_id: Mapped[int | None] = mapped_column(ForeignKey("designation.id"))
    matter: Mapped[str] = mapped_column(String(16))
    matter_ref: Mapped[str] = mapped_column(String(100))
    #: The measure asked for (Art. 34: an item in force); None is never stored.
    requested_measure: Mapped[str] = mapped_column(String(48))
    #: ``applied`` records the measure; ``waived`` records none (Art. 37).
    status: Mapped[str] = mapped_column(String(8))
    # Art. 37: nature, circumstances and social impact of the conduct, the chosen severity.
    nature: Mapped[str] = mapped_column(Text)
    circumstances: Mapped[str] = mapped_column(Text)
    impact: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16))
    minor_or_incidental: Mapped[bool] = mapped_column(Boolean)
    promptly_corrected: Mapped[bool] = mapped_column(Boolean)
    no_harmful_outcome: Mapped[bool] = mapped_column(Boolean)
    #: D-23: the department's reasons for its findings on the three conditions.
    waiver_reasons: Mapped[str] = mapped_column(Text)
    decided_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(128))

    __table_args__ = (
        CheckConstraint("status IN ('applied', 'waived')", name="status"),
        CheckConstraint("severity IN ('light', 'general', 'heavy')", name="severity"),
        CheckConstraint(
            "status = 'applied' OR (minor_or_incidental AND promptly_corrected "
            "AND no_harmful_outcome)",
            name="waiver",
        ),
    )


class MeasureSuspension(Base):
    """Art. 46: a decision (reconsideration organ, court) suspending a measure application or
    the measures a listing triggers, or lifting that suspension. Measures stay in force while
    a case is pending unless such a fact exists; written by ``pcip.complaints`` (append-only)."""

    __tablename__ = "measure_suspension"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("measure_application.id"), index=True
    )
    designation_id: Mapped[int | None] = mapped_column(ForeignKey("designation.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    effective_on: Mapped[date] = mapped_column(Date)
    document_number: Mapped[str] = mapped_column(String(128))
    document_issuer: Mapped[str] = mapped_column(String(200))
    document_date: Mapped[date] = mapped_column(Date)
    #: The case that decided it (a ``legal_case`` id).
    case_id: Mapped[int | None] = mapped_column(BigId)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(128))

    __table_args__ = (
        CheckConstraint("kind IN ('suspended', 'lifted')", name="kind"),
        CheckConstraint("(application_id IS NULL) <> (designation_id IS NULL)", name="one_target"),
    )


class MeasureListVersion(Base):
    """A version of the measure lists published after the first (Art. 35; issue 20): the whole
    list as data, its effective date and the change proposal that made it (written by
    ``pcip.governance``, the one door). Never edited. Before the first, the lists are
    ``measures.json``."""

    __tablename__ = "measure_list_version"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    version: Mapped[str] = mapped_column(String(32))
    effective_from: Mapped[date] = mapped_column(Date)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("change_proposal.id"))
    measures: Mapped[list[dict[str, Any]]] = mapped_column(Json)

    __table_args__ = (UniqueConstraint("version"),)
