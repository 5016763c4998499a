"""The credit subject's own area (``/me``), after real-name sign-in (Art. 22, 39-40).

Each page calls the service the API's ``/api/v1/me/...`` calls: the self inquiry (logged),
the inquiry history, authorizations, and objections with their derived deadlines, notices
and re-examination. Permissions come from the matrix (``require``) and, for a case, from
``objections.access`` (a subject sees only its own cases).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import File, Form, Path, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError as PydanticError
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, require
from pcip.auth.queries import grantees_by_name
from pcip.catalog.schemas import SCOPE_CATEGORIES
from pcip.doors.api_common import MAX_ID, Router, SessionDep
from pcip.doors.http_guard import UPLOAD_BODY
from pcip.errors import Collect, Forbidden, PcipError, Unauthorized, ValidationError
from pcip.inquiry import authorizations, history, service
from pcip.inquiry.schemas import AuthorizationIn, Channel
from pcip.objections import access, archive, notices, present, tracking
from pcip.objections import service as objections
from pcip.objections.codes import GROUNDS
from pcip.objections.evidence import EvidenceFile, download_headers, read
from pcip.subjects import service as subjects
from pcip.web.i18n import N_
from pcip.web.labels import FieldLabels, category, data_lang, word
from pcip.web.pages import Page, PageDep, form_errors

router = Router(prefix="/me")
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
EvidenceUploads = Annotated[list[UploadFile], File()]
#: The channels an authorization may name (Art. 22).
CHANNEL_CHOICES = tuple(c.value for c in Channel)


def _files(uploads: list[UploadFile] | None) -> list[EvidenceFile]:
    """The files chosen (a form with none chosen sends one empty, nameless part)."""
    return [
        EvidenceFile(u.filename or "", u.file.read(), u.content_type)
        for u in uploads or []
        if u.filename
    ]


# --- overview, records, who looked ------------------------------------------------------


@router.get("", response_class=HTMLResponse)
def overview(page: PageDep, session: SessionDep) -> HTMLResponse:
    require(page.principal, Permission.SELF_INQUIRY)
    assert page.principal.subject_id is not None
    subject = subjects.get(session, page.principal.subject_id)
    return page.render(
        "subject/overview.html",
        subject=subject,
        identifier=subjects.display_identifier(subject),
    )


@router.get("/records", response_class=HTMLResponse)
def records(page: PageDep, session: SessionDep) -> HTMLResponse:
    """Art. 22, 39: every record held about me, its status per mode, provenance, history."""
    from pcip.restoration.service import openings_for  # Art. 45: when restoration opens
    from pcip.web.lists import RELATIONS, STATES  # Art. 33, 39: listings and linked records

    result = service.own(session, page.principal, Channel.WEB)
    assert page.principal.subject_id is not None
    return page.render(
        "subject/records.html",
        result=result,
        openings=openings_for(session, page.principal.subject_id),
        today=result.on,
        labels=FieldLabels(session),
        RELATIONS=RELATIONS,
        STATES=STATES,
    )


@router.get("/inquiries", response_class=HTMLResponse)
def inquiries(page: PageDep, session: SessionDep, hide_own: str = "") -> HTMLResponse:
    """Art. 39: who looked at my information, when, how and why (optionally without my own
    views, which stay logged)."""
    require(page.principal, Permission.SELF_INQUIRY_LOG)
    assert page.principal.subject_id is not None
    hide = hide_own in ("1", "on", "true")
    found = history.about(session, page.principal.subject_id, hide_own=hide)
    return page.render("subject/inquiries.html", history=found, hide_own=hide)


# --- authorizations ----------------------------------------------------------------------


def _authorizations_page(
    page: Page,
    session: Session,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    require(page.principal, Permission.AUTHORIZATION_MANAGE)
    grants = [
        authorizations.out(session, a) for a in authorizations.for_subject(session, page.principal)
    ]
    grantees = grantees_by_name(session)
    return page.render(
        "subject/authorizations.html",
        status_code=status_code,
        grants=grants,
        grantee_options=[(g.uscc, f"{g.name} ({g.uscc})", data_lang(g.name)) for g in grantees],
        channel_options=[(c, word("channel", c)) for c in CHANNEL_CHOICES],
        category_options=[(n, category(n)) for n in sorted(SCOPE_CATEGORIES)],
        values=values or {"channels": ["api"], "valid_from": clock.today().isoformat()},
        errors=errors or {},
    )


@router.get("/authorizations", response_class=HTMLResponse)
def authorizations_page(page: PageDep, session: SessionDep) -> HTMLResponse:
    return _authorizations_page(page, session)


def _authorization_in(values: dict[str, Any]) -> AuthorizationIn:
    """The form's authorization, every field checked at once (issue 19.8): the refusal names
    each field that is wrong, not the first one only."""
    problems = Collect()
    if not values["grantee_uscc"].strip():
        with problems:
            raise ValidationError(N_("choose the organisation you authorize"), field="grantee_uscc")
    if not values["valid_to"].strip():
        with problems:
            raise ValidationError(
                N_("enter the last day the authorization is valid"), field="valid_to"
            )
    try:
        return AuthorizationIn.model_validate(
            {
                "grantee_uscc": values["grantee_uscc"].strip(),
                "purpose": values["purpose"].strip(),
                "channels": values["channels"],
                "categories": values["categories"],
                "valid_from": values["valid_from"].strip() or None,
                "valid_to": values["valid_to"].strip() or None,
            }
        )
    except PydanticError as exc:
        for error in exc.errors():
            field = str(error["loc"][0]) if error.get("loc") else "_form"
            with problems:
                raise ValidationError(_pydantic_message(error), field=field) from None
    problems.raise_any()
    raise AssertionError("unreachable: the model refused the form without an error")


def _pydantic_message(error: Any) -> str:
    kind = str(error.get("type", ""))
    if kind == "string_too_short":
        return N_("this is too short")
    if kind == "too_short":
        return N_("choose at least one")
    if kind in ("enum", "literal_error", "int_parsing", "int_from_float"):
        return N_("choose from the list")
    if kind.startswith("date_"):
        return N_("enter a date as YYYY-MM-DD")
    return str(error.get("msg", "invalid"))


@router.post("/authorizations", response_class=HTMLResponse)
def grant(
    page: PageDep,
    session: SessionDep,
    grantee_uscc: Annotated[str, Form(max_length=32)] = "",
    purpose: Annotated[str, Form(max_length=200)] = "",
    channels: Annotated[list[str] | None, Form()] = None,
    categories: Annotated[list[str] | None, Form()] = None,
    valid_from: Annotated[str, Form(max_length=10)] = "",
    valid_to: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Art. 22, 39: authorize one organisation, for a purpose, scope, channels and period."""
    require(page.principal, Permission.AUTHORIZATION_MANAGE)
    values: dict[str, Any] = {
        "grantee_uscc": grantee_uscc,
        "purpose": purpose,
        "channels": channels or [],
        "categories": categories or [],
        "valid_from": valid_from,
        "valid_to": valid_to,
    }
    try:
        body = _authorization_in(values)
        authorizations.grant(session, page.principal, body, Channel.WEB)
    except PcipError as exc:
        session.rollback()
        return _authorizations_page(
            page,
            session,
            values=values,
            errors=form_errors(exc, aliases={"grantee": "grantee_uscc", "items": "categories"}),
            status_code=422,
        )
    return page.redirect("/me/authorizations", flash=N_("The authorization was granted."))


