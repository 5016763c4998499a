"""Shapes of complaints, legal cases and measure suspensions (Art. 46)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Category = Literal["collection", "disclosure", "use", "bundled_consent", "market_dispute"]

#: A stored row's id (a bigint): larger numbers are refused as invalid, never stored.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ComplaintIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "category": "disclosure",
                    "against": "重庆市市场监督管理局",
                    "description": "处罚已履行完毕，公示内容未更新",
                    "record_ids": [12],
                }
            ]
        },
    )

    category: Category
    #: The unit or establishment the complaint is about.
    against: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=5000)
    record_ids: list[Id] = Field(default_factory=list, max_length=50)
    application_ids: list[Id] = Field(default_factory=list, max_length=50)
    #: Only when staff register a complaint received at a desk: whose it is.
    subject_id: Id | None = None


class StepIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"step": "accepted", "note": "已受理，正在核查"}]},
    )

    step: Literal["accepted", "not_accepted", "redirected", "answered"]
    note: str = Field(min_length=1, max_length=5000)
    on: date | None = None


class DeadlineOut(BaseModel):
    name: str
    article: str
    due: date
    provisional: bool
    met_on: date | None
    overdue: bool
    days_left: int | None


class StepOut(BaseModel):
    step: str
    on: date
    note: str | None


class LinkOut(BaseModel):
    target_type: str
    target_id: int


class ComplaintOut(BaseModel):
    id: int
    subject_id: int
    category: str
    against: str
    description: str
    channel: str
    received_on: date
    state: str
    steps: list[StepOut]
    deadlines: list[DeadlineOut]
    concerns: list[LinkOut]


class CaseIn(BaseModel):
    """Art. 46: an administrative reconsideration or litigation case, as filed."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "kind": "litigation",
                    "subject_id": 7,
                    "case_number": "（2026）渝0103行初200号",
                    "body": "重庆市渝中区人民法院",
                    "act": "行政处罚决定",
                    "filed_on": "2026-11-20",
                    "record_ids": [12],
                }
            ]
        },
    )

    kind: Literal["reconsideration", "litigation"]
    subject_id: Id
    case_number: str = Field(min_length=1, max_length=128)
    body: str = Field(min_length=1, max_length=200)
    act: str = Field(min_length=1, max_length=2000)
    filed_on: date
    complaint_id: Id | None = None
    record_ids: list[Id] = Field(default_factory=list, max_length=50)
    designation_ids: list[Id] = Field(default_factory=list, max_length=50)
    application_ids: list[Id] = Field(default_factory=list, max_length=50)


class CaseDecisionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "outcome": "revoked",
                    "on": "2026-12-14",
                    "document_number": "（2026）渝0103行初200号",
                }
            ]
        },
    )

    outcome: Literal["upheld", "revoked", "changed", "dismissed", "withdrawn"]
    on: date
    document_number: str = Field(min_length=1, max_length=128)
    note: str | None = Field(default=None, max_length=2000)


class CaseOut(BaseModel):
    id: int
    kind: str
    subject_id: int
    case_number: str
    body: str
    act: str
    filed_on: date
    complaint_id: int | None
    state: str
    outcome: str | None
    decided_on: date | None
    document_number: str | None
    concerns: list[LinkOut]
    #: Art. 46: the measures stay in force while the case is pending; only these decisions
    #: suspended any.
    suspensions: list[SuspensionOut]
    #: When the outcome revoked or changed the act: register the basis change (Art. 44).
    next_step: str | None


class SuspensionIn(BaseModel):
    """Art. 46: a decision suspending (or lifting the suspension of) a measure."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "kind": "suspended",
                    "designation_id": 3,
                    "effective_on": "2026-12-11",
                    "document_number": "（2026）渝0103行初200号之一",
                    "document_issuer": "重庆市渝中区人民法院",
                    "document_date": "2026-12-11",
                }
            ]
        },
    )

    kind: Literal["suspended", "lifted"] = "suspended"
    application_id: Id | None = None
    designation_id: Id | None = None
    effective_on: date
    document_number: str = Field(min_length=1, max_length=128)
    document_issuer: str = Field(min_length=1, max_length=200)
    document_date: date


class SuspensionOut(BaseModel):
    id: int
    kind: str
    application_id: int | None
    designation_id: int | None
    effective_on: date
    document_number: str
    document_issuer: str
    document_date: date


CaseOut.model_rebuild()
