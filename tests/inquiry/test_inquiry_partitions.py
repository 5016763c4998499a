"""Issue 22 points 4 and 5: the inquiry log partitioned by CST month on PostgreSQL (migration
0018), kept ahead by the maintenance job, and purged by dropping whole months that lie before
the Art. 22 cutoff; on SQLite the log is a plain table purged by DELETE."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from alembic import command
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from typer.testing import CliRunner

from pcip import clock
from pcip.config import Settings
from pcip.inquiry import partitions, retention
from pcip.inquiry.models import InquiryLog
from pcip.kernel.actors import Actor
from pcip.kernel.platform import Platform, alembic_config, current_revision, head_revision
from tests.inquiry.support import audit_events
from tests.inquiry.test_inquiry_retention import entry, kept, purge
from tests.world import World

ADMIN = Actor.system("partition-test")


def where(platform: Platform, inquiry_id: int) -> str:
    """The partition holding the entry (PostgreSQL)."""
    with platform.transaction() as s:
        return str(
            s.scalar(
                text("SELECT tableoid::regclass::text FROM inquiry_log WHERE id = :i"),
                {"i": inquiry_id},
            )
        )


def names(platform: Platform) -> set[str]:
    with platform.transaction() as s:
        return {p.name for p in partitions.partitions(s)}


def test_issue22_4_the_log_is_partitioned_on_postgresql_and_plain_on_sqlite(
    world: World, backend: str
) -> None:
    with world.platform.transaction() as s:
        assert partitions.is_partitioned(s) == (backend == "postgresql")
        partitions.ensure(s)
        assert partitions.ensure(s) == []  # idempotent
        if backend != "postgresql":
            return
        pk = s.scalars(
            text(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'inquiry_log'::regclass "
                "AND i.indisprimary ORDER BY a.attname"
            )
        ).all()
        assert pk == ["at", "id"]
        month = partitions.month_start(clock.today())
    expected = {partitions.name_of(partitions.add_months(month, n)) for n in range(4)}
    assert expected | {partitions.DEFAULT} <= names(world.platform)
    # The foreign key to the subject holds on the partitioned table.
    try:
        entry(world.platform, 10**9, "2026-12-01T10:00:00")
    except IntegrityError:
        pass
    else:
        raise AssertionError("an entry about no subject was stored")


def test_issue22_5_an_insert_in_a_month_without_partition_lands_in_the_default(
    world: World, backend: str
) -> None:
    a = world.subject_ids["subject_a"]
    early = entry(world.platform, a, "2019-01-15T10:00:00")
    assert kept(world.platform, early) == {early}
    if backend != "postgresql":
        return
    assert where(world.platform, early) == partitions.DEFAULT
    # The maintenance job creating that month moves the entry into its partition.
    with world.platform.transaction() as s:
        created = partitions.ensure(s, since=clock.today().replace(year=2019, month=1, day=1))
    assert "inquiry_log_p201901" in created
    assert where(world.platform, early) == "inquiry_log_p201901"
    assert kept(world.platform, early) == {early}


def test_issue22_4_purge_drops_past_months_and_keeps_entries_within_three_years(
    world: World, backend: str
) -> None:
    a = world.subject_ids["subject_a"]
    with clock.frozen("2022-04-10T09:00:00"), world.platform.transaction() as s:
        partitions.ensure(s)  # April to July 2022 (PostgreSQL)
    april = entry(world.platform, a, "2022-04-05T10:00:00")
    april_last = entry(world.platform, a, "2022-04-30T23:30:00")
    april_held = entry(world.platform, a, "2022-04-20T10:00:00")
    may_first = entry(world.platform, a, "2022-05-01T10:00:00")
    may_second = entry(world.platform, a, "2022-05-02T00:10:00")
    june = entry(world.platform, a, "2022-06-15T10:00:00")
    with world.platform.transaction() as s:
        retention.place_hold(s, ADMIN, reason="court order 17", inquiry_id=april_held)
    every = (april, april_last, april_held, may_first, may_second, june)

    trial = purge(world.platform, "2025-05-02T09:00:00", dry_run=True)
    assert (trial.purged, trial.held) == (3, 1)
    assert kept(world.platform, *every) == set(every)

    done = purge(world.platform, "2025-05-02T09:00:00")
    assert (done.purged, done.held) == (3, 1)
    assert kept(world.platform, *every) == {april_held, may_second, june}
    [event] = audit_events(world.platform, "inquiry_log.purge")
    assert event.details["purged"] == 3
    if backend == "postgresql":
        assert trial.dropped_partitions == done.dropped_partitions == ("inquiry_log_p202204",)
        assert "inquiry_log_p202204" not in names(world.platform)
        assert "inquiry_log_p202205" in names(world.platform)  # the boundary month: DELETE
        assert where(world.platform, april_held) == partitions.DEFAULT
        assert event.details["dropped_partitions"] == ["inquiry_log_p202204"]
    else:
        assert done.dropped_partitions == ()  # SQLite: every purge is a DELETE
    # The held entry is purged once its hold is released, from the default partition.
    with world.platform.transaction() as s:
        [hold] = retention.holds(s)
        retention.release_hold(s, ADMIN, hold.id)
    assert purge(world.platform, "2025-05-02T10:00:00").purged == 1
    assert kept(world.platform, april_held, may_second, june) == {may_second, june}


def test_issue22_4_a_subject_hold_keeps_a_whole_dropped_month_of_its_entries(
    world: World, backend: str
) -> None:
    a, b = world.subject_ids["subject_a"], world.subject_ids["subject_b"]
    with clock.frozen("2022-03-10T09:00:00"), world.platform.transaction() as s:
        partitions.ensure(s)
    of_a = [entry(world.platform, a, f"2022-03-{d:02d}T10:00:00") for d in (1, 15, 31)]
    of_b = entry(world.platform, b, "2022-03-20T10:00:00")
    with world.platform.transaction() as s:
        retention.place_hold(s, ADMIN, reason="(2025)渝01刑初12号", subject_id=a)
    result = purge(world.platform, "2025-04-20T09:00:00")
    assert (result.purged, result.held) == (1, 3)
    assert kept(world.platform, of_b, *of_a) == set(of_a)
    if backend == "postgresql":
        assert "inquiry_log_p202203" in result.dropped_partitions


def test_issue22_4_migration_0018_moves_the_rows_and_back(world: World) -> None:
    a = world.subject_ids["subject_a"]
    ids = {entry(world.platform, a, at) for at in ("2021-06-01T10:00:00", "2026-12-01T10:00:00")}
    with world.platform.transaction() as s:
        count = s.scalar(select(func.count()).select_from(InquiryLog))
    engine = world.platform.engine
    command.downgrade(alembic_config(engine), "0017")
    assert current_revision(engine) == "0017"
    with world.platform.transaction() as s:
        assert not partitions.is_partitioned(s)
        assert s.scalar(select(func.count()).select_from(InquiryLog)) == count
    command.upgrade(alembic_config(engine), "head")
    assert current_revision(engine) == head_revision()
    with world.platform.transaction() as s:
        assert partitions.is_partitioned(s) == (engine.dialect.name == "postgresql")
        assert s.scalar(select(func.count()).select_from(InquiryLog)) == count
    assert kept(world.platform, *ids) == ids
    newer = entry(world.platform, a, "2026-12-02T10:00:00")
    assert newer > max(ids)  # the id sequence carried over
    if engine.dialect.name == "postgresql":
        assert where(world.platform, newer) == "inquiry_log_p202612"
        assert "inquiry_log_p202106" in names(world.platform)  # from the oldest entry's month


def test_issue22_5_pcip_purge_partitions_only_keeps_the_coming_months(
    cli_env: Settings, platform: Platform, backend: str
) -> None:
    from pcip.cli import app

    with clock.frozen("2027-05-20T10:00:00"):
        result = CliRunner().invoke(app, ["purge", "--partitions-only"])
    assert result.exit_code == 0, result.output
    created = json.loads(result.stdout.splitlines()[-1])["created_partitions"]
    if backend != "postgresql":
        assert created == []
        return
    months = ["inquiry_log_p202705", "inquiry_log_p202706", "inquiry_log_p202707"]
    assert {*months, "inquiry_log_p202708"} <= set(created)
    assert set(months) <= names(platform)
    assert audit_events(platform, "inquiry_log.purge") == []  # nothing purged


def test_issue22_5_pcip_serve_keeps_the_coming_months_itself(world: World, backend: str) -> None:
    """``pcip serve`` runs the partition maintenance at start and then every round
    (``PartitionKeeper``, daily by default), as ``pcip purge --partitions-only`` does."""
    keeper = partitions.PartitionKeeper(world.platform, every=0.05)
    if backend != "postgresql":
        assert keeper.start() is False  # a plain table: nothing to keep
        return
    coming = partitions.name_of(partitions.add_months(partitions.month_start(clock.today()), 2))

    def drop_coming() -> None:
        with world.platform.transaction() as s:
            s.execute(text(f'DROP TABLE "{coming}"'))

    with world.platform.transaction() as s:
        partitions.ensure(s)
    drop_coming()
    assert coming not in names(world.platform)
    try:
        assert keeper.start() is True
        assert coming in names(world.platform)  # at start
        drop_coming()
        deadline = time.monotonic() + 10
        while coming not in names(world.platform) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert coming in names(world.platform)  # and again at a later round
    finally:
        keeper.stop()


def test_issue22_5_a_failed_partition_round_is_logged_not_raised(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken:
        def transaction(self) -> Any:
            raise RuntimeError("database down")

    keeper = partitions.PartitionKeeper(Broken())
    assert keeper.once() is None
    assert "were not kept ahead" in caplog.text
