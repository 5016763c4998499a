"""The HTTP door onto credit reports (Art. 29): request, download, verify. Thin routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Depends, File, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from pcip.auth.api import ChannelDep, PrincipalDep
from pcip.doors.api_common import AUTH_RESPONSES, ERROR_RESPONSES, IdPath, Router, SessionDep
from pcip.inquiry.api import public_rate_limit
from pcip.inquiry.schemas import Channel
from pcip.reports import service
from pcip.reports.schemas import (
    PublicKeyOut,
    ReportContentOut,
    ReportOut,
    ReportRequest,
    Verification,
)

RESPONSES = {**ERROR_RESPONSES, **AUTH_RESPONSES}
#: The body is optional (an empty POST asks for a report in Chinese).
OptionalRequest = Annotated[ReportRequest | None, Body(examples=[{"lang": "zh"}])]
NumberPath = Annotated[str, Path(min_length=4, max_length=32, pattern=r"^[A-Za-z0-9]+$")]
#: The upload route accepts a little more than the service's limit (the multipart envelope),
#: so a file just over it gets the service's precise error, not the generic 413.
UPLOAD_LIMIT = service.MAX_UPLOAD + 64 * 1024

reports = Router(prefix="/reports", tags=["credit reports"], responses=RESPONSES)
#: Art. 28: verification is public, so it is throttled per client like public disclosure.
Throttled = [Depends(public_rate_limit)]
me = Router(prefix="/me/reports", tags=["credit reports"], responses=RESPONSES)


def base_url(request: Request) -> str:
    return str(request.base_url)


@me.post("", response_model=ReportOut, status_code=201)
def request_own(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    channel: ChannelDep,
    body: OptionalRequest = None,
) -> ReportOut:
    """Art. 29: my own public credit report, free (logged as a self inquiry, Art. 22, 39)."""
    body = body or ReportRequest()
    report = service.issue_self(
        session, principal, channel, base_url=base_url(request), lang=body.lang
    )
    return service.out(report, base_url(request))


@me.get("", response_model=list[ReportOut])
def my_reports(request: Request, session: SessionDep, principal: PrincipalDep) -> list[ReportOut]:
    """Art. 29, 39: every report about me (mine and those third parties requested)."""
    return [service.out(r, base_url(request)) for r in service.mine(session, principal)]


@reports.post("/authorized/{authorization_id}", response_model=ReportOut, status_code=201)
def request_authorized(
    authorization_id: IdPath,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    channel: ChannelDep,
    body: OptionalRequest = None,
) -> ReportOut:
    """Art. 29, 38: a report under a subject's authorization (logged as an authorized inquiry
    and shown in the subject's "who looked" list)."""
    body = body or ReportRequest()
    report = service.issue_authorized(
        session, principal, authorization_id, channel, base_url=base_url(request), lang=body.lang
    )
    return service.out(report, base_url(request))


@reports.get("/public-key", response_model=PublicKeyOut)
def public_key() -> PublicKeyOut:
    """The Ed25519 public key every report is signed with (anyone may check a report)."""
    return service.public_key()


@reports.get("/verify/{number}", response_model=Verification, dependencies=Throttled)
def verify_number(number: NumberPath, session: SessionDep, principal: PrincipalDep) -> Verification:
    """Art. 29: is the report with this number genuine and unaltered?"""
    return service.verify_number(session, principal, number)


@reports.post(
    "/verify", response_model=Verification, max_body_size=UPLOAD_LIMIT, dependencies=Throttled
)
def verify_file(
    session: SessionDep,
    principal: PrincipalDep,
    file: Annotated[
        UploadFile, File(description="the report's PDF, at most 10 MB", examples=["report.pdf"])
    ],
) -> Verification:
    """Art. 29: is this PDF, byte for byte, a report the platform issued?"""
    return service.verify_pdf(session, principal, file.file.read(service.MAX_UPLOAD + 1))


@reports.get("/{number}", response_model=ReportContentOut)
def report(
    number: NumberPath, request: Request, session: SessionDep, principal: PrincipalDep
) -> ReportContentOut:
    """A report's content (its requester or its subject only)."""
    r = service.get(session, principal, number)
    return ReportContentOut(**service.out(r, base_url(request)).model_dump(), content=r.content)


@reports.get("/{number}/pdf", response_class=Response)
def report_pdf(number: NumberPath, session: SessionDep, principal: PrincipalDep) -> Response:
    """The signed PDF exactly as issued (its requester or its subject only)."""
    r = service.get(session, principal, number)
    return Response(
        r.pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{r.number}.pdf"'},
    )


@reports.get("/{number}/html", response_class=HTMLResponse)
def report_html(
    number: NumberPath, request: Request, session: SessionDep, principal: PrincipalDep
) -> HTMLResponse:
    """The report as a web page (the same template as the PDF)."""
    r = service.get(session, principal, number)
    return HTMLResponse(service.html_of(r, base_url(request)))


routers = [me, reports]
__all__ = ["Channel", "routers"]
