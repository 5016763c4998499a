"""Proactive corrections (Art. 42 para 3): a providing unit (its own records only) or the
operator corrects, supplements or stops providing a record without any objection, through
``pcip.objections.corrections.proactive_correct``."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from pcip.auth.permissions import require
from pcip.doors.api_common import IdPath, SessionDep
from pcip.errors import Forbidden, PcipError, Unauthorized, ValidationError
from pcip.objections import history
from pcip.objections.codes import WITHDRAWAL_GROUNDS
from pcip.objections.corrections import PROACTIVE_OUTCOMES, proactive_correct
from pcip.records.queries import versions_newest_first
from pcip.web.console import data
from pcip.web.console.cases import REFILE_ID_TYPES, STEP_FIELDS, withdrawal_form
from pcip.web.console.common import P, console_router, errors_of, form_values, render, text
from pcip.web.i18n import N_, current_locale
from pcip.web.pages import Page, PageDep

router = console_router()


@router.get("/records")
def search(page: PageDep, session: SessionDep, request: Request) -> HTMLResponse:
    """Find a record by its basis document number (or id); a unit finds only its own."""
    require(page.principal, P.RECORD_CORRECT)
    q = request.query_params.get("q", "").strip()
    hits: list[data.RecordHit] = []
    errors: dict[str, str] = {}
    if q:
        try:
            hits = data.find_records(session, q, provider_id=page.principal.provider_id)
        except ValidationError as exc:
            errors = errors_of(exc)
    return render(
        page,
        "console/records.html",
        status_code=422 if errors else 200,
        q=q,
        hits=hits,
        values={"q": q},
        errors=errors,
    )


def _record_page(
    page: Page,
    record_id: int,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    with page.platform.transaction() as s:
        panel = data.unit_record(s, record_id, page.principal.provider_id)
        subject = data.subject_view(s, panel.subject_id)
        versions = versions_newest_first(s, record_id)
        # Who recorded each version, worded (issue 19.3): never the log's ``provider:<uscc>``.
        recorders = history.actors(s, (v.recorded_by for v in versions), current_locale())
    return render(
        page,
        "console/record.html",
        status_code=status_code,
        panel=panel,
        subject=subject,
        versions=versions,
        recorders=recorders,
        outcomes=PROACTIVE_OUTCOMES,
        withdrawal_grounds=WITHDRAWAL_GROUNDS,
        refile_id_types=REFILE_ID_TYPES,
        values=values if values is not None else {"outcome": "corrected"},
        errors=errors or {},
    )


@router.get("/records/{record_id}")
def record(record_id: IdPath, page: PageDep) -> HTMLResponse:
    """The record's current version and history, with the correction form."""
    require(page.principal, P.RECORD_CORRECT)
    return _record_page(page, record_id)


@router.post("/records/{record_id}")
async def correct(record_id: IdPath, page: PageDep, request: Request) -> Response:
    """Art. 42 para 3: apply a correction; the new version (or the stop) cites its case."""
    require(page.principal, P.RECORD_CORRECT)
    form = await request.form()
    values = form_values(form)

    def run() -> None:
        with page.platform.transaction() as s:
            panel = data.unit_record(s, record_id, page.principal.provider_id)
            changes = data.field_changes(form, [panel]).get(record_id)
            proactive_correct(
                s,
                page.principal,
                record_id,
                outcome=text(form, "outcome"),
                reasons=text(form, "reasons"),
                changes=changes,
                withdrawal=withdrawal_form(form),
            )

    try:
        await run_in_threadpool(run)
    except (Unauthorized, Forbidden):
        raise
    except PcipError as exc:
        if exc.field == "record_id":
            raise
        errors = errors_of(exc, aliases=STEP_FIELDS, record_id=record_id)
        status = exc.http_status
        return await run_in_threadpool(
            lambda: _record_page(page, record_id, values=values, errors=errors, status_code=status)
        )
    return page.redirect(f"/console/records/{record_id}", flash=N_("The correction is recorded."))
