"""The change feed (Art. 6, 25): every change that leaves the platform, for the national
platform and the receiving departments, in one append-only table whose id is the cursor.

Where changes come from:

* ``publish(...)``: the one function any area calls (in its own transaction) for a change it
  makes. Areas that sit below this package in the layers cannot import it; for those the
  collector below reads their append-only history instead, which needs no change in them.
* ``collect(session)``: reads, past its watermarks, the append-only facts that exist now:
  record versions (new, changed, corrected), record events (withdrawn, removed, restored,
  basis revoked, provision stopped) and designation events (listed, removed, expired,
  revoked, imported). Collecting twice appends nothing twice (``source``/``source_key``).
* expiries are derived, not stored anywhere else: when the feed is built for a day, a record
  whose current version's publicity period ended before that day gets one ``record.expired``.

Not yet wired (the lead connects them when those areas land): restorations and credit repair
decisions as their own kinds, revocations, complaints outcomes. They reach the feed today only
through the record events they write (``restored``, ``basis_revoked``, ``removed``).

Reading: a receiver reads ``changes_for`` from its cursor; every change it is offered becomes a
``Delivery`` (attempts, next retry with backoff, acknowledgement). Withdrawals, removals and
expiries of a record reach every receiver that got the record, whatever its scopes now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.orm import Session

from pcip import clock
from pcip.db import is_postgres
from pcip.errors import ValidationError
from pcip.exchange.models import Change, Delivery, Receiver, Watermark
from pcip.kernel.messages import msg
from pcip.lists.models import Designation, DesignationEvent
from pcip.records.models import CreditRecord, RecordEvent, RecordVersion
from pcip.records.reasons import reason_text

#: The change kinds, by scope (a receiver's scopes name these families).
SCOPES: dict[str, tuple[str, ...]] = {
    "records": (
        "record.new",
        "record.changed",
        "record.corrected",
        "record.withdrawn",
        "record.removed",
        "record.restored",
        "record.basis_revoked",
        "record.provision_stopped",
        "record.expired",
    ),
    "lists": (
        "listing.listed",
        "listing.removed",
        "listing.expired",
        "listing.revoked",
        "listing.imported",
    ),
}
KINDS = tuple(k for kinds in SCOPES.values() for k in kinds)
#: Art. 6, 25: what takes a record out of circulation reaches every receiver that had it.
FOLLOW_RECORD = ("record.withdrawn", "record.removed", "record.expired", "record.basis_revoked")
#: Seconds before an unacknowledged change is offered again, by attempt (then the last).
BACKOFF = (60, 300, 1800, 7200, 21600)
_CORRECTION_CAUSES = ("objection", "correction")
_RECORD_EVENTS = {
    "withdrawn": "record.withdrawn",
    "removed": "record.removed",
    "restored": "record.restored",
    "basis_revoked": "record.basis_revoked",
    "provision_stopped": "record.provision_stopped",
}
_LIST_EVENTS = {
    "listed": "listing.listed",
    "removed": "listing.removed",
    "expired": "listing.expired",
    "revoked": "listing.revoked",
    "imported": "listing.imported",
}
_COLLECT_LOCK = 0x70C1_FEED
#: Source rows read per collect step.
_STEP = 5000


def publish(
    s: Session,
    *,
    kind: str,
    object_type: str,
    object_id: int,
    source: str,
    source_key: str,
    payload: dict[str, Any],
    record_id: int | None = None,
    subject_id: int | None = None,
    occurred_at: datetime | None = None,
) -> Change | None:
    """Append one change (idempotent on ``source``/``source_key``); None if already there."""
    if kind not in KINDS:
        raise ValidationError(
            msg("exchange.unknown_kind", kind=repr(kind), kinds=list(KINDS)), field="kind"
        )
    exists = s.scalar(
        select(Change.id).where(Change.source == source, Change.source_key == source_key)
    )
    if exists is not None:
        return None
    change = Change(
        kind=kind,
        object_type=object_type,
        object_id=object_id,
        record_id=record_id,
        subject_id=subject_id,
        source=source,
        source_key=source_key[:64],
        occurred_at=occurred_at or clock.now(),
        payload=payload,
    )
    s.add(change)
    s.flush()
    return change


def _mark(s: Session, name: str) -> str | None:
    w = s.get(Watermark, name)
    return w.value if w else None


def _set_mark(s: Session, name: str, value: str) -> None:
    w = s.get(Watermark, name)
    if w is None:
        s.add(Watermark(name=name, value=value))
    else:
        w.value = value


def collect(s: Session, today: date | None = None) -> int:
    """Append the changes the append-only sources hold past the watermarks; expiries to
    ``today``. Returns how many were appended."""
    today = today or clock.today()
    if is_postgres(s):  # one collector at a time: two readers must not append the same change
        s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _COLLECT_LOCK})
    added = 0
    for step in (_collect_versions, _collect_record_events, _collect_list_events):
        while True:  # each step reads at most _STEP source rows
            got, read = step(s)
            added += got
            if read < _STEP:
                break
    return added + _collect_expiries(s, today)


def _collect_versions(s: Session) -> tuple[int, int]:
    after = int(_mark(s, "record_version") or 0)
    rows = s.execute(
        select(RecordVersion, CreditRecord.item_code)
        .join(CreditRecord, CreditRecord.id == RecordVersion.record_id)
        .where(RecordVersion.id > after)
        .order_by(RecordVersion.id)
        .limit(_STEP)
    ).all()
    n = 0
    for v, item in rows:
        if v.version == 1:
            kind = "record.new"
        elif v.cause_type in _CORRECTION_CAUSES:
            kind = "record.corrected"
        else:
            kind = "record.changed"
        n += _add(
            s,
            kind,
            "record",
            v.record_id,
            "record_version",
            str(v.id),
            {
                "item": item,
                "version": v.version,
                "reason": reason_text(v.reason),
                "cause": [v.cause_type, v.cause_id] if v.cause_type else None,
                "publicity_end": v.publicity_end.isoformat() if v.publicity_end else None,
                "content_sha256": v.content_sha256,
                "batch_id": v.batch_id,
            },
            record_id=v.record_id,
            subject_id=v.subject_id,
            at=v.recorded_at,
        )
    if rows:
        _set_mark(s, "record_version", str(rows[-1][0].id))
    return n, len(rows)


def _collect_record_events(s: Session) -> tuple[int, int]:
    after = int(_mark(s, "record_event") or 0)
    events = list(
        s.scalars(
            select(RecordEvent).where(RecordEvent.id > after).order_by(RecordEvent.id).limit(_STEP)
        )
    )
    n = 0
    for e in events:
        kind = _RECORD_EVENTS.get(e.kind)
        if kind is None:
            continue  # objection labels stay on this platform (Art. 40-41)
        n += _add(
            s,
            kind,
            "record",
            e.record_id,
            "record_event",
            str(e.id),
            {
                "effective_on": e.effective_on.isoformat(),
                "cause": [e.cause_type, e.cause_id] if e.cause_type else None,
                "note": e.note,
            },
            record_id=e.record_id,
            subject_id=e.subject_id,
            at=e.recorded_at,
        )
    if events:
        _set_mark(s, "record_event", str(events[-1].id))
    return n, len(events)


def _collect_list_events(s: Session) -> tuple[int, int]:
    after = int(_mark(s, "designation_event") or 0)
    rows = s.execute(
        select(DesignationEvent, Designation)
        .join(Designation, Designation.id == DesignationEvent.designation_id)
        .where(DesignationEvent.id > after)
        .order_by(DesignationEvent.id)
        .limit(_STEP)
    ).all()
    n = 0
    for e, d in rows:
        kind = _LIST_EVENTS.get(e.kind)
        if kind is None:
            continue  # the designation procedure's inner steps (SM-2) do not leave
        n += _add(
            s,
            kind,
            "designation",
            d.id,
            "designation_event",
            str(e.id),
            {
                "list_type": d.list_type,
                "origin": d.origin,
                "deciding_authority": d.deciding_authority,
                "case_ref": d.case_ref,
                "on": e.on.isoformat(),
                "listed_on": d.listed_on.isoformat() if d.listed_on else None,
                "listed_until": d.listed_until.isoformat() if d.listed_until else None,
            },
            subject_id=d.subject_id,
            at=e.at,
        )
    if rows:
        _set_mark(s, "designation_event", str(rows[-1][0].id))
    return n, len(rows)


def _collect_expiries(s: Session, today: date) -> int:
    """Records whose current publicity period ended before ``today`` and after the last day
    computed: one ``record.expired`` each (derived from time passing, Art. 43)."""
    since = _mark(s, "expiry_day")
    if since is not None and date.fromisoformat(since) >= today:
        return 0
    latest = (
        select(RecordVersion.record_id, func.max(RecordVersion.version).label("v"))
        .group_by(RecordVersion.record_id)
        .subquery()
    )
    cond = [RecordVersion.publicity_end < today]
    if since is not None:
        cond.append(RecordVersion.publicity_end >= date.fromisoformat(since))
    rows = s.execute(
        select(RecordVersion)
        .join(
            latest,
            and_(
                latest.c.record_id == RecordVersion.record_id, latest.c.v == RecordVersion.version
            ),
        )
        .where(*cond)
        .order_by(RecordVersion.record_id)
    ).scalars()
    n = 0
    for v in rows:
        assert v.publicity_end is not None
        n += _add(
            s,
            "record.expired",
            "record",
            v.record_id,
            "expiry",
            f"{v.record_id}:{v.publicity_end.isoformat()}",
            {"publicity_end": v.publicity_end.isoformat()},
            record_id=v.record_id,
            subject_id=v.subject_id,
            at=datetime.combine(v.publicity_end + timedelta(days=1), time(), clock.CST),
        )
    _set_mark(s, "expiry_day", today.isoformat())
    return n


def _add(
    s: Session,
    kind: str,
    object_type: str,
    object_id: int,
    source: str,
    key: str,
    payload: dict[str, Any],
    *,
    record_id: int | None = None,
    subject_id: int | None = None,
    at: datetime | None = None,
) -> int:
    got = publish(
        s,
        kind=kind,
        object_type=object_type,
        object_id=object_id,
        source=source,
        source_key=key,
        payload=payload,
        record_id=record_id,
        subject_id=subject_id,
        occurred_at=at,
    )
    return 0 if got is None else 1


# --- reading and acknowledging --------------------------------------------------------------


def scope_kinds(scopes: list[str]) -> tuple[str, ...]:
    return tuple(k for sc in scopes for k in SCOPES.get(sc, ()))


def changes_for(
    s: Session, receiver: Receiver, *, after: int | None = None, limit: int = 500
) -> list[Change]:
    """The receiver's next changes after ``after`` (default: its acknowledged cursor), each
    recorded as offered (a delivery). A record's withdrawal, removal or expiry is included for
    every receiver that was offered the record, even outside its scopes."""
    if limit < 1 or limit > 5000:
        raise ValidationError(msg("exchange.limit_range", name="limit"), field="limit")
    cursor = receiver.acked_cursor if after is None else after
    if cursor < 0:
        raise ValidationError(msg("exchange.not_negative", name="after"), field="after")
    kinds = scope_kinds(receiver.scopes)
    out: list[Change] = []
    seen_records: set[int] = set()
    while len(out) < limit:
        batch = list(
            s.scalars(
                select(Change)
                .where(
                    Change.id > cursor,
                    or_(
                        Change.kind.in_(kinds),
                        and_(Change.kind.in_(FOLLOW_RECORD), Change.record_id.is_not(None)),
                    ),
                )
                .order_by(Change.id)
                .limit(limit)
            )
        )
        if not batch:
            break
        follow = {c.record_id for c in batch if c.kind in FOLLOW_RECORD and c.kind not in kinds}
        had_now = (
            set(
                s.scalars(
                    select(Delivery.record_id).where(
                        Delivery.receiver_id == receiver.id, Delivery.record_id.in_(follow)
                    )
                )
            )
            if follow
            else set()
        )
        for c in batch:
            cursor = c.id
            if c.kind in kinds or (c.record_id in had_now or c.record_id in seen_records):
                out.append(c)
                if c.record_id is not None:
                    seen_records.add(c.record_id)
                if len(out) >= limit:
                    break
    _offered(s, receiver, out)
    return out


def _offered(s: Session, receiver: Receiver, changes: list[Change]) -> None:
    if not changes:
        return
    now = clock.now()
    ids = [c.id for c in changes]
    known = {
        d.change_id: d
        for d in s.scalars(
            select(Delivery).where(Delivery.receiver_id == receiver.id, Delivery.change_id.in_(ids))
        )
    }
    for c in changes:
        d = known.get(c.id)
        if d is None:
            s.add(
                Delivery(
                    receiver_id=receiver.id,
                    change_id=c.id,
                    record_id=c.record_id,
                    attempts=1,
                    first_sent_at=now,
                    last_sent_at=now,
                    next_attempt_at=now + timedelta(seconds=BACKOFF[0]),
                    acked_at=None,
                )
            )
        elif d.acked_at is None:
            d.attempts += 1
            d.last_sent_at = now
            d.next_attempt_at = now + timedelta(seconds=backoff(d.attempts))
    s.flush()


def backoff(attempts: int) -> int:
    """Seconds to wait after the ``attempts``-th offer before offering again."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def due(s: Session, receiver: Receiver, now: datetime | None = None) -> list[Change]:
    """Changes offered, not acknowledged, whose retry time has come (backoff)."""
    now = now or clock.now()
    return list(
        s.scalars(
            select(Change)
            .join(Delivery, Delivery.change_id == Change.id)
            .where(
                Delivery.receiver_id == receiver.id,
                Delivery.acked_at.is_(None),
                Delivery.next_attempt_at <= now,
            )
            .order_by(Change.id)
        )
    )


