"""The public directory of filed credit service establishments (Art. 47, 49): public fields
only, filterable by category (Art. 47 categorical regulation), over
``pcip.establishments.filings``."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query
from fastapi.responses import HTMLResponse

from pcip.doors.api_common import Router, SessionDep
from pcip.establishments import filings
from pcip.kernel import vocabulary
from pcip.web.pages import PageDep

router = Router()
CategoryParam = Literal[
    "",
    "public_service",
    "credit_reporting",
    "rating",
    "information_inquiry",
    "risk_control",
    "other",
]


@router.get("/establishments", response_class=HTMLResponse)
def directory_page(
    page: PageDep, session: SessionDep, category: Annotated[CategoryParam, Query()] = ""
) -> HTMLResponse:
    """Art. 47, 49: the filed establishments, by name."""
    rows = filings.directory(session, page.principal, category or None)
    return page.render(
        "portal/establishments.html",
        rows=rows,
        category=category,
        categories=vocabulary.codes("establishment_category"),
    )
