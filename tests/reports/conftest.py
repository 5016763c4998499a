"""The populated world of ``tests.world``, built on the fixed day every inquiry test uses."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from pcip import clock
from pcip.config import Settings, reset_settings
from pcip.kernel.platform import Platform
from tests.conftest import BACKENDS, TEST_HASH_COST, WorldTemplates, _pg_url, _pool
from tests.world import NOW, World, WorldData, reopen


@pytest.fixture
def world(platform: Platform, api_world_data: WorldData) -> Iterator[World]:
    with clock.frozen(NOW):
        yield reopen(platform, api_world_data)


@dataclass(frozen=True)
class Issued:
    """A world in which subject A has been issued one self report (``report``: the answer)."""

    world: World
    report: dict[str, Any]
    #: PCIP_HOME when it was issued: the report-signing key is made there (``get_settings``)
    env_home: Path


@pytest.fixture(scope="module", params=BACKENDS)
def _issued_once(
    request: pytest.FixtureRequest,
    world_templates: WorldTemplates,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Issued]:
    """One copy of the world per backend and module, with one self report issued in it.

    Drawing a report's PDF (WeasyPrint, a CJK font) was a third of this module's CPU, and
    seven tests each drew one only to read it back (its content, its PDF, its verification):
    they read this one. A test that changes a report, or issues one of another kind, still
    gets its own world (``world``)."""
    backend = str(request.param)
    tpl, data = world_templates.get("api_world_data", backend)
    root = tmp_path_factory.mktemp("issued")
    home, env_home = root / "pcip-home", root / "home"
    shutil.copytree(tpl.home, home)
    name = None
    if backend == "sqlite":
        url = f"sqlite:///{home / 'db.sqlite3'}"
    else:
        name = _pool.take(make_url(tpl.database_url).database or "")
        url = _pg_url(name)
    platform = Platform.open(
        Settings(database_url=url, home=home, password_hash_cost=TEST_HASH_COST)
    )
    try:
        with clock.frozen(NOW), pytest.MonkeyPatch.context() as env:
            env.setenv("PCIP_HOME", str(env_home))
            reset_settings()
            world = reopen(platform, data)
            r = world.client.post("/api/v1/me/reports", headers=world.auth("subject_a"), json={})
            assert r.status_code == 201, r.text
        reset_settings()
        yield Issued(world, dict(r.json()), env_home)
    finally:
        platform.dispose()
        if name is not None:
            _pool.give_back(name)


@pytest.fixture
def issued(_issued_once: Issued, monkeypatch: pytest.MonkeyPatch) -> Iterator[Issued]:
    """The report issued once, read as if in the test that issued it (same clock, same key)."""
    monkeypatch.setenv("PCIP_HOME", str(_issued_once.env_home))
    reset_settings()
    with clock.frozen(NOW):
        yield _issued_once
