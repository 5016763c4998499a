"""Demo objections, so the operator's queue, the unit's inbox and the archive show real cases
after ``make run``. Every case is made through the same service functions as the API, by
named demo actors acting in their roles (each step checks who takes it, as for anyone), and
is audited like any other (synthetic data only).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Principal
from pcip.demo.accounts import DEMO_UNIT, demo_subjects
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind
from pcip.kernel.platform import Platform
from pcip.objections import service
from pcip.objections.evidence import EvidenceFile
from pcip.objections.models import Objection
from pcip.providers.models import Provider
from pcip.records.models import CreditRecord

OPERATOR = Actor(ActorKind.OPERATOR, "demo:operator", "平台运营（演示）")
DRC = Actor(ActorKind.DRC, "demo:drc", "发展改革委 (demo)")
AS_OPERATOR = Principal.internal(OPERATOR)
STATEMENT = EvidenceFile("情况说明.txt", "罚款已于决定作出当日缴清，缴款凭证见附件。\n".encode())

Step = Callable[[Session, int], object]


def _subject(s: Session, objection_id: int) -> Principal:
    """The case's subject: it applies for re-examination itself (Art. 40 para 4)."""
    sid = s.scalar(select(Objection.subject_id).where(Objection.id == objection_id))
    assert sid is not None
    return _applicant(sid)


def _applicant(subject_id: int) -> Principal:
    actor = Actor(ActorKind.SUBJECT, str(subject_id), "demo subject")
    return Principal.internal(actor, subject_id=subject_id)


def _steps(platform: Platform, unit: Principal) -> dict[str, list[Step]]:
    files = platform.settings.files_dir
    label: Step = lambda s, o: service.apply_label(s, AS_OPERATOR, o)  # noqa: E731
    transfer: Step = lambda s, o: service.transfer(s, AS_OPERATOR, o)  # noqa: E731
    receive: Step = lambda s, o: service.pu_receive(s, unit, o)  # noqa: E731
    review: Step = lambda s, o: service.start_self_review(s, AS_OPERATOR, o)  # noqa: E731
    decide: Step = lambda s, o: service.decide(  # noqa: E731
        s, AS_OPERATOR, o, outcome="upheld", reasons="经核实，原记录准确、完整，予以维持。"
    )
    notify: Step = lambda s, o: service.notify(s, AS_OPERATOR, o)  # noqa: E731
    reexam: Step = lambda s, o: service.request_reexam(  # noqa: E731
        s, _subject(s, o), o, statement="申请人不服处理结果，申请复核。", files_dir=files
    )
    return {
        "received": [],
        "labelled": [label],
        "transferred": [label, transfer],
        "pu_review": [label, transfer, receive],
        "self_review": [label, review],
        "notified": [label, review, decide, notify],
        "reexam_requested": [label, review, decide, notify, reexam],
    }


#: (state, days before today it was received, ground): a queue with something due today,
#: something overdue, a unit's inbox, a re-examination and a concluded case.
PLAN = (
    ("received", 0, "error"),
    ("labelled", 6, "omission"),  # the transfer deadline has passed: overdue on the queue
    ("transferred", 1, "error"),
    ("pu_review", 2, "error"),
    ("self_review", 1, "omission"),
    ("notified", 9, "error"),
    ("reexam_requested", 12, "error"),
)


def create_demo_objections(platform: Platform) -> int:
    """Create the demo cases on the demo unit's penalty records; returns how many. The demo
    person (the one the sign-in instructions name) is left without cases, to file one."""
    with platform.transaction() as s:
        person, _org = demo_subjects(s)
        skip_subject = person.id if person else None
        # The unit whose staff account the demo creates (amr-staff), so its inbox is not empty.
        unit = s.scalar(select(Provider).where(Provider.name == DEMO_UNIT)) or s.scalar(
            select(Provider).order_by(Provider.id).limit(1)
        )
        if unit is None:
            return 0
        records = list(
            s.execute(
                select(CreditRecord.id, CreditRecord.subject_id)
                .where(
                    CreditRecord.provider_id == unit.id,
                    CreditRecord.item_code == "admin_penalty",
                )
                .order_by(CreditRecord.id)
                .limit(40)
            )
        )
        unit_actor = Actor(ActorKind.PROVIDER, f"{unit.uscc}/demo", f"{unit.name} (demo)")
        as_unit = Principal.internal(unit_actor, provider_id=unit.id)
    steps = _steps(platform, as_unit)
    candidates = [(rid, sid) for rid, sid in records if sid != skip_subject]
    made = 0
    now = clock.now()
    for (state, days_ago, ground), (rid, sid) in zip(PLAN, candidates, strict=False):
        with platform.transaction() as s:
            received = service.receive(
                s,
                _applicant(sid),
                subject_id=sid,
                record_ids=[rid],
                ground=ground,
                statement="处罚决定书载明的罚款金额与实际缴纳金额不一致，请予核实更正。",
                applicant="申请人（演示）",
                channel="web",
                evidence=[STATEMENT],
                received_at=now - timedelta(days=days_ago),
                files_dir=platform.settings.files_dir,
            )
            for step in steps[state]:
                step(s, received.objection.id)
        made += 1
    return made
