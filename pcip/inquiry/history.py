"""Art. 39 and D-26: the subject's view of who inquired about them."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from pcip.inquiry.models import InquiryLog
from pcip.inquiry.schemas import ConfidentialCount, InquiryHistory, InquiryLogEntry
from pcip.kernel.enums import InquiryMode

#: The newest entries shown; older ones stay in the log until purged (three years).
HISTORY_LIMIT = 1000


def about(session: Session, subject_id: int, *, hide_own: bool = False) -> InquiryHistory:
    """Every inquiry about the subject, newest first.

    D-26: an inquiry a law keeps confidential is listed with the inquiring unit and its time
    only (``withheld``): the subject learns that it was made and when, not why or what was
    read. The withheld entries are also counted per unit.

    ``hide_own`` leaves out the subject's own views (self inquiries) so that other people's
    stand out; they stay in the log (Art. 22) and are counted in ``hidden_own``.
    """
    about_them = InquiryLog.subject_id == subject_id
    own = and_(about_them, InquiryLog.mode == InquiryMode.SELF.value)
    query = select(InquiryLog).where(about_them)
    hidden = 0
    if hide_own:
        hidden = session.scalar(select(func.count()).select_from(InquiryLog).where(own)) or 0
        query = query.where(InquiryLog.mode != InquiryMode.SELF.value)
    rows = session.scalars(
        query.order_by(InquiryLog.at.desc(), InquiryLog.id.desc()).limit(HISTORY_LIMIT)
    )
    entries: list[InquiryLogEntry] = []
    confidential: Counter[str] = Counter()
    for r in rows:
        withheld = bool(r.confidential_reason or r.confidential_basis)
        if withheld:
            confidential[r.inquirer_display] += 1
        entries.append(
            InquiryLogEntry(
                inquiry_id=r.id,
                at=r.at,
                inquirer=r.inquirer_display,
                withheld=withheld,
                mode=None if withheld else r.mode,
                channel=None if withheld else r.channel,
                purpose=None if withheld else r.purpose,
                records_returned=None if withheld else r.returned_count,
                authorization_id=None if withheld else r.authorization_id,
            )
        )
    return InquiryHistory(
        entries=entries,
        hidden_own=hidden,
        confidential=[
            ConfidentialCount(inquirer=k, count=v) for k, v in sorted(confidential.items())
        ],
    )
