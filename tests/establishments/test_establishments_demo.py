"""The demo shows establishments (Art. 47-55): a directory, a correction order past its set
period, and an oversight order for an overdue objection step."""

from __future__ import annotations

from pcip.auth.permissions import ANONYMOUS
from pcip.demo.establishments import DRC, create_demo_establishments
from pcip.establishments import filings, oversight, supervision
from tests.establishments.test_oversight import _late_unit_case
from tests.objections.builders import World, on


def test_art49_art55_the_demo_files_establishments_and_an_overdue_order(world: World) -> None:
    _late_unit_case(world)
    with on("2024-10-08"):
        line = create_demo_establishments(world.platform)
        with world.platform.transaction() as s:
            assert len(filings.directory(s, ANONYMOUS)) == 4
            (late,) = supervision.orders(s, DRC, overdue_only=True)
            assert late.status == "overdue"
            orders = oversight.orders(s, DRC)
    assert "4 filed" in line and "1 oversight order" in line
    assert orders and orders[0].source is not None
