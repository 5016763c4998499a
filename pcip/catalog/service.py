"""Catalog actions: seeding reference versions and looking up the items in force (Art. 16-18)."""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.catalog.models import Catalog, CatalogItem, CatalogVersion
from pcip.catalog.schemas import CatalogSpec, ItemSpec
from pcip.errors import Conflict, NotFound
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.messages import Both, msg
from pcip.kernel.shared_state import SharedState


@dataclass(frozen=True)
class SeedResult:
    catalogs_created: int = 0
    versions_created: int = 0
    items_created: int = 0


def _item_row(spec: ItemSpec) -> CatalogItem:
    return CatalogItem(
        code=spec.code,
        name_zh=spec.name_zh,
        name_en=spec.name_en,
        scope_category=spec.scope_category,
        polarity=spec.polarity.value,
        info_class=spec.info_class.value,
        disclosure_class=spec.disclosure_class.value,
        spec=spec.model_dump(mode="json"),
        legal_basis=spec.legal_basis,
    )


def publish_version(session: Session, actor: Actor, spec: CatalogSpec) -> tuple[bool, int]:
    """Store a catalog version with its items, unless that exact version is already stored.

    A stored version is immutable (Art. 17 publishes versions); a different body under an
    existing version number is refused rather than silently rewritten.
    Returns (created, items_created).
    """
    catalog = session.scalar(select(Catalog).where(Catalog.code == spec.code))
    if catalog is None:
        catalog = Catalog(code=spec.code, name_zh=spec.name_zh, name_en=spec.name_en)
        session.add(catalog)
        session.flush()
        audit.record(
            session,
            actor,
            "catalog.create",
            object_type="catalog",
            object_id=spec.code,
            article="Art. 16-17",
            details={"name_zh": spec.name_zh},
        )
    existing = session.scalar(
        select(CatalogVersion).where(
            CatalogVersion.catalog_id == catalog.id, CatalogVersion.version == spec.version
        )
    )
    if existing is not None:
        _check_same(session, existing, spec)
        return False, 0
    _check_codes_unique_across_catalogs(session, catalog.id, spec)
    forget_item_versions()  # a new version: the rules in force may change (item_versions)
    _tell_other_processes(session)
    version = CatalogVersion(
        catalog_id=catalog.id,
        version=spec.version,
        effective_from=spec.effective_from,
        published_at=clock.now(),
        legal_basis=spec.legal_basis,
    )
    version.items = [_item_row(i) for i in spec.items]
    session.add(version)
    session.flush()
    audit.record(
        session,
        actor,
        "catalog.publish_version",
        object_type="catalog_version",
        object_id=version.id,
        article="Art. 17",
        details={
            "catalog": spec.code,
            "version": spec.version,
            "effective_from": spec.effective_from.isoformat(),
            "items": [i.code for i in spec.items],
        },
    )
    return True, len(spec.items)


def _check_same(session: Session, version: CatalogVersion, spec: CatalogSpec) -> None:
    stored = {
        i.code: i.spec
        for i in session.scalars(select(CatalogItem).where(CatalogItem.version_id == version.id))
    }
    wanted = {i.code: i.model_dump(mode="json") for i in spec.items}
    if stored != wanted:
        changed = sorted(set(stored) ^ set(wanted)) or sorted(
            c for c in wanted if stored.get(c) != wanted[c]
        )
        raise Conflict(
            msg(
                "catalog.published_differently",
                catalog=Both(spec.name_zh, spec.name_en),
                catalog_code=spec.code,
                version=spec.version,
                items=changed[:5],
            ),
            field="version",
        )


def _check_codes_unique_across_catalogs(
    session: Session, catalog_id: int, spec: CatalogSpec
) -> None:
    """Art. 16: an item code means one thing across both catalogs."""
    codes = {i.code for i in spec.items}
    clash = session.execute(
        select(CatalogItem.code, Catalog.code, Catalog.name_zh, Catalog.name_en)
        .join(CatalogVersion, CatalogItem.version_id == CatalogVersion.id)
        .join(Catalog, CatalogVersion.catalog_id == Catalog.id)
        .where(Catalog.id != catalog_id, CatalogItem.code.in_(codes))
    ).first()
    if clash is not None:
        raise Conflict(
            msg(
                "catalog.code_taken",
                code=clash[0],
                catalog_code=clash[1],
                catalog=Both(clash[2], clash[3]),
            ),
            field="code",
        )