def retry(s: Session, receiver: Receiver, changes: list[Change]) -> None:
    _offered(s, receiver, changes)


def acknowledge(s: Session, receiver: Receiver, up_to: int) -> int:
    """The receiver has everything offered up to ``up_to``. Returns how many were newly
    acknowledged; the receiver's cursor moves there."""
    if up_to < 0:
        raise ValidationError(msg("exchange.not_negative", name="up_to"), field="up_to")
    top = s.scalar(select(func.max(Change.id))) or 0
    if up_to > top:
        raise ValidationError(
            msg("exchange.past_last", name="up_to", up_to=up_to, top=top), field="up_to"
        )
    now = clock.now()
    pending = list(
        s.scalars(
            select(Delivery).where(
                Delivery.receiver_id == receiver.id,
                Delivery.change_id <= up_to,
                Delivery.acked_at.is_(None),
            )
        )
    )
    for d in pending:
        d.acked_at, d.next_attempt_at = now, None
    receiver.acked_cursor = max(receiver.acked_cursor, up_to)
    return len(pending)


@dataclass(frozen=True)
class Reconciliation:
    """A receiver's day (Art. 25): what was sent, acknowledged, and what is still pending."""

    receiver: str
    day: date
    sent: int
    acknowledged: int
    pending: int
    oldest_pending: int | None
    cursor: int
    #: Art. 25 integration health: the receiver's last acknowledgement, ever.
    last_acknowledged_at: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "receiver": self.receiver,
            "day": self.day.isoformat(),
            "sent": self.sent,
            "acknowledged": self.acknowledged,
            "pending": self.pending,
            "oldest_pending": self.oldest_pending,
            "cursor": self.cursor,
            "last_acknowledged_at": (
                self.last_acknowledged_at.isoformat() if self.last_acknowledged_at else None
            ),
        }


