"""The government-integrity routes of the API permission matrix (tests/test_permission_matrix.py):
each call that changes something gets a fresh pledge, change or case."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from itertools import count
from typing import Any

from pcip import clock
from pcip.integrity import evaluation, service
from pcip.integrity.schemas import BreachIn, ChangeIn, CompensationIn, EvaluationIn
from pcip.kernel.platform import Platform
from tests.governance.support import drc
from tests.integrity.support import BUREAU, ON, register, unit
from tests.world import World

_numbers = count(1)
PUBLIC_INTEREST = ChangeIn(
    action="terminate",
    reason="public_interest",
    authority_ref="区政府常务会议纪要〔2026〕12号",
    description="因公共利益需要终止协议",
)


def _change(platform: Platform) -> int:
    """A fresh lawful termination with its compensation recorded (ready to be closed)."""
    cid = register(platform)
    with clock.frozen(ON):
        ch, _ = service.change(platform, drc(), cid, PUBLIC_INTEREST)
        with platform.transaction() as s:
            comp = CompensationIn(
                beneficiary="重庆示范制造有限公司",
                amount=Decimal("1000.00"),
                paid_on=ON,
                document="补偿协议〔2026〕1号",
            )
            service.add_compensation(s, drc(), ch.id, comp)
    return ch.id


def _breach(platform: Platform, u: str) -> int:
    """A fresh breach; its accountability case's id."""
    cid = register(platform)
    with clock.frozen(ON):
        b = service.record_breach(platform, drc(), _breach_in(cid, u))
    return b.case_id


def _breach_in(commitment_id: int, u: str) -> BreachIn:
    return BreachIn(
        commitment_id=commitment_id,
        breach_type="违约毁约",
        description="未兑现招商承诺",
        basis_number=f"渝发改信〔2026〕9{next(_numbers):03d}号",
        basis_issuer="重庆市发展和改革委员会",
        determined_on=ON,
        unit_uscc=u,
    )


def integrity_requests(w: World) -> dict[tuple[str, str], list[Any]]:
    from tests.test_permission_matrix import Call

    p = w.platform
    u = unit(p)
    base = "/api/v1/integrity"
    _breach(p, u)
    with clock.frozen(ON), p.transaction() as s:
        ev = evaluation.run(s, drc(), EvaluationIn(period_start=date(2026, 1, 1), period_end=ON)).id

    def fresh(step: str) -> Callable[[], str]:
        return lambda: f"{base}/commitments/{register(p)}/{step}"

    commitment = {
        "body_uscc": BUREAU,
        "body_name": "重庆市某区招商投资促进局",
        "kind": "pledge",
        "area": "investment",
        "title": "产业扶持政策承诺",
        "counterparty": "重庆示范制造有限公司",
        "reference": "招商〔2026〕9号",
        "made_on": "2026-03-01",
    }
    return {
        ("GET", base + "/commitments"): [Call(base + "/commitments")],
        ("POST", base + "/commitments"): [Call(base + "/commitments", commitment)],
        ("POST", base + "/commitments/{commitment_id}/performance"): [Call(fresh("performance"))],
        ("POST", base + "/commitments/{commitment_id}/changes"): [
            Call(fresh("changes"), PUBLIC_INTEREST.model_dump())
        ],
        ("POST", base + "/changes/{change_id}/compensations"): [
            Call(
                lambda: f"{base}/changes/{_change(p)}/compensations",
                {
                    "beneficiary": "重庆示范制造有限公司",
                    "amount": "500.00",
                    "paid_on": ON.isoformat(),
                    "document": "补偿协议〔2026〕2号",
                },
            )
        ],
        ("POST", base + "/changes/{change_id}/closure"): [
            Call(lambda: f"{base}/changes/{_change(p)}/closure")
        ],
        ("GET", base + "/breaches"): [Call(base + "/breaches")],
        ("POST", base + "/breaches"): [
            Call(base + "/breaches", lambda: _breach_in(register(p), u).model_dump(mode="json"))
        ],
        ("POST", base + "/cases/{case_id}"): [
            Call(lambda: f"{base}/cases/{_breach(p, u)}", {"state": "investigating"})
        ],
        ("GET", base + "/dashboard"): [Call(base + "/dashboard")],
        ("GET", base + "/evaluations"): [Call(base + "/evaluations")],
        ("POST", base + "/evaluations"): [
            Call(base + "/evaluations", {"period_start": "2026-01-01", "period_end": "2026-10-31"})
        ],
        ("GET", base + "/evaluations/{evaluation_id}"): [Call(f"{base}/evaluations/{ev}")],
    }