@router.get("/authorizations/{authorization_id}/revoke", response_class=HTMLResponse)
def revoke_confirm(page: PageDep, session: SessionDep, authorization_id: Id) -> Response:
    """Art. 39: revoking asks first, naming whom it stops (a revocation cannot be undone)."""
    require(page.principal, Permission.AUTHORIZATION_MANAGE)
    a = authorizations.out(session, authorizations.own(session, page.principal, authorization_id))
    if a.status not in ("active", "not_yet_valid"):
        return page.redirect(
            "/me/authorizations", flash=N_("This authorization is no longer in force.")
        )
    return page.render("subject/revoke_confirm.html", a=a)


@router.post("/authorizations/{authorization_id}/revoke")
def revoke(page: PageDep, session: SessionDep, authorization_id: Id) -> Response:
    """Art. 39: revoke at once; later inquiries under it are refused."""
    require(page.principal, Permission.AUTHORIZATION_MANAGE)
    authorizations.revoke(session, page.principal, authorization_id)
    return page.redirect("/me/authorizations", flash=N_("The authorization was revoked."))


# --- objections --------------------------------------------------------------------------


@router.get("/objections", response_class=HTMLResponse)
def objections_page(page: PageDep, session: SessionDep) -> HTMLResponse:
    """Art. 40: my objections, newest first, each with its state and next deadline."""
    require(page.principal, Permission.OBJECTION_FILE)
    found = archive.search(session, subject_id=page.principal.subject_id)
    cases = tracking.cases_of(session, [s.objection for s in found], clock.today())
    return page.render("subject/objections.html", cases=present.summaries(session, cases))


