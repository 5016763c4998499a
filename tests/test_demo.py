"""Synthetic demo data: valid identifiers, every seeded item, deterministic, idempotent."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from pcip import clock
from pcip.demo.world import generate_demo
from pcip.identity import check_identifier
from pcip.kernel import audit
from pcip.kernel.platform import Platform
from pcip.records.models import CreditRecord
from pcip.subjects import service as subjects
from pcip.subjects.models import ResponsibleLink, Subject


def test_demo_is_deterministic_and_idempotent(platform: Platform) -> None:
    with clock.frozen("2026-11-26T10:00:00"):
        first = generate_demo(platform, subjects=40, records=150, seed=7)
        again = generate_demo(platform, subjects=40, records=150, seed=7)
    assert first.outcomes["accepted"] > 100
    assert again.outcomes["accepted"] == 0 and again.outcomes["updated"] == 0
    assert again.outcomes["unchanged"] == sum(first.outcomes.values())
    with platform.transaction() as s:
        assert audit.verify(s).ok


def test_art19_demo_identifiers_are_valid_and_cover_items(platform: Platform) -> None:
    with clock.frozen("2026-11-26T10:00:00"):
        result = generate_demo(platform, subjects=60, records=400, seed=3)
    assert len(result.by_item) == 15  # every seeded item received records
    assert result.minors >= 1 and result.persons and result.organisations
    today = date(2026, 11, 26)
    with platform.transaction() as s:
        for subj in s.scalars(select(Subject)):
            value = subj.uscc or subjects.reveal_identifier(platform.keyring, subj)
            assert check_identifier(value, today=today)["valid"], value
        assert s.scalar(select(func.count()).select_from(ResponsibleLink))  # Art. 33 links
        assert s.scalar(select(func.count()).select_from(CreditRecord)) == sum(
            result.outcomes[k] for k in ("accepted",)
        )
