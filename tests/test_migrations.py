"""Migrations run on both databases, including upgrading one that already holds data."""

from __future__ import annotations

from alembic import command
from sqlalchemy import func, select

from pcip import clock
from pcip.config import Settings
from pcip.demo.world import generate_demo
from pcip.kernel.platform import (
    Platform,
    alembic_config,
    current_revision,
    head_revision,
    initialise,
)
from pcip.records.models import Batch


def test_upgrade_from_first_revision_keeps_data(settings: Settings) -> None:
    platform = Platform.open(settings)
    with clock.frozen("2026-11-26T10:00:00"):
        generate_demo(platform, subjects=20, records=40, seed=1)
    with platform.transaction() as s:
        batches = s.scalar(select(func.count()).select_from(Batch))
    command.downgrade(alembic_config(platform.engine), "0001")
    assert current_revision(platform.engine) == "0001"
    platform.dispose()

    upgraded, changed = initialise(settings)
    assert changed and current_revision(upgraded.engine) == head_revision()
    with upgraded.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Batch)) == batches
        assert all(b.warnings == [] for b in s.scalars(select(Batch)))
    upgraded.dispose()
