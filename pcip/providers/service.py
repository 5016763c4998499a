"""Registering providing units and the catalog items each may submit (Art. 20)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.catalog.service import item_in_force
from pcip.errors import NotFound, Unauthorized, ValidationError
from pcip.identity import validate_uscc
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.messages import msg
from pcip.kernel.tokens import (
    PROVIDER_KEY,
    IssuedKey,
    parse_key,
    revoke_stored_key,
    same_secret,
    store_key,
)
from pcip.providers.models import Provider, ProviderItem, ProviderKey


@dataclass(frozen=True)
class ProviderResult:
    provider: Provider
    created: bool
    items_added: tuple[str, ...]
    name_changed: bool


def add_provider(
    session: Session, actor: Actor, uscc: str, name: str, items: list[str], level: str = "city"
) -> ProviderResult:
    """Register a unit (or extend its items). Re-running with the same input changes nothing."""
    code = validate_uscc(uscc, field="uscc").normalized
    name = name.strip()
    if not name or len(name) > 200:
        raise ValidationError(msg("providers.name_length"), field="name")
    if level not in ("city", "district"):
        raise ValidationError(msg("providers.level"), field="level")
    codes = _clean_codes(items)
    for c in codes:  # Art. 16: only items in force; validate all before changing anything
        item_in_force(session, c)

    provider = session.scalar(select(Provider).where(Provider.uscc == code))
    created = provider is None
    name_changed = False
    if provider is None:
        provider = Provider(uscc=code, name=name, level=level, created_at=clock.now())
        session.add(provider)
        session.flush()
    elif provider.name != name:
        provider.name, name_changed = name, True

    held = set(
        session.scalars(
            select(ProviderItem.item_code).where(ProviderItem.provider_id == provider.id)
        )
    )
    added = tuple(c for c in codes if c not in held)
    for c in added:
        session.add(ProviderItem(provider_id=provider.id, item_code=c, granted_at=clock.now()))
    if created or added or name_changed:
        audit.record(
            session,
            actor,
            "provider.register" if created else "provider.update",
            object_type="provider",
            object_id=code,
            article="Art. 20",
            details={"name": name, "items_added": list(added), "level": level},
        )
    session.flush()
    return ProviderResult(provider, created, added, name_changed)


def _clean_codes(items: list[str]) -> list[str]:
    codes: list[str] = []
    for raw in items:
        for part in raw.split(","):
            c = part.strip()
            if c and c not in codes:
                codes.append(c)
    if not codes:
        raise ValidationError(msg("providers.items_required"), field="items")
    return codes


def get_provider(session: Session, uscc: str) -> Provider:
    code = validate_uscc(uscc, field="provider").normalized
    provider = session.scalar(select(Provider).where(Provider.uscc == code))
    if provider is None:
        raise NotFound(msg("providers.no_unit_under_uscc", code=code), field="provider")
    return provider


def provider_items(session: Session, provider: Provider) -> list[str]:
    return list(
        session.scalars(
            select(ProviderItem.item_code)
            .where(ProviderItem.provider_id == provider.id)
            .order_by(ProviderItem.item_code)
        )
    )


# --- API keys (a unit's systems submit batches with them) ---------------------------------


def create_key(session: Session, actor: Actor, provider: Provider, label: str) -> IssuedKey:
    """Issue an API key bound to the unit. The token is returned once and never stored."""
    return store_key(
        session,
        actor,
        ProviderKey,
        prefix=PROVIDER_KEY,
        owner={"provider_id": provider.id},
        label=label,
        action="provider.key_create",
        object_type="provider",
        object_id=provider.uscc,
    )


def revoke_key(session: Session, actor: Actor, key_id: str) -> ProviderKey:
    key: ProviderKey = revoke_stored_key(
        session, actor, ProviderKey, key_id, action="provider.key_revoke"
    )
    return key


def authenticate(session: Session, token: str) -> Provider:
    """The unit a bearer token belongs to; one vague error for every kind of bad token."""
    bad = Unauthorized(msg("providers.bad_key"))
    parsed = parse_key(PROVIDER_KEY, token)
    if parsed is None:
        raise bad
    key_id, secret = parsed
    key = session.scalar(select(ProviderKey).where(ProviderKey.key_id == key_id))
    if key is None or key.revoked_at is not None or not same_secret(key.secret_sha256, secret):
        raise bad
    provider = session.get(Provider, key.provider_id)
    if provider is None:
        raise bad
    return provider
