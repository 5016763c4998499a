"""Demo credit service establishments and oversight orders (Art. 47-55), so that ``make run``
shows a directory, a correction order past its period and an oversight order fed by an overdue
objection step. Made through the services, as the development and reform department would."""

from __future__ import annotations

import random
from datetime import timedelta

from pcip import clock
from pcip.auth.permissions import Principal
from pcip.demo.generators.identifiers import random_uscc
from pcip.establishments import filings, oversight, supervision
from pcip.establishments.schemas import (
    CorrectionOrderIn,
    FilingIn,
    FromStepIn,
    SupervisionIn,
)
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind
from pcip.kernel.platform import Platform

DRC = Principal.internal(Actor(ActorKind.DRC, "demo-drc", "发展改革委（演示）"))
SECURITY = "数据分级分类管理；查询留痕可追溯；个人信息加密存储，最小必要使用。"
FIRMS = (
    ("重庆渝信风控科技有限公司", "risk_control", "企业信用风险评估、信用管理咨询", None),
    ("重庆山城信息查询服务有限公司", "information_inquiry", "企业公开信用信息查询与核验", None),
    ("重庆两江信用评级有限公司", "rating", "企业主体信用评级", "评级备2026-018"),
    ("重庆巴渝征信有限公司", "credit_reporting", "企业征信", "征信备2026-006"),
)


def create_demo_establishments(platform: Platform) -> str:
    """Four filed establishments; an inspection and a correction order issued 30 days ago
    (past its period, uncorrected); an oversight order for the first overdue objection step."""
    rng = random.Random(4755)
    today = clock.today()
    ids = []
    # Filed and ordered a month ago, as the department did then (the set period has run).
    with clock.frozen(today - timedelta(days=30)), platform.transaction() as s:
        for name, category, scope, permit in FIRMS:
            body = FilingIn.model_validate(
                {
                    "uscc": random_uscc(rng),
                    "name": name,
                    "category": category,
                    "business_scope": scope,
                    "data_security": SECURITY,
                    "documents": [{"title": "营业执照", "reference": "附件1"}],
                    "permit_number": permit,
                    "contact": "023-6000 0000",
                }
            )
            ids.append(filings.file(s, DRC, body).id)
        found = supervision.record_supervision(
            s,
            DRC,
            ids[0],
            SupervisionIn(
                kind="spot_check",
                held_on=clock.today(),
                findings="备案的业务范围未包含实际开展的个人信用评分业务",
            ),
        )
        supervision.order_correction(
            s,
            DRC,
            ids[0],
            CorrectionOrderIn(
                basis="超出备案业务范围经营（第四十九条第二款）",
                requirement="停止超范围业务或办理备案变更",
                supervision_id=found.id,
            ),
        )
    made = 0
    with platform.transaction() as s:
        steps = [x for x in oversight.overdue_steps(s, DRC) if x.order_id is None]
        if steps:
            oversight.issue_from_step(
                s,
                DRC,
                FromStepIn(source_key=steps[0].source_key, requirement="说明逾期原因并完成办理"),
            )
            made = 1
    return f"demo establishments: {len(ids)} filed, 1 correction order, {made} oversight order"
