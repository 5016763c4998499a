"""A Core statement compiled once and run on the database driver's own cursor (issue 22).

SQLAlchemy's ``Connection.execute`` builds an execution context and a cursor result for every
statement: on the logged inquiries' read (six tables' columns, one row per record version)
that was about 160 µs of the 290 µs the read cost in Python, and so about a tenth of a public
inquiry's server CPU (docs/performance.md). :class:`DriverStatement` keeps what matters of that
path and drops the rest:

* the **same SQL and the same values**: the statement is compiled by the connection's dialect
  (once per dialect), each parameter goes through its type's bind processor and each result
  column through its type's result processor, exactly the functions SQLAlchemy calls (UTC
  datetimes, dates and JSON on SQLite; UTC datetimes on PostgreSQL);
* the **same transaction**: it runs on the connection of the session's transaction (the
  driver's connection under SQLAlchemy's, after ``session.connection()`` began it, SQLite's
  ``BEGIN IMMEDIATE`` included), so it commits or rolls back with everything else;
* the **same events**: ``before_cursor_execute`` and ``after_cursor_execute`` listeners are
  called with the statement and its parameters (``tests/inquiry/test_inquiry_round_trips.py``
  counts round trips with them), with no execution context (``None``);
* the **same errors**: a driver error goes through SQLAlchemy's own handling
  (``Connection._handle_dbapi_exception``): the same ``sqlalchemy.exc`` class with the
  parameters hidden, and a lost connection invalidates the pool as before.

On PostgreSQL the statement is prepared on each connection the first time it runs there
(psycopg's ``prepare=True``): the server parses and plans it once per connection. Each driver
connection keeps one psycopg cursor for these statements (:func:`_cursor`): making one per
statement was 5.6% of a public inquiry server's samples under py-spy.
``tests/kernel/test_driver.py`` compares rows, inserted values, events and errors with
``Connection.execute`` on both databases.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast
from weakref import WeakKeyDictionary

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import Executable

_Processor = Callable[[Any], Any]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    #: positional dialects (SQLite's qmark): the parameter names in the statement's order
    order: tuple[str, ...] | None
    defaults: dict[str, Any]
    binds: dict[str, _Processor]
    #: (column index, processor) for the columns whose type converts the driver's value
    results: tuple[tuple[int, _Processor], ...]
    #: a select, or a statement with RETURNING (read from the statement: asking the cursor
    #: for its description made psycopg build an object per column per execution)
    returns_rows: bool
    #: PostgreSQL: prepared once per connection, on the cursor kept for it (:func:`_cursor`)
    postgres: bool


def _compile(statement: Executable, dialect: Dialect) -> _Compiled:
    compiled: Any = cast(Any, statement).compile(dialect=dialect)
    # Only plain named parameters: an expanding IN list, a literal-rendered value or a name
    # the dialect escapes would need more of SQLAlchemy's execution context than this keeps.
    if compiled.escaped_bind_names or compiled.literal_execute_params:
        raise ValueError("DriverStatement: a parameter needs escaping or literal rendering")
    if any(p.expanding or p.type._is_tuple_type for p in compiled.bind_names):
        raise ValueError("DriverStatement: expanding and tuple parameters are not supported")
    binds = {k: v for k, v in compiled._bind_processors.items() if v is not None}
    results = []
    for index, column in enumerate(compiled._result_columns):
        processor = column[3]._cached_result_processor(dialect, None)
        if processor is not None:
            results.append((index, processor))
    return _Compiled(
        sql=compiled.string,
        order=tuple(compiled.positiontup) if compiled.positional else None,
        defaults=dict(compiled.params),
        binds=binds,
        results=tuple(results),
        returns_rows=bool(compiled._result_columns),
        postgres=dialect.name == "postgresql",
    )


class DriverStatement:
    """One Core statement (a select, or an insert with ``RETURNING``) run on the driver."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        # Per dialect object, held weakly: an engine's dialect carries its settings (the JSON
        # serializer, the server's version), and a key by ``id()`` could be reused by another
        # engine's dialect once the first is gone (tests open and close engines of both kinds).
        self._compiled: WeakKeyDictionary[Dialect, _Compiled] = WeakKeyDictionary()

    def _for(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect)
        if found is None:
            found = self._compiled[dialect] = _compile(self.statement, dialect)
        return found

    def rows(self, conn: Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Every row the statement returns, each value as ``conn.execute`` would give it."""
        c = self._for(conn.dialect)
        values = {**c.defaults, **params}
        for name, processor in c.binds.items():
            values[name] = processor(values[name])
        parameters: Sequence[Any] | dict[str, Any] = (
            values if c.order is None else [values[n] for n in c.order]
        )
        cursor = _cursor(conn, kept=c.postgres)
        events = conn._has_events or conn.engine._has_events
        try:
            if events:
                conn.dispatch.before_cursor_execute(conn, cursor, c.sql, parameters, None, False)
            if c.postgres:
                cursor.execute(c.sql, parameters, prepare=True)
            else:
                cursor.execute(c.sql, parameters)
            if events:
                conn.dispatch.after_cursor_execute(conn, cursor, c.sql, parameters, None, False)
            fetched = cursor.fetchall() if c.returns_rows else []
        except Exception as exc:
            conn._handle_dbapi_exception(exc, c.sql, parameters, cursor, None)
        finally:
            if not c.postgres:
                cursor.close()
        if not c.results:
            return [tuple(row) for row in fetched]
        out = []
        for row in fetched:
            converted = list(row)
            for index, processor in c.results:
                converted[index] = processor(converted[index])
            out.append(tuple(converted))
        return out

    def first(self, conn: Connection, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The first row, or None, as ``Result.first()`` gives it (for lookups by a unique key)."""
        found = self.rows(conn, params)
        return found[0] if found else None


#: The key of a driver connection's kept cursor in its pool record's ``info`` (which the pool
#: clears when it replaces the driver connection).
_KEPT_CURSOR = "pcip.driver_cursor"


def _cursor(conn: Connection, *, kept: bool) -> Any:
    """A cursor of ``conn``'s driver connection: the one kept for it (PostgreSQL), else new.

    psycopg's cursor copies its connection's adapter map when made: about 6 µs alone, yet
    5.6% of a public inquiry server's py-spy samples; kept, it is made once per connection.
    It is used by one thread at a time, as the connection is (a pooled connection is checked
    out to one session), and each ``execute`` starts afresh; until the next one it holds the
    last result, at most one per pooled connection. SQLite's cursors cost nothing to make
    and are closed after each statement.
    """
    pooled = conn.connection
    driver: Any = pooled.dbapi_connection
    if not kept:
        return driver.cursor()
    cursor: Any = pooled.info.get(_KEPT_CURSOR)
    if cursor is None or cursor.closed or cursor.connection is not driver:
        cursor = pooled.info[_KEPT_CURSOR] = driver.cursor()
    return cursor


def flushed_connection(session: Session) -> Connection:
    """The session's connection after the flush an ORM query would have made first.

    ``Session.execute`` writes pending changes before it reads (autoflush), so a query sees
    what the same unit of work added; a statement run on the driver is not an ORM query, so
    where one replaces an ORM query this keeps that behaviour (and ``no_autoflush``).
    Nothing pending: no statement.
    """
    if session.autoflush:
        session.flush()
    return session.connection()
