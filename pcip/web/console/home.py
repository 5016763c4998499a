"""The console's landing page (where staff arrive after signing in) and the dashboard."""

from __future__ import annotations

from datetime import timedelta

from fastapi.responses import HTMLResponse

from pcip import clock
from pcip.auth.permissions import allowed, require
from pcip.doors.api_common import SessionDep
from pcip.measures import queries as list_queries
from pcip.objections import tracking
from pcip.web.console import charts, data
from pcip.web.console.common import DASHBOARD, P, console_router, render, require_staff
from pcip.web.i18n import _
from pcip.web.pages import PageDep

router = console_router()


@router.get("")
def home(page: PageDep, session: SessionDep) -> HTMLResponse:
    """Staff land here: their work in numbers and the pages their role opens."""
    principal = page.principal
    require_staff(principal)
    today = clock.today()
    figures: dict[str, dict[str, int]] = {}
    batches: list[data.BatchRow] = []
    need_queue = any(
        allowed(principal, p)
        for p in (P.OBJECTION_HANDLE, P.OBJECTION_TRANSFERRED, P.OBJECTION_REEXAMINE)
    )
    cases = tracking.queue(session, today) if need_queue else []
    names = data.provider_names(session) if need_queue else {}
    if allowed(principal, P.OBJECTION_HANDLE):
        figures["queue"] = data.counts(data.queue_rows(cases, names))
    if allowed(principal, P.OBJECTION_TRANSFERRED) and principal.provider_id is not None:
        mine = data.unit_cases(cases, principal.provider_id)
        figures["inbox"] = data.counts(data.queue_rows(mine, names, focus="pu_handling"))
    if allowed(principal, P.OBJECTION_REEXAMINE):
        figures["reexam"] = data.counts(
            data.queue_rows(data.reexam_cases(cases), names, focus="reexam")
        )
    if allowed(principal, P.BATCH_READ) and principal.provider_id is not None:
        batches = data.unit_batches(session, principal.provider_id, limit=5)
    return render(page, "console/home.html", figures=figures, batches=batches, today=today)


@router.get("/dashboard")
def dashboard(page: PageDep, session: SessionDep) -> HTMLResponse:
    """Art. 28 oversight: records received, objections by state, deadlines kept, inquiries."""
    require(page.principal, DASHBOARD)
    from pcip.web.labels import staff_word

    today = clock.today()
    board = data.dashboard(session, today)
    # Issue 16.8: listings, removals, expiries, revocations and credit checks over the same
    # eight weeks as the rows received.
    lists = list_queries.counts(session, data.week_start(today) - timedelta(weeks=7), today)
    records_svg = charts.grouped_bars(
        board.records,
        title=_("Rows received per providing unit and week"),
        desc=_("Grouped bars: one group per week (its Monday), one bar per providing unit."),
    )
    states_svg = charts.horizontal_bars(
        [(staff_word("state", k), float(v)) for k, v in board.by_state],
        title=_("Objections by status"),
        desc=_("One bar per status of the objection workflow, with the number of cases."),
    )
    steps_svg = charts.stacked_shares(
        [(staff_word("deadline", s.name), s.on_time, s.late, s.overdue_open) for s in board.steps],
        title=_("Steps handled within their statutory deadline"),
        desc=_("Per step, the share done in time, done late, and still open past the deadline."),
        legend=(
            staff_word("deadline_status", "met"),
            staff_word("deadline_status", "met_late"),
            staff_word("deadline_status", "overdue"),
        ),
    )
    modes_svg = charts.horizontal_bars(
        [(staff_word("mode", k), float(v)) for k, v in board.by_mode],
        title=_("Inquiries by mode (Art. 22)"),
        desc=_("One bar per inquiry mode, with the number of logged inquiries."),
    )
    # Issue 18: the grade distribution of the latest assessment batch run (Art. 30).
    from pcip.assessment import batch as assessment_batch

    latest = assessment_batch.latest(session)
    assessment = assessment_batch.out(latest) if latest is not None else None
    grades_svg = (
        charts.horizontal_bars(
            [(g, float(n)) for g, n in assessment.distribution.items()],
            title=_("Assessment grades (Art. 30)"),
            desc=_("One bar per grade of the latest batch run, with the number of subjects."),
        )
        if assessment is not None
        else None
    )
    return render(
        page,
        "console/dashboard.html",
        board=board,
        lists=lists,
        assessment=assessment,
        grades_svg=grades_svg,
        records_svg=records_svg,
        states_svg=states_svg,
        steps_svg=steps_svg,
        modes_svg=modes_svg,
    )
