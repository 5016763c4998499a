"""Questions about the inquiry log that the console and the reports ask (Art. 22, 28)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pcip.inquiry.models import InquiryLog


def inquiries_per_mode(session: Session) -> dict[str, int]:
    """How many inquiries the log holds per Art. 22 mode (modes with none are absent)."""
    q = select(InquiryLog.mode, func.count()).group_by(InquiryLog.mode)
    return {mode: int(n) for mode, n in session.execute(q).all()}
