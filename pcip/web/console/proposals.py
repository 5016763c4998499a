"""Change proposals in the console (SM-4, SM-5; Art. 17-18, 35-36): a city department drafts
and submits a proposal; the development and reform department screens it, runs the public
comment (moderating and answering the comments), records the municipal government's decision
with its document and publishes the new version. Every rule is ``pcip.governance.service``'s.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

import yaml
from fastapi import Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError as PydanticError
from starlette.concurrency import run_in_threadpool

from pcip.auth.permissions import allowed, require
from pcip.errors import Collect, NotFound, PcipError, ValidationError
from pcip.governance import rules, service
from pcip.governance.schemas import (
    AnswerIn,
    ConsultationIn,
    DecisionIn,
    ModerationIn,
    ProposalIn,
    PublishIn,
)
from pcip.kernel.messages import Either, msg
from pcip.web.console.common import (
    P,
    console_router,
    errors_of,
    form_values,
    render,
    schema_refusal,
)
from pcip.web.i18n import N_
from pcip.web.labels import Words, word
from pcip.web.pages import Page, PageDep

router = console_router()
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]

STATES = Words("proposal_state")
KINDS = {
    "catalog": N_("City supplemental catalog"),
    "measure_list": N_("City supplemental measure list"),
}
ACTIONS = {
    "add": N_("Add an item"),
    "replace": N_("Replace an item"),
    "remove": N_("Remove an item"),
}
#: The steps and who takes them (their words: the vocabulary's ``proposal_step``).
STEPS = {
    "submit": P.PROPOSAL_DRAFT,
    "withdraw": P.PROPOSAL_DRAFT,
    "screen": P.PROPOSAL_MANAGE,
    "return": P.PROPOSAL_MANAGE,
    "open": P.PROPOSAL_MANAGE,
    "moderate": P.PROPOSAL_MANAGE,
    "answer": P.PROPOSAL_MANAGE,
    "close": P.PROPOSAL_MANAGE,
    "to_mpg": P.PROPOSAL_MANAGE,
    "decide": P.PROPOSAL_MANAGE,
    "publish": P.PROPOSAL_MANAGE,
}


def _read(page: Page) -> None:
    if not allowed(page.principal, P.PROPOSAL_DRAFT):
        require(page.principal, P.PROPOSAL_MANAGE)


def _list(page: Page, status_code: int = 200, **context: Any) -> HTMLResponse:
    with page.platform.transaction() as s:
        rows = service.proposals(s)
    context.setdefault("values", {"kind": "catalog", "action": "add"})
    context.setdefault("errors", {})
    return render(
        page,
        "console/proposals.html",
        status_code=status_code,
        rows=rows,
        STATES=STATES,
        KINDS=KINDS,
        ACTIONS=ACTIONS,
        **context,
    )


@router.get("/proposals")
def proposals(page: PageDep) -> HTMLResponse:
    _read(page)
    return _list(page)


def _item(raw: str) -> dict[str, Any]:
    if not raw.strip():
        return {}
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise ValidationError(
            msg("console.not_yaml", formats=Either(["YAML", "JSON"]), why=exc), field="item"
        ) from None
    if not isinstance(data, dict):
        raise ValidationError(msg("console.item_mapping"), field="item")
    return data


def _pyd(exc: PydanticError) -> ValidationError:
    return schema_refusal(exc)


@router.post("/proposals")
async def create(page: PageDep, request: Request) -> Response:
    require(page.principal, P.PROPOSAL_DRAFT)
    values = form_values(await request.form())

    def run() -> Response:
        try:
            try:
                body = ProposalIn(
                    kind=values.get("kind", ""),
                    action=values.get("action", ""),
                    item_code=str(values.get("item_code", "")).strip(),
                    item=_item(str(values.get("item", ""))),
                    title=str(values.get("title", "")).strip(),
                    rationale=str(values.get("rationale", "")).strip(),
                    citation=str(values.get("citation", "")),
                    justification=str(values.get("justification", "")),
                )
            except PydanticError as exc:
                raise _pyd(exc) from None
            with page.platform.transaction() as s:
                pid = service.propose(s, page.principal, body).id
        except PcipError as exc:
            return _list(page, status_code=422, values=values, errors=errors_of(exc))
        return RedirectResponse(f"/console/proposals/{pid}", status_code=303)

    return await run_in_threadpool(run)


def _detail(page: Page, pid: int, status_code: int = 200, **context: Any) -> HTMLResponse:
    with page.platform.transaction() as s:
        p = service.get(s, pid)
        mine_only = not allowed(page.principal, P.PROPOSAL_MANAGE)
        if mine_only and p.provider_id != page.principal.provider_id:
            raise NotFound(msg("governance.no_proposal", id=pid), field="proposal_id")
        history = service.history(s, pid)
        comments = service.comments(s, pid, shown_only=False)
        diff = service.proposal_diff(s, p)
        s.expunge_all()
    context.setdefault("errors", {})
    context.setdefault("values", {})
    steps = {
        k: word("proposal_step", k) for k, perm in STEPS.items() if allowed(page.principal, perm)
    }
    return render(
        page,
        "console/proposal.html",
        status_code=status_code,
        p=p,
        history=history,
        comments=comments,
        diff=diff,
        STATES=STATES,
        KINDS=KINDS,
        ACTIONS=ACTIONS,
        steps=steps,
        groups={g.code: (g.name_zh, g.name_en) for g in rules.rules().groups},
        item_text=json.dumps(p.item, ensure_ascii=False, indent=2),
        **context,
    )


@router.get("/proposals/{proposal_id}")
def detail(page: PageDep, proposal_id: Id) -> HTMLResponse:
    _read(page)
    return _detail(page, proposal_id)


def _date(values: dict[str, Any], name: str) -> date | None:
    raw = str(values.get(name, "")).strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(msg("console.not_a_date", value=repr(raw)), field=name) from None


def _comment_id(values: dict[str, Any]) -> int:
    raw = str(values.get("comment_id", ""))
    if not raw.isdigit():
        raise ValidationError(msg("console.which_comment"), field="comment_id")
    return int(raw)


def _publish_in(v: dict[str, Any]) -> PublishIn:
    """The version and the day in force, both checked before either is refused (issue 19.8)."""
    problems = Collect()
    on = None
    with problems:
        on = _date(v, "effective_from")
        if on is None:
            raise ValidationError(msg("console.effective_date"), field="effective_from")
    try:
        body = PublishIn.model_validate(
            {"version": str(v.get("version", "")).strip(), "effective_from": on}
        )
    except PydanticError as exc:
        raise schema_refusal(exc, problems=problems) from None
    problems.raise_any()
    return body


def _step(page: Page, pid: int, step: str, v: dict[str, Any]) -> None:
    who = page.principal
    reason = str(v.get("reason", "")).strip()
    with page.platform.transaction() as s:
        try:
            if step == "submit":
                service.submit(s, who, pid)
            elif step == "withdraw":
                service.withdraw(s, who, pid, reason)
            elif step == "screen":
                service.screen(s, who, pid)
            elif step == "return":
                service.return_(s, who, pid, reason)
            elif step == "open":
                days = str(v.get("days", "")).strip()
                service.open_consultation(
                    s, who, pid, ConsultationIn(days=int(days) if days.isdigit() else None)
                )
            elif step == "moderate":
                service.moderate(
                    s, who, _comment_id(v), ModerationIn(show=v.get("show") == "1", reason=reason)
                )
            elif step == "answer":
                service.answer(s, who, _comment_id(v), AnswerIn(answer=str(v.get("answer", ""))))
            elif step == "close":
                service.close_consultation(s, who, pid)
            elif step == "to_mpg":
                service.submit_to_mpg(s, who, pid)
            elif step == "decide":
                service.record_decision(
                    s,
                    who,
                    pid,
                    DecisionIn(
                        approved=v.get("approved") == "1",
                        number=str(v.get("number", "")),
                        issuer=str(v.get("issuer", "")),
                        decided_on=_date(v, "decided_on"),
                        note=str(v.get("note", "")),
                    ),
                )
            elif step == "publish":
                service.publish(s, who, pid, _publish_in(v))
            else:
                raise ValidationError(msg("console.no_step", step=repr(step)), field="step")
        except PydanticError as exc:
            raise _pyd(exc) from None


@router.post("/proposals/{proposal_id}/step/{step}")
async def step(
    page: PageDep,
    request: Request,
    proposal_id: Id,
    step: Annotated[str, Path(max_length=16, pattern=r"^[a-z_]+$")],
) -> Response:
    _read(page)
    values = form_values(await request.form())

    def run() -> Response:
        try:
            _step(page, proposal_id, step, values)
        except PcipError as exc:
            if exc.http_status in (401, 403, 404):
                raise
            return _detail(
                page,
                proposal_id,
                status_code=422,
                values=values,
                errors=errors_of(exc),
                failed=step,
            )
        return RedirectResponse(f"/console/proposals/{proposal_id}", status_code=303)

    return await run_in_threadpool(run)
