"""Derived deadlines (Art. 40-41; D-1, D-3; docs/facts.md#working-days): a year without an official
schedule, then loading it; the overdue watch and the operator's queue."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip.calendar.schedule import parse_schedule
from pcip.db import Base
from pcip.flows.schedules import load_schedule
from pcip.kernel.audit.models import AuditEvent
from pcip.objections import service
from pcip.objections.deadlines import PERIODS, Deadline, deadlines
from pcip.objections.log import get
from pcip.objections.tracking import OVERDUE_ACTION, overdue_check, queue
from tests.calendar.builders_2027 import HOLIDAYS_2027, schedule_2027_json
from tests.objections.builders import AS_OPERATOR, SYSTEM, World, on


def _receive(world: World, s: Session, record: int | None = None) -> int:
    return service.receive(
        s,
        AS_OPERATOR,
        subject_id=world.company,
        record_ids=[record or world.company_records[0]],
        ground="error",
        statement="金额有误",
        applicant="重庆示例商贸有限公司",
        channel="desk",
    ).objection.id


def _found(s: Session, oid: int, today: date) -> dict[str, Deadline]:
    return {d.name: d for d in deadlines(s, get(s, oid), today)}


def test_art40_every_period_cites_its_article() -> None:
    assert {p.name: (p.working_days, p.article) for p in PERIODS} == {
        "label": (1, "Art. 40 para 2"),
        "transfer": (2, "Art. 40 para 2(2)"),
        "self_handling": (3, "Art. 40 para 2(1)"),
        "pu_handling": (3, "Art. 40 para 2(2)"),
        "notice": (5, "Art. 40 para 3"),
        "reexam": (3, "Art. 40 para 4"),
    }
    assert [p.name for p in PERIODS if not p.pausable] == ["label", "transfer"]  # D-3


def test_art40_year_boundary_into_unloaded_year_is_provisional_then_recounted(
    world: World,
) -> None:
    p = world.platform
    today = date(2026, 12, 29)
    with on("2026-12-29"), p.transaction() as s:
        oid = _receive(world, s)
        before = _found(s, oid, today)
    # 2027 is not announced: weekends and statutory days only, so every date is provisional
    # (December reach-back included).
    assert {n: d.due.isoformat() for n, d in before.items()} == {
        "label": "2026-12-30",
        "transfer": "2026-12-31",
        "self_handling": "2027-01-04",
        "notice": "2027-01-06",
    }
    assert all(d.provisional for d in before.values())
    # The (hypothetical) official 2027 notice reaches back and gives Thu 2026-12-31 off.
    schedule = parse_schedule(schedule_2027_json(holidays=["2026-12-31", *HOLIDAYS_2027]))
    with on("2026-12-29", 11), p.transaction() as s:
        load_schedule(s, SYSTEM, schedule)
    with p.transaction() as s:
        after = _found(s, oid, today)
    assert {n: d.due.isoformat() for n, d in after.items()} == {
        "label": "2026-12-30",
        "transfer": "2027-01-04",
        "self_handling": "2027-01-05",
        "notice": "2027-01-07",
    }
    assert not any(d.provisional for d in after.values())


def test_art40_overdue_check_reports_each_missed_step_once(world: World) -> None:
    p = world.platform
    with on("2024-09-27"), p.transaction() as s:
        oid = _receive(world, s)
    with on("2024-10-08"), p.transaction() as s:
        first = overdue_check(s, SYSTEM, date(2024, 10, 8))
        again = overdue_check(s, SYSTEM, date(2024, 10, 8))
    assert {(o.objection_id, o.deadline.name) for o in first} == {(oid, "label"), (oid, "transfer")}
    assert again == []
    with on("2024-10-09"), p.transaction() as s:
        service.apply_label(s, AS_OPERATOR, oid)  # done late: it stays a missed step
        later = overdue_check(s, SYSTEM, date(2024, 10, 9))
        rows = s.execute(
            select(AuditEvent.article, AuditEvent.details).where(
                AuditEvent.action == OVERDUE_ACTION
            )
        ).all()
    assert [o.deadline.name for o in later] == ["self_handling"]
    assert len(rows) == 3
    assert {r.details["deadline"]: r.article for r in rows}["label"] == "Art. 40 para 2"


def test_art40_met_late_step_is_overdue_and_met_in_time_is_not(world: World) -> None:
    p = world.platform
    with on("2024-09-27"), p.transaction() as s:
        oid = _receive(world, s)
    with on("2024-09-30"), p.transaction() as s:
        service.apply_label(s, AS_OPERATOR, oid)  # due Sun 09-29: one day late
        service.transfer(s, AS_OPERATOR, oid)  # due Mon 09-30: in time
        found = _found(s, oid, date(2024, 9, 30))
    assert found["label"].met_on == date(2024, 9, 30) and found["label"].overdue
    assert not found["transfer"].overdue and found["transfer"].days_left is None


def test_art40_queue_orders_open_cases_by_next_due_date(world: World) -> None:
    p = world.platform
    with on("2024-09-27"), p.transaction() as s:
        late = _receive(world, s)
    with on("2024-09-30"), p.transaction() as s:
        early_recv = _receive(world, s, world.company_records[1])
    with on("2024-10-08"), p.transaction() as s:
        closed = _receive(world, s)
        service.apply_label(s, AS_OPERATOR, closed)
        service.start_self_review(s, AS_OPERATOR, closed)
        service.decide(s, AS_OPERATOR, closed, outcome="upheld", reasons="无误")
        service.notify(s, AS_OPERATOR, closed)
        service.close(s, AS_OPERATOR, closed)
        cases = queue(s, date(2024, 10, 8))
    assert [c.objection.id for c in cases] == [late, early_recv]
    nxt = cases[0].next_due
    assert nxt is not None and nxt.name == "label" and nxt.days_left is not None
    assert nxt.days_left < 0


def test_art40_no_due_date_is_stored() -> None:
    """docs/design.md#principle-2: deadlines are derived; no case table has a due-date column."""
    tables = ("objection", "objection_event", "objection_record", "objection_evidence")
    columns = {c.name for t in tables for c in Base.metadata.tables[t].columns}
    assert not any("due" in c or "deadline" in c for c in columns)
