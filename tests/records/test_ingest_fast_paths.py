"""The fast paths of ingestion (issue #7) give the answers of the plain ones (Art. 20-23).

Ingestion was made fast by compiling each item's checks once, encoding the payload once for
its digest and its storage, and writing in chunks through set-based statements (COPY on
PostgreSQL, with a writer thread). None of that may change what is stored or decided: the
content digest must stay the one already stored (or resubmissions would stop being
"unchanged"), the masked payload must be the same, and outcomes must not depend on where
the chunk boundaries fall.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from pcip.catalog.schemas import FieldSpec, FieldType
from pcip.kernel.keys.keyring import Keyring
from pcip.kernel.platform import Platform
from pcip.records import ingest as ingest_module
from pcip.records.interpret import Interpreted, _parse_date, check_value, interpret
from pcip.records.models import CreditRecord, RecordVersion, RejectedRow
from pcip.records.service import BasisFacts, RecordFacts, content_hash
from pcip.subjects.models import ResponsibleLink, Subject, SubjectName
from tests.helpers import citizen_id
from tests.records.builders import count, penalty_rows, run, write_csv

RING = Keyring("k1", {"k1": os.urandom(32)}, os.urandom(32), os.urandom(32))


def _reference_hash(payload: dict[str, Any], basis: BasisFacts | None, facts: RecordFacts) -> str:
    """The digest exactly as it was first defined (kept here as the reference)."""
    doc = {"payload": payload, "basis": basis.__dict__ if basis else None, "facts": facts.__dict__}
    raw = json.dumps(doc, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return RING.blind_index("record.content", raw)


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
_DATES = st.none() | st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))


@given(
    payload=st.dictionaries(
        st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,8}", fullmatch=True),
        _TEXT | st.integers(),
        max_size=12,
    ),
    with_basis=st.booleans(),
    number=_TEXT,
    decided=st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
    effective=_DATES,
    end=_DATES,
    valid_to=_DATES,
)
def test_art20_content_digest_is_unchanged_by_the_single_encoding(
    payload: dict[str, Any],
    with_basis: bool,
    number: str,
    decided: date,
    effective: date | None,
    end: date | None,
    valid_to: date | None,
) -> None:
    """Resubmitting a stored row is recognised as unchanged only if the digest never moves."""
    basis = (
        BasisFacts("admin_decision", number, '重庆市"监管"局\\', decided, effective, "u")
        if with_basis
        else None
    )
    facts = RecordFacts("general", end, decided, valid_to, None)
    assert content_hash(RING, payload, basis, facts) == _reference_hash(payload, basis, facts)


_DATE_FIELD = FieldSpec(name="D", label_zh="日期", label_en="date", type=FieldType.DATE)


@given(
    raw=st.one_of(
        st.dates(min_value=date(1, 1, 1)).map(lambda d: d.isoformat()),
        st.from_regex(r"[0-9０-９]{4}[-/.]?[0-9]{1,2}[-/.]?[0-9]{1,2}", fullmatch=True),
        st.from_regex(r"[0-9+\- ]{10}", fullmatch=True),
        st.text(max_size=12),
    )
)
def test_art23_date_fast_path_agrees_with_the_general_parser(raw: str) -> None:
    raw = raw.strip()
    if not raw:
        return
    try:
        expected: str | None = _parse_date(raw).isoformat()
    except ValueError as exc:
        expected, reason = None, str(exc)
    if expected is None:
        with pytest.raises(ValueError) as got:
            check_value(_DATE_FIELD, raw)
        assert str(got.value) == reason
    else:
        assert check_value(_DATE_FIELD, raw) == expected


def test_art27_stored_payload_text_is_the_masked_payload(platform: Platform) -> None:
    """The JSON written by COPY is the masked payload (personal values never in clear)."""
    from pcip.catalog.service import item_in_force, item_spec

    rows = penalty_rows(platform, 5)
    rows[1].update(
        CF_XDR_LB="自然人",
        CF_XDR_SHXYM="",
        CF_XDR_ZJLX="身份证",
        CF_XDR_ZJHM=citizen_id(77, born=date(1980, 3, 3)),
        CF_XDR_MC='钱"七\\',
    )
    with platform.transaction() as s:
        spec = item_spec(item_in_force(s, "admin_penalty"))
    for row in rows:
        got = interpret(spec, row, platform.keyring, date(2026, 11, 26))
        assert isinstance(got, Interpreted), got
        assert json.loads(got.payload_json) == got.payload
        for clear in (row["CF_FR_ZJHM"], row["CF_XDR_ZJHM"]):
            if clear:
                assert clear not in got.payload_json


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> int:
    """Chunks of 7 rows: rows repeating, conflicting and renaming across chunk boundaries."""
    monkeypatch.setattr(ingest_module, "CHUNK_ROWS", 7)
    return 7


def _awkward_rows(platform: Platform) -> list[dict[str, str]]:
    rows = penalty_rows(platform, 20)
    rows[15]["CF_XDR_SHXYM"] = rows[2]["CF_XDR_SHXYM"]  # same company, later chunk ...
    rows[15]["CF_XDR_MC"] = "重庆改名后的商贸有限公司"  # ... under a new name (Art. 19)
    rows[16]["CF_FR_ZJHM"] = rows[3]["CF_FR_ZJHM"]  # a legal representative seen before
    rows[16]["CF_FRDB"] = rows[3]["CF_FRDB"]
    repeat = dict(rows[4])  # the same row again, two chunks later: unchanged
    conflict = dict(rows[5], CF_NR="另一份处罚内容")  # same document, other content: rejected
    moved = dict(rows[6], CF_XDR_SHXYM=rows[7]["CF_XDR_SHXYM"])  # another subject: rejected
    return [*rows, repeat, conflict, moved]


def _outcome(platform: Platform, summary: Any) -> tuple[Any, ...]:
    with platform.transaction() as s:
        names = sorted(s.scalars(select(SubjectName.name)))
        links = s.scalar(select(func.count()).select_from(ResponsibleLink))
        subjects = sorted(s.scalars(select(Subject.name)))
        rejected = sorted((r.line, r.errors[0]["code"]) for r in s.scalars(select(RejectedRow)))
    return (
        summary.accepted,
        summary.unchanged,
        summary.updated,
        summary.rejected,
        [(e.line, e.field, e.code) for e in summary.errors],
        names,
        links,
        subjects,
        rejected,
        count(platform, CreditRecord),
        count(platform, RecordVersion),
    )


def test_art20_outcomes_do_not_depend_on_chunk_boundaries(
    platform: Platform, unit: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(tmp_path / "p.csv", _awkward_rows(platform))
    one_chunk = _outcome(platform, run(platform, path))
    assert one_chunk[:4] == (20, 1, 0, 2)
    # The same file into an empty database again, in chunks of 7 rows.
    with platform.transaction() as s:
        for model in (RecordVersion, CreditRecord, RejectedRow, ResponsibleLink, SubjectName):
            s.query(model).delete()
        s.query(Subject).delete()
    monkeypatch.setattr(ingest_module, "CHUNK_ROWS", 7)
    assert _outcome(platform, run(platform, path)) == one_chunk


def test_art20_resubmission_in_small_chunks_is_unchanged(
    platform: Platform, unit: str, tmp_path: Path, small_chunks: int
) -> None:
    path = write_csv(tmp_path / "p.csv", penalty_rows(platform, 30))
    first = run(platform, path)
    again = run(platform, path)
    assert (first.accepted, again.unchanged, again.accepted) == (30, 30, 0)


@pytest.mark.parametrize("failing_write", [1, 9, 17, 26])
def test_art20_a_failed_write_stores_nothing_and_leaves_the_platform_usable(
    platform: Platform,
    unit: str,
    tmp_path: Path,
    small_chunks: int,
    monkeypatch: pytest.MonkeyPatch,
    backend: str,
    failing_write: int,
) -> None:
    """A write failing in the writer thread (PostgreSQL) fails the whole batch, wherever it
    falls: the first write, one in the second chunk while its rows are still being built,
    one in a later chunk, one of the last chunk's (each write goes to the writer thread when
    it is issued, so the main thread may be several writes further on when one fails)."""
    from pcip.records import store

    path = write_csv(tmp_path / "p.csv", penalty_rows(platform, 30))
    calls = {"n": 0}
    original = store.PostgresStore._copy if backend == "postgresql" else store.BulkStore.insert

    def failing(self: Any, table: Any, *args: Any) -> None:
        calls["n"] += 1
        if calls["n"] == failing_write:
            raise RuntimeError("disk full")
        original(self, table, *args)

    target = store.PostgresStore if backend == "postgresql" else store.BulkStore
    monkeypatch.setattr(target, "_copy" if backend == "postgresql" else "insert", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        run(platform, path)
    assert calls["n"] >= failing_write
    assert count(platform, CreditRecord) == 0 and count(platform, Subject) == 0
    assert count(platform, RecordVersion) == 0 and count(platform, RejectedRow) == 0
    monkeypatch.undo()
    monkeypatch.setattr(ingest_module, "CHUNK_ROWS", small_chunks)
    assert run(platform, path).accepted == 30


_READS = ("subjects", "records", "versions", "basis_ids", "open_links", "reserve")
_WRITES = ("insert", "rename", "set_birth_dates")


def test_issue22_each_chunk_reads_all_it_needs_before_it_writes(
    platform: Platform,
    unit: str,
    tmp_path: Path,
    small_chunks: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A chunk's reads all come before its writes: on PostgreSQL a read waits for every write
    handed to the writer thread, so a read between two writes would leave the database idle
    while Python builds rows (docs/performance.md). Rows that rename, repeat and conflict
    across chunks take every path; outcomes are those of one chunk (the test above)."""
    from pcip.records.store import bulk_store

    calls: list[str] = []
    with platform.transaction() as s:
        kind = type(bulk_store(s))

    def traced(name: str) -> Any:
        original = getattr(kind, name)

        def call(self: Any, *args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return original(self, *args, **kwargs)

        return call

    for name in (*_READS, *_WRITES):
        monkeypatch.setattr(kind, name, traced(name))
    process = ingest_module._process

    def one_chunk(*args: Any) -> None:
        calls.append("chunk")
        process(*args)

    monkeypatch.setattr(ingest_module, "_process", one_chunk)
    summary = run(platform, write_csv(tmp_path / "p.csv", _awkward_rows(platform)))
    assert (summary.accepted, summary.unchanged, summary.rejected) == (20, 1, 2)
    chunks = " ".join(calls).split("chunk")
    assert len([c for c in chunks if c.strip()]) == 4  # 23 rows in chunks of 7
    for chunk in chunks:
        steps = chunk.split()
        first_write = next((i for i, n in enumerate(steps) if n in _WRITES), len(steps))
        assert not set(steps[first_write:]) & set(_READS), steps
    assert {"rename", "open_links", "versions"} <= set(calls)


def test_issue22_a_read_sees_the_writes_handed_over_before_it(
    platform: Platform, backend: str
) -> None:
    """On PostgreSQL a write goes to the writer thread when it is issued; a read issued after
    it waits for it, so it sees the row (nothing else hands it over)."""
    from pcip.records.ingest_records import _BASIS_COLUMNS
    from pcip.records.models import BasisDocument
    from pcip.records.store import PostgresStore, bulk_store

    key = ("重庆市市场监督管理局", "渝市监罚〔2026〕1号")
    now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    with platform.transaction() as s:
        store = bulk_store(s)
        assert store.basis_ids({key}) == {}
        [bid] = store.reserve(BasisDocument, 1)
        row = (bid, "admin_decision", key[1], key[0], None, None, date(2026, 1, 5), None, None, now)
        store.insert(BasisDocument, _BASIS_COLUMNS, [row])
        if isinstance(store, PostgresStore):
            assert len(store._pending) == 1  # handed over, not kept for a flush
        assert store.basis_ids({key}) == {key: bid}
        store.finish()
    with platform.transaction() as s:
        assert s.scalar(select(BasisDocument.number).where(BasisDocument.id == bid)) == key[1]


def test_the_ingest_uses_a_writer_thread_only_on_postgresql(
    platform: Platform, backend: str
) -> None:
    from pcip.records.store import PostgresStore, bulk_store

    with platform.transaction() as s:
        assert isinstance(bulk_store(s), PostgresStore) == (backend == "postgresql")


def test_new_ids_follow_the_stored_ones(platform: Platform, unit: str, tmp_path: Path) -> None:
    """Ids reserved up front never collide with rows written by other code paths."""
    run(platform, write_csv(tmp_path / "a.csv", penalty_rows(platform, 5, seed=1)))
    with platform.transaction() as s:  # a record written the ORM way, between two batches
        subject = s.scalars(select(Subject)).first()
        assert subject is not None
        s.add(
            CreditRecord(
                subject_id=subject.id,
                item_code="admin_penalty",
                provider_id=s.scalar(select(CreditRecord.provider_id)),
                polarity="negative",
                info_class="public",
                natural_key="doc:manual:1",
                created_at=datetime.now().astimezone(),
            )
        )
    run(platform, write_csv(tmp_path / "b.csv", penalty_rows(platform, 5, seed=2)))
    assert count(platform, CreditRecord) == 11


def test_issue22_lookups_probe_the_index_instead_of_reading_every_stored_record(
    platform: Platform,
    unit: str,
    tmp_path: Path,
    backend: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each chunk's lookup of stored records reads about as many rows as it has keys, not
    every record of the unit: rows written earlier in the same transaction have no planner
    statistics, and a plain join then read them all for every chunk (a cost growing with the
    table, docs/performance.md)."""
    if backend != "postgresql":
        pytest.skip("the lookups' plans are PostgreSQL's")
    from pcip.records import store

    read: list[tuple[int, int]] = []  # (keys, rows of credit_record read)
    original = store.PostgresStore.records

    def tuples(self: Any) -> int:
        row = self._all(
            "SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) "
            "FROM pg_stat_xact_user_tables WHERE relname = 'credit_record'",
            (),
        )
        return int(row[0][0]) if row else 0

    def counting(self: Any, provider_id: int, item_code: str, keys: Any) -> Any:
        before = tuples(self)
        out = original(self, provider_id, item_code, keys)
        read.append((len(keys), tuples(self) - before))
        return out

    monkeypatch.setattr(store.PostgresStore, "records", counting)
    monkeypatch.setattr(ingest_module, "CHUNK_ROWS", 20)
    assert run(platform, write_csv(tmp_path / "p.csv", penalty_rows(platform, 200))).accepted == 200
    assert len(read) == 10
    assert all(rows <= keys for keys, rows in read), read


def test_lookup_keys_are_packed_with_a_separator_no_key_holds() -> None:
    from pcip.records.store import _texts

    assert _texts(["a", "b"]) == ("string_to_array(%s, %s)", ("a\x1fb", "\x1f"))
    assert _texts(["a\x1f", "b"]) == ("string_to_array(%s, %s)", ("a\x1f\x1eb", "\x1e"))
    every = ["\x1f\x1e\x1d\x1c", "b"]
    assert _texts(every) == ("%s::text[]", (every,))  # no separator left: a plain array
    assert _texts(["", "b"]) == ("%s::text[]", (["", "b"],))  # string_to_array drops ''
    assert _texts([]) == ("%s::text[]", ([],))


def test_art20_documents_numbered_with_separator_characters_are_found_again(
    platform: Platform, unit: str, tmp_path: Path
) -> None:
    """Keys holding the characters the lookups split on are still found (resubmission is
    ``unchanged``, not a second record)."""
    rows = penalty_rows(platform, 4)
    rows[0]["CF_WSH"] = "A\x1fB" + rows[0]["CF_WSH"]  # (at either end, they are stripped)
    rows[1]["CF_WSH"] = "A\x1f\x1eB" + rows[1]["CF_WSH"]
    rows[2]["CF_WSH"] = "A\x1f\x1e\x1d\x1cB" + rows[2]["CF_WSH"]
    path = write_csv(tmp_path / "p.csv", rows)
    assert run(platform, path).accepted == 4
    again = run(platform, path)
    assert (again.unchanged, again.accepted) == (4, 0)
    assert count(platform, CreditRecord) == 4
