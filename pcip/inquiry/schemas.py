"""The shapes of inquiries and their answers (Art. 22, 39), shared by the API, CLI and web."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pcip.kernel.enums import InquiryMode
from pcip.lists.schemas import OwnListingOut


class Channel(StrEnum):
    """Art. 22: the website, mobile clients, service desks; and system-to-system API calls."""

    WEB = "web"
    MOBILE = "mobile"
    DESK = "desk"
    API = "api"


class PurposeCode(StrEnum):
    """Why a department reads (Art. 22 duty purpose; Art. 30 administrative uses)."""

    ADMINISTRATIVE_MANAGEMENT = "administrative_management"
    PUBLIC_SERVICES = "public_services"
    SECTOR_ASSESSMENT = "sector_assessment"
    TIERED_SUPERVISION = "tiered_supervision"
    CREDIT_CHECK = "credit_check"
    LAW_ENFORCEMENT = "law_enforcement"
    OTHER_DUTY = "other_duty"


class ReasonOut(BaseModel):
    code: str
    article: str
    message: str
    #: The day it took effect (e.g. the removal date), where it has one.
    day: date | None = None
    #: The providing unit's own words with it (e.g. the removal reason).
    detail: str | None = None


class BasisOut(BaseModel):
    """Art. 21: the document a negative record rests on."""

    doc_type: str
    number: str
    issuer: str
    decision_date: date
    effective_date: date | None


class Provenance(BaseModel):
    """Art. 20: who provided the record, when, and against which catalog item version."""

    provider_uscc: str
    provider_name: str
    batch_id: int | None
    received_at: datetime | None
    source_sha256: str | None = None
    catalog_version: str
    recorded_at: datetime


class RecordOut(BaseModel):
    record_id: int
    version: int
    item_code: str
    item_name_zh: str
    item_name_en: str
    scope_category: int
    polarity: str
    info_class: str
    #: Field code -> value, with what this mode may not see masked (Art. 27).
    fields: dict[str, Any]
    #: "under_objection" (Art. 41) and, in the subject's own view, why a record is no longer
    #: provided (e.g. "inquiry_period_ended", Art. 43, D-6).
    labels: list[str]
    notes: list[ReasonOut]
    basis: BasisOut | None
    provenance: Provenance


class ModeStatus(BaseModel):
    visible: bool
    reasons: list[ReasonOut]


class Change(BaseModel):
    field: str
    old: Any
    new: Any


class VersionOut(BaseModel):
    version: int
    recorded_at: datetime
    #: Why the version exists, in English (pcip.records.reasons).
    reason: str
    #: The same, coded, when the platform composed it (a decision's message and the staff's
    #: note): ``{"key", "params", "note"}``, so that a client can word it in its language.
    reason_code: dict[str, Any] | None = None
    cause_type: str | None
    cause_id: int | None
    batch_id: int | None
    changes: list[Change]


class OwnRecordOut(RecordOut):
    """Art. 39: the subject's own record with its status in each mode and its history."""

    disclosure: dict[str, ModeStatus]
    history: list[VersionOut]


class SubjectOut(BaseModel):
    subject_id: int
    kind: str
    #: A natural person's name is masked in public disclosure.
    name: str
    #: USCC for organisations; a masked identifier for natural persons.
    identifier: str | None


class InquiryResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "inquiry_id": 41,
                    "mode": "public_disclosure",
                    "on": "2026-11-27",
                    "subject": {
                        "subject_id": 7,
                        "kind": "legal_person",
                        "name": "重庆示例科技有限公司",
                        "identifier": "91500000MA5U3P0X1Y",
                    },
                    "records": [],
                }
            ]
        }
    )

    #: The inquiry log entry written with this answer (Art. 22); None if nothing was held.
    inquiry_id: int | None
    mode: InquiryMode
    on: date
    subject: SubjectOut | None
    records: list[RecordOut]


class OwnInquiryResult(BaseModel):
    inquiry_id: int
    mode: Literal[InquiryMode.SELF] = InquiryMode.SELF
    on: date
    subject: SubjectOut
    records: list[OwnRecordOut]
    #: Art. 33, 39: the subject's listings and the linked records naming it (issue 16).
    listings: list[OwnListingOut] = Field(default_factory=list)


class OrganisationHit(BaseModel):
    subject_id: int
    kind: str
    name: str
    uscc: str | None
    registration_no: str | None
    former_names: list[str]


class SubjectRef(BaseModel):
    """How staff and the public name a subject: a USCC, or a person's exact identifier."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"uscc": "91500000MA5U3P0X1Y"}]},
    )

    uscc: str | None = Field(default=None, max_length=32)
    registration_no: str | None = Field(default=None, max_length=32)
    citizen_id: str | None = Field(default=None, max_length=32)
    document_type: str | None = Field(default=None, max_length=48)
    document_number: str | None = Field(default=None, max_length=48)
    document_country: str | None = Field(default=None, max_length=3)

    @model_validator(mode="after")
    def _one(self) -> SubjectRef:
        given = [
            n
            for n in ("uscc", "registration_no", "citizen_id", "document_number")
            if getattr(self, n)
        ]
        if len(given) != 1:
            raise ValueError(
                "name the subject by exactly one of uscc, registration_no, citizen_id or "
                "document_number (with document_type)"
            )
        return self


class PersonLookup(BaseModel):
    """Art. 22 public disclosure of a natural person: only by the exact identifier."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"citizen_id": "500101199003071238"}]},
    )

    citizen_id: str | None = Field(default=None, max_length=32)
    document_type: str | None = Field(default=None, max_length=48)
    document_number: str | None = Field(default=None, max_length=48)
    document_country: str | None = Field(default=None, max_length=3)

    @model_validator(mode="after")
    def _one(self) -> PersonLookup:
        if bool(self.citizen_id) == bool(self.document_number):
            raise ValueError("give either citizen_id or document_type and document_number")
        return self


