"""Builders for the change-proposal tests: the department, the D&R department, a proposal
walked to any state."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from pcip import clock
from pcip.auth.permissions import ANONYMOUS, Principal
from pcip.catalog.seed_data import CQ_SUPPLEMENT
from pcip.governance import rules, service
from pcip.governance.schemas import (
    AnswerIn,
    CommentIn,
    ConsultationIn,
    DecisionIn,
    ModerationIn,
    ProposalIn,
    PublishIn,
)
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind
from pcip.kernel.platform import Platform
from tests.lists.support import staff

#: Mon 2 Nov 2026: drafted; the 30-day comment period runs to Tue 1 Dec.
DRAFTED = date(2026, 11, 2)
CITATION = "《重庆市社会信用条例》第十七条；《重庆市优化营商环境条例》第四十五条"


def drc() -> Principal:
    return Principal(ActorKind.DRC, Actor(ActorKind.DRC, "drc", "市发展改革委"), via="session")


def new_item(code: str = "cq_green_certification") -> dict[str, Any]:
    """A new city item, shaped like the charity-donation item (category 7)."""
    base = next(i for i in CQ_SUPPLEMENT.items if i.code == "charity_donation")
    item = copy.deepcopy(base.model_dump(mode="json"))
    item.update(code=code, name_zh="绿色认证信息", name_en="green certification")
    return item


def proposal_in(**over: Any) -> ProposalIn:
    body: dict[str, Any] = {
        "kind": "catalog",
        "action": "add",
        "item_code": "cq_green_certification",
        "item": new_item(),
        "title": "增补绿色认证信息",
        "rationale": "支持绿色发展领域信用监管",
        "citation": CITATION,
    }
    body.update(over)
    return ProposalIn.model_validate(body)


def walk(
    platform: Platform,
    body: ProposalIn | None = None,
    *,
    to: str = "published",
    effective: date | None = None,
) -> int:
    """A proposal from draft to ``to`` (screened, consultation, consultation_closed,
    submitted_to_mpg, approved, published). Returns its id; the clock ends after the period."""
    dept, d = staff(platform), drc()
    with clock.frozen(DRAFTED), platform.transaction() as s:
        pid = service.propose(s, dept, body or proposal_in()).id
        service.submit(s, dept, pid)
        _, problems = service.screen(s, d, pid)
        assert not problems, problems
        if to == "screened":
            return pid
        service.open_consultation(s, d, pid, ConsultationIn())
        c = service.comment(
            s, ANONYMOUS, pid, CommentIn(group="public", author="市民", body="建议明确认证机构范围")
        )
        if to == "consultation":
            return pid
        service.moderate(s, d, c.id, ModerationIn(show=True))
        service.answer(s, d, c.id, AnswerIn(answer="已采纳，限于依法设立的认证机构"))
    after = DRAFTED + timedelta(days=rules.rules().comment_days)
    with clock.frozen(after), platform.transaction() as s:
        service.close_consultation(s, d, pid)
        if to == "consultation_closed":
            return pid
        service.submit_to_mpg(s, d, pid)
        if to == "submitted_to_mpg":
            return pid
        service.record_decision(
            s,
            d,
            pid,
            DecisionIn(
                approved=True, number="渝府〔2026〕88号", issuer="重庆市人民政府", decided_on=after
            ),
        )
        if to == "approved":
            return pid
        service.publish(
            s,
            d,
            pid,
            PublishIn(version="2026.1", effective_from=effective or after + timedelta(days=10)),
        )
    return pid
