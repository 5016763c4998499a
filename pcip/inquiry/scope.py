"""Which catalog items a providing unit's authority inquiries may see (Art. 22(2)).

Art. 22(2) opens authority-based inquiry to a unit "for the performance of its duties", so a
unit sees what its duties need, never everything. A unit's scope is:

* the items it is registered to provide (Art. 20; ``pcip provider add``): the information
  of its own sector, which its duties plainly concern; and
* the items the operator grants it beyond those, each with the legal basis of the duty that
  needs it (cited, audited, revocable; ``InquiryScopeGrant``).

An authority inquiry that names no items or categories gets the unit's scope; one that names
items or categories outside it is refused, naming the field. Existing units therefore keep
seeing their own items after the upgrade, and the operator widens a scope item by item.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.catalog.models import CatalogItem
from pcip.catalog.schemas import SCOPE_CATEGORIES
from pcip.catalog.service import item_spec, items_in_force
from pcip.errors import Collect, Conflict, NotFound, ValidationError
from pcip.inquiry.models import InquiryScopeGrant
from pcip.inquiry.purpose import require_meaningful
from pcip.inquiry.schemas import ScopeGrantOut, ScopeItemOut, ScopeOut
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.messages import msg
from pcip.providers.models import Provider, ProviderItem

ARTICLE = "Art. 22(2)"
#: Where an item in a unit's scope comes from.
PROVIDES = "provides"
GRANTED = "granted"


@dataclass(frozen=True)
class ScopeItem:
    code: str
    name_zh: str
    name_en: str
    scope_category: int
    #: "provides" (the unit is registered to provide it, Art. 20) or "granted" (by the operator).
    source: str
    #: Why the unit may see it: Art. 20 for its own items, the cited basis for a grant.
    legal_basis: str
    grant_id: int | None = None
    granted_by: str | None = None


@dataclass(frozen=True)
class Scope:
    provider_id: int
    items: dict[str, ScopeItem]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self.items)


def _provided(session: Session, provider_id: int) -> list[str]:
    return list(
        session.scalars(
            select(ProviderItem.item_code).where(ProviderItem.provider_id == provider_id)
        )
    )


def active_grants(session: Session, provider_id: int) -> list[InquiryScopeGrant]:
    return list(
        session.scalars(
            select(InquiryScopeGrant)
            .where(
                InquiryScopeGrant.provider_id == provider_id,
                InquiryScopeGrant.revoked_at.is_(None),
            )
            .order_by(InquiryScopeGrant.item_code, InquiryScopeGrant.id)
        )
    )


def scope_of(
    session: Session, provider_id: int, known: dict[str, CatalogItem] | None = None
) -> Scope:
    """The unit's scope today: its provided items and the operator's grants (items in force)."""
    known = known if known is not None else items_in_force(session)
    out: dict[str, ScopeItem] = {}
    for code in _provided(session, provider_id):
        item = known.get(code)
        if item is not None:
            out[code] = ScopeItem(
                code,
                item.name_zh,
                item.name_en,
                item.scope_category,
                PROVIDES,
                "Art. 20: the unit provides this item",
            )
    for g in active_grants(session, provider_id):
        item = known.get(g.item_code)
        if item is not None and g.item_code not in out:
            out[g.item_code] = ScopeItem(
                g.item_code,
                item.name_zh,
                item.name_en,
                item.scope_category,
                GRANTED,
                g.legal_basis,
                g.id,
                g.granted_by,
            )
    return Scope(provider_id, dict(sorted(out.items())))


def resolve(
    session: Session,
    provider_id: int | None,
    items: Sequence[str] | None,
    categories: Sequence[int] | None,
) -> list[str]:
    """The item codes an authority inquiry reads: the unit's scope, narrowed by what it asked.

    Refused, naming the field: an unknown item, an item outside the unit's scope, a category
    outside Art. 18's 1-8 or one holding none of the unit's items.
    """
    known = items_in_force(session)
    for i, code in enumerate(items or ()):
        if code not in known:
            raise ValidationError(msg("inquiry.unknown_item", code=repr(code)), field=f"items[{i}]")
    for i, c in enumerate(categories or ()):
        if c not in SCOPE_CATEGORIES:
            raise ValidationError(
                msg("inquiry.unknown_category", category=c), field=f"categories[{i}]"
            )
    if provider_id is None:
        raise ValidationError(
            msg("inquiry.authority_needs_unit"),
            field="subject",
        )
    scope = scope_of(session, provider_id, known)
    if not scope.items:
        raise ValidationError(
            msg("inquiry.empty_scope"),
            field="items",
        )
    for i, code in enumerate(items or ()):
        if code not in scope.items:
            raise ValidationError(
                msg("inquiry.item_outside_scope", code=repr(code)),
                field=f"items[{i}]",
            )
    by_category: dict[int, list[str]] = {}
    for s in scope.items.values():
        by_category.setdefault(s.scope_category, []).append(s.code)
    for i, c in enumerate(categories or ()):
        if c not in by_category:
            raise ValidationError(
                msg("inquiry.category_outside_scope", category=c),
                field=f"categories[{i}]",
            )
    if not items and not categories:
        return sorted(scope.items)
    chosen = set(items or ())
    for c in categories or ():
        chosen.update(by_category[c])
    return sorted(chosen)


# --- the operator sets scopes ----------------------------------------------------------------


def _provider(session: Session, provider_id: int) -> Provider:
    provider = session.get(Provider, provider_id)
    if provider is None:
        raise NotFound(msg("objections.no_unit", id=provider_id), field="provider")
    return provider


def check_grant(
    session: Session, item_code: str, legal_basis: str, problems: Collect | None = None
) -> tuple[str, str]:
    """The item and legal basis of a grant, each field checked before any is refused (issue
    19.8); ``problems`` gathers the errors of fields checked before (the form's unit)."""
    problems = Collect() if problems is None else problems
    code = basis = ""
    with problems:
        code = (item_code or "").strip()
        if not code:
            raise ValidationError(msg("inquiry.name_item"), field="item_code")
        if items_in_force(session).get(code) is None:
            raise ValidationError(msg("inquiry.unknown_item", code=repr(code)), field="item_code")
    with problems:
        basis = require_meaningful(legal_basis, "legal_basis")
        if len(basis) > 1000:
            raise ValidationError(
                msg("inquiry.at_most_chars", limit=1000, n=len(basis)), field="legal_basis"
            )
    problems.raise_any()
    return code, basis


def grant(
    session: Session, actor: Actor, provider: Provider, item_code: str, legal_basis: str
) -> InquiryScopeGrant:
    """Widen a unit's scope by one item, citing the legal basis of the duty (audited)."""
    code, basis = check_grant(session, item_code, legal_basis)
    scope = scope_of(session, provider.id)
    held = scope.items.get(code)
    if held is not None:
        how = (
            msg("inquiry.unit_provides")
            if held.source == PROVIDES
            else msg("inquiry.grant_covers", id=held.grant_id)
        )
        raise Conflict(msg("inquiry.item_in_scope", code=repr(code), how=how), field="item_code")
    g = InquiryScopeGrant(
        provider_id=provider.id,
        item_code=code,
        legal_basis=basis,
        granted_by=str(actor),
        granted_at=clock.now(),
    )
    session.add(g)
    session.flush()
    audit.record(
        session,
        actor,
        "inquiry_scope.grant",
        object_type="provider",
        object_id=provider.id,
        article=ARTICLE,
        details={
            "grant_id": g.id,
            "provider": provider.uscc,
            "item_code": code,
            "item_name": item_spec(items_in_force(session)[code]).name_zh,
            "legal_basis": basis,
        },
    )
    return g


def revoke(
    session: Session, actor: Actor, provider: Provider, grant_id: int, reason: str
) -> InquiryScopeGrant:
    """Narrow a unit's scope: the grant ends now (kept, dated; audited)."""
    why = (reason or "").strip()
    if not why:
        raise ValidationError(msg("inquiry.grant_end_reason"), field="reason")
    g = session.get(InquiryScopeGrant, grant_id)
    if g is None or g.provider_id != provider.id:
        raise NotFound(msg("inquiry.no_grant", id=grant_id), field="grant_id")
    if g.revoked_at is not None:
        raise Conflict(
            msg("inquiry.grant_ended", id=grant_id, day=f"{g.revoked_at:%Y-%m-%d}"),
            field="grant_id",
        )
    g.revoked_at, g.revoked_by, g.revoke_reason = clock.now(), str(actor), why[:1000]
    audit.record(
        session,
        actor,
        "inquiry_scope.revoke",
        object_type="provider",
        object_id=provider.id,
        article=ARTICLE,
        details={
            "grant_id": g.id,
            "provider": provider.uscc,
            "item_code": g.item_code,
            "reason": why,
        },
    )
    return g


def history(session: Session, provider_id: int) -> list[InquiryScopeGrant]:
    """Every grant the unit ever had, newest first (revoked ones included)."""
    _provider(session, provider_id)
    return list(
        session.scalars(
            select(InquiryScopeGrant)
            .where(InquiryScopeGrant.provider_id == provider_id)
            .order_by(InquiryScopeGrant.id.desc())
        )
    )


def out(session: Session, provider: Provider) -> ScopeOut:
    """The unit's scope today with every grant it ever had (for the operator and the unit)."""
    scope = scope_of(session, provider.id)
    return ScopeOut(
        provider_id=provider.id,
        provider_uscc=provider.uscc,
        provider_name=provider.name,
        items=[
            ScopeItemOut(
                item_code=i.code,
                name_zh=i.name_zh,
                name_en=i.name_en,
                scope_category=i.scope_category,
                source="provides" if i.source == PROVIDES else "granted",
                legal_basis=i.legal_basis,
                grant_id=i.grant_id,
                granted_by=i.granted_by,
            )
            for i in scope.items.values()
        ],
        grants=[grant_out(provider, g) for g in history(session, provider.id)],
    )


def grant_out(provider: Provider, g: InquiryScopeGrant) -> ScopeGrantOut:
    return ScopeGrantOut(
        grant_id=g.id,
        provider_uscc=provider.uscc,
        item_code=g.item_code,
        legal_basis=g.legal_basis,
        granted_by=g.granted_by,
        granted_at=g.granted_at,
        revoked_by=g.revoked_by,
        revoked_at=g.revoked_at,
        revoke_reason=g.revoke_reason,
    )
