"""What the restoration doors send and answer (Art. 45; SM-3)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from pcip.restoration.service import FEE, Case

#: Ids are 64-bit integers (BIGINT): a larger number is refused before any lookup.
MAX_ID = 2**63 - 1


class WindowIn(BaseModel):
    """A paper application registered by staff at a service window."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "subject_id": 1,
                    "record_id": 1,
                    "correction": "罚款已缴清，违法行为已整改完毕，附缴款凭证。",
                    "applicant_name": "李四（受托人）",
                    "authorised": True,
                }
            ]
        },
    )

    subject_id: int = Field(ge=1, le=MAX_ID)
    record_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    designation_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    correction: str = Field(max_length=4000)
    applicant_name: str | None = Field(default=None, max_length=100)
    authorised: bool = False


class OfficerIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"officer": "王修复"}]}
    )

    officer: str = Field(min_length=1, max_length=100)


class ReasonsIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"reasons": "已纠正失信行为并履行全部义务，符合修复条件", "remedies": "可申请复核"}
            ]
        },
    )

    reasons: str = Field(min_length=1, max_length=4000)
    remedies: str = Field(default="", max_length=4000)


class MaterialsIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"what": "请提供整改验收报告"}]}
    )

    what: str = Field(min_length=1, max_length=4000)


class EventOut(BaseModel):
    kind: str
    on: date
    at: datetime
    details: dict[str, Any]


class DeadlineOut(BaseModel):
    name: str
    article: str
    due: date
    provisional: bool
    met_on: date | None
    overdue: bool


class CaseOut(BaseModel):
    id: int
    subject_id: int
    record_id: int | None
    designation_id: int | None
    provider_id: int | None
    channel: str
    applicant_name: str
    correction: str
    pledge_id: int
    received_on: date
    state: str
    officer: str | None
    overdue: bool
    #: Art. 45 para 4: always 0.
    fee: int = FEE
    deadlines: list[DeadlineOut]
    events: list[EventOut]
    proof_files: list[str]


def out(case: Case) -> CaseOut:
    a = case.application
    return CaseOut(
        id=a.id,
        subject_id=a.subject_id,
        record_id=a.record_id,
        designation_id=a.designation_id,
        provider_id=a.provider_id,
        channel=a.channel,
        applicant_name=a.applicant_name,
        correction=a.correction,
        pledge_id=a.pledge_id,
        received_on=a.received_on,
        state=case.state.value,
        officer=case.officer,
        overdue=case.overdue,
        deadlines=[
            DeadlineOut(
                name=d.name,
                article=d.article,
                due=d.due,
                provisional=d.provisional,
                met_on=d.met_on,
                overdue=d.overdue,
            )
            for d in case.deadlines
        ],
        events=[EventOut(kind=e.kind, on=e.on, at=e.at, details=e.details) for e in case.events],
        proof_files=[p.file_name for p in case.proofs],
    )


class OpeningOut(BaseModel):
    """When restoration of one of my negative records may be requested (None: now)."""

    record_id: int
    possible_from: date | None
    basis: str
