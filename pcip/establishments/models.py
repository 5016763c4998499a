"""Tables of credit service establishments and oversight (Art. 47-55).

Nothing here stores a due date or a status: a deadline is the issue day plus the order's
working days on the calendar in force, and whether an order is open, corrected or overdue is
read from its dates (``pcip.establishments.rules``). Rows are appended; the only later writes
fill in a correction, a response, a cancellation or an escalation once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pcip.db import Base, BigId, Json, UTCDateTime

#: Art. 47 categorical regulation; Art. 49 para 1 (reporting, rating) and para 2 (the rest).
CATEGORIES = (
    "public_service",
    "credit_reporting",
    "rating",
    "information_inquiry",
    "risk_control",
    "other",
)
SUPERVISION_KINDS = ("inspection", "spot_check", "complaint", "unfiled_activity")
ADDRESSEES = ("department", "platform")
ESCALATIONS = ("criticism_circulated", "sanction_referred")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Establishment(Base):
    """A filed credit service establishment (Art. 49): the filing with the development and
    reform department, with its documents, business scope and data-security measures."""

    __tablename__ = "establishment"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(24))
    business_scope: Mapped[str] = mapped_column(Text)
    #: Art. 52 para 2: cybersecurity, data security and personal information measures.
    data_security: Mapped[str] = mapped_column(Text)
    #: The documents filed: ``[{"title": ..., "reference": ...}]`` (not public).
    documents: Mapped[list[dict[str, Any]]] = mapped_column(Json)
    #: Art. 49 para 1: the permit or state filing of a reporting or rating establishment.
    permit_number: Mapped[str | None] = mapped_column(String(64))
    contact: Mapped[str] = mapped_column(String(200))
    filing_number: Mapped[str] = mapped_column(String(32), unique=True)
    filed_on: Mapped[date] = mapped_column(Date)
    filed_by: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_on: Mapped[date | None] = mapped_column(Date)
    cancel_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (CheckConstraint(_in("category", CATEGORIES), name="category"),)


class SupervisionRecord(Base):
    """An inspection, spot check, complaint or finding of unfiled activity (Art. 48, 49); a
    ``serious`` finding carries its reasons (D-24) and may found a fine (Art. 55 para 2)."""

    __tablename__ = "establishment_supervision"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    held_on: Mapped[date] = mapped_column(Date)
    findings: Mapped[str] = mapped_column(Text)
    serious: Mapped[bool] = mapped_column(Boolean)
    serious_reasons: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint(_in("kind", SUPERVISION_KINDS), name="kind"),
        CheckConstraint("NOT serious OR serious_reasons IS NOT NULL", name="serious_reasons"),
    )


class CorrectionOrder(Base):
    """A correction order with a set period in working days (Art. 55 para 2; D-24)."""

    __tablename__ = "establishment_order"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    supervision_id: Mapped[int | None] = mapped_column(ForeignKey("establishment_supervision.id"))
    basis: Mapped[str] = mapped_column(Text)
    requirement: Mapped[str] = mapped_column(Text)
    issued_on: Mapped[date] = mapped_column(Date)
    working_days: Mapped[int] = mapped_column(Integer)
    issued_by: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    corrected_on: Mapped[date | None] = mapped_column(Date)
    correction: Mapped[str | None] = mapped_column(Text)
    confirmed_by: Mapped[str | None] = mapped_column(String(128))

    __table_args__ = (CheckConstraint("working_days > 0", name="working_days"),)


class Fine(Base):
    """A fine under Art. 55 para 2, with any unlawful gains confiscated, and its ground."""

    __tablename__ = "establishment_fine"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    ground: Mapped[str] = mapped_column(String(16))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("establishment_order.id"))
    supervision_id: Mapped[int | None] = mapped_column(ForeignKey("establishment_supervision.id"))
    amount_yuan: Mapped[int] = mapped_column(Integer)
    unlawful_gains_yuan: Mapped[int] = mapped_column(Integer)
    decision_number: Mapped[str] = mapped_column(String(100))
    decided_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("ground IN ('missed_deadline', 'serious_finding')", name="ground"),
        CheckConstraint("amount_yuan > 0 AND unlawful_gains_yuan >= 0", name="amounts"),
        CheckConstraint(
            "(ground = 'missed_deadline' AND order_id IS NOT NULL) OR "
            "(ground = 'serious_finding' AND supervision_id IS NOT NULL)",
            name="ground_source",
        ),
    )


class OversightOrder(Base):
    """An order to correct within a set period, to a department or providing unit (Art. 53) or
    to the platform's operator (Art. 54); fed by overdue steps (``source_key``) or written
    from a finding. Its response, and an escalation after a missed deadline or a serious
    finding, are filled in once."""

    __tablename__ = "oversight_order"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    addressee: Mapped[str] = mapped_column(String(16))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"), index=True)
    addressee_name: Mapped[str] = mapped_column(String(200))
    article: Mapped[str] = mapped_column(String(16))
    basis: Mapped[str] = mapped_column(Text)
    requirement: Mapped[str] = mapped_column(Text)
    #: The overdue step it was fed by, e.g. ``objection:12:pu_handling`` (once per step).
    source_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    source: Mapped[dict[str, Any] | None] = mapped_column(Json)
    issued_on: Mapped[date] = mapped_column(Date)
    working_days: Mapped[int] = mapped_column(Integer)
    issued_by: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    responded_on: Mapped[date | None] = mapped_column(Date)
    response: Mapped[str | None] = mapped_column(Text)
    responded_by: Mapped[str | None] = mapped_column(String(128))
    escalation: Mapped[str | None] = mapped_column(String(24))
    escalated_on: Mapped[date | None] = mapped_column(Date)
    escalation_ground: Mapped[str | None] = mapped_column(String(16))
    escalation_note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(_in("addressee", ADDRESSEES), name="addressee"),
        CheckConstraint("article IN ('Art. 53', 'Art. 54')", name="article"),
        CheckConstraint("working_days > 0", name="working_days"),
        CheckConstraint(
            "escalation IS NULL OR " + _in("escalation", ESCALATIONS), name="escalation"
        ),
    )
