"""Credit pledges in the console (Art. 26; issue 20 point 3): the pledges made to the unit, and
the unit's finding on each: kept, or broken with the basis document number of the record the
unit submits for the breach (``pcip.pledges.service.record_performance`` checks the rest)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from pcip.auth.permissions import require
from pcip.errors import Forbidden, PcipError, Unauthorized
from pcip.pledges import service
from pcip.web.console.common import P, console_router, errors_of, form_values, render
from pcip.web.i18n import N_
from pcip.web.pages import Page, PageDep
from pcip.web.restoration import MATTERS, PLEDGE_STATUS

router = console_router()
PATH = "/console/pledges"


def _index(page: Page, status_code: int = 200, **context: Any) -> HTMLResponse:
    require(page.principal, P.PLEDGE_TRACK)
    with page.platform.transaction() as s:
        rows = service.unit_pledges(s, page.principal)
    context.setdefault("values", {})
    context.setdefault("errors", {})
    context.setdefault("failed", None)
    return render(
        page,
        "console/pledges.html",
        status_code=status_code,
        rows=rows,
        MATTERS=MATTERS,
        PLEDGE_STATUS=PLEDGE_STATUS,
        **context,
    )


@router.get("/pledges")
def index(page: PageDep) -> HTMLResponse:
    return _index(page)


@router.post("/pledges/{pledge_id}/performance")
async def performance(page: PageDep, request: Request, pledge_id: int) -> Response:
    require(page.principal, P.PLEDGE_TRACK)
    values = form_values(await request.form())

    def run() -> Response:
        try:
            with page.platform.transaction() as s:
                service.record_performance(
                    s,
                    page.principal,
                    pledge_id,
                    outcome=str(values.get("outcome", "")),
                    finding=str(values.get("finding", "")),
                    record_reference=str(values.get("record_reference", "")),
                )
        except (Unauthorized, Forbidden):
            raise
        except PcipError as exc:
            return _index(
                page, status_code=422, values=values, errors=errors_of(exc), failed=pledge_id
            )
        return page.redirect(PATH, flash=N_("The finding was recorded."))

    return await run_in_threadpool(run)
