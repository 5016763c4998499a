"""An objection case in the console (Art. 40-42): the case page with every step SM-1 allows
the visitor now, each step's form, evidence and notices. (The queues are ``queues``, desk
registration ``desk``, the archive ``case_archive``.)

Each step calls the service function ``pcip.objections.steps`` registers for it, which
checks who may take it and which cases a visitor sees (the same answers the API gives). A step
runs in its own transaction, so a refused step leaves nothing behind, and the page is
rendered again with the reason next to the field it concerns.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from pcip import clock
from pcip.auth.permissions import Principal
from pcip.calendar.service import work_calendar
from pcip.doors.api_common import IdPath, SessionDep
from pcip.doors.http_guard import UPLOAD_BODY
from pcip.errors import Conflict, Forbidden, NotFound, PcipError, Unauthorized, ValidationError
from pcip.kernel.messages import Term, msg
from pcip.objections import access, archive, history, notices, steps
from pcip.objections.codes import (
    OUTCOMES,
    WITHDRAWAL_GROUNDS,
)
from pcip.objections.deadlines import derive
from pcip.objections.evidence import EvidenceFile, download_headers, read
from pcip.objections.log import timeline
from pcip.objections.service import DECLINE_BASES, PAPER_CHANNELS, PAUSE_TYPES
from pcip.web.console import data
from pcip.web.console.common import (
    console_router,
    errors_of,
    evidence_files,
    form_values,
    parse_id,
    render,
    text,
)
from pcip.web.console.desk import _received_at
from pcip.web.i18n import N_, current_locale
from pcip.web.labels import staff_word
from pcip.web.pages import Page, PageDep

router = console_router()
#: Steps that need a form (the others are one button on the case page).
FORM_STEPS = frozenset(
    {"decline", "unit_result", "pause", "decide", "decide_reexam", "close", "register_reexam"}
)


#: The step the subject takes on its own pages, not here (Art. 40 para 4).
PORTAL_STEPS = frozenset({"request_reexam"})
#: Steps whose form carries record field changes (Art. 42(1)-(2)).
CHANGE_STEPS = frozenset(
    name
    for name, entry in steps.registry().items()
    if entry.schema is not None and "changes" in entry.schema.model_fields
)


#: Steps whose form carries evidence files.
FILE_STEPS = frozenset(
    name for name, entry in steps.registry().items() if entry.files and name not in PORTAL_STEPS
)


#: The identifier kinds a withdrawn record's right subject is named by.
REFILE_ID_TYPES = ("uscc", "citizen_id", "document")


def _case_context(session: Session, principal: Principal, objection_id: int) -> dict[str, Any]:
    today = clock.today()
    objection = access.case(session, principal, objection_id)
    f = archive.case_file(session, objection.id)
    t = timeline(objection, f.events)
    panels = [data.record_panel(session, rid) for rid in f.record_ids]
    names = data.provider_names(session)
    unit_result = next(
        (e.payload for e in reversed(f.events) if e.kind == "pu_result_returned"), None
    )
    return {
        "objection": objection,
        "state": f.state.value,
        "paused_from": t.position.paused_from.value if t.position.paused_from else None,
        "deadlines": [data.deadline_view(d) for d in derive(t, work_calendar(session), today)],
        "actions": steps.actions(principal, t.position),
        "panels": panels,
        "subject": data.subject_view(session, objection.subject_id),
        "events": history.lines(session, f.events, current_locale()),
        "evidence": f.evidence,
        "uploaders": history.actors(session, (e.uploaded_by for e in f.evidence), current_locale()),
        "notices": f.notices,
        "unit_result": unit_result,
        "record_units": sorted({(p.provider_id, names.get(p.provider_id, "")) for p in panels}),
        "unit_name": names.get(objection.provider_id) if objection.provider_id else None,
        "form_steps": FORM_STEPS,
        "today": today,
    }


def _case_page(
    page: Page,
    objection_id: int,
    *,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    with page.platform.transaction() as s:
        ctx = _case_context(s, page.principal, objection_id)
    return render(page, "console/case.html", status_code=status_code, errors=errors or {}, **ctx)


@router.get("/objections/{objection_id}")
def case(objection_id: IdPath, page: PageDep) -> HTMLResponse:
    """One case: facts, deadlines, records, evidence, notices, history, and the steps the
    visitor's role may take now."""
    return _case_page(page, objection_id)


