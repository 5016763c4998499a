"""Shapes of the government-integrity register (Art. 8-10)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class CommitmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body_uscc: str = Field(min_length=18, max_length=18)
    body_name: str = Field(min_length=2, max_length=200)
    kind: Literal["pledge", "contract"]
    area: Literal["procurement", "ppp", "bidding", "investment", "debt", "other"]
    title: str = Field(min_length=2, max_length=500)
    counterparty: str = Field(min_length=2, max_length=200)
    reference: str = Field(min_length=1, max_length=128)
    amount: Decimal | None = Field(default=None, ge=0, max_digits=18, decimal_places=2)
    made_on: date
    due_on: date | None = None


class ChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["change", "terminate"]
    reason: str = Field(max_length=32)
    authority_ref: str = Field(default="", max_length=1000)
    description: str = Field(min_length=2, max_length=4000)


class CompensationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    beneficiary: str = Field(min_length=2, max_length=200)
    amount: Decimal = Field(ge=0, max_digits=18, decimal_places=2)
    paid_on: date
    document: str = Field(min_length=2, max_length=200)


class BreachIn(BaseModel):
    """Art. 8: a breach determined against a government body, with the document."""

    model_config = ConfigDict(extra="forbid")

    commitment_id: int = Field(ge=1)
    breach_type: Literal["违背政策承诺", "违约毁约", "拒不履行生效法律文书"]
    description: str = Field(min_length=2, max_length=4000)
    basis_number: str = Field(min_length=2, max_length=128)
    basis_issuer: str = Field(min_length=2, max_length=200)
    determined_on: date
    severity: Literal["轻微", "一般", "严重"] = "一般"
    #: The providing unit that submits the record (registered for the item, Art. 20).
    unit_uscc: str = Field(min_length=18, max_length=18)


class EvaluationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period_start: date
    period_end: date
