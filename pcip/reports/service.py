"""Issuing, reading and verifying credit reports (Art. 29; Art. 22 inquiry log).

A report is the answer of an inquiry in its mode: ``issue_self`` calls the self inquiry
(``pcip.inquiry.service.own``), ``issue_authorized`` the authorized inquiry
(``pcip.inquiry.service.authorized``); each checks its permission and writes the inquiry log
entry, so the request shows in the subject's "who looked" list (Art. 39). The report adds the
sections, the number, the PDF and the Ed25519 signature, and an audit row, in the same
transaction. Free (Art. 29): there is no fee field other than 0 and no payment step.
"""

from __future__ import annotations

import base64
import re
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, Principal, require
from pcip.errors import NotFound, ValidationError
from pcip.inquiry import service as inquiry
from pcip.inquiry.schemas import Channel
from pcip.kernel import audit
from pcip.kernel.enums import ActorKind, InquiryMode
from pcip.kernel.keys import signing as keys
from pcip.kernel.messages import msg
from pcip.reports import content as report_content
from pcip.reports import render, signing
from pcip.reports.models import CreditReport
from pcip.reports.schemas import PublicKeyOut, ReportOut, Verification
from pcip.reports.sections import ReportContext
from pcip.subjects.models import Subject

ARTICLE = "Art. 29"
FORMAT = "pcip-credit-report/1"
#: The largest PDF the verification page accepts (a report is well under 1 MB).
MAX_UPLOAD = 10 * 1024 * 1024
NUMBER = re.compile(r"^CR\d{8}[A-Z2-9]{8}$")
_NUMBER_IN_FILE = re.compile(rb"CR\d{8}[A-Z2-9]{8}")
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_number(on: datetime) -> str:
    return "CR" + on.strftime("%Y%m%d") + "".join(secrets.choice(_ALPHABET) for _ in range(8))


# --- issuing ---------------------------------------------------------------------------------


def issue_self(
    session: Session,
    principal: Principal,
    channel: Channel,
    *,
    base_url: str,
    lang: str = "zh",
) -> CreditReport:
    """Art. 29: the subject's own report (self inquiry, Art. 22, 39)."""
    result = inquiry.own(session, principal, channel)
    records = [r.model_dump(mode="json") for r in result.records]
    return _issue(
        session,
        principal,
        mode=InquiryMode.SELF,
        channel=channel,
        subject_id=result.subject.subject_id,
        subject=result.subject.model_dump(mode="json"),
        records=records,
        inquiry_id=result.inquiry_id,
        authorization_id=None,
        base_url=base_url,
        lang=lang,
    )


def issue_authorized(
    session: Session,
    principal: Principal,
    authorization_id: int,
    channel: Channel,
    *,
    base_url: str,
    lang: str = "zh",
) -> CreditReport:
    """Art. 29, 38: a third party's report under the subject's authorization (Art. 22)."""
    result = inquiry.authorized(session, principal, authorization_id, channel)
    assert result.subject is not None and result.inquiry_id is not None
    return _issue(
        session,
        principal,
        mode=InquiryMode.AUTHORIZED,
        channel=channel,
        subject_id=result.subject.subject_id,
        subject=result.subject.model_dump(mode="json"),
        records=[r.model_dump(mode="json") for r in result.records],
        inquiry_id=result.inquiry_id,
        authorization_id=authorization_id,
        base_url=base_url,
        lang=lang,
    )


def _issue(
    session: Session,
    principal: Principal,
    *,
    mode: InquiryMode,
    channel: Channel,
    subject_id: int,
    subject: dict[str, Any],
    records: list[dict[str, Any]],
    inquiry_id: int,
    authorization_id: int | None,
    base_url: str,
    lang: str,
) -> CreditReport:
    now = clock.now()
    on = clock.today()
    number = new_number(now)
    ctx = ReportContext(session, subject_id, mode.value, on, records)
    period_from, period_to = report_content.period_of(records, on)
    requester_display = (
        "本人 (the subject)" if mode is InquiryMode.SELF else (principal.organisation or "—")
    )
    key_id = signing.key_id()
    doc: dict[str, Any] = {
        "format": FORMAT,
        "number": number,
        "issued_at": now.isoformat(),
        "regulation": report_content.REGULATION,
        "fee": 0,
        "mode": mode.value,
        "channel": channel.value,
        "requester": requester_display,
        "inquiry_id": inquiry_id,
        "authorization_id": authorization_id,
        "period": {"from": period_from.isoformat(), "to": period_to.isoformat()},
        "subject": subject,
        "records": records,
        "sections": report_content.build_sections(ctx),
        "key_id": key_id,
    }
    pdf = render.pdf(doc, base_url=base_url, lang=lang)
    content_sha = signing.sha256(signing.canonical(doc))
    pdf_sha = signing.sha256(pdf)
    signature = signing.sign(
        signing.manifest(number, doc["issued_at"], content_sha, pdf_sha, key_id)
    )
    report = CreditReport(
        number=number,
        subject_id=subject_id,
        mode=mode.value,
        channel=channel.value,
        requester=str(principal.actor),
        requester_display=requester_display[:200],
        inquiry_id=inquiry_id,
        authorization_id=authorization_id,
        period_from=period_from,
        period_to=period_to,
        issued_at=now,
        fee=0,
        content=doc,
        content_sha256=content_sha,
        pdf=pdf,
        pdf_sha256=pdf_sha,
        key_id=key_id,
        signature=signature,
    )
    session.add(report)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "report.issued",
        object_type="credit_report",
        object_id=number,
        article=ARTICLE,
        details={
            "mode": mode.value,
            "subject_id": subject_id,
            "inquiry_id": inquiry_id,
            "records": len(records),
            "pdf_sha256": pdf_sha,
        },
    )
    return report


