"""The public portal (Art. 22 lawful public disclosure): anyone, no sign-in.

* ``/``: organisations by name or USCC (htmx live results; the plain form works without
  JavaScript);
* ``/organisations/{key}``: an organisation's publicly disclosed records, with provenance and
  any objection label, through ``inquiry.service.public_organisation`` (so it is logged);
* ``/persons``: a natural person only by the exact identifier, in a POST form (never in a URL);
* ``/rules``: what the Regulations say about disclosure periods, objections and restoration.

Searches and disclosures are throttled per client like the API's (Art. 28).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Form, Path
from fastapi.responses import HTMLResponse
from pydantic import ValidationError as PydanticError

from pcip.auth.permissions import Permission, require
from pcip.doors.api_common import Router, SessionDep
from pcip.errors import NotFound, ValidationError
from pcip.inquiry import service
from pcip.inquiry.api import check_public_rate, public_rate_limit
from pcip.inquiry.name_search import MAX_QUERY, search_page
from pcip.inquiry.schemas import Channel, PersonLookup
from pcip.kernel.messages import msg
from pcip.web.i18n import N_
from pcip.web.labels import FieldLabels
from pcip.web.pages import PageDep, form_errors

router = Router()
Throttled = [Depends(public_rate_limit)]

#: Rules pages: (slug, title msgid); the text is a template per language (long prose).
RULES = (
    ("disclosure", N_("What is disclosed, and for how long")),
    ("objections", N_("Objections to your information")),
    ("restoration", N_("Credit restoration")),
    ("rights", N_("Your rights: self inquiry, authorizations, who looked")),
)


@router.get("/", response_class=HTMLResponse)
def home(page: PageDep, session: SessionDep, q: str = "", p: str = "1") -> HTMLResponse:
    """Search organisations; with ``q``, a page of results (a fragment for htmx). A page
    number that is not one shows the first page."""
    answer = None
    errors: dict[str, str] = {}
    if q.strip():
        check_public_rate(page.request, page.platform)
        require(page.principal, Permission.PUBLIC_SEARCH)
        try:
            number = int(p) if p.isascii() and p.isdigit() and len(p) < 5 else 1
            answer = search_page(session, q, page=number)
        except ValidationError as exc:
            errors = form_errors(exc)
    shown = answer.q if answer is not None else q.strip()[:MAX_QUERY]
    if page.is_htmx:
        return page.render("portal/_results.html", q=shown, answer=answer, errors=errors)
    status = 422 if errors else 200
    return page.render(
        "portal/home.html",
        status_code=status,
        q=shown,
        answer=answer,
        errors=errors,
        values={"q": shown},
    )


@router.get("/organisations/{key}", response_class=HTMLResponse, dependencies=Throttled)
def organisation(
    page: PageDep,
    session: SessionDep,
    key: Annotated[str, Path(max_length=32)],
) -> HTMLResponse:
    """Art. 22: an organisation's lawfully disclosed records (the read is logged)."""
    from pcip.pledges.service import declarations_of  # Art. 26: self-declared, labelled
    from pcip.reports.summary import public_summary  # issue 19.6: the report's sections

    result = service.public_organisation(session, page.principal, key, Channel.WEB)
    declared = declarations_of(session, result.subject.subject_id) if result.subject else []
    summary = (
        public_summary(session, result.subject.subject_id, result.records, result.on)
        if result.subject
        else None
    )
    return page.render(
        "portal/organisation.html",
        result=result,
        summary=summary,
        labels=FieldLabels(session),
        declarations=declared,
    )


@router.get("/persons", response_class=HTMLResponse)
def person_form(page: PageDep) -> HTMLResponse:
    return page.render("portal/person.html", result=None, values={"id_kind": "citizen_id"})


@router.post("/persons", response_class=HTMLResponse, dependencies=Throttled)
def person_lookup(
    page: PageDep,
    session: SessionDep,
    id_kind: Annotated[str, Form()] = "citizen_id",
    citizen_id: Annotated[str, Form(max_length=32)] = "",
    document_type: Annotated[str, Form(max_length=48)] = "",
    document_number: Annotated[str, Form(max_length=48)] = "",
    document_country: Annotated[str, Form(max_length=3)] = "",
) -> HTMLResponse:
    """Art. 22: a natural person's public records, only by the exact identifier (POST: the
    number never appears in a URL or an access log)."""
    values = {
        "id_kind": id_kind,
        "citizen_id": citizen_id,
        "document_type": document_type,
        "document_number": document_number,
        "document_country": document_country,
    }
    try:
        body = _lookup(values)
        result = service.public_person(
            session, page.platform.keyring, page.principal, body, Channel.WEB
        )
    except (ValidationError, NotFound) as exc:
        return page.render(
            "portal/person.html",
            status_code=422,
            result=None,
            values=values,
            errors=form_errors(exc),
        )
    return page.render(
        "portal/person.html",
        result=result,
        values={"id_kind": id_kind},
        labels=FieldLabels(session),
        asked=True,
    )


def _lookup(values: dict[str, str]) -> PersonLookup:
    if values["id_kind"] == "document":
        if not values["document_number"].strip():
            raise ValidationError(N_("enter the document number"), field="document_number")
        if not values["document_type"].strip():
            raise ValidationError(N_("enter the document type"), field="document_type")
        fields = {
            "document_type": values["document_type"].strip(),
            "document_number": values["document_number"].strip(),
            "document_country": values["document_country"].strip().upper() or None,
        }
    else:
        if not values["citizen_id"].strip():
            raise ValidationError(N_("enter the citizen ID number"), field="citizen_id")
        fields = {"citizen_id": values["citizen_id"].strip()}
    try:
        return PersonLookup(**fields)
    except PydanticError as exc:
        raise ValidationError(str(exc.errors()[0]["msg"]), field="citizen_id") from None


@router.get("/rules", response_class=HTMLResponse)
def rules(page: PageDep) -> HTMLResponse:
    return page.render("portal/rules.html", topics=RULES)


@router.get("/rules/{topic}", response_class=HTMLResponse)
def rule(page: PageDep, topic: str) -> HTMLResponse:
    titles = dict(RULES)
    if topic not in titles:
        raise NotFound(msg("console.no_rules_page", topic=topic[:40]), field="topic")
    locale = "zh_CN" if page.locale.startswith("zh") else "en"
    return page.render(
        "portal/rule.html",
        topic=topic,
        title=titles[topic],
        topics=RULES,
        body=f"portal/rules/{topic}.{locale}.html",
    )