def _objection_form(
    page: Page,
    session: Session,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    # Choosing records is reading them: a self inquiry, logged like any other (Art. 22).
    own = service.own(session, page.principal, Channel.WEB)
    return page.render(
        "subject/objection_new.html",
        status_code=status_code,
        records=own.records,
        ground_options=[(g, word("ground", g)) for g in GROUNDS],
        values=values,
        errors=errors or {},
    )


@router.get("/objections/new", response_class=HTMLResponse)
def new_objection(page: PageDep, session: SessionDep, record: int | None = None) -> HTMLResponse:
    require(page.principal, Permission.OBJECTION_FILE)
    chosen = [str(record)] if record else []
    return _objection_form(page, session, {"record_ids": chosen, "ground": "error"})


@router.post("/objections", response_class=HTMLResponse, max_body_size=UPLOAD_BODY)
def file_objection(
    page: PageDep,
    session: SessionDep,
    record_ids: Annotated[list[str] | None, Form()] = None,
    ground: Annotated[str, Form(max_length=16)] = "",
    statement: Annotated[str, Form(max_length=20_000)] = "",
    agent: Annotated[str, Form(max_length=200)] = "",
    evidence: EvidenceUploads = [],  # noqa: B006 - FastAPI reads the default, never mutates it
) -> Response:
    """Art. 40 para 1: object to my records, with evidence files."""
    require(page.principal, Permission.OBJECTION_FILE)
    assert page.principal.subject_id is not None
    values: dict[str, Any] = {
        "record_ids": record_ids or [],
        "ground": ground,
        "statement": statement,
        "agent": agent,
    }
    try:
        ids = [int(r) for r in record_ids or []]
        received = objections.receive(
            session,
            page.principal,
            subject_id=page.principal.subject_id,
            record_ids=ids,
            ground=ground,
            statement=statement,
            applicant=page.principal.actor.display or "本人",
            agent=agent or None,
            channel=Channel.WEB.value,
            evidence=_files(evidence),
            files_dir=page.platform.settings.files_dir,
        )
    except (PcipError, ValueError) as exc:
        session.rollback()
        error = (
            exc
            if isinstance(exc, PcipError)
            else ValidationError(N_("choose records from the list"), field="record_ids")
        )
        return _objection_form(page, session, values, form_errors(error), status_code=422)
    return page.redirect(
        f"/me/objections/{received.objection.id}", flash=N_("Your objection was received.")
    )


@router.get("/objections/{objection_id}", response_class=HTMLResponse)
def objection(page: PageDep, session: SessionDep, objection_id: Id) -> HTMLResponse:
    """One of my cases: its state, derived deadlines, records, evidence and notices."""
    require(page.principal, Permission.OBJECTION_FILE)
    case = access.case(session, page.principal, objection_id)
    detail = present.detail(session, page.principal, case, clock.today())
    return page.render("subject/objection.html", case=detail, errors={}, values={})


@router.post(
    "/objections/{objection_id}/reexamination",
    response_class=HTMLResponse,
    max_body_size=UPLOAD_BODY,
)
def request_reexamination(
    page: PageDep,
    session: SessionDep,
    objection_id: Id,
    statement: Annotated[str, Form(max_length=20_000)] = "",
    evidence: EvidenceUploads = [],  # noqa: B006
) -> Response:
    """Art. 40 para 4: ask the development and reform department to re-examine."""
    require(page.principal, Permission.OBJECTION_FILE)
    case = access.case(session, page.principal, objection_id)
    try:
        objections.request_reexam(
            session,
            page.principal,
            case.id,
            statement=statement,
            evidence=_files(evidence),
            files_dir=page.platform.settings.files_dir,
        )
    except (Unauthorized, Forbidden):
        raise
    except PcipError as exc:
        session.rollback()
        case = access.case(session, page.principal, objection_id)
        detail = present.detail(session, page.principal, case, clock.today())
        return page.render(
            "subject/objection.html",
            status_code=422,
            case=detail,
            errors=form_errors(exc),
            values={"statement": statement},
        )
    return page.redirect(
        f"/me/objections/{case.id}", flash=N_("Your application for re-examination was received.")
    )


@router.get("/objections/{objection_id}/notices/{notice_id}", response_class=HTMLResponse)
def notice(page: PageDep, session: SessionDep, objection_id: Id, notice_id: Id) -> HTMLResponse:
    """Art. 40 para 3-4: a written notice exactly as issued, to open and print."""
    require(page.principal, Permission.OBJECTION_FILE)
    case, found = access.case_notice(session, page.principal, objection_id, notice_id)
    return page.render(
        "subject/notice.html",
        case_id=case.id,
        notice=found,
        notice_html=notices.version(found.html, page.locale),
        one_language=bool(notices.languages(found.html)),
    )


@router.get("/objections/{objection_id}/evidence/{evidence_id}")
def evidence_file(
    page: PageDep, session: SessionDep, objection_id: Id, evidence_id: Id
) -> Response:
    """An evidence file of my case, as stored (checked against its SHA-256)."""
    require(page.principal, Permission.OBJECTION_FILE)
    row = access.case_evidence(session, page.principal, objection_id, evidence_id)
    return Response(
        read(row, page.platform.settings.files_dir),
        media_type=row.content_type,
        headers=download_headers(row),
    )
