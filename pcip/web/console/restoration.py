"""Credit restoration in the console (Art. 45; issue 17): the restoration officer's queue with
its time limits and overdue alerts, a paper application registered at a service window, and
the case page where the officer is named and each step taken. Every step is a call to
``pcip.restoration.service``, which checks the permission, the owner and the state."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from pcip.auth.permissions import require
from pcip.errors import Collect, Forbidden, PcipError, Unauthorized, ValidationError
from pcip.kernel.messages import msg
from pcip.restoration import service
from pcip.web.console.common import (
    P,
    console_router,
    errors_of,
    evidence_files,
    form_values,
    parse_id,
    render,
)
from pcip.web.i18n import N_
from pcip.web.pages import Page, PageDep
from pcip.web.restoration import CHANNELS, DEADLINES, STATES, STEPS

router = console_router()

PATH = "/console/restoration"
#: The steps a form may take (msgids for their buttons), and which each state offers.
ACTIONS = {
    "officer": N_("Name the restoration officer"),
    "accept": N_("Accept for review"),
    "not-accept": N_("Do not accept"),
    "request-materials": N_("Request further materials"),
    "approve": N_("Approve the restoration"),
    "reject": N_("Do not restore"),
}
OFFERED = {
    "submitted": ("officer", "not-accept"),
    "assigned": ("accept", "not-accept", "officer"),
    "under_review": ("approve", "reject", "request-materials", "officer"),
    "materials_requested": ("reject", "officer"),
}
ALERTS = {
    "acceptance_overdue": N_("Acceptance overdue"),
    "result_overdue": N_("Result overdue"),
}


def _words() -> dict[str, Any]:
    return {
        "STATES": STATES,
        "STEPS": STEPS,
        "DEADLINES": DEADLINES,
        "ACTIONS": ACTIONS,
        "OFFERED": OFFERED,
        "ALERTS": ALERTS,
        "CHANNELS": CHANNELS,
    }


def _index(page: Page, status_code: int = 200, **context: Any) -> HTMLResponse:
    require(page.principal, P.RESTORATION_HANDLE)
    with page.platform.transaction() as s:
        cases = service.queue(s, page.principal)
        alerts = service.alerts(s, page.principal)
    context.setdefault("values", {})
    context.setdefault("errors", {})
    context.setdefault("possible_from", None)
    return render(
        page,
        "console/restoration.html",
        status_code=status_code,
        cases=cases,
        alerts=alerts,
        **_words(),
        **context,
    )


@router.get("/restoration")
def index(page: PageDep) -> HTMLResponse:
    return _index(page)


@router.post("/restoration")
async def register(page: PageDep, request: Request) -> Response:
    """A paper application received at a service window (with its signed pledge)."""
    require(page.principal, P.RESTORATION_REGISTER)
    form = await request.form()
    values = form_values(form)
    files = await evidence_files(form, "proof")

    def run() -> Response:
        try:
            # Issue 19.8: every field is checked before the form is refused.
            problems = Collect()
            record_id = None
            with problems:
                record_id = parse_id(str(values.get("record_id", "")), "record_id")
                if record_id is None:
                    raise ValidationError(N_("enter the record number"), field="record_id")
            if values.get("pledge") != "yes":
                with problems:
                    raise ValidationError(
                        N_("the applicant must sign the credit pledge"), field="pledge"
                    )
            if problems.failed:
                with problems:
                    service.check_fields(
                        str(values.get("correction", "")),
                        str(values.get("applicant_name", "")),
                        files,
                    )
            problems.raise_any()
            assert record_id is not None
            with page.platform.transaction() as s:
                a = service.apply(
                    s,
                    page.principal,
                    subject_id=service.subject_of_record(s, record_id),
                    record_id=record_id,
                    correction=str(values.get("correction", "")),
                    files=files,
                    applicant_name=str(values.get("applicant_name", "")),
                    authorised=values.get("authorised") == "yes",
                    files_dir=page.platform.settings.files_dir,
                )
                case_id = a.id
        except (Unauthorized, Forbidden):
            raise
        except PcipError as exc:
            possible = getattr(exc, "possible_from", None)
            return _index(
                page, status_code=422, values=values, errors=errors_of(exc), possible_from=possible
            )
        return page.redirect(f"{PATH}/{case_id}", flash=N_("The application was registered."))

    return await run_in_threadpool(run)


def _detail(page: Page, case_id: int, status_code: int = 200, **context: Any) -> HTMLResponse:
    with page.platform.transaction() as s:
        case = service.get(s, page.principal, case_id)
    context.setdefault("values", {})
    context.setdefault("errors", {})
    context.setdefault("failed", None)
    return render(
        page,
        "console/restoration_case.html",
        status_code=status_code,
        case=case,
        can_act=service.may_handle(page.principal, case.application),
        **_words(),
        **context,
    )


@router.get("/restoration/{restoration_id}")
def detail(page: PageDep, restoration_id: int) -> HTMLResponse:
    require(page.principal, P.RESTORATION_HANDLE)
    return _detail(page, restoration_id)


def _take(page: Page, s: Any, case_id: int, step: str, values: dict[str, Any]) -> None:
    who = page.principal
    text = {k: str(values.get(k, "")) for k in ("officer", "reasons", "remedies", "what")}
    if step == "officer":
        service.assign(s, who, case_id, text["officer"])
    elif step == "accept":
        service.accept(s, who, case_id)
    elif step == "not-accept":
        service.not_accept(s, who, case_id, text["reasons"], text["remedies"])
    elif step == "request-materials":
        service.request_materials(s, who, case_id, text["what"])
    elif step == "approve":
        service.approve(s, who, case_id, text["reasons"])
    elif step == "reject":
        service.reject(s, who, case_id, text["reasons"], text["remedies"])
    else:
        raise ValidationError(msg("console.no_step", step=repr(step)), field="step")


@router.post("/restoration/{restoration_id}/step/{step}")
async def step(page: PageDep, request: Request, restoration_id: int, step: str) -> Response:
    require(page.principal, P.RESTORATION_HANDLE)
    values = form_values(await request.form())

    def run() -> Response:
        try:
            with page.platform.transaction() as s:
                _take(page, s, restoration_id, step, values)
        except (Unauthorized, Forbidden):
            raise
        except PcipError as exc:
            return _detail(
                page,
                restoration_id,
                status_code=422,
                values=values,
                errors=errors_of(exc),
                failed=step,
            )
        return page.redirect(f"{PATH}/{restoration_id}", flash=N_("The step was recorded."))

    return await run_in_threadpool(run)
