"""Issue 22.4: the city-scale dataset's inquiry log and the purge benchmark measure what they say.

The generator's log entries land in the month partitions of the last three years (no entry in
the default partition, ids rising with time), and the purge benchmark's DROP removes exactly
the month its DELETE baseline removes. PostgreSQL only, like the benchmarks.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bench import datagen, purge
from pcip import clock
from pcip.config import Settings
from pcip.inquiry import partitions
from pcip.kernel.platform import Platform


@pytest.fixture
def pg(backend: str, settings: Settings) -> Settings:
    if backend != "postgresql":
        pytest.skip("the benchmarks run on PostgreSQL only")
    return settings


def test_issue22_4_generated_log_fills_the_month_partitions_of_three_years(pg: Settings) -> None:
    scale = datagen.Scale(
        organisations=20, persons=10, records=40, sessions=2, authorizations=2, jobs=2
    )
    targets = datagen.generate(pg, datagen.replace(scale, inquiries=3_000))
    assert targets.counts["inquiries"] == 3_000
    platform = Platform.open(pg)
    try:
        with platform.transaction() as s:
            where = dict(
                s.execute(
                    text(
                        "SELECT tableoid::regclass::text, count(*) FROM inquiry_log "
                        "GROUP BY 1 ORDER BY 1"
                    )
                ).all()
            )
            oldest, newest, ordered = s.execute(
                text(
                    "SELECT min(at), max(at), bool_and(at >= prev) FROM (SELECT at, "
                    "lag(at, 1, at) OVER (ORDER BY id) AS prev FROM inquiry_log) t"
                )
            ).one()
    finally:
        platform.dispose()
    assert sum(where.values()) == 3_000
    assert partitions.DEFAULT not in where
    assert len(where) >= 36  # every month of three years
    assert ordered  # ids rise with time, as the platform writes them
    now = clock.now()
    assert (now - newest).days < 2 and 365 * 3 - 2 < (now - oldest).days <= 365 * 3


def test_issue22_4_purge_bench_drops_the_month_its_delete_baseline_deletes(pg: Settings) -> None:
    result = purge.run(pg.database_url, pg.home, 36_000, jobs=2)
    assert result["delete"]["rows"] == result["drop"]["rows"] > 900
    assert result["drop"]["dropped_partitions"] == [
        f"inquiry_log_p{result['month']}".replace("-", "")
    ]
    assert result["ratio_delete_to_drop"] is not None


def test_issue22_4_purge_of_an_existing_dataset_drops_its_oldest_month(pg: Settings) -> None:
    """``python -m bench.purge --existing``: the city10 dataset's purge, on a generated log."""
    scale = datagen.Scale(
        organisations=20, persons=10, records=40, sessions=2, authorizations=2, jobs=2
    )
    datagen.generate(pg, datagen.replace(scale, inquiries=3_600))
    result = purge.run_existing(pg.database_url, pg.home)
    assert result["rows"] == 3_600
    # The rolled-back DELETE and the DROP remove the same month's entries.
    assert result["delete_rolled_back"]["rows"] == result["drop"]["rows"] > 0
    assert result["drop"]["dropped_partitions"] == [
        f"inquiry_log_p{result['month']}".replace("-", "")
    ]
    platform = Platform.open(pg)
    try:
        with platform.transaction() as s:
            left = s.scalar(text("SELECT count(*) FROM inquiry_log"))
    finally:
        platform.dispose()
    assert left == 3_600 - result["drop"]["rows"]
