"""Art. 46: complaints with their handling steps and working-day deadlines; reconsideration and
litigation cases linked to what they concern; measures stay in force unless a decision
suspends them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from pcip import clock
from pcip.auth.permissions import Principal
from pcip.complaints import cases, deadlines, service
from pcip.complaints.schemas import (
    CaseDecisionIn,
    CaseIn,
    ComplaintIn,
    StepIn,
    SuspensionIn,
)
from pcip.errors import Conflict, Forbidden, NotFound, ValidationError
from pcip.flows.schedules import DEADLINE_HOLDERS
from pcip.kernel.actors import Actor
from pcip.kernel.audit.models import AuditEvent
from pcip.kernel.enums import ActorKind
from pcip.kernel.platform import Platform
from pcip.lists.models import Designation
from tests.lists.support import operator
from tests.revocation.support import (
    BASIS,
    CHECKED,
    company_id,
    credit_check,
    listed_on_basis,
    records_on,
    unit_staff,
)

RECEIVED = date(2026, 12, 1)  # Tue


def _subject(sid: int) -> Principal:
    return Principal.internal(Actor(ActorKind.SUBJECT, str(sid), "org"), subject_id=sid)


def _lodge(platform: Platform, who: Principal, **kw: Any) -> int:
    body = ComplaintIn.model_validate(
        {
            "category": "disclosure",
            "against": "重庆市市场监督管理局",
            "description": "已撤销的处罚仍在公示",
        }
        | kw
    )
    with clock.frozen(RECEIVED), platform.transaction() as s:
        return service.lodge(s, who, body, "portal").id


def test_art46_a_complaint_walks_received_accepted_answered_within_its_deadlines(
    platform: Platform, api_world_data: Any
) -> None:
    sid = company_id(platform, api_world_data.org_uscc)
    [record_id] = records_on(platform, BASIS)
    cid = _lodge(platform, _subject(sid), record_ids=[record_id])
    with clock.frozen(RECEIVED), platform.transaction() as s:
        out = service.out(s, service.get(s, _subject(sid), cid))
    assert out.state == "received" and out.concerns[0].target_id == record_id
    # Accept within 5 WD, answer within 15 WD of Tue 1 Dec 2026 (the start day not counted).
    assert {d.name: d.due for d in out.deadlines} == {
        "accept": date(2026, 12, 8),
        "answer": date(2026, 12, 22),
    }
    with clock.frozen(date(2026, 12, 3)), platform.transaction() as s:
        service.step(s, operator(), cid, StepIn(step="accepted", note="已受理"))
    with clock.frozen(date(2026, 12, 23)), platform.transaction() as s:
        late = service.out(s, service.get(s, operator(), cid))
        assert [d.overdue for d in late.deadlines] == [False, True]
        service.step(s, operator(), cid, StepIn(step="answered", note="经核查，已停止公示"))
        with pytest.raises(Conflict, match="is answered"):
            service.step(s, operator(), cid, StepIn(step="accepted", note="x"))
        done = service.out(s, service.get(s, operator(), cid))
        assert [st.step for st in done.steps] == ["received", "accepted", "answered"]
        assert done.deadlines[1].met_on == date(2026, 12, 23)
        assert s.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "complaint")
            .order_by(AuditEvent.seq)
        ).all() == [
            "complaint.received",
            "complaint.accepted",
            "complaint.answered",
        ]


def test_art46_market_disputes_are_redirected_and_others_cannot_be(
    platform: Platform, api_world_data: Any
) -> None:
    sid = company_id(platform, api_world_data.org_uscc)
    market = _lodge(platform, _subject(sid), category="market_dispute", against="某征信机构")
    other = _lodge(platform, _subject(sid))
    with clock.frozen(RECEIVED), platform.transaction() as s:
        service.step(s, operator(), market, StepIn(step="redirected", note="请向人民银行投诉"))
        assert [d.name for d in service.out(s, service.get(s, operator(), market)).deadlines] == [
            "accept"
        ]
        with pytest.raises(ValidationError, match="market credit"):
            service.step(s, operator(), other, StepIn(step="redirected", note="x"))


def test_art46_a_subject_sees_only_its_own_complaints(
    platform: Platform, api_world_data: Any
) -> None:
    sid = company_id(platform, api_world_data.org_uscc)
    cid = _lodge(platform, _subject(sid))
    with platform.transaction() as s:
        with pytest.raises(NotFound):
            service.get(s, _subject(sid + 100), cid)
        with pytest.raises(Forbidden):
            service.step(s, _subject(sid), cid, StepIn(step="accepted", note="x"))
        assert [c.id for c in service.mine(s, _subject(sid))] == [cid]
    with pytest.raises(NotFound), clock.frozen(RECEIVED), platform.transaction() as s:
        other_record = 10**6
        service.lodge(
            s,
            _subject(sid),
            ComplaintIn(category="use", against="x", description="y", record_ids=[other_record]),
            "portal",
        )


def test_art46_litigation_leaves_the_measure_in_force_until_a_decision_suspends_it(
    platform: Platform, api_world_data: Any
) -> None:
    org = api_world_data.org_uscc
    who = unit_staff(platform)
    did = listed_on_basis(platform, who, org)
    sid = company_id(platform, org)
    with clock.frozen(CHECKED), platform.transaction() as s:
        case = cases.record_case(
            s,
            operator(),
            CaseIn(
                kind="litigation",
                subject_id=sid,
                case_number="（2026）渝0103行初200号",
                body="重庆市渝中区人民法院",
                act="列入严重违法失信名单决定",
                filed_on=CHECKED,
                designation_ids=[did],
            ),
        )
        case_id = case.id
    from pcip.inquiry.schemas import Channel, SubjectRef
    from pcip.measures import checks
    from pcip.measures.schemas import CheckIn

    def answer(on: date) -> list[Any]:
        body = CheckIn(
            subject=SubjectRef(uscc=org), matter="procurement", purpose="政府采购供应商资格审查"
        )
        with clock.frozen(on), platform.transaction() as s:
            return checks.check(s, platform.keyring, who, body, Channel.API).measures

    [m] = answer(CHECKED)
    assert m.designation_id == did and not m.suspended  # filing suspends nothing (Art. 46)
    with platform.transaction() as s:
        d = s.get(Designation, did)
        assert d is not None and d.ended_on is None
    with clock.frozen(date(2026, 12, 11)), platform.transaction() as s:
        with pytest.raises(ValidationError, match="does not concern"):
            cases.suspend(
                s,
                operator(),
                case_id,
                SuspensionIn(
                    application_id=1,
                    effective_on=date(2026, 12, 11),
                    document_number="x",
                    document_issuer="y",
                    document_date=date(2026, 12, 11),
                ),
            )
        cases.suspend(
            s,
            operator(),
            case_id,
            SuspensionIn(
                designation_id=did,
                effective_on=date(2026, 12, 11),
                document_number="（2026）渝0103行初200号之一",
                document_issuer="重庆市渝中区人民法院",
                document_date=date(2026, 12, 11),
            ),
        )
    [before] = answer(date(2026, 12, 10))
    [after] = answer(date(2026, 12, 11))
    assert not before.suspended
    assert after.suspended and after.suspended_on == date(2026, 12, 11)
    assert after.suspended_by == "重庆市渝中区人民法院 （2026）渝0103行初200号之一"
    with clock.frozen(date(2026, 12, 14)), platform.transaction() as s:
        cases.decide(
            s,
            operator(),
            case_id,
            CaseDecisionIn(outcome="revoked", on=date(2026, 12, 14), document_number="判决 1"),
        )
        out = cases.out(s, cases.get(s, operator(), case_id))
        assert out.state == "decided" and out.outcome == "revoked"
        assert out.next_step and "Art. 44" in out.next_step
        assert [x.target_type for x in out.concerns] == ["designation"]
        with pytest.raises(Conflict, match="already decided"):
            cases.decide(
                s,
                operator(),
                case_id,
                CaseDecisionIn(outcome="upheld", on=date(2026, 12, 14), document_number="2"),
            )
    assert credit_check(platform, who, org, CHECKED) is not None


def test_art46_d1_complaint_deadlines_are_recounted_when_a_schedule_loads() -> None:
    assert deadlines.recount in DEADLINE_HOLDERS
    assert deadlines.ACCEPT.article == "Art. 46" and "D-9" in deadlines.ACCEPT.citation


def test_art46_d9_a_wrong_time_limit_file_is_refused_naming_the_field(tmp_path: Any) -> None:
    bad = tmp_path / "deadlines.yaml"
    bad.write_text(
        "format: pcip.complaint-deadlines/1\nperiods:\n"
        "- {name: accept, working_days: 0, article: Art. 46, citation: 'cited somewhere'}\n"
        "- {name: answer, working_days: 15, article: Art. 46, citation: 'cited somewhere'}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as err:
        deadlines.load_periods(bad)
    assert err.value.field == "periods.0.working_days"
