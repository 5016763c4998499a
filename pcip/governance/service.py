"""Change proposals (SM-4: catalog, Art. 16-18; SM-5: measure list, Art. 34-36).

``draft`` → ``submitted`` (a city department; Art. 17, 35: the local-regulation provision is
required) → ``screened`` | ``returned`` (the D&R department; Art. 18 / Art. 36 scope, as
data in ``data/rules.yaml``; a refusal names the rule) → ``consultation`` (all seven
stakeholder groups invited, a set period) → ``consultation_closed`` (the period is over and
every comment moderated) → ``submitted_to_mpg`` (every shown comment answered) → ``approved``
(the municipal government's approval document recorded) | ``rejected`` → ``published`` (a new
version with its effective date; ``pcip.governance.versions``). ``withdrawn`` by the proposer
before ``submitted_to_mpg``; a ``returned`` proposal may be amended and submitted again.

Every step appends a ``proposal_event`` and an audit row in the same transaction.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, Principal, require
from pcip.errors import Collect, Conflict, Forbidden, NotFound, ValidationError
from pcip.governance import rules, versions
from pcip.governance.models import ChangeProposal, ProposalComment, ProposalEvent
from pcip.governance.schemas import (
    AnswerIn,
    CommentIn,
    ConsultationIn,
    DecisionIn,
    ModerationIn,
    ProposalIn,
    PublishIn,
)
from pcip.kernel import audit
from pcip.kernel.messages import Both, Either, Term, msg

#: Which state each step starts from.
_FROM: dict[str, tuple[str, ...]] = {
    "submit": ("draft", "returned"),
    "withdraw": (
        "draft",
        "submitted",
        "screened",
        "returned",
        "consultation",
        "consultation_closed",
    ),
    "screen": ("submitted",),
    "return": ("submitted", "screened"),
    "open": ("screened",),
    "close": ("consultation",),
    "to_mpg": ("consultation_closed",),
    "decide": ("submitted_to_mpg",),
    "publish": ("approved",),
}
_ARTICLE = {"catalog": "Art. 17", "measure_list": "Art. 35"}


#: The parts of an approval document, as a refusal names them.
_APPROVAL_PARTS = {"number": Both("文号", "number"), "issuer": Both("发文机关", "issuer")}


def _get(session: Session, proposal_id: int) -> ChangeProposal:
    p = session.get(ChangeProposal, proposal_id)
    if p is None:
        raise NotFound(msg("governance.no_proposal", id=proposal_id), field="proposal_id")
    return p


def _move(
    session: Session, principal: Principal, p: ChangeProposal, step: str, to: str, note: str = ""
) -> None:
    if p.state not in _FROM[step]:
        raise Conflict(
            msg(
                "governance.wrong_state",
                id=p.id,
                state=Term("proposal_state", p.state),
                state_code=p.state,
                step=Term("proposal_step", step),
                step_code=step,
                wanted=Either([Term("proposal_state", s) for s in _FROM[step]]),
                wanted_codes=" or ".join(_FROM[step]),
            ),
            field="state",
        )
    session.add(
        ProposalEvent(
            proposal_id=p.id,
            from_state=p.state,
            to_state=to,
            at=clock.now(),
            by=str(principal.actor),
            note=note,
        )
    )
    audit.record(
        session,
        principal.actor,
        f"proposal.{step}",
        object_type="change_proposal",
        object_id=p.id,
        article=_ARTICLE[p.kind],
        details={"from": p.state, "to": to, "note": note[:500]},
    )
    p.state = to
    session.flush()


def _own(principal: Principal, p: ChangeProposal) -> None:
    if principal.provider_id is None or principal.provider_id != p.provider_id:
        raise Forbidden(msg("governance.other_department", id=p.id))


# --- the department's steps -----------------------------------------------------------------


def propose(session: Session, principal: Principal, body: ProposalIn) -> ChangeProposal:
    require(principal, Permission.PROPOSAL_DRAFT)
    if body.action != "remove" and not body.item:
        raise ValidationError(msg("governance.item_needs_data"), field="item")
    p = ChangeProposal(
        kind=body.kind,
        action=body.action,
        item_code=body.item_code,
        item=body.item if body.action != "remove" else {},
        title=body.title,
        rationale=body.rationale,
        citation=body.citation.strip(),
        justification=body.justification.strip(),
        provider_id=principal.provider_id,
        proposer=principal.organisation or principal.actor.display,
        created_by=str(principal.actor),
        created_at=clock.now(),
        state="draft",
        invited_groups=[],
    )
    session.add(p)
    session.flush()
    session.add(
        ProposalEvent(
            proposal_id=p.id,
            from_state=None,
            to_state="draft",
            at=clock.now(),
            by=str(principal.actor),
            note="",
        )
    )
    audit.record(
        session,
        principal.actor,
        "proposal.draft",
        object_type="change_proposal",
        object_id=p.id,
        article=_ARTICLE[p.kind],
        details={"kind": p.kind, "action": p.action, "item": p.item_code},
    )
    return p


def amend(
    session: Session, principal: Principal, proposal_id: int, body: ProposalIn
) -> ChangeProposal:
    """A draft or a returned proposal is amended by its department before (re)submission."""
    require(principal, Permission.PROPOSAL_DRAFT)
    p = _get(session, proposal_id)
    _own(principal, p)
    if p.state not in ("draft", "returned") or body.kind != p.kind:
        raise Conflict(
            msg(
                "governance.amend_state",
                id=p.id,
                state=Term("proposal_state", p.state),
                state_code=p.state,
            ),
            field="state",
        )
    p.action, p.item_code, p.title, p.rationale = (
        body.action,
        body.item_code,
        body.title,
        body.rationale,
    )
    p.item = body.item if body.action != "remove" else {}
    p.citation, p.justification = body.citation.strip(), body.justification.strip()
    audit.record(
        session,
        principal.actor,
        "proposal.amend",
        object_type="change_proposal",
        object_id=p.id,
        article=_ARTICLE[p.kind],
        details={"item": p.item_code},
    )
    session.flush()
    return p


def submit(session: Session, principal: Principal, proposal_id: int) -> ChangeProposal:
    """Art. 17, 35: no proposal is submitted without its local-regulation provision."""
    require(principal, Permission.PROPOSAL_DRAFT)
    p = _get(session, proposal_id)
    _own(principal, p)
    if not rules.cites_local_regulation(p.citation):
        raise ValidationError(msg("governance.citation_needed"), field="citation")
    if p.kind == "measure_list" and not p.justification:
        raise ValidationError(msg("governance.justification_needed"), field="justification")
    _move(session, principal, p, "submit", "submitted")
    return p


def withdraw(
    session: Session, principal: Principal, proposal_id: int, reason: str
) -> ChangeProposal:
    require(principal, Permission.PROPOSAL_DRAFT)
    p = _get(session, proposal_id)
    _own(principal, p)
    _move(session, principal, p, "withdraw", "withdrawn", reason)
    return p


# --- screening (Art. 18, 36) ----------------------------------------------------------------


def scope_problems(session: Session, p: ChangeProposal) -> list[tuple[str, str]]:
    """Why the proposal falls outside the scope of Art. 18 (catalog) or Art. 36 (measures):
    (field, reason) pairs, each reason naming its rule; empty when it fits."""
    r = rules.rules()
    out: list[tuple[str, str]] = []
    if p.action != "remove":
        if p.kind == "catalog":
            number = p.item.get("scope_category")
            scopes, citation, key = r.catalog_categories, r.catalog_citation, "scope_category"
        else:
            number = p.item.get("scope_type")
            scopes, citation, key = r.measure_types, r.measure_citation, "scope_type"
        scope = next((s for s in scopes if s.number == number), None)
        if scope is None:
            out.append(
                (f"item.{key}", f"{number!r} is none of the {len(scopes)} scopes ({citation})")
            )
        elif scope.citation_required and not rules.cites_local_regulation(
            str(p.item.get("legal_basis", ""))
        ):
            out.append(
                (
                    "item.legal_basis",
                    f"scope {scope.number} ({scope.name_zh}) is open only where a regulation "
                    f"provides: the item's legal basis must cite it ({citation})",
                )
            )
    if p.kind == "measure_list" and not p.justification:
        out.append(
            ("justification", f"relevance and proportionality are stated ({r.measure_citation})")
        )
    if not out:
        try:
            if p.kind == "catalog":
                versions.proposed_catalog(session, p, effective_from=None)
            else:
                versions.proposed_measures(session, p)
        except (ValidationError, NotFound) as exc:
            out.append((exc.field or "item", exc.message))
    return out


def screen(
    session: Session, principal: Principal, proposal_id: int
) -> tuple[ChangeProposal, list[tuple[str, str]]]:
    """The D&R department's intake: within scope → ``screened``; else ``returned`` with the
    reasons, each naming its rule (Art. 18, 36)."""
    require(principal, Permission.PROPOSAL_MANAGE)
    p = _get(session, proposal_id)
    problems = scope_problems(session, p)
    if problems:
        note = "; ".join(f"{f}: {m}" for f, m in problems)
        p.screening_note = note
        _move(session, principal, p, "return", "returned", note)
    else:
        p.screening_note = ""
        _move(session, principal, p, "screen", "screened")
    return p, problems


def return_(
    session: Session, principal: Principal, proposal_id: int, reason: str
) -> ChangeProposal:
    require(principal, Permission.PROPOSAL_MANAGE)
    if len(reason.strip()) < 2:
        raise ValidationError(msg("console.give_reason"), field="reason")
    p = _get(session, proposal_id)
    p.screening_note = reason
    _move(session, principal, p, "return", "returned", reason)
    return p


# --- public comment (Art. 17, 35) -----------------------------------------------------------


def open_consultation(
    session: Session, principal: Principal, proposal_id: int, body: ConsultationIn
) -> ChangeProposal:
    require(principal, Permission.PROPOSAL_MANAGE)
    p = _get(session, proposal_id)
    r = rules.rules()
    days = body.days or r.comment_days
    if days < r.comment_days:
        raise ValidationError(
            msg(
                "governance.comment_days",
                days=r.comment_days,
                citation=Both(r.comment_days_citation_zh, r.comment_days_citation),
            ),
            field="days",
        )
    today = clock.today()
    _move(session, principal, p, "open", "consultation", f"{days} days")
    p.comment_opens_on, p.comment_closes_on = today, today + timedelta(days=days - 1)
    p.invited_groups = list(rules.group_codes())
    session.flush()
    return p


def comment(
    session: Session, principal: Principal, proposal_id: int, body: CommentIn
) -> ProposalComment:
    """Anyone comments while the period runs; the comment waits for moderation."""
    require(principal, Permission.PROPOSAL_COMMENT)
    p = _get(session, proposal_id)
    rules.check_group(body.group)
    today = clock.today()
    if p.state != "consultation" or p.comment_closes_on is None or today > p.comment_closes_on:
        raise Conflict(msg("governance.not_open", id=p.id), field="proposal_id")
    c = ProposalComment(
        proposal_id=p.id,
        group=body.group,
        author=body.author.strip() or "匿名",
        body=body.body.strip(),
        submitted_at=clock.now(),
        moderation="pending",
        moderation_reason="",
    )
    session.add(c)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "proposal.comment",
        object_type="proposal_comment",
        object_id=c.id,
        article=_ARTICLE[p.kind],
        details={"proposal": p.id, "group": c.group},
    )
    return c


def _comment(session: Session, comment_id: int) -> ProposalComment:
    c = session.get(ProposalComment, comment_id)
    if c is None:
        raise NotFound(msg("governance.no_comment", id=comment_id), field="comment_id")
    return c


def moderate(
    session: Session, principal: Principal, comment_id: int, body: ModerationIn
) -> ProposalComment:
    require(principal, Permission.PROPOSAL_MANAGE)
    c = _comment(session, comment_id)
    if not body.show and len(body.reason.strip()) < 2:
        raise ValidationError(msg("governance.hidden_reason"), field="reason")
    c.moderation = "shown" if body.show else "hidden"
    c.moderation_reason = body.reason.strip()
    c.moderated_by = str(principal.actor)
    audit.record(
        session,
        principal.actor,
        "proposal.moderate",
        object_type="proposal_comment",
        object_id=c.id,
        article="Art. 17",
        details={"moderation": c.moderation},
    )
    session.flush()
    return c


def answer(
    session: Session, principal: Principal, comment_id: int, body: AnswerIn
) -> ProposalComment:
    require(principal, Permission.PROPOSAL_MANAGE)
    c = _comment(session, comment_id)
    if c.moderation != "shown":
        raise Conflict(msg("governance.answer_shown_only", id=c.id), field="comment_id")
    c.answer, c.answered_at, c.answered_by = body.answer.strip(), clock.now(), str(principal.actor)
    audit.record(
        session,
        principal.actor,
        "proposal.answer",
        object_type="proposal_comment",
        object_id=c.id,
        article="Art. 17",
        details={},
    )
    session.flush()
    return c


def comments(session: Session, proposal_id: int, *, shown_only: bool) -> list[ProposalComment]:
    q = select(ProposalComment).where(ProposalComment.proposal_id == proposal_id)
    if shown_only:
        q = q.where(ProposalComment.moderation == "shown")
    return list(session.scalars(q.order_by(ProposalComment.id)))


def close_consultation(session: Session, principal: Principal, proposal_id: int) -> ChangeProposal:
    require(principal, Permission.PROPOSAL_MANAGE)
    p = _get(session, proposal_id)
    if p.comment_closes_on is not None and clock.today() <= p.comment_closes_on:
        raise Conflict(
            msg("governance.period_runs", day=p.comment_closes_on.isoformat()), field="state"
        )
    pending = [c.id for c in comments(session, p.id, shown_only=False) if c.moderation == "pending"]
    if pending:
        raise Conflict(msg("governance.await_moderation", ids=pending), field="comments")
    _move(session, principal, p, "close", "consultation_closed")
    return p


def submit_to_mpg(session: Session, principal: Principal, proposal_id: int) -> ChangeProposal:
    require(principal, Permission.PROPOSAL_MANAGE)
    p = _get(session, proposal_id)
    unanswered = [c.id for c in comments(session, p.id, shown_only=True) if not c.answer]
    if unanswered:
        raise Conflict(msg("governance.not_answered", ids=unanswered), field="comments")
    _move(session, principal, p, "to_mpg", "submitted_to_mpg")
    return p


def record_decision(
    session: Session, principal: Principal, proposal_id: int, body: DecisionIn
) -> ChangeProposal:
    """The municipal government's decision (Art. 17, 35), recorded with its document."""
    require(principal, Permission.PROPOSAL_MANAGE)
    p = _get(session, proposal_id)
    if body.approved:
        # Issue 19.8: every part of the document is checked before the decision is refused.
        problems = Collect()
        for name in ("number", "issuer"):
            if len(getattr(body, name).strip()) < 2:
                with problems:
                    raise ValidationError(
                        msg("governance.approval_needs", name=_APPROVAL_PARTS[name]), field=name
                    )
        if body.decided_on is None:
            with problems:
                raise ValidationError(msg("governance.approval_date"), field="decided_on")
        elif body.decided_on > clock.today():
            with problems:
                raise ValidationError(msg("governance.approval_in_future"), field="decided_on")
        problems.raise_any()
        assert body.decided_on is not None
        p.approval_number, p.approval_issuer = body.number.strip(), body.issuer.strip()
        p.approval_date = body.decided_on
    elif len(body.note.strip()) < 2:
        raise ValidationError(msg("governance.rejection_reason"), field="note")
    p.decision_note = body.note.strip()
    _move(session, principal, p, "decide", "approved" if body.approved else "rejected", body.note)
    return p


