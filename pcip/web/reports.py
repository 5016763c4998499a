"""Credit reports on the web (Art. 29): the subject requests and downloads its free report
(``/me/reports``); anyone checks a report on the public verification page (``/verify``), by
its number or by uploading the PDF. The pages call ``pcip.reports.service``, as the API does.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, File, Form, Path, UploadFile
from fastapi.responses import HTMLResponse, Response

from pcip.auth.permissions import Permission, require
from pcip.doors.api_common import Router, SessionDep
from pcip.errors import PcipError
from pcip.inquiry.api import public_rate_limit
from pcip.inquiry.schemas import Channel
from pcip.reports import service
from pcip.reports.api import UPLOAD_LIMIT
from pcip.web.i18n import N_
from pcip.web.pages import PageDep, form_errors

router = Router()
#: Art. 28: the public verification page is throttled per client like the portal's lookups.
Throttled = [Depends(public_rate_limit)]
NumberPath = Annotated[str, Path(min_length=4, max_length=32, pattern=r"^[A-Za-z0-9]+$")]


def _base(page: PageDep) -> str:
    return str(page.request.base_url)


@router.get("/me/reports", response_class=HTMLResponse)
def my_reports(page: PageDep, session: SessionDep) -> HTMLResponse:
    """Art. 29: my free reports, and the reports third parties requested about me."""
    reports = service.mine(session, page.principal)
    return page.render("subject/reports.html", reports=reports)


@router.post("/me/reports", response_class=HTMLResponse)
def request_report(
    page: PageDep, session: SessionDep, lang: Annotated[str, Form(max_length=2)] = "zh"
) -> Response:
    """Art. 29: issue my report now (a self inquiry, logged)."""
    report = service.issue_self(
        session,
        page.principal,
        Channel.WEB,
        base_url=_base(page),
        lang=lang if lang in ("zh", "en") else "zh",
    )
    return page.redirect(f"/me/reports#report-{report.number}", flash=N_("Your report was issued."))


@router.get("/me/reports/{number}", response_class=HTMLResponse)
def report_page(page: PageDep, session: SessionDep, number: NumberPath) -> HTMLResponse:
    report = service.get(session, page.principal, number)
    lang = "en" if page.locale.startswith("en") else "zh"
    return HTMLResponse(service.html_of(report, _base(page), lang))


@router.get("/me/reports/{number}/pdf")
def report_pdf(page: PageDep, session: SessionDep, number: NumberPath) -> Response:
    report = service.get(session, page.principal, number)
    return Response(
        report.pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{report.number}.pdf"'},
    )


@router.get("/verify", response_class=HTMLResponse, dependencies=Throttled)
def verify_page(page: PageDep, session: SessionDep, number: str = "") -> HTMLResponse:
    """Art. 29: is a report genuine and unaltered? By number (also the QR code's link)."""
    require(page.principal, Permission.REPORT_VERIFY)
    result = None
    errors: dict[str, str] = {}
    number = number.strip()[:32]
    if number:
        try:
            result = service.verify_number(session, page.principal, number)
        except PcipError as exc:
            errors = form_errors(exc)
    return page.render(
        "portal/verify.html",
        status_code=422 if errors else 200,
        result=result,
        errors=errors,
        values={"number": number},
        key=service.public_key(),
    )


@router.post(
    "/verify", response_class=HTMLResponse, max_body_size=UPLOAD_LIMIT, dependencies=Throttled
)
def verify_upload(
    page: PageDep,
    session: SessionDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> HTMLResponse:
    """Art. 29: is this PDF, byte for byte, a report the platform issued?"""
    require(page.principal, Permission.REPORT_VERIFY)
    errors: dict[str, str] = {}
    result = None
    data = file.file.read(service.MAX_UPLOAD + 1) if file is not None and file.filename else b""
    try:
        result = service.verify_pdf(session, page.principal, data)
    except PcipError as exc:
        errors = form_errors(exc)
    return page.render(
        "portal/verify.html",
        status_code=422 if errors else 200,
        result=result,
        errors=errors,
        values={"number": ""},
        key=service.public_key(),
    )
