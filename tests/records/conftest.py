"""Fixtures for the ingestion tests: a fixed clock and a registered providing unit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pcip import clock
from pcip.kernel.platform import Platform
from pcip.providers.service import add_provider
from tests.records.builders import ACTOR, UNIT


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with clock.frozen("2026-11-26T10:00:00"):
        yield


@pytest.fixture
def unit(platform: Platform) -> str:
    """A city market-regulation unit registered for penalties and licences (Art. 20)."""
    with platform.transaction() as s:
        add_provider(s, ACTOR, UNIT, "重庆市市场监督管理局", ["admin_penalty", "admin_licence"])
    return UNIT
