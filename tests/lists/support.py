"""Shared builders for the list tests: principals for each role and a served designation."""

from __future__ import annotations

from datetime import date

from pcip import clock
from pcip.auth.permissions import Principal
from pcip.errors import NotFound
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind
from pcip.kernel.platform import Platform
from pcip.lists import designation
from pcip.lists.schemas import DecisionIn, DraftIn, PersonIn, ServiceIn
from pcip.providers.service import add_provider, get_provider
from tests.helpers import citizen_id, uscc

UNIT = uscc(700, authority="1", entity_type="1")
OTHER_UNIT = uscc(701, authority="1", entity_type="1")
COMPANY = uscc(41)
LEGAL_REP = citizen_id(21)
#: Mon 2 Nov 2026: the notice is served; 5 working days later (D-1) is Mon 9 Nov.
SERVED = date(2026, 11, 2)
DUE = date(2026, 11, 9)


def staff(platform: Platform, code: str = UNIT, name: str = "重庆市市场监督管理局") -> Principal:
    with platform.transaction() as s:
        try:
            pid = get_provider(s, code).id
        except NotFound:
            add_provider(s, Actor.system("test"), code, name, ["admin_penalty"])
            pid = get_provider(s, code).id
    return Principal(
        ActorKind.PROVIDER,
        Actor(ActorKind.PROVIDER, f"staff@{code}", "staff"),
        via="session",
        provider_id=pid,
        organisation=name,
    )


def operator() -> Principal:
    return Principal(ActorKind.OPERATOR, Actor(ActorKind.OPERATOR, "op", "op"), via="session")


def subject(subject_id: int) -> Principal:
    return Principal(
        ActorKind.SUBJECT,
        Actor(ActorKind.SUBJECT, f"subject:{subject_id}", "subject"),
        via="session",
        subject_id=subject_id,
    )


def draft_body(case: str = "渝市监信〔2026〕1号") -> DraftIn:
    return DraftIn(
        list_type="serious_illegal_untrustworthy",
        uscc=COMPANY,
        name="重庆失信示范有限公司",
        case_ref=case,
        facts="生产销售不符合安全标准的食品，造成多人就医。",
        grounds="性质恶劣、情节严重、社会危害较大（办法第十二条）",
        basis="《市场监督管理严重违法失信名单管理办法》第五条第一项",
        conduct_end_date=date(2026, 9, 30),
    )


def decision_body(with_person: bool = True) -> DecisionIn:
    return DecisionIn(
        decision_number="渝市监列严〔2026〕1号",
        measures="列入严重违法失信名单，通过公示系统公示，实施重点监管（第二十二条）",
        removal="列入满一年，履行义务、纠正违法行为的，可申请提前移出；公示满三年移出。",
        remedies="可在六十日内申请行政复议，或六个月内提起行政诉讼。",
        persons=[PersonIn(citizen_id=LEGAL_REP, name="陈法人", role="legal_representative")]
        if with_person
        else [],
    )


def served(platform: Platform, who: Principal, case: str = "渝市监信〔2026〕1号") -> int:
    """A designation drafted and its notice served on ``SERVED``."""
    with clock.frozen(SERVED), platform.transaction() as s:
        d = designation.draft(s, platform.keyring, who, draft_body(case))
        designation.serve_notice(
            s, who, d.id, ServiceIn(served_on=SERVED, method="in_person", proof="签收回执 1 份")
        )
        return d.id


def listed(platform: Platform, who: Principal, case: str = "渝市监信〔2026〕1号") -> int:
    """A designation walked to LISTED: window lapsed, decided, decision served, listed."""
    did = served(platform, who, case)
    on = date(2026, 11, 10)
    with clock.frozen(on), platform.transaction() as s:
        designation.decide(s, platform.keyring, who, did, decision_body())
        designation.serve_decision(
            s, who, did, ServiceIn(served_on=on, method="post", proof="EMS 1234")
        )
        designation.list_subject(s, who, did)
    return did


_fresh = iter(range(1, 100_000))


def designation_in(platform: Platform, who: Principal, org_uscc: str, state: str) -> int:
    """A fresh designation of ``who``'s unit against ``org_uscc``, walked today to ``state``:
    draft, window, statement, responded, decided, served, listed."""
    from pcip.lists.schemas import ResponseIn, StatementIn

    order = ["draft", "window", "statement", "responded", "decided", "served", "listed"]
    goal = order.index(state)
    today = clock.today()
    body = draft_body(f"矩阵〔{today.year}〕{next(_fresh)}号").model_copy(
        update={"uscc": org_uscc, "name": "重庆示例科技有限公司", "conduct_end_date": None}
    )
    with platform.transaction() as s:
        d = designation.draft(s, platform.keyring, who, body)
        steps = [
            lambda: designation.serve_notice(
                s, who, d.id, ServiceIn(served_on=today, method="in_person", proof="回执")
            ),
            lambda: designation.file_statement(
                s, who, d.id, StatementIn(text="书面申辩", received_on=today)
            ),
            lambda: designation.respond(
                s, who, d.id, ResponseIn(outcome="rejected", reasons="不成立")
            ),
            lambda: designation.decide(s, platform.keyring, who, d.id, decision_body(False)),
            lambda: designation.serve_decision(
                s, who, d.id, ServiceIn(served_on=today, method="post", proof="EMS")
            ),
            lambda: designation.list_subject(s, who, d.id),
        ]
        for step in steps[:goal]:
            step()
        return d.id
