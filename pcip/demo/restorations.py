"""Demo restoration cases and self-declared information (Art. 26, 45), so the restoration
officer's queue and the subject pages show something after ``make run``. Made through the same
services as the API, by named demo actors in their roles (synthetic data only)."""

from __future__ import annotations

from sqlalchemy import select

from pcip import clock
from pcip.auth.permissions import Principal
from pcip.demo.accounts import DEMO_UNIT, demo_subjects
from pcip.errors import PcipError
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind
from pcip.kernel.platform import Platform
from pcip.objections.evidence import EvidenceFile
from pcip.pledges import service as pledges
from pcip.providers.models import Provider
from pcip.records.models import CreditRecord
from pcip.restoration import service

PROOF = EvidenceFile("缴款凭证.txt", "罚款已全额缴纳，违法行为已整改完毕。\n".encode())
CORRECTION = "罚款已全额缴纳，违法行为已整改完毕，整改报告已报监管部门备案。"


def _subject(subject_id: int) -> Principal:
    actor = Actor(ActorKind.SUBJECT, str(subject_id), "demo subject")
    return Principal.internal(actor, subject_id=subject_id)


def create_demo_restorations(platform: Platform) -> int:
    """Two cases on the demo unit's old penalties (one restored, one waiting for its officer)
    and one self-declared credential of the demo organisation; returns the cases made."""
    today = clock.today()
    with platform.transaction() as s:
        person, org = demo_subjects(s)
        unit = s.scalar(select(Provider).where(Provider.name == DEMO_UNIT))
        if unit is None:
            return 0
        rows = list(
            s.execute(
                select(CreditRecord.id, CreditRecord.subject_id)
                .where(
                    CreditRecord.provider_id == unit.id,
                    CreditRecord.item_code == "admin_penalty",
                )
                .order_by(CreditRecord.id.desc())
                .limit(200)
            )
        )
        skip = {x.id for x in (person, org) if x is not None}
        staff = Principal.internal(
            Actor(ActorKind.PROVIDER, f"{unit.uscc}/demo", f"{unit.name} (demo)"),
            provider_id=unit.id,
        )
        if org is not None:
            pledges.declare(
                s,
                _subject(org.id),
                kind="credential",
                title="ISO 9001 质量管理体系认证",
                content="认证证书编号 00121Q0001（演示数据）",
            )
    made = 0
    for rid, sid in rows:
        if made == 2 or sid in skip:
            continue
        with platform.transaction() as s:
            record = s.get(CreditRecord, rid)
            assert record is not None
            opening = service.record_opening(s, record)
            if opening.on is not None and opening.on > today:
                continue
            try:
                case = service.apply(
                    s,
                    _subject(sid),
                    record_id=rid,
                    correction=CORRECTION,
                    files=[PROOF],
                    files_dir=platform.settings.files_dir,
                )
            except PcipError:
                continue
            if made == 0:
                service.assign(s, staff, case.id, "王修复（演示）")
                service.accept(s, staff, case.id)
                service.approve(s, staff, case.id, "已纠正失信行为并履行全部义务，符合修复条件")
            skip.add(sid)
        made += 1
    return made
