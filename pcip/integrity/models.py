"""Government integrity (Art. 8-10): the register of government bodies' pledges and contracts,
their changes (with the lawful reason and the compensation of affected market entities),
breaches recorded against the government body with their accountability case, and periodic
evaluations of district and county governments.

A government body is a credit subject like any other organisation, keyed by its USCC; what
makes it one is the USCC's registration authority and entity type ``11`` (GB 32100: organs of
state), read from the identifier (``Subject.is_state_organ``), never a stored flag.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pcip.db import Base, BigId, Json, UTCDateTime

KINDS = ("pledge", "contract")
#: Art. 9: government procurement, PPP, bidding and tendering, investment attraction, local
#: government debt; ``other`` for anything else the register holds.
AREAS = ("procurement", "ppp", "bidding", "investment", "debt", "other")
STATES = ("in_force", "performed", "changed", "terminated", "breached")
CASE_STATES = ("pending", "investigating", "concluded")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class GovCommitment(Base):
    __tablename__ = "gov_commitment"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    #: The district or county (GB/T 2260 code) whose government the body belongs to.
    region_code: Mapped[str] = mapped_column(String(6), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    area: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(500))
    counterparty: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str] = mapped_column(String(128))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    made_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(12))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registered_by: Mapped[str] = mapped_column(String(128))

    __table_args__ = (
        CheckConstraint(_in("kind", KINDS), name="kind"),
        CheckConstraint(_in("area", AREAS), name="area"),
        CheckConstraint(_in("state", STATES), name="state"),
    )


class GovChange(Base):
    """Art. 9 para 2: a change or termination, with its reason; a lawful reason carries the
    authority and procedure followed and, before it is closed, the compensation paid."""

    __tablename__ = "gov_change"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("gov_commitment.id"), index=True)
    action: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(String(32))
    lawful: Mapped[bool]
    authority_ref: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text)
    recorded_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(128))
    closed_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (CheckConstraint("action IN ('change', 'terminate')", name="action"),)


class GovCompensation(Base):
    """The compensation of a market entity for losses from a lawful change (Art. 9 para 2)."""

    __tablename__ = "gov_compensation"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    change_id: Mapped[int] = mapped_column(ForeignKey("gov_change.id"), index=True)
    beneficiary: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    paid_on: Mapped[date] = mapped_column(Date)
    document: Mapped[str] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(String(128))


class AccountabilityCase(Base):
    """Art. 8: the accountability case a government breach opens."""

    __tablename__ = "accountability_case"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[str] = mapped_column(String(16))
    opened_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(Text, default="")
    concluded_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (CheckConstraint(_in("state", CASE_STATES), name="state"),)


class GovBreach(Base):
    """Art. 8: a government breach, recorded against the government body as a record of
    ``cq_government_pledge_breach`` (the batch that carried it) with its accountability case."""

    __tablename__ = "gov_breach"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("gov_commitment.id"))
    change_id: Mapped[int | None] = mapped_column(ForeignKey("gov_change.id"))
    breach_type: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    basis_number: Mapped[str] = mapped_column(String(128))
    determined_on: Mapped[date] = mapped_column(Date)
    case_id: Mapped[int] = mapped_column(ForeignKey("accountability_case.id"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batch.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(128))


class GovEvaluation(Base):
    """Art. 10: one evaluation run over the district and county governments for a period."""

    __tablename__ = "gov_evaluation"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    run_by: Mapped[str] = mapped_column(String(128))
    #: One scored row per district or county: indicators, score, evidence.
    results: Mapped[list[dict[str, Any]]] = mapped_column(Json)
