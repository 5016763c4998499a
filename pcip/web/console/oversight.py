"""Oversight orders in the console (Art. 53-54; issue 20.4). The development and reform
department sees the steps the platform found overdue (``pcip.establishments.oversight``, fed
by the objection deadlines) and issues an order for one, or writes one from a finding; it
records the escalation once the set period is missed or on a serious finding. Addressees (a
providing unit's staff, the platform's operator) read and answer their own orders."""

from __future__ import annotations

from typing import Any

from fastapi import Path as PathParam
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from pcip.auth.permissions import allowed, require
from pcip.errors import Forbidden, NotFound, PcipError, Unauthorized
from pcip.establishments import oversight, rules
from pcip.establishments.schemas import EscalationIn, FromStepIn, OversightOrderIn, ResponseIn
from pcip.kernel.datafiles import validate_data
from pcip.web.console.common import P, console_router, errors_of, form_values, render
from pcip.web.pages import Page, PageDep

router = console_router()
Id = PathParam(ge=1, le=2**63 - 1)


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in ("", None)}


def _page(page: Page, status_code: int = 200, **context: Any) -> HTMLResponse:
    issuer = allowed(page.principal, P.OVERSIGHT_ISSUE)
    with page.platform.transaction() as s:
        steps = oversight.overdue_steps(s, page.principal) if issuer else []
        orders = oversight.orders(s, page.principal)
    context.setdefault("values", {})
    context.setdefault("errors", {})
    context.setdefault("target", None)
    return render(
        page,
        "console/oversight.html",
        status_code=status_code,
        issuer=issuer,
        steps=steps,
        orders=orders,
        department=rules.period("department_correction"),
        platform_period=rules.period("platform_correction"),
        **context,
    )


@router.get("/oversight")
def index(page: PageDep) -> HTMLResponse:
    require(page.principal, P.OVERSIGHT_RESPOND)
    return _page(page)


@router.post("/oversight")
async def issue(page: PageDep, request: Request) -> Response:
    """An order for an overdue step (``source_key``) or written from a finding."""
    require(page.principal, P.OVERSIGHT_ISSUE)
    values = form_values(await request.form())

    def run() -> Response:
        try:
            with page.platform.transaction() as s:
                if values.get("source_key"):
                    body = validate_data(FromStepIn, _clean(values), field="form")
                    oversight.issue_from_step(s, page.principal, body)
                else:
                    data = _clean({k: v for k, v in values.items() if k != "source_key"})
                    oversight.issue(
                        s, page.principal, validate_data(OversightOrderIn, data, field="form")
                    )
        except (Unauthorized, Forbidden):
            raise
        except PcipError as exc:
            target = values.get("source_key") or "new"
            return _page(page, status_code=422, values=values, errors=errors_of(exc), target=target)
        return RedirectResponse("/console/oversight", status_code=303)

    return await run_in_threadpool(run)


@router.post("/oversight/{order_id}/response")
async def respond(page: PageDep, request: Request, order_id: int = Id) -> Response:
    """The addressee's response (Art. 53-54)."""
    require(page.principal, P.OVERSIGHT_RESPOND)
    return await _act(page, request, order_id, "response")


@router.post("/oversight/{order_id}/escalation")
async def escalate(page: PageDep, request: Request, order_id: int = Id) -> Response:
    """The D&R department's escalation after a missed period or on a serious finding."""
    require(page.principal, P.OVERSIGHT_ISSUE)
    return await _act(page, request, order_id, "escalation")


async def _act(page: Page, request: Request, order_id: int, action: str) -> Response:
    values = form_values(await request.form())

    def run() -> Response:
        try:
            with page.platform.transaction() as s:
                if action == "response":
                    body = validate_data(ResponseIn, _clean(values), field="form")
                    oversight.respond(s, page.principal, order_id, body)
                else:
                    esc = validate_data(EscalationIn, _clean(values), field="form")
                    oversight.escalate(s, page.principal, order_id, esc)
        except (Unauthorized, Forbidden):
            raise
        except NotFound as exc:
            if exc.field == "order_id":
                raise
            return _page(
                page, status_code=422, values=values, errors=errors_of(exc), target=order_id
            )
        except PcipError as exc:
            return _page(
                page, status_code=422, values=values, errors=errors_of(exc), target=order_id
            )
        return RedirectResponse("/console/oversight", status_code=303)

    return await run_in_threadpool(run)
