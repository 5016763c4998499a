"""What the pledge doors send and answer (Art. 26, 18(6))."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from pcip.pledges.service import SELF_DECLARED, PledgeView

#: Ids are 64-bit integers (BIGINT): a larger number is refused before any lookup.
MAX_ID = 2**63 - 1


class TextOut(BaseModel):
    matter: str
    version: int
    title_zh: str
    title_en: str
    text_zh: str
    text_en: str
    citation: str


class PledgeIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"matter": "administrative_matter", "concerning": "食品经营许可告知承诺"}]
        },
    )

    matter: str = Field(max_length=32)
    concerning: str | None = Field(default=None, max_length=2000)
    provider_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class PledgeOut(BaseModel):
    id: int
    subject_id: int
    matter: str
    text_version: int
    text_zh: str
    text_en: str
    citation: str
    concerning: str | None
    provider_id: int | None
    channel: str
    made_on: date
    #: open, kept or broken.
    status: str
    finding: str | None = None
    record_reference: str | None = None


class PerformanceIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "outcome": "broken",
                    "finding": "承诺期限内未补正材料",
                    "record_reference": "渝市监罚〔2026〕88号",
                }
            ]
        },
    )

    outcome: str = Field(pattern="^(kept|broken)$")
    finding: str = Field(min_length=1, max_length=4000)
    record_reference: str | None = Field(default=None, max_length=100)
    on: date | None = None


class DeclarationIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"kind": "credential", "title": "ISO 9001 质量管理体系认证", "content": "证书编号"}
            ]
        },
    )

    kind: str = Field(max_length=32)
    title: str = Field(max_length=200)
    content: str = Field(max_length=4000)


class DeclarationOut(BaseModel):
    id: int
    kind: str
    title: str
    content: str
    declared_on: date
    withdrawn_on: date | None
    pledge_id: int
    #: Art. 26: always "self_declared": never shown as a unit's record.
    label: str = SELF_DECLARED


def pledge_out(v: PledgeView) -> PledgeOut:
    p = v.pledge
    return PledgeOut(
        id=p.id,
        subject_id=p.subject_id,
        matter=p.matter,
        text_version=p.text_version,
        text_zh=p.text_zh,
        text_en=p.text_en,
        citation=p.citation,
        concerning=p.concerning,
        provider_id=p.provider_id,
        channel=p.channel,
        made_on=p.made_on,
        status=v.status,
        finding=v.performance.finding if v.performance else None,
        record_reference=v.performance.record_reference if v.performance else None,
    )
