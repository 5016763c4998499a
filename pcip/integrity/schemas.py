"""Shapes of the government-integrity register (Art. 8-10)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, get_args

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
    reason: str = Field(min_length=1, max_length=32)
    authority_ref: str = Field(default="", max_length=1000)
    description: str = Field(min_length=2, max_length=4000)


class CompensationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    beneficiary: str = Field(min_length=2, max_length=200)
    amount: Decimal = Field(ge=0, max_digits=18, decimal_places=2)
    paid_on: date
    document: str = Field(min_length=2, max_length=200)


#: Art. 8-9: the kinds of breach, as stored and as the catalog item
#: ``cq_government_pledge_breach`` lists them; their words in both languages are in the one
#: vocabulary (kind ``breach_type``).
BreachType = Literal["违背政策承诺", "违约毁约", "拒不履行生效法律文书"]
BREACH_TYPES: tuple[str, ...] = get_args(BreachType)


class BreachIn(BaseModel):
    """Art. 8: a breach determined against a government body, with the document."""

    model_config = ConfigDict(extra="forbid")

    commitment_id: int = Field(ge=1)
    breach_type: BreachType
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


class ChangeRequestIn(ChangeIn):
    """A change through the API: ``unit_uscc`` names the providing unit that submits the breach
    record when the reason is never lawful (Art. 9 para 2); empty for a lawful reason."""

    unit_uscc: str = Field(default="", max_length=18)


class CaseStepIn(BaseModel):
    """Art. 8: an accountability case moves on (a concluded case records its outcome)."""

    model_config = ConfigDict(extra="forbid")

    state: Literal["investigating", "concluded"]
    outcome: str = Field(default="", max_length=4000)


# --- what the API answers (pcip.integrity.api) -----------------------------------------------


class CompensationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    change_id: int
    beneficiary: str
    amount: Decimal
    paid_on: date
    document: str


class ChangeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    commitment_id: int
    action: str
    reason: str
    lawful: bool
    authority_ref: str
    description: str
    recorded_on: date
    closed_on: date | None = None
    compensations: list[CompensationOut] = Field(default_factory=list)


class CommitmentOut(BaseModel):
    """Art. 9: one pledge or contract of a government body in the register."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    body_id: int
    region_code: str
    kind: str
    area: str
    title: str
    counterparty: str
    reference: str
    amount: Decimal | None = None
    made_on: date
    due_on: date | None = None
    state: str
    registered_at: datetime
    changes: list[ChangeOut] = Field(default_factory=list)


class ChangeResultOut(BaseModel):
    """The change recorded and, for a reason that is never lawful, the breach with it."""

    change: ChangeOut
    breach_id: int | None = None


class CaseOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    body_id: int
    reference: str
    state: str
    opened_on: date
    outcome: str = ""
    concluded_on: date | None = None


class BreachOut(BaseModel):
    """Art. 8: a breach recorded against a government body, with its accountability case."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    body_id: int
    body_name: str = ""
    commitment_id: int | None = None
    change_id: int | None = None
    breach_type: str
    description: str
    basis_number: str
    determined_on: date
    batch_id: int | None = None
    case: CaseOut | None = None


class BodyRowOut(BaseModel):
    """Art. 8: one government body on the dashboard."""

    model_config = ConfigDict(from_attributes=True)

    body_id: int
    region_code: str
    name: str
    uscc: str | None = None
    commitments: int
    in_force: int
    performed: int
    breached: int
    open_cases: int


class EvaluationOut(BaseModel):
    """Art. 10: one evaluation run, a scored row per district or county."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    period_start: date
    period_end: date
    run_at: datetime
    run_by: str
    results: list[dict[str, Any]]
