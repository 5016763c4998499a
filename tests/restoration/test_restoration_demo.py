"""The demo's restoration cases (``make run``): one restored, one waiting in the unit's queue,
and a self-declared credential of the demo organisation."""

from __future__ import annotations

from sqlalchemy import select

from pcip import clock
from pcip.auth.permissions import Principal
from pcip.demo.accounts import DEMO_UNIT, create_demo_accounts, demo_subjects
from pcip.demo.restorations import create_demo_restorations
from pcip.demo.world import generate_demo
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind
from pcip.kernel.platform import Platform
from pcip.pledges import service as pledges
from pcip.providers.models import Provider
from pcip.restoration import service

NOW = "2026-11-26T10:00:00"


def test_art45_demo_restorations_fill_the_queue(platform: Platform) -> None:
    with clock.frozen(NOW):
        generate_demo(platform, subjects=60, records=300, seed=2021)
        create_demo_accounts(platform, "http://127.0.0.1:8000")
        assert create_demo_restorations(platform) == 2
        with platform.transaction() as s:
            unit = s.scalar(select(Provider.id).where(Provider.name == DEMO_UNIT))
            staff = Principal.internal(Actor(ActorKind.PROVIDER, "x", "x"), provider_id=unit)
            states = sorted(c.state.value for c in service.queue(s, staff))
            _, org = demo_subjects(s)
            assert org is not None
            declared = pledges.declarations_of(s, org.id)
    assert states == ["restored", "submitted"]
    assert [d.kind for d in declared] == ["credential"]
