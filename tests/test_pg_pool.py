"""The suite's PostgreSQL pool (``tests.conftest.PgPool``, issue 15.8): a database given back
after a test is reset to exactly its template's rows and next ids before another test takes
it, whatever the test did to it, so reusing databases never lets one test see another's data.

The reset empties and refills only the tables whose change counts moved; these tests change
tables in every way a test can (insert, update, delete, TRUNCATE, a rolled-back transaction, a
session still open when the test ends) and compare the whole database with the template.

The reset compares the schema with the template's only when a system catalog was written: the
tests below change the schema in the ways a test can (a table, a column, an index, a trigger
dropped or disabled, a table made again with other oids) and check that the database is
dropped; and that a catalog write that leaves the schema (a temporary table, TRUNCATE, DDL
rolled back) is compared and the database reused.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import psycopg
import pytest
from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from pcip.config import Settings
from pcip.db import make_engine
from tests.conftest import PG_URL, PgPool, _finish_drops, _pg_url
from tests.helpers import pg_admin

pytestmark = pytest.mark.skipif(not PG_URL, reason="PCIP_TEST_DATABASE_URL is not set")

Conn = psycopg.Connection[tuple[object, ...]]


def _contents(name: str) -> dict[str, object]:
    """Every table's rows (as one md5 of their text, in a stable order) and every sequence."""
    with pg_admin(PG_URL, name) as conn:
        tables = [
            str(t)
            for (t,) in conn.execute(
                "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition "
                "AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
            )
        ]
        out: dict[str, object] = {}
        for table in tables:
            row = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                f"FROM {table} t"
            ).fetchone()
            out[table] = row
        for (seq,) in conn.execute(
            "SELECT c.oid::regclass::text FROM pg_class c WHERE c.relkind = 'S'"
        ).fetchall():
            out[f"seq:{seq}"] = conn.execute(f"SELECT last_value, is_called FROM {seq}").fetchone()
        return out


def _insert(conn: Conn) -> None:
    conn.execute(
        "INSERT INTO calendar_year SELECT year + 100, holidays, makeup_workdays, source, "
        "loaded_at, loaded_by, official FROM calendar_year ORDER BY year LIMIT 1"
    )


def _update(conn: Conn) -> None:
    conn.execute("UPDATE catalog SET name_en = name_en || ' (changed)'")


def _delete(conn: Conn) -> None:
    conn.execute("DELETE FROM calendar_year WHERE year = (SELECT min(year) FROM calendar_year)")


def _truncate(conn: Conn) -> None:
    conn.execute("TRUNCATE calendar_year")


def _rolled_back(conn: Conn) -> None:
    with conn.transaction(force_rollback=True):
        _update(conn)


def _sequence(conn: Conn) -> None:
    for (seq,) in conn.execute("SELECT c.oid::regclass::text FROM pg_class c WHERE relkind = 'S'"):
        conn.execute(f"SELECT nextval('{seq}')")


@pytest.fixture(scope="module")
def pool() -> Iterator[PgPool]:
    """A pool of the test's own, its databases dropped at the end (the suite's pool lives in
    the conftest module pytest loaded, which this module does not share)."""
    own = PgPool()
    try:
        yield own
    finally:
        own.discard()
        _finish_drops()


CHANGES: dict[str, Callable[[Conn], None]] = {
    "insert": _insert,
    "update": _update,
    "delete": _delete,
    "truncate": _truncate,
    "rolled_back": _rolled_back,
    "sequences": _sequence,
}


@pytest.mark.parametrize("change", list(CHANGES))
@pytest.mark.parametrize("session_left_open", [False, True], ids=["closed", "left_open"])
def test_issue15_a_reused_database_holds_exactly_its_template_again(
    templates: dict[str, Settings], pool: PgPool, change: str, session_left_open: bool
) -> None:
    template = make_url(templates["postgresql"].database_url).database or ""
    name = pool.take(template)
    # A first round makes the pool know the database (a database seen for the first time is
    # reset whole); the second shows a reset of only the changed tables.
    pool.give_back(name)
    assert pool.take(template) == name
    fresh = _contents(name)
    left: Conn | None = None
    conn = pg_admin(PG_URL, name)
    try:
        CHANGES[change](conn)
        assert _contents(name) != fresh or change == "rolled_back"
    finally:
        if session_left_open:
            left = conn  # the pool must end it before resetting
        else:
            conn.close()
    pool.give_back(name)
    assert pool.take(template) == name, "a database with an unchanged schema is reused"
    try:
        assert _contents(name) == fresh
    finally:
        pool.give_back(name)
        if left is not None:
            left.close()


