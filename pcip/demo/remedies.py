"""Demo revocation and complaint (Art. 44, 46), so ``make run`` shows the console pages of
revoked basis documents and complaints with something on them. Made through the same service
functions as the API, by the demo operator (synthetic data only)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from pcip import clock
from pcip.auth.permissions import Principal
from pcip.complaints import service as complaints
from pcip.complaints.schemas import ComplaintIn
from pcip.demo.accounts import DEMO_UNIT, demo_subjects
from pcip.demo.cases import AS_OPERATOR
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind
from pcip.kernel.platform import Platform
from pcip.providers.models import Provider
from pcip.records.models import BasisDocument, CreditRecord, RecordVersion
from pcip.revocation import service as revocation
from pcip.revocation.schemas import ChangeIn


def create_demo_remedies(platform: Platform) -> tuple[int, int]:
    """One court revocation of a penalty's basis and one complaint: (changes, complaints)."""
    changes = made = 0
    with platform.transaction() as s:
        unit = s.scalar(select(Provider).where(Provider.name == DEMO_UNIT)) or s.scalar(
            select(Provider).order_by(Provider.id).limit(1)
        )
        if unit is None:
            return 0, 0
        # The unit's last penalty (the demo objections take its first ones).
        row = s.execute(
            select(BasisDocument, CreditRecord.subject_id)
            .join(RecordVersion, RecordVersion.basis_id == BasisDocument.id)
            .join(CreditRecord, CreditRecord.id == RecordVersion.record_id)
            .where(CreditRecord.provider_id == unit.id, CreditRecord.item_code == "admin_penalty")
            .order_by(CreditRecord.id.desc())
            .limit(1)
        ).first()
        _person, org = demo_subjects(s)
        org_id = org.id if org is not None else None
        if row is not None:
            s.expunge(row[0])
    today = clock.today()
    if row is not None:
        doc, _sid = row
        body = ChangeIn(
            basis_issuer=doc.issuer,
            basis_number=doc.number,
            kind="revoked",
            document_kind="judgment",
            document_number="（2026）渝0103行初88号（演示）",
            document_issuer="重庆市渝中区人民法院",
            document_date=max(doc.decision_date, today - timedelta(days=3)),
            document_ref="判决书正本存档（演示）",
            reason="法院判决撤销原行政处罚决定（演示数据）",
        )
        with platform.transaction() as s:
            revocation.register(s, AS_OPERATOR, body, channel="console")
        changes = 1
    if org_id is not None:
        who = Principal.internal(
            Actor(ActorKind.SUBJECT, str(org_id), "demo subject"), subject_id=org_id
        )
        with platform.transaction() as s:
            complaints.lodge(
                s,
                who,
                ComplaintIn(
                    category="disclosure",
                    against=DEMO_UNIT,
                    description="处罚已履行完毕，公示内容未同步更新（演示数据）。",
                ),
                "portal",
            )
        made = 1
    return changes, made
