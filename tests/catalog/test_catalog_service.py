"""Art. 16-18: catalog versions are immutable, items in force are derived from dates."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from pcip.catalog import service
from pcip.catalog.models import CatalogItem
from pcip.catalog.schemas import CatalogSpec
from pcip.catalog.seed_data import SEED_CATALOGS
from pcip.errors import Conflict, NotFound
from pcip.kernel.actors import Actor
from pcip.kernel.audit.models import AuditEvent
from pcip.kernel.platform import Platform

ACTOR = Actor.system("test")


def _count(platform: Platform, model: type) -> int:
    with platform.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_art17_seeding_twice_changes_nothing(platform: Platform) -> None:
    items, events = _count(platform, CatalogItem), _count(platform, AuditEvent)
    with platform.transaction() as s:
        result = service.seed(s, ACTOR)
    assert result.versions_created == 0 and result.items_created == 0
    assert _count(platform, CatalogItem) == items and _count(platform, AuditEvent) == events


def test_art17_published_version_cannot_be_rewritten(platform: Platform) -> None:
    spec = SEED_CATALOGS[1]
    changed = spec.model_copy(update={"items": spec.items[:-1]})
    with (
        pytest.raises(Conflict, match="already published with different items"),
        platform.transaction() as s,
    ):
        service.publish_version(s, ACTOR, changed)


def test_art17_new_version_takes_effect_on_its_date(platform: Platform) -> None:
    spec = SEED_CATALOGS[1]
    v2 = CatalogSpec.model_validate(
        {
            **spec.model_dump(),
            "version": "2027",
            "effective_from": date(2027, 1, 1),
            "items": [i.model_dump() for i in spec.items if i.code != "volunteering"],
        }
    )
    with platform.transaction() as s:
        created, _ = service.publish_version(s, ACTOR, v2)
        assert created
        assert "volunteering" in service.items_in_force(s, date(2026, 12, 31))
        assert "volunteering" not in service.items_in_force(s, date(2027, 1, 1))
        with pytest.raises(NotFound, match=r"Art\. 16"):
            service.item_in_force(s, "volunteering", date(2027, 1, 1))


def test_art16_item_code_cannot_belong_to_two_catalogs(platform: Platform) -> None:
    national, supplement = SEED_CATALOGS
    stolen = supplement.model_copy(
        update={"version": "2099", "items": (*supplement.items, national.items[0])}
    )
    with (
        pytest.raises(Conflict, match="already belongs to catalog national_basic"),
        platform.transaction() as s,
    ):
        service.publish_version(s, ACTOR, stolen)


def test_art16_unknown_item_is_not_found(platform: Platform) -> None:
    with pytest.raises(NotFound) as exc, platform.transaction() as s:
        service.item_in_force(s, "made_up_item")
    assert exc.value.field == "item" and "made_up_item" in exc.value.message


def test_art18_items_in_force_cover_all_eight_categories(platform: Platform) -> None:
    with platform.transaction() as s:
        items = service.items_in_force(s, date(2026, 11, 26))
    assert {i.scope_category for i in items.values()} == set(range(1, 9))
    assert {"admin_penalty", "admin_licence"} <= set(items)