# --- The shortcuts: the schema is compared only when a system catalog was written ----------

#: A trigger on a table of the test's own template (the pcip schema has no trigger to drop).
_PROBE = (
    "CREATE TABLE pool_probe (id serial PRIMARY KEY, v text); "
    "CREATE OR REPLACE FUNCTION pool_probe_fn() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RETURN NEW; END $$; "
    "CREATE TRIGGER pool_probe_trg BEFORE INSERT ON pool_probe "
    "FOR EACH ROW EXECUTE FUNCTION pool_probe_fn(); "
    "CREATE TABLE pool_plain (x int)"
)


@pytest.fixture(scope="module")
def probe_template(templates: dict[str, Settings]) -> Iterator[str]:
    """A copy of the template with a table of its own, a trigger on it, and two rows."""
    template = make_url(templates["postgresql"].database_url).database or ""
    name = f"{template}_probe"
    with pg_admin(PG_URL) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    with pg_admin(PG_URL, name) as conn:
        conn.execute(
            _PROBE + "; INSERT INTO pool_probe (v) VALUES ('a'), ('b'); "
            "INSERT INTO pool_plain VALUES (1)"
        )
    try:
        yield name
    finally:
        with pg_admin(PG_URL) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def probe_pool(probe_template: str) -> Iterator[PgPool]:
    """A pool of the probe template's copies (dropped before the template is)."""
    own = PgPool()
    try:
        yield own
    finally:
        own.discard()
        _finish_drops()


def _known(pool: PgPool, template: str, *, keep: bool = False) -> str:
    """A database of ``pool`` that has been reset once (the pool knows its statistics)."""
    name = pool.take(template)
    pool.give_back(name)
    assert pool.take(template, keep=keep) == name
    return name


def _run(name: str, sql: str, *, left_open: bool = False) -> Conn | None:
    conn = pg_admin(PG_URL, name)
    conn.execute(sql)
    if left_open:
        return conn
    conn.close()
    return None


def _given_again_as_fresh(pool: PgPool, template: str, name: str, fresh: dict[str, object]) -> None:
    """The database given back is reused (the next take is it) and holds what a fresh copy
    holds; then it goes back again."""
    assert pool.take(template) == name, "the database must be reused"
    assert _contents(name) == fresh
    pool.give_back(name)


SCHEMA_CHANGES = {
    "create_table": "CREATE TABLE pool_extra (x int)",
    "add_column": "ALTER TABLE calendar_year ADD COLUMN probe int",
    "create_index": "CREATE INDEX pool_extra_idx ON calendar_year (source)",
    "drop_trigger": "DROP TRIGGER pool_probe_trg ON pool_probe",
    "disable_trigger": "ALTER TABLE pool_probe DISABLE TRIGGER pool_probe_trg",
    "set_not_null": "ALTER TABLE pool_probe ALTER COLUMN v SET NOT NULL",
    "drop_function": "DROP TRIGGER pool_probe_trg ON pool_probe; DROP FUNCTION pool_probe_fn()",
    # The same schema, but a table made again: other oids (the statistics are read by oid).
    "made_again": "DROP TABLE pool_probe, pool_plain; " + _PROBE,
    "made_again_no_sequence": "DROP TABLE pool_plain; CREATE TABLE pool_plain (x int)",
    # Same names, other definitions: a column's default, a function's body.
    "set_default": "ALTER TABLE pool_probe ALTER COLUMN v SET DEFAULT 'probe'",
    "function_body": "CREATE OR REPLACE FUNCTION pool_probe_fn() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN NEW.v := 'x'; RETURN NEW; END $$",
}


