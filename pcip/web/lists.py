"""The lists on the web (Art. 22, 32-33, 39; issue 16): the public list pages and the
subject's own listings, over the services of ``pcip.lists``.

* ``/lists``: the list types with their field, scope, standard, removal and legal basis;
* ``/lists/{code}``: the entries in force today, searchable (organisations; persons only on
  lists whose rule publishes them, masked);
* ``/measures``: the punishment measures in force (Art. 34-36) and the incentive measures
  (Art. 31), each with its legal basis;
* ``/me/listings``: the subject's listings (from the pre-designation notice on) and the
  Art. 33 linked records naming it, with how each ends; the statement form while the
  window runs.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Path, Query
from fastapi.responses import HTMLResponse, Response

from pcip import clock
from pcip.auth.permissions import Permission, require
from pcip.doors.api_common import Router, SessionDep
from pcip.errors import Conflict, NotFound, ValidationError
from pcip.lists import designation, public, types
from pcip.lists.linked import own_listings
from pcip.lists.schemas import StatementIn
from pcip.measures import catalogue, incentives
from pcip.web.i18n import N_
from pcip.web.labels import Words
from pcip.web.pages import PageDep, form_errors

router = Router()
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]
Code = Annotated[str, Path(max_length=48, pattern=r"^[a-z][a-z0-9_]*$")]

#: Words the pages show for the list types' fields and states (msgids).
FIELDS = {
    "life_health": N_("Serious harm to life and health (Art. 32(1))"),
    "fair_competition": N_("Serious disruption of fair competition or social order (Art. 32(2))"),
    "statutory_obligations": N_(
        "Refusing statutory obligations, seriously damaging judicial or administrative "
        "credibility (Art. 32(3))"
    ),
    "national_defense_obligation": N_("Refusing national defence obligations (Art. 32(4))"),
    "other_per_state": N_("Other cases the state provides (Art. 32(5))"),
}
STATES = Words("designation_state")
RELATIONS = {
    "listed": N_("You are on the list"),
    "legal_representative": N_("Named as legal representative (Art. 33)"),
    "principal": N_("Named as principal responsible person (Art. 33)"),
    "actual_controller": N_("Named as actual controller (Art. 33)"),
    "other_direct": N_("Named as other directly responsible person (Art. 33)"),
}
SCOPES = {"national": N_("National"), "local": N_("Local")}
KINDS = {
    "serious": N_("List of seriously untrustworthy entities"),
    "anomaly": N_("Operating anomaly list (a reminder list, not a punishment)"),
}
ORIGINS = {
    "platform": N_("Designated on this platform"),
    "imported": N_("Decided by another authority and imported"),
}


@router.get("/lists", response_class=HTMLResponse)
def lists_page(page: PageDep) -> HTMLResponse:
    """Art. 32: every list type, what puts a subject on it and what takes it off."""
    require(page.principal, Permission.LIST_PUBLIC)
    return page.render(
        "portal/lists.html",
        list_types=[types.out(t) for t in types.all_types()],
        FIELDS=FIELDS,
        SCOPES=SCOPES,
        KINDS=KINDS,
        ORIGINS=ORIGINS,
    )


MEASURE_LISTS = {
    "national": N_("National basic list"),
    "city_supplement": N_("City supplement"),
}


@router.get("/measures", response_class=HTMLResponse)
def measures_page(page: PageDep, session: SessionDep) -> HTMLResponse:
    """Art. 31, 34-36: the punishment measures and the incentive measures in force today."""
    require(page.principal, Permission.LIST_PUBLIC)
    today = clock.today()
    return page.render(
        "portal/measures.html",
        punishments=catalogue.in_force(today, session),
        incentives=incentives.in_force(today),
        MEASURE_LISTS=MEASURE_LISTS,
        today=today,
    )


@router.get("/lists/{code}", response_class=HTMLResponse)
def list_page(
    page: PageDep,
    session: SessionDep,
    code: Code,
    q: Annotated[str, Query(max_length=100)] = "",
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> HTMLResponse:
    """Art. 22, 32: the list's entries in force today, with the deciding authority and dates."""
    shown = public.entries(session, page.principal, code, q, offset)
    return page.render(
        "portal/list.html", shown=shown, q=q, offset=offset, page_size=public.PAGE, FIELDS=FIELDS
    )


@router.get("/me/listings", response_class=HTMLResponse)
def my_listings(page: PageDep, session: SessionDep) -> HTMLResponse:
    """Art. 33, 39: my listings and the linked records naming me, and how each ends."""
    require(page.principal, Permission.SELF_INQUIRY)
    assert page.principal.subject_id is not None
    return _mine(page, session)


def _mine(
    page: PageDep, session: SessionDep, status_code: int = 200, **context: Any
) -> HTMLResponse:
    assert page.principal.subject_id is not None
    today = clock.today()
    listings = own_listings(session, page.principal.subject_id, today)
    dues = {}
    for x in listings:
        if x.state == "objection_window":
            d = designation.get(session, page.principal, x.designation_id)
            dues[x.designation_id] = designation.out(session, d).statement_due
    context.setdefault("values", {})
    context.setdefault("errors", {})
    context.setdefault("failed", None)
    return page.render(
        "subject/listings.html",
        status_code=status_code,
        listings=listings,
        dues=dues,
        STATES=STATES,
        RELATIONS=RELATIONS,
        **context,
    )


@router.post("/me/listings/{designation_id}/statement", response_class=HTMLResponse)
def file_statement(
    page: PageDep,
    session: SessionDep,
    designation_id: Id,
    text: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Art. 32 para 3, D-10: my statement or objection while the window runs."""
    require(page.principal, Permission.LIST_STATEMENT)
    try:
        if not text.strip():
            raise ValidationError(N_("write your statement"), field="text")
        designation.file_statement(session, page.principal, designation_id, StatementIn(text=text))
    except (ValidationError, Conflict) as exc:
        return _mine(
            page,
            session,
            status_code=422,
            values={"text": text},
            errors=form_errors(exc),
            failed=designation_id,
        )
    except NotFound:
        raise
    return page.redirect("/me/listings", flash=N_("Your statement was received."))
