"""The subject's complaints on the web (Art. 46; issue 17.4): ``/me/complaints`` lists the
subject's complaints with every step and date and the day each answer is due, and lodges a
new one about the collection, disclosure or use of its credit information. The rules are in
``pcip.complaints.service``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError as PydanticError

from pcip.auth.permissions import Permission, require
from pcip.complaints import service
from pcip.complaints.schemas import ComplaintIn
from pcip.doors.api_common import Router, SessionDep
from pcip.errors import Collect, Conflict, NotFound, ValidationError
from pcip.web.i18n import N_
from pcip.web.labels import Words
from pcip.web.pages import PageDep, form_errors

router = Router()

#: The words a citizen reads (no internal codes).
CATEGORIES = {
    "collection": N_("How my credit information was collected"),
    "disclosure": N_("How my credit information was disclosed"),
    "use": N_("How my credit information was used"),
    "bundled_consent": N_("A service was made to depend on my consent"),
    "market_dispute": N_("A credit agency's or other market body's information about me"),
}
STEPS = Words("complaint_state")
DEADLINES = {"accept": N_("Decision on accepting it due by"), "answer": N_("Answer due by")}


def _mine(
    page: PageDep, session: SessionDep, status_code: int = 200, **context: Any
) -> HTMLResponse:
    rows = [service.out(session, c) for c in service.mine(session, page.principal)]
    context.setdefault("values", {})
    context.setdefault("errors", {})
    return page.render(
        "subject/complaints.html",
        status_code=status_code,
        complaints=rows,
        CATEGORIES=CATEGORIES,
        STEPS=STEPS,
        DEADLINES=DEADLINES,
        **context,
    )


@router.get("/me/complaints", response_class=HTMLResponse)
def my_complaints(page: PageDep, session: SessionDep) -> HTMLResponse:
    """Art. 46: my complaints, each step and its date, and when the answer is due."""
    require(page.principal, Permission.COMPLAINT_FILE)
    return _mine(page, session)


@router.post("/me/complaints", response_class=HTMLResponse)
def lodge(
    page: PageDep,
    session: SessionDep,
    category: Annotated[str, Form(max_length=32)] = "",
    against: Annotated[str, Form(max_length=200)] = "",
    description: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """Art. 46: lodge a complaint."""
    require(page.principal, Permission.COMPLAINT_FILE)
    values = {"category": category, "against": against, "description": description}
    try:
        # Issue 19.8: every field is checked before the form is refused.
        problems = Collect()
        if category not in CATEGORIES:
            with problems:
                raise ValidationError(N_("choose what the complaint is about"), field="category")
        if not against.strip():
            with problems:
                raise ValidationError(N_("name the body the complaint is about"), field="against")
        if not description.strip():
            with problems:
                raise ValidationError(N_("describe what happened"), field="description")
        try:
            body = ComplaintIn.model_validate(values)
        except PydanticError as exc:
            for error in exc.errors():
                with problems:
                    raise ValidationError(str(error["msg"]), field=str(error["loc"][0])) from None
        problems.raise_any()
        service.lodge(session, page.principal, body, "portal")
    except (ValidationError, Conflict, NotFound) as exc:
        return _mine(page, session, status_code=422, values=values, errors=form_errors(exc))
    return page.redirect("/me/complaints", flash=N_("Your complaint was received."))
