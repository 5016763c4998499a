"""Test fixtures: a fresh, initialised platform per test, on SQLite and on PostgreSQL.

Each backend gets one migrated and seeded template per test process; every test then gets a
copy (a file copy for SQLite, CREATE DATABASE ... TEMPLATE for PostgreSQL), so tests are
isolated and fast. PostgreSQL runs when PCIP_TEST_DATABASE_URL is set (CI sets it).

Populated worlds are templates too: a test that asks for a world's data fixture (see
``WORLDS``) gets, as its ``settings`` and ``platform``, a copy of a database in which that
world was built once per test process, instead of building it again (issue 15).
"""

from __future__ import annotations

import importlib
import itertools
import json
import os
import select
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import settings as hypothesis_settings
from psycopg.pq import TransactionStatus
from sqlalchemy import event
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg, _log_notices
from sqlalchemy.engine import Dialect, make_url

from pcip.config import Settings, reset_settings
from pcip.db import make_engine
from pcip.kernel.answers import Answer
from pcip.kernel.keys.keyring import load_keyring
from pcip.kernel.platform import Platform
from tests.helpers import pg_admin, pg_params

# Hypothesis, for every property test (a test's own ``@settings`` overrides only what it names):
# - no deadline: by default Hypothesis fails an example that takes over 200 ms, a timed
#   assertion that a 2-core machine running three workers, PostgreSQL and Chromium can trip
#   without any fault in the code (a canonical-JSON test, then on that default, failed once in
#   a whole run under load; its cause was not recorded). Speed is measured by the benchmarks
#   in bench/, never asserted in a test (docs/performance.md);
# - under CI (CI set), the same examples every run (derandomised, nothing read from or written
#   to .hypothesis/): a red CI run is then the code's, and it reproduces. Locally each run
#   explores new examples, and a failure it finds is replayed from .hypothesis/ until fixed.
hypothesis_settings.register_profile("pcip", deadline=None, print_blob=True)
hypothesis_settings.register_profile(
    "pcip-ci", parent=hypothesis_settings.get_profile("pcip"), derandomize=True, database=None
)
hypothesis_settings.load_profile("pcip-ci" if os.environ.get("CI") else "pcip")

