"""Shapes of the list types (the data file) and of the lists API (Art. 32-33, 44)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class ListField(StrEnum):
    """Art. 32 para 1: the five fields a serious-untrustworthy list may cover."""

    LIFE_HEALTH = "life_health"  # (1) serious harm to life and health
    FAIR_COMPETITION = "fair_competition"  # (2) fair competition or social order
    STATUTORY_OBLIGATIONS = "statutory_obligations"  # (3) refusing statutory obligations
    NATIONAL_DEFENSE = "national_defense_obligation"  # (4), D-13
    OTHER_PER_STATE = "other_per_state"  # (5) other cases the state provides


class BasisKind(StrEnum):
    NATIONAL_LAW = "national_law"
    ADMINISTRATIVE_REGULATION = "administrative_regulation"
    JUDICIAL_INTERPRETATION = "judicial_interpretation"
    NATIONAL_RULE = "national_rule"
    LOCAL_REGULATION = "local_regulation"


class Citation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: BasisKind
    title: str = Field(min_length=4, max_length=200)
    article: str = Field(min_length=1, max_length=200)


class ListTypeSpec(BaseModel):
    """One list type as the data file declares it (Art. 32, D-10)."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^[a-z][a-z0-9_]{2,47}$")
    name_zh: str = Field(min_length=2, max_length=100)
    name_en: str = Field(min_length=2, max_length=200)
    #: ``serious``: a list of seriously untrustworthy entities (Art. 32); ``anomaly``: an
    #: operating-anomaly list, a reminder list that punishes nothing by itself.
    kind: Literal["serious", "anomaly"]
    field: ListField | None
    scope: Literal["national", "local"]
    #: ``platform``: designated on this platform through SM-2; ``imported``: decided
    #: elsewhere (a court, a national authority) and imported as files.
    origin: Literal["platform", "imported"]
    designation_standard: str = Field(min_length=10)
    removal_conditions: list[str] = Field(min_length=1)
    removal_procedure: str = Field(min_length=10)
    remedies: str = Field(min_length=10)
    #: D-10: "the time provided" for the subject's statement, in working days (D-1).
    statement_period_working_days: int | None = Field(default=None, ge=1, le=60)
    statement_period_basis: str = ""
    #: How long a listing lasts unless removed earlier (None: until removed).
    listing_years: int | None = Field(default=None, ge=1, le=10)
    early_removal_after_years: int | None = Field(default=None, ge=1, le=10)
    #: Art. 44, D-9: the time limit for stopping publicity after a revocation.
    revocation_working_days: int | None = Field(default=None, ge=1, le=60)
    revocation_basis: str = ""
    #: Whether the public may see natural persons on this list (Art. 22, 32 para 3).
    persons_public: bool
    organisations_only: bool
    legal_basis: list[Citation]
    status: Literal["active", "draft"]

    @model_validator(mode="after")
    def _rules(self) -> ListTypeSpec:
        # Art. 32 para 1: a serious list declares its field; an anomaly list has none.
        if self.kind == "serious" and self.field is None:
            raise ValueError("field: a serious-untrustworthy list type must declare its field")
        if self.kind == "anomaly" and self.field is not None:
            raise ValueError("field: an operating-anomaly list is not an Art. 32 list")
        if not self.legal_basis:
            raise ValueError("legal_basis: a list type needs its legal basis")
        if self.status == "active":
            # Art. 32 para 2: a local list type rests on a local regulation.
            if self.scope == "local" and not any(
                c.kind is BasisKind.LOCAL_REGULATION for c in self.legal_basis
            ):
                raise ValueError(
                    "legal_basis: a local list type cannot be activated without a "
                    "local-regulation citation (Art. 32)"
                )
            # D-10: designated here, so the statement period must be configured.
            if self.origin == "platform" and self.statement_period_working_days is None:
                raise ValueError(
                    "statement_period_working_days: a list type designated on the platform "
                    "cannot be activated without the statement period (D-10)"
                )
        if self.persons_public and self.organisations_only:
            raise ValueError("persons_public: this list holds organisations only")
        return self


class ListTypesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    note: str = ""
    types: list[ListTypeSpec]


class ListTypeOut(BaseModel):
    code: str
    name_zh: str
    name_en: str
    kind: str
    field: str | None
    scope: str
    origin: str
    designation_standard: str
    removal_conditions: list[str]
    removal_procedure: str
    remedies: str
    statement_period_working_days: int | None
    listing_years: int | None
    legal_basis: list[Citation]


# --- designation (SM-2) ----------------------------------------------------------------------


class PersonIn(BaseModel):
    """Art. 33: a person responsible for the organisation, named in the decision."""

    model_config = ConfigDict(extra="forbid")

    citizen_id: str = Field(max_length=32)
    name: str = Field(min_length=1, max_length=100)
    role: Literal["legal_representative", "principal", "actual_controller", "other_direct"]


class DraftIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "list_type": "serious_illegal_untrustworthy",
                    "uscc": "91500000MA5U3P0X1Y",
                    "name": "重庆某某食品有限公司",
                    "case_ref": "渝市监信〔2026〕1号",
                    "facts": "生产销售不符合食品安全标准的食品",
                    "grounds": "性质恶劣、情节严重、社会危害较大",
                    "basis": "《市场监督管理严重违法失信名单管理办法》第五条",
                    "conduct_end_date": "2026-09-30",
                }
            ]
        },
    )

    list_type: str = Field(min_length=1, max_length=48)
    uscc: str | None = Field(default=None, max_length=32)
    citizen_id: str | None = Field(default=None, max_length=32)
    name: str = Field(min_length=1, max_length=200)
    case_ref: str = Field(min_length=1, max_length=100)
    facts: str = Field(min_length=1, max_length=4000)
    grounds: str = Field(min_length=1, max_length=4000)
    basis: str = Field(min_length=1, max_length=2000)
    conduct_end_date: date | None = None


class ServiceIn(BaseModel):
    """Proof of service of a notice or decision (Art. 32 para 3)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"served_on": "2026-11-26", "method": "post", "proof": "EMS 1100 2233 4455"}
            ]
        },
    )

    served_on: date
    method: Literal["in_person", "post", "electronic", "public_announcement"]
    proof: str = Field(min_length=1, max_length=500)


class StatementIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"text": "已全额退款并整改，请求不予列入。"}]},
    )

    text: str = Field(min_length=1, max_length=4000)
    received_on: date | None = None


class ResponseIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"outcome": "rejected", "reasons": "退款不影响违法事实的认定"}]
        },
    )

    outcome: Literal["upheld", "rejected"]
    reasons: str = Field(min_length=1, max_length=4000)


class DecisionIn(BaseModel):
    """Art. 32 para 3: the written decision's sections."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "decision_number": "渝市监列严〔2026〕1号",
                    "measures": "列入严重违法失信名单并公示，实施重点监管",
                    "removal": "列入满一年可申请提前移出；公示满三年移出",
                    "remedies": "六十日内申请行政复议，或六个月内提起行政诉讼",
                    "persons": [],
                }
            ]
        },
    )

    decision_number: str = Field(min_length=1, max_length=100)
    measures: str = Field(min_length=1, max_length=4000)
    removal: str = Field(default="", max_length=4000)
    remedies: str = Field(default="", max_length=4000)
    persons: list[PersonIn] = Field(default_factory=list, max_length=50)


class EndIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"reason": "已履行全部义务并纠正违法行为（办法第二十条）"}]
        },
    )

    reason: str = Field(min_length=1, max_length=2000)
    on: date | None = None


class RevokeIn(EndIn):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"cause": "court_judgment", "reason": "法院判决撤销所依据的行政处罚"}]
        },
    )

    #: Art. 44: what revoked or changed the basis.
    cause: Literal["basis_revoked", "reconsideration", "court_judgment", "unit_correction"]


class DropIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "事实不清，证据不足"}]}
    )

    reason: str = Field(min_length=1, max_length=2000)


class EventOut(BaseModel):
    kind: str
    on: date
    by: str
    details: dict[str, object]


class LinkedPersonOut(BaseModel):
    role: str
    name: str
    identifier: str


class DesignationOut(BaseModel):
    id: int
    list_type: str
    list_name: str
    state: str
    subject_id: int
    subject_name: str
    subject_identifier: str
    origin: str
    deciding_authority: str
    case_ref: str
    decision_number: str | None
    facts: str
    grounds: str
    basis: str
    notice_served_on: date | None
    statement_due: date | None
    statement_due_provisional: bool
    statement_received_on: date | None
    statement_late: bool | None
    decided_on: date | None
    listed_on: date | None
    listed_until: date | None
    ended_on: date | None
    end_kind: str | None
    removal_conditions: list[str]
    removal_procedure: str
    remedies: str
    persons: list[LinkedPersonOut]
    events: list[EventOut]


class PublicEntryOut(BaseModel):
    """What the public sees of one listing (Art. 22, 32)."""

    designation_id: int
    name: str
    identifier: str
    deciding_authority: str
    decision_number: str | None
    listed_on: date
    listed_until: date | None


class PublicListOut(BaseModel):
    list_type: ListTypeOut
    on: date
    total: int
    entries: list[PublicEntryOut]


class OwnListingOut(BaseModel):
    """The subject's own view (Art. 39): its listings and the linked records naming it."""

    designation_id: int
    list_type: str
    list_name: str
    #: ``listed``: the subject itself is on the list; a role: named in an organisation's
    #: listing (Art. 33).
    relation: str
    organisation: str | None
    state: str
    listed_on: date | None
    listed_until: date | None
    ended_on: date | None
    deciding_authority: str
    removal_conditions: list[str]
    removal_procedure: str
    remedies: str
    #: D-7: until when a linked record is provided (5 years after the conduct ended).
    provided_until: date | None = None


class ImportSummary(BaseModel):
    import_id: int | None
    list_type: str
    file_name: str
    already_imported: bool
    accepted: int
    unchanged: int
    ended: int
    rejected: int
    errors: list[dict[str, object]]
