"""Complaints and legal cases in the console (Art. 46; issue 17.4): the operator's queue of
open complaints with their working-day deadlines and the next handling step; reconsideration
and litigation cases recorded and linked to the records, listings and measure applications
they concern, their outcome, and a decision suspending a measure (the measures otherwise stay
in force). Every rule is in ``pcip.complaints``; these routes only read forms.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError as PydanticError
from starlette.concurrency import run_in_threadpool

from pcip.auth.permissions import require
from pcip.complaints import cases, service
from pcip.complaints.schemas import CaseDecisionIn, CaseIn, StepIn, SuspensionIn
from pcip.doors.api_common import IdPath
from pcip.errors import Forbidden, PcipError, Unauthorized, ValidationError
from pcip.kernel.messages import msg
from pcip.web.console.common import (
    P,
    console_router,
    errors_of,
    form_values,
    render,
    schema_refusal,
)
from pcip.web.i18n import N_
from pcip.web.labels import Words
from pcip.web.pages import Page, PageDep

router = console_router()
PATH = "/console/complaints"

CATEGORIES = {
    "collection": N_("Collection of credit information"),
    "disclosure": N_("Disclosure of credit information"),
    "use": N_("Use of credit information"),
    "bundled_consent": N_("Bundled or coerced consent"),
    "market_dispute": N_("Dispute over market credit information"),
}
STEPS = Words("complaint_state", "staff")
DEADLINES = {"accept": N_("Decide whether to accept"), "answer": N_("Written answer")}
CASE_KINDS = {
    "reconsideration": N_("Administrative reconsideration"),
    "litigation": N_("Litigation"),
}
OUTCOMES = {
    "upheld": N_("Upheld"),
    "revoked": N_("Revoked"),
    "changed": N_("Changed"),
    "dismissed": N_("Dismissed"),
    "withdrawn": N_("Withdrawn"),
}
SUSPENSION_KINDS = {"suspended": N_("Suspended"), "lifted": N_("Suspension lifted")}


def _page(page: Page, status_code: int = 200, **context: Any) -> HTMLResponse:
    with page.platform.transaction() as s:
        queue = [service.out(s, c) for c in service.queue(s, page.principal)]
        legal = [cases.out(s, c) for c in cases.cases(s, page.principal)]
    context.setdefault("values", {})
    context.setdefault("errors", {})
    context.setdefault("failed", None)
    return render(
        page,
        "console/complaints.html",
        status_code=status_code,
        queue=queue,
        legal=legal,
        CATEGORIES=CATEGORIES,
        STEPS=STEPS,
        DEADLINES=DEADLINES,
        CASE_KINDS=CASE_KINDS,
        OUTCOMES=OUTCOMES,
        SUSPENSION_KINDS=SUSPENSION_KINDS,
        **context,
    )


@router.get("/complaints")
def complaints(page: PageDep) -> HTMLResponse:
    require(page.principal, P.COMPLAINT_HANDLE)
    return _page(page)


def _ids(value: Any, field: str) -> list[int]:
    out = []
    for part in str(value or "").replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 0 < int(part) < 2**63:
            raise ValidationError(msg("console.not_a_number", value=repr(part)), field=field)
        out.append(int(part))
    return out


def _model(model: Any, raw: dict[str, Any]) -> Any:
    try:
        return model.model_validate(raw)
    except PydanticError as exc:
        raise schema_refusal(exc) from None


async def _run(page: Page, request: Request, action: Any, failed: str, flash: str) -> Response:
    require(page.principal, P.COMPLAINT_HANDLE)
    values = form_values(await request.form())

    def run() -> Response:
        try:
            with page.platform.transaction() as s:
                action(s, values)
        except (Unauthorized, Forbidden):
            raise
        except PcipError as exc:
            return _page(page, status_code=422, values=values, errors=errors_of(exc), failed=failed)
        return page.redirect(PATH, flash=flash)

    return await run_in_threadpool(run)


def _blank(values: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: str(values.get(k, "")).strip() or None for k in keys}


@router.post("/complaints/{complaint_id}/step")
async def step(page: PageDep, request: Request, complaint_id: IdPath) -> Response:
    def act(s: Any, values: dict[str, Any]) -> None:
        body = _model(StepIn, {k: v for k, v in _blank(values, "step", "note", "on").items() if v})
        service.step(s, page.principal, complaint_id, body)

    return await _run(page, request, act, f"complaint-{complaint_id}", N_("The step was recorded."))


@router.post("/complaints/cases")
async def record_case(page: PageDep, request: Request) -> Response:
    def act(s: Any, values: dict[str, Any]) -> None:
        raw = {
            k: v
            for k, v in _blank(
                values,
                "kind",
                "subject_id",
                "case_number",
                "body",
                "act",
                "filed_on",
                "complaint_id",
            ).items()
            if v
        }
        raw["record_ids"] = _ids(values.get("record_ids"), "record_ids")
        raw["designation_ids"] = _ids(values.get("designation_ids"), "designation_ids")
        raw["application_ids"] = _ids(values.get("application_ids"), "application_ids")
        cases.record_case(s, page.principal, _model(CaseIn, raw))

    return await _run(page, request, act, "case", N_("The case was recorded."))


@router.post("/complaints/cases/{case_id}/decision")
async def decide(page: PageDep, request: Request, case_id: IdPath) -> Response:
    def act(s: Any, values: dict[str, Any]) -> None:
        raw = {
            k: v for k, v in _blank(values, "outcome", "on", "document_number", "note").items() if v
        }
        cases.decide(s, page.principal, case_id, _model(CaseDecisionIn, raw))

    return await _run(page, request, act, f"case-{case_id}", N_("The outcome was recorded."))


@router.post("/complaints/cases/{case_id}/suspension")
async def suspend(page: PageDep, request: Request, case_id: IdPath) -> Response:
    def act(s: Any, values: dict[str, Any]) -> None:
        raw = {
            k: v
            for k, v in _blank(
                values,
                "kind",
                "application_id",
                "designation_id",
                "effective_on",
                "document_number",
                "document_issuer",
                "document_date",
            ).items()
            if v
        }
        cases.suspend(s, page.principal, case_id, _model(SuspensionIn, raw))

    return await _run(page, request, act, f"case-{case_id}", N_("The decision was recorded."))
