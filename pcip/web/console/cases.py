"""Objections in the console (Art. 40-42): the queues, the case page with every step SM-1
allows the visitor now, desk registration, evidence, notices and the archive.

Each step calls the service function ``pcip.objections.steps`` registers for it, which
checks who may take it and which cases a visitor sees (the same answers the API gives). A step
runs in its own transaction, so a refused step leaves nothing behind, and the page is
rendered again with the reason next to the field it concerns.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError as PydanticError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from pcip import clock
from pcip.auth.permissions import Principal, require
from pcip.calendar.service import work_calendar
from pcip.clock import CST
from pcip.doors.api_common import IdPath, SessionDep
from pcip.doors.http_guard import UPLOAD_BODY
from pcip.errors import Conflict, Forbidden, NotFound, PcipError, Unauthorized, ValidationError
from pcip.inquiry.schemas import SubjectRef
from pcip.inquiry.service import find_subject
from pcip.objections import access, alerts, archive, service, steps, tracking
from pcip.objections.deadlines import derive
from pcip.objections.evidence import EvidenceFile, download_headers, read
from pcip.objections.log import timeline
from pcip.objections.models import (
    GROUNDS,
    OUTCOMES,
    REGISTERED_CHANNELS,
    WITHDRAWAL_GROUNDS,
)
from pcip.objections.service import DECLINE_BASES, PAPER_CHANNELS, PAUSE_TYPES
from pcip.objections.states import State
from pcip.web.console import data
from pcip.web.console.common import (
    P,
    console_router,
    errors_of,
    evidence_files,
    form_values,
    parse_id,
    render,
    text,
)
from pcip.web.i18n import N_
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
#: Channels an objection reaches the operator through other than the subject's own pages.
DESK_CHANNELS = REGISTERED_CHANNELS


# --- queues ----------------------------------------------------------------------------------


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
        alerts.acknowledge(s, page.principal.actor, alert_id)
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


# --- registering an objection received at a desk (Art. 40 para 1) ------------------------------

ID_TYPES = ("uscc", "citizen_id", "registration_no")


def _register_page(
    page: Page,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    values = values or {"id_type": "uscc", "channel": "desk", "ground": "error"}
    subject = records = None
    subject_id = values.get("subject_id")
    if subject_id and str(subject_id).isdigit():
        with page.platform.transaction() as s:
            subject = data.subject_view(s, int(subject_id))
            records = data.subject_records(s, subject.id)
    return render(
        page,
        "console/register.html",
        status_code=status_code,
        values=values,
        errors=errors or {},
        subject=subject,
        records=records,
        id_types=ID_TYPES,
        channels=DESK_CHANNELS,
        grounds=GROUNDS,
    )


@router.get("/objections/new")
def register_form(page: PageDep) -> HTMLResponse:
    """Find the subject by its identifier, then choose the disputed records."""
    require(page.principal, P.OBJECTION_REGISTER)
    return _register_page(page)


@router.post("/objections/new", max_body_size=UPLOAD_BODY)
async def register(page: PageDep, request: Request) -> Response:
    """Art. 40 para 1: register an objection received at a service desk, by post, from Credit
    China or another department. Identifiers travel in the form body, never in a URL."""
    require(page.principal, P.OBJECTION_REGISTER)
    form = await request.form()
    values = form_values(form, multi=("record_ids",))
    if text(form, "stage") != "register":
        return await run_in_threadpool(_find_subject, page, values)
    files = await evidence_files(form)
    try:
        oid = await run_in_threadpool(_receive, page, form, files)
    except (Unauthorized, Forbidden):
        raise
    except PcipError as exc:
        errors = errors_of(exc, aliases={"subject_id": "identifier"})
        status = exc.http_status
        return await run_in_threadpool(
            lambda: _register_page(page, values=values, errors=errors, status_code=status)
        )
    return page.redirect(f"/console/objections/{oid}", flash=N_("The objection is registered."))


def _find_subject(page: Page, values: dict[str, Any]) -> HTMLResponse:
    id_type = str(values.get("id_type", ""))
    identifier = str(values.get("identifier", "")).strip()
    values.pop("subject_id", None)
    try:
        if id_type not in ID_TYPES:
            raise ValidationError("choose the kind of identifier", field="id_type")
        if not identifier:
            raise ValidationError("type the subject's identifier", field="identifier")
        try:
            ref = SubjectRef(**{id_type: identifier})
        except PydanticError:
            raise ValidationError("not a valid identifier", field="identifier") from None
        with page.platform.transaction() as s:
            found = find_subject(s, page.platform.keyring, ref, prefix="")
            if found is None:
                raise NotFound("no subject is on file under that identifier", field="identifier")
            values["subject_id"] = str(found.id)
    except PcipError as exc:
        errors = errors_of(
            exc, aliases={"uscc": "identifier", "citizen_id": "identifier", "subject": "identifier"}
        )
        return _register_page(page, values=values, errors=errors, status_code=exc.http_status)
    return _register_page(page, values=values)


def _received_at(value: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        at = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(
            f"'{value}' is not a date and time (e.g. 2026-11-26 09:30)", field="received_at"
        ) from None
    return at if at.tzinfo is not None else at.replace(tzinfo=CST)


def _receive(page: Page, form: FormData, files: list[EvidenceFile]) -> int:
    subject_id = parse_id(text(form, "subject_id"), "identifier")
    if subject_id is None:
        raise ValidationError("find the subject first", field="identifier")
    record_ids: list[int] = []
    for raw in form.getlist("record_ids"):
        rid = parse_id(raw if isinstance(raw, str) else "", "record_ids")
        if rid is not None:
            record_ids.append(rid)
    with page.platform.transaction() as s:
        received = service.register(
            s,
            page.principal,
            subject_id=subject_id,
            record_ids=record_ids,
            ground=text(form, "ground"),
            statement=text(form, "statement"),
            applicant=text(form, "applicant"),
            agent=text(form, "agent") or None,
            channel=text(form, "channel"),
            evidence=files,
            received_at=_received_at(text(form, "received_at")),
            files_dir=page.platform.settings.files_dir,
        )
        return received.objection.id


# --- the case page ----------------------------------------------------------------------------


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
        "events": [data.event_view(e) for e in f.events],
        "evidence": f.evidence,
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
            f"the objection is '{ctx['state']}': this step is not possible now", field="state"
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
        raise NotFound(f"no step '{step}'", field="step")


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
            raise ValidationError("choose the kind of identifier", field="refile_id_type")
        out["refile_to"] = target
    return out


# --- evidence and notices -----------------------------------------------------------------------


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
    return render(page, "console/notice.html", objection=objection, notice=found)


# --- the archive (Art. 41 para 3) -------------------------------------------------------------


def _day(value: str, field: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(f"'{value}' is not a date (YYYY-MM-DD)", field=field) from None


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
            raise ValidationError("choose a state from the list", field="state")
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
