"""Fixtures for the web page tests: the populated world of ``tests.world`` on a fixed day."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pcip import clock
from pcip.kernel.platform import Platform
from tests.world import NOW, World, WorldData, reopen


@pytest.fixture
def site(platform: Platform, api_world_data: WorldData) -> Iterator[World]:
    """A company, two people, staff of every role and a bank; the clock fixed at ``NOW``."""
    with clock.frozen(NOW):
        yield reopen(platform, api_world_data)