def publish(
    session: Session, principal: Principal, proposal_id: int, body: PublishIn
) -> ChangeProposal:
    """The new version with its effective date (Art. 17, 35). Never without a consultation
    that invited all seven groups and an approval document."""
    require(principal, Permission.PROPOSAL_MANAGE)
    p = _get(session, proposal_id)
    if p.state == "approved":
        missing = sorted(set(rules.group_codes()) - set(p.invited_groups or []))
        if missing:
            raise Conflict(
                msg(
                    "governance.groups_not_invited",
                    groups=rules.group_names(missing),
                    group_codes=missing,
                ),
                field="state",
            )
        if not p.approval_number:
            raise Conflict(msg("governance.no_approval"), field="state")
    if body.effective_from < clock.today():
        raise ValidationError(msg("governance.effective_in_past"), field="effective_from")
    if p.state in _FROM["publish"]:
        if p.kind == "catalog":
            previous = versions.publish_catalog(
                session, principal.actor, p, body.version, body.effective_from
            )
        else:
            previous = versions.publish_measures(session, p, body.version, body.effective_from)
        p.previous_version, p.published_version = previous, body.version
        p.effective_from, p.published_at = body.effective_from, clock.now()
    _move(
        session,
        principal,
        p,
        "publish",
        "published",
        f"version {body.version} in force from {body.effective_from.isoformat()}",
    )
    return p


