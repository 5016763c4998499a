"""Issue 14.1: a record keeps the catalog item version it was accepted under, but the period
rules change (docs/facts.md#publicity-periods: the restoration rules changed on 2026-04-01). Once a
later version of the item is in force, the rule lighter for the subject applies (Administrative
Penalty Law Art. 37): a new, shorter period ends what the old one still showed, and a new, longer
period never brings back what the old one had ended. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

from pcip import clock
from pcip.catalog import service as catalog
from pcip.catalog.schemas import CatalogSpec
from pcip.catalog.seed_data import SEED_CATALOGS
from pcip.kernel.platform import Platform
from tests.disclosure.test_periods_stored import (
    ACTOR,
    PENALTY,
    PUBLIC,
    SELF,
    shown,
    submit,
    unit,
)

__all__ = ["unit"]  # the fixture, used by name


def _publish_penalty_periods(platform: Platform, effective: date, months: dict[str, int]) -> None:
    """A new national catalog version whose administrative penalties have other maxima."""
    spec = next(c for c in SEED_CATALOGS if c.code == "national_basic")
    items: list[dict[str, Any]] = []
    for item in spec.items:
        data = item.model_dump()
        if item.code == "admin_penalty":
            data["severity_classes"] = [
                {**klass, "max_months": months.get(klass["severity"], klass["max_months"])}
                | ({"min_months": 0} if klass["severity"] in months else {})
                for klass in data["severity_classes"]
            ]
        items.append(data)
    later = CatalogSpec.model_validate(
        {**spec.model_dump(), "version": "2027.test", "effective_from": effective, "items": items}
    )
    with platform.transaction() as s:
        created, _ = catalog.publish_version(s, ACTOR, later)
    assert created


def test_art43_facts3_a_shorter_period_in_force_ends_what_the_old_rule_still_shows(
    platform: Platform, unit: str
) -> None:
    with clock.frozen("2025-01-12T09:00:00"):
        submit(platform, "admin_penalty", "丁商贸", {**PENALTY, "severity": "3"})
    # Serious: 36 months under the version the record was accepted under (to 2028-01-10).
    _publish_penalty_periods(platform, date(2027, 1, 1), {"serious": 12})
    assert shown(platform, "丁商贸", PUBLIC, date(2026, 12, 31))  # the new rule not yet in force
    assert not shown(platform, "丁商贸", PUBLIC, date(2027, 1, 1))  # in force: ended 2026-01-10
    assert shown(platform, "丁商贸", SELF, date(2027, 1, 1))  # the subject still sees it


def test_art43_facts3_a_longer_period_in_force_never_brings_back_what_had_ended(
    platform: Platform, unit: str
) -> None:
    with clock.frozen("2025-01-12T09:00:00"):
        submit(platform, "admin_penalty", "戊商贸", {**PENALTY, "severity": "2"})
    # General: 12 months under the record's version, last day 2026-01-10.
    _publish_penalty_periods(platform, date(2026, 6, 1), {"general": 24})
    assert shown(platform, "戊商贸", PUBLIC, date(2026, 1, 10))
    assert not shown(platform, "戊商贸", PUBLIC, date(2026, 1, 11))
    assert not shown(platform, "戊商贸", PUBLIC, date(2026, 6, 1))
    assert not shown(platform, "戊商贸", PUBLIC, date(2026, 12, 31))
