"""Providing units: upload a batch file, watch it being applied, read the ledger, download the
rejected rows (Art. 16, 19-23). The pipeline is the one ``pcip ingest`` and the API use."""

from __future__ import annotations

import io
from typing import Annotated, Literal

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from pcip.auth.permissions import Principal, require
from pcip.doors.api_common import MAX_ID, IdPath, SessionDep
from pcip.doors.http_guard import UPLOAD_BODY
from pcip.errors import NotFound, ValidationError
from pcip.kernel.messages import Either, msg
from pcip.providers.queries import provider_by_id
from pcip.providers.service import provider_items
from pcip.records.queries import rejected_preview
from pcip.records.reports import get_batch, write_rejected
from pcip.web.console import data
from pcip.web.console.common import P, console_router, errors_of, form_values, render, text
from pcip.web.console.uploads import UploadJob, UploadJobs
from pcip.web.pages import Page, PageDep

router = console_router()
FORMATS = ("", "csv", "jsonl", "xlsx")
#: Rejected rows shown on a batch's page (all of them are in the download).
PREVIEW_ROWS = 50


def _unit(principal: Principal) -> int:
    assert principal.provider_id is not None  # BATCH_* are providing units' permissions
    return principal.provider_id


def _jobs(page: Page) -> UploadJobs:
    app = page.request.app
    jobs: UploadJobs | None = getattr(app.state, "console_uploads", None)
    if jobs is None:
        jobs = UploadJobs(
            page.platform.settings.home / "uploads", getattr(app.state, "shared", None)
        )
        app.state.console_uploads = jobs
    return jobs


def _items(page: Page) -> list[str]:
    with page.platform.transaction() as s:
        return provider_items(s, provider_by_id(s, _unit(page.principal)))


def _item_names(page: Page) -> dict[str, tuple[str, str]]:
    """The unit's items with their names (zh, en), for the upload form's choices."""
    from pcip.catalog.service import items_in_force

    with page.platform.transaction() as s:
        codes = provider_items(s, provider_by_id(s, _unit(page.principal)))
        found = items_in_force(s)
        return {c: (found[c].name_zh, found[c].name_en) if c in found else (c, c) for c in codes}


def _ledger(page: Page, before: int | None) -> list[data.BatchRow]:
    with page.platform.transaction() as s:
        return data.unit_batches(s, _unit(page.principal), before_id=before)


@router.get("/batches")
def ledger(
    page: PageDep,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> HTMLResponse:
    """The unit's batch ledger, newest first, and the upload form."""
    require(page.principal, P.BATCH_READ)
    return _ledger_page(page, before)


def _ledger_page(
    page: Page,
    before: int | None = None,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, object] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    rows = _ledger(page, before)
    return render(
        page,
        "console/batches.html",
        status_code=status_code,
        rows=rows,
        items=_item_names(page),
        formats=FORMATS,
        errors=errors or {},
        values=values or {},
        older=rows[-1].id if len(rows) == 50 else None,
    )


@router.post("/batches", max_body_size=UPLOAD_BODY)
async def upload(page: PageDep, request: Request) -> Response:
    """Art. 20: submit a file (CSV, JSONL or XLSX) for one of the unit's items."""
    require(page.principal, P.BATCH_SUBMIT)
    form = await request.form()
    values = form_values(form)
    item, fmt = text(form, "item"), text(form, "format")
    upload_file = form.get("file")
    errors: dict[str, str] = {}
    items = await run_in_threadpool(_items, page)
    # Issue 19.8: every field of the upload's metadata is checked before it is refused.
    if item not in items:
        errors.update(errors_of(ValidationError(msg("console.choose_item"), field="item")))
    if fmt not in FORMATS:
        errors.update(
            errors_of(
                ValidationError(
                    msg("console.choose_format", formats=Either(["csv", "jsonl", "xlsx"])),
                    field="format",
                )
            )
        )
    if not isinstance(upload_file, UploadFile) or not upload_file.filename:
        errors.update(errors_of(ValidationError(msg("console.choose_file"), field="file")))
    if errors or not isinstance(upload_file, UploadFile):
        return await run_in_threadpool(
            lambda: _ledger_page(page, errors=errors, values=values, status_code=422)
        )
    job = await run_in_threadpool(_start, page, item, upload_file, fmt)
    return page.redirect(f"/console/batches/uploads/{job.id}")


def _start(page: Page, item: str, upload_file: UploadFile, fmt: str) -> UploadJob:
    with page.platform.transaction() as s:
        uscc = provider_by_id(s, _unit(page.principal)).uscc
    return _jobs(page).start(
        page.platform,
        page.principal.actor,
        provider_id=_unit(page.principal),
        provider_uscc=uscc,
        item=item,
        file_name=upload_file.filename or "upload",
        data=upload_file.file,
        fmt=fmt or None,
    )


def _job(page: Page, job_id: str) -> UploadJob:
    require(page.principal, P.BATCH_SUBMIT)
    job = _jobs(page).get(job_id, _unit(page.principal))
    if job is None:
        raise NotFound(msg("console.no_upload"))
    return job


@router.get("/batches/uploads/{job_id}")
def upload_page(job_id: str, page: PageDep) -> HTMLResponse:
    """The upload's progress; the page polls its status until the batch is in the ledger."""
    job = _job(page, job_id)
    return render(page, "console/upload.html", job=job, batch=_batch_of(page, job))


@router.get("/batches/uploads/{job_id}/status")
def upload_status(job_id: str, page: PageDep) -> HTMLResponse:
    """The progress fragment htmx swaps in (it stops polling once the batch is finished)."""
    job = _job(page, job_id)
    return render(page, "console/_upload_status.html", job=job, batch=_batch_of(page, job))


def _batch_of(page: Page, job: UploadJob) -> data.BatchRow | None:
    if not job.finished or job.batch_id is None:
        return None
    with page.platform.transaction() as s:
        return data.batch_row(get_batch(s, job.batch_id, _unit(page.principal)))


@router.get("/batches/{batch_id}")
def batch(batch_id: IdPath, page: PageDep, session: SessionDep) -> HTMLResponse:
    """One batch: its counts, warnings, and the first rejected rows with their reasons."""
    require(page.principal, P.BATCH_READ)
    row = data.batch_row(get_batch(session, batch_id, _unit(page.principal)))
    rejected = rejected_preview(session, batch_id, PREVIEW_ROWS)
    return render(page, "console/batch.html", batch=row, rejected=rejected)


@router.get("/batches/{batch_id}/rejected")
def rejected(
    batch_id: IdPath,
    page: PageDep,
    session: SessionDep,
    format: Literal["csv", "jsonl"] = "csv",
) -> Response:
    """The rejected rows with their original columns, ``_line`` and ``_errors`` (as
    ``GET /api/v1/batches/{id}/rejected`` gives them): fix them and upload the file again."""
    require(page.principal, P.BATCH_READ)
    get_batch(session, batch_id, _unit(page.principal))
    buf = io.StringIO()
    write_rejected(session, batch_id, buf, format)
    media = "text/csv; charset=utf-8" if format == "csv" else "application/x-ndjson"
    body = ("\ufeff" + buf.getvalue()) if format == "csv" else buf.getvalue()  # BOM for Excel
    response = Response(
        body.encode(),
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="batch-{batch_id}-rejected.{format}"'
        },
    )
    page.finish(response)
    return response