PG_URL = os.environ.get("PCIP_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
_counter = itertools.count()
#: This module object's part of a copy's name. pytest imports this file as ``conftest`` and a
#: test that imports from it (``from tests.conftest import ...``) loads a second module
#: object with its own counter: without this part, the two made databases of the same name,
#: and one's ``DROP DATABASE IF EXISTS`` in ``_copy`` dropped a database the other was using.
_INSTANCE = uuid.uuid4().hex[:6]
TEST_HASH_COST = "minimal"
#: How PostgreSQL copies a template for a test. WAL_LOG (PostgreSQL 15's default) copies a
#: small database without the two checkpoints FILE_COPY forces: on the shared 2-core machine
#: (load 10-13) a copy of the 10 MB template took 0.2-1.3 s against 1.4-3.9 s with FILE_COPY.
PG_STRATEGY = os.environ.get("PCIP_TEST_PG_STRATEGY", "WAL_LOG")
#: A test's database is dropped in the background, in batches. PostgreSQL 15 forces a
#: checkpoint on every DROP DATABASE, and on this machine a checkpoint's fsyncs took 2-9 s
#: (pg_stat_bgwriter: 293 s of sync time over 147 requested checkpoints): one drop per test
#: made tests wait for the queue (17.5 s of a 47 s run of tests/inquiry), and batches of 24
#: still cost some 80 checkpoints a run. Dropped together, the drops of a batch share one or
#: two checkpoints, and the dirty pages of the databases being dropped are discarded instead
#: of written. A batch of 100 databases is about 1.3 GB; a worker waits for an earlier batch
#: only when two are still being dropped, so disk use stays under 4 GB a worker. The session
#: waits for every drop before it ends.
DROP_BATCH = int(os.environ.get("PCIP_TEST_DROP_BATCH", "100"))
_dropper = ThreadPoolExecutor(
    max_workers=min(DROP_BATCH, 32), thread_name_prefix="pcip-test-dropdb"
)
_dead: list[str] = []
_drops: list[Future[None]] = []


def _drop(name: str) -> None:
    with pg_admin(PG_URL) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _retire(name: str) -> None:
    """Drop ``name`` with the next batch (at most two batches' databases exist at once)."""
    _dead.append(name)
    if len(_dead) >= DROP_BATCH:
        _flush_drops()


def _flush_drops() -> None:
    # At most two batches in flight: disk space stays bounded, and a worker rarely waits.
    while len(_drops) > DROP_BATCH:
        _drops.pop(0).result()
    _drops.extend(_dropper.submit(_drop, name) for name in _dead)
    _dead.clear()


def _finish_drops() -> None:
    _pool.discard()
    _flush_drops()
    while _drops:
        _drops.pop().result()


#: synchronous_commit of every database the suite makes (PCIP_TEST_PG_SYNC_COMMIT=on: the
#: server's default). A commit then returns before its WAL is flushed to disk, which PostgreSQL's
#: WAL writer does within wal_writer_delay: what other sessions see is the same (a commit is
#: visible when it returns either way); only a crash of the server could lose the last commits,
#: and a test's database does not outlive the run. ALTER DATABASE, not the connection's
#: options: the suite's URLs stay the ones pcip is given, and a copy does not inherit its
#: template's settings, so each database gets its own.
PG_SYNC_COMMIT = os.environ.get("PCIP_TEST_PG_SYNC_COMMIT", "off")


def unsynced(conn: psycopg.Connection[tuple[object, ...]], name: str) -> None:
    """``name``'s sessions commit with ``PG_SYNC_COMMIT`` (those that start from now on)."""
    conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = {PG_SYNC_COMMIT}')


def _copy(template: str) -> str:
    """A new database copied from ``template`` (made only when the pool has none to reuse)."""
    name = f"{make_url(PG_URL).database}_{_worker()}_{_INSTANCE}_{next(_counter)}"
    with pg_admin(PG_URL) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY {PG_STRATEGY}')
        unsynced(conn, name)
    return name


#: Everything in a database that a test could change besides rows: relations, their columns
#: and partition bounds, constraints and their definitions, indexes, column defaults,
#: sequences' options, views, rules, policies, triggers, functions and their bodies, types,
#: enum labels, extensions, schemas. A database whose schema a
#: test changed (a downgrade, a dropped table, a new partition) is never reused. It costs
#: 10-30 ms of the server, so a reset computes it only when a system catalog was written
#: (``_CATALOGS``), which most tests never do.
_SCHEMA_FINGERPRINT = """
SELECT md5(coalesce(string_agg(x, ',' ORDER BY x), '')) FROM (
  SELECT 'rel:' || c.oid::regclass::text || ':' || c.relkind::text || ':' || coalesce((
      SELECT string_agg(a.attname || '/' || a.atttypid::text || '/' || a.attnotnull::text
                        || '/' || a.attisdropped::text, ';' ORDER BY a.attnum)
      FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0), '')
      || ':' || coalesce(pg_get_expr(c.relpartbound, c.oid), '') AS x
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
      AND n.nspname NOT LIKE 'pg_%temp%'
  UNION ALL SELECT 'con:' || c.conrelid::regclass::text || ':' || c.conname || ':'
                   || c.convalidated::text || ':' || pg_get_constraintdef(c.oid)
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  UNION ALL SELECT 'idx:' || pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
      AND n.nspname NOT LIKE 'pg_%temp%'
  UNION ALL SELECT 'def:' || d.adrelid::regclass::text || ':' || d.adnum::text || ':'
                   || pg_get_expr(d.adbin, d.adrelid)
    FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg_%temp%'
  UNION ALL SELECT 'seq:' || s.seqrelid::regclass::text || ':' || concat_ws('/', s.seqtypid,
                   s.seqstart, s.seqincrement, s.seqmax, s.seqmin, s.seqcache, s.seqcycle)
    FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT LIKE 'pg_%temp%'
  UNION ALL SELECT 'view:' || c.oid::regclass::text || ':' || pg_get_viewdef(c.oid)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  UNION ALL SELECT 'rule:' || r.ev_class::regclass::text || ':' || r.rulename || ':'
                   || r.ev_enabled::text
    FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE r.rulename <> '_RETURN' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  UNION ALL SELECT 'pol:' || p.polrelid::regclass::text || ':' || p.polname || ':'
                   || p.polcmd::text || ':' || coalesce(pg_get_expr(p.polqual, p.polrelid), '')
    FROM pg_policy p
  UNION ALL SELECT 'trg:' || tgrelid::regclass::text || ':' || tgname || ':' || tgenabled::text
    FROM pg_trigger WHERE NOT tgisinternal
  UNION ALL SELECT 'fn:' || p.oid::regprocedure::text || ':' || md5(p.prosrc)
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  UNION ALL SELECT 'typ:' || t.oid::regtype::text
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  UNION ALL SELECT 'enum:' || e.enumtypid::regtype::text || ':' || e.enumlabel
    FROM pg_enum e
  UNION ALL SELECT 'ext:' || extname || ':' || extversion FROM pg_extension
  UNION ALL SELECT 'ns:' || nspname FROM pg_namespace
    WHERE nspname NOT LIKE 'pg_temp%' AND nspname NOT LIKE 'pg_toast_temp%'
) s
"""

#: The system catalogs whose rows are a schema: every one the fingerprint reads, and the
#: others that DDL writes (defaults, indexes, sequences' options, partitions, rules, enums,
#: dependencies). Their counts of inserted, updated and deleted rows (the cumulative
#: statistics, which count a rolled-back transaction's writes too) stay put unless some
#: session wrote them; only then is the fingerprint computed. ANALYZE and VACUUM write only
#: pg_statistic and update pg_class in place, which is not counted (and changes nothing the
#: fingerprint reads); a temporary table or a TRUNCATE writes pg_class, so its database is
#: fingerprinted (and reused if its schema is the template's).
_CATALOGS = (
    "pg_class",
    "pg_attribute",
    "pg_attrdef",
    "pg_constraint",
    "pg_trigger",
    "pg_proc",
    "pg_type",
    "pg_namespace",
    "pg_index",
    "pg_extension",
    "pg_sequence",
    "pg_inherits",
    "pg_rewrite",
    "pg_enum",
    "pg_depend",
)

#: Tables (with their partitions) and sequences outside the system schemas: oid, kind, and
#: the table a row of it belongs to (a partition's root). A copy of a template has the
#: template's oids.
_RELATIONS = """
SELECT c.oid::int8, c.relkind::text, coalesce(pg_partition_root(c.oid), c.oid)::regclass::text
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname NOT LIKE 'pg_%temp%' AND c.relkind IN ('r', 'p', 'S')
 ORDER BY 1
"""

_TABLES = """
SELECT c.oid::regclass::text,
       (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a
         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
           AND a.attgenerated = '')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND c.relkind IN ('r', 'p') AND NOT c.relispartition
 ORDER BY 1
"""

#: The other sessions on the database (pg_stat_activity's function without the view's joins,
#: which cost a new session 1.3 ms of the server's time).
_OTHERS = """
SELECT pid FROM pg_stat_get_activity(NULL) a
 WHERE a.datid = (SELECT oid FROM pg_database WHERE datname = current_database())
   AND a.pid <> pg_backend_pid()
"""
#: The other sessions, ended (their pids; the select list runs only on the rows kept).
_END_OTHERS = (
    f"SELECT coalesce(array_agg(pid), '{{}}') FROM (SELECT pid, pg_terminate_backend(pid) "
    f"FROM ({_OTHERS}) o) s"
)


def _oids(oids: list[int]) -> str:
    return "'{" + ",".join(map(str, oids)) + "}'::oid[]"


#: A binary COPY of no rows: its 19-byte header and 2-byte trailer.
_EMPTY_BINARY_COPY = 21


class _Seed:
    """What a template holds besides its schema: the rows of every table (binary COPY) and
    the state of every sequence, read once from a fresh copy; and the query that reads what
    the cumulative statistics say of a copy (``_State``)."""

    def __init__(self, conn: psycopg.Connection[tuple[object, ...]]) -> None:
        self.fingerprint = str(_one(conn, _SCHEMA_FINGERPRINT))
        self.relations = [(int(o), str(k), str(t)) for o, k, t in _rows(conn, _RELATIONS)]
        self.tables: list[tuple[str, str]] = [
            (str(t), str(c)) for t, c in conn.execute(_TABLES).fetchall()
        ]
        self.rows: dict[str, bytes] = {}
        for table, columns in self.tables:
            data = bytearray()
            with conn.cursor().copy(
                f"COPY (SELECT {columns} FROM {table}) TO STDOUT (FORMAT binary)"
            ) as copy:
                for block in copy:
                    data += block
            if len(data) > _EMPTY_BINARY_COPY:
                self.rows[table] = bytes(data)
        #: (oid, last_value, is_called), in the order of ``_State.sequences``.
        self.sequences: list[tuple[int, int, bool]] = []
        for oid, kind, name in self.relations:
            if kind == "S":
                ((value, called),) = _rows(conn, f"SELECT last_value, is_called FROM {name}")
                self.sequences.append((oid, int(value), bool(called)))
        #: Per table (root), its own and its partitions' positions in ``_State.tables``.
        table_oids = [(oid, root) for oid, kind, root in self.relations if kind in ("r", "p")]
        self.table_of = [root for _, root in table_oids]
        catalogs = [int(_one(conn, f"SELECT 'pg_catalog.{c}'::regclass::oid")) for c in _CATALOGS]
        changes = (
            "pg_stat_get_tuples_inserted(o) + pg_stat_get_tuples_updated(o) "
            "+ pg_stat_get_tuples_deleted(o)"
        )
        self.state_query = (
            "SELECT current_setting('track_counts')::bool, (SELECT "
            "pg_stat_get_db_stat_reset_time(oid)::text FROM pg_database WHERE datname = "
            f"current_database()), ARRAY(SELECT {changes} FROM unnest({_oids(catalogs)}) "
            f"WITH ORDINALITY u(o, i) ORDER BY i), ARRAY(SELECT ({changes}) || '/' || "
            f"pg_stat_get_live_tuples(o) FROM unnest({_oids([o for o, _ in table_oids])}) "
            "WITH ORDINALITY u(o, i) ORDER BY i), ARRAY(SELECT pg_stat_get_blocks_fetched(o) "
            f"FROM unnest({_oids([o for o, _, _ in self.sequences])}) WITH ORDINALITY u(o, i) "
            "ORDER BY i)"
        )


def _rows(conn: psycopg.Connection[tuple[object, ...]], query: str) -> list[tuple[Any, ...]]:
    return list(conn.execute(query).fetchall())


def _one(conn: psycopg.Connection[tuple[object, ...]], query: str) -> Any:
    return _rows(conn, query)[0][0]


class _State:
    """What the cumulative statistics say of a database (``_Seed.state_query``): per system
    catalog (``_CATALOGS``) its rows written; per table and partition its rows written and
    live; per sequence its blocks read (every nextval, setval or read of a sequence reads its
    block, unless the session had values cached, which it got by reading the block). The
    numbers only grow, and a session's are counted when it ends; a reset compares them with
    the ones it left the last time."""

    def __init__(self, row: tuple[Any, ...]) -> None:
        self.counting = bool(row[0])
        self.stats_reset = row[1]
        self.catalogs: list[int] = list(row[2])
        self.tables: list[str] = list(row[3])
        self.sequences: list[int] = list(row[4])

    def schema_may_differ(self, last: _State | None) -> bool:
        """Whether a system catalog may have been written since ``last`` (a database seen for
        the first time, statistics off or reset: it may)."""
        return (
            last is None
            or not (self.counting and last.counting)
            or self.stats_reset != last.stats_reset
            or self.catalogs != last.catalogs
        )

    def dirty(self, last: _State, seed: _Seed) -> tuple[set[str], list[tuple[int, int, bool]]]:
        """The tables (roots) whose counts moved, and the sequences whose block was read."""
        tables = {
            seed.table_of[i]
            for i, (a, b) in enumerate(zip(self.tables, last.tables, strict=True))
            if a != b
        }
        sequences = [
            seq
            for seq, a, b in zip(seed.sequences, self.sequences, last.sequences, strict=True)
            if a != b
        ]
        return tables, sequences


#: Whether a pooled database keeps one connection open from test to test (``_Kept``);
#: PCIP_TEST_PG_KEEP=0 opens a new one for every reset and every test, as before.
PG_KEEP = os.environ.get("PCIP_TEST_PG_KEEP", "1") != "0"


class _Kept(psycopg.Connection[tuple[object, ...]]):
    """A pooled database's own connection, kept open from test to test.

    A new PostgreSQL backend per test for the test's engine, and another for the reset, cost
    the server a fork, a login, and loading into its caches the catalog entries of every
    table the test or the reset touched (see ``PgPool``). The reset runs on this connection,
    and the first connection a test's engine opens to its database is this one (``PgPool.lend``);
    when the engine closes it, it comes back to the pool instead, cleaned as a new one
    (``_clean``). Any other connection is a new one, and is closed and ended as before."""

    #: The pool it goes back to when the engine it is lent to closes it; None: not lent, or
    #: lent by a reset that has since ended it (it is then really closed).
    lender: PgPool | None = None
    #: psycopg's settings of a new connection (prepare_threshold, prepared_max).
    settled: tuple[int | None, int] = (5, 100)

    def close(self) -> None:
        lender, self.lender = self.lender, None
        if lender is None or not lender.returned(self):
            super().close()

    def end(self) -> None:
        """Really close it."""
        self.lender = None
        super().close()


def _connect_kept(name: str) -> _Kept:
    conn = _Kept.connect(**pg_params(PG_URL, name))
    conn.settled = (conn.prepare_threshold, conn.prepared_max)
    return conn


def _alive(conn: _Kept) -> bool:
    """Open, and nothing waiting on its socket: an idle session is sent something only when it
    is ended (the server's goodbye) or by LISTEN, which ``_clean`` undid."""
    return not conn.closed and not select.select([conn.fileno()], [], [], 0)[0]


def _clean(conn: _Kept) -> bool:
    """Whether ``conn`` could be made what a new connection is (if not, it is closed): no
    transaction; DISCARD ALL (the session's settings and role, prepared statements and
    portals, temporary tables, advisory locks, LISTEN, sequences' cached values and currval,
    cached plans); psycopg's own settings as ``connect`` leaves them; no notice or notify
    handler or notification left but SQLAlchemy's own (added again by every engine). The
    session's statistics are flushed: the reset reads what the test changed from them."""
    try:
        if conn.info.transaction_status in (TransactionStatus.INTRANS, TransactionStatus.INERROR):
            conn.rollback()
        if conn.info.transaction_status != TransactionStatus.IDLE:
            return False
        conn.autocommit = True
        conn.execute("DISCARD ALL")
        conn.execute("SELECT pg_stat_force_next_flush()")
    except psycopg.Error:
        return False
    while _log_notices in conn._notice_handlers:
        conn.remove_notice_handler(_log_notices)
    # Handlers or notifications a test left on the connection (psycopg's private lists:
    # there is no public way to read them) are not cleaned: the connection is not kept.
    if conn._notice_handlers or conn._notify_handlers or conn._notifies_backlog:
        return False
    conn.isolation_level = conn.read_only = conn.deferrable = None
    conn.prepare_threshold, conn.prepared_max = conn.settled
    return True


class PgPool:
    """PostgreSQL databases reused from test to test, reset to their template's rows.

    Every DROP DATABASE forces a checkpoint in PostgreSQL 15, and every CREATE DATABASE
    writes the whole template to the WAL; with one database per test these were most of the
    PostgreSQL half's cost (issue 15). A database a test is done with is put back as its
    template left it instead: the other connections to it are ended, the tables the test
    changed are emptied and refilled with the template's rows and the sequences it used set
    back, in one transaction. If the test changed the schema (the fingerprint differs) or the
    reset fails, the database is dropped like before and the next test gets a fresh copy. A
    test therefore finds what a fresh copy holds: the same schema, the same rows, the same
    next ids. Not reset: settings made with ALTER DATABASE (no test makes any; the suite
    makes one, ``PG_SYNC_COMMIT``), and the planner's statistics.

    What a test changed is read from the cumulative statistics (``_State``), in the round trip
    that ends the other sessions; the whole schema is compared only when a system catalog was
    written. A reset is, for a test that wrote a few tables, five or six round trips.

    Each database keeps one connection (``_Kept``): the reset runs on it, and it is lent to the
    first connection an engine of the test opens to the database (``lend``, SQLAlchemy's
    ``do_connect``), so that a test and its reset cost no new backend. It comes back, as a new
    connection is, when the engine closes it (``returned``); if the test ends with it still
    open, it is ended with the other sessions and the reset connects anew. It is kept for a
    test only if the test asks for it (``take``'s ``keep``: the ``platform`` fixture); until
    that test's engine first connects, it is one more session (idle) on the database. Not
    cleaned: placeholder settings a session made (``SET x.y``, which
    RESET ALL leaves empty instead of undefined; pcip makes none)."""

    def __init__(self) -> None:
        self._free: dict[str, list[str]] = {}
        self._seeds: dict[str, _Seed] = {}
        self._template_of: dict[str, str] = {}
        #: Per database, what the statistics said when its last reset ended.
        self._states: dict[str, _State] = {}
        #: Per database, its connection kept open and clean (``_Kept``), unless lent.
        self._kept: dict[str, _Kept] = {}
        #: The databases a test has now (their connection may be lent), and the connections
        #: lent to an engine. An engine may close its connection in any thread, and in a
        #: garbage collection that runs while this thread holds the lock (hence reentrant).
        self._taken: set[str] = set()
        self._lent: dict[str, _Kept] = {}
        self._lock = threading.RLock()
        #: A connection to the server's maintenance database (``_wait_until_alone``).
        self._admin: psycopg.Connection[tuple[object, ...]] | None = None
        #: How the resets went (the pool's tests read it): schema compared, database dropped.
        self.fingerprinted = 0
        self.dropped = 0

    def take(self, template: str, *, keep: bool = False) -> str:
        """A database holding what a fresh copy of ``template`` holds. With ``keep``, its kept
        connection stays open for the test's engine (an idle session on the database until
        the engine's first connection); without, it is closed first, and the test finds no
        other session on its database, as on a fresh copy (a test may copy its database,
        which CREATE DATABASE refuses while another session is on it)."""
        free = self._free.setdefault(template, [])
        if free:
            name = free.pop()
        else:
            name = _copy(template)
            if template not in self._seeds:
                with pg_admin(PG_URL, name) as conn:
                    self._seeds[template] = _Seed(conn)
            self._template_of[name] = template
        with self._lock:
            self._taken.add(name)
            kept = None if keep else self._kept.pop(name, None)
        if kept is not None:
            kept.end()
            self._wait_until_alone(name)
        return name

    def _wait_until_alone(self, name: str) -> None:
        """Wait until the server has seen the kept connection of ``name`` close (its backend
        goes a moment after the client hangs up), asking on a connection to the maintenance
        database that the pool keeps for this (a new one would cost a backend each time)."""
        if self._admin is None or self._admin.closed:
            self._admin = pg_admin(PG_URL)
        pause, waited = 0.001, 0.0
        while _one(
            self._admin,
            "SELECT count(*) FROM pg_stat_get_activity(NULL) a WHERE a.datid = "
            f"(SELECT oid FROM pg_database WHERE datname = '{name}')",
        ):
            if waited > 5:
                raise psycopg.OperationalError(f"a session on {name} did not end")
            time.sleep(pause)
            waited += pause
            pause = min(pause * 2, 0.05)

    def lend(
        self, dialect: Dialect, record: object, cargs: list[Any], cparams: dict[str, Any]
    ) -> _Kept | None:
        """SQLAlchemy's ``do_connect`` listener: an engine's connection to a database a test
        has now is the database's kept connection, if it is not lent already and still open;
        None (a new connection) otherwise. Only a connection as ``make_engine`` asks for one:
        this server and user, no other option (the adapters SQLAlchemy passes are psycopg's
        own, which the kept connection has too)."""
        u = make_url(PG_URL)
        server = {"host": u.host, "port": u.port, "user": u.username}
        asked = {k: v for k, v in cparams.items() if k not in ("context", "password")}
        name = asked.pop("dbname", None)
        if cargs or asked != {k: v for k, v in server.items() if v is not None}:
            return None
        with self._lock:
            if name not in self._taken or name not in self._kept:
                return None
            conn = self._kept.pop(name)
            if not _alive(conn):  # a test ended it (pg_terminate_backend, a dropped database)
                conn.end()
                return None
            conn.autocommit = False  # as SQLAlchemy's connections are
            conn.lender = self
            self._lent[name] = conn
            return conn

    def returned(self, conn: _Kept) -> bool:
        """Whether the engine's close kept ``conn`` (it was lent for the test in progress and
        could be cleaned); if not, it is closed."""
        with self._lock:
            name = conn.info.dbname
            if self._lent.get(name) is not conn:
                return False
            del self._lent[name]
            if not _clean(conn):
                return False
            self._kept[name] = conn
            return True

    def give_back(self, name: str) -> None:
        with self._lock:
            self._taken.discard(name)
            kept = self._kept.pop(name, None)
            lent = self._lent.pop(name, None)
        if lent is not None:
            # Still open in the test's engine: ended with the other sessions, closed when the
            # engine closes it; the reset connects anew.
            lent.lender = None
        template = self._template_of.get(name)
        if template is not None and self._reset(name, self._seeds[template], kept):
            self._free[template].append(name)
            return
        self.dropped += 1
        self._template_of.pop(name, None)
        self._states.pop(name, None)
        _retire(name)

    def _reset(self, name: str, seed: _Seed, kept: _Kept | None) -> bool:
        conn = None
        try:
            if kept is not None and _alive(kept):
                conn = kept
            elif kept is not None:
                kept.end()
            conn = conn or _connect_kept(name)
            if not self._reset_on(conn, name, seed):
                conn.end()
                return False
            if PG_KEEP:
                with self._lock:
                    self._kept[name] = conn
            else:
                conn.end()
            return True
        except psycopg.Error:
            if conn is not None:
                conn.end()
            return False

    def _reset_on(self, conn: _Kept, name: str, seed: _Seed) -> bool:
        now = _end_other_sessions(conn, seed)
        last = self._states.pop(name, None)
        if last is None or now.schema_may_differ(last):
            self.fingerprinted += 1
            ((fingerprint, relations),) = _rows(
                conn,
                f"SELECT ({_SCHEMA_FINGERPRINT}), ARRAY(SELECT oid::int8 || ':' || "
                f"relkind || ':' || root FROM ({_RELATIONS}) r(oid, relkind, root))",
            )
            # The same schema with a table dropped and made again would have other
            # oids, which the statistics are read by: not reused either.
            expected = [f"{o}:{k}:{t}" for o, k, t in seed.relations]
            if fingerprint != seed.fingerprint or relations != expected:
                return False
            tables, sequences = {t for t, _ in seed.tables}, seed.sequences
        else:
            tables, sequences = now.dirty(last, seed)
        if tables or sequences:
            self._refill(conn, seed, tables, sequences)
            # The reset's own writes count too: flushed (the server does so once this
            # session is idle), then read as where the next reset starts from.
            now = _State(_rows(conn, seed.state_query)[0])
        self._states[name] = now
        return True

    @staticmethod
    def _refill(
        conn: psycopg.Connection[tuple[object, ...]],
        seed: _Seed,
        tables: set[str],
        sequences: list[tuple[int, int, bool]],
    ) -> None:
        """One transaction: ``tables`` emptied and refilled, ``sequences`` set back."""
        dirty = [(t, c) for t, c in seed.tables if t in tables]
        # Foreign keys are not checked while the rows go and come back.
        conn.execute(
            "BEGIN; SET LOCAL session_replication_role = replica"
            + "".join(f"; DELETE FROM {table}" for table, _ in dirty)
        )
        for table, columns in dirty:
            if table in seed.rows:
                with conn.cursor().copy(
                    f"COPY {table} ({columns}) FROM STDIN (FORMAT binary)"
                ) as copy:
                    copy.write(seed.rows[table])
        setval = ", ".join(f"setval({o}::regclass, {v}, {c})" for o, v, c in sequences)
        conn.execute(
            (f"SELECT {setval}; " if setval else "") + "COMMIT; SELECT pg_stat_force_next_flush()"
        )

    def discard(self) -> None:
        with self._lock:
            for conn in self._kept.values():
                conn.end()
            for conn in self._lent.values():
                conn.lender = None
            self._kept.clear()
            self._lent.clear()
            self._taken.clear()
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        for free in self._free.values():
            while free:
                _retire(free.pop())
        self._free.clear()
        self._template_of.clear()
        self._seeds.clear()
        self._states.clear()


def _end_other_sessions(conn: psycopg.Connection[tuple[object, ...]], seed: _Seed) -> _State:
    """End every other session on the database, wait until they are gone (a test's server or
    thread may still hold one; their temporary tables go with them), then read the
    statistics: in one round trip when there were none, as after most tests."""
    cur = conn.execute(f"{_END_OTHERS}; {seed.state_query}")
    ((ended,),) = cur.fetchall()
    cur.nextset()
    state: tuple[Any, ...] = cur.fetchall()[0]
    if not ended:
        return _State(state)
    pause, waited = 0.001, 0.0
    while conn.execute(_OTHERS).fetchone():
        if waited > 5:
            raise psycopg.OperationalError("sessions on the database did not end")
        time.sleep(pause)
        waited += pause
        pause = min(pause * 2, 0.05)
    return _State(_rows(conn, seed.state_query)[0])


_pool = PgPool()
if PG_URL and PG_KEEP:
    event.listen(PGDialect_psycopg, "do_connect", _pool.lend)


def _worker() -> str:
    """This process's part of a database name: the xdist worker and the run, so that two
    suites sharing one server and base database (two worktrees, a developer beside CI) never
    take, reset or drop each other's templates and copies."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"p{os.getpid()}"
    return f"{os.environ.get('PYTEST_XDIST_WORKER', 'gw0')}_{run[:8]}"


_ANSWER_JSON = Answer.json


@pytest.fixture(autouse=True)
def _answers_written_as_their_models(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 22: every answer the API writes from its tree with orjson (``Answer.json``) is,
    in every test, what its model writes (the same text, keys in the same order; a float with
    an exponent may be spelt ``1e16`` for ``1e+16``), and its tree validates as the model."""

    def checked(answer: Answer[Any]) -> bytes:
        written = _ANSWER_JSON(answer)
        expected = answer.model().model_dump_json(by_alias=True).encode()
        if written != expected:  # the same values in the same order, floats spelt alike
            assert json.dumps(json.loads(written)) == json.dumps(json.loads(expected))
        return written

    monkeypatch.setattr(Answer, "json", checked)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test reads the developer's PCIP_* settings or var/ directory by accident."""
    for key in list(os.environ):
        if key.startswith("PCIP_") and key != "PCIP_TEST_DATABASE_URL":
            monkeypatch.delenv(key)
    monkeypatch.setenv("PCIP_HOME", str(tmp_path / "home"))
    # Argon2id at production cost is ~50 ms of a core per hash, on purpose; the suite hashes
    # hundreds of passwords (pcip.auth.passwords). Production refuses this setting.
    monkeypatch.setenv("PCIP_PASSWORD_HASH_COST", TEST_HASH_COST)
    reset_settings()
    yield
    reset_settings()


def _pg_url(name: str) -> str:
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def _initialise(settings: Settings) -> None:
    from pcip.config import get_settings
    from pcip.ops.bootstrap import init_platform

    os.environ["PCIP_DATABASE_URL"] = settings.database_url
    os.environ["PCIP_HOME"] = str(settings.home)
    reset_settings()
    try:
        assert get_settings().database_url == settings.database_url
        init_platform()
    finally:
        reset_settings()
    # Opened once, checked, and whatever opening records kept: copies are opened unchecked.
    Platform.open(settings).dispose()


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Settings]]:
    """One initialised database (and its keys) per backend, for this test process."""
    base = tmp_path_factory.mktemp("template")
    out: dict[str, Settings] = {}
    saved = {k: os.environ.get(k) for k in ("PCIP_DATABASE_URL", "PCIP_HOME")}
    try:
        sqlite = Settings(
            database_url=f"sqlite:///{base / 'sqlite' / 'db.sqlite3'}", home=base / "sqlite"
        )
        _initialise(sqlite)
        out["sqlite"] = sqlite
        if PG_URL:
            name = f"{make_url(PG_URL).database}_tpl_{_worker()}"
            with pg_admin(PG_URL) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}"')
                unsynced(conn, name)
            pg = Settings(database_url=_pg_url(name), home=base / "postgresql")
            _initialise(pg)
            out["postgresql"] = pg
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    yield out
    _finish_drops()
    if PG_URL:
        with pg_admin(PG_URL) as conn:
            conn.execute(
                f'DROP DATABASE IF EXISTS "{make_url(PG_URL).database}_tpl_{_worker()}" '
                "WITH (FORCE)"
            )


