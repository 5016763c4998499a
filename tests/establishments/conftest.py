"""Fixtures for the establishment tests: the objection world, for the overdue steps."""

from __future__ import annotations

import pytest

from pcip.kernel.platform import Platform
from tests.objections.builders import World, reopen


@pytest.fixture
def world(platform: Platform, case_world_data: World) -> World:
    return reopen(platform, case_world_data)