def seed(
    session: Session, actor: Actor, specs: tuple[CatalogSpec, ...] | None = None
) -> SeedResult:
    """Seed the reference catalogs; running it again changes nothing."""
    if specs is None:
        from pcip.catalog.seed_data import SEED_CATALOGS

        specs = SEED_CATALOGS
    before = len(session.scalars(select(Catalog.id)).all())
    versions = items = 0
    for spec in specs:
        created, n = publish_version(session, actor, spec)
        versions += int(created)
        items += n
    after = len(session.scalars(select(Catalog.id)).all())
    return SeedResult(after - before, versions, items)


def versions_in_force(session: Session, on: date) -> list[tuple[str, CatalogVersion]]:
    """For each catalog (by code), the latest version whose effective date has arrived."""
    out: list[tuple[str, CatalogVersion]] = []
    for catalog in session.scalars(select(Catalog).order_by(Catalog.code)):
        version = session.scalar(
            select(CatalogVersion)
            .where(CatalogVersion.catalog_id == catalog.id, CatalogVersion.effective_from <= on)
            .order_by(CatalogVersion.effective_from.desc(), CatalogVersion.id.desc())
            .limit(1)
        )
        if version is not None:
            out.append((catalog.code, version))
    return out


def items_in_force(session: Session, on: date | None = None) -> dict[str, CatalogItem]:
    """Every item code in force on a day, mapped to the exact item version."""
    on = on or clock.today()
    ids = [v.id for _, v in versions_in_force(session, on)]
    rows = session.scalars(select(CatalogItem).where(CatalogItem.version_id.in_(ids)))
    return {row.code: row for row in rows}


def item_in_force(session: Session, code: str, on: date | None = None) -> CatalogItem:
    """Art. 16: data that maps to no catalog item in force does not enter the platform."""
    on = on or clock.today()
    # One item, not every item's spec: units, keys and grants ask this once per item named.
    ids = [v.id for _, v in versions_in_force(session, on)]
    item = session.scalar(
        select(CatalogItem).where(CatalogItem.version_id.in_(ids), CatalogItem.code == code)
    )
    if item is None:
        raise NotFound(msg("catalog.unknown_item", code=code, day=on.isoformat()), field="item")
    return item


def item_spec(item: CatalogItem) -> ItemSpec:
    return ItemSpec.model_validate(item.spec)


#: Catalog items by database (engine) and id, with their parsed spec and catalog version.
#: A published item version never changes (Art. 17: changes are new versions, new rows), so
#: an entry, once read, stays true for the life of the process; only new ids are read.
_ENTRIES: weakref.WeakKeyDictionary[Any, dict[int, tuple[CatalogItem, ItemSpec, str]]] = (
    weakref.WeakKeyDictionary()
)
_ENTRIES_LOCK = threading.Lock()


def item_entry(session: Session, item_id: int) -> tuple[CatalogItem, ItemSpec, str]:
    """The catalog item ``item_id`` (detached, read-only), its spec and its catalog version.

    Every inquiry needs the specs of the items its records were accepted under; parsing them
    from JSON each time cost more than the rest of the disclosure decision.
    """
    bind = session.get_bind()
    with _ENTRIES_LOCK:
        cached = _ENTRIES.setdefault(bind, {}).get(item_id)
    if cached is not None:
        return cached
    row = session.execute(
        select(CatalogItem, CatalogVersion.version)
        .join(CatalogVersion, CatalogVersion.id == CatalogItem.version_id)
        .where(CatalogItem.id == item_id)
    ).one()
    item, version = row[0], row[1]
    session.expunge(item)  # shared across sessions and threads: never attached to any
    entry = (item, item_spec(item), version)
    with _ENTRIES_LOCK:
        _ENTRIES.setdefault(bind, {})[item_id] = entry
    return entry


_PERSONAL: dict[int, tuple[ItemSpec, tuple[str, ...]]] = {}