#: Populated worlds built once per test process: the fixture that gives a world's data (as its
#: builder returned it) -> the builder, "module:function", taking the platform to build on.
WORLDS = {
    "api_world_data": "tests.world:build_data",
    "case_world_data": "tests.objections.builders:build_data",
}


class WorldTemplates:
    """The populated worlds of this test process, each built on a copy of the plain template
    the first time a test asks for it, then copied for every test like the plain one."""

    def __init__(self, base: dict[str, Settings], root: Path) -> None:
        self.base = base
        self.root = root
        self.made: dict[tuple[str, str], tuple[Settings, Any]] = {}
        self.databases: list[str] = []

    def get(self, fixture: str, backend: str) -> tuple[Settings, Any]:
        key = (fixture, backend)
        if key not in self.made:
            self.made[key] = self._build(fixture, backend)
        return self.made[key]

    def _build(self, fixture: str, backend: str) -> tuple[Settings, Any]:
        tpl = self.base[backend]
        home = self.root / f"{fixture}-{backend}"
        shutil.copytree(tpl.home, home)
        if backend == "sqlite":
            url = f"sqlite:///{home / 'db.sqlite3'}"
        else:
            name = f"{make_url(PG_URL).database}_{fixture.split('_')[0]}_tpl_{_worker()}"
            with pg_admin(PG_URL) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(
                    f'CREATE DATABASE "{name}" TEMPLATE "{make_url(tpl.database_url).database}" '
                    f"STRATEGY {PG_STRATEGY}"
                )
                unsynced(conn, name)
            self.databases.append(name)
            url = _pg_url(name)
        settings = Settings(database_url=url, home=home, password_hash_cost=TEST_HASH_COST)
        module, function = WORLDS[fixture].split(":")
        builder: Callable[[Platform], Any] = getattr(importlib.import_module(module), function)
        platform = Platform.open(settings)
        try:
            data = builder(platform)
        finally:
            platform.dispose()  # a PostgreSQL template must have no connections
        return settings, data


