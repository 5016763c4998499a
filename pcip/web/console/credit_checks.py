"""Credit checks in the console (Art. 31, 34; issue 16.6, 16.8): a department checks one
subject, or a file of up to 100,000, before an administrative matter; each answer names the
list, the listing, the measure and its legal basis, and each subject checked is logged as an
authority inquiry (``pcip.measures.checks``)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError as PydanticError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from pcip.auth.permissions import require
from pcip.errors import Collect, Forbidden, PcipError, Unauthorized, ValidationError
from pcip.inquiry.schemas import Channel
from pcip.measures import checks
from pcip.measures.catalogue import MATTERS
from pcip.measures.schemas import CheckIn
from pcip.web.console.common import (
    P,
    console_router,
    errors_of,
    form_values,
    named_subject,
    render,
    schema_refusal,
    subject_field,
)
from pcip.web.i18n import N_
from pcip.web.pages import Page, PageDep

router = console_router()

MATTER_WORDS = {
    "licence": N_("Administrative licence"),
    "procurement": N_("Government procurement"),
    "subsidy": N_("Subsidy or funding"),
    "award": N_("Award selection"),
    "appointment": N_("Appointment"),
}
assert set(MATTER_WORDS) == set(MATTERS)


def _page(page: Page, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("values", {})
    context.setdefault("errors", {})
    context.setdefault("answer", None)
    context.setdefault("summary", None)
    return render(
        page,
        "console/credit_checks.html",
        status_code=status_code,
        MATTER_WORDS=MATTER_WORDS,
        **context,
    )


@router.get("/credit-checks")
def form(page: PageDep) -> HTMLResponse:
    require(page.principal, P.CREDIT_CHECK)
    return _page(page)


def _check_in(values: dict[str, Any]) -> CheckIn:
    """The check's fields, every one checked before the form is refused (issue 19.8)."""
    problems = Collect()
    subject = named_subject(values, problems)
    try:
        body = CheckIn(
            subject=subject,
            matter=str(values.get("matter", "")),
            purpose=str(values.get("purpose", "")),
        )
    except PydanticError as exc:
        raise schema_refusal(exc, subject_field, problems) from None
    problems.raise_any()
    return body


@router.post("/credit-checks")
async def check_one(page: PageDep, request: Request) -> HTMLResponse:
    require(page.principal, P.CREDIT_CHECK)
    values = form_values(await request.form())

    def run() -> HTMLResponse:
        try:
            body = _check_in(values)
            with page.platform.transaction() as s:
                answer = checks.check(s, page.platform.keyring, page.principal, body, Channel.WEB)
        except (Unauthorized, Forbidden):
            raise
        except PcipError as exc:
            return _page(page, status_code=422, values=values, errors=errors_of(exc))
        return _page(page, values=values, answer=answer)

    return await run_in_threadpool(run)


@router.post("/credit-checks/batch", response_model=None)
async def check_batch(page: PageDep, request: Request) -> Response:
    """The result file comes back as the download; errors are shown on the page."""
    require(page.principal, P.CREDIT_CHECK)
    form_data = await request.form()
    upload = form_data.get("file")
    values = {k: v for k, v in form_values(form_data).items() if k != "file"}
    data = await upload.read() if isinstance(upload, UploadFile) else b""
    name = Path(upload.filename or "batch.csv").name if isinstance(upload, UploadFile) else ""

    def run() -> Response:
        try:
            problems = Collect()
            if not data:
                with problems:
                    raise ValidationError(N_("choose a CSV or XLSX file"), field="file")
            checks.check_batch_fields(
                str(values.get("batch_matter", "")),
                str(values.get("batch_purpose", "")),
                problems,
            )
            with tempfile.TemporaryDirectory() as tmp:
                src, out = Path(tmp) / name, Path(tmp) / "result.csv"
                src.write_bytes(data)
                with page.platform.transaction() as s:
                    summary = checks.batch(
                        s,
                        page.platform.keyring,
                        page.principal,
                        src,
                        matter=str(values.get("batch_matter", "")),
                        purpose=str(values.get("batch_purpose", "")),
                        result_path=out,
                        channel=Channel.WEB,
                    )
                body = out.read_bytes()
        except (Unauthorized, Forbidden):
            raise
        except PcipError as exc:
            errors = {
                ("batch_" + k if k in ("matter", "purpose") else k): v
                for k, v in errors_of(exc).items()
            }
            return _page(page, status_code=422, values=values, errors=errors)
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": 'attachment; filename="credit-check-result.csv"',
                "X-Rows": str(summary.rows),
                "X-Listed": str(summary.listed),
                "X-Rejected": str(summary.rejected),
            },
        )

    return await run_in_threadpool(run)
