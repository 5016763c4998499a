"""The platform: settings, database and keys, opened once and shared by every door."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from pcip.config import Settings, get_settings, refuse_weak_password_hashing
from pcip.db import check_connection, display_url, make_engine, session_factory, transaction
from pcip.errors import ConfigError
from pcip.kernel.keys.check import FINGERPRINT_KEY, check_keys
from pcip.kernel.keys.keyring import Keyring, create_keyring, keyring_path, load_keyring
from pcip.kernel.shared_state import MemoryState, SharedState, open_shared_state

MIGRATIONS = Path(__file__).parent.parent / "migrations"
__all__ = ["FINGERPRINT_KEY", "Platform", "initialise", "replica_reads"]
#: The key under which a primary session's ``info`` holds the read replica's session factory.
READ_SESSIONS = "read_sessions"


def alembic_config_for_script() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def alembic_config(engine: Engine) -> Config:
    cfg = alembic_config_for_script()
    cfg.attributes["engine"] = engine
    return cfg


@lru_cache(maxsize=1)
def _scripts() -> ScriptDirectory:
    # The migration scripts ship with the package and cannot change while it runs: read once.
    return ScriptDirectory.from_config(alembic_config_for_script())


def head_revision() -> str:
    head = _scripts().get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {r.revision for r in _scripts().walk_revisions()}


def _refuse_unknown(rev: str | None, where: str) -> None:
    """A revision this pcip has no script for was written by a newer pcip: never touch it."""
    if rev is not None and rev not in known_revisions():
        raise ConfigError(
            f"database {where} is at schema revision {rev}, which this pcip does not know: "
            "it was created or upgraded by a newer pcip; run that version"
        )


def current_revision(bind: Engine | Connection) -> str | None:
    """The schema revision; pass a request's own connection to avoid a second SQLite lock."""
    if isinstance(bind, Connection):
        return MigrationContext.configure(bind).get_current_revision()
    with bind.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@dataclass