@pytest.mark.parametrize(
    ("change", "session_left_open"),
    [(change, False) for change in SCHEMA_CHANGES] + [("add_column", True)],
)
def test_issue15_a_database_whose_schema_a_test_changed_is_never_reused(
    probe_template: str, probe_pool: PgPool, change: str, session_left_open: bool
) -> None:
    name = _known(probe_pool, probe_template)
    dropped = probe_pool.dropped
    left = _run(name, SCHEMA_CHANGES[change], left_open=session_left_open)
    try:
        probe_pool.give_back(name)
        assert probe_pool.dropped == dropped + 1
        again = probe_pool.take(probe_template)
        assert again != name, "a database with a changed schema must be dropped"
        probe_pool.give_back(again)
    finally:
        if left is not None:
            left.close()


def test_issue15_a_data_change_is_reset_without_comparing_the_schema(
    probe_template: str, probe_pool: PgPool
) -> None:
    name = _known(probe_pool, probe_template)
    fresh = _contents(name)
    compared = probe_pool.fingerprinted
    _run(name, "UPDATE pool_probe SET v = 'changed'; SELECT nextval('pool_probe_id_seq')")
    probe_pool.give_back(name)
    assert probe_pool.fingerprinted == compared, "no catalog was written: no fingerprint"
    _given_again_as_fresh(probe_pool, probe_template, name, fresh)


WRITES_CATALOGS_ONLY = {
    # A temporary table writes pg_class, pg_attribute and pg_type, and goes with its session.
    "temporary_table": "CREATE TEMP TABLE scratch AS SELECT * FROM pool_probe",
    # TRUNCATE gives the table a new file (pg_class.relfilenode) and empties it.
    "truncate": "TRUNCATE pool_probe",
    # A rolled-back schema change is counted in the catalogs' statistics, and leaves nothing.
    "rolled_back_ddl": "BEGIN; ALTER TABLE pool_probe ADD COLUMN w int; ROLLBACK",
    # ANALYZE writes pg_statistic and updates pg_class in place (not counted).
    "analyze": "ANALYZE pool_probe",
}


@pytest.mark.parametrize(
    ("change", "session_left_open"),
    [(change, False) for change in WRITES_CATALOGS_ONLY] + [("temporary_table", True)],
)
def test_issue15_a_catalog_write_that_leaves_the_schema_is_compared_and_reused(
    probe_template: str, probe_pool: PgPool, change: str, session_left_open: bool
) -> None:
    name = _known(probe_pool, probe_template)
    fresh = _contents(name)
    compared = probe_pool.fingerprinted
    left = _run(name, WRITES_CATALOGS_ONLY[change], left_open=session_left_open)
    try:
        probe_pool.give_back(name)
        assert probe_pool.fingerprinted == compared + (change != "analyze")
        _given_again_as_fresh(probe_pool, probe_template, name, fresh)
    finally:
        if left is not None:
            left.close()


def test_issue15_a_sequence_set_back_without_being_called_is_reset(
    probe_template: str, probe_pool: PgPool
) -> None:
    """setval(..., false) leaves is_called as a fresh sequence has it: the sequence's read
    block shows it was touched."""
    name = _known(probe_pool, probe_template)
    fresh = _contents(name)
    _run(name, "SELECT setval('pool_probe_id_seq', 100, false)")
    assert _contents(name) != fresh
    probe_pool.give_back(name)
    _given_again_as_fresh(probe_pool, probe_template, name, fresh)


def test_issue15_a_sequence_read_in_a_transaction_rolled_back_is_reset(
    probe_template: str, probe_pool: PgPool
) -> None:
    """nextval is not rolled back; no table was written."""
    name = _known(probe_pool, probe_template)
    fresh = _contents(name)
    _run(name, "BEGIN; SELECT nextval('pool_probe_id_seq'); ROLLBACK")
    probe_pool.give_back(name)
    _given_again_as_fresh(probe_pool, probe_template, name, fresh)


def test_issue15_statistics_reset_by_a_test_make_the_reset_whole(
    probe_template: str, probe_pool: PgPool
) -> None:
    """pg_stat_reset() zeroes every count (a table changed could then look clean): the reset
    then compares the schema and empties and refills every table."""
    name = _known(probe_pool, probe_template)
    fresh = _contents(name)
    compared = probe_pool.fingerprinted
    _run(name, "INSERT INTO pool_probe (v) VALUES ('c')")
    _run(name, "SELECT pg_stat_force_next_flush(); SELECT pg_sleep(0.05); SELECT pg_stat_reset()")
    probe_pool.give_back(name)
    assert probe_pool.fingerprinted == compared + 1
    _given_again_as_fresh(probe_pool, probe_template, name, fresh)


