"""Issue 14.9, Art. 40 para 4: re-examination after a case is closed, and paper applications.

Decision (docs/objections.md): the Regulations set no time limit for applying, so the platform
sets none; closing a case files it in the archive and does not end the right. A case is
re-examined once; the re-examination result ends the objection procedure (Art. 46 remains).
The notice says exactly this, and the state machine does exactly this. The department's staff
register a paper application received at its window, dated when it arrived.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from pcip.errors import Conflict, ValidationError
from pcip.objections import service, tracking
from pcip.objections.deadlines import deadlines
from pcip.objections.log import get
from pcip.objections.models import Notice, ObjectionEvent
from pcip.objections.states import Kind, Position, State
from tests.objections.builders import AS_DRC, AS_OPERATOR, DRC, PDF, World, on, subject_of

DOCS = Path(__file__).parents[2] / "docs" / "objections.md"
CST_9 = "+08:00"


def _notified_and_closed(world: World) -> int:
    with on("2024-09-27"), world.platform.transaction() as s:
        oid = service.receive(
            s,
            AS_OPERATOR,
            subject_id=world.company,
            record_ids=[world.company_records[0]],
            ground="error",
            statement="罚款金额有误",
            applicant="重庆示例商贸有限公司",
            channel="desk",
        ).objection.id
    with on("2024-09-29"), world.platform.transaction() as s:
        service.apply_label(s, AS_OPERATOR, oid)
        service.start_self_review(s, AS_OPERATOR, oid)
        service.decide(s, AS_OPERATOR, oid, outcome="upheld", reasons="经核实，信息无误。")
        service.notify(s, AS_OPERATOR, oid)
        service.close(s, AS_OPERATOR, oid, "结案归档")
    return oid


def test_art40_4_issue14_9_a_closed_case_can_be_reexamined_once(world: World) -> None:
    oid = _notified_and_closed(world)
    with on("2024-11-04"), world.platform.transaction() as s:  # weeks later: no time limit
        assert service.state(s, oid) is State.CLOSED
        service.request_reexam(s, subject_of(s, oid), oid, statement="对处理结果不服，申请复核。")
        assert service.state(s, oid) is State.REEXAM_REQUESTED
        # The case is open again: on the department's list, with its deadline.
        waiting = tracking.in_reexamination(tracking.open_cases(s, date(2024, 11, 4)))
        assert [c.objection.id for c in waiting] == [oid]
        reexam = next(d for d in deadlines(s, get(s, oid), date(2024, 11, 4)) if d.name == "reexam")
        assert reexam.start == date(2024, 11, 4) and reexam.due == date(2024, 11, 7)
    with on("2024-11-06"), world.platform.transaction() as s:
        service.decide_reexam(s, AS_DRC, oid, outcome="upheld", reasons="原处理正确。")
        notice = service.notify(s, AS_DRC, oid)
        service.close(s, AS_OPERATOR, oid)
    # The result notice says the procedure ends here and which remedies remain.
    assert "concludes this objection" in notice.html and "Article 46" in notice.html
    with (
        pytest.raises(Conflict) as exc,
        on("2024-11-08"),
        world.platform.transaction() as s,
    ):
        service.request_reexam(s, subject_of(s, oid), oid, statement="再次申请复核。")
    assert exc.value.field == "state" and "already re-examined" in exc.value.message


def test_art40_4_issue14_9_the_notice_the_code_and_the_docs_agree(world: World) -> None:
    oid = _notified_and_closed(world)
    with world.platform.transaction() as s:
        [notice] = list(s.scalars(select(Notice).where(Notice.objection_id == oid)))
    # The notice: no time limit, also after the case is closed, once.
    assert "The Regulations set no time limit for" in notice.html
    assert "even after this objection is closed" in notice.html
    assert "An objection is re-examined once" in notice.html
    assert "条例未规定申请复核的期限，本平台亦不设期限" in notice.html
    # The code: exactly so.
    assert Position(State.CLOSED).allowed(Kind.REEXAM_REQUESTED)
    assert Position(State.NOT_ACCEPTED).allowed(Kind.REEXAM_REQUESTED)
    assert not Position(State.CLOSED, reexamined=True).allowed(Kind.REEXAM_REQUESTED)
    # The docs: the decision and its reason.
    text = DOCS.read_text(encoding="utf-8")
    assert "no time limit" in text and "re-examined once" in text


def test_art40_4_issue14_9_department_registers_a_paper_application(world: World) -> None:
    oid = _notified_and_closed(world)
    arrived = datetime.fromisoformat(f"2024-10-08T16:30:00{CST_9}")
    with on("2024-10-10"), world.platform.transaction() as s:
        service.register_reexam(
            s,
            AS_DRC,
            oid,
            applicant="重庆示例商贸有限公司（委托代理人王律师）",
            channel="desk",
            statement="书面申请复核，附处罚决定书复印件。",
            received_at=arrived,
            evidence=[PDF],
            files_dir=world.files_dir,
        )
        event = s.scalars(
            select(ObjectionEvent).where(
                ObjectionEvent.objection_id == oid,
                ObjectionEvent.kind == Kind.REEXAM_REQUESTED.value,
            )
        ).one()
        # The department's 3 working days run from the day its window received it.
        reexam = next(
            d for d in deadlines(s, get(s, oid), date(2024, 10, 10)) if d.name == "reexam"
        )
    assert event.payload["channel"] == "desk" and event.payload["received_at"].startswith(
        "2024-10-08T16:30"
    )
    assert event.payload["applicant"].startswith("重庆示例商贸有限公司")
    assert event.actor == str(DRC) and len(event.payload["evidence"]) == 1
    assert reexam.start == date(2024, 10, 8) and reexam.due == date(2024, 10, 11)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"received_at": "2024-10-11T09:00:00+08:00"}, "received_at"),  # in the future
        ({"received_at": "2024-09-28T09:00:00+08:00"}, "received_at"),  # before the notice
        ({"channel": "web"}, "channel"),
        ({"applicant": "  "}, "applicant"),
        ({"statement": ""}, "statement"),
    ],
)
def test_art40_4_issue14_9_a_paper_application_is_checked_naming_the_field(
    world: World, change: dict[str, str], field: str
) -> None:
    oid = _notified_and_closed(world)
    values: dict[str, str] = {
        "applicant": "申请人",
        "channel": "desk",
        "statement": "申请复核",
        "received_at": "2024-10-08T09:00:00+08:00",
        **change,
    }
    with (
        pytest.raises(ValidationError) as exc,
        on("2024-10-10"),
        world.platform.transaction() as s,
    ):
        service.register_reexam(
            s,
            AS_DRC,
            oid,
            applicant=values["applicant"],
            channel=values["channel"],
            statement=values["statement"],
            received_at=datetime.fromisoformat(values["received_at"]),
        )
    assert exc.value.field == field
    with world.platform.transaction() as s:
        assert service.state(s, oid) is State.CLOSED
