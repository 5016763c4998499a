"""The change-proposal routes of the API permission matrix (tests/test_permission_matrix.py).

Each step runs on a fresh proposal in the state it needs, walked there by the services: the
comment period of the proposals to be closed ran in September 2026, so it is over on the
matrix's day; the one commented on is opened on the matrix's day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import count
from typing import Any

from pcip import clock
from pcip.auth.permissions import ANONYMOUS
from pcip.governance import service
from pcip.governance.schemas import (
    CommentIn,
    ConsultationIn,
    DecisionIn,
    ModerationIn,
)
from pcip.kernel.platform import Platform
from tests.governance.support import drc, new_item, proposal_in
from tests.lists.support import staff
from tests.world import UNIT, World

_codes = count(1)
#: The past comment period (30 days from 1 Sep 2026) and the decision after it.
OPENED, DECIDED = date(2026, 9, 1), date(2026, 10, 5)
ORDER = ("draft", "submitted", "screened", "consultation", "closed", "to_mpg", "approved")


def proposal(platform: Platform, state: str, *, today: bool = False) -> int:
    """A fresh proposal (a new catalog item of its own) walked to ``state``; ``today``: its
    consultation opens on the matrix's day (so comments are taken)."""
    code = f"cq_matrix_item_{next(_codes)}"
    dept, d = staff(platform, UNIT), drc()  # the world's unit: its staff and key own it
    upto = ORDER.index(state)
    with clock.frozen(clock.today() if today else OPENED), platform.transaction() as s:
        pid = service.propose(s, dept, proposal_in(item_code=code, item=new_item(code))).id
        if upto >= 1:
            service.submit(s, dept, pid)
        if upto >= 2:
            service.screen(s, d, pid)
        if upto >= 3:
            service.open_consultation(s, d, pid, ConsultationIn())
    if upto >= 4:
        with clock.frozen(DECIDED), platform.transaction() as s:
            service.close_consultation(s, d, pid)
            if upto >= 5:
                service.submit_to_mpg(s, d, pid)
            if upto >= 6:
                body = DecisionIn(
                    approved=True,
                    number="渝府〔2026〕99号",
                    issuer="重庆市人民政府",
                    decided_on=DECIDED,
                )
                service.record_decision(s, d, pid, body)
    return pid


def comment(platform: Platform, pid: int, *, shown: bool = False) -> int:
    with platform.transaction() as s:
        cid = service.comment(
            s, ANONYMOUS, pid, CommentIn(group="public", author="市民", body="建议明确范围")
        ).id
        if shown:
            service.moderate(s, drc(), cid, ModerationIn(show=True))
    return cid


def governance_requests(w: World) -> dict[tuple[str, str], list[Any]]:
    from tests.test_permission_matrix import Call

    p = w.platform
    base = "/api/v1/proposals"
    open_now = proposal(p, "consultation", today=True)
    comment(p, open_now, shown=True)

    def fresh(state: str, step: str) -> Callable[[], str]:
        return lambda: f"{base}/{proposal(p, state)}/{step}"

    def fresh_comment(step: str, *, shown: bool) -> Callable[[], str]:
        return lambda: f"/api/v1/proposal-comments/{comment(p, open_now, shown=shown)}/{step}"

    def draft() -> dict[str, Any]:
        code = f"cq_matrix_item_{next(_codes)}"
        return proposal_in(item_code=code, item=new_item(code)).model_dump(mode="json")

    return {
        ("GET", base): [Call(base)],
        ("POST", base): [Call(base, draft)],
        ("GET", base + "/{proposal_id}"): [Call(f"{base}/{open_now}")],
        ("POST", base + "/{proposal_id}/comments"): [
            Call(f"{base}/{open_now}/comments", {"group": "public", "body": "建议明确范围"})
        ],
        ("POST", base + "/{proposal_id}/submission"): [Call(fresh("draft", "submission"))],
        ("POST", base + "/{proposal_id}/withdrawal"): [
            Call(fresh("draft", "withdrawal"), {"reason": "职责调整，不再提出"})
        ],
        ("POST", base + "/{proposal_id}/screening"): [Call(fresh("submitted", "screening"))],
        ("POST", base + "/{proposal_id}/return"): [
            Call(fresh("submitted", "return"), {"reason": "请补充依据"})
        ],
        ("POST", base + "/{proposal_id}/consultation"): [
            Call(fresh("screened", "consultation"), {"days": 30})
        ],
        ("POST", base + "/{proposal_id}/consultation/close"): [
            Call(fresh("consultation", "consultation/close"))
        ],
        ("POST", base + "/{proposal_id}/mpg-submission"): [Call(fresh("closed", "mpg-submission"))],
        ("POST", base + "/{proposal_id}/decision"): [
            Call(fresh("to_mpg", "decision"), {"approved": False, "note": "暂不采纳"})
        ],
        ("POST", base + "/{proposal_id}/publication"): [
            Call(
                fresh("approved", "publication"),
                {"version": "2026.9", "effective_from": "2026-12-31"},
            )
        ],
        ("POST", "/api/v1/proposal-comments/{comment_id}/moderation"): [
            Call(fresh_comment("moderation", shown=False), {"show": True})
        ],
        ("POST", "/api/v1/proposal-comments/{comment_id}/answer"): [
            Call(fresh_comment("answer", shown=True), {"answer": "感谢建议，已采纳"})
        ],
    }
