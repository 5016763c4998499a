"""The archive of objection dispositions in the console (Art. 41 para 3): every case, searchable
by subject, record, unit, state and receipt dates.
"""

from __future__ import annotations

from datetime import date

from fastapi import Request
from fastapi.responses import HTMLResponse

from pcip import clock
from pcip.auth.permissions import require
from pcip.doors.api_common import SessionDep
from pcip.errors import ValidationError
from pcip.kernel.messages import msg
from pcip.objections import archive, tracking
from pcip.objections.states import State
from pcip.web.console import data
from pcip.web.console.common import (
    P,
    console_router,
    errors_of,
    parse_id,
    render,
)
from pcip.web.pages import PageDep

router = console_router()


def _day(value: str, field: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(msg("console.not_a_date", value=repr(value)), field=field) from None


@router.get("/archive")
def archive_search(page: PageDep, session: SessionDep, request: Request) -> HTMLResponse:
    """Art. 41 para 3: every case, searchable by subject, record, unit, state and dates."""
    require(page.principal, P.OBJECTION_ARCHIVE)
    q = request.query_params
    values = {
        k: q.get(k, "")
        for k in ("subject_id", "record_id", "provider_id", "state", "received_from", "received_to")
    }
    errors: dict[str, str] = {}
    rows: list[data.QueueRow] = []
    searched = any(values.values())
    try:
        state = values["state"] or None
        if state is not None and state not in {s.value for s in State}:
            raise ValidationError(msg("console.choose_state"), field="state")
        found = archive.search(
            session,
            subject_id=parse_id(values["subject_id"], "subject_id"),
            record_id=parse_id(values["record_id"], "record_id"),
            provider_id=parse_id(values["provider_id"], "provider_id"),
            state=state,
            received_from=_day(values["received_from"], "received_from"),
            received_to=_day(values["received_to"], "received_to"),
            limit=200,
        )
        cases = tracking.cases_of(session, [f.objection for f in found], clock.today())
        rows = data.queue_rows(cases, data.provider_names(session))
    except ValidationError as exc:
        errors = errors_of(exc)
    return render(
        page,
        "console/archive.html",
        status_code=422 if errors else 200,
        rows=rows,
        values=values,
        errors=errors,
        searched=searched,
        providers=sorted(data.provider_names(session).items(), key=lambda kv: kv[1]),
        states=[s.value for s in State],
    )
