"""Shapes of change proposals and comments (SM-4, SM-5; Art. 17, 35)."""

from __future__ import annotations

from datetime import date
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
