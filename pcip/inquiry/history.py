"""Art. 39 and D-26: the subject's view of who inquired about them."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip.inquiry.models import InquiryLog
from pcip.inquiry.schemas import ConfidentialCount, InquiryHistory, InquiryLogEntry

#: The newest entries shown; older ones stay in the log until purged (three years).
HISTORY_LIMIT = 1000


def about(session: Session, subject_id: int) -> InquiryHistory:
    """Every inquiry about the subject, newest first.

    D-26: an inquiry a law keeps confidential is listed with the inquiring unit and its time
    only (``withheld``): the subject learns that it was made and when, not why or what was
    read. The withheld entries are also counted per unit.
    """
    rows = session.scalars(
        select(InquiryLog)
        .where(InquiryLog.subject_id == subject_id)
        .order_by(InquiryLog.at.desc(), InquiryLog.id.desc())
        .limit(HISTORY_LIMIT)
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
        confidential=[
            ConfidentialCount(inquirer=k, count=v) for k, v in sorted(confidential.items())
        ],
    )
