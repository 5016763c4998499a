"""Shapes of measure applications and credit checks (Art. 31, 34, 37, 38)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pcip.inquiry.schemas import SubjectRef
from pcip.measures.catalogue import Matter


class ApplicationIn(BaseModel):
    """Art. 34, 37: a measure against a subject for a matter, with the assessment."""

    model_config = ConfigDict(extra="forbid")

    subject: SubjectRef
    measure: str = Field(min_length=1, max_length=48)
    matter: Matter
    matter_ref: str = Field(min_length=1, max_length=100)
    designation_id: int | None = Field(default=None, ge=1)
    nature: str = Field(min_length=1, max_length=2000)
    circumstances: str = Field(min_length=1, max_length=2000)
    impact: str = Field(min_length=1, max_length=2000)
    severity: Literal["light", "general", "heavy"]
    minor_or_incidental: bool
    promptly_corrected: bool
    no_harmful_outcome: bool
    waiver_reasons: str = Field(min_length=1, max_length=2000)


class ApplicationOut(BaseModel):
    id: int
    subject_id: int
    status: Literal["applied", "waived"]
    measure: str | None
    requested_measure: str
    matter: str
    matter_ref: str
    #: Art. 37: which conditions held; all three mean the measure is waived.
    conditions: dict[str, bool]
    waiver_reasons: str
    legal_basis: str
    #: The legal basis in English, where the list gives it (issue 19.3).
    legal_basis_en: str | None = None
    decided_on: date


class CheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: SubjectRef
    matter: Matter
    purpose: str = Field(min_length=1, max_length=200)


class Reason(BaseModel):
    """One measure that applies, and why: list, record, measure, legal basis, dates."""

    measure: str
    measure_name: str
    #: The measure's name and legal basis in English, where the list gives them (issue 19.3).
    measure_name_en: str | None = None
    measure_list: str
    legal_basis: str
    legal_basis_en: str | None = None
    because: Literal["listing", "application"]
    list_type: str | None = None
    designation_id: int | None = None
    deciding_authority: str | None = None
    decision_number: str | None = None
    listed_on: date | None = None
    listed_until: date | None = None
    application_id: int | None = None
    #: Art. 46: a reconsideration or court decision suspended this measure (it stays in force
    #: while a case is pending unless suspended).
    suspended: bool = False
    suspended_on: date | None = None
    suspended_by: str | None = None


class CheckOut(BaseModel):
    inquiry_id: int | None
    on: date
    matter: str
    found: bool
    subject_id: int | None
    subject_name: str | None
    listed: bool
    measures: list[Reason]


class BatchSummary(BaseModel):
    matter: str
    rows: int
    found: int
    listed: int
    with_measures: int
    rejected: int
    errors: list[dict[str, object]]
    seconds: float
