"""The shapes of objection cases in the API (Art. 40-42), shared by the API, CLI and web."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from pcip.objections.deadlines import Deadline

Ground = Literal["error", "omission", "beyond_period"]
Outcome = Literal["corrected", "supplemented", "provision_stopped", "upheld", "withdrawn"]
ProactiveOutcome = Literal["corrected", "supplemented", "provision_stopped", "withdrawn"]
DeclineBasis = Literal["repeat", "no_legitimate_reason"]

#: Field changes per record: ``{"<record id>": {"<field>": <new value>, ...}}``.
ChangesIn = dict[int, dict[str, Any]]


class DeadlineOut(BaseModel):
    """A statutory time limit, derived from the case's events and the working-day calendar."""

    name: str
    article: str
    start: date
    working_days: int
    due: date
    provisional: bool = Field(
        description="Counted over a year with no official schedule loaded yet "
        "(docs/facts.md#working-days)"
    )
    met_on: date | None
    overdue: bool
    days_left: int | None = Field(
        description="Working days from today to the due date (0 = today; negative = overdue)"
    )

    @classmethod
    def of(cls, d: Deadline) -> DeadlineOut:
        return cls(
            name=d.name,
            article=d.article,
            start=d.start,
            working_days=d.working_days,
            due=d.due,
            provisional=d.provisional,
            met_on=d.met_on,
            overdue=d.overdue,
            days_left=d.days_left,
        )


class EventOut(BaseModel):
    kind: str
    at: datetime
    #: The acting role (``operator``, ``provider``, ``drc``, ``subject``...); staff see the
    #: account too.
    by: str
    details: dict[str, Any]


class EvidenceOut(BaseModel):
    id: int
    file_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    url: str


class NoticeOut(BaseModel):
    id: int
    kind: str
    issued_at: datetime
    due_on: date | None
    url: str = Field(description="The notice as an HTML document the applicant can open")


class ObjectionSummary(BaseModel):
    id: int
    subject_id: int
    state: str
    ground: str
    channel: str
    received_at: datetime
    record_ids: list[int]
    provider_id: int | None
    repeat_of: int | None
    next_due: DeadlineOut | None = None
    overdue: bool = False


class ObjectionOut(ObjectionSummary):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 7,
                    "subject_id": 3,
                    "state": "labelled",
                    "ground": "error",
                    "channel": "web",
                    "received_at": "2026-11-26T02:00:00Z",
                    "record_ids": [12],
                    "provider_id": None,
                    "repeat_of": None,
                    "applicant": "重庆某某建材有限公司",
                    "agent": None,
                    "statement": "罚款金额有误，应为2000元。",
                    "deadlines": [],
                    "events": [],
                    "evidence": [],
                    "notices": [],
                    "actions": ["self_review", "transfer", "decline", "status_notice"],
                    "stopped_records": [],
                }
            ]
        }
    )

    applicant: str
    agent: str | None
    statement: str
    deadlines: list[DeadlineOut]
    events: list[EventOut]
    evidence: list[EvidenceOut]
    notices: list[NoticeOut]
    actions: list[str] = Field(description="The steps the caller may take now")
    stopped_records: list[int] = Field(
        default_factory=list,
        description="D-5: records whose provision stopped at once at receipt",
    )


class DeclineIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "basis": "repeat",
                    "reasons": "同一事由已于2026年10月处理，未提供新的证据。",
                }
            ]
        }
    )

    basis: DeclineBasis = Field(description="Art. 41 para 3: repeat, or no legitimate reason")
    reasons: str = Field(min_length=1, max_length=20_000)


class TransferIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"provider_id": None}]})

    provider_id: int | None = Field(
        default=None,
        ge=1,
        le=2**63 - 1,
        description="The unit to transfer to; needed only when the records come from several",
    )


