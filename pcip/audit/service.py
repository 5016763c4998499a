"""Writing and verifying the audit chain.

Each event's seal is ``HMAC(audit_key, canonical(event fields + previous seal))``. Editing a
row breaks its own seal; deleting one leaves a gap in ``seq``; reordering breaks the link to
the predecessor; truncating the tail disagrees with the head anchor in ``platform_meta``.
The write happens in the caller's transaction, so an action and its audit row commit together.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from pcip import clock
from pcip.actors import Actor
from pcip.audit.models import AuditEvent
from pcip.db import is_postgres
from pcip.errors import ConfigError
from pcip.keyring import Keyring
from pcip.meta import get_meta, set_meta

GENESIS = "0" * 64
HEAD_KEY = "audit_head"
# Any constant works: it names the advisory lock that serialises writers on PostgreSQL.
_PG_LOCK = 0x70C1_A0D1


def keyring_of(session: Session) -> Keyring:
    ring = session.info.get("keyring")
    if not isinstance(ring, Keyring):
        raise ConfigError("no keyring bound to this database session (open it via Platform)")
    return ring


def _canonical(e: AuditEvent) -> bytes:
    body = {
        "seq": e.seq,
        "at": e.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": e.actor,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "article": e.article,
        "details": e.details,
        "prev": e.prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _head(session: Session) -> tuple[int, str] | None:
    """The anchor (last seq and seal); None if it was altered into something unreadable."""
    raw = get_meta(session, HEAD_KEY)
    if raw is None:
        return 0, GENESIS
    seq, _, digest = raw.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        return None
    return int(seq), digest


def record(
    session: Session,
    actor: Actor | str,
    action: str,
    *,
    object_type: str,
    object_id: str | int,
    article: str,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction. Never log a citizen ID number here."""
    if is_postgres(session):
        # Serialise chain writers for the rest of this transaction.
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
    head = _head(session)
    if head is None:
        raise ConfigError("the audit chain head anchor is unreadable; run 'pcip audit verify'")
    seq, prev = head
    event = AuditEvent(
        seq=seq + 1,
        at=clock.now().astimezone(UTC),
        actor=str(actor),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        article=article,
        details=_jsonable(details or {}),
        prev_hash=prev,
    )
    event.hash = keyring_of(session).audit_mac(_canonical(event))
    session.add(event)
    set_meta(session, HEAD_KEY, f"{event.seq}:{event.hash}")
    session.flush()
    return event


def _jsonable(details: dict[str, Any]) -> dict[str, Any]:
    # Round-trip so what is sealed is exactly what the database gives back.
    out: dict[str, Any] = json.loads(json.dumps(details, default=str, ensure_ascii=False))
    return out


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    problem: str | None = None
    first_bad_seq: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "problem": self.problem,
            "first_bad_seq": self.first_bad_seq,
        }


def _stream(session: Session, batch: int = 5000) -> Iterator[AuditEvent | int]:
    """Events in seq order; the bare seq of a row whose stored values cannot even be read.

    Reading happens in chunks; a chunk that fails to load (a column overwritten with bytes
    that are not JSON or not a time) is re-read row by row to name the unreadable entry.
    """
    last = 0
    while True:
        seqs = list(
            session.scalars(
                select(AuditEvent.seq)
                .where(AuditEvent.seq > last)
                .order_by(AuditEvent.seq)
                .limit(batch)
            )
        )
        if not seqs:
            return
        try:
            rows: list[AuditEvent | int] = list(
                session.scalars(
                    select(AuditEvent).where(AuditEvent.seq.in_(seqs)).order_by(AuditEvent.seq)
                )
            )
        except (ValueError, TypeError):
            rows = [_load_one(session, seq) for seq in seqs]
        yield from rows
        last = seqs[-1]
        session.expunge_all()


def _load_one(session: Session, seq: int) -> AuditEvent | int:
    try:
        event = session.scalars(select(AuditEvent).where(AuditEvent.seq == seq)).one()
    except (ValueError, TypeError):
        return seq
    return event


def verify(session: Session) -> VerifyResult:
    """Walk the whole chain; name the first entry that was altered, removed or reordered."""
    ring = keyring_of(session)
    expected_seq, prev, checked = 1, GENESIS, 0
    for e in _stream(session):
        if isinstance(e, int):
            if e != expected_seq:
                return VerifyResult(
                    False, checked, f"entry {expected_seq} is missing (removed)", expected_seq
                )
            return VerifyResult(False, checked, f"entry {e} was altered (unreadable)", e)
        if e.seq != expected_seq:
            return VerifyResult(
                False, checked, f"entry {expected_seq} is missing (removed)", expected_seq
            )
        if e.prev_hash != prev:
            return VerifyResult(
                False,
                checked,
                f"entry {e.seq} does not follow entry {e.seq - 1} (reordered, or its "
                "predecessor was altered)",
                e.seq,
            )
        if ring.audit_mac(_canonical(e)) != e.hash:
            return VerifyResult(False, checked, f"entry {e.seq} was altered", e.seq)
        prev, expected_seq, checked = e.hash, expected_seq + 1, checked + 1
    head = _head(session)
    if head is None:
        return VerifyResult(False, checked, "the head anchor was altered (unreadable)", None)
    head_seq, head_hash = head
    if head_seq != checked or head_hash != prev:
        return VerifyResult(
            False,
            checked,
            f"the chain ends at entry {checked} but the head anchor records entry {head_seq} "
            "(entries removed from the end, or the anchor was altered)",
            checked + 1,
        )
    return VerifyResult(True, checked)
