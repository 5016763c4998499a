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

    Entries a law keeps confidential (D-26) are shown only as a count per inquiring unit,
    without time, purpose or records.
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
        if r.confidential_basis:
            confidential[r.inquirer_display] += 1
            continue
        entries.append(
            InquiryLogEntry(
                inquiry_id=r.id,
                at=r.at,
                mode=r.mode,
                channel=r.channel,
                purpose=r.purpose,
                inquirer=r.inquirer_display,
                records_returned=r.returned_count,
                authorization_id=r.authorization_id,
            )
        )
    return InquiryHistory(
        entries=entries,
        confidential=[
            ConfidentialCount(inquirer=k, count=v) for k, v in sorted(confidential.items())
        ],
    )
