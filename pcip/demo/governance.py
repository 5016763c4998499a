"""Demo change proposals and government integrity (issue 20), so that ``make run`` shows them:
a catalog proposal open for public comment (one comment answered, one awaiting moderation),
and two district bodies' pledges and contracts, one performed, one breached (a record of
``cq_government_pledge_breach`` with its accountability case), with an evaluation."""

from __future__ import annotations

import copy
import random
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from pcip import clock
from pcip.auth.permissions import ANONYMOUS, Principal
from pcip.catalog.seed_data import CQ_SUPPLEMENT
from pcip.demo.accounts import DEMO_UNIT
from pcip.demo.generators import random_uscc
from pcip.governance import service as proposals
from pcip.governance.schemas import AnswerIn, CommentIn, ConsultationIn, ModerationIn, ProposalIn
from pcip.integrity import evaluation
from pcip.integrity import service as integrity
from pcip.integrity.schemas import BreachIn, CommitmentIn, EvaluationIn
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind
from pcip.kernel.platform import Platform
from pcip.providers.models import Provider
from pcip.providers.service import add_provider

DRC_NAME = "重庆市发展和改革委员会"


def create_demo_governance(platform: Platform) -> str:
    rng = random.Random(2021)
    drc = Principal.internal(Actor(ActorKind.DRC, "drc/demo", "市发展改革委 (demo)"))
    today = clock.today()
    with platform.transaction() as s:
        unit = s.scalar(select(Provider).where(Provider.name == DEMO_UNIT)) or s.scalar(
            select(Provider).order_by(Provider.id).limit(1)
        )
        if unit is None:
            return "demo governance: no unit"
        dept = Principal.internal(
            Actor(ActorKind.PROVIDER, f"{unit.uscc}/demo", f"{unit.name} (demo)"),
            provider_id=unit.id,
        )
        dept = Principal(
            dept.role, dept.actor, via="internal", provider_id=unit.id, organisation=unit.name
        )
        base = next(i for i in CQ_SUPPLEMENT.items if i.code == "charity_donation")
        item = copy.deepcopy(base.model_dump(mode="json"))
        item.update(
            code="cq_green_certification",
            name_zh="绿色产品认证信息",
            name_en="green product certification",
            scope_category=2,
        )
        pid = proposals.propose(
            s,
            dept,
            ProposalIn(
                kind="catalog",
                action="add",
                item_code="cq_green_certification",
                item=item,
                title="增补“绿色产品认证信息”",
                rationale="将绿色产品认证纳入公共信用信息，支持绿色发展领域信用监管。",
                citation="《重庆市社会信用条例》第十七条；《重庆市生态环境保护条例》相关条款",
            ),
        ).id
        proposals.submit(s, dept, pid)
        proposals.screen(s, drc, pid)
        proposals.open_consultation(s, drc, pid, ConsultationIn())
        first = proposals.comment(
            s,
            ANONYMOUS,
            pid,
            CommentIn(
                group="industry_associations",
                author="重庆市环保产业协会",
                body="建议明确认证机构范围，限于依法设立并取得资质的认证机构。",
            ),
        )
        proposals.moderate(s, drc, first.id, ModerationIn(show=True))
        proposals.answer(
            s, drc, first.id, AnswerIn(answer="已采纳：认证信息限于依法设立的认证机构出具的认证。")
        )
        proposals.comment(
            s,
            ANONYMOUS,
            pid,
            CommentIn(group="public", author="市民", body="支持，建议同时公开认证有效期。"),
        )
        drc_unit = s.scalar(select(Provider).where(Provider.name == DRC_NAME))
        drc_uscc = drc_unit.uscc if drc_unit else random_uscc(rng, authority="1", entity_type="1")
        add_provider(s, Actor.system("demo"), drc_uscc, DRC_NAME, ["cq_government_pledge_breach"])
    bodies = [
        (
            random_uscc(rng, authority="1", entity_type="1", region_prefix="500112"),
            "重庆市渝北区投资促进局",
        ),
        (
            random_uscc(rng, authority="1", entity_type="1", region_prefix="500106"),
            "重庆市沙坪坝区住房和城乡建设委员会",
        ),
    ]
    ids: list[int] = []
    for (code, name), (kind, area, title, due) in zip(
        bodies * 2,
        [
            ("contract", "investment", "智能制造产业园招商引资协议", today - timedelta(days=60)),
            ("contract", "procurement", "老旧小区改造政府采购合同", today - timedelta(days=30)),
            ("pledge", "investment", "新引进企业三年租金减免承诺", today - timedelta(days=10)),
            ("pledge", "other", "工程款按期支付承诺", today + timedelta(days=120)),
        ],
        strict=False,
    ):
        c = integrity.register(
            platform,
            drc,
            CommitmentIn(
                body_uscc=code,
                body_name=name,
                kind=kind,
                area=area,
                title=title,
                counterparty="重庆示范科技有限公司",
                reference=f"渝示〔2025〕{len(ids) + 1}号",
                amount=Decimal("5000000.00"),
                made_on=today - timedelta(days=400),
                due_on=due,
            ),
        )
        ids.append(c.id)
    with platform.transaction() as s:
        integrity.perform(s, drc, ids[0])
        integrity.perform(s, drc, ids[1])
    integrity.record_breach(
        platform,
        drc,
        BreachIn(
            commitment_id=ids[2],
            breach_type="违背政策承诺",
            description="以相关责任人更替为由，未兑现租金减免承诺。",
            basis_number="渝发改信〔2026〕9号",
            basis_issuer=DRC_NAME,
            determined_on=today,
            unit_uscc=drc_uscc,
        ),
    )
    with platform.transaction() as s:
        evaluation.run(
            s, drc, EvaluationIn(period_start=today - timedelta(days=365), period_end=today)
        )
    return (
        "demo governance: 1 proposal open for comment; 4 government pledges and contracts, "
        "1 breach, 1 evaluation (Art. 8-10, 17)"
    )
