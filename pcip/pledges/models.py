"""Credit pledges, their performance, and self-declared (voluntary) information (Art. 26, 18(6)).

Append-only: a pledge keeps the words the subject signed; its performance is a later row
(kept or broken, with the unit's record reference), never an edit of the pledge. Whether a
pledge is open, kept or broken is derived from those rows.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pcip.db import Base, BigId, UTCDateTime

MATTERS = ("restoration", "self_declaration", "administrative_matter")
CHANNELS = ("online", "api", "window")
OUTCOMES = ("kept", "broken")
#: Art. 26: the kinds of information a subject may register of its own will.
DECLARATION_KINDS = ("credential", "market_operation", "contract_performance", "public_interest")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class CreditPledge(Base):
    """A public credit pledge (Art. 26, 45) as signed: the standard text of its matter."""

    __tablename__ = "credit_pledge"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    matter: Mapped[str] = mapped_column(String(32))
    #: The standard text's version and its words as signed (they never change afterwards).
    text_version: Mapped[int] = mapped_column(Integer)
    text_zh: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    citation: Mapped[str] = mapped_column(Text)
    #: What the pledge is about, in the subject's words (e.g. the licence applied for).
    concerning: Mapped[str | None] = mapped_column(Text)
    #: The providing unit the pledge is made to (the one that tracks its performance).
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    made_on: Mapped[date] = mapped_column(Date)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)
    made_by: Mapped[str] = mapped_column(String(128))

    __table_args__ = (
        CheckConstraint(_in("matter", MATTERS), name="matter"),
        CheckConstraint(_in("channel", CHANNELS), name="channel"),
    )


class PledgePerformance(Base):
    """The unit's finding on a pledge: kept, or broken with the record it submits for it."""

    __tablename__ = "pledge_performance"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("credit_pledge.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(8))
    on: Mapped[date] = mapped_column(Date)
    finding: Mapped[str] = mapped_column(Text)
    #: A broken pledge becomes a record through the unit's normal submission (Art. 20): the
    #: basis document number of the record the unit submits (or submitted) for it.
    record_reference: Mapped[str | None] = mapped_column(String(100))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by: Mapped[str] = mapped_column(String(128))

    __table_args__ = (
        CheckConstraint(_in("outcome", OUTCOMES), name="outcome"),
        CheckConstraint(
            "outcome = 'kept' OR record_reference IS NOT NULL", name="broken_has_record"
        ),
    )


class SelfDeclaration(Base):
    """Information a subject registers of its own will (Art. 26, 18(6)): self-declared,
    shown as such wherever it appears, never public credit information (Art. 23)."""

    __tablename__ = "self_declaration"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    #: The pledge on lawfulness, veracity and completeness made with it (Art. 26).
    pledge_id: Mapped[int] = mapped_column(ForeignKey("credit_pledge.id"))
    declared_on: Mapped[date] = mapped_column(Date)
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime)
    declared_by: Mapped[str] = mapped_column(String(128))
    #: The subject withdrew it (still kept, no longer shown): the day.
    withdrawn_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (CheckConstraint(_in("kind", DECLARATION_KINDS), name="kind"),)
