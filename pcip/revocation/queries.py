"""Art. 44: the changes each department must apply to data it received, until the exchange
change feed exists ("not yet": ``pcip.exchange`` is being built).

A department received a record when one of its authority inquiries returned it (the inquiry
log lists the records and versions returned, Art. 22), and a listing when one of its credit
checks (logged as authority inquiries with a ``credit_check:`` purpose) asked about the
listed subject while the listing was in force. Both come from the inquiry log, which is the
platform's truthful record of who read what (D-18). The department is the organisation the
log names (``inquirer_display``).
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip.auth.permissions import Permission, Principal, require
from pcip.clock import legal_day
from pcip.inquiry.models import InquiryLog
from pcip.kernel.enums import ActorKind, InquiryMode
from pcip.lists.models import Designation
from pcip.providers.models import Provider
from pcip.records.models import BasisDocument
from pcip.revocation.models import BasisChange, BasisChangeItem
from pcip.revocation.schemas import ChangeItemOut, ChangeOut, DepartmentChangeOut

CREDIT_CHECK_PREFIX = "credit_check:"


def changes(session: Session, principal: Principal, limit: int = 200) -> list[BasisChange]:
    """The registered changes, newest first (a unit: those it registered)."""
    require(principal, Permission.REVOCATION_READ)
    query = select(BasisChange).order_by(BasisChange.id.desc()).limit(limit)
    if principal.role is ActorKind.PROVIDER:
        query = query.where(BasisChange.provider_id == principal.provider_id)
    return list(session.scalars(query))


def out(session: Session, change: BasisChange) -> ChangeOut:
    doc = session.get(BasisDocument, change.basis_id)
    assert doc is not None
    items = session.scalars(
        select(BasisChangeItem)
        .where(BasisChangeItem.change_id == change.id)
        .order_by(BasisChangeItem.id)
    )
    return ChangeOut(
        id=change.id,
        basis_id=change.basis_id,
        basis_number=doc.number,
        basis_issuer=doc.issuer,
        kind=change.kind,
        replacement_basis_id=change.replacement_basis_id,
        document_kind=change.document_kind,
        document_number=change.document_number,
        document_issuer=change.document_issuer,
        document_date=change.document_date,
        document_name=change.document_name,
        document_sha256=change.document_sha256,
        document_ref=change.document_ref,
        effective_on=change.effective_on,
        reason=change.reason,
        channel=change.channel,
        recorded_at=change.recorded_at,
        recorded_by=change.recorded_by,
        items=[
            ChangeItemOut(
                target_type=i.target_type,
                target_id=i.target_id,
                subject_id=i.subject_id,
                effect=i.effect,
            )
            for i in items
        ],
    )


def _department_of(session: Session, principal: Principal) -> str | None:
    """A unit sees its own department's list only (None: every department)."""
    if principal.role is not ActorKind.PROVIDER:
        return None
    provider = session.get(Provider, principal.provider_id)
    return provider.name if provider is not None else principal.organisation


def department_changes(
    session: Session, principal: Principal, department: str | None = None
) -> list[DepartmentChangeOut]:
    """Every change to a record or listing a department received before the change was
    registered, per department (see the module notes); newest change first."""
    require(principal, Permission.REVOCATION_READ)
    own = _department_of(session, principal)
    if own is not None:
        department = own
    rows = list(
        session.execute(
            select(BasisChangeItem, BasisChange, BasisDocument)
            .join(BasisChange, BasisChange.id == BasisChangeItem.change_id)
            .join(BasisDocument, BasisDocument.id == BasisChange.basis_id)
            .order_by(BasisChange.id.desc(), BasisChangeItem.id)
        )
    )
    if not rows:
        return []
    subjects = {item.subject_id for item, _, _ in rows}
    query = select(InquiryLog).where(
        InquiryLog.subject_id.in_(subjects), InquiryLog.mode == InquiryMode.AUTHORITY.value
    )
    if department is not None:
        query = query.where(InquiryLog.inquirer_display == department)
    logs: dict[int, list[InquiryLog]] = defaultdict(list)
    for log in session.scalars(query.order_by(InquiryLog.at)):
        logs[log.subject_id].append(log)
    listed = {
        d.id: d
        for d in session.scalars(
            select(Designation).where(
                Designation.id.in_(
                    [i.target_id for i, _, _ in rows if i.target_type == "designation"]
                )
            )
        )
    }
    out_rows: list[DepartmentChangeOut] = []
    for item, change, doc in rows:
        received: dict[str, list[InquiryLog]] = defaultdict(list)
        for log in logs.get(item.subject_id, []):
            if log.at > change.recorded_at:
                continue  # read after the change: it received the changed state
            if _received(log, item, listed):
                received[log.inquirer_display].append(log)
        for dept, got in sorted(received.items()):
            out_rows.append(
                DepartmentChangeOut(
                    department=dept,
                    change_id=change.id,
                    kind=change.kind,
                    effective_on=change.effective_on,
                    basis_number=doc.number,
                    document_number=change.document_number,
                    document_issuer=change.document_issuer,
                    target_type=item.target_type,
                    target_id=item.target_id,
                    effect=item.effect,
                    inquiry_ids=[g.id for g in got],
                    last_received_at=max(g.at for g in got),
                )
            )
    return out_rows


def _received(log: InquiryLog, item: BasisChangeItem, listed: dict[int, Designation]) -> bool:
    if item.target_type == "record":
        return any(pair and pair[0] == item.target_id for pair in log.returned or [])
    if not (log.purpose or "").startswith(CREDIT_CHECK_PREFIX):
        return False
    d = listed.get(item.target_id)
    return d is not None and d.listed_on is not None and d.listed_on <= legal_day(log.at)