# --- reading --------------------------------------------------------------------------------


def get(session: Session, proposal_id: int) -> ChangeProposal:
    return _get(session, proposal_id)


def history(session: Session, proposal_id: int) -> list[ProposalEvent]:
    return list(
        session.scalars(
            select(ProposalEvent)
            .where(ProposalEvent.proposal_id == proposal_id)
            .order_by(ProposalEvent.id)
        )
    )


def proposals(session: Session, *, states: tuple[str, ...] | None = None) -> list[ChangeProposal]:
    q = select(ChangeProposal).order_by(ChangeProposal.id.desc())
    if states:
        q = q.where(ChangeProposal.state.in_(states))
    return list(session.scalars(q))


#: What the public sees: proposals from the opening of their consultation on.
PUBLIC_STATES = (
    "consultation",
    "consultation_closed",
    "submitted_to_mpg",
    "approved",
    "rejected",
    "published",
)


def public_proposals(session: Session) -> list[ChangeProposal]:
    return proposals(session, states=PUBLIC_STATES)


def public_proposal(session: Session, proposal_id: int) -> ChangeProposal:
    p = _get(session, proposal_id)
    if p.state not in PUBLIC_STATES:
        raise NotFound(msg("governance.no_proposal", id=proposal_id), field="proposal_id")
    return p


