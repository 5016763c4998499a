"""Shapes of a basis-document change (Art. 44) and of the per-department change list."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pcip.kernel.messages import msg

#: A stored row's id (a bigint): larger numbers are refused as invalid, never stored.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class NewBasisIn(BaseModel):
    """The basis document as changed (Art. 21): the records' new versions rest on it."""

    model_config = ConfigDict(extra="forbid")

    number: str = Field(min_length=1, max_length=128)
    issuer: str = Field(min_length=1, max_length=200)
    decision_date: date
    effective_date: date | None = None
    title: str | None = Field(default=None, max_length=255)


class ChangeIn(BaseModel):
    """Art. 44: a basis document was revoked or changed, by the document registered here."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "basis_issuer": "重庆市市场监督管理局",
                    "basis_number": "渝市监〔2026〕001号",
                    "kind": "revoked",
                    "document_kind": "judgment",
                    "document_number": "（2026）渝0103行初123号",
                    "document_issuer": "重庆市渝中区人民法院",
                    "document_date": "2026-11-20",
                    "document_ref": "判决书正本存档 2026-445",
                    "reason": "法院判决撤销所依据的行政处罚决定",
                }
            ]
        },
    )

    #: The basis document, by the issuer and number the records cite.
    basis_issuer: str = Field(min_length=1, max_length=200)
    basis_number: str = Field(min_length=1, max_length=128)
    kind: Literal["revoked", "amended"]
    document_kind: Literal["unit_notice", "reconsideration", "judgment"]
    document_number: str = Field(min_length=1, max_length=128)
    document_issuer: str = Field(min_length=1, max_length=200)
    document_date: date
    document_ref: str | None = Field(default=None, max_length=500)
    reason: str = Field(min_length=1, max_length=2000)
    #: The day the records and listings stop (default: today; never before the document).
    effective_on: date | None = None
    #: Required for "amended": the basis as changed.
    new_basis: NewBasisIn | None = None
    #: Listings resting on the document besides those whose decision number it is.
    designation_ids: list[Id] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _amendment(self) -> ChangeIn:
        # The coded message rides in the error's context (``ctx["error"]``): a page words it
        # in its language; the API says its English.
        if self.kind == "amended" and self.new_basis is None:
            raise ValueError(msg("revocation.needs_new_basis"))
        if self.kind == "revoked" and self.new_basis is not None:
            raise ValueError(msg("revocation.no_new_basis"))
        return self


class ChangeItemOut(BaseModel):
    target_type: str
    target_id: int
    subject_id: int
    effect: str


class ChangeOut(BaseModel):
    id: int
    basis_id: int
    basis_number: str
    basis_issuer: str
    kind: str
    replacement_basis_id: int | None
    document_kind: str
    document_number: str
    document_issuer: str
    document_date: date
    document_name: str | None
    document_sha256: str | None
    document_ref: str | None
    effective_on: date
    reason: str
    channel: str
    recorded_at: datetime
    recorded_by: str
    items: list[ChangeItemOut]


class DepartmentChangeOut(BaseModel):
    """One change a department must apply: it received the record or listing before."""

    department: str
    change_id: int
    kind: str
    effective_on: date
    basis_number: str
    document_number: str
    document_issuer: str
    target_type: str
    target_id: int
    effect: str
    #: The inquiries (authority inquiries, credit checks) by which it received them.
    inquiry_ids: list[int]
    last_received_at: datetime
