"""Test fixtures: a fresh, initialised platform per test, on SQLite and on PostgreSQL.

Each backend gets one migrated and seeded template per test process; every test then gets a
copy (a file copy for SQLite, CREATE DATABASE ... TEMPLATE for PostgreSQL), so tests are
isolated and fast. PostgreSQL runs when PCIP_TEST_DATABASE_URL is set (CI sets it).
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from pcip.config import Settings, reset_settings
from pcip.kernel.platform import Platform
from tests.helpers import pg_admin

PG_URL = os.environ.get("PCIP_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
_counter = itertools.count()


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test reads the developer's PCIP_* settings or var/ directory by accident."""
    for key in list(os.environ):
        if key.startswith("PCIP_") and key != "PCIP_TEST_DATABASE_URL":
            monkeypatch.delenv(key)
    monkeypatch.setenv("PCIP_HOME", str(tmp_path / "home"))
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
    if PG_URL:
        with pg_admin(PG_URL) as conn:
            conn.execute(
                f'DROP DATABASE IF EXISTS "{make_url(PG_URL).database}_tpl_{_worker()}" '
                "WITH (FORCE)"
            )


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def settings(backend: str, templates: dict[str, Settings], tmp_path: Path) -> Iterator[Settings]:
    """Settings for a fresh copy of the template database, with its own home directory."""
    tpl = templates[backend]
    home = tmp_path / "pcip-home"
    shutil.copytree(tpl.home, home)
    if backend == "sqlite":
        url = f"sqlite:///{home / 'db.sqlite3'}"
        yield Settings(database_url=url, home=home)
        return
    name = f"{make_url(PG_URL).database}_{_worker()}_{next(_counter)}"
    tpl_name = make_url(tpl.database_url).database
    with pg_admin(PG_URL) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{tpl_name}" STRATEGY FILE_COPY')
    try:
        yield Settings(database_url=_pg_url(name), home=home)
    finally:
        with pg_admin(PG_URL) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def platform(settings: Settings) -> Iterator[Platform]:
    p = Platform.open(settings)
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
