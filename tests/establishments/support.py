"""Builders for the establishment tests (Art. 47-55)."""

from __future__ import annotations

from typing import Any

from pcip.auth.permissions import Principal
from pcip.establishments.schemas import FilingIn
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind
from pcip.kernel.platform import Platform
from tests.helpers import uscc

DRC = Principal(ActorKind.DRC, Actor(ActorKind.DRC, "drc-1", "发展改革委"), via="test")
OPERATOR = Principal(ActorKind.OPERATOR, Actor(ActorKind.OPERATOR, "op-1", "平台运维"), via="test")
PUBLIC = Principal(ActorKind.PUBLIC, Actor(ActorKind.PUBLIC, "anonymous", "public"))


def filing(seed: int = 41, **over: Any) -> FilingIn:
    data: dict[str, Any] = {
        "uscc": uscc(seed),
        "name": f"重庆某信用风控有限公司{seed}",
        "category": "risk_control",
        "business_scope": "信用风险控制咨询、信用管理培训",
        "data_security": "数据分级分类，访问留痕，个人信息去标识化存储",
        "documents": [{"title": "营业执照", "reference": "附件1"}],
        "contact": "023-60000000",
    }
    data.update(over)
    return FilingIn.model_validate(data)


def matrix_fixtures(platform: Platform, subject_id: int, record_id: int) -> dict[str, Any]:
    """What the permission matrix calls need (tests/test_permission_matrix.py): a filed
    establishment with a serious finding, a correction order, an order to the platform, and an
    objection whose label step is overdue (received on a day long past, never labelled)."""
    from datetime import date

    from pcip import clock
    from pcip.establishments import filings, oversight, supervision
    from pcip.establishments.schemas import (
        CorrectionOrderIn,
        OversightOrderIn,
        SupervisionIn,
    )
    from tests.objections.cases import case_in

    with clock.frozen("2026-11-02T10:00:00"):
        late_case = case_in(platform, subject_id, [record_id], "received")
    with platform.transaction() as s:
        est = filings.file(s, DRC, filing(61))
        sup = supervision.record_supervision(
            s,
            DRC,
            est.id,
            SupervisionIn(
                kind="unfiled_activity",
                held_on=date(2026, 11, 2),
                findings="未备案开展业务",
                serious=True,
                serious_reasons="影响面广",
            ),
        )
        order = supervision.order_correction(
            s, DRC, est.id, CorrectionOrderIn(basis="备案材料缺失", requirement="补正材料")
        )
        body = OversightOrderIn(addressee="platform", basis="公示超期", requirement="整改")
        answer = oversight.issue(s, DRC, body)
        escalate = oversight.issue(s, DRC, body)
        return {
            "establishment": est.id,
            "supervision": sup.id,
            "order": order.id,
            "answer": answer.id,
            "escalate": escalate.id,
            "late_case": late_case,
        }
