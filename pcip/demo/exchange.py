"""Demo data for the exchange (Art. 20, 25; docs/exchange.md): two receivers of the feed, the
national platform having read and acknowledged part of it, and one dead letter from the
data-sharing system, so the console's pages show what they are for. The receivers' keys are not
kept: the operator issues one with "New key"."""

from __future__ import annotations

from sqlalchemy import select

from pcip.exchange import feed, receivers
from pcip.exchange.intake import Outcome, record_dead_letter
from pcip.exchange.models import Receiver
from pcip.kernel.actors import Actor
from pcip.kernel.platform import Platform

RECEIVERS = (
    ("national", "全国信用信息共享平台", ["records", "lists"]),
    ("cq-tax", "国家税务总局重庆市税务局", ["records"]),
)


def create_demo_exchange(platform: Platform) -> int:
    """Register the demo receivers (once); returns how many changes the national one read."""
    actor = Actor.system("demo")
    with platform.transaction() as s:
        if s.scalar(select(Receiver.id).limit(1)) is not None:
            return 0
        for code, name, scopes in RECEIVERS:
            receivers.add(s, actor, code, name, scopes)
        feed.collect(s)
        national = receivers.get(s, "national")
        read = feed.changes_for(s, national, limit=300)
        if read:
            feed.acknowledge(s, national, read[len(read) // 2].id)
    record_dead_letter(
        platform,
        stream="PCIP_INTAKE_DEMO",
        seq=1,
        subject="pcip.intake.demo",
        outcome=Outcome(
            "poison",
            "attestation is required (Art. 20: the unit vouches for the data)",
            "attestation",
        ),
        data=b'{"batch_id": "SJ-DEMO-1", "item": "admin_penalty", "rows": []}',
    )
    return len(read)
