"""Government integrity (Art. 8-10)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from pcip import clock
from pcip.errors import ValidationError
from pcip.integrity import evaluation, rules, service
from pcip.integrity.schemas import ChangeIn, CommitmentIn, CompensationIn, EvaluationIn
from pcip.kernel.platform import Platform
from pcip.records.models import CreditRecord
from tests.governance.support import drc
from tests.helpers import uscc
from tests.integrity.support import BUREAU, ON, register, unit


def test_art9_only_a_government_body_usccs_beginning_11_is_registered(platform: Platform) -> None:
    with clock.frozen(ON), pytest.raises(ValidationError) as err:
        service.register(
            platform,
            drc(),
            CommitmentIn(
                body_uscc=uscc(5),
                body_name="某公司",
                kind="pledge",
                area="other",
                title="承诺事项",
                counterparty="市场主体",
                reference="X1",
                made_on=ON,
            ),
        )
    assert err.value.field == "body_uscc" and "11" in err.value.message


def test_art8_a_bureau_breach_is_a_record_on_its_dashboard_with_a_pending_case(
    platform: Platform,
) -> None:
    from pcip.integrity.schemas import BreachIn

    u = unit(platform)
    cid = register(platform)
    with platform.transaction() as s:
        before = service.dashboard(s)
    assert before[0]["breached"] == 0 and before[0]["commitments"] == 1
    with clock.frozen(ON):
        breach = service.record_breach(
            platform,
            drc(),
            BreachIn(
                commitment_id=cid,
                breach_type="违约毁约",
                description="未按协议兑现奖励资金",
                basis_number="渝发改信〔2026〕3号",
                basis_issuer="重庆市发展和改革委员会",
                determined_on=ON,
                unit_uscc=u,
            ),
        )
    with platform.transaction() as s:
        board = service.dashboard(s)
        rows = service.breaches(s)
        records = s.scalars(
            select(CreditRecord).where(CreditRecord.subject_id == breach.body_id)
        ).all()
    assert board[0]["breached"] == 1 and board[0]["open_cases"] == 1 and board[0]["uscc"] == BUREAU
    assert rows[0][1].state == "pending"
    assert len(records) == 1


def test_art9_termination_for_a_change_of_officials_records_a_breach(platform: Platform) -> None:
    u = unit(platform)
    cid = register(platform)
    with clock.frozen(ON):
        change, breach = service.change(
            platform,
            drc(),
            cid,
            ChangeIn(
                action="terminate", reason="official_change", description="新任领导不再认可协议"
            ),
            unit_uscc=u,
        )
    assert change.lawful is False and breach is not None
    with platform.transaction() as s:
        assert service.commitments(s)[0].state == "breached"


def test_art9_public_interest_termination_without_compensation_cannot_be_closed(
    platform: Platform,
) -> None:
    cid = register(platform)
    with clock.frozen(ON):
        with pytest.raises(ValidationError) as err:
            service.change(
                platform,
                drc(),
                cid,
                ChangeIn(action="terminate", reason="public_interest", description="规划调整"),
            )
        assert err.value.field == "authority_ref"
        change, breach = service.change(
            platform,
            drc(),
            cid,
            ChangeIn(
                action="terminate",
                reason="public_interest",
                description="规划调整",
                authority_ref="区政府常务会议纪要〔2026〕12号",
            ),
        )
    assert breach is None
    with clock.frozen(ON), platform.transaction() as s:
        with pytest.raises(ValidationError) as err:
            service.close_change(s, drc(), change.id)
        assert err.value.field == "compensation"
        service.add_compensation(
            s,
            drc(),
            change.id,
            CompensationIn(
                beneficiary="重庆示范制造有限公司",
                amount=Decimal("800000"),
                paid_on=ON,
                document="补偿协议〔2026〕1号",
            ),
        )
        assert service.close_change(s, drc(), change.id).closed_on == ON
        assert service.commitments(s)[0].state == "terminated"


def test_art10_an_evaluation_scores_each_district_with_its_performance_rate_and_exports(
    platform: Platform,
) -> None:
    from pcip.integrity.schemas import BreachIn

    u = unit(platform)
    performed = register(platform)
    broken = register(platform)
    other = register(
        platform, body=uscc(790, authority="1", entity_type="1", region_prefix="500112")
    )
    with clock.frozen(ON):
        with platform.transaction() as s:
            service.perform(s, drc(), performed)
            service.perform(s, drc(), other)
        service.record_breach(
            platform,
            drc(),
            BreachIn(
                commitment_id=broken,
                breach_type="违约毁约",
                description="未兑现",
                basis_number="渝发改信〔2026〕4号",
                basis_issuer="重庆市发展和改革委员会",
                determined_on=ON,
                unit_uscc=u,
            ),
        )
        with platform.transaction() as s:
            ev = evaluation.run(
                s, drc(), EvaluationIn(period_start=date(2026, 1, 1), period_end=ON)
            )
            out = evaluation.export_csv(ev)
    results = {r["region_code"]: r for r in ev.results}
    assert results, "one row per district"
    total_due = sum(r["due"] for r in results.values())
    assert total_due == 3
    assert sum(r["breaches"] for r in results.values()) == 1
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == len(results) and "performance_rate" in rows[0]
    w = rules.rules().weights
    for r in results.values():
        assert 0 <= r["score"] <= w.performance_rate + w.no_breach + w.compensation_rate


def test_art9_an_unlawful_change_whose_breach_record_is_refused_writes_nothing(
    platform: Platform,
) -> None:
    from pcip.errors import NotFound

    cid = register(platform)
    body = ChangeIn(action="terminate", reason="government_term", description="换届后不再履行")
    with clock.frozen(ON):
        with pytest.raises(ValidationError) as err:
            service.change(platform, drc(), cid, body)
        assert err.value.field == "unit_uscc"
        with pytest.raises(NotFound):  # not a registered providing unit (Art. 20)
            service.change(platform, drc(), cid, body, unit_uscc=BUREAU)
    with platform.transaction() as s:
        assert service.changes(s, cid) == []
        assert service.commitments(s)[0].state == "in_force"
