"""Shapes of the doors onto establishments and oversight (Art. 47-55)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Category = Literal[
    "public_service", "credit_reporting", "rating", "information_inquiry", "risk_control", "other"
]
SupervisionKind = Literal["inspection", "spot_check", "complaint", "unfiled_activity"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Document(_In):
    title: str = Field(min_length=1, max_length=200)
    reference: str = Field(min_length=1, max_length=200)


class FilingIn(_In):
    """A filing with the development and reform department (Art. 49)."""

    uscc: str = Field(min_length=18, max_length=18, examples=["91500000MA5U000016"])
    name: str = Field(min_length=1, max_length=200)
    category: Category
    business_scope: str = Field(min_length=2, max_length=4000)
    data_security: str = Field(min_length=4, max_length=4000)
    documents: list[Document] = Field(min_length=1, max_length=50)
    permit_number: str | None = Field(default=None, max_length=64)
    contact: str = Field(min_length=1, max_length=200)

    @field_validator("permit_number")
    @classmethod
    def _blank(cls, v: str | None) -> str | None:
        return v or None


class DirectoryEntry(BaseModel):
    """What the public directory shows of a filed establishment: public fields only."""

    id: int
    name: str
    uscc: str
    category: str
    business_scope: str
    filing_number: str
    permit_number: str | None
    filed_on: date


class EstablishmentOut(DirectoryEntry):
    """The full filing, for the development and reform department."""

    data_security: str
    documents: list[Document]
    contact: str
    cancelled_on: date | None


class SupervisionIn(_In):
    kind: SupervisionKind
    held_on: date
    findings: str = Field(min_length=2, max_length=4000, examples=["未备案开展信用风控业务"])
    serious: bool = False
    serious_reasons: str | None = Field(default=None, max_length=4000)


class SupervisionOut(BaseModel):
    id: int
    establishment_id: int
    kind: str
    held_on: date
    findings: str
    serious: bool
    serious_reasons: str | None


class CorrectionOrderIn(_In):
    basis: str = Field(min_length=2, max_length=4000, examples=["超出备案业务范围经营"])
    requirement: str = Field(min_length=2, max_length=4000)
    supervision_id: int | None = None
    working_days: int | None = Field(default=None, ge=1, le=120)


class CorrectionIn(_In):
    corrected_on: date
    correction: str = Field(min_length=2, max_length=4000, examples=["已办理备案变更"])


class OrderOut(BaseModel):
    id: int
    establishment_id: int
    establishment_name: str
    basis: str
    requirement: str
    issued_on: date
    working_days: int
    due: date
    provisional: bool
    status: str
    corrected_on: date | None
    correction: str | None


class FineIn(_In):
    ground: Literal["missed_deadline", "serious_finding"]
    order_id: int | None = None
    supervision_id: int | None = None
    amount_yuan: int = Field(gt=0, le=2_000_000_000)
    unlawful_gains_yuan: int = Field(default=0, ge=0, le=2_000_000_000)
    decision_number: str = Field(min_length=1, max_length=100, examples=["渝发改罚〔2026〕1号"])


class FineOut(BaseModel):
    id: int
    establishment_id: int
    ground: str
    order_id: int | None
    supervision_id: int | None
    amount_yuan: int
    unlawful_gains_yuan: int
    decision_number: str
    decided_on: date
    article: str


class OverdueStep(BaseModel):
    """A step the platform found past its deadline, and whom an order would address."""

    source_key: str
    objection_id: int
    step: str
    article: str
    due: date
    met_on: date | None
    addressee: Literal["department", "platform"]
    provider_id: int | None
    addressee_name: str
    order_article: Literal["Art. 53", "Art. 54"]
    order_id: int | None


class OversightOrderIn(_In):
    """An order written from a finding (not from an overdue step)."""

    addressee: Literal["department", "platform"]
    provider_uscc: str | None = Field(default=None, max_length=18)
    basis: str = Field(min_length=2, max_length=4000, examples=["异议核查逾期三个工作日"])
    requirement: str = Field(min_length=2, max_length=4000)
    working_days: int | None = Field(default=None, ge=1, le=120)


class FromStepIn(_In):
    """An order fed by an overdue step (``source_key`` from the overdue list)."""

    source_key: str = Field(min_length=5, max_length=64, examples=["objection:12:pu_handling"])
    requirement: str = Field(min_length=2, max_length=4000)
    working_days: int | None = Field(default=None, ge=1, le=120)


class ResponseIn(_In):
    response: str = Field(min_length=2, max_length=4000, examples=["已完成核查并调整流程"])


class EscalationIn(_In):
    """Art. 53: criticism circulated; Art. 54: sanctions referred, naming the responsible."""

    note: str = Field(min_length=2, max_length=4000, examples=["通报批评"])
    serious_reasons: str | None = Field(default=None, max_length=4000)


class OversightOrderOut(BaseModel):
    id: int
    addressee: str
    provider_id: int | None
    addressee_name: str
    article: str
    basis: str
    requirement: str
    source: dict[str, object] | None
    issued_on: date
    working_days: int
    due: date
    provisional: bool
    status: str
    responded_on: date | None
    response: str | None
    escalation: str | None
    escalated_on: date | None
    escalation_ground: str | None
    escalation_note: str | None
