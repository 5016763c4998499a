"""Measures (Art. 34-37) and credit checks (Art. 31, 34, 38; Art. 22 logging)."""

from __future__ import annotations

import copy
import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pcip import clock
from pcip.errors import ValidationError
from pcip.inquiry.models import InquiryLog
from pcip.inquiry.schemas import Channel, SubjectRef
from pcip.kernel.platform import Platform
from pcip.measures import applications, catalogue, checks
from pcip.measures.schemas import ApplicationIn, CheckIn
from tests.helpers import uscc
from tests.lists.support import COMPANY, listed, staff

ON = date(2026, 11, 12)


def _doc() -> dict[str, Any]:
    return dict(json.loads(catalogue.DATA_FILE.read_text(encoding="utf-8")))


def test_art36_an_item_without_justification_is_rejected() -> None:
    doc = copy.deepcopy(_doc())
    doc["measures"][3]["justification"] = " "
    with pytest.raises(ValidationError) as err:
        catalogue.parse(doc)
    assert err.value.field == "measures.3.justification"
    doc = copy.deepcopy(_doc())
    doc["measures"][0]["applies_to"] = ["no_such_list"]
    with pytest.raises(ValidationError, match="no_such_list"):
        catalogue.parse(doc)


def test_art34_a_measure_not_on_either_list_is_rejected() -> None:
    with pytest.raises(ValidationError) as err:
        catalogue.get("public_shaming", ON)
    assert err.value.field == "measure" and "Art. 34" in err.value.message


def _application(**conditions: bool) -> ApplicationIn:
    flags = {"minor_or_incidental": True, "promptly_corrected": True, "no_harmful_outcome": True}
    flags.update(conditions)
    return ApplicationIn(
        subject=SubjectRef(uscc=COMPANY),
        measure="cq_funding_restriction",
        matter="subsidy",
        matter_ref="渝财补〔2026〕12号",
        nature="逾期未报送统计数据",
        circumstances="首次，偶发",
        impact="未造成损害",
        severity="light",
        waiver_reasons="当日补报，未影响统计结果",
        **flags,
    )


def test_art37_all_three_conditions_waive_the_measure(platform: Platform) -> None:
    who = staff(platform)
    listed(platform, who)
    with clock.frozen(ON), platform.transaction() as s:
        waived = applications.out(applications.apply(s, platform.keyring, who, _application()))
        applied = applications.out(
            applications.apply(s, platform.keyring, who, _application(no_harmful_outcome=False))
        )
    assert waived.status == "waived" and waived.measure is None
    assert all(waived.conditions.values())
    assert applied.status == "applied" and applied.measure == "cq_funding_restriction"
    assert applied.conditions["no_harmful_outcome"] is False


def test_art34_a_measure_for_the_wrong_matter_is_rejected(platform: Platform) -> None:
    who = staff(platform)
    listed(platform, who)
    body = _application().model_copy(update={"matter": "licence"})
    with clock.frozen(ON), platform.transaction() as s, pytest.raises(ValidationError) as err:
        applications.apply(s, platform.keyring, who, body)
    assert err.value.field == "matter"


def test_art31_art34_a_credit_check_explains_itself_and_is_logged(platform: Platform) -> None:
    who = staff(platform)
    did = listed(platform, who)
    body = CheckIn(
        subject=SubjectRef(uscc=COMPANY), matter="procurement", purpose="政府采购供应商资格审查"
    )
    with clock.frozen(ON), platform.transaction() as s:
        answer = checks.check(s, platform.keyring, who, body, Channel.API)
        logged = s.get(InquiryLog, answer.inquiry_id)
        assert logged is not None and logged.mode == "authority"
        assert logged.purpose is not None and logged.purpose.startswith("credit_check:procurement")
    assert answer.listed
    [reason] = answer.measures
    assert reason.measure == "no_government_procurement" and reason.designation_id == did
    assert "政府采购法" in reason.legal_basis and reason.listed_on == date(2026, 11, 10)
    assert reason.deciding_authority == "重庆市市场监督管理局"
    # A licence check of the same company names the city supplement's key review instead.
    licence = body.model_copy(update={"matter": "licence"})
    with clock.frozen(ON), platform.transaction() as s:
        again = checks.check(s, platform.keyring, who, licence, Channel.API)
    assert [r.measure for r in again.measures] == ["cq_key_review_permitting"]


def test_art31_a_batch_check_writes_a_result_file_and_a_summary(
    platform: Platform, tmp_path: Path
) -> None:
    who = staff(platform)
    listed(platform, who)
    src = tmp_path / "keys.csv"
    src.write_text(f"uscc,citizen_id\n{COMPANY},\n{uscc(999)},\nNOT-A-CODE,\n", encoding="gb18030")
    out = tmp_path / "result.csv"
    with clock.frozen(ON), platform.transaction() as s:
        summary = checks.batch(
            s,
            platform.keyring,
            who,
            src,
            matter="procurement",
            purpose="政府采购供应商资格审查",
            result_path=out,
        )
        logged = s.scalars(
            select(InquiryLog).where(InquiryLog.purpose.like("credit_check:procurement%"))
        ).all()
    assert (summary.rows, summary.found, summary.listed, summary.rejected) == (3, 1, 1, 1)
    assert summary.errors[0]["line"] == 4
    assert len(logged) == 1
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [r["found"] for r in rows] == ["yes", "no"]
    assert rows[0]["measures"] == "no_government_procurement"
