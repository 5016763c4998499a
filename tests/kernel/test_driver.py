"""Issue 22: a statement run on the driver's cursor (``pcip.kernel.driver.DriverStatement``)
gives what SQLAlchemy's ``Connection.execute`` gives: the same rows with values of the same
types, the same stored values, the same events and the same errors, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Table, bindparam, event, func, insert, select, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError, OperationalError

from pcip import clock
from pcip.disclosure import service as disclosure
from pcip.inquiry import service as inquiry
from pcip.inquiry.models import InquiryLog
from pcip.kernel.driver import _KEPT_CURSOR, DriverStatement, flushed_connection
from pcip.kernel.platform import Platform
from pcip.subjects.models import Subject
from tests.world import NOW, World, WorldData, reopen


@pytest.fixture
def world(platform: Platform, api_world_data: WorldData) -> Iterator[World]:
    with clock.frozen(NOW):
        yield reopen(platform, api_world_data)


def _typed(rows: list[tuple[Any, ...]]) -> list[list[tuple[type, Any, Any]]]:
    """Values with their types and time zones: a naive and an aware datetime, the same instant
    in two zones, or 1 and True, must not pass as equal."""
    return [[(type(v), v, getattr(v, "tzinfo", None)) for v in row] for row in rows]


def _sqlalchemy(conn: Connection, statement: DriverStatement, params: dict[str, Any]) -> Any:
    return _typed([tuple(r) for r in conn.execute(statement.statement, params)])


def test_issue22_the_inquiry_read_on_the_driver_equals_sqlalchemys_for_every_subject(
    world: World,
) -> None:
    with world.platform.transaction() as s:
        conn = s.connection()
        subjects = s.execute(select(Subject.id, Subject.uscc, Subject.registration_no)).all()
        assert len(subjects) > 3
        held = 0
        for sid, uscc, reg_no in subjects:
            by_id = {"subject_id": sid}
            rows = disclosure._BY_ID.rows(conn, by_id)
            assert _typed(rows) == _sqlalchemy(conn, disclosure._BY_ID, by_id)
            held += len(rows)
            by_code = {"code": uscc or "", "reg_no": reg_no or ""}
            assert _typed(disclosure._BY_CODE.rows(conn, by_code)) == _sqlalchemy(
                conn, disclosure._BY_CODE, by_code
            )
        assert held > len(subjects)  # records and versions were read, not only subjects
        # no subject: no row, both ways
        assert disclosure._BY_ID.rows(conn, {"subject_id": -1}) == []


_TEXT = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"))
_ENTRY = st.fixed_dictionaries(
    {
        "at": st.datetimes(
            min_value=datetime(2000, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
        ),
        "mode": st.sampled_from(["public_disclosure", "self", "authorized", "authority"]),
        "channel": st.sampled_from(["web", "api", "mobile"]),
        "purpose": st.none() | _TEXT,
        "inquirer": _TEXT.map(lambda t: t[:128]),
        "inquirer_display": _TEXT.map(lambda t: t[:200]),
        "authorization_id": st.none(),
        "as_of": st.none() | st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 1, 1)),
        "confidential_basis": st.none() | _TEXT.map(lambda t: t[:255]),
        "confidential_reason": st.none() | _TEXT.map(lambda t: t[:64]),
        "returned": st.lists(st.lists(st.integers(0, 2**31), min_size=2, max_size=2)),
        "returned_count": st.integers(0, 1000),
    }
)


def test_issue22_a_log_entry_written_on_the_driver_is_stored_as_sqlalchemy_stores_it(
    world: World,
) -> None:
    """The inquiry log's INSERT (``pcip.inquiry.service._LOG``): every column, each value
    through its type (UTC datetimes, dates, JSON), read back equal to the same entry inserted
    by ``Connection.execute``."""
    table = cast(Table, InquiryLog.__table__)
    with world.platform.transaction() as s:
        subject_id = s.scalar(select(Subject.id).limit(1))

    @settings(max_examples=30)
    @given(entry=_ENTRY)
    def stored_alike(entry: dict[str, Any]) -> None:
        values = {**entry, "subject_id": subject_id}
        with world.platform.transaction() as s:
            conn = s.connection()
            [(driver_id,)] = inquiry._LOG.rows(conn, values)
            inserted = conn.execute(insert(table), values).inserted_primary_key
            assert inserted is not None
            orm_id = inserted[0]
            read = select(table).where(table.c.id == bindparam("id"))
            a = conn.execute(read, {"id": driver_id}).one()._asdict()
            b = conn.execute(read, {"id": orm_id}).one()._asdict()
            assert a.pop("id") == driver_id and b.pop("id") == orm_id
            assert _typed([tuple(a.values())]) == _typed([tuple(b.values())])
            assert a["at"] == entry["at"] and a["returned"] == entry["returned"]
            s.rollback()

    stored_alike()


def test_issue22_the_driver_calls_the_cursor_events_with_its_statement(world: World) -> None:
    seen: list[tuple[str, str]] = []

    def before(_c: Any, _cur: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        seen.append(("before", statement))
        if statement.startswith("SELECT subject."):
            assert context is None and many is False

    def after(_c: Any, _cur: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        seen.append(("after", statement))

    engine = world.platform.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        with world.platform.transaction() as s:
            disclosure._BY_ID.rows(s.connection(), {"subject_id": 1})
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    reads = [(w, st) for w, st in seen if st.startswith("SELECT subject.")]
    assert [w for w, _ in reads] == ["before", "after"]


#: A log entry naming no subject: it breaks the foreign key.
_ORPHAN_ENTRY: dict[str, Any] = {
    "at": datetime(2026, 1, 5, tzinfo=UTC),
    "mode": "public_disclosure",
    "channel": "web",
    "purpose": None,
    "inquirer": "public:secret-inquirer",
    "inquirer_display": "社会公众",
    "subject_id": 987654321,
    "authorization_id": None,
    "as_of": None,
    "confidential_basis": None,
    "confidential_reason": None,
    "returned": [],
    "returned_count": 0,
}


def test_issue22_a_driver_error_is_sqlalchemys_error_with_the_values_hidden(
    world: World,
) -> None:
    """A log entry naming no subject breaks the foreign key: the same ``IntegrityError`` as
    ``Connection.execute`` raises, its text naming no value (Art. 27, issue 23)."""
    values = _ORPHAN_ENTRY
    errors = []
    for run in (
        lambda conn: inquiry._LOG.rows(conn, values),
        lambda conn: conn.execute(insert(cast(Table, InquiryLog.__table__)), values),
    ):
        with pytest.raises(IntegrityError) as caught, world.platform.transaction() as s:
            run(s.connection())
        errors.append(caught.value)
    assert type(errors[0].orig) is type(errors[1].orig)
    assert "secret-inquirer" not in str(errors[0])
    # and the platform goes on: the failed transaction was rolled back
    with world.platform.transaction() as s:
        assert disclosure._BY_ID.rows(s.connection(), {"subject_id": -1}) == []


def test_issue22_a_lost_connection_is_invalidated_as_sqlalchemy_does(world: World) -> None:
    """PostgreSQL: when the connection's server process has ended, the statement fails with
    an ``OperationalError`` marked as a lost connection (so the pool drops its connections);
    the next transaction gets a live one."""
    if world.platform.engine.dialect.name != "postgresql":
        pytest.skip("ending a server process is PostgreSQL's")
    with pytest.raises(OperationalError) as caught, world.platform.transaction() as s:
        conn = s.connection()
        pid = conn.scalar(text("SELECT pg_backend_pid()"))
        with world.platform.engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            other.commit()
        disclosure._BY_ID.rows(conn, {"subject_id": -1})
    assert caught.value.connection_invalidated
    with world.platform.transaction() as s:
        assert disclosure._BY_ID.rows(s.connection(), {"subject_id": -1}) == []


def test_issue22_statements_the_driver_cannot_run_alike_are_refused_when_built() -> None:
    table = cast(Table, InquiryLog.__table__)
    expanding = select(table.c.id).where(table.c.id.in_(bindparam("ids", expanding=True)))
    with pytest.raises(ValueError, match="expanding"):
        DriverStatement(expanding)._for(sqlite.dialect())


def test_issue22_a_driver_read_in_place_of_an_orm_query_sees_what_the_unit_of_work_added(
    world: World,
) -> None:
    """``flushed_connection``: as ``Session.execute`` flushes pending objects before it reads
    (and not under ``no_autoflush``), so does a driver read that replaces an ORM query."""
    table = cast(Table, InquiryLog.__table__)
    count = DriverStatement(
        select(func.count()).select_from(table).where(table.c.inquirer == bindparam("who"))
    )
    with world.platform.transaction() as s:
        s.add(
            InquiryLog(
                at=datetime(2026, 1, 5, tzinfo=UTC),
                mode="public_disclosure",
                channel="web",
                inquirer="test:pending",
                inquirer_display="社会公众",
                subject_id=s.scalar(select(Subject.id).limit(1)),
                returned=[],
                returned_count=0,
            )
        )
        with s.no_autoflush:
            assert count.rows(flushed_connection(s), {"who": "test:pending"}) == [(0,)]
        assert count.rows(flushed_connection(s), {"who": "test:pending"}) == [(1,)]
        s.rollback()


def test_issue22_each_dialect_gets_its_own_compiled_statement_for_as_long_as_it_lives() -> None:
    """Keyed by the dialect object itself, held weakly: an engine closed and another of the
    other kind opened in the same process (the suite does it all the time) never shares."""
    import gc

    from sqlalchemy.dialects.postgresql import psycopg as pg

    table = cast(Table, InquiryLog.__table__)
    statement = DriverStatement(select(table.c.id).where(table.c.inquirer == bindparam("who")))
    lite, pg_dialect = sqlite.dialect(), pg.dialect()  # type: ignore[no-untyped-call]
    assert "?" in statement._for(lite).sql
    assert "%(who)s" in statement._for(pg_dialect).sql
    del lite
    gc.collect()
    assert list(statement._compiled.keys()) == [pg_dialect]


def test_issue22_postgresql_keeps_one_cursor_per_driver_connection(world: World) -> None:
    """The statements of one connection share the cursor kept for it (a new psycopg cursor
    copies the connection's adapters); another connection gets its own; after a statement
    failed (SQLAlchemy closes the cursor) the next one makes a new one."""
    if world.platform.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's cursors are made per statement")
    with world.platform.transaction() as s:
        conn = s.connection()
        subject_id = s.scalar(select(Subject.id).limit(1))
        first = disclosure._BY_ID.rows(conn, {"subject_id": subject_id})
        kept = conn.connection.info[_KEPT_CURSOR]
        assert disclosure._BY_ID.rows(conn, {"subject_id": subject_id}) == first
        assert conn.connection.info[_KEPT_CURSOR] is kept and not kept.closed
        with world.platform.engine.connect() as other:
            disclosure._BY_ID.rows(other, {"subject_id": -1})
            assert other.connection.info[_KEPT_CURSOR] is not kept
    with world.platform.engine.connect() as conn:
        with pytest.raises(IntegrityError):
            inquiry._LOG.rows(conn, _ORPHAN_ENTRY)
        conn.rollback()
        failed = conn.connection.info[_KEPT_CURSOR]
        assert failed.closed  # SQLAlchemy's error handling closed it
        assert disclosure._BY_ID.rows(conn, {"subject_id": subject_id}) == first
        assert not conn.connection.info[_KEPT_CURSOR].closed