@pytest.fixture(scope="session")
def world_templates(
    templates: dict[str, Settings], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorldTemplates]:
    worlds = WorldTemplates(templates, tmp_path_factory.mktemp("worlds"))
    yield worlds
    _pool.discard()  # copies of a world go before the world does
    if worlds.databases:
        with pg_admin(PG_URL) as conn:
            for name in worlds.databases:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def api_world_data(backend: str, world_templates: WorldTemplates) -> Any:
    """The data of ``tests.world``'s populated world (the ``settings`` copy holds it)."""
    return world_templates.get("api_world_data", backend)[1]


@pytest.fixture
def case_world_data(backend: str, world_templates: WorldTemplates) -> Any:
    """The data of ``tests.objections.builders``' world (the ``settings`` copy holds it)."""
    return world_templates.get("case_world_data", backend)[1]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def settings(
    request: pytest.FixtureRequest, backend: str, templates: dict[str, Settings], tmp_path: Path
) -> Iterator[Settings]:
    """Settings for a fresh copy of the template database, with its own home directory: the
    plain template, or the populated world whose data fixture the test asks for."""
    world = next((f for f in WORLDS if f in request.fixturenames), None)
    if world is None:
        tpl = templates[backend]
    else:
        worlds: WorldTemplates = request.getfixturevalue("world_templates")
        tpl = worlds.get(world, backend)[0]
    home = tmp_path / "pcip-home"
    shutil.copytree(tpl.home, home)
    if backend == "sqlite":
        url = f"sqlite:///{home / 'db.sqlite3'}"
        yield Settings(database_url=url, home=home, password_hash_cost=TEST_HASH_COST)
        return
    # The kept connection stays for the engine of a test that opens ``platform`` (its first
    # connection); any other test finds no session on its database but its own.
    keep = "platform" in request.fixturenames
    name = _pool.take(make_url(tpl.database_url).database or "", keep=keep)
    try:
        yield Settings(database_url=_pg_url(name), home=home, password_hash_cost=TEST_HASH_COST)
    finally:
        _pool.give_back(name)


