"""The populated world of ``tests.world``, built on the fixed day every inquiry test uses."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from pcip import clock
from pcip.kernel.platform import Platform
from tests.conftest import BACKENDS, WorldTemplates
from tests.shared_copy import SharedCopy, shared_copy
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
    copy: SharedCopy


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
    template, data = world_templates.get("api_world_data", backend)
    with shared_copy(template, backend, tmp_path_factory.mktemp("issued")) as copy:
        with clock.frozen(NOW), copy.env():
            world = reopen(copy.platform, data)
            r = world.client.post("/api/v1/me/reports", headers=world.auth("subject_a"), json={})
            assert r.status_code == 201, r.text
        yield Issued(world, dict(r.json()), copy)


@pytest.fixture
def issued(_issued_once: Issued, monkeypatch: pytest.MonkeyPatch) -> Iterator[Issued]:
    """The report issued once, read as if in the test that issued it (same clock, same key)."""
    _issued_once.copy.enter(monkeypatch)
    with clock.frozen(NOW):
        yield _issued_once
