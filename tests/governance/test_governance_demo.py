"""The demo (``make run``) shows a proposal open for comment and the government-integrity
register with a breach and an evaluation (issue 20)."""

from __future__ import annotations

from pcip import clock
from pcip.demo.accounts import create_demo_accounts
from pcip.demo.governance import create_demo_governance
from pcip.demo.world import generate_demo
from pcip.governance import service
from pcip.integrity import evaluation
from pcip.integrity import service as integrity
from pcip.kernel.platform import Platform

NOW = "2026-11-26T10:00:00"


def test_art8_art17_the_demo_has_a_consultation_a_breach_and_an_evaluation(
    platform: Platform,
) -> None:
    with clock.frozen(NOW):
        generate_demo(platform, subjects=40, records=120, seed=2021)
        create_demo_accounts(platform, "http://127.0.0.1:8000")
        assert "1 breach" in create_demo_governance(platform)
        with platform.transaction() as s:
            [p] = service.public_proposals(s)
            shown = service.comments(s, p.id, shown_only=True)
            board = integrity.dashboard(s)
            evaluations = evaluation.evaluations(s)
    assert p.state == "consultation" and len(shown) == 1 and shown[0].answer
    assert sum(d.breached for d in board) == 1 and len(board) == 2
    assert len(evaluations) == 1 and len(evaluations[0].results) == 2
