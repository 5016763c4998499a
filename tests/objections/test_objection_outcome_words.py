"""Words that are true to the case (issue 19.1): what a subject reads about an outcome follows
from the case's own ground and events. A stop on an error is not told as an expired period
(Art. 42(3) speaks of periods only), and the case page names records stopped on receipt for
their Art. 43 period only when that happened (D-5)."""

from __future__ import annotations

from datetime import date

import pytest

from pcip.objections import notices, present, service
from pcip.objections.codes import GROUNDS, OUTCOMES
from pcip.objections.log import get
from tests.objections.builders import AS_OPERATOR, PDF, World, on, subject_of

PERIOD_ZH, PERIOD_EN = "超过法定期限", "beyond its legal period"


@pytest.mark.parametrize("ground", GROUNDS)
@pytest.mark.parametrize("outcome", OUTCOMES)
def test_art40_art42_every_outcome_notice_follows_its_ground(outcome: str, ground: str) -> None:
    case = notices.CaseText(
        7,
        "重庆示例商贸有限公司",
        date(2024, 9, 27),
        ground,
        [(1, "行政处罚", "Administrative penalty")],
    )
    html = notices.outcome(case, date(2024, 9, 30), outcome, "依据撤销决定书。", [])
    zh_notice = notices.version(html, "zh_CN")
    en_notice = notices.version(html, "en")
    told = "".join(  # the outcome sections
        n.split('<h2 data-part="outcome">', 1)[1].split("<h2>", 1)[0]
        for n in (zh_notice, en_notice)
    )
    says_period = PERIOD_ZH in told or PERIOD_EN in told
    # the applicant's own claim is quoted in the head; the outcome speaks of the period only
    # when the case was about the period and the outcome is the stop Art. 42(3) names
    assert says_period == (outcome == "provision_stopped" and ground == "beyond_period"), html
    zh, en = notices.outcome_sentence(outcome, ground)
    assert zh in zh_notice and en.replace("Art. ", "Article ") in en_notice


def _decide(world: World, ground: str, outcome: str) -> tuple[int, list[int]]:
    p, rid = world.platform, world.company_records[1]
    with on("2024-09-27"), p.transaction() as s:
        oid = service.receive(
            s,
            AS_OPERATOR,
            subject_id=world.company,
            record_ids=[rid],
            ground=ground,
            statement="作出处罚的决定已被撤销。",
            applicant="重庆示例商贸有限公司",
            channel="web",
            evidence=[PDF],
            files_dir=world.files_dir,
        ).objection.id
        service.apply_label(s, AS_OPERATOR, oid)
        service.start_self_review(s, AS_OPERATOR, oid)
        service.decide(s, AS_OPERATOR, oid, outcome=outcome, reasons="处罚决定已被撤销。")
        out = present.detail(s, subject_of(s, oid), get(s, oid), date(2024, 9, 27))
    return oid, out.stopped_records


def test_d5_a_stop_decided_on_an_error_is_not_called_an_expired_period(world: World) -> None:
    _, stopped = _decide(world, "error", "provision_stopped")
    assert stopped == []  # the case page says nothing of an Art. 43 period