# --- The kept connection: one backend per pooled database, lent to the test's engine ------


def _engine(pool: PgPool, name: str) -> Engine:
    """An engine on a database of ``pool``, as the suite's ``platform`` makes it, whose first
    connection is the database's kept one (the suite's pool lends to every engine)."""
    engine = make_engine(_pg_url(name))
    event.listen(engine, "do_connect", pool.lend)
    return engine


def _pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _lent_again(pool: PgPool, template: str, name: str, pid: int) -> Engine:
    """The database given back is taken again and its engine gets the same backend."""
    pool.give_back(name)
    assert pool.take(template, keep=True) == name
    engine = _engine(pool, name)
    assert _pid(engine) == pid, "the kept connection must be lent again"
    return engine


def _answer(conn: Connection, check: str) -> object:
    """The check's value, or the name of the error it raised."""
    try:
        with conn.begin_nested():
            return conn.execute(text(check)).all()
    except DBAPIError as exc:
        return type(exc.orig).__name__


#: What a test can leave in its session, and a query that shows it (on a new connection:
#: nothing). DISCARD ALL clears each one.
SESSION_STATE = {
    "setting": ("SET work_mem = '1234kB'", "SHOW work_mem"),
    "role": ("SET ROLE pg_monitor", "SELECT current_user"),
    "temporary_table": ("CREATE TEMP TABLE leak AS SELECT 1 AS x", "SELECT count(*) FROM leak"),
    "prepared_statement": ("PREPARE leak AS SELECT 1", "SELECT name FROM pg_prepared_statements"),
    "advisory_lock": (
        "SELECT pg_advisory_lock(15)",
        "SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()",
    ),
    "listen": ("LISTEN leak", "SELECT pg_listening_channels()"),
    "currval": ("SELECT nextval('catalog_id_seq')", "SELECT lastval()"),
    "cursor_with_hold": (
        "DECLARE leak CURSOR WITH HOLD FOR SELECT 1",
        "SELECT name FROM pg_cursors",
    ),
}


@pytest.mark.parametrize("state", list(SESSION_STATE))
def test_issue15_8_the_kept_connection_carries_no_session_state_to_the_next_test(
    templates: dict[str, Settings], pool: PgPool, state: str
) -> None:
    template = make_url(templates["postgresql"].database_url).database or ""
    name = _known(pool, template, keep=True)
    leave, check = SESSION_STATE[state]
    with pg_admin(PG_URL, name) as fresh:
        try:
            expected: object = [tuple(r) for r in fresh.execute(check).fetchall()]
        except psycopg.Error as exc:
            expected = type(exc).__name__
    engine = _engine(pool, name)
    pid = _pid(engine)
    with engine.connect() as conn:
        conn.execute(text(leave))
        conn.commit()  # LISTEN takes effect at commit; the others outlast it
        assert _answer(conn, check) != expected, "the state must show in its own session"
    engine.dispose()
    again = _lent_again(pool, template, name, pid)
    try:
        with again.connect() as conn:
            assert _answer(conn, check) == expected
    finally:
        again.dispose()
        pool.give_back(name)


