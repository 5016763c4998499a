"""The HTTP door onto change proposals (SM-4, SM-5; Art. 17-18, 35-36): the public reads the
proposals open for comment or decided, with their diff, and comments (as on the portal's
comment form: the same service, and no throttle there either); a city department drafts,
submits and withdraws its own; the development and reform department takes every other step,
as in the console. Thin routes: every rule is ``pcip.governance.service``'s."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body

from pcip.auth.api import PrincipalDep
from pcip.auth.permissions import Permission, Principal, allowed, require
from pcip.doors.api_common import AUTH_RESPONSES, ERROR_RESPONSES, IdPath, Router, SessionDep
from pcip.governance import service
from pcip.governance.schemas import (
    AnswerIn,
    CommentIn,
    CommentOut,
    ConsultationIn,
    DecisionIn,
    EventOut,
    ModerationIn,
    ProposalDetailOut,
    ProposalIn,
    ProposalOut,
    PublishIn,
    ReasonIn,
    ScreeningOut,
)

RESPONSES = {**ERROR_RESPONSES, **AUTH_RESPONSES}


def _example(value: dict[str, Any]) -> Any:
    """The request body's documented example (on the media type, as OpenAPI shows it)."""
    return Body(openapi_examples={"example": {"summary": "an example", "value": value}})


proposals = Router(prefix="/proposals", tags=["change proposals"], responses=RESPONSES)
comments = Router(prefix="/proposal-comments", tags=["change proposals"], responses=RESPONSES)

CITATION = "《重庆市社会信用条例》第十七条；《重庆市优化营商环境条例》第四十五条"
ProposalBody = Annotated[
    ProposalIn,
    _example(
        {
            "kind": "measure_list",
            "action": "remove",
            "item_code": "cq_old_measure",
            "title": "删除过时的惩戒措施",
            "rationale": "所依据的地方性法规条款已废止",
            "citation": CITATION,
            "justification": "措施与失信行为不再相关，删除后更符合比例原则",
        }
    ),
]
CommentBody = Annotated[
    CommentIn,
    _example({"group": "public", "author": "市民", "body": "建议明确认证机构的范围"}),
]
ReasonBody = Annotated[ReasonIn, _example({"reason": "职责调整，不再提出"})]
ConsultationBody = Annotated[ConsultationIn | None, _example({"days": 30})]
ModerationBody = Annotated[ModerationIn, _example({"show": True, "reason": ""})]
AnswerBody = Annotated[AnswerIn, _example({"answer": "已采纳，限于依法设立的认证机构"})]
DecisionBody = Annotated[
    DecisionIn,
    _example(
        {
            "approved": True,
            "number": "渝府〔2026〕88号",
            "issuer": "重庆市人民政府",
            "decided_on": "2026-12-01",
        }
    ),
]
PublishBody = Annotated[PublishIn, _example({"version": "2026.1", "effective_from": "2027-01-01"})]


def _staff(principal: Principal, p: Any = None) -> bool:
    """The console's reading rule: the D&R department sees every proposal in full; a
    department sees its own in full (``pcip.web.console.proposals``)."""
    if allowed(principal, Permission.PROPOSAL_MANAGE):
        return True
    if not allowed(principal, Permission.PROPOSAL_DRAFT):
        return False
    return p is None or (p.provider_id is not None and p.provider_id == principal.provider_id)


def _out(p: Any) -> ProposalOut:
    return ProposalOut.model_validate(p)


def _detail(session: SessionDep, principal: Principal, proposal_id: int) -> ProposalDetailOut:
    p = service.get(session, proposal_id)
    full = _staff(principal, p)
    if not full:
        p = service.public_proposal(session, proposal_id)  # else: not found
    out: dict[str, Any] = ProposalOut.model_validate(p).model_dump()
    return ProposalDetailOut(
        **out,
        diff=service.proposal_diff(session, p),
        comments=[
            CommentOut.model_validate(c)
            for c in service.comments(session, p.id, shown_only=not full)
        ],
        history=[EventOut.model_validate(e) for e in service.history(session, p.id)]
        if full
        else [],
    )


@proposals.get("", response_model=list[ProposalOut])
def list_proposals(session: SessionDep, principal: PrincipalDep) -> list[ProposalOut]:
    """Art. 17, 35: the proposals open for comment or decided (staff of a department and the
    development and reform department: every proposal, newest first)."""
    require(principal, Permission.CATALOG_READ)
    rows = service.proposals(session) if _staff(principal) else service.public_proposals(session)
    return [_out(p) for p in rows]


@proposals.post("", response_model=ProposalOut, status_code=201)
def propose(body: ProposalBody, session: SessionDep, principal: PrincipalDep) -> ProposalOut:
    """Art. 17, 35: a city department drafts a proposal (one item added, replaced or removed)."""
    return _out(service.propose(session, principal, body))


