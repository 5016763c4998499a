"""The navigation bar per role: what each kind of visitor can reach (labels are msgids)."""

from __future__ import annotations

from dataclasses import dataclass

from pcip.auth.permissions import Principal
from pcip.kernel.enums import ActorKind
from pcip.web.i18n import N_


@dataclass(frozen=True)
class NavItem:
    href: str
    label: str  # an English msgid, translated when rendered


PUBLIC = (
    NavItem("/", N_("Search organisations")),
    NavItem("/persons", N_("Look up a person")),
    NavItem("/lists", N_("Lists")),
    NavItem("/consultations", N_("Public comment")),
    NavItem("/rules", N_("Rules")),
    NavItem("/verify", N_("Verify a report")),
    NavItem("/establishments", N_("Credit service establishments")),
)
SUBJECT = (
    NavItem("/me", N_("My credit information")),
    NavItem("/me/records", N_("My records")),
    NavItem("/me/inquiries", N_("Who looked")),
    NavItem("/me/authorizations", N_("Authorizations")),
    NavItem("/me/objections", N_("Objections")),
    NavItem("/me/listings", N_("My listings")),
    NavItem("/me/restorations", N_("Credit restoration")),
    NavItem("/me/pledges", N_("Credit pledges")),
    NavItem("/me/complaints", N_("Complaints")),
    NavItem("/me/reports", N_("Credit reports")),
)
STAFF = (NavItem("/console", N_("Console")),)

BY_ROLE: dict[ActorKind, tuple[NavItem, ...]] = {
    ActorKind.PUBLIC: PUBLIC,
    ActorKind.SUBJECT: SUBJECT + PUBLIC,
    ActorKind.OPERATOR: STAFF + PUBLIC,
    ActorKind.DRC: STAFF + PUBLIC,
    ActorKind.PROVIDER: STAFF + PUBLIC,
}


def items_for(principal: Principal) -> tuple[NavItem, ...]:
    return BY_ROLE.get(principal.role, PUBLIC)


def current(path: str, items: tuple[NavItem, ...]) -> str | None:
    """The href of the item the page belongs to (longest matching prefix)."""
    best: str | None = None
    for item in items:
        href = item.href
        hit = path == href or (href != "/" and path.startswith(href.rstrip("/") + "/"))
        if hit and (best is None or len(href) > len(best)):
            best = href
    return best
