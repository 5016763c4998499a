"""The versions a proposal changes (Art. 17, 35): the one door through which a new version of
the city supplemental catalog or of the city supplemental measure list is published after
pcip init loaded the first ones.

* catalog: the latest published version of ``cq_supplement`` (whatever its effective date),
  with the proposal's item added, replaced or removed, checked as a whole catalog
  (``pcip.catalog.seed_data.parse_catalog``) and stored by ``pcip.catalog.service``; the
  ingestion gate (Art. 16) uses it from its effective date, being a version like any other;
* measure list: the latest ``measure_list_version`` or, before the first, the list loaded by
  pcip init (``pcip/measures/measures.json``), checked by ``pcip.measures.catalogue.parse``.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.catalog import service as catalog_service
from pcip.catalog.models import Catalog, CatalogItem, CatalogVersion
from pcip.catalog.schemas import CatalogSpec
from pcip.catalog.seed_data import FORMAT, parse_catalog
from pcip.errors import NotFound, ValidationError
from pcip.governance.diff import diff
from pcip.governance.models import ChangeProposal
from pcip.governance.schemas import Change
from pcip.kernel.actors import Actor
from pcip.kernel.messages import Both, msg
from pcip.measures import catalogue
from pcip.measures.models import MeasureListVersion

CITY_CATALOG = "cq_supplement"
#: What a proposal changes, as a refusal names it (Art. 17: the catalog; Art. 35: the list).
CITY_CATALOG_NAME = Both("本市补充目录", "city supplemental catalog")
MEASURE_LIST_NAME = Both("失信惩戒措施清单", "measure list")


# --- catalog --------------------------------------------------------------------------------


def latest_catalog_version(session: Session) -> CatalogVersion:
    version = session.scalar(
        select(CatalogVersion)
        .join(Catalog, Catalog.id == CatalogVersion.catalog_id)
        .where(Catalog.code == CITY_CATALOG)
        .order_by(CatalogVersion.effective_from.desc(), CatalogVersion.id.desc())
        .limit(1)
    )
    if version is None:
        raise NotFound(msg("governance.city_catalog_missing"), field="kind")
    return version


def catalog_items(session: Session, version_id: int) -> dict[str, dict[str, Any]]:
    rows = session.scalars(select(CatalogItem).where(CatalogItem.version_id == version_id))
    return {r.code: dict(r.spec) for r in rows}


def catalog_versions(session: Session) -> list[CatalogVersion]:
    return list(
        session.scalars(
            select(CatalogVersion)
            .join(Catalog, Catalog.id == CatalogVersion.catalog_id)
            .where(Catalog.code == CITY_CATALOG)
            .order_by(CatalogVersion.effective_from, CatalogVersion.id)
        )
    )


def _changed(
    items: dict[str, dict[str, Any]], p: ChangeProposal, kind: Both
) -> dict[str, dict[str, Any]]:
    out = dict(items)
    exists = p.item_code in out
    if p.action == "add" and exists:
        raise ValidationError(
            msg("governance.item_exists", code=p.item_code, kind=kind), field="item_code"
        )
    if p.action in ("replace", "remove") and not exists:
        raise ValidationError(
            msg("governance.item_not_in", code=p.item_code, kind=kind), field="item_code"
        )
    if p.action == "remove":
        del out[p.item_code]
    else:
        if p.item.get("code") != p.item_code:
            raise ValidationError(
                msg(
                    "governance.item_code_mismatch",
                    code=p.item_code,
                    given=repr(p.item.get("code")),
                ),
                field="item.code",
            )
        out[p.item_code] = dict(p.item)
    return out


def proposed_catalog(
    session: Session, p: ChangeProposal, *, version: str = "proposed", effective_from: date | None
) -> tuple[CatalogVersion, CatalogSpec]:
    """The catalog version the proposal would make, checked as a whole."""
    base = latest_catalog_version(session)
    catalog = session.get(Catalog, base.catalog_id)
    assert catalog is not None
    items = _changed(catalog_items(session, base.id), p, CITY_CATALOG_NAME)
    raw = {
        "format": FORMAT,
        "code": CITY_CATALOG,
        "name_zh": catalog.name_zh,
        "name_en": catalog.name_en,
        "version": version,
        "effective_from": (effective_from or clock.today()).isoformat(),
        "legal_basis": base.legal_basis,
        "items": [items[c] for c in sorted(items)],
    }
    try:
        return base, parse_catalog(raw, source=f"proposal {p.id}")
    except ValidationError:
        raise
    except Exception as exc:  # CatalogDataError: name the item field
        message = getattr(exc, "message", str(exc))
        field = getattr(exc, "field", None)
        raise ValidationError(message, field=f"item.{field}" if field else "item") from None


def catalog_diff(session: Session, old_id: int, new_id: int) -> list[Change]:
    return diff(catalog_items(session, old_id), catalog_items(session, new_id))


def publish_catalog(
    session: Session, actor: Actor, p: ChangeProposal, version: str, effective_from: date
) -> str:
    base, spec = proposed_catalog(session, p, version=version, effective_from=effective_from)
    catalog_service.publish_version(session, actor, spec)
    return base.version


# --- measure list ---------------------------------------------------------------------------


def _seed_measures() -> tuple[str, list[dict[str, Any]]]:
    doc = json.loads(catalogue.DATA_FILE.read_text(encoding="utf-8"))
    return str(doc["version"]), list(doc["measures"])


def latest_measures(session: Session) -> tuple[str, list[dict[str, Any]]]:
    row = session.scalar(
        select(MeasureListVersion)
        .order_by(MeasureListVersion.effective_from.desc(), MeasureListVersion.id.desc())
        .limit(1)
    )
    if row is None:
        return _seed_measures()
    return row.version, list(row.measures)


def measure_versions(session: Session) -> list[MeasureListVersion]:
    return list(
        session.scalars(
            select(MeasureListVersion).order_by(
                MeasureListVersion.effective_from, MeasureListVersion.id
            )
        )
    )


def proposed_measures(session: Session, p: ChangeProposal) -> tuple[str, list[dict[str, Any]]]:
    base_version, base = latest_measures(session)
    items = _changed({m["code"]: m for m in base}, p, MEASURE_LIST_NAME)
    measures = [items[c] for c in sorted(items)]
    try:
        catalogue.parse({"version": "proposed", "measures": measures})
    except ValidationError as exc:
        index = next((i for i, m in enumerate(measures) if m.get("code") == p.item_code), None)
        prefix = f"measures.{index}." if index is not None else ""
        field = exc.field or ""
        if prefix and field.startswith(prefix):
            field = "item." + field.removeprefix(prefix)
        raise ValidationError(exc.message, field=field or "item") from None
    return base_version, measures


def measures_diff(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    return diff({m["code"]: m for m in old}, {m["code"]: m for m in new})


def publish_measures(
    session: Session, p: ChangeProposal, version: str, effective_from: date
) -> str:
    base_version, measures = proposed_measures(session, p)
    if (
        session.scalar(select(MeasureListVersion.id).where(MeasureListVersion.version == version))
        is not None
        or version == base_version
    ):
        raise ValidationError(
            msg("governance.measures_version_exists", version=version), field="version"
        )
    session.add(
        MeasureListVersion(
            version=version,
            effective_from=effective_from,
            published_at=clock.now(),
            proposal_id=p.id,
            measures=measures,
        )
    )
    session.flush()
    catalogue.forget_published()
    return base_version
