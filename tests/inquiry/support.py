"""Small readers and writers shared by the inquiry tests (straight to the database)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from pcip import clock
from pcip.demo.generators.records import Party
from pcip.inquiry.models import InquiryLog
from pcip.kernel.audit.models import AuditEvent
from pcip.kernel.enums import SubjectKind
from pcip.kernel.platform import Platform
from pcip.records.models import CreditRecord, RecordEvent
from tests.world import SECRET_A, World, _rows, submit


def log_count(platform: Platform) -> int:
    with platform.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(InquiryLog)) or 0)


def log_entry(platform: Platform, inquiry_id: int) -> dict[str, Any]:
    with platform.transaction() as s:
        e = s.get(InquiryLog, inquiry_id)
        assert e is not None
        return {c.key: getattr(e, c.key) for c in InquiryLog.__table__.columns}


def audit_events(platform: Platform, action: str) -> list[AuditEvent]:
    with platform.transaction() as s:
        rows = list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))
        s.expunge_all()
        return rows


def record_id(platform: Platform, subject_id: int, item: str) -> int:
    with platform.transaction() as s:
        rid = s.scalar(
            select(CreditRecord.id).where(
                CreditRecord.subject_id == subject_id, CreditRecord.item_code == item
            )
        )
        assert rid is not None
        return int(rid)


def add_event(platform: Platform, rid: int, kind: str, on: date) -> None:
    """A dated fact about a record, as the objection/restoration workflows write it."""
    with platform.transaction() as s:
        record = s.get(CreditRecord, rid)
        assert record is not None
        s.add(
            RecordEvent(
                record_id=rid,
                subject_id=record.subject_id,
                kind=kind,
                effective_on=on,
                recorded_at=clock.now(),
                recorded_by="test",
            )
        )


def pledge_row_a(world: World) -> dict[str, str]:
    """Person A's pledge row exactly as ``tests.world.build`` submitted it."""
    a = Party(SubjectKind.PERSON, "张三", citizen_id=world.person_a)
    return _rows(world.platform, "pledge_made", a, SECRET_A, "003")[0]


def resubmit_pledge_a(world: World, **changes: str) -> None:
    row = pledge_row_a(world)
    row.update(changes)
    submit(world.platform, "pledge_made", [row])


def by_item(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["item_code"]: r for r in records}
