"""The benchmark's dataset generator writes what the platform itself would store (issue #7).

The generator loads records with COPY, bypassing ingestion; these checks make sure the result
is exactly what ingestion would have stored: resubmitting the generated rows through the real
pipeline finds every record ``unchanged`` (same natural keys, digests and subjects), and the
four doors read the data (public disclosure, self inquiry, authorized inquiry, search).
PostgreSQL only, like the benchmarks.
"""

from __future__ import annotations

import multiprocessing
import random

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from bench import datagen
from bench.datagen import LOADED, Scale, Targets, generate, record_counts
from pcip.auth import service as auth
from pcip.auth.permissions import ANONYMOUS
from pcip.config import Settings
from pcip.inquiry import service
from pcip.inquiry.schemas import Channel
from pcip.kernel.actors import Actor
from pcip.kernel.platform import Platform
from pcip.records.ingest import Source, ingest, rows_from_json
from pcip.records.models import CreditRecord, RecordVersion
from pcip.subjects.models import Subject

SCALE = Scale(organisations=40, persons=12, records=150, sessions=5, authorizations=5, jobs=1)


@pytest.fixture
def generated(backend: str, settings: Settings) -> tuple[Settings, Targets]:
    if backend != "postgresql":
        pytest.skip("the benchmark dataset is generated for PostgreSQL only")
    scale = Scale(**{**SCALE.__dict__, "keep_rows": True})
    return settings, generate(settings, scale)


def test_generated_counts_match_the_request(generated: tuple[Settings, Targets]) -> None:
    settings, targets = generated
    platform = Platform.open(settings)
    try:
        with platform.transaction() as s:
            assert s.scalar(select(func.count()).select_from(CreditRecord)) == SCALE.records
            assert s.scalar(select(func.count()).select_from(RecordVersion)) == SCALE.records
            persons = s.scalar(
                select(func.count()).select_from(Subject).where(Subject.kind == "person")
            )
            organisations = s.scalar(
                select(func.count()).select_from(Subject).where(Subject.kind != "person")
            )
            assert (organisations, persons) == (SCALE.organisations, SCALE.persons)
    finally:
        platform.dispose()
    assert sum(len(rows) for rows in targets.rows.values()) == SCALE.records


def test_art20_resubmitting_generated_rows_changes_nothing(
    generated: tuple[Settings, Targets],
) -> None:
    """Same natural key, subject and content digest as ingestion computes: all unchanged."""
    settings, targets = generated
    platform = Platform.open(settings)
    try:
        for item, rows in targets.rows.items():
            summary = ingest(
                platform,
                Actor.system("test"),
                provider_uscc=targets.units[item],
                item_code=item,
                rows=rows_from_json(rows),
                source=Source("test", f"resubmit-{item}"),
            )
            assert (summary.accepted, summary.updated, summary.rejected) == (0, 0, 0), item
            assert summary.unchanged == len(rows), summary.as_json()
    finally:
        platform.dispose()


def test_art22_every_mode_reads_generated_records(generated: tuple[Settings, Targets]) -> None:
    settings, targets = generated
    platform = Platform.open(settings)
    try:
        with platform.transaction() as s:
            public = service.public_organisation(
                s, ANONYMOUS, targets.organisations[0], Channel.API
            )
            assert public.inquiry_id is not None and public.subject is not None
            assert all(r.provenance.batch_id is not None for r in public.records)
        with platform.transaction() as s:
            subject = auth.principal_for_token(s, targets.self_tokens[0])
        with platform.transaction() as s:
            own = service.own(s, subject, Channel.API)
            assert own.records and all(r.history for r in own.records)
        with platform.transaction() as s:
            bank = auth.principal_for_token(s, targets.grantee_token)
        with platform.transaction() as s:
            authorized = service.authorized(s, bank, targets.authorization_ids[0], Channel.API)
            assert authorized.inquiry_id is not None
        with platform.transaction() as s:
            name = s.scalar(select(Subject.name).where(Subject.uscc == targets.organisations[1]))
            assert name is not None
            hits = service.search_organisations(s, name)
            assert hits[0].name == name
    finally:
        platform.dispose()


def test_record_counts_cover_every_subject_and_add_up() -> None:
    counts = record_counts(random.Random(1), 1000, 3000)
    assert sum(counts) == 3000 and min(counts) >= 1 and max(counts) <= 15 + 3000 // 1000


#: What the load drops and must put back, by kind: (name, definition) rows of the loaded tables.
_CATALOG = (
    (
        "index",
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
        "AND tablename = ANY(:t)",
    ),
    (
        "constraint",
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid::regclass::text = ANY(:t)",
    ),
)


def _indexes_and_constraints(settings: Settings) -> set[tuple[str, ...]]:
    platform = Platform.open(settings)
    try:
        with platform.transaction() as s:
            return {
                (kind, *row)
                for kind, sql in _CATALOG
                for row in s.execute(text(sql), {"t": list(LOADED)}).all()
            }
    finally:
        platform.dispose()


def test_issue22_4_log_written_beside_the_records_and_every_index_and_constraint_returns(
    backend: str, settings: Settings
) -> None:
    """Two processes for the records, two for the inquiry log from the start: every row is
    there, and every index and unique constraint dropped for the load is back as it was."""
    if backend != "postgresql":
        pytest.skip("the benchmark dataset is generated for PostgreSQL only")
    before = _indexes_and_constraints(settings)
    scale = Scale(**{**SCALE.__dict__, "jobs": 2, "inquiries": 3_000})
    targets = generate(settings, scale)
    assert _indexes_and_constraints(settings) == before
    assert targets.counts["inquiries"] == 3_000
    assert {"subjects", "records", "inquiry_log", "indexes"} <= targets.seconds.keys()
    platform = Platform.open(settings)
    try:
        with platform.transaction() as s:
            assert s.scalar(text("SELECT count(*) FROM inquiry_log")) == 3_000
            assert s.scalar(select(func.count()).select_from(CreditRecord)) == SCALE.records
            # The unique natural key is enforced again after the load.
            with pytest.raises(IntegrityError), s.begin_nested():
                s.execute(
                    text(
                        "INSERT INTO credit_record (subject_id, item_code, provider_id, "
                        "polarity, info_class, natural_key, created_at) SELECT subject_id, "
                        "item_code, provider_id, polarity, info_class, natural_key, created_at "
                        "FROM credit_record LIMIT 1"
                    )
                )
    finally:
        platform.dispose()


def test_issue22_4_a_failed_run_leaves_no_log_process_writing(
    backend: str, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The log's processes start with the subjects; when the records fail, they are ended
    (not left to write into the database for minutes), and the failure reaches the caller."""
    if backend != "postgresql":
        pytest.skip("the benchmark dataset is generated for PostgreSQL only")

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("records failed")

    monkeypatch.setattr(datagen, "_all_records", fail)
    scale = Scale(**{**SCALE.__dict__, "jobs": 2, "inquiries": 2_000_000})
    with pytest.raises(RuntimeError, match="records failed"):
        generate(settings, scale)
    # (By name: another test's process, if any, is not this run's.)
    assert [p for p in multiprocessing.active_children() if p.name.startswith("datagen-")] == []
    platform = Platform.open(settings)
    try:
        with platform.transaction() as s:
            assert s.scalar(text("SELECT count(*) FROM inquiry_log")) < 2_000_000
    finally:
        platform.dispose()
