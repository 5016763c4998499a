"""Measure applications in the console (Art. 34, 37; issue 16.5, 16.8): a department records a
measure against a subject for a matter, with the conduct's nature, circumstances and impact and
its findings on the three Art. 37 conditions. Only measures on the national basic list or the
city supplement in force are offered, and ``pcip.measures.applications`` decides: when all
three conditions hold, the measure is waived and the record says so."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError as PydanticError
from starlette.concurrency import run_in_threadpool

from pcip import clock
from pcip.auth.permissions import require
from pcip.errors import Collect, Forbidden, PcipError, Unauthorized, ValidationError
from pcip.kernel.messages import msg
from pcip.measures import applications, catalogue
from pcip.measures.schemas import ApplicationIn
from pcip.web.console.common import (
    P,
    console_router,
    errors_of,
    form_values,
    named_subject,
    parse_id,
    render,
    schema_refusal,
    subject_field,
)
from pcip.web.console.credit_checks import MATTER_WORDS
from pcip.web.i18n import N_
from pcip.web.pages import Page, PageDep

router = console_router()

PATH = "/console/measures"
SEVERITIES = {
    "light": N_("Light"),
    "general": N_("General"),
    "heavy": N_("Heavy"),
}
#: Art. 37: the three conditions; all three together waive the measure.
CONDITIONS = {
    "minor_or_incidental": N_("The conduct was minor or incidental"),
    "promptly_corrected": N_("It was corrected promptly"),
    "no_harmful_outcome": N_("It caused no harmful outcome"),
}
STATUSES = {"applied": N_("Measure applied"), "waived": N_("Waived (Art. 37)")}


def _page(page: Page, status_code: int = 200, **context: Any) -> HTMLResponse:
    today = clock.today()
    with page.platform.transaction() as s:
        rows = applications.recent(s, page.principal)
        in_force = catalogue.in_force(today, s)
    context.setdefault("values", {})
    context.setdefault("errors", {})
    context.setdefault("recorded", None)
    names = {m.code: m for m in in_force}
    return render(
        page,
        "console/measures.html",
        status_code=status_code,
        measures=list(names.values()),
        names=names,
        rows=rows,
        MATTER_WORDS=MATTER_WORDS,
        SEVERITIES=SEVERITIES,
        CONDITIONS=CONDITIONS,
        STATUSES=STATUSES,
        **context,
    )


@router.get("/measures")
def form(page: PageDep) -> HTMLResponse:
    require(page.principal, P.MEASURE_APPLY)
    return _page(page)


def _body(values: dict[str, Any]) -> ApplicationIn:
    # Issue 19.8: every field is checked before the form is refused.
    problems = Collect()
    subject = named_subject(values, problems)
    chosen = values.get("conditions") or []
    chosen = [chosen] if isinstance(chosen, str) else list(chosen)
    unknown = sorted(set(chosen) - set(CONDITIONS))
    if unknown:
        with problems:
            raise ValidationError(
                msg("console.unknown_conditions", conditions=unknown), field="conditions"
            )
    designation_id = None
    with problems:
        designation_id = parse_id(str(values.get("designation_id", "")), "designation_id")
    try:
        body = ApplicationIn(
            subject=subject,
            measure=str(values.get("measure", "")),
            matter=str(values.get("matter", "")),
            matter_ref=str(values.get("matter_ref", "")).strip(),
            designation_id=designation_id,
            nature=str(values.get("nature", "")).strip(),
            circumstances=str(values.get("circumstances", "")).strip(),
            impact=str(values.get("impact", "")).strip(),
            severity=str(values.get("severity", "")),
            minor_or_incidental="minor_or_incidental" in chosen,
            promptly_corrected="promptly_corrected" in chosen,
            no_harmful_outcome="no_harmful_outcome" in chosen,
            waiver_reasons=str(values.get("waiver_reasons", "")).strip(),
        )
    except PydanticError as exc:
        raise schema_refusal(exc, subject_field, problems) from None
    problems.raise_any()
    return body


@router.post("/measures")
async def record(page: PageDep, request: Request) -> Response:
    require(page.principal, P.MEASURE_APPLY)
    values = form_values(await request.form(), multi=("conditions",))

    def run() -> Response:
        try:
            body = _body(values)
            with page.platform.transaction() as s:
                recorded = applications.out(
                    applications.apply(s, page.platform.keyring, page.principal, body)
                )
        except (Unauthorized, Forbidden):
            raise
        except PcipError as exc:
            return _page(
                page, status_code=422, values=values, errors=errors_of(exc, {"subject": "uscc"})
            )
        return _page(page, recorded=recorded)

    return await run_in_threadpool(run)
