"""The steps every populated world is built from: the demo's (``pcip.demo.world``,
``pcip.demo.accounts``) and the tests' (``tests/world.py``, ``tests/objections/builders.py``).

Each step goes through the same service a real caller uses (registration of a unit, a staff
account, a third party and their keys; a unit's submission through the ingestion pipeline), so
a world built here is one the platform could have been given by its users. Nothing here is real
data.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from pcip.auth import service as auth
from pcip.auth.models import Account, Grantee
from pcip.catalog.schemas import FieldRole
from pcip.catalog.service import item_in_force, item_spec
from pcip.demo.generators.records import Issuer, Party, make_row
from pcip.errors import PcipError
from pcip.kernel.actors import Actor
from pcip.kernel.platform import Platform
from pcip.providers.models import Provider
from pcip.providers.service import add_provider, create_key
from pcip.records.ingest import IngestSummary, Source, ingest, rows_from_json

__all__ = [
    "Bank",
    "add_bank",
    "add_staff",
    "item_row",
    "register_unit",
    "submit",
    "unit_key",
]


def register_unit(
    s: Session, actor: Actor, uscc: str, name: str, items: list[str] | tuple[str, ...]
) -> Provider:
    """A providing unit and the catalog items it supplies (Art. 20)."""
    return add_provider(s, actor, uscc, name, list(items)).provider


def unit_key(s: Session, actor: Actor, unit: Provider, label: str) -> str:
    """An API key of the unit; the token (shown once, stored as a hash)."""
    return create_key(s, actor, unit, label).token


def add_staff(
    s: Session,
    actor: Actor,
    *,
    username: str,
    password: str,
    role: str,
    unit_uscc: str | None = None,
    display_name: str = "",
) -> Account:
    """A staff account (operator, drc, or a unit's staff with ``unit_uscc``; Art. 27)."""
    return auth.add_account(
        s,
        actor,
        username=username,
        password=password,
        role=role,
        display_name=display_name,
        provider_uscc=unit_uscc,
    )


@dataclass(frozen=True)
class Bank:
    grantee: Grantee
    key: str


def add_bank(s: Session, actor: Actor, uscc: str, name: str, label: str) -> Bank:
    """An authorized third party (Art. 22 authorized inquiries) and its API key."""
    grantee = auth.add_grantee(s, actor, uscc, name)
    return Bank(grantee, auth.create_grantee_key(s, actor, grantee, label).token)


def item_row(
    platform: Platform,
    item: str,
    party: Party,
    issuer: Issuer,
    today: date,
    *,
    seed: str,
    fixed: Mapping[FieldRole, str] | None = None,
) -> dict[str, str]:
    """One row of ``item`` about ``party``, as the unit would send it, generated from ``seed``;
    the fields of the roles in ``fixed`` take the values given (dates, a basis number)."""
    with platform.transaction() as s:
        spec = item_spec(item_in_force(s, item))
    row = make_row(random.Random(seed), spec, party, issuer, today)
    for f in spec.fields:
        if f.role is not None and fixed and f.role in fixed:
            row[f.name] = fixed[f.role]
    return row


def submit(
    platform: Platform,
    actor: Actor,
    *,
    unit_uscc: str,
    item: str,
    rows: list[dict[str, str]],
    source: Source,
) -> IngestSummary:
    """One submission of the unit through the ingestion pipeline (Art. 20-23); a world is built
    of valid rows only, so any rejected row is an error here."""
    summary = ingest(
        platform,
        actor,
        provider_uscc=unit_uscc,
        item_code=item,
        rows=rows_from_json(list(rows)),
        source=source,
    )
    if summary.rejected:
        first = summary.errors[0]
        raise PcipError(f"a generated {item} row was rejected: {first.message}")
    return summary
