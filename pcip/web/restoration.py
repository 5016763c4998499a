"""The subject's restoration and pledge pages (``/me/restorations``, ``/me/pledges``; Art. 26,
45): apply for credit restoration with proof and the pledge, follow each case step by step,
make credit pledges and register voluntary information (self-declared). Each page calls the
service the API's ``/api/v1/me/...`` calls; the services check the permission."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import File, Form, Path, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, require
from pcip.doors.api_common import MAX_ID, Router, SessionDep
from pcip.doors.http_guard import UPLOAD_BODY
from pcip.errors import Collect, PcipError, ValidationError
from pcip.inquiry import service as inquiry
from pcip.inquiry.schemas import Channel
from pcip.objections.evidence import EvidenceFile
from pcip.pledges import service as pledges
from pcip.pledges.texts import text_for, texts
from pcip.restoration import service as restoration
from pcip.restoration.service import TooEarly
from pcip.web.i18n import N_
from pcip.web.labels import Words
from pcip.web.pages import Page, PageDep, form_errors

router = Router(prefix="/me")
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Uploads = Annotated[list[UploadFile], File()]

#: Words for the states and steps of a case (msgids).
STATES = Words("restoration_state")
STEPS = Words("restoration_event")
DEADLINES = {
    "acceptance": N_("Decision whether to accept"),
    "result": N_("Restoration result"),
}
CHANNELS = {
    "online": N_("Applied online"),
    "api": N_("Applied through the API"),
    "window": N_("Registered at a service window"),
}
DECLARATION_WORDS = {
    "credential": N_("Credentials and licences"),
    "market_operation": N_("Market operations"),
    "contract_performance": N_("Contract performance"),
    "public_interest": N_("Public interest activities"),
}
MATTERS = {
    "restoration": N_("Credit restoration"),
    "self_declaration": N_("Self-declared information"),
    "administrative_matter": N_("An administrative matter"),
}
PLEDGE_STATUS = {"open": N_("Being performed"), "kept": N_("Kept"), "broken": N_("Broken")}
assert set(DECLARATION_WORDS) == set(pledges.KINDS)


def _files(uploads: list[UploadFile] | None) -> list[EvidenceFile]:
    return [
        EvidenceFile(u.filename or "", u.file.read(), u.content_type)
        for u in uploads or []
        if u.filename
    ]


def _words() -> dict[str, Any]:
    return {
        "STATES": STATES,
        "STEPS": STEPS,
        "DEADLINES": DEADLINES,
        "DECLARATION_WORDS": DECLARATION_WORDS,
        "MATTERS": MATTERS,
        "PLEDGE_STATUS": PLEDGE_STATUS,
        "CHANNELS": CHANNELS,
    }


@router.get("/restorations", response_class=HTMLResponse)
def my_restorations(page: PageDep, session: SessionDep) -> HTMLResponse:
    """Art. 45: my restoration applications, each with its state and dates."""
    cases = restoration.mine(session, page.principal)
    return page.render("subject/restorations.html", cases=cases, **_words())


def _apply_form(
    page: Page,
    session: Session,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    possible_from: Any = None,
) -> HTMLResponse:
    require(page.principal, Permission.RESTORATION_APPLY)
    assert page.principal.subject_id is not None
    # Choosing a record is reading it: a self inquiry, logged like any other (Art. 22).
    own = inquiry.own(session, page.principal, Channel.WEB)
    openings = restoration.openings_for(session, page.principal.subject_id)
    records = [r for r in own.records if r.polarity == "negative"]
    return page.render(
        "subject/restoration_new.html",
        status_code=status_code,
        records=records,
        openings=openings,
        today=clock.today(),
        pledge=text_for("restoration"),
        values=values,
        errors=errors or {},
        possible_from=possible_from,
    )


@router.get("/restorations/new", response_class=HTMLResponse)
def new_restoration(page: PageDep, session: SessionDep, record: int | None = None) -> HTMLResponse:
    require(page.principal, Permission.RESTORATION_APPLY)
    return _apply_form(page, session, {"record_id": str(record) if record else ""})


@router.post("/restorations", response_class=HTMLResponse, max_body_size=UPLOAD_BODY)
def apply(
    page: PageDep,
    session: SessionDep,
    record_id: Annotated[str, Form(max_length=20)] = "",
    correction: Annotated[str, Form(max_length=4000)] = "",
    pledge: Annotated[str, Form(max_length=8)] = "",
    proof: Uploads = [],  # noqa: B006 - FastAPI reads the default, never mutates it
) -> Response:
    """Art. 45 para 1: apply with proof and the credit pledge, free of charge."""
    require(page.principal, Permission.RESTORATION_APPLY)
    values = {"record_id": record_id, "correction": correction, "pledge": pledge}
    try:
        # Issue 19.8: every field is checked before the form is refused.
        problems = Collect()
        if not (record_id.strip().isascii() and record_id.strip().isdigit()):
            with problems:
                raise ValidationError(N_("choose a record from the list"), field="record_id")
        if pledge != "yes":
            with problems:
                raise ValidationError(
                    N_("restoration needs the credit pledge: tick it to make it"), field="pledge"
                )
        if problems.failed:
            with problems:
                restoration.check_fields(correction, None, _files(proof))
        problems.raise_any()
        a = restoration.apply(
            session,
            page.principal,
            record_id=int(record_id),
            correction=correction,
            files=_files(proof),
            channel="online",
            files_dir=page.platform.settings.files_dir,
        )
    except PcipError as exc:
        session.rollback()
        day = exc.possible_from if isinstance(exc, TooEarly) else None
        return _apply_form(
            page, session, values, form_errors(exc), status_code=422, possible_from=day
        )
    return page.redirect(
        f"/me/restorations/{a.id}", flash=N_("Your restoration application was received.")
    )


@router.get("/restorations/{restoration_id}", response_class=HTMLResponse)
def my_case(page: PageDep, session: SessionDep, restoration_id: Id) -> HTMLResponse:
    """Every step and date of one of my cases, with the pledge I made."""
    require(page.principal, Permission.RESTORATION_APPLY)
    case = restoration.get(session, page.principal, restoration_id)
    pledge = pledges.get_pledge(session, page.principal, case.application.pledge_id)
    return page.render("subject/restoration.html", case=case, pledge=pledge, **_words())


@router.post(
    "/restorations/{restoration_id}/materials",
    response_class=HTMLResponse,
    max_body_size=UPLOAD_BODY,
)
def supply(
    page: PageDep,
    session: SessionDep,
    restoration_id: Id,
    note: Annotated[str, Form(max_length=4000)] = "",
    proof: Uploads = [],  # noqa: B006
) -> Response:
    require(page.principal, Permission.RESTORATION_APPLY)
    try:
        restoration.supply_materials(
            session,
            page.principal,
            restoration_id,
            note,
            _files(proof),
            page.platform.settings.files_dir,
        )
    except PcipError as exc:
        session.rollback()
        case = restoration.get(session, page.principal, restoration_id)
        pledge = pledges.get_pledge(session, page.principal, case.application.pledge_id)
        return page.render(
            "subject/restoration.html",
            status_code=422,
            case=case,
            pledge=pledge,
            errors=form_errors(exc),
            values={"note": note},
            **_words(),
        )
    return page.redirect(
        f"/me/restorations/{restoration_id}", flash=N_("Your materials were received.")
    )


# --- pledges and voluntary information (Art. 26, 18(6)) -----------------------------------


def _pledges_page(
    page: Page,
    session: Session,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return page.render(
        "subject/pledges.html",
        status_code=status_code,
        pledges=pledges.my_pledges(session, page.principal),
        declarations=pledges.my_declarations(session, page.principal),
        texts=texts(),
        values=values or {},
        errors=errors or {},
        **_words(),
    )


@router.get("/pledges", response_class=HTMLResponse)
def my_pledges(page: PageDep, session: SessionDep) -> HTMLResponse:
    require(page.principal, Permission.PLEDGE_MAKE)
    return _pledges_page(page, session)


@router.post("/pledges", response_class=HTMLResponse)
def make_pledge(
    page: PageDep,
    session: SessionDep,
    matter: Annotated[str, Form(max_length=32)] = "",
    concerning: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Art. 26: pledge with the standard text of a matter."""
    require(page.principal, Permission.PLEDGE_MAKE)
    assert page.principal.subject_id is not None
    try:
        if matter not in ("administrative_matter",):
            raise ValidationError(N_("choose the matter of the pledge"), field="matter")
        pledges.make_pledge(
            session,
            page.principal,
            subject_id=page.principal.subject_id,
            matter=matter,
            concerning=concerning,
        )
    except PcipError as exc:
        session.rollback()
        values = {"matter": matter, "concerning": concerning}
        return _pledges_page(page, session, values, form_errors(exc), status_code=422)
    return page.redirect("/me/pledges", flash=N_("Your credit pledge was recorded."))


@router.post("/declarations", response_class=HTMLResponse)
def declare(
    page: PageDep,
    session: SessionDep,
    kind: Annotated[str, Form(max_length=32)] = "",
    title: Annotated[str, Form(max_length=200)] = "",
    content: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Art. 26, 18(6): register information of my own will, with the pledge on it."""
    require(page.principal, Permission.PLEDGE_MAKE)
    try:
        pledges.declare(session, page.principal, kind=kind, title=title, content=content)
    except PcipError as exc:
        session.rollback()
        values = {"kind": kind, "title": title, "content": content}
        return _pledges_page(page, session, values, form_errors(exc), status_code=422)
    return page.redirect("/me/pledges", flash=N_("Your information was registered."))


@router.post("/declarations/{declaration_id}/withdraw", response_class=HTMLResponse)
def withdraw(page: PageDep, session: SessionDep, declaration_id: Id) -> Response:
    require(page.principal, Permission.PLEDGE_MAKE)
    pledges.withdraw_declaration(session, page.principal, declaration_id)
    return page.redirect("/me/pledges", flash=N_("The information is no longer shown."))
