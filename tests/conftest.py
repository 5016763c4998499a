"""Test fixtures: a fresh, initialised platform per test, on SQLite and on PostgreSQL.

Each backend gets one migrated and seeded template per test process; every test then gets a
copy (a file copy for SQLite, CREATE DATABASE ... TEMPLATE for PostgreSQL), so tests are
isolated and fast. PostgreSQL runs when PCIP_TEST_DATABASE_URL is set (CI sets it).

Populated worlds are templates too: a test that asks for a world's data fixture (see
``WORLDS``) gets, as its ``settings`` and ``platform``, a copy of a database in which that
world was built once per test process, instead of building it again (issue 15).
"""

from __future__ import annotations

import collections
import importlib
import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from pcip.config import Settings, reset_settings
from pcip.kernel.platform import Platform
from tests.helpers import pg_admin

PG_URL = os.environ.get("PCIP_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
_counter = itertools.count()
TEST_HASH_COST = "minimal"
#: How PostgreSQL copies a template for a test. WAL_LOG (PostgreSQL 15's default) copies a
#: small database without the two checkpoints FILE_COPY forces: on the shared 2-core machine
#: (load 10-13) a copy of the 10 MB template took 0.2-1.3 s against 1.4-3.9 s with FILE_COPY.
PG_STRATEGY = os.environ.get("PCIP_TEST_PG_STRATEGY", "WAL_LOG")
#: A test's database is dropped in the background, in batches. Every DROP DATABASE forces a
#: checkpoint, which writes out every dirty buffer of the cluster: one drop per test made drops
#: take 0.5-2.5 s each under load, and tests waited for the queue (17.5 s of a 47 s run of
#: tests/inquiry). Dropped together, the drops share one or two checkpoints, and the dirty
#: pages of the databases being dropped are discarded instead of written. The session waits
#: for every drop before it ends.
DROP_BATCH = 24
_dropper = ThreadPoolExecutor(max_workers=DROP_BATCH, thread_name_prefix="pcip-test-dropdb")
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
    while _drops:  # the previous batch first: disk space stays bounded
        _drops.pop().result()
    _drops.extend(_dropper.submit(_drop, name) for name in _dead)
    _dead.clear()


def _finish_drops() -> None:
    _copies.discard()
    _flush_drops()
    while _drops:
        _drops.pop().result()


class PgCopies:
    """Copies of this process's PostgreSQL templates, made ahead by a background thread.

    A copy (CREATE DATABASE ... TEMPLATE) took 0.26 s of a test's set-up on average in a full
    run, with the worker idle meanwhile; made while the previous test runs, it is ready when
    the next test asks. Templates never change once built, so a copy made early is the same
    as one made on demand."""

    def __init__(self) -> None:
        self._maker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pcip-test-copydb")
        self._ahead: dict[str, collections.deque[Future[str]]] = {}

    def take(self, template: str, ahead: int) -> str:
        """A new database copied from ``template``; ``ahead`` more are started behind it."""
        queue = self._ahead.setdefault(template, collections.deque())
        if not queue:
            queue.append(self._maker.submit(self._copy, template))
        name = queue.popleft().result()
        while len(queue) < ahead:
            queue.append(self._maker.submit(self._copy, template))
        return name

    @staticmethod
    def _copy(template: str) -> str:
        name = f"{make_url(PG_URL).database}_{_worker()}_{next(_counter)}"
        with pg_admin(PG_URL) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY {PG_STRATEGY}')
        return name

    def discard(self) -> None:
        """Drop the copies made ahead that no test took (before their templates go)."""
        for queue in self._ahead.values():
            while queue:
                _retire(queue.popleft().result())
        self._ahead.clear()


_copies = PgCopies()


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0")


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
    _copies.discard()  # copies of a world made ahead go before the world does
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
    # The plain template serves most tests: two copies wait ready; a world's, one.
    name = _copies.take(make_url(tpl.database_url).database or "", 2 if world is None else 1)
    try:
        yield Settings(database_url=_pg_url(name), home=home, password_hash_cost=TEST_HASH_COST)
    finally:
        _retire(name)


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


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests (browser walks, fuzzers) first, in their shuffled order: started last,
    one of them kept a worker busy for half a minute after the other had run out of tests."""
    items.sort(
        key=lambda item: not (item.get_closest_marker("slow") or item.get_closest_marker("e2e"))
    )