def test_issue15_8_what_a_test_wrote_through_the_kept_connection_is_reset(
    templates: dict[str, Settings], pool: PgPool
) -> None:
    """The kept session's statistics are flushed when the engine gives it back: the reset
    reads from them which tables to refill (a session still open flushes them only once it
    has been idle for a while)."""
    template = make_url(templates["postgresql"].database_url).database or ""
    name = _known(pool, template, keep=True)
    fresh = _contents(name)
    engine = _engine(pool, name)
    pid = _pid(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE catalog SET name_en = name_en || ' (changed)'"))
        conn.execute(text("SELECT nextval('catalog_id_seq')"))
    engine.dispose()
    again = _lent_again(pool, template, name, pid)
    again.dispose()
    try:
        assert _contents(name) == fresh
    finally:
        pool.give_back(name)


def test_issue15_8_psycopg_prepares_again_after_the_kept_connection_comes_back(
    templates: dict[str, Settings], pool: PgPool
) -> None:
    """psycopg prepares a statement run five times; DISCARD ALL drops it in the server, and
    psycopg forgets it too (else the next test's sixth run names a statement that is gone)."""
    template = make_url(templates["postgresql"].database_url).database or ""
    name = _known(pool, template, keep=True)
    engine = _engine(pool, name)
    pid = _pid(engine)
    for _ in range(2):
        with engine.connect() as conn:
            for _ in range(8):
                assert conn.execute(text("SELECT count(*) FROM catalog")).scalar_one() > 0
            prepared = conn.execute(text("SELECT count(*) FROM pg_prepared_statements"))
            assert prepared.scalar_one() >= 1
        engine.dispose()
        engine = _lent_again(pool, template, name, pid)
    engine.dispose()
    pool.give_back(name)


def test_issue15_8_an_engine_left_open_keeps_its_connection_and_the_next_test_gets_another(
    templates: dict[str, Settings], pool: PgPool
) -> None:
    """A test that never disposes its engine: the reset ends that session like any other, and
    the engine closing it later really closes it (it is not kept twice)."""
    template = make_url(templates["postgresql"].database_url).database or ""
    name = _known(pool, template, keep=True)
    fresh = _contents(name)
    left = _engine(pool, name)
    with left.begin() as conn:
        old = int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())
        conn.execute(text("UPDATE catalog SET name_en = name_en || ' (changed)'"))
    pool.give_back(name)
    assert pool.take(template, keep=True) == name
    engine = _engine(pool, name)
    try:
        new = _pid(engine)
        assert new != old
        assert _contents(name) == fresh
        left.dispose()  # the old engine closes its ended connection: nothing comes back
        engine.dispose()
        engine = _engine(pool, name)
        assert _pid(engine) == new, "the kept connection is still the reset's"
    finally:
        engine.dispose()
        left.dispose()
        pool.give_back(name)


@pytest.mark.parametrize("how", ["terminated", "notification_waiting"])
def test_issue15_8_a_kept_connection_that_cannot_be_lent_as_new_is_replaced(
    templates: dict[str, Settings], pool: PgPool, how: str
) -> None:
    """Ended by the test (pg_terminate_backend), or with a notification psycopg received and
    nobody read: the next engine gets a new connection, which works."""
    template = make_url(templates["postgresql"].database_url).database or ""
    name = _known(pool, template, keep=True)
    engine = _engine(pool, name)
    pid = _pid(engine)
    if how == "notification_waiting":
        with engine.connect() as conn:
            conn.execute(text("LISTEN leak"))
            conn.commit()
            conn.execute(text("NOTIFY leak"))
            conn.commit()
            conn.execute(text("SELECT 1"))
    engine.dispose()
    if how == "terminated":
        with pg_admin(PG_URL, name) as admin:
            admin.execute(f"SELECT pg_terminate_backend({pid})")
            time.sleep(0.1)
    pool.give_back(name)
    assert pool.take(template, keep=True) == name
    again = _engine(pool, name)
    try:
        with again.connect() as conn:
            assert conn.execute(text("SELECT pg_listening_channels()")).all() == []
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid
    finally:
        again.dispose()
        pool.give_back(name)


def test_issue15_8_a_test_that_does_not_keep_the_connection_finds_no_other_session(
    templates: dict[str, Settings], pool: PgPool
) -> None:
    """A test that opens no ``platform`` finds its database as a fresh copy is: no session on
    it, so that, for one, it can copy it (CREATE DATABASE refuses a template in use)."""
    template = make_url(templates["postgresql"].database_url).database or ""
    name = _known(pool, template, keep=True)
    pool.give_back(name)  # the reset's connection is kept
    assert pool.take(template) == name
    try:
        with pg_admin(PG_URL) as admin:
            others = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (name,)
            ).fetchone()
            assert others == (0,)
            admin.execute(f'CREATE DATABASE "{name}_copy" TEMPLATE "{name}"')
            admin.execute(f'DROP DATABASE "{name}_copy"')
    finally:
        pool.give_back(name)
