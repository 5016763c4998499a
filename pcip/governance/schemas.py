"""Shapes of change proposals and comments (SM-4, SM-5; Art. 17, 35)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ProposalIn(BaseModel):
    """A city department's proposal: one item added, replaced or removed."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["catalog", "measure_list"]
    action: Literal["add", "replace", "remove"]
    item_code: str = Field(pattern=r"^[a-z][a-z0-9_]{2,63}$")
    #: The item as data: a catalog item (docs/catalog.md) or a measure (measures.json).
    item: dict[str, Any] = Field(default_factory=dict)
    title: str = Field(min_length=2, max_length=200)
    rationale: str = Field(min_length=1, max_length=4000)
    #: Art. 17, 35: the provision of a local regulation (may be empty in a draft).
    citation: str = Field(default="", max_length=1000)
    justification: str = Field(default="", max_length=4000)


class CommentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    group: str = Field(max_length=32)
    author: str = Field(default="", max_length=100)
    body: str = Field(min_length=2, max_length=4000)


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=2, max_length=2000)


class ConsultationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: int | None = Field(default=None, ge=1, le=365)


class ModerationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    show: bool
    reason: str = Field(default="", max_length=1000)


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer: str = Field(min_length=2, max_length=4000)


class DecisionIn(BaseModel):
    """The municipal government's decision, recorded by the D&R department."""

    model_config = ConfigDict(extra="forbid")

    approved: bool
    number: str = Field(default="", max_length=128)
    issuer: str = Field(default="", max_length=200)
    decided_on: date | None = None
    note: str = Field(default="", max_length=2000)


class PublishIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str = Field(pattern=r"^[0-9A-Za-z.\-]{1,32}$")
    effective_from: date


class Change(BaseModel):
    """One line of a readable diff."""

    change: Literal["added", "removed", "changed"]
    code: str
    name: str
    details: list[str] = Field(default_factory=list)


# --- what the API answers (pcip.governance.api) ----------------------------------------------


class CommentOut(BaseModel):
    """A comment on a proposal; the public sees only the shown ones, with their answers."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    proposal_id: int
    group: str
    author: str
    body: str
    submitted_at: datetime
    moderation: Literal["pending", "shown", "hidden"]
    moderation_reason: str = ""
    answer: str | None = None
    answered_at: datetime | None = None


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_state: str | None
    to_state: str
    at: datetime
    by: str
    note: str = ""


class ProposalOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    action: str
    item_code: str
    item: dict[str, Any]
    title: str
    rationale: str
    citation: str
    justification: str
    proposer: str
    state: str
    screening_note: str = ""
    comment_opens_on: date | None = None
    comment_closes_on: date | None = None
    invited_groups: list[str] = Field(default_factory=list)
    approval_number: str | None = None
    approval_issuer: str | None = None
    approval_date: date | None = None
    decision_note: str = ""
    published_version: str | None = None
    previous_version: str | None = None
    effective_from: date | None = None


class ProposalDetailOut(ProposalOut):
    """A proposal with its readable diff against the version it changes (or changed), its
    comments (the public: the shown ones) and, for staff, its history."""

    diff: list[Change] = Field(default_factory=list)
    comments: list[CommentOut] = Field(default_factory=list)
    history: list[EventOut] = Field(default_factory=list)


class ScreeningOut(BaseModel):
    """Art. 18, 36: the screening's outcome; each problem names its field and its rule."""

    proposal: ProposalOut
    problems: list[dict[str, str]] = Field(default_factory=list)
