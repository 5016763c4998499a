"""Filings with the development and reform department and the public directory (Art. 47, 49).

Art. 49 para 1: a reporting or rating establishment holds a permit or state filing and is
overseen by the credit reporting oversight body: its permit number is required. Art. 49 para 2:
establishments in other lines (information inquiry, risk control, ...) file with the
development and reform department. A filing carries its documents, business scope and
data-security measures (Art. 52 para 2); the directory shows public fields only.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, Principal, require
from pcip.errors import Conflict, NotFound, ValidationError
from pcip.establishments.models import Establishment
from pcip.establishments.schemas import (
    DirectoryEntry,
    Document,
    EstablishmentOut,
    FilingIn,
)
from pcip.identity.uscc import validate_uscc
from pcip.kernel import audit
from pcip.kernel.messages import msg

#: Art. 49 para 1: permits or state filings, overseen by the credit reporting oversight body.
PERMIT_CATEGORIES = frozenset({"credit_reporting", "rating"})


def file(session: Session, principal: Principal, body: FilingIn) -> Establishment:
    """Record a filing (Art. 49) and give it its filing number; audited in the same
    transaction."""
    require(principal, Permission.ESTABLISHMENT_SUPERVISE)
    uscc = validate_uscc(body.uscc, field="uscc").normalized
    if body.category in PERMIT_CATEGORIES and not body.permit_number:
        raise ValidationError(
            msg("establishments.permit_needed"),
            field="permit_number",
        )
    if session.scalar(select(Establishment.id).where(Establishment.uscc == uscc)) is not None:
        raise Conflict(msg("establishments.already_filed"), field="uscc")
    today = clock.today()
    row = Establishment(
        uscc=uscc,
        name=body.name,
        category=body.category,
        business_scope=body.business_scope,
        data_security=body.data_security,
        documents=[d.model_dump() for d in body.documents],
        permit_number=body.permit_number,
        contact=body.contact,
        filing_number="pending",
        filed_on=today,
        filed_by=str(principal.actor),
        recorded_at=clock.now(),
    )
    session.add(row)
    session.flush()
    row.filing_number = f"CQ-XYFW-{today.year}-{row.id:05d}"
    session.flush()
    audit.record(
        session,
        principal.actor,
        "establishment.filed",
        object_type="establishment",
        object_id=row.id,
        article="Art. 49",
        details={"uscc": uscc, "category": body.category, "filing_number": row.filing_number},
    )
    return row


def get(session: Session, establishment_id: int) -> Establishment:
    row = session.get(Establishment, establishment_id)
    if row is None:
        raise NotFound(
            msg("establishments.no_establishment", id=establishment_id), field="establishment_id"
        )
    return row


def entry(row: Establishment) -> DirectoryEntry:
    return DirectoryEntry(
        id=row.id,
        name=row.name,
        uscc=row.uscc,
        category=row.category,
        business_scope=row.business_scope,
        filing_number=row.filing_number,
        permit_number=row.permit_number,
        filed_on=row.filed_on,
    )


def out(row: Establishment) -> EstablishmentOut:
    return EstablishmentOut(
        **entry(row).model_dump(),
        data_security=row.data_security,
        documents=[Document.model_validate(d) for d in row.documents],
        contact=row.contact,
        cancelled_on=row.cancelled_on,
    )


def directory(
    session: Session, principal: Principal, category: str | None = None
) -> list[DirectoryEntry]:
    """Art. 47, 49: the filed establishments not cancelled, public fields only, by name;
    filtered by category (Art. 47 categorical regulation) when one is given."""
    require(principal, Permission.ESTABLISHMENT_DIRECTORY)
    q = select(Establishment).where(Establishment.cancelled_on.is_(None))
    if category:
        q = q.where(Establishment.category == category)
    return [entry(r) for r in session.scalars(q.order_by(Establishment.name, Establishment.id))]


def all_filings(session: Session, principal: Principal) -> list[EstablishmentOut]:
    """Every filing, cancelled ones too (the development and reform department's view)."""
    require(principal, Permission.ESTABLISHMENT_SUPERVISE)
    return [out(r) for r in session.scalars(select(Establishment).order_by(Establishment.id))]
