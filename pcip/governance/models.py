"""Change proposals to the city supplemental catalog (SM-4; Art. 17-18) and to the city
supplemental punishment-measure list (SM-5; Art. 35-36), their public comments, their history,
and the measure-list versions they publish.

A proposal's state is the last row of its history (``proposal_event``, append-only); the
``state`` column is that value kept beside the proposal for queries, written in the same
transaction as the event. The measure-list versions a proposal publishes are
``pcip.measures.models.MeasureListVersion`` (the measures' own table).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pcip.db import Base, BigId, Json, UTCDateTime

STATES = (
    "draft",
    "submitted",
    "screened",
    "returned",
    "consultation",
    "consultation_closed",
    "submitted_to_mpg",
    "approved",
    "rejected",
    "published",
    "withdrawn",
)
KINDS = ("catalog", "measure_list")
ACTIONS = ("add", "replace", "remove")
MODERATION = ("pending", "shown", "hidden")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class ChangeProposal(Base):
    __tablename__ = "change_proposal"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    #: ``catalog`` (SM-4, the city supplemental catalog) or ``measure_list`` (SM-5).
    kind: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(8))
    item_code: Mapped[str] = mapped_column(String(64))
    #: The proposed item as data (a catalog item or a measure); empty for ``remove``.
    item: Mapped[dict[str, Any]] = mapped_column(Json)
    title: Mapped[str] = mapped_column(String(200))
    rationale: Mapped[str] = mapped_column(Text)
    #: Art. 17, 35: the credit-management (punishment) provision of a local regulation.
    citation: Mapped[str] = mapped_column(Text)
    #: Art. 36: relevance and proportionality (measure lists; optional for catalog items).
    justification: Mapped[str] = mapped_column(Text)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"))
    proposer: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(24), index=True)
    screening_note: Mapped[str] = mapped_column(Text, default="")
    comment_opens_on: Mapped[date | None] = mapped_column(Date)
    comment_closes_on: Mapped[date | None] = mapped_column(Date)
    #: The stakeholder groups invited when the consultation opened (Art. 17: all seven).
    invited_groups: Mapped[list[str]] = mapped_column(Json, default=list)
    approval_number: Mapped[str | None] = mapped_column(String(128))
    approval_issuer: Mapped[str | None] = mapped_column(String(200))
    approval_date: Mapped[date | None] = mapped_column(Date)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    published_version: Mapped[str | None] = mapped_column(String(32))
    previous_version: Mapped[str | None] = mapped_column(String(32))
    effective_from: Mapped[date | None] = mapped_column(Date)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint(_in("kind", KINDS), name="kind"),
        CheckConstraint(_in("action", ACTIONS), name="action"),
        CheckConstraint(_in("state", STATES), name="state"),
    )


class ProposalEvent(Base):
    """Append-only: every state a proposal took, when, by whom, why."""

    __tablename__ = "proposal_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("change_proposal.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by: Mapped[str] = mapped_column(String(128))
    note: Mapped[str] = mapped_column(Text, default="")


class ProposalComment(Base):
    """A public comment (Art. 17: anyone may comment); shown once moderated, with its answer."""

    __tablename__ = "proposal_comment"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("change_proposal.id"), index=True)
    group: Mapped[str] = mapped_column(String(32))
    author: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    moderation: Mapped[str] = mapped_column(String(8), default="pending")
    moderation_reason: Mapped[str] = mapped_column(Text, default="")
    moderated_by: Mapped[str | None] = mapped_column(String(128))
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by: Mapped[str | None] = mapped_column(String(128))

    __table_args__ = (CheckConstraint(_in("moderation", MODERATION), name="moderation"),)
