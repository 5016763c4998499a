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


def test_issue22_point3_indexes_that_serve_nothing_are_dropped_and_restored_by_downgrade(
    settings: Settings,
) -> None:
    """Migration 0017 drops the record tables' indexes that no query or invariant uses
    (docs/performance.md); its downgrade restores them, and the unique constraints stay."""
    from importlib import import_module

    from sqlalchemy import inspect

    dropped = import_module("pcip.migrations.versions.0017_ingest_indexes").DROPPED

    def indexes(platform: Platform) -> set[tuple[str, str]]:
        insp = inspect(platform.engine)
        return {
            (table, ix["name"])
            for table in {t for _, t, _ in dropped}
            for ix in insp.get_indexes(table)
            if ix["name"]
        }

    wanted = {(table, name) for name, table, _ in dropped}
    platform = Platform.open(settings)
    assert not wanted & indexes(platform)
    unique = inspect(platform.engine).get_unique_constraints("credit_record")
    assert [u["column_names"] for u in unique] == [["provider_id", "item_code", "natural_key"]]
    command.downgrade(alembic_config(platform.engine), "0016")
    assert wanted <= indexes(platform)
    command.upgrade(alembic_config(platform.engine), "head")
    assert not wanted & indexes(platform)
    platform.dispose()
