"""Public read access to the catalogs in force (Art. 17: catalogs are published documents)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from pcip import clock
from pcip.catalog import service
from pcip.catalog.schemas import ItemSpec
from pcip.doors.api_common import ERROR_RESPONSES, Router, SessionDep

router = Router(prefix="/catalog", tags=["catalog"], responses=ERROR_RESPONSES)


class ItemSummary(BaseModel):
    code: str
    name_zh: str
    name_en: str
    scope_category: int
    polarity: str
    info_class: str
    disclosure_class: str
    legal_basis: str
    layout: str | None
    fields: list[str]


class CatalogVersionOut(BaseModel):
    catalog: str
    version: str
    effective_from: date


class CatalogInForce(BaseModel):
    on: date
    versions: list[CatalogVersionOut]
    items: list[ItemSummary]


@router.get("/items", response_model=CatalogInForce, summary="Catalog items in force")
def list_items(session: SessionDep, on: date | None = None) -> dict[str, Any]:
    """Every item of the national basic and city supplemental catalogs in force on a day."""
    day = on or clock.today()
    versions = service.versions_in_force(session, day)
    items = service.items_in_force(session, day)
    return {
        "on": day,
        "versions": [
            {"catalog": code, "version": v.version, "effective_from": v.effective_from}
            for code, v in versions
        ],
        "items": [service.describe(items[c]) for c in sorted(items)],
    }


@router.get("/items/{code}", response_model=ItemSpec, summary="One catalog item in full")
def get_item(code: str, session: SessionDep, on: date | None = None) -> ItemSpec:
    """The full item: fields, severity classes and publicity periods, inquiry period, basis."""
    return service.item_spec(service.item_in_force(session, code, on))
