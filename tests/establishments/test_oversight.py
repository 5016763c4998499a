"""Oversight orders to departments and to the platform (Art. 53-54), fed by the overdue steps
the platform detects (the objection deadlines of Art. 40)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pcip.errors import Conflict, Forbidden, NotFound, ValidationError
from pcip.establishments import oversight
from pcip.establishments.schemas import EscalationIn, FromStepIn, OversightOrderIn, ResponseIn
from pcip.kernel.audit.models import AuditEvent
from tests.establishments.support import DRC, OPERATOR
from tests.objections.builders import World, as_unit, on
from tests.objections.cases import case_in


def _late_unit_case(world: World) -> int:
    # Received Mon 2 Sep 2024, transferred and received by the unit the same day: its
    # 3 working days (Art. 40 para 2(2)) end Thu 5 Sep.
    with on("2024-09-02"):
        return case_in(world.platform, world.company, [world.company_records[0]], "pu_review")


def test_art53_a_late_unit_step_feeds_an_order_to_that_unit(world: World) -> None:
    oid = _late_unit_case(world)
    with on("2024-09-04"), world.platform.transaction() as s:
        assert [x for x in oversight.overdue_steps(s, DRC) if x.objection_id == oid] == []
    with on("2024-09-10"), world.platform.transaction() as s:
        steps = {x.step: x for x in oversight.overdue_steps(s, DRC) if x.objection_id == oid}
        step = steps["pu_handling"]
        assert step.addressee == "department" and step.provider_id == world.provider_id
        assert step.order_article == "Art. 53" and step.order_id is None
        order = oversight.issue_from_step(
            s, DRC, FromStepIn(source_key=step.source_key, requirement="三日内完成核查并说明原因")
        )
        assert order.article == "Art. 53" and order.provider_id == world.provider_id
        assert "pu_handling" in order.basis and order.working_days == 10
        with pytest.raises(Conflict):
            oversight.issue_from_step(
                s, DRC, FromStepIn(source_key=step.source_key, requirement="重复")
            )
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "oversight.order_issued"))
        assert event is not None and event.article == "Art. 53"
    with on("2024-09-10"), world.platform.transaction() as s:
        with pytest.raises(NotFound) as err:
            oversight.issue_from_step(
                s, DRC, FromStepIn(source_key=f"objection:{oid}:label", requirement="补标注")
            )
        assert err.value.field == "source_key"


def test_art54_the_platforms_own_late_step_is_addressed_to_the_operator(world: World) -> None:
    with on("2024-09-02"):
        oid = case_in(world.platform, world.company, [world.company_records[0]], "received")
    with on("2024-09-10"), world.platform.transaction() as s:
        steps = {x.step: x for x in oversight.overdue_steps(s, DRC) if x.objection_id == oid}
        assert steps["label"].addressee == "platform"
        assert steps["label"].order_article == "Art. 54"
        order = oversight.issue_from_step(
            s, DRC, FromStepIn(source_key=steps["label"].source_key, requirement="立即标注")
        )
        seen = [o.id for o in oversight.orders(s, OPERATOR)]
        assert order.id in seen
        assert oversight.orders(s, as_unit(world.provider_id)) == []
        oversight.respond(s, OPERATOR, order.id, ResponseIn(response="已标注，并调整值班安排"))
        with pytest.raises(Conflict):
            oversight.respond(s, OPERATOR, order.id, ResponseIn(response="再次"))


def test_art53_only_the_addressee_responds(world: World) -> None:
    with on("2024-09-02"), world.platform.transaction() as s:
        order = oversight.issue(
            s,
            DRC,
            OversightOrderIn(
                addressee="platform", basis="归集信息未按时公示", requirement="整改公示流程"
            ),
        )
        with pytest.raises(NotFound):
            oversight.respond(
                s, as_unit(world.provider_id), order.id, ResponseIn(response="代为答复")
            )
        with pytest.raises(Forbidden):
            oversight.respond(s, DRC, order.id, ResponseIn(response="代答"))
        with pytest.raises(ValidationError) as err:
            oversight.issue(
                s, DRC, OversightOrderIn(addressee="department", basis="未按时", requirement="整改")
            )
        assert err.value.field == "provider_uscc"


def test_art53_escalation_only_after_a_missed_period_or_a_serious_finding(world: World) -> None:
    with on("2024-09-02"), world.platform.transaction() as s:
        from pcip.providers.models import Provider

        unit = s.get(Provider, world.provider_id)
        assert unit is not None
        order = oversight.issue(
            s,
            DRC,
            OversightOrderIn(
                addressee="department",
                provider_uscc=unit.uscc,
                basis="逾期未核查异议",
                requirement="完成核查",
                working_days=3,
            ),
        ).id
        other = oversight.issue(
            s,
            DRC,
            OversightOrderIn(addressee="platform", basis="违规开放信息", requirement="停止开放"),
        ).id
    with on("2024-09-05"), world.platform.transaction() as s:
        with pytest.raises(ValidationError) as err:
            oversight.escalate(s, DRC, order, EscalationIn(note="通报批评"))
        assert err.value.field == "serious_reasons" and "not missed" in err.value.message
        row = oversight.escalate(
            s, DRC, other, EscalationIn(note="移送追责：主管张某", serious_reasons="泄露个人信息")
        )
        assert row.escalation == "sanction_referred" and row.escalation_ground == "serious"
    with on("2024-09-06"), world.platform.transaction() as s:
        row = oversight.escalate(s, DRC, order, EscalationIn(note="通报批评"))
        assert row.escalation == "criticism_circulated"
        assert row.escalation_ground == "missed_deadline"
        (late,) = [o for o in oversight.orders(s, DRC) if o.id == order]
        assert late.status == "overdue"
        assert [o.id for o in oversight.orders(s, DRC, overdue_only=True)] == [order]