def personal_fields(spec: ItemSpec) -> tuple[str, ...]:
    """The fields masked outside the subject's own view (Art. 27), remembered per spec object
    (hashing a spec would cost more than finding them)."""
    got = _PERSONAL.get(id(spec))
    if got is not None and got[0] is spec:
        return got[1]
    fields = tuple(f.name for f in spec.fields if f.personal)
    if len(_PERSONAL) >= 1024:
        _PERSONAL.clear()
    _PERSONAL[id(spec)] = (spec, fields)
    return fields


def describe(item: CatalogItem) -> dict[str, Any]:
    spec = item_spec(item)
    return {
        "code": item.code,
        "name_zh": item.name_zh,
        "name_en": item.name_en,
        "scope_category": item.scope_category,
        "polarity": item.polarity,
        "info_class": item.info_class,
        "disclosure_class": item.disclosure_class,
        "legal_basis": item.legal_basis,
        "layout": spec.layout,
        "fields": [f.name for f in spec.fields],
    }


#: Every published version of each item code, by database: ``(effective_from, item id)``,
#: oldest first. Publishing adds versions: the publishing process forgets its copy
#: (``forget_item_versions``), and once the publication is committed it moves the generation
#: in the shared state (``_GENERATION``: Redis with ``PCIP_REDIS_URL``), which every server
#: process compares with its copy's at most every ``_GENERATION_EVERY`` seconds (issue 22:
#: several worker processes must not disagree on the rules in force for a minute). Without a
#: shared store the copy is re-read every ``_VERSIONS_TTL`` seconds, as before.
_VERSIONS: weakref.WeakKeyDictionary[Any, _Versions] = weakref.WeakKeyDictionary()
_VERSIONS_TTL = 60.0
_GENERATION = "catalog:versions:generation"
_GENERATION_EVERY = 1.0
#: Ten years: the generation only has to differ from the one a copy was read at.
_GENERATION_TTL = 10 * 365 * 86400.0


@dataclass
class _Versions:
    read_at: float
    checked_at: float
    generation: int
    by_code: dict[str, list[tuple[date, int]]]


def forget_item_versions() -> None:
    with _ENTRIES_LOCK:
        _VERSIONS.clear()


def _shared(session: Session) -> SharedState | None:
    state = session.info.get("shared")
    return cast(SharedState, state) if state is not None else None


def _tell_other_processes(session: Session) -> None:
    state = _shared(session)
    if state is None:
        return

    def moved(_: Session) -> None:
        state.incr(_GENERATION, _GENERATION_TTL)

    # After the commit: a process that re-read before it would keep the old list.
    event.listen(session, "after_commit", moved, once=True)


def _current(session: Session, cached: _Versions | None, now: float) -> tuple[bool, int]:
    """Whether the copy is still good, and the generation it is (or will be) read at."""
    state = _shared(session)
    if cached is not None and now - cached.read_at <= _VERSIONS_TTL:
        if state is None or now - cached.checked_at < _GENERATION_EVERY:
            return True, cached.generation
        generation = state.get(_GENERATION)
        cached.checked_at = now
        return generation == cached.generation, generation
    return False, state.get(_GENERATION) if state is not None else 0


def item_versions(session: Session, code: str) -> list[tuple[date, int]]:
    """Every published version of item ``code``: (the day it came into force, item id), in the
    order they supersede one another."""
    bind = session.get_bind()
    now = time.monotonic()
    with _ENTRIES_LOCK:
        cached = _VERSIONS.get(bind)
    good, generation = _current(session, cached, now)
    if cached is None or not good:
        by_code: dict[str, list[tuple[date, int]]] = {}
        rows = session.execute(
            select(CatalogItem.code, CatalogVersion.effective_from, CatalogItem.id)
            .join(CatalogVersion, CatalogVersion.id == CatalogItem.version_id)
            # The order versions_in_force resolves: by effective date, then publication.
            .order_by(CatalogVersion.effective_from, CatalogVersion.id)
        )
        for item_code, effective_from, item_id in rows:
            by_code.setdefault(item_code, []).append((effective_from, item_id))
        cached = _Versions(now, now, generation, by_code)
        with _ENTRIES_LOCK:
            _VERSIONS[bind] = cached
    return cached.by_code.get(code, [])