@proposals.get("/{proposal_id}", response_model=ProposalDetailOut)
def proposal(
    proposal_id: IdPath, session: SessionDep, principal: PrincipalDep
) -> ProposalDetailOut:
    """Art. 17, 35: a proposal with its readable diff and its comments (the public: only a
    proposal open for comment or decided, and only the comments shown after moderation)."""
    require(principal, Permission.CATALOG_READ)
    return _detail(session, principal, proposal_id)


@proposals.post("/{proposal_id}/comments", response_model=CommentOut, status_code=201)
def comment(
    proposal_id: IdPath, body: CommentBody, session: SessionDep, principal: PrincipalDep
) -> CommentOut:
    """Art. 17, 35: anyone comments while the period runs, naming their stakeholder group; the
    comment is shown only after moderation."""
    return CommentOut.model_validate(service.comment(session, principal, proposal_id, body))


@proposals.post("/{proposal_id}/submission", response_model=ProposalOut)
def submit(proposal_id: IdPath, session: SessionDep, principal: PrincipalDep) -> ProposalOut:
    """Art. 17, 35: the department submits its draft (or returned) proposal; never without the
    local-regulation provision it rests on."""
    return _out(service.submit(session, principal, proposal_id))


@proposals.post("/{proposal_id}/withdrawal", response_model=ProposalOut)
def withdraw(
    proposal_id: IdPath, body: ReasonBody, session: SessionDep, principal: PrincipalDep
) -> ProposalOut:
    """The department withdraws its proposal before it goes to the municipal government."""
    return _out(service.withdraw(session, principal, proposal_id, body.reason))


@proposals.post("/{proposal_id}/screening", response_model=ScreeningOut)
def screen(proposal_id: IdPath, session: SessionDep, principal: PrincipalDep) -> ScreeningOut:
    """Art. 18, 36: the development and reform department screens the proposal against the
    scope: within it, ``screened``; else ``returned`` with each problem naming its rule."""
    p, problems = service.screen(session, principal, proposal_id)
    return ScreeningOut(
        proposal=ProposalOut.model_validate(p),
        problems=[{"field": f, "reason": m} for f, m in problems],
    )


@proposals.post("/{proposal_id}/return", response_model=ProposalOut)
def return_(
    proposal_id: IdPath, body: ReasonBody, session: SessionDep, principal: PrincipalDep
) -> ProposalOut:
    """Art. 18, 36: the development and reform department returns the proposal with its reason."""
    return _out(service.return_(session, principal, proposal_id, body.reason))


@proposals.post("/{proposal_id}/consultation", response_model=ProposalOut)
def open_consultation(
    proposal_id: IdPath,
    session: SessionDep,
    principal: PrincipalDep,
    body: ConsultationBody = None,
) -> ProposalOut:
    """Art. 17, 35: open the public comment, inviting all seven stakeholder groups, for the
    set period (at least the minimum; empty: the minimum)."""
    return _out(
        service.open_consultation(session, principal, proposal_id, body or ConsultationIn())
    )


@proposals.post("/{proposal_id}/consultation/close", response_model=ProposalOut)
def close_consultation(
    proposal_id: IdPath, session: SessionDep, principal: PrincipalDep
) -> ProposalOut:
    """Art. 17, 35: close the comment period once it is over and every comment moderated."""
    return _out(service.close_consultation(session, principal, proposal_id))


@proposals.post("/{proposal_id}/mpg-submission", response_model=ProposalOut)
def submit_to_mpg(proposal_id: IdPath, session: SessionDep, principal: PrincipalDep) -> ProposalOut:
    """Art. 17, 35: submit to the municipal government once every shown comment is answered."""
    return _out(service.submit_to_mpg(session, principal, proposal_id))


@proposals.post("/{proposal_id}/decision", response_model=ProposalOut)
def record_decision(
    proposal_id: IdPath, body: DecisionBody, session: SessionDep, principal: PrincipalDep
) -> ProposalOut:
    """Art. 17, 35: record the municipal government's decision (an approval with its
    document's number, issuer and date; a rejection with its reason)."""
    return _out(service.record_decision(session, principal, proposal_id, body))


@proposals.post("/{proposal_id}/publication", response_model=ProposalOut)
def publish(
    proposal_id: IdPath, body: PublishBody, session: SessionDep, principal: PrincipalDep
) -> ProposalOut:
    """Art. 17, 35: publish the approved proposal as a new version with its effective date."""
    return _out(service.publish(session, principal, proposal_id, body))


@comments.post("/{comment_id}/moderation", response_model=CommentOut)
def moderate(
    comment_id: IdPath, body: ModerationBody, session: SessionDep, principal: PrincipalDep
) -> CommentOut:
    """Art. 17, 35: show a comment, or hide it with the reason it is hidden."""
    return CommentOut.model_validate(service.moderate(session, principal, comment_id, body))


@comments.post("/{comment_id}/answer", response_model=CommentOut)
def answer(
    comment_id: IdPath, body: AnswerBody, session: SessionDep, principal: PrincipalDep
) -> CommentOut:
    """Art. 17, 35: answer a shown comment (the answer is public with it)."""
    return CommentOut.model_validate(service.answer(session, principal, comment_id, body))


routers = [proposals, comments]
