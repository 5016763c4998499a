"""Fixtures for the objection tests: the small world of ``builders.py`` on every backend."""

from __future__ import annotations

import pytest

from pcip.kernel.platform import Platform
from tests.objections.builders import World, reopen


@pytest.fixture
def world(platform: Platform, case_world_data: World) -> World:
    """A copy of the world built once per test process (tests/conftest.py ``WORLDS``)."""
    return reopen(platform, case_world_data)
