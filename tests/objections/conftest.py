"""Fixtures for the objection tests: the small world of ``builders.py`` on every backend."""

from __future__ import annotations

import pytest

from pcip.kernel.platform import Platform
from tests.objections.builders import World, build


@pytest.fixture
def world(platform: Platform) -> World:
    return build(platform)
