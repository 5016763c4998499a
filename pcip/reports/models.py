"""Issued credit reports (Art. 29): the signed document, kept so anyone can verify it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from pcip.db import Base, BigId, Json, UTCDateTime


class CreditReport(Base):
    """One report as issued: its content (what the inquiry in its mode returned), the PDF,
    and the Ed25519 signature over both digests. Never changed after issue (Art. 28)."""

    __tablename__ = "credit_report"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    #: Printed on the report and its QR code: "CR" + issue day + 8 random characters.
    number: Mapped[str] = mapped_column(String(32), unique=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    #: The Art. 22 mode it was issued in: "self" or "authorized".
    mode: Mapped[str] = mapped_column(String(24))
    channel: Mapped[str] = mapped_column(String(16))
    #: Who asked (actor reference) and the name the report prints.
    requester: Mapped[str] = mapped_column(String(128), index=True)
    requester_display: Mapped[str] = mapped_column(String(200))
    #: The inquiry log entry written with it (Art. 22): the report is that inquiry's answer.
    inquiry_id: Mapped[int] = mapped_column(BigId)
    authorization_id: Mapped[int | None] = mapped_column(ForeignKey("subject_authorization.id"))
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Art. 29: free. Stored so the document states it; never anything but 0.
    fee: Mapped[int] = mapped_column(Integer, default=0)
    content: Mapped[dict[str, Any]] = mapped_column(Json)
    content_sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str] = mapped_column(String(64), index=True)
    #: Fingerprint of the public key that verifies ``signature`` (base64 Ed25519).
    key_id: Mapped[str] = mapped_column(String(16))
    signature: Mapped[str] = mapped_column(String(128))
