"""A copy of a template database kept for a whole module, for tests that only read what a
costly setup made (a demo world, an issued report): the setup runs once per backend and
module instead of once per test (issue 15). Tests that change the data keep a copy each
(``settings`` in tests/conftest.py)."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from pcip.config import Settings, reset_settings
from pcip.kernel.platform import Platform
from tests.conftest import PG_STRATEGY, TEST_HASH_COST, _pg_url, unsynced
from tests.helpers import pg_admin


@dataclass(frozen=True)
class SharedCopy:
    platform: Platform
    #: PCIP_HOME for the module's tests (``get_settings``: where, for one, the report-signing
    #: key is made); a test has one of its own, so the module's must be the same for all.
    env_home: Path

    @contextmanager
    def env(self) -> Iterator[None]:
        """PCIP_HOME pointed at ``env_home`` for the block (the setup, outside any test)."""
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("PCIP_HOME", str(self.env_home))
            reset_settings()
            try:
                yield
            finally:
                reset_settings()

    def enter(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Point a test's PCIP_HOME at ``env_home`` (undone with the test's monkeypatch)."""
        monkeypatch.setenv("PCIP_HOME", str(self.env_home))
        reset_settings()


@contextmanager
def shared_copy(template: Settings, backend: str, root: Path) -> Iterator[SharedCopy]:
    """An open platform on a copy of ``template`` (home directory and database)."""
    home = root / "pcip-home"
    shutil.copytree(template.home, home)
    name = None
    if backend == "sqlite":
        url = f"sqlite:///{home / 'db.sqlite3'}"
    else:
        # A database of its own, not one of tests/conftest.py's pool: imported from here, that
        # module is a second copy of the conftest pytest loaded, with a pool and a name counter
        # of its own (its names would collide with the pool's).
        source = make_url(template.database_url).database
        name = f"{source}_shared_{uuid.uuid4().hex[:12]}"
        with pg_admin(template.database_url) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}" STRATEGY {PG_STRATEGY}')
            unsynced(conn, name)
        url = _pg_url(name)
    platform = Platform.open(
        Settings(database_url=url, home=home, password_hash_cost=TEST_HASH_COST)
    )
    try:
        yield SharedCopy(platform, root / "home")
    finally:
        platform.dispose()
        if name is not None:
            with pg_admin(template.database_url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
