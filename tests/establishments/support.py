"""Builders for the establishment tests (Art. 47-55)."""

from __future__ import annotations

from typing import Any

from pcip.auth.permissions import Principal
from pcip.establishments.schemas import FilingIn
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind
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
