"""API shapes of the assessment (Art. 30). Every answer carries the model version and the
"administrative use only" watermark (D-22)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pcip.inquiry.schemas import PurposeCode, SubjectRef

WATERMARK = "仅供行政管理使用 · administrative use only (Art. 30)"


class AssessmentRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: SubjectRef
    #: Art. 30: administrative_management, public_services, sector_assessment or
    #: tiered_supervision; any other purpose is refused.
    purpose_code: PurposeCode
    purpose: str = Field(max_length=500, description="The administrative use, in words")


class ReasonOut(BaseModel):
    code: str
    count: int
    points: int
    citation: str


class AssessmentOut(BaseModel):
    subject_id: int
    subject_name: str
    model_version: str
    computed_on: date
    score: int
    grade: Literal["A", "B", "C", "D"]
    grade_meaning: str
    reasons: list[ReasonOut]
    inquiry_id: int
    audience: Literal["government_only"] = "government_only"
    watermark: str = WATERMARK


class RunOut(BaseModel):
    id: int
    model_version: str
    on: date
    started_at: datetime
    finished_at: datetime
    by: str
    subjects: int
    distribution: dict[str, int]
    reasons: dict[str, int]
    millis: int