class Platform:
    settings: Settings
    engine: Engine
    keyring: Keyring
    sessions: sessionmaker[Session]
    #: Issue 22: the streaming replica of ``PCIP_READ_DATABASE_URL`` (None: reads go to the
    #: primary). Only the reads that may lag use it (``replica_reads``; docs/scaling.md).
    read_engine: Engine | None = None
    read_sessions: sessionmaker[Session] | None = None
    #: Counts every server process must agree on (Redis with ``PCIP_REDIS_URL``, else this
    #: process's memory); also in each session's ``info["shared"]`` for the services.
    shared: SharedState = field(default_factory=MemoryState)

    @classmethod
    def open(cls, settings: Settings | None = None, *, maintenance: bool = False) -> Platform:
        """Open an initialised platform; explain what to do if it is not initialised.

        The key file must match the data (``pcip.kernel.keys.check``); ``maintenance`` is for
        ``pcip keys rotate``, which opens the platform in the middle of a rotation.
        """
        settings = settings or get_settings()
        refuse_weak_password_hashing(settings)
        engine = make_engine(settings.effective_database_url)
        check_connection(engine)
        rev = current_revision(engine)
        where = display_url(str(engine.url))
        if rev is None:
            raise ConfigError(f"database {where} is not initialised; run 'pcip init'")
        _refuse_unknown(rev, where)
        if rev != head_revision():
            raise ConfigError(
                f"database {where} is at schema revision {rev}, this pcip needs "
                f"{head_revision()}; run 'pcip init' to upgrade it"
            )
        ring = load_keyring(settings.keys_dir)
        try:
            reads = _read_engine(settings, engine, rev)
        except BaseException:
            engine.dispose()
            raise
        platform = cls._bind(settings, engine, ring, reads)
        try:
            with platform.transaction() as s:
                check_keys(s, ring, keyring_path(settings.keys_dir), maintenance=maintenance)
        except BaseException:
            platform.dispose()
            raise
        return platform

    @classmethod
    def _bind(
        cls,
        settings: Settings,
        engine: Engine,
        ring: Keyring,
        read_engine: Engine | None = None,
        **info: object,
    ) -> Platform:
        # Not reached now: a command that never counts must not need Redis (``pcip serve``
        # checks it before binding, through the application's own store).
        shared = open_shared_state(settings.redis_url, settings.redis_prefix, check=False)
        common = {"keyring": ring, "settings": settings, "shared": shared, **info}
        reads = None
        if read_engine is not None:
            reads = session_factory(read_engine)
            reads.configure(info=dict(common))
        factory = session_factory(engine)
        factory.configure(info={**common, READ_SESSIONS: reads})
        return cls(settings, engine, ring, factory, read_engine, reads, shared)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with transaction(self.sessions) as session:
            yield session

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A read-only session on the replica, or on the primary when none is configured.

        It never commits: whatever it holds is rolled back when it closes."""
        session = (self.read_sessions or self.sessions)()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not None:
            self.read_engine.dispose()


@contextmanager
def replica_reads(session: Session) -> Iterator[Session]:
    """Issue 22: a session for the reads that may lag, beside ``session`` (the primary's).

    With ``PCIP_READ_DATABASE_URL`` set, a session on the streaming replica, rolled back and
    closed at the end; without it, ``session`` itself. Writes (the inquiry log) stay on
    ``session``. The replica is behind the primary by its replay lag: only reads whose answer
    may be that old use this (docs/scaling.md, "Which reads may lag").

    Holding a replica connection while the primary's is taken cannot deadlock: each pool has
    more connections (50) than ``pcip serve`` has worker threads (at most 40).
    """
    factory: sessionmaker[Session] | None = session.info.get(READ_SESSIONS)
    if factory is None:
        yield session
        return
    reads = factory()
    try:
        yield reads
    finally:
        reads.rollback()
        reads.close()


def _read_engine(settings: Settings, primary: Engine, revision: str) -> Engine | None:
    """The replica's engine, checked: PostgreSQL beside a PostgreSQL primary, reachable, and at
    the primary's schema revision (a replica of another database would not be)."""
    url = settings.read_database_url
    if not url:
        return None
    try:
        backend = make_url(url).get_backend_name()
    except Exception as exc:  # ArgumentError, ValueError: not a URL at all
        raise ConfigError("PCIP_READ_DATABASE_URL is not a database URL") from exc
    if backend not in ("postgresql", "postgres") or primary.dialect.name != "postgresql":
        raise ConfigError(
            "PCIP_READ_DATABASE_URL: a read replica is a PostgreSQL streaming replica of a "
            "PostgreSQL PCIP_DATABASE_URL; leave it empty otherwise"
        )
    engine = make_engine(url)
    try:
        check_connection(engine)
        rev = current_revision(engine)
        if rev != revision:
            raise ConfigError(
                f"PCIP_READ_DATABASE_URL: the database {display_url(url)} is at schema revision "
                f"{rev}, the primary at {revision}; is it a streaming replica of "
                f"{display_url(str(primary.url))}?"
            )
    except BaseException:
        engine.dispose()
        raise
    return engine


def initialise(settings: Settings | None = None) -> tuple[Platform, bool]:
    """Create or upgrade the database and keys. Returns (platform, schema_changed).

    Safe to run any number of times: an up-to-date installation is left as it is.
    """
    settings = settings or get_settings()
    refuse_weak_password_hashing(settings)
    # PCIP_HOME holds the keys and the stored files: its owner's only (issue 23).
    for directory in (settings.home, settings.files_dir):
        if not directory.exists():
            directory.mkdir(mode=0o700, parents=True)
    engine = make_engine(settings.effective_database_url)
    check_connection(engine)
    before = current_revision(engine)
    has_tables = bool(inspect(engine).get_table_names())
    path = keyring_path(settings.keys_dir)
    if path.exists():
        ring = load_keyring(settings.keys_dir)
    elif before is not None or has_tables:
        # The database already holds sealed and encrypted data: a new key would orphan it.
        raise ConfigError(
            f"key file {path} is missing but database {display_url(str(engine.url))} is "
            "already initialised; restore the key file from backup or set PCIP_HOME"
        )
    else:
        ring = create_keyring(settings.keys_dir)
    _refuse_unknown(before, display_url(str(engine.url)))
    command.upgrade(alembic_config(engine), "head")
    platform = Platform._bind(settings, engine, ring)
    with platform.transaction() as s:
        check_keys(s, ring, path)
    return platform, before != current_revision(engine)
