"""The console's objection queues (Art. 40): the operator's queue with its alerts (D-2), the
unit's inbox of transferred cases (Art. 40 para 2(2)) and the department's re-examinations
(Art. 40 para 4), each the most urgent first.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import require
from pcip.doors.api_common import IdPath, SessionDep
from pcip.objections import alerts, tracking
from pcip.web.console import data
from pcip.web.console.common import (
    P,
    console_router,
    render,
)
from pcip.web.i18n import N_
from pcip.web.pages import Page, PageDep

router = console_router()


def _queue_page(
    page: Page,
    session: Session,
    pick: Callable[[list[tracking.Case]], list[tracking.Case]],
    focus: str | None,
    title: str,
    intro: str,
) -> HTMLResponse:
    cases = pick(tracking.queue(session, clock.today()))
    rows = data.queue_rows(cases, data.provider_names(session), focus)
    shown = alerts.list_alerts(session, open_only=True) if focus is None else []
    return render(
        page,
        "console/queue.html",
        alerts=shown,
        rows=rows,
        figures=data.counts(rows),
        title=title,
        intro=intro,
        focus=focus,
    )


@router.get("/objections")
def queue(page: PageDep, session: SessionDep) -> HTMLResponse:
    """Art. 40: every open case, the most urgent first, with days left and overdue marks."""
    require(page.principal, P.OBJECTION_HANDLE)
    return _queue_page(
        page,
        session,
        lambda cases: cases,
        None,
        N_("Objection queue"),
        N_("Open objections, the earliest deadline first (Art. 40; working days, D-1)."),
    )


@router.post("/objections/alerts/{alert_id}/acknowledge")
def acknowledge_alert(alert_id: IdPath, page: PageDep) -> Response:
    """D-2: the operator records that it saw an alert (audited)."""
    require(page.principal, P.OBJECTION_HANDLE)
    with page.platform.transaction() as s:
        alerts.acknowledge(s, page.principal, alert_id)
    return page.redirect("/console/objections", flash=N_("The alert is acknowledged."))


@router.get("/inbox")
def inbox(page: PageDep, session: SessionDep) -> HTMLResponse:
    """Art. 40 para 2(2): open cases transferred to the visitor's providing unit."""
    require(page.principal, P.OBJECTION_TRANSFERRED)
    unit = page.principal.provider_id
    assert unit is not None
    return _queue_page(
        page,
        session,
        lambda cases: data.unit_cases(cases, unit),
        "pu_handling",
        N_("Transferred objections"),
        N_(
            "Objections the platform transferred to your unit: confirm receipt, verify the "
            "records and return the result within 3 working days of receipt "
            "(Art. 40 para 2(2))."
        ),
    )


@router.get("/reexaminations")
def reexaminations(page: PageDep, session: SessionDep) -> HTMLResponse:
    """Art. 40 para 4: re-examinations waiting for the development and reform department."""
    require(page.principal, P.OBJECTION_REEXAMINE)
    return _queue_page(
        page,
        session,
        data.reexam_cases,
        "reexam",
        N_("Re-examinations"),
        N_(
            "Applications for re-examination, to be decided within 3 working days of receipt "
            "(Art. 40 para 4)."
        ),
    )