# --- reading ---------------------------------------------------------------------------------


def _may_read(principal: Principal, report: CreditReport) -> bool:
    """The requester reads a report; the subject reads every report about itself."""
    if principal.anonymous:
        return False
    if principal.role is ActorKind.SUBJECT and principal.subject_id == report.subject_id:
        return True
    return report.requester == str(principal.actor)


def get(session: Session, principal: Principal, number: str) -> CreditReport:
    """A report its requester (or its subject) may download; anyone else is told it does not
    exist (its existence is none of their business)."""
    if principal.anonymous:
        require(principal, Permission.SELF_INQUIRY)  # 401: sign in
    report = session.scalar(select(CreditReport).where(CreditReport.number == number.strip()))
    if report is None or not _may_read(principal, report):
        raise NotFound(msg("reports.no_report", number=number), field="number")
    return report


def mine(session: Session, principal: Principal) -> list[CreditReport]:
    """Art. 29, 39: every report about the subject (its own and third parties')."""
    require(principal, Permission.SELF_INQUIRY)
    return list(
        session.scalars(
            select(CreditReport)
            .where(CreditReport.subject_id == principal.subject_id)
            .order_by(CreditReport.id.desc())
        )
    )


def out(report: CreditReport, base_url: str) -> ReportOut:
    return ReportOut(
        number=report.number,
        subject_id=report.subject_id,
        mode=report.mode,
        channel=report.channel,
        requester=report.requester_display,
        inquiry_id=report.inquiry_id,
        authorization_id=report.authorization_id,
        period_from=report.period_from,
        period_to=report.period_to,
        issued_at=report.issued_at,
        fee=report.fee,
        content_sha256=report.content_sha256,
        pdf_sha256=report.pdf_sha256,
        key_id=report.key_id,
        signature=report.signature,
        verify_url=render.verify_url(base_url, report.number),
    )


def html_of(report: CreditReport, base_url: str, lang: str = "zh") -> str:
    return render.html(report.content, base_url=base_url, lang=lang)


# --- verification (public) -------------------------------------------------------------------


def public_key() -> PublicKeyOut:
    key = signing.public_key()
    return PublicKeyOut(
        key_id=keys.fingerprint(key),
        public_key_pem=keys.public_pem(key),
        public_key_b64=base64.b64encode(keys.public_raw(key)).decode(),
    )


def check(report: CreditReport) -> Verification:
    """Art. 29: genuine only if the stored content and PDF match their digests and the
    signature over both verifies with the published key."""
    base = {
        "number": report.number,
        "issued_at": report.issued_at,
        "subject_name": str((report.content or {}).get("subject", {}).get("name") or ""),
        "mode": report.mode,
        "key_id": report.key_id,
    }
    if signing.sha256(signing.canonical(report.content)) != report.content_sha256:
        return Verification(
            genuine=False,
            code="content_altered",
            message="not genuine: the report's records differ from those it was issued with",
            **base,
        )
    if signing.sha256(report.pdf) != report.pdf_sha256:
        return Verification(
            genuine=False,
            code="pdf_altered",
            message="not genuine: the stored PDF differs from the one issued",
            **base,
        )
    issued = str(report.content.get("issued_at"))
    message = signing.manifest(
        report.number, issued, report.content_sha256, report.pdf_sha256, report.key_id
    )
    if report.key_id != signing.key_id() or not signing.verify(message, report.signature):
        return Verification(
            genuine=False,
            code="signature_invalid",
            message="not genuine: the signature does not verify with the platform's published key",
            **base,
        )
    return Verification(genuine=True, code="genuine", message="genuine and unaltered", **base)


def verify_number(session: Session, principal: Principal, number: str) -> Verification:
    require(principal, Permission.REPORT_VERIFY)
    number = number.strip().upper()
    if not NUMBER.match(number):
        raise ValidationError(
            msg("reports.number_format", prefix="CR", example="CR20261206ABCD2345"),
            field="number",
        )
    report = session.scalar(select(CreditReport).where(CreditReport.number == number))
    if report is None:
        return Verification(
            genuine=False,
            code="unknown_number",
            message="not genuine: the platform issued no report with this number",
            number=number,
        )
    return check(report)


def verify_pdf(session: Session, principal: Principal, data: bytes) -> Verification:
    """An uploaded PDF is genuine only if it is, byte for byte, a PDF the platform issued and
    that report still verifies. A changed byte gives another digest: not genuine."""
    require(principal, Permission.REPORT_VERIFY)
    if len(data) > MAX_UPLOAD:
        raise ValidationError(
            msg("reports.file_too_large", size=f"{len(data):,}", max=f"{MAX_UPLOAD:,}"),
            field="file",
        )
    if not data:
        raise ValidationError(msg("reports.file_empty"), field="file")
    if not data.startswith(b"%PDF-"):
        raise ValidationError(msg("reports.not_pdf"), field="file")
    digest = signing.sha256(data)
    report = session.scalar(select(CreditReport).where(CreditReport.pdf_sha256 == digest))
    if report is None:
        named = _NUMBER_IN_FILE.search(data)
        number = named.group().decode() if named else None
        return Verification(
            genuine=False,
            code="unknown_file",
            message=(
                f"not genuine: this file differs from report {number} as issued"
                if number
                else "not genuine: the platform issued no report with this content"
            ),
            number=number,
        )
    return check(report)


def subject_name(session: Session, subject_id: int) -> str:
    subject = session.get(Subject, subject_id)
    return subject.name if subject is not None else ""