class AuthorityInquiry(BaseModel):
    """Art. 22(2): providing-unit staff, for a stated duty purpose, within relevant items."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "subject": {"uscc": "91500000MA5U3P0X1Y"},
                    "purpose_code": "credit_check",
                    "purpose": "资质审批前信用核查 (credit check before a permit decision)",
                }
            ]
        },
    )

    subject: SubjectRef
    purpose_code: PurposeCode
    #: Required and meaningful: placeholders ("test", "查询", "无"...) are refused
    #: (``pcip.inquiry.purpose``).
    purpose: str = Field(
        max_length=500,
        description="The duty the inquiry serves, in words: at least 4 Chinese characters or "
        "8 letters; placeholders such as 'test', '查询', '无' are refused",
    )
    #: What was disclosable on a past day (None: today).
    as_of: date | None = None
    #: Within the unit's inquiry scope (none given: the whole scope; Art. 22(2)).
    items: list[str] | None = Field(default=None, max_length=100)
    categories: list[int] | None = Field(default=None, max_length=8)
    #: D-26: why a law keeps this inquiry confidential, one of
    #: ``pcip.inquiry.confidential.REASONS`` (the subject then sees only that the unit
    #: inquired, and when).
    confidential_reason: str | None = Field(
        default=None,
        max_length=64,
        description="criminal_investigation, supervision_investigation or "
        "administrative_penalty_investigation (D-26)",
    )


class AuthorizedInquiry(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"authorization_id": 12}]}
    )

    authorization_id: int = Field(ge=1, le=2**63 - 1)


class AuthorizationIn(BaseModel):
    """Art. 22 and 39: a separate, revocable authorization of one organisation."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "grantee_uscc": "91500000MA5U3P0X1Y",
                    "purpose": "个人经营贷款审批 (business loan assessment)",
                    "channels": ["api"],
                    "categories": [2],
                    "valid_to": "2027-05-31",
                }
            ]
        },
    )

    grantee_uscc: str = Field(max_length=32)
    purpose: str = Field(min_length=4, max_length=200)
    channels: list[Channel] = Field(min_length=1, max_length=4)
    items: list[str] = Field(default_factory=list, max_length=100)
    categories: list[int] = Field(default_factory=list, max_length=8)
    valid_from: date | None = None
    valid_to: date


class AuthorizationOut(BaseModel):
    authorization_id: int
    subject_id: int
    subject_name: str
    grantee_uscc: str
    grantee_name: str
    purpose: str
    channels: list[str]
    items: list[str]
    categories: list[int]
    valid_from: date
    valid_to: date
    granted_at: datetime
    revoked_at: datetime | None
    #: active, not_yet_valid, expired or revoked (derived from dates, Art. 22).
    status: str


class InquiryLogEntry(BaseModel):
    """Art. 39: one inquiry about me: who, when, how, why.

    D-26: an inquiry a law keeps confidential says only that the unit inquired, and when
    (``withheld`` true; mode, channel, purpose and records are not given).
    """

    inquiry_id: int
    at: datetime
    inquirer: str
    withheld: bool = False
    mode: str | None
    channel: str | None
    purpose: str | None
    records_returned: int | None
    authorization_id: int | None


class ConfidentialCount(BaseModel):
    """D-26: inquiries a law keeps confidential, counted per inquiring unit."""

    inquirer: str
    count: int


class InquiryHistory(BaseModel):
    entries: list[InquiryLogEntry]
    #: The withheld entries above, counted per unit.
    confidential: list[ConfidentialCount]
    #: The subject's own views left out of ``entries`` when asked (still in the log).
    hidden_own: int = 0


class ScopeItemOut(BaseModel):
    """Art. 22(2): an item in a unit's inquiry scope, and why."""

    item_code: str
    name_zh: str
    name_en: str
    scope_category: int
    source: Literal["provides", "granted"]
    legal_basis: str
    grant_id: int | None
    granted_by: str | None


class ScopeGrantIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "item_code": "tax_arrears",
                    "legal_basis": "《重庆市社会信用条例》第三十四条：行政审批前查询欠税信息",
                }
            ]
        },
    )

    item_code: str = Field(max_length=64)
    legal_basis: str = Field(max_length=1000, description="The provision assigning the duty")


class ScopeRevokeIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "审批职责已划转"}]}
    )

    reason: str = Field(max_length=1000)


class ScopeGrantOut(BaseModel):
    grant_id: int
    provider_uscc: str
    item_code: str
    legal_basis: str
    granted_by: str
    granted_at: datetime
    revoked_by: str | None
    revoked_at: datetime | None
    revoke_reason: str | None


class ConfidentialReasonOut(BaseModel):
    """D-26: a reason for keeping an authority inquiry confidential, with its provision."""

    code: str
    name_zh: str
    name_en: str
    citation: str
    #: The provision in English (the law's official English title).
    citation_en: str


class ScopeOut(BaseModel):
    provider_id: int
    provider_uscc: str
    provider_name: str
    items: list[ScopeItemOut]
    grants: list[ScopeGrantOut]


class AlertOut(BaseModel):
    alert_id: int
    inquirer: str
    inquirer_display: str
    window_start: datetime
    count: int
    threshold: int
    raised_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None