def reconciliation(s: Session, receiver: Receiver, day: date) -> Reconciliation:
    start = datetime.combine(day, time(), clock.CST)
    end = start + timedelta(days=1)
    base = select(func.count()).select_from(Delivery).where(Delivery.receiver_id == receiver.id)
    sent = s.scalar(base.where(Delivery.first_sent_at >= start, Delivery.first_sent_at < end))
    acked = s.scalar(base.where(Delivery.acked_at >= start, Delivery.acked_at < end))
    open_ = and_(
        Delivery.first_sent_at < end, or_(Delivery.acked_at.is_(None), Delivery.acked_at >= end)
    )
    pending = s.scalar(base.where(open_))
    oldest = s.scalar(
        select(func.min(Delivery.change_id)).where(Delivery.receiver_id == receiver.id, open_)
    )
    last = s.scalar(select(func.max(Delivery.acked_at)).where(Delivery.receiver_id == receiver.id))
    return Reconciliation(
        receiver.code,
        day,
        int(sent or 0),
        int(acked or 0),
        int(pending or 0),
        oldest,
        receiver.acked_cursor,
        last,
    )


def change_json(c: Change) -> dict[str, Any]:
    return {
        "cursor": c.id,
        "kind": c.kind,
        "object_type": c.object_type,
        "object_id": c.object_id,
        "record_id": c.record_id,
        "subject_id": c.subject_id,
        "occurred_at": c.occurred_at.isoformat(),
        "payload": c.payload,
    }