class RefileTo(BaseModel):
    """The subject a record filed in error really concerns, named by the same kind of
    identifier as the subject it was filed against."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200, description="Its name, as in the unit's documents")
    uscc: str | None = Field(default=None, max_length=32)
    citizen_id: str | None = Field(default=None, max_length=32)
    document_type: str | None = Field(default=None, max_length=48)
    document_number: str | None = Field(default=None, max_length=48)
    document_country: str | None = Field(default=None, max_length=3)


class WithdrawalIn(BaseModel):
    """Art. 19, 21, 42(1): why records are withdrawn from the subject; where they belong."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "ground": "wrong_subject",
                    "refile_to": {"uscc": "91500000MA5U3P0X1Y", "name": "重庆示例科技有限公司"},
                }
            ]
        },
    )

    ground: Literal["wrong_subject", "wrong_basis"]
    records: list[int] | None = Field(
        default=None, max_length=100, description="Some of the case's records (default: all)"
    )
    refile_to: RefileTo | None = Field(
        default=None,
        description="wrong_subject only: the subject the records concern; they are filed "
        "there as new records citing the case",
    )


class DecisionIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "outcome": "corrected",
                    "reasons": "经核实，罚款金额录入有误，已更正。",
                    "changes": {"12": {"penalty_amount": "2000"}},
                },
                {"outcome": "upheld", "reasons": "经核实，信息准确无误。", "changes": None},
            ]
        }
    )

    outcome: Outcome = Field(
        description="Art. 42: correct, supplement, stop providing, withdraw from the wrong "
        "subject, or uphold"
    )
    reasons: str = Field(min_length=1, max_length=20_000)
    changes: ChangesIn | None = Field(
        default=None,
        description="For 'corrected' and 'supplemented': per record id, the fields and their "
        "new values; each becomes a new record version citing this objection",
    )
    withdrawal: WithdrawalIn | None = Field(
        default=None, description="For 'withdrawn': the ground and, optionally, where to refile"
    )

    def withdrawal_dict(self) -> dict[str, Any] | None:
        return self.withdrawal.model_dump(exclude_none=True) if self.withdrawal else None


class UnitResultIn(DecisionIn):
    """Art. 40 para 2(2): the unit's verification result (with evidence files)."""


class PauseIn(BaseModel):
    """Art. 41 para 2; D-3: the type of work, its reason (and supporting evidence files)."""

    pause_type: Literal["inspection", "testing", "evaluation", "expert_review"]
    reason: str = Field(min_length=1, max_length=20_000)


class ReexamIn(BaseModel):
    """Art. 40 para 4: why the outcome is wrong (and evidence files)."""

    statement: str = Field(min_length=1, max_length=20_000)


class PaperReexamIn(ReexamIn):
    """Art. 40 para 4: a paper application registered by the department's staff."""

    applicant: str = Field(min_length=1, max_length=200)
    channel: Literal["desk", "mail"] = "desk"
    received_at: datetime | None = None


class CloseIn(BaseModel):
    """Art. 41 para 3: an optional note for the archive."""

    note: str | None = Field(default=None, max_length=20_000)


class ObjectionAlertOut(BaseModel):
    """D-2: what the operator is told without having to look."""

    alert_id: int
    objection_id: int
    kind: str
    raised_at: datetime
    details: dict[str, Any]
    acknowledged_by: str | None
    acknowledged_at: datetime | None


class CorrectionIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "outcome": "corrected",
                    "reasons": "复核发现处罚决定日期录入错误。",
                    "changes": {"basis.decision_date": "2026-10-16"},
                }
            ]
        }
    )

    outcome: ProactiveOutcome
    reasons: str = Field(min_length=1, max_length=20_000)
    changes: dict[str, Any] | None = None
    withdrawal: WithdrawalIn | None = Field(
        default=None,
        description="For 'withdrawn': the ground and, for the wrong subject, optionally the "
        "subject the record concerns (filed there as a new record citing the correction)",
    )


class CorrectionOut(BaseModel):
    id: int
    record_id: int
    provider_id: int | None
    outcome: str
    reasons: str
    recorded_at: datetime


class OverdueOut(BaseModel):
    objection_id: int
    step: str
    due: date
    article: str