def _step_defaults(step: str, ctx: dict[str, Any]) -> dict[str, Any]:
    """Pre-filled values. (A unit's result needs no decision form: D-2 applies it at once.)"""
    values: dict[str, Any] = {}
    if step == "decline":
        values["basis"] = "no_legitimate_reason"
    return values


def _step_page(
    page: Page,
    objection_id: int,
    step: str,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    with page.platform.transaction() as s:
        ctx = _case_context(s, page.principal, objection_id)
    if step not in ctx["actions"]:
        raise Conflict(
            msg("console.step_not_now", state=Term("state", ctx["state"])), field="state"
        )
    shown = _step_defaults(step, ctx) if values is None else values
    return render(
        page,
        "console/step.html",
        status_code=status_code,
        step=step,
        values=shown,
        errors=errors or {},
        outcomes=OUTCOMES,
        pause_types=PAUSE_TYPES,
        withdrawal_grounds=WITHDRAWAL_GROUNDS,
        refile_id_types=REFILE_ID_TYPES,
        paper_channels=PAPER_CHANNELS,
        decline_bases=[
            b for b in DECLINE_BASES if b != "repeat" or ctx["objection"].repeat_of is not None
        ],
        **ctx,
    )


def _known_step(step: str) -> None:
    if step not in steps.registry() or step in PORTAL_STEPS:
        raise NotFound(msg("console.no_step", step=step), field="step")


@router.get("/objections/{objection_id}/step/{step}")
def step_form(objection_id: IdPath, step: str, page: PageDep) -> HTMLResponse:
    """The form of a step that needs input (reasons, outcome, field changes, files)."""
    _known_step(step)
    with page.platform.transaction() as s:
        steps.authorize(s, page.principal, objection_id, step)
    return _step_page(page, objection_id, step)


@router.post("/objections/{objection_id}/step/{step}", max_body_size=UPLOAD_BODY)
async def take_step(objection_id: IdPath, step: str, page: PageDep, request: Request) -> Response:
    """Take one step of SM-1; refused input comes back next to its field."""
    _known_step(step)
    form = await request.form()
    files = await evidence_files(form) if step in FILE_STEPS else []
    try:
        await run_in_threadpool(_do_step, page, objection_id, step, form, files)
    except (Unauthorized, Forbidden):
        raise
    except PcipError as exc:
        if exc.field == "objection_id":
            raise
        errors = errors_of(exc, aliases={"notice": "_form", "state": "_form", **STEP_FIELDS})
        status = exc.http_status
        if step in FORM_STEPS:
            values = form_values(form)
            return await run_in_threadpool(
                lambda: _step_page(
                    page, objection_id, step, values=values, errors=errors, status_code=status
                )
            )
        return await run_in_threadpool(
            lambda: _case_page(page, objection_id, errors=errors, status_code=status)
        )
    done = staff_word("step", step, "done")
    return page.redirect(f"/console/objections/{objection_id}", flash=done)


def _do_step(
    page: Page, objection_id: int, step: str, form: FormData, files: list[EvidenceFile]
) -> None:
    """Take the step through its registered service function, which checks the visitor."""
    entry = steps.get(step)
    with page.platform.transaction() as s:
        values = _step_input(s, page, objection_id, entry, form, files)
        entry.function(s, page.principal, objection_id, **values)


def _step_input(
    s: Session,
    page: Page,
    objection_id: int,
    entry: steps.Step,
    form: FormData,
    files: list[EvidenceFile],
) -> dict[str, Any]:
    """The step's input (its schema's fields) from the form; evidence files if it takes them."""
    values: dict[str, Any] = {}
    for name in entry.schema.model_fields if entry.schema is not None else ():
        if name == "changes":
            # Reading the records' fields is reading the case: the visitor must be allowed to
            # take the step first (the service function checks again when it runs).
            steps.authorize(s, page.principal, objection_id, entry.name)
            ids = archive.case_file(s, objection_id).record_ids
            values[name] = data.field_changes(form, [data.record_panel(s, r) for r in ids]) or None
        elif name == "withdrawal":
            values[name] = withdrawal_form(form)
        elif name == "provider_id":
            values[name] = parse_id(text(form, name), name)
        elif name == "received_at":
            values[name] = _received_at(text(form, name))
        else:
            values[name] = text(form, name)
    if entry.files:
        values.update(evidence=files, files_dir=page.platform.settings.files_dir)
    return values


#: Messages the withdrawal and re-examination steps raise as they are (translated on pages).
SERVICE_MESSAGES = (
    N_("a withdrawal names its ground: wrong_subject or wrong_basis"),
    N_(
        "only a record filed against the wrong subject is filed again elsewhere; one on a "
        "wrong basis is withdrawn (the unit submits it afresh with its right basis)"
    ),
    N_("name the right subject by uscc, citizen_id or document_type and document_number"),
    N_("that is the subject the record was filed against: name the subject it concerns"),
    N_("a withdrawal goes with the outcome 'withdrawn' only"),
    N_("choose the kind of identifier"),
    N_("the receipt time must be a time-zone-aware instant, not in the future"),
)


#: Where a refused field of a step form is shown (service field -> form field).
STEP_FIELDS = {
    "withdrawal": "withdrawal_ground",
    "withdrawal.ground": "withdrawal_ground",
    "withdrawal.refile_to": "refile_identifier",
    "withdrawal.refile_to.name": "refile_name",
    "withdrawal.refile_to.uscc": "refile_identifier",
    "withdrawal.refile_to.citizen_id": "refile_identifier",
    "withdrawal.refile_to.document_number": "refile_identifier",
    "withdrawal.refile_to.document_type": "refile_document_type",
    "withdrawal.refile_to.document_country": "refile_document_country",
}


def withdrawal_form(form: FormData) -> dict[str, Any] | None:
    """The withdrawal fields of a decision form (used when the outcome is 'withdrawn')."""
    if text(form, "outcome") != "withdrawn":
        return None
    out: dict[str, Any] = {"ground": text(form, "withdrawal_ground")}
    number = text(form, "refile_identifier").strip()
    if number:
        kind = text(form, "refile_id_type")
        target: dict[str, Any] = {"name": text(form, "refile_name")}
        if kind == "document":
            target.update(
                document_number=number,
                document_type=text(form, "refile_document_type"),
                document_country=text(form, "refile_document_country") or None,
            )
        elif kind in ("uscc", "citizen_id"):
            target[kind] = number
        else:
            raise ValidationError(msg("console.choose_identifier_kind"), field="refile_id_type")
        out["refile_to"] = target
    return out


@router.get("/objections/{objection_id}/evidence/{evidence_id}")
def evidence(
    objection_id: IdPath, evidence_id: IdPath, page: PageDep, session: SessionDep
) -> Response:
    """An evidence file of the case, byte for byte (checked against its SHA-256)."""
    row = access.case_evidence(session, page.principal, objection_id, evidence_id)
    response = Response(
        read(row, page.platform.settings.files_dir),
        media_type=row.content_type,
        headers=download_headers(row),
    )
    page.finish(response)
    return response


@router.get("/objections/{objection_id}/notices/{notice_id}")
def notice(
    objection_id: IdPath, notice_id: IdPath, page: PageDep, session: SessionDep
) -> HTMLResponse:
    """A written notice exactly as issued (Art. 40 para 3-4, Art. 41 para 3), printable."""
    objection, found = access.case_notice(session, page.principal, objection_id, notice_id)
    return render(
        page,
        "console/notice.html",
        objection=objection,
        notice=found,
        issuer=history.actors(session, [found.issued_by], page.locale)[found.issued_by],
        notice_html=notices.version(found.html, page.locale),
    )
