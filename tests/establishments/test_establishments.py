"""Credit service establishments: filings, the directory, supervision, correction orders and
fines (Art. 47-49, 55)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError as PydanticError
from sqlalchemy import select

from pcip import clock
from pcip.errors import Conflict, Forbidden, Unauthorized, ValidationError
from pcip.establishments import filings, rules, supervision
from pcip.establishments.schemas import (
    CorrectionIn,
    CorrectionOrderIn,
    FineIn,
    SupervisionIn,
)
from pcip.kernel.audit.models import AuditEvent
from pcip.kernel.platform import Platform
from tests.establishments.support import DRC, OPERATOR, PUBLIC, filing

# Mon 2 Nov 2026: 15 working days later is Mon 23 Nov 2026.
ON = "2026-11-02T10:00:00"


def _file(platform: Platform, seed: int = 41, **over: object) -> int:
    with clock.frozen(ON), platform.transaction() as s:
        return filings.file(s, DRC, filing(seed, **over)).id


def test_art49_a_filing_gets_a_number_and_is_listed_with_public_fields_only(
    platform: Platform,
) -> None:
    eid = _file(platform)
    _file(platform, 42, category="rating", permit_number="京征信备2026001")
    with platform.transaction() as s:
        listed = filings.directory(s, PUBLIC)
        risk = filings.directory(s, PUBLIC, category="risk_control")
        audit = s.scalars(select(AuditEvent).where(AuditEvent.action == "establishment.filed"))
        assert len(list(audit)) == 2
    assert [e.id for e in risk] == [eid]
    assert len(listed) == 2
    dumped = listed[0].model_dump()
    assert dumped["filing_number"].startswith("CQ-XYFW-2026-")
    assert "data_security" not in dumped and "contact" not in dumped and "documents" not in dumped


def test_art49_validation_names_the_field(platform: Platform) -> None:
    with pytest.raises(ValidationError) as err, platform.transaction() as s:
        filings.file(s, DRC, filing(43, category="credit_reporting"))
    assert err.value.field == "permit_number" and "Art. 49 para 1" in err.value.message
    with pytest.raises(ValidationError) as err, platform.transaction() as s:
        filings.file(s, DRC, filing(43, uscc="91500000MA5U00001X"))
    assert err.value.field == "uscc"
    with pytest.raises(PydanticError) as perr:
        filing(43, data_security="", documents=[])
    fields = {e["loc"][0] for e in perr.value.errors()}
    assert fields == {"data_security", "documents"}
    _file(platform, 44)
    with pytest.raises(Conflict) as c, platform.transaction() as s:
        filings.file(s, DRC, filing(44))
    assert c.value.field == "uscc"


def test_art49_only_the_development_and_reform_department_records_filings(
    platform: Platform,
) -> None:
    with pytest.raises(Forbidden), platform.transaction() as s:
        filings.file(s, OPERATOR, filing(45))
    with pytest.raises(Unauthorized), platform.transaction() as s:
        filings.file(s, PUBLIC, filing(45))


def test_d24_the_set_periods_and_fine_range_are_data_with_citations(tmp_path: Path) -> None:
    ps = rules.load_periods()
    assert ps["establishment_correction"].article == "Art. 55 para 2"
    assert ps["platform_correction"].article == "Art. 54"
    spec = rules.load_fines()["unfiled_operation"]
    assert (spec.min_yuan, spec.max_yuan) == (50_000, 100_000)
    assert "50,000 and 100,000" in spec.citation
    raw = yaml.safe_load((rules.DATA / "deadlines.yaml").read_text(encoding="utf-8"))
    raw["periods"][1]["default_working_days"] = 99
    bad = tmp_path / "deadlines.yaml"
    bad.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        rules.load_periods(bad)
    assert err.value.field == "periods.1.default_working_days"


def _order(platform: Platform, eid: int, **over: object) -> int:
    body = CorrectionOrderIn.model_validate(
        {"basis": "未按规定报送备案变更", "requirement": "补正备案材料", **over}
    )
    with clock.frozen(ON), platform.transaction() as s:
        return supervision.order_correction(s, DRC, eid, body).id


def test_art55_a_correction_order_is_due_after_its_working_days(platform: Platform) -> None:
    eid = _file(platform)
    oid = _order(platform, eid)
    with clock.frozen("2026-11-23T10:00:00"), platform.transaction() as s:
        (o,) = supervision.orders(s, DRC)
        assert o.id == oid and o.due == date(2026, 11, 23) and o.status == "open"
        assert supervision.orders(s, DRC, overdue_only=True) == []
    with clock.frozen("2026-11-24T10:00:00"), platform.transaction() as s:
        assert [o.id for o in supervision.orders(s, DRC, overdue_only=True)] == [oid]
    with pytest.raises(ValidationError) as err:
        _order(platform, eid, working_days=2)
    assert err.value.field == "working_days" and "5 to 60" in err.value.message


def _fine(**over: object) -> FineIn:
    data: dict[str, object] = {
        "ground": "missed_deadline",
        "amount_yuan": 60_000,
        "decision_number": "渝发改罚〔2026〕1号",
    }
    data.update(over)
    return FineIn.model_validate(data)


def test_art55_no_fine_before_the_period_is_missed(platform: Platform) -> None:
    eid = _file(platform)
    oid = _order(platform, eid)
    with (
        clock.frozen("2026-11-20T10:00:00"),
        platform.transaction() as s,
        pytest.raises(ValidationError) as err,
    ):
        supervision.fine(s, DRC, eid, _fine(order_id=oid))
    assert err.value.field == "order_id" and "not missed" in err.value.message
    with clock.frozen("2026-11-20T10:00:00"), platform.transaction() as s:
        supervision.confirm_correction(
            s, DRC, oid, CorrectionIn(corrected_on=date(2026, 11, 20), correction="已补正")
        )
    with (
        clock.frozen("2026-12-20T10:00:00"),
        platform.transaction() as s,
        pytest.raises(ValidationError, match="corrected"),
    ):
        supervision.fine(s, DRC, eid, _fine(order_id=oid))


def test_art55_a_fine_after_a_missed_period_within_the_range(platform: Platform) -> None:
    eid = _file(platform)
    oid = _order(platform, eid)
    with clock.frozen("2026-11-24T10:00:00"), platform.transaction() as s:
        for amount in (30_000, 120_000):
            with pytest.raises(ValidationError) as err:
                supervision.fine(s, DRC, eid, _fine(order_id=oid, amount_yuan=amount))
            assert err.value.field == "amount_yuan" and "50,000" in err.value.message
        row = supervision.fine(s, DRC, eid, _fine(order_id=oid, unlawful_gains_yuan=8_000))
        out = supervision.fine_out(row)
        audit = s.scalars(select(AuditEvent).where(AuditEvent.action == "establishment.fined"))
        (event,) = list(audit)
    assert out.amount_yuan == 60_000 and out.unlawful_gains_yuan == 8_000
    assert out.article == "Art. 55 para 2" and event.details["order_id"] == oid


def test_art55_a_fine_on_a_serious_finding_only_if_recorded_serious(platform: Platform) -> None:
    eid = _file(platform)
    with clock.frozen(ON), platform.transaction() as s:
        with pytest.raises(ValidationError) as err:
            supervision.record_supervision(
                s,
                DRC,
                eid,
                SupervisionIn(
                    kind="inspection",
                    held_on=date(2026, 11, 2),
                    findings="超范围经营",
                    serious=True,
                ),
            )
        assert err.value.field == "serious_reasons"
        plain = supervision.record_supervision(
            s,
            DRC,
            eid,
            SupervisionIn(kind="inspection", held_on=date(2026, 11, 2), findings="材料齐全"),
        ).id
        serious = supervision.record_supervision(
            s,
            DRC,
            eid,
            SupervisionIn(
                kind="unfiled_activity",
                held_on=date(2026, 11, 2),
                findings="未备案开展风控业务",
                serious=True,
                serious_reasons="涉及个人信息十万条",
            ),
        ).id
        with pytest.raises(ValidationError) as err:
            supervision.fine(s, DRC, eid, _fine(ground="serious_finding", supervision_id=plain))
        assert err.value.field == "supervision_id" and "no serious finding" in err.value.message
        row = supervision.fine(s, DRC, eid, _fine(ground="serious_finding", supervision_id=serious))
        assert row.ground == "serious_finding"


def test_art55_para1_reporting_and_rating_are_not_fined_here(platform: Platform) -> None:
    eid = _file(platform, 46, category="rating", permit_number="京征信备2026002")
    oid = _order(platform, eid)
    with (
        clock.frozen("2026-12-24T10:00:00"),
        platform.transaction() as s,
        pytest.raises(ValidationError) as err,
    ):
        supervision.fine(s, DRC, eid, _fine(order_id=oid))
    assert err.value.field == "establishment_id" and "Art. 55 para 1" in err.value.message


def test_every_code_a_person_reads_has_its_words() -> None:
    from pcip.establishments import models
    from pcip.kernel import vocabulary

    for kind, codes in (
        ("establishment_category", models.CATEGORIES),
        ("supervision_kind", models.SUPERVISION_KINDS),
        ("oversight_addressee", models.ADDRESSEES),
        ("escalation", models.ESCALATIONS),
        ("order_status", ("open", "overdue", "corrected", "corrected_late")),
    ):
        assert set(codes) <= set(vocabulary.codes(kind)), kind
