"""API shapes of reports and their verification (Art. 29)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ReportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"lang": "zh"}]})

    #: The language the report is printed in.
    lang: Literal["zh", "en"] = Field("zh", examples=["zh"])


class ReportOut(BaseModel):
    number: str
    subject_id: int
    mode: str
    channel: str
    requester: str
    inquiry_id: int
    authorization_id: int | None
    period_from: date
    period_to: date
    issued_at: datetime
    #: Art. 29: always 0; there is no payment step.
    fee: int = Field(0, ge=0, le=0)
    content_sha256: str
    pdf_sha256: str
    key_id: str
    signature: str
    verify_url: str


class ReportContentOut(ReportOut):
    content: dict[str, object]


class Verification(BaseModel):
    """Whether a report is genuine and unaltered, and why not when it is not."""

    genuine: bool
    #: ``genuine``, ``unknown_number``, ``unknown_file``, ``content_altered``, ``pdf_altered``,
    #: ``signature_invalid``.
    code: str
    message: str
    number: str | None = None
    issued_at: datetime | None = None
    subject_name: str | None = None
    mode: str | None = None
    key_id: str | None = None


class PublicKeyOut(BaseModel):
    algorithm: Literal["Ed25519"] = "Ed25519"
    key_id: str
    public_key_pem: str
    #: Raw 32-byte public key, base64.
    public_key_b64: str
