"""Public comment on change proposals (Art. 17, 35): the proposals open for comment or
decided, each with its changes against the version in force, the comments shown after
moderation with their answers, and the comment form while the period runs. Anyone comments;
nothing is shown before the development and reform department moderates it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Path
from fastapi.responses import HTMLResponse, Response

from pcip import clock
from pcip.auth.permissions import Permission, require
from pcip.doors.api_common import Router, SessionDep
from pcip.errors import NotFound, PcipError
from pcip.governance import rules, service
from pcip.governance.schemas import CommentIn
from pcip.web.i18n import N_
from pcip.web.labels import Words
from pcip.web.pages import Page, PageDep, form_errors

router = Router()
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]

STATES = Words("proposal_state")
KINDS = {
    "catalog": N_("City supplemental catalog"),
    "measure_list": N_("City supplemental measure list"),
}


@router.get("/consultations", response_class=HTMLResponse)
def consultations(page: PageDep, session: SessionDep) -> HTMLResponse:
    require(page.principal, Permission.CATALOG_READ)
    rows = service.public_proposals(session)
    return page.render("portal/consultations.html", rows=rows, STATES=STATES, KINDS=KINDS)


def _detail(
    page: Page, session: SessionDep, pid: int, status_code: int = 200, **context: Any
) -> HTMLResponse:
    p = service.public_proposal(session, pid)
    open_now = (
        p.state == "consultation"
        and p.comment_closes_on is not None
        and clock.today() <= p.comment_closes_on
    )
    context.setdefault("values", {})
    context.setdefault("errors", {})
    return page.render(
        "portal/consultation.html",
        status_code=status_code,
        p=p,
        diff=service.proposal_diff(session, p),
        comments=service.comments(session, pid, shown_only=True),
        groups=rules.rules().groups,
        group_names={g.code: (g.name_zh, g.name_en) for g in rules.rules().groups},
        open_now=open_now,
        STATES=STATES,
        KINDS=KINDS,
        **context,
    )


@router.get("/consultations/{proposal_id}", response_class=HTMLResponse)
def consultation(page: PageDep, session: SessionDep, proposal_id: Id) -> HTMLResponse:
    require(page.principal, Permission.CATALOG_READ)
    return _detail(page, session, proposal_id)


@router.post("/consultations/{proposal_id}", response_class=HTMLResponse)
def comment(
    page: PageDep,
    session: SessionDep,
    proposal_id: Id,
    group: Annotated[str, Form(max_length=32)] = "",
    author: Annotated[str, Form(max_length=100)] = "",
    body: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    require(page.principal, Permission.PROPOSAL_COMMENT)
    values = {"group": group, "author": author, "body": body}
    try:
        if len(body.strip()) < 2:
            from pcip.errors import ValidationError

            raise ValidationError(N_("write your comment"), field="body")
        service.comment(
            session, page.principal, proposal_id, CommentIn(group=group, author=author, body=body)
        )
    except NotFound:
        raise
    except PcipError as exc:
        return _detail(
            page, session, proposal_id, status_code=422, values=values, errors=form_errors(exc)
        )
    return page.redirect(
        f"/consultations/{proposal_id}",
        flash=N_("Thank you. Your comment will be published after review, with the answer."),
    )
