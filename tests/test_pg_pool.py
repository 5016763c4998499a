"""The suite's PostgreSQL pool (``tests.conftest.PgPool``, issue 15.8): a database given back
after a test is reset to exactly its template's rows and next ids before another test takes
it, whatever the test did to it, so reusing databases never lets one test see another's data.

The reset empties and refills only the tables whose change counts moved; these tests change
tables in every way a test can (insert, update, delete, TRUNCATE, a rolled-back transaction, a
session still open when the test ends) and compare the whole database with the template.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import psycopg
import pytest
from sqlalchemy.engine import make_url

from pcip.config import Settings
from tests.conftest import PG_URL, PgPool, _finish_drops
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