def proposal_diff(session: Session, p: ChangeProposal) -> list[Any]:
    """The readable diff: against the version it changed (published) or would change."""
    if p.kind == "catalog":
        if p.state == "published" and p.published_version:
            vs = {v.version: v for v in versions.catalog_versions(session)}
            old, new = vs.get(p.previous_version or ""), vs.get(p.published_version)
            if old is not None and new is not None:
                return versions.catalog_diff(session, old.id, new.id)
        base = versions.latest_catalog_version(session)
        old_items = versions.catalog_items(session, base.id)
        try:
            new_items = versions._changed(old_items, p, versions.CITY_CATALOG_NAME)
        except ValidationError:
            return []
        from pcip.governance.diff import diff

        return diff(old_items, new_items)
    _, base_list = versions.latest_measures(session)
    if p.state == "published":
        rows = {v.version: v for v in versions.measure_versions(session)}
        new_row = rows.get(p.published_version or "")
        old_row = rows.get(p.previous_version or "")
        old_list = list(old_row.measures) if old_row else versions._seed_measures()[1]
        if new_row is not None:
            return versions.measures_diff(old_list, list(new_row.measures))
    try:
        by_code = {m["code"]: m for m in base_list}
        new_list = list(versions._changed(by_code, p, versions.MEASURE_LIST_NAME).values())
    except ValidationError:
        return []
    return versions.measures_diff(base_list, new_list)
