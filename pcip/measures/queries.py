"""Counts of listings and credit checks over a period (issue 16.8; Art. 28 oversight). Here,
above both ``pcip.lists`` and the inquiry log, as the layers require.

The dashboard reads these; the web layer holds no query. A period is a pair of legal days,
both inclusive. Expiry is derived (``listed_until`` passed) whether or not the sweep has
recorded it yet (SM-2), so an expiry counts on the day after ``listed_until``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from pcip.clock import CST
from pcip.inquiry.models import InquiryLog
from pcip.lists.models import Designation

#: How ``pcip.measures.checks`` marks a credit check's inquiry-log purpose (Art. 22, 31).
CHECK_PURPOSE_PREFIX = "credit_check:"


@dataclass(frozen=True)
class ListCounts:
    start: date
    end: date
    #: Listings in force on ``end`` (Art. 32: listed, not ended, within the rule's period).
    in_force: int
    #: Listings that began in the period.
    listed: int
    #: Listings ended in the period, by how (Art. 44, 45; list rules).
    removed: int
    expired: int
    revoked: int
    #: Subjects checked in the period (Art. 31, 34; each logged as an authority inquiry).
    credit_checks: int


def _day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=CST)


def counts(session: Session, start: date, end: date) -> ListCounts:
    """Listings in force on ``end``; listings, removals, expiries, revocations and credit checks
    from ``start`` to ``end`` inclusive."""
    d = Designation

    def n(*where: ColumnElement[bool]) -> int:
        return int(session.scalar(select(func.count()).select_from(d).where(*where)) or 0)

    in_force = n(
        d.listed_on.is_not(None),
        d.listed_on <= end,
        or_(d.ended_on.is_(None), d.ended_on > end),
        or_(d.listed_until.is_(None), d.listed_until >= end),
    )
    listed = n(d.listed_on >= start, d.listed_on <= end)

    def ended(kind: str) -> int:
        return n(d.end_kind == kind, d.ended_on >= start, d.ended_on <= end)

    # Derived expiries the sweep has not recorded yet: listed_until + 1 day in the period.
    unrecorded = n(
        d.listed_on.is_not(None),
        d.ended_on.is_(None),
        and_(d.listed_until >= start - timedelta(days=1), d.listed_until < end),
    )
    checks = int(
        session.scalar(
            select(func.count())
            .select_from(InquiryLog)
            .where(
                InquiryLog.purpose.like(CHECK_PURPOSE_PREFIX + "%"),
                InquiryLog.at >= _day_start(start),
                InquiryLog.at < _day_start(end + timedelta(days=1)),
            )
        )
        or 0
    )
    return ListCounts(
        start=start,
        end=end,
        in_force=in_force,
        listed=listed,
        removed=ended("removed"),
        expired=ended("expired") + unrecorded,
        revoked=ended("revoked"),
        credit_checks=checks,
    )
