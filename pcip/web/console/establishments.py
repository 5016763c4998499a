"""Credit service establishments in the console (Art. 47-49, 55; issue 20.4): the development
and reform department records filings, supervision, correction orders (set periods in working
days) and fines. Every rule is ``pcip.establishments``' (a fine before a missed period or
without a serious finding is refused there, naming the reason); this page only shows and asks.
"""

from __future__ import annotations

from typing import Any

from fastapi import Path as PathParam
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from pcip import clock
from pcip.auth.permissions import require
from pcip.calendar.service import work_calendar
from pcip.errors import Collect, Forbidden, NotFound, PcipError, Unauthorized, ValidationError
from pcip.establishments import filings, rules, supervision
from pcip.establishments.schemas import (
    CorrectionIn,
    CorrectionOrderIn,
    FilingIn,
    FineIn,
    SupervisionIn,
)
from pcip.kernel import vocabulary
from pcip.kernel.datafiles import validate_data
from pcip.kernel.messages import msg
from pcip.web.console.common import P, console_router, errors_of, form_values, render
from pcip.web.pages import Page, PageDep

router = console_router()
ACTIONS = ("supervision", "orders", "fines", "correction")


def _model(model: type[BaseModel], data: dict[str, Any]) -> Any:
    return validate_data(
        model, {k: v for k, v in data.items() if v not in ("", None)}, field="form"
    )


def _list(page: Page, status_code: int = 200, **context: Any) -> HTMLResponse:
    with page.platform.transaction() as s:
        rows = filings.all_filings(s, page.principal)
        overdue = supervision.orders(s, page.principal, overdue_only=True)
    context.setdefault("values", {})
    context.setdefault("errors", {})
    return render(
        page,
        "console/establishments.html",
        status_code=status_code,
        rows=rows,
        overdue=overdue,
        categories=vocabulary.codes("establishment_category"),
        **context,
    )


@router.get("/establishments")
def index(page: PageDep) -> HTMLResponse:
    require(page.principal, P.ESTABLISHMENT_SUPERVISE)
    return _list(page)


def _filing(values: dict[str, Any]) -> FilingIn:
    docs = [
        {"title": line.split("|", 1)[0].strip(), "reference": line.split("|", 1)[-1].strip()}
        for line in str(values.get("documents", "")).splitlines()
        if line.strip()
    ]
    return _model(FilingIn, {**values, "documents": docs})  # type: ignore[no-any-return]


@router.post("/establishments")
async def file(page: PageDep, request: Request) -> Response:
    require(page.principal, P.ESTABLISHMENT_SUPERVISE)
    values = form_values(await request.form())

    def run() -> Response:
        try:
            body = _filing(values)
            with page.platform.transaction() as s:
                eid = filings.file(s, page.principal, body).id
        except (Unauthorized, Forbidden):
            raise
        except PcipError as exc:
            return _list(page, status_code=422, values=values, errors=errors_of(exc))
        return RedirectResponse(f"/console/establishments/{eid}", status_code=303)

    return await run_in_threadpool(run)


def _detail(
    page: Page, establishment_id: int, status_code: int = 200, **context: Any
) -> HTMLResponse:
    with page.platform.transaction() as s:
        est = filings.get(s, establishment_id)
        cal, today = work_calendar(s), clock.today()
        orders = supervision.orders(s, page.principal, establishment_id=est.id)
        context.update(
            est=filings.out(est),
            records=supervision.supervision_of(s, est.id),
            orders=orders,
            fines=supervision.fines_of(s, est.id),
            period=rules.period("establishment_correction"),
            fine_range=rules.fine_range(),
            today=today,
            cal=cal,
        )
    context.setdefault("values", {})
    context.setdefault("errors", {})
    context.setdefault("action", None)
    return render(
        page,
        "console/establishment.html",
        status_code=status_code,
        kinds=vocabulary.codes("supervision_kind"),
        **context,
    )


Id = PathParam(ge=1, le=2**63 - 1)


@router.get("/establishments/{establishment_id}")
def detail(page: PageDep, establishment_id: int = Id) -> HTMLResponse:
    require(page.principal, P.ESTABLISHMENT_SUPERVISE)
    return _detail(page, establishment_id)


@router.post("/establishments/{establishment_id}/{action}")
async def act(page: PageDep, request: Request, action: str, establishment_id: int = Id) -> Response:
    """One step on a filed establishment: supervision, a correction order, a fine, or the
    confirmation that an order was corrected."""
    require(page.principal, P.ESTABLISHMENT_SUPERVISE)
    if action not in ACTIONS:
        raise NotFound(msg("console.no_step", step=repr(action)), field="action")
    values = form_values(await request.form())

    def run() -> Response:
        try:
            with page.platform.transaction() as s:
                who, eid = page.principal, establishment_id
                if action == "supervision":
                    data = {**values, "serious": values.get("serious") == "yes"}
                    supervision.record_supervision(s, who, eid, _model(SupervisionIn, data))
                elif action == "orders":
                    supervision.order_correction(s, who, eid, _model(CorrectionOrderIn, values))
                elif action == "fines":
                    supervision.fine(s, who, eid, _model(FineIn, values))
                else:
                    # Issue 19.8: the order and the correction are checked together.
                    problems = Collect()
                    order_id = values.get("order_id", "")
                    if not (str(order_id).isascii() and str(order_id).isdigit()):
                        with problems:
                            raise ValidationError(msg("console.choose_order"), field="order_id")
                    with problems:
                        body = _model(
                            CorrectionIn, {k: v for k, v in values.items() if k != "order_id"}
                        )
                    problems.raise_any()
                    mine = supervision.orders(s, who, establishment_id=eid)
                    if int(order_id) not in {o.id for o in mine}:
                        raise NotFound(msg("console.no_order_here"), field="order_id")
                    supervision.confirm_correction(s, who, int(order_id), body)
        except (Unauthorized, Forbidden):
            raise
        except PcipError as exc:
            if exc.field == "establishment_id" and isinstance(exc, NotFound):
                raise
            return _detail(
                page,
                establishment_id,
                status_code=422,
                values=values,
                errors=errors_of(exc),
                action=action,
            )
        return RedirectResponse(f"/console/establishments/{establishment_id}", status_code=303)

    return await run_in_threadpool(run)
