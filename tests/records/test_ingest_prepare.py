"""A file read and checked by a child process stores what one process stores (Art. 20-23).

``pcip ingest`` forks a child that reads the file and interprets its rows while the parent
writes (issue #22 point 3, docs/performance.md). Outcomes, rejected rows, the column report,
file problems and failures must be those of one process, and the child must never outlive
the batch.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pcip.kernel.platform import Platform
from pcip.records import ingest as ingest_module
from pcip.records import ingest_prepare
from pcip.records.ingest import IngestSummary, ingest_file
from pcip.records.models import Batch, CreditRecord, RecordVersion, RejectedRow
from pcip.records.readers import FileProblem
from pcip.subjects.models import ResponsibleLink, Subject, SubjectName
from tests.records.builders import ACTOR, UNIT, count, penalty_rows, write_csv
from tests.records.test_ingest_fast_paths import _awkward_rows, _outcome


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Chunks of 7 rows, every file read apart, and the pids of the children forked."""
    monkeypatch.setattr(ingest_module, "CHUNK_ROWS", 7)
    monkeypatch.setattr(ingest_module, "APART_FROM_BYTES", 0)
    pids: list[int] = []
    fork = os.fork

    def recorded() -> int:
        pid = fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(ingest_prepare.os, "fork", recorded)
    return pids


def _ingest(platform: Platform, path: Path, *, apart: bool, **kw: Any) -> IngestSummary:
    return ingest_file(
        platform, ACTOR, path, provider_uscc=UNIT, item_code="admin_penalty", apart=apart, **kw
    )


def _empty(platform: Platform) -> None:
    with platform.transaction() as s:
        for model in (RecordVersion, CreditRecord, RejectedRow, ResponsibleLink, SubjectName):
            s.query(model).delete()
        s.query(Subject).delete()


def _stored(platform: Platform) -> tuple[list[Any], list[Any]]:
    """Every version's content and every subject's identity, whatever their ids."""
    with platform.transaction() as s:
        versions = sorted(
            (
                r.natural_key,
                v.version,
                v.content_sha256,
                json.dumps(v.payload, sort_keys=True, ensure_ascii=False),
                v.severity,
                v.conduct_end_date,
                v.valid_from,
                v.valid_to,
                v.publicity_end,
                v.basis_id is not None,
                v.reason,
            )
            for v, r in s.execute(
                select(RecordVersion, CreditRecord).join(
                    CreditRecord, CreditRecord.id == RecordVersion.record_id
                )
            )
        )
        subjects = sorted(
            (
                x.kind,
                x.id_type,
                x.uscc,
                x.id_index,
                x.id_masked,
                x.birth_date,
                x.region_code,
                x.name,
            )
            for x in s.scalars(select(Subject))
        )
    return versions, subjects


def _reaped(pids: list[int]) -> bool:
    """Every child forked has ended and been waited for (no process, not even a zombie)."""
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        return False
    return True


def test_art20_a_file_checked_apart_stores_what_one_process_stores(
    platform: Platform, unit: str, tmp_path: Path, forks: list[int]
) -> None:
    rows = _awkward_rows(platform)
    for row in rows:  # a column outside the schema, with a value (Art. 23) ...
        row["DFBM"] = "500000"
        row["XYZ"] = ""  # ... and one that no row fills: reported from the header
    path = write_csv(tmp_path / "p.csv", rows)
    here = _ingest(platform, path, apart=False)
    alone, stored = _outcome(platform, here), _stored(platform)
    assert forks == []
    _empty(platform)
    progress: list[int] = []
    apart = _ingest(platform, path, apart=True, progress=progress.append)
    assert len(forks) == 1 and _reaped(forks)
    assert _outcome(platform, apart) == alone
    assert _stored(platform) == stored
    assert alone[:4] == (20, 1, 0, 2)
    assert apart.warnings == here.warnings and any("XYZ" in w for w in apart.warnings)
    assert progress and progress[-1] == path.stat().st_size
    with platform.transaction() as s:  # the ledger's counts and warnings too
        first, second = s.scalars(select(Batch).order_by(Batch.id)).all()[-2:]
        assert (first.accepted, first.rejected, first.warnings) == (
            second.accepted,
            second.rejected,
            second.warnings,
        )


def test_art20_a_file_problem_found_apart_fails_the_batch_as_in_one_process(
    platform: Platform, unit: str, tmp_path: Path, forks: list[int]
) -> None:
    path = write_csv(tmp_path / "cut.csv", penalty_rows(platform, 20))
    with path.open("a", encoding="utf-8") as fh:  # a quote left open after two chunks
        fh.write('重庆某公司,"法人及非法人组织\n')
    with pytest.raises(FileProblem) as here:
        _ingest(platform, path, apart=False)
    with pytest.raises(FileProblem) as apart:
        _ingest(platform, path, apart=True)
    assert _reaped(forks)
    assert str(apart.value.__cause__) == str(here.value.__cause__)  # the reader's own words
    assert apart.value.line == here.value.line == 22
    assert count(platform, CreditRecord) == 0 and count(platform, Subject) == 0
    with platform.transaction() as s:
        assert list(s.scalars(select(Batch.status).order_by(Batch.id))) == ["failed", "failed"]


def test_art20_a_failure_while_writing_ends_the_child_and_stores_nothing(
    platform: Platform,
    unit: str,
    tmp_path: Path,
    forks: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = write_csv(tmp_path / "p.csv", penalty_rows(platform, 60))
    original = ingest_module._process
    calls = {"n": 0}

    def failing(*args: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the child is still reading: seven more chunks to go
            raise RuntimeError("disk full")
        original(*args)

    monkeypatch.setattr(ingest_module, "_process", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        _ingest(platform, path, apart=True)
    assert len(forks) == 1 and _reaped(forks)
    assert count(platform, CreditRecord) == 0 and count(platform, Subject) == 0
    monkeypatch.setattr(ingest_module, "_process", original)
    assert _ingest(platform, path, apart=True).accepted == 60
    assert _reaped(forks)


def test_small_files_and_other_doors_are_checked_in_this_process(
    platform: Platform, unit: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork() -> int:
        raise AssertionError("forked")

    monkeypatch.setattr(ingest_prepare.os, "fork", no_fork)
    path = write_csv(tmp_path / "p.csv", penalty_rows(platform, 3))
    assert path.stat().st_size < ingest_module.APART_FROM_BYTES
    assert _ingest(platform, path, apart=True).accepted == 3
    assert _ingest(platform, path, apart=False).unchanged == 3
