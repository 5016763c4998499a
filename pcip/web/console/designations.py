"""Designations (SM-2; Art. 32-33, 44; issue 16) in the console: a department drafts a
designation, takes each step on its page (notice, statement on paper, response, decision,
service, listing, removal, revocation), and the operator and the development and reform
department read every one. Every step is a call to ``pcip.lists.designation``, which checks
the permission, the state and the dates itself."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError as PydanticError
from starlette.concurrency import run_in_threadpool

from pcip import clock
from pcip.auth.permissions import allowed, require
from pcip.errors import Collect, Forbidden, NotFound, PcipError, Unauthorized, ValidationError
from pcip.kernel.messages import msg
from pcip.lists import designation, types
from pcip.lists.schemas import (
    DecisionIn,
    DraftIn,
    DropIn,
    EndIn,
    PersonIn,
    ResponseIn,
    RevokeIn,
    ServiceIn,
    StatementIn,
)
from pcip.web.console.common import (
    P,
    console_router,
    errors_of,
    form_values,
    render,
    require_staff,
    schema_refusal,
)
from pcip.web.i18n import N_
from pcip.web.lists import RELATIONS, STATES
from pcip.web.pages import Page, PageDep

router = console_router()

#: The steps a form may take, in SM-2 order (msgids for their buttons).
STEPS = {
    "notice": N_("Record the notice served"),
    "statement": N_("Register a statement received on paper"),
    "response": N_("Answer the statement"),
    "drop": N_("Drop the designation"),
    "decision": N_("Decide"),
    "decision-service": N_("Record the decision served"),
    "listing": N_("List"),
    "removal": N_("Remove from the list"),
    "revocation": N_("Revoke (Art. 44)"),
}
#: Which steps the page offers in each state (the service decides whether they may happen).
OFFERED = {
    "draft": ("notice", "drop"),
    "objection_window": ("statement", "drop"),
    "window_lapsed": ("statement", "decision", "drop"),
    "statement_received": ("response", "decision"),
    "responded": ("decision", "drop"),
    "decided": ("decision-service", "revocation"),
    "decision_served": ("listing", "revocation"),
    "listed": ("removal", "revocation"),
}
SERVICE_METHODS = {
    "in_person": N_("In person"),
    "post": N_("By post"),
    "electronic": N_("Electronically"),
    "public_announcement": N_("By public announcement"),
}
CAUSES = {
    "basis_revoked": N_("The basis document was revoked"),
    "reconsideration": N_("Administrative reconsideration"),
    "court_judgment": N_("Court judgment"),
    "unit_correction": N_("Corrected by the unit"),
}


def _words() -> dict[str, Any]:
    return {
        "STATES": STATES,
        "RELATIONS": RELATIONS,
        "STEPS": STEPS,
        "OFFERED": OFFERED,
        "SERVICE_METHODS": SERVICE_METHODS,
        "CAUSES": CAUSES,
    }


def _index(page: Page, status_code: int = 200, **context: Any) -> HTMLResponse:
    with page.platform.transaction() as s:
        rows = [designation.out(s, d) for d in designation.mine(s, page.principal)]
    context.setdefault("values", {})
    context.setdefault("errors", {})
    context.setdefault("failed", None)
    platform_types = [types.out(t) for t in types.all_types() if t.origin == "platform"]
    return render(
        page,
        "console/designations.html",
        status_code=status_code,
        rows=rows,
        list_types=platform_types,
        **_words(),
        **context,
    )


@router.get("/designations")
def index(page: PageDep) -> HTMLResponse:
    return _index(page)


def _pydantic(exc: PydanticError) -> ValidationError:
    return schema_refusal(exc)


def _opt(values: dict[str, Any], key: str) -> str | None:
    text = str(values.get(key, "")).strip()
    return text or None


@router.post("/designations")
async def create(page: PageDep, request: Request) -> Response:
    require(page.principal, P.LIST_DESIGNATE)
    values = form_values(await request.form())

    def run() -> Response:
        try:
            try:
                body = DraftIn(
                    list_type=str(values.get("list_type", "")),
                    uscc=_opt(values, "uscc"),
                    citizen_id=_opt(values, "citizen_id"),
                    name=str(values.get("name", "")).strip(),
                    case_ref=str(values.get("case_ref", "")).strip(),
                    facts=str(values.get("facts", "")).strip(),
                    grounds=str(values.get("grounds", "")).strip(),
                    basis=str(values.get("basis", "")).strip(),
                    conduct_end_date=_opt(values, "conduct_end_date"),
                )
            except PydanticError as exc:
                raise _pydantic(exc) from None
            with page.platform.transaction() as s:
                d = designation.draft(s, page.platform.keyring, page.principal, body)
                did = d.id
        except (Unauthorized, Forbidden):
            raise
        except PcipError as exc:
            return _index(page, status_code=422, values=values, errors=errors_of(exc))
        return page.redirect(
            f"/console/designations/{did}", flash=N_("The designation was drafted.")
        )

    return await run_in_threadpool(run)


def _detail(page: Page, did: int, status_code: int = 200, **context: Any) -> HTMLResponse:
    with page.platform.transaction() as s:
        d = designation.out(s, designation.get(s, page.principal, did))
    context.setdefault("values", {})
    context.setdefault("errors", {})
    context.setdefault("failed", None)
    return render(
        page,
        "console/designation.html",
        status_code=status_code,
        d=d,
        can_act=allowed(page.principal, P.LIST_DESIGNATE),
        can_revoke=allowed(page.principal, P.LIST_REVOKE),
        **_words(),
        **context,
    )


@router.get("/designations/{designation_id}")
def detail(page: PageDep, designation_id: int) -> HTMLResponse:
    require_staff(page.principal)
    return _detail(page, designation_id)


def _service_in(values: dict[str, Any]) -> ServiceIn:
    return ServiceIn(
        served_on=_opt(values, "served_on") or clock.today().isoformat(),
        method=str(values.get("method", "")),
        proof=str(values.get("proof", "")).strip(),
    )


def _take(page: Page, s: Any, did: int, step: str, values: dict[str, Any]) -> None:
    who, ring = page.principal, page.platform.keyring
    if step == "notice":
        designation.serve_notice(s, who, did, _service_in(values))
    elif step == "statement":
        designation.file_statement(
            s,
            who,
            did,
            StatementIn(
                text=str(values.get("text", "")).strip(),
                received_on=_opt(values, "received_on"),
            ),
        )
    elif step == "response":
        designation.respond(
            s,
            who,
            did,
            ResponseIn(
                outcome=str(values.get("outcome", "")),
                reasons=str(values.get("reasons", "")).strip(),
            ),
        )
    elif step == "drop":
        designation.drop(s, who, did, DropIn(reason=str(values.get("reason", "")).strip()))
    elif step == "decision":
        persons = []
        if _opt(values, "person_citizen_id"):
            persons.append(
                PersonIn(
                    citizen_id=str(values["person_citizen_id"]).strip(),
                    name=str(values.get("person_name", "")).strip(),
                    role=str(values.get("person_role", "legal_representative")),
                )
            )
        removal, remedies = str(values.get("removal", "")), str(values.get("remedies", ""))
        problems = Collect()
        try:
            body = DecisionIn(
                decision_number=str(values.get("decision_number", "")).strip(),
                measures=str(values.get("measures", "")).strip(),
                removal=removal.strip(),
                remedies=remedies.strip(),
                persons=persons,
            )
        except PydanticError as exc:
            schema_refusal(exc, problems=problems)
        # Issue 19.8: the sections the service requires are named with the schema's errors.
        designation.check_sections(removal, remedies, problems)
        designation.decide(s, ring, who, did, body)
    elif step == "decision-service":
        designation.serve_decision(s, who, did, _service_in(values))
    elif step == "listing":
        designation.list_subject(s, who, did)
    elif step == "removal":
        designation.remove(s, who, did, EndIn(reason=str(values.get("reason", "")).strip()))
    elif step == "revocation":
        designation.revoke(
            s,
            who,
            did,
            RevokeIn(
                reason=str(values.get("reason", "")).strip(),
                cause=str(values.get("cause", "")),
            ),
        )
    else:
        raise NotFound(msg("console.no_step", step=repr(step)), field="step")


@router.post("/designations/{designation_id}/step/{step}")
async def take_step(page: PageDep, request: Request, designation_id: int, step: str) -> Response:
    require_staff(page.principal)
    values = form_values(await request.form())

    def run() -> Response:
        try:
            with page.platform.transaction() as s:
                try:
                    _take(page, s, designation_id, step, values)
                except PydanticError as exc:
                    raise _pydantic(exc) from None
        except (Unauthorized, Forbidden, NotFound):
            raise
        except PcipError as exc:
            return _detail(
                page,
                designation_id,
                status_code=exc.http_status,
                values=values,
                errors=errors_of(exc),
                failed=step,
            )
        return page.redirect(
            f"/console/designations/{designation_id}", flash=N_("The step was recorded.")
        )

    return await run_in_threadpool(run)
