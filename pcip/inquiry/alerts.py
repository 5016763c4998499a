"""Art. 28: alerts on bulk or anomalous querying.

After each logged inquiry by an identified inquirer (a unit, a third party, a staff member),
the inquiries it made in the current clock hour are counted; crossing the configured threshold
raises one alert for that hour: a row on the operator's console and an audit event, written in
the inquiry's own transaction. Anonymous public inquiries are throttled per client instead
(``pcip.ratelimit``), since there is no account to alert about.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pcip import audit, clock
from pcip.actors import Actor
from pcip.auth.permissions import Principal
from pcip.errors import NotFound
from pcip.inquiry.models import InquiryAlert, InquiryLog
from pcip.inquiry.schemas import AlertOut


def window_start(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def check_volume(
    session: Session, inquirer: str, display: str, at: datetime, threshold: int
) -> InquiryAlert | None:
    start = window_start(at)
    count = session.scalar(
        select(func.count())
        .select_from(InquiryLog)
        .where(InquiryLog.inquirer == inquirer, InquiryLog.at >= start)
    )
    if not count or count <= threshold:
        return None
    existing = session.scalar(
        select(InquiryAlert).where(
            InquiryAlert.inquirer == inquirer, InquiryAlert.window_start == start
        )
    )
    if existing is not None:
        existing.count = count  # keep the figure current; one alert per inquirer and hour
        return None
    alert = InquiryAlert(
        inquirer=inquirer,
        inquirer_display=display,
        window_start=start,
        count=count,
        threshold=threshold,
        raised_at=clock.now(),
    )
    session.add(alert)
    session.flush()
    audit.record(
        session,
        audit_actor(),
        "inquiry.abnormal_volume",
        object_type="inquiry_alert",
        object_id=str(alert.id),
        article="Art. 28",
        details={"inquirer": inquirer, "count": count, "threshold": threshold},
    )
    return alert


def audit_actor() -> Actor:
    return Actor.system("inquiry-monitor")


def list_alerts(session: Session, *, open_only: bool = False) -> list[AlertOut]:
    query = select(InquiryAlert).order_by(InquiryAlert.raised_at.desc()).limit(500)
    if open_only:
        query = query.where(InquiryAlert.acknowledged_at.is_(None))
    return [out(a) for a in session.scalars(query)]


def acknowledge(session: Session, principal: Principal, alert_id: int) -> AlertOut:
    alert = session.get(InquiryAlert, alert_id)
    if alert is None:
        raise NotFound(f"no alert {alert_id}", field="alert_id")
    if alert.acknowledged_at is None:
        alert.acknowledged_at = clock.now()
        alert.acknowledged_by = str(principal.actor)
        audit.record(
            session,
            principal.actor,
            "inquiry_alert.acknowledge",
            object_type="inquiry_alert",
            object_id=str(alert.id),
            article="Art. 28",
            details={},
        )
    return out(alert)


def out(a: InquiryAlert) -> AlertOut:
    return AlertOut(
        alert_id=a.id,
        inquirer=a.inquirer,
        inquirer_display=a.inquirer_display,
        window_start=a.window_start,
        count=a.count,
        threshold=a.threshold,
        raised_at=a.raised_at,
        acknowledged_by=a.acknowledged_by,
        acknowledged_at=a.acknowledged_at,
    )
