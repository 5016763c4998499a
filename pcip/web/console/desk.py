"""Registering an objection received at a service desk, by post, from Credit China or another
department (Art. 40 para 1): find the subject by its identifier, choose the disputed
records, and record when it was received.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError as PydanticError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from pcip.auth.permissions import require
from pcip.clock import CST
from pcip.doors.http_guard import UPLOAD_BODY
from pcip.errors import Collect, Forbidden, NotFound, PcipError, Unauthorized, ValidationError
from pcip.inquiry.schemas import SubjectRef
from pcip.inquiry.service import find_subject
from pcip.kernel.messages import msg
from pcip.objections import service
from pcip.objections.codes import (
    GROUNDS,
    REGISTERED_CHANNELS,
)
from pcip.objections.evidence import EvidenceFile
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
from pcip.web.pages import Page, PageDep

router = console_router()
#: Channels an objection reaches the operator through other than the subject's own pages.
DESK_CHANNELS = REGISTERED_CHANNELS
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
        # Issue 19.8: both fields are checked before the search is refused.
        problems = Collect()
        if id_type not in ID_TYPES:
            with problems:
                raise ValidationError(msg("console.choose_identifier_kind"), field="id_type")
        if not identifier:
            with problems:
                raise ValidationError(msg("console.type_identifier"), field="identifier")
        problems.raise_any()
        try:
            ref = SubjectRef(**{id_type: identifier})
        except PydanticError:
            raise ValidationError(msg("console.invalid_identifier"), field="identifier") from None
        with page.platform.transaction() as s:
            found = find_subject(s, page.platform.keyring, ref, prefix="")
            if found is None:
                raise NotFound(msg("inquiry.no_subject_under_identifier"), field="identifier")
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
            msg("console.not_a_time", value=repr(value)), field="received_at"
        ) from None
    return at if at.tzinfo is not None else at.replace(tzinfo=CST)


def _receive(page: Page, form: FormData, files: list[EvidenceFile]) -> int:
    subject_id = parse_id(text(form, "subject_id"), "identifier")
    if subject_id is None:
        raise ValidationError(msg("console.find_subject_first"), field="identifier")
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
