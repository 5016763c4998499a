"""Art. 28: alerts on bulk or anomalous querying.

After each logged inquiry by an identified inquirer (a unit, a third party, a staff member),
the inquiries it made in the current clock hour are counted; crossing the configured threshold
raises one alert for that hour: a row on the operator's console and an audit event, written in
the inquiry's own transaction. Anonymous public inquiries are throttled per client instead
(``pcip.doors.ratelimit``), since there is no account to alert about.
"""

from __future__ import annotations

import threading
import weakref
from datetime import datetime
from typing import Any, cast

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Principal
from pcip.errors import NotFound
from pcip.inquiry.models import InquiryAlert, InquiryLog
from pcip.inquiry.schemas import AlertOut
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.messages import msg
from pcip.kernel.shared_state import MemoryState, SharedState


def window_start(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


#: How long (seconds) a running count lives before it is read from the log again: inquiries
#: that never reached it (another server with another store, a rolled-back inquiry counted
#: too many) are set right at least this often (measured time, not the platform clock: this
#: is about staleness, not about legal dates).
RESYNC_SECONDS = 60.0

#: Stores of the sessions that carry none (a session made outside ``Platform``), per database.
_LOCAL: weakref.WeakKeyDictionary[Any, SharedState] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def check_volume(
    session: Session,
    inquirer: str,
    display: str,
    at: datetime,
    threshold: int,
    *,
    added: int = 1,
) -> InquiryAlert | None:
    """Count this inquiry (or the ``added`` inquiries of a batch credit check, already in the
    log); raise the hour's alert when the count first exceeds ``threshold``.

    Counting the log on every inquiry cost a scan of the inquirer's whole hour, growing with
    its volume. Instead a running count per inquirer and hour is kept in the platform's shared
    state (Redis with ``PCIP_REDIS_URL``: one count for every server process, issue 22),
    read from the log when the hour starts (or when the count is first needed) and again
    every ``RESYNC_SECONDS``; each inquiry adds one. Only when it exceeds the threshold does
    the log decide (an exact count), so no alert is ever raised on an estimate; an hour
    already alerted adds one to the alert's figure per inquiry, keeping it current.
    """
    start = window_start(at)
    running = _running(session, inquirer, start, added)
    if running <= threshold:
        return None
    bumped = session.execute(
        update(InquiryAlert)
        .where(InquiryAlert.inquirer == inquirer, InquiryAlert.window_start == start)
        .values(count=InquiryAlert.count + added)
        .execution_options(synchronize_session=False)
    )
    if getattr(bumped, "rowcount", 0):
        return None
    count = _count(session, inquirer, start)
    _remember(session, inquirer, start, count)
    if count <= threshold:
        return None
    alert = InquiryAlert(
        inquirer=inquirer,
        inquirer_display=display,
        window_start=start,
        count=count,
        threshold=threshold,
        raised_at=clock.now(),
    )
    # Two inquiries crossing the threshold at once (other transactions, other processes) both
    # get here: the second insert waits for the first and then violates the hour's unique
    # key. That inquiry counts on the alert the other raised, as any later one does; only
    # the savepoint is undone, never the inquiry and its log entry (issue 23: it was a 500).
    try:
        with session.begin_nested():
            session.add(alert)
            session.flush()
    except IntegrityError:
        session.execute(
            update(InquiryAlert)
            .where(InquiryAlert.inquirer == inquirer, InquiryAlert.window_start == start)
            .values(count=InquiryAlert.count + added)
            .execution_options(synchronize_session=False)
        )
        return None
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


def _count(session: Session, inquirer: str, start: datetime) -> int:
    """The inquirer's logged inquiries since ``start`` (this transaction's included)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(InquiryLog)
            .where(InquiryLog.inquirer == inquirer, InquiryLog.at >= start)
        )
        or 0
    )


def _store(session: Session) -> SharedState:
    state = session.info.get("shared")
    if state is not None:
        return cast(SharedState, state)
    with _LOCK:
        return _LOCAL.setdefault(session.get_bind(), MemoryState())


def _key(inquirer: str, start: datetime) -> str:
    return f"alerts:{start:%Y%m%d%H}:{inquirer}"


def _running(session: Session, inquirer: str, start: datetime, added: int = 1) -> int:
    """The running count of the inquirer's inquiries in the hour, these ``added`` included."""
    state = _store(session)
    key = _key(inquirer, start)
    running = state.bump(key, added)
    if running is not None:
        return running
    count = _count(session, inquirer, start)  # this transaction's inquiries included
    # Another process may have started the count meanwhile: then these are added to it.
    return state.seed(key, count, added, RESYNC_SECONDS)


def _remember(session: Session, inquirer: str, start: datetime, count: int) -> None:
    """The exact count from the log replaces the running one (until its next resync)."""
    _store(session).set(_key(inquirer, start), count, RESYNC_SECONDS)


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
        raise NotFound(msg("inquiry.no_alert", id=alert_id), field="alert_id")
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
