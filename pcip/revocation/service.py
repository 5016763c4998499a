"""Art. 44: a basis document revoked or changed withdraws or updates what rests on it.

Staff register the document that revoked or changed the basis (a unit's notice, a
reconsideration decision, a court judgment: its number, issuing body, date, and the uploaded
file or a reference); a unit's feed sends the same through the API or the CLI. In ONE
transaction (the caller's):

* revoked: every record whose current version rests on the document gets a dated
  ``basis_revoked`` fact, which the disclosure rules read (no longer provided in any mode but
  the subject's own, where it shows as withdrawn with its reason); every listing resting on it
  is revoked through the lists' own step (``pcip.lists.designation.revoke``), which ends its
  Art. 33 linked persons' records the same day (D-7);
* amended: the changed basis is stored as a new basis document and every record gets a new
  version resting on it (append-only; the old version stays in the history);
* each record or listing is listed as a ``BasisChangeItem`` for the departments that received it
  (``pcip.revocation.queries``), and one audit row names the document and the counts.

Nothing is deleted. A record the change already concerns is not changed twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, Principal, require
from pcip.catalog.models import CatalogItem
from pcip.catalog.schemas import FieldRole, ItemSpec
from pcip.errors import Conflict, NotFound, ValidationError
from pcip.kernel import audit
from pcip.kernel.audit.service import keyring_of
from pcip.kernel.enums import ActorKind
from pcip.kernel.messages import msg
from pcip.lists import designation as designations
from pcip.lists.models import Designation
from pcip.lists.schemas import RevokeIn
from pcip.lists.states import State
from pcip.records.models import BasisDocument, CreditRecord, RecordEvent, RecordVersion
from pcip.records.service import BasisFacts, RecordFacts, content_hash
from pcip.revocation.models import BasisChange, BasisChangeItem
from pcip.revocation.schemas import ChangeIn

ARTICLE = "Art. 44"
#: The lists' word for what revoked a listing, by the kind of document registered here.
_LIST_CAUSE = {
    "unit_notice": "unit_correction",
    "reconsideration": "reconsideration",
    "judgment": "court_judgment",
}
#: Listings a revocation ends (a designation decided, served or listed; SM-2).
_REVOCABLE = {State.DECIDED, State.DECISION_SERVED, State.LISTED}


def find_basis(session: Session, issuer: str, number: str) -> BasisDocument:
    doc = session.scalar(
        select(BasisDocument).where(
            BasisDocument.issuer == issuer.strip(), BasisDocument.number == number.strip()
        )
    )
    if doc is None:
        raise NotFound(
            msg("revocation.no_basis", number=number.strip(), issuer=issuer.strip()),
            field="basis_number",
        )
    return doc


def _current_versions(session: Session, basis_id: int) -> list[RecordVersion]:
    """The current version of every record that rests on the document now."""
    latest = (
        select(RecordVersion.record_id, func.max(RecordVersion.version).label("v"))
        .group_by(RecordVersion.record_id)
        .subquery()
    )
    return list(
        session.scalars(
            select(RecordVersion)
            .join(
                latest,
                (latest.c.record_id == RecordVersion.record_id)
                & (latest.c.v == RecordVersion.version),
            )
            .where(RecordVersion.basis_id == basis_id)
            .order_by(RecordVersion.record_id)
        )
    )


def _listings(session: Session, doc: BasisDocument, extra: list[int]) -> list[Designation]:
    """Listings decided on the document (its number as the decision number or case
    reference, by the same authority), and those the registration names."""
    rows = list(
        session.scalars(
            select(Designation)
            .where(
                or_(
                    (Designation.deciding_authority == doc.issuer)
                    & or_(
                        Designation.decision_number == doc.number,
                        Designation.case_ref == doc.number,
                    ),
                    Designation.id.in_(extra),
                )
            )
            .order_by(Designation.id)
        )
    )
    missing = sorted(set(extra) - {d.id for d in rows})
    if missing:
        raise NotFound(msg("revocation.no_designation", id=missing[0]), field="designation_ids")
    return rows


def _may_act(
    session: Session, principal: Principal, versions: list[RecordVersion], listings: list[Any]
) -> None:
    """A unit registers changes to the documents its own records or listings rest on; the
    operator (the platform's staff) any. Someone else's document is not found."""
    if principal.role is ActorKind.OPERATOR:
        return
    ids = [v.record_id for v in versions]
    own = session.scalar(
        select(func.count())
        .select_from(CreditRecord)
        .where(CreditRecord.id.in_(ids), CreditRecord.provider_id == principal.provider_id)
    )
    if own or any(d.provider_id == principal.provider_id for d in listings):
        return
    raise NotFound(msg("revocation.not_your_basis"), field="basis")


def _file_digest(content: bytes | None, name: str | None) -> tuple[str | None, str | None]:
    if content is None:
        return None, None
    if not content:
        raise ValidationError(msg("revocation.empty_document"), field="file")
    return (name or "document")[:255], hashlib.sha256(content).hexdigest()


def register(
    session: Session,
    principal: Principal,
    body: ChangeIn,
    *,
    channel: str,
    file: bytes | None = None,
    file_name: str | None = None,
) -> BasisChange:
    """Art. 44: register the document and withdraw or update everything resting on the basis
    (see the module notes). The caller's transaction holds it all: nothing is half-applied."""
    require(principal, Permission.REVOCATION_REGISTER)
    today = clock.today()
    doc = find_basis(session, body.basis_issuer, body.basis_number)
    on = body.effective_on or today
    if on < body.document_date:
        raise ValidationError(
            msg("revocation.before_document", day=body.document_date.isoformat()),
            field="effective_on",
        )
    if body.document_date > today:
        raise ValidationError(msg("revocation.document_in_future"), field="document_date")
    if body.document_ref is None and file is None:
        raise ValidationError(msg("revocation.document_needed"), field="document_ref")
    revoked = session.scalar(
        select(BasisChange.id).where(BasisChange.basis_id == doc.id, BasisChange.kind == "revoked")
    )
    if revoked is not None:
        raise Conflict(msg("revocation.already_revoked", number=doc.number, change=revoked))
    versions = _current_versions(session, doc.id)
    listings = _listings(session, doc, body.designation_ids) if body.kind == "revoked" else []
    _may_act(session, principal, versions, listings)
    if not versions and not listings:
        raise Conflict(msg("revocation.nothing_rests", number=doc.number))
    name, digest = _file_digest(file, file_name)
    replacement = _new_basis(session, doc, body) if body.kind == "amended" else None
    change = BasisChange(
        basis_id=doc.id,
        kind=body.kind,
        replacement_basis_id=replacement.id if replacement else None,
        document_kind=body.document_kind,
        document_number=body.document_number.strip(),
        document_issuer=body.document_issuer.strip(),
        document_date=body.document_date,
        document_name=name,
        document_sha256=digest,
        document_ref=body.document_ref,
        effective_on=on,
        reason=body.reason,
        channel=channel,
        provider_id=principal.provider_id,
        recorded_at=clock.now(),
        recorded_by=str(principal.actor),
    )
    session.add(change)
    session.flush()
    items: list[BasisChangeItem] = []
    for v in versions:
        if replacement is None:
            _withdraw(session, principal, change, v, on)
            effect = "withdrawn"
        else:
            _update(session, principal, change, v, doc, replacement)
            effect = "updated"
        items.append(
            BasisChangeItem(
                target_type="record",
                target_id=v.record_id,
                subject_id=v.subject_id,
                effect=effect,
                change_id=change.id,
            )
        )
    for d in listings:
        if designations.out(session, d).state not in _REVOCABLE:
            continue  # already ended (removed, expired, revoked) or not yet decided
        designations.revoke(
            session,
            principal
            if principal.role is ActorKind.OPERATOR or d.provider_id == principal.provider_id
            else _as_operator(principal),
            d.id,
            RevokeIn(
                cause=_LIST_CAUSE[body.document_kind],
                reason=f"{body.document_issuer} {body.document_number}: {body.reason}",
                on=max(on, d.decided_on or on),
            ),
        )
        items.append(
            BasisChangeItem(
                target_type="designation",
                target_id=d.id,
                subject_id=d.subject_id,
                effect="revoked",
                change_id=change.id,
            )
        )
    session.add_all(items)
    audit.record(
        session,
        principal.actor,
        f"basis.{body.kind}",
        object_type="basis_document",
        object_id=doc.id,
        article=ARTICLE,
        details={
            "change_id": change.id,
            "basis_number": doc.number,
            "document_kind": body.document_kind,
            "document_number": change.document_number,
            "document_issuer": change.document_issuer,
            "document_sha256": digest,
            "effective_on": on.isoformat(),
            "channel": channel,
            "records": [v.record_id for v in versions],
            "designations": [i.target_id for i in items if i.target_type == "designation"],
            "replacement_basis_id": change.replacement_basis_id,
        },
    )
    session.flush()
    return change


def _as_operator(principal: Principal) -> Principal:
    """A unit's revocation of its own basis also ends another department's listing decided on
    it: the platform applies Art. 44 on its behalf (the audit row names the unit)."""
    return replace(principal, role=ActorKind.OPERATOR)


def _withdraw(
    session: Session, principal: Principal, change: BasisChange, v: RecordVersion, on: date
) -> None:
    session.add(
        RecordEvent(
            record_id=v.record_id,
            subject_id=v.subject_id,
            kind="basis_revoked",
            effective_on=on,
            cause_type="basis_change",
            cause_id=change.id,
            note=f"{change.document_issuer} {change.document_number}: {change.reason}",
            recorded_at=clock.now(),
            recorded_by=str(principal.actor),
        )
    )


def _new_basis(session: Session, doc: BasisDocument, body: ChangeIn) -> BasisDocument:
    new = body.new_basis
    assert new is not None  # the schema requires it for a change
    if (new.issuer.strip(), new.number.strip()) == (doc.issuer, doc.number):
        raise ValidationError(msg("revocation.new_number"), field="new_basis.number")
    taken = session.scalar(
        select(BasisDocument.id).where(
            BasisDocument.issuer == new.issuer.strip(), BasisDocument.number == new.number.strip()
        )
    )
    if taken is not None:
        raise Conflict(msg("revocation.basis_on_file", number=new.number, issuer=new.issuer))
    row = BasisDocument(
        doc_type=doc.doc_type,
        number=new.number.strip(),
        issuer=new.issuer.strip(),
        issuer_uscc=doc.issuer_uscc,
        title=new.title or doc.title,
        decision_date=new.decision_date,
        effective_date=new.effective_date,
        designation_citation=doc.designation_citation,
        recorded_at=clock.now(),
    )
    session.add(row)
    session.flush()
    return row


_BASIS_ROLES = {
    FieldRole.BASIS_NUMBER: "number",
    FieldRole.BASIS_ISSUER: "issuer",
    FieldRole.BASIS_TITLE: "title",
    FieldRole.BASIS_DECISION_DATE: "decision_date",
    FieldRole.BASIS_EFFECTIVE_DATE: "effective_date",
}


def _update(
    session: Session,
    principal: Principal,
    change: BasisChange,
    v: RecordVersion,
    old: BasisDocument,
    new: BasisDocument,
) -> RecordVersion:
    """The record as it rests on the changed basis: a new version, the old one kept."""
    item = session.get(CatalogItem, v.item_id)
    assert item is not None
    spec = ItemSpec.model_validate(item.spec)
    payload = dict(v.payload)
    for f in spec.fields:
        attr = _BASIS_ROLES.get(f.role) if f.role is not None else None
        if attr is None:
            continue
        value = getattr(new, attr)
        payload[f.name] = value.isoformat() if isinstance(value, date) else (value or "")
    facts = RecordFacts(
        severity=v.severity,
        conduct_end_date=v.conduct_end_date,
        valid_from=v.valid_from,
        valid_to=v.valid_to,
        publicity_end=v.publicity_end,
    )
    basis = BasisFacts(
        doc_type=new.doc_type,
        number=new.number,
        issuer=new.issuer,
        decision_date=new.decision_date,
        effective_date=new.effective_date,
        issuer_uscc=new.issuer_uscc,
        title=new.title,
        designation_citation=new.designation_citation,
    )
    version = RecordVersion(
        record_id=v.record_id,
        subject_id=v.subject_id,
        version=v.version + 1,
        item_id=v.item_id,
        payload=payload,
        basis_id=new.id,
        severity=v.severity,
        conduct_end_date=v.conduct_end_date,
        valid_from=v.valid_from,
        valid_to=v.valid_to,
        publicity_end=v.publicity_end,
        batch_id=None,
        content_sha256=content_hash(keyring_of(session), payload, basis, facts),
        reason=(
            f"Art. 44: basis document {old.number} changed to {new.number} by "
            f"{change.document_issuer} {change.document_number}"
        ),
        cause_type="basis_change",
        cause_id=change.id,
        recorded_at=clock.now(),
        recorded_by=str(principal.actor),
    )
    session.add(version)
    return version


def get(session: Session, principal: Principal, change_id: int) -> BasisChange:
    require(principal, Permission.REVOCATION_READ)
    change = session.get(BasisChange, change_id)
    if change is None or (
        principal.role is ActorKind.PROVIDER and change.provider_id != principal.provider_id
    ):
        raise NotFound(msg("revocation.no_change", id=change_id), field="change_id")
    return change
