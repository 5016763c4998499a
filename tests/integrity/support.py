"""Builders for the government-integrity tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pcip import clock
from pcip.integrity import service
from pcip.integrity.schemas import CommitmentIn
from pcip.kernel.actors import Actor
from pcip.kernel.platform import Platform
from pcip.providers.service import add_provider
from tests.governance.support import drc
from tests.helpers import uscc

ON = date(2026, 11, 2)
#: The D&R department as the providing unit of government breach records.
DRC_UNIT = uscc(780, authority="1", entity_type="1")
BUREAU = uscc(781, authority="1", entity_type="1")


def unit(platform: Platform) -> str:
    with platform.transaction() as s:
        add_provider(
            s,
            Actor.system("test"),
            DRC_UNIT,
            "重庆市发展和改革委员会",
            ["cq_government_pledge_breach"],
        )
    return DRC_UNIT


def register(
    platform: Platform,
    *,
    body: str = BUREAU,
    due: date | None = date(2026, 10, 1),
    kind: str = "contract",
) -> int:
    with clock.frozen(ON):
        c = service.register(
            platform,
            drc(),
            CommitmentIn(
                body_uscc=body,
                body_name="重庆市某区招商投资促进局",
                kind=kind,  # type: ignore[arg-type]
                area="investment",
                title="产业园区招商引资协议",
                counterparty="重庆示范制造有限公司",
                reference="招商〔2025〕7号",
                amount=Decimal("12000000.00"),
                made_on=date(2025, 3, 1),
                due_on=due,
            ),
        )
    return c.id
