"""Engine, sessions, the declarative base and the migration runner.

SQLite is the embedded default; PostgreSQL 15 is production. One set of models and one set of
Alembic migrations serve both (docs/design.md#principle-8).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Engine,
    Integer,
    MetaData,
    create_engine,
    event,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from pcip.errors import ConfigError

# Stable constraint names, so migrations behave the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Integer surrogate keys: BIGINT on PostgreSQL, rowid-backed INTEGER on SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")
#: Structured values: JSONB on PostgreSQL, JSON text on SQLite.
Json = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware instants stored as UTC on both databases.

    SQLite has no time zone type and would hand back naive values; hashes in the audit chain
    must see the same instant on both databases, so every value is normalised to UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pcip stores only timezone-aware instants")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


SUPPORTED = "use sqlite:///path/to/file.sqlite3 or postgresql://user@host:port/dbname"


def normalise_url(url: str) -> str:
    """Accept the two documented URL forms and pick the driver pcip ships with."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:  # ValueError: e.g. a non-numeric port
        raise ConfigError(f"PCIP_DATABASE_URL is not a database URL ({SUPPORTED})") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise ConfigError(f"PCIP_DATABASE_URL needs a file path for SQLite ({SUPPORTED})")
        return parsed.set(drivername="sqlite+pysqlite").render_as_string(hide_password=False)
    if backend in ("postgresql", "postgres"):
        if not parsed.database:
            raise ConfigError(f"PCIP_DATABASE_URL names no database ({SUPPORTED})")
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    raise ConfigError(
        f"PCIP_DATABASE_URL scheme '{parsed.drivername}' is not supported ({SUPPORTED})"
    )


def display_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        parsed = make_url(url)
        # Show the URL as the user writes it (no "+pysqlite" / "+psycopg" driver suffix).
        return parsed.set(drivername=parsed.get_backend_name()).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "<unparseable URL>"


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = Path(make_url(url).database or "")
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"PCIP_DATABASE_URL: cannot create the directory for {path}: {exc.strerror}"
            ) from exc
        _private_file(path)
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True, **kwargs)
        _sqlite_pragmas(engine)
        return engine
    # Pool: the API serves each request in a worker thread, each holding at most one
    # connection at a time: up to ``PCIP_WORKER_THREADS`` (at most 40) of anyio's, and as many
    # again of the direct inquiry door's own pool (``pcip.doors.hop``). All 80 are kept open
    # once opened: a connection above ``pool_size`` is closed when returned, and under load
    # opening one per request (a new PostgreSQL backend) cost 3-4 ms of database CPU per
    # inquiry (docs/performance.md). Connections are opened as they are first needed.
    kwargs.setdefault("pool_size", 80)
    kwargs.setdefault("max_overflow", 10)
    # No ping before each checkout: it cost a round trip per transaction (two per inquiry,
    # about a fifth of an inquiry's time, docs/performance.md). Connections are replaced after
    # half an hour instead; after a database restart the first statement on a dead connection
    # fails and the pool is discarded at once (one failed request, then fresh connections).
    kwargs.setdefault("pool_pre_ping", False)
    kwargs.setdefault("pool_recycle", 1800)
    # Never a value in an error's text or a log line: SQL parameters are names, identifiers,
    # statements and purposes (Art. 27; issue 23).
    kwargs.setdefault("hide_parameters", True)
    return create_engine(url, **kwargs)


def _private_file(path: Path) -> None:
    """The SQLite file (and so its -wal and -shm files, which SQLite creates with the same
    mode) readable by its owner only: it holds every record (Art. 27)."""
    try:
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        elif path.stat().st_mode & 0o077 and path.stat().st_uid == os.getuid():
            path.chmod(0o600)
    except OSError:
        pass  # a read-only or foreign file: SQLite itself will say what is wrong


def _sqlite_pragmas(engine: Engine) -> None:
    """Foreign keys on, WAL, and write transactions that take the lock when they begin.

    pysqlite's deferred BEGIN lets two writers read the same audit head and then fail; an
    immediate BEGIN serialises writers up front (the SQLAlchemy-documented recipe).
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def check_connection(engine: Engine) -> None:
    """Fail with one clear line when the database cannot be reached."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise ConfigError(f"cannot open database {display_url(str(engine.url))}: {reason}") from exc


def session_factory(engine: Engine) -> sessionmaker[Session]:
    # A closed session stays closed (it never starts a new transaction). When a client goes
    # away mid-request, the request's unit of work is closed by another thread while the
    # endpoint may still be running; reusing the session would then begin a transaction no
    # one ends, and leak its pooled connection "idle in transaction" (found under wrk: after
    # a few runs every connection leaked and every worker waited for one).
    return sessionmaker(engine, expire_on_commit=False, close_resets_only=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back everything on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"