def open_copy(settings: Settings) -> Platform:
    """A test's copy of a template, opened without ``Platform.open``'s checks.

    ``Platform.open`` connects, reads the schema revision (alembic reflects the version
    table) and checks the key file against the fingerprints stored in the data: some 30-60 ms
    of a test's CPU, paid by every test. A copy holds its template's schema, rows and key
    file, and the template passed those checks when it was made (``_initialise`` and
    ``WorldTemplates._build`` open it, and what opening writes is in the template), so the
    copy would pass them too. The checks are tested where they are the subject, with
    ``Platform.open`` itself (tests/test_platform.py, tests/test_keys.py, tests/test_config.py).
    """
    engine = make_engine(settings.effective_database_url)
    return Platform._bind(settings, engine, load_keyring(settings.keys_dir))


@pytest.fixture
def platform(settings: Settings) -> Iterator[Platform]:
    p = open_copy(settings)
    try:
        yield p
    finally:
        p.dispose()


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Point the CLI (which reads PCIP_* variables) at this test's database."""
    monkeypatch.setenv("PCIP_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("PCIP_HOME", str(settings.home))
    reset_settings()
    return settings


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests (browser walks, fuzzers) first, in their shuffled order: started last,
    one of them kept a worker busy for half a minute after the other had run out of tests."""
    items.sort(
        key=lambda item: not (item.get_closest_marker("slow") or item.get_closest_marker("e2e"))
    )


#: Tests that must share one test process, by the start of their node id: the read replica a
#: module makes is removed when the module ends, which must not happen under another worker's
#: test. (pytest-xdist's own ``xdist_group`` marker groups nothing under pytest 9.2: xdist 3.8
#: sets ``item._nodeid``, which pytest 9.2 no longer reads, so the groups are named here by
#: path.) The browser tests are not grouped: on one worker they share one server, whose data
#: grows with every test, and a full-page screenshot of a console list then failed in Chromium
#: ("Unable to capture screenshot", once in two whole runs); each worker keeps its own.
ONE_WORKER = {
    "tests/kernel/test_read_replica.py": "read-replica",
}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadgroup`` with the groups of ``ONE_WORKER``; every other test on its own."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class Scheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            group = next((g for p, g in ONE_WORKER.items() if nodeid.startswith(p)), None)
            return group or super()._split_scope(nodeid)

    return Scheduling(config, log)
