"""The demo's objections (``make run``): real cases in several SM-1 states, made through the
services, so the queue, the unit's inbox and the re-examination queue are not empty."""

from __future__ import annotations

from sqlalchemy import select

from pcip import clock
from pcip.demo.accounts import DEMO_UNIT, create_demo_accounts, demo_subjects
from pcip.demo.cases import PLAN, create_demo_objections
from pcip.demo.world import generate_demo
from pcip.kernel.platform import Platform
from pcip.objections import tracking
from pcip.providers.models import Provider

NOW = "2026-11-26T10:00:00"


def test_art40_demo_cases_fill_every_queue_and_spare_the_demo_person(platform: Platform) -> None:
    with clock.frozen(NOW):
        generate_demo(platform, subjects=60, records=300, seed=2021)
        create_demo_accounts(platform, "http://127.0.0.1:8000")
        assert create_demo_objections(platform) == len(PLAN)
        with platform.transaction() as s:
            cases = tracking.queue(s, clock.today())
            unit = s.scalar(select(Provider.id).where(Provider.name == DEMO_UNIT))
            person, _ = demo_subjects(s)
    states = {c.state.value for c in cases}
    assert states == {p[0] for p in PLAN}
    assert any(c.next_due is not None and c.next_due.overdue for c in cases)
    assert {c.state.value for c in cases if c.objection.provider_id == unit} == {
        "transferred",
        "pu_review",
    }
    assert person is not None and person.id not in {c.objection.subject_id for c in cases}
