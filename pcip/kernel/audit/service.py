"""Writing and verifying the audit chain.

Each event's seal is ``HMAC(audit_key, canonical(event fields + previous seal))``. Editing a
row breaks its own seal; deleting one leaves a gap in ``seq``; reordering breaks the link to
the predecessor; a row numbered 0 or less, or beyond the head, is named as out of range;
truncating the tail disagrees with the head anchor in ``platform_meta``, and, when the head
anchor was moved too (or everything wiped, or the chain re-sealed with the audit key), with
the signed checkpoints outside the database (``pcip.kernel.audit.anchor``).
The write happens in the caller's transaction, so an action and its audit row commit together.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from pcip import clock
from pcip.config import Settings
from pcip.db import is_postgres
from pcip.errors import ConfigError, Unavailable
from pcip.kernel.actors import Actor
from pcip.kernel.audit.anchor import ANCHOR_META, Anchor, AuditBroken, Checkpoint, read_anchor
from pcip.kernel.audit.models import AuditEvent
from pcip.kernel.keys.check import KEYS_KEY, ROTATION_KEY
from pcip.kernel.keys.keyring import Keyring
from pcip.kernel.messages import msg
from pcip.kernel.meta import PlatformMeta, get_meta

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


def _parse_head(raw: str) -> tuple[int, str] | None:
    seq, _, digest = raw.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        return None
    return int(seq), digest


def stored_head(session: Session) -> tuple[int, str] | None:
    """The head anchor (last seq and seal); None if it is missing or unreadable.

    Every database holds one from its creation on ("0:000..." before the first entry:
    migration 0009), so a missing anchor means it was removed.
    """
    raw = get_meta(session, HEAD_KEY)
    return None if raw is None else _parse_head(raw)


def _writer_state(session: Session) -> PlatformMeta:
    """The head anchor row, after checking that this process may write (one query)."""
    rows = {
        m.key: m
        for m in session.scalars(
            select(PlatformMeta)
            .where(PlatformMeta.key.in_((HEAD_KEY, KEYS_KEY, ROTATION_KEY)))
            .execution_options(populate_existing=True)
        )
    }
    if not session.info.get("key_rotation"):
        if ROTATION_KEY in rows:
            raise Unavailable(msg("audit.rotation_under_way"))
        active = rows.get(KEYS_KEY)
        ring = keyring_of(session)
        if active is not None and active.value != ring.generation:
            raise Unavailable(msg("audit.keys_rotated", now=active.value, loaded=ring.generation))
    head = rows.get(HEAD_KEY)
    if head is None:
        raise ConfigError(
            "the audit chain's head anchor is missing (removed?): changes are refused; "
            "run 'pcip audit verify'"
        )
    return head


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
    anchor_row = _writer_state(session)
    head = _parse_head(anchor_row.value)
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
    anchor_row.value = f"{event.seq}:{event.hash}"
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
    #: Every problem found (``problem`` is the first of them).
    problems: tuple[str, ...] = ()
    #: The checkpoint file compared with, how many checkpoints it holds, the latest one.
    anchor_file: str | None = None
    checkpoints: int = 0
    anchored_seq: int | None = None
    anchored_at: str | None = None

    @property
    def unanchored(self) -> int | None:
        """Entries after the latest checkpoint: removing those from the end together with the
        head anchor is not detectable until the next checkpoint is written."""
        if self.anchor_file is None:
            return None
        return max(0, self.checked - (self.anchored_seq or 0))

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "problem": self.problem,
            "first_bad_seq": self.first_bad_seq,
            "problems": list(self.problems),
            "anchor": {
                "file": self.anchor_file,
                "checkpoints": self.checkpoints,
                "latest_seq": self.anchored_seq,
                "latest_at": self.anchored_at,
                "entries_after_latest": self.unanchored,
            },
        }


def _stream(
    session: Session, after: int = 0, upto: int | None = None, batch: int = 5000
) -> Iterator[AuditEvent | int]:
    """Events in seq order; the bare seq of a row whose stored values cannot even be read.

    Reading happens in chunks; a chunk that fails to load (a column overwritten with bytes
    that are not JSON or not a time) is re-read row by row to name the unreadable entry.
    """
    last = after
    while True:
        query = select(AuditEvent.seq).where(AuditEvent.seq > last)
        if upto is not None:
            query = query.where(AuditEvent.seq <= upto)
        seqs = list(session.scalars(query.order_by(AuditEvent.seq).limit(batch)))
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


@dataclass
class _Walk:
    """The intact part of the chain: entries ``after+1 .. last`` verified."""

    last: int
    last_hash: str
    problem: str | None = None
    bad_seq: int | None = None


def _walk(
    session: Session,
    after: int,
    prev: str,
    upto: int | None = None,
    seen: Callable[[int, str], None] | None = None,
) -> _Walk:
    """Check seals and links from entry ``after + 1`` on; stop at the first problem."""
    ring = keyring_of(session)
    walk = _Walk(after, prev)
    for e in _stream(session, after, upto):
        expected = walk.last + 1
        if isinstance(e, int):
            if e != expected:
                walk.problem, walk.bad_seq = f"entry {expected} is missing (removed)", expected
            else:
                walk.problem, walk.bad_seq = f"entry {e} was altered (unreadable)", e
            return walk
        if e.seq != expected:
            walk.problem, walk.bad_seq = f"entry {expected} is missing (removed)", expected
            return walk
        if e.prev_hash != walk.last_hash:
            walk.problem = (
                f"entry {e.seq} does not follow entry {e.seq - 1} (reordered, or its "
                "predecessor was altered)"
            )
            walk.bad_seq = e.seq
            return walk
        if ring.audit_mac(_canonical(e)) != e.hash:
            walk.problem, walk.bad_seq = f"entry {e.seq} was altered", e.seq
            return walk
        walk.last, walk.last_hash = e.seq, e.hash
        if seen is not None:
            seen(e.seq, e.hash)
    return walk


def _out_of_range(session: Session) -> tuple[int, int | None]:
    """How many rows have a sequence number of 0 or less, and the lowest of them."""
    count, lowest = session.execute(
        select(func.count(), func.min(AuditEvent.seq)).where(AuditEvent.seq <= 0)
    ).one()
    return int(count or 0), lowest


def _anchor_of(session: Session) -> Anchor | None:
    settings = session.info.get("settings")
    if not isinstance(settings, Settings):
        return None
    try:
        return read_anchor(settings)
    except ConfigError as exc:  # an unreadable anchor key: a finding, not a crash
        anchor = Anchor(settings.checkpoints_path, configured=True)
        anchor.problems.append(exc.message)
        return anchor


def verify(session: Session, anchor: Anchor | None = None) -> VerifyResult:
    """Walk the whole chain and compare it with the head anchor and every signed checkpoint.

    Names the first entry that was altered, removed, reordered or inserted out of range;
    a tail cut off, or everything wiped, even with the head anchor moved along; and a chain
    rewritten and re-sealed with the audit key before the latest checkpoint. ``anchor`` is
    read from the settings bound to the session (``PCIP_AUDIT_CHECKPOINTS``) when not given.
    """
    anchor = anchor or _anchor_of(session)
    problems: list[str] = []
    first_bad: list[int] = []

    def fail(message: str, seq: int | None) -> None:
        problems.append(message)
        if seq is not None:
            first_bad.append(seq)

    n_low, lowest = _out_of_range(session)
    if n_low:
        fail(
            f"{n_low} entr{'y has' if n_low == 1 else 'ies have'} a sequence number out of "
            f"range (0 or less; the lowest is {lowest}): pcip numbers entries from 1, so "
            f"{'it was' if n_low == 1 else 'they were'} inserted outside pcip",
            lowest,
        )
    by_seq: dict[int, list[Checkpoint]] = {}
    for cp in anchor.checkpoints if anchor else []:
        by_seq.setdefault(cp.seq, []).append(cp)
    rewritten: list[tuple[int, Checkpoint]] = []
    agreed = [0]  # the last checkpointed entry that agreed with its checkpoint

    def seen(seq: int, digest: str) -> None:
        for cp in by_seq.get(seq, ()):
            if cp.hash != digest:
                rewritten.append((seq, cp))
            elif not rewritten:
                agreed[0] = seq

    walk = _walk(session, 0, GENESIS, seen=seen)
    checked = walk.last
    if walk.problem is not None:
        fail(walk.problem, walk.bad_seq)
    if rewritten:
        seq, cp = rewritten[0]
        fail(
            f"entry {seq} differs from {cp.describe()}: entries {agreed[0] + 1} to {seq} were "
            "rewritten and re-sealed with the audit key",
            agreed[0] + 1,
        )
    if walk.problem is None:
        raw = get_meta(session, HEAD_KEY)
        head = None if raw is None else _parse_head(raw)
        if raw is None:
            fail("the head anchor is missing (removed from platform_meta)", checked + 1)
        elif head is None:
            fail("the head anchor was altered (unreadable)", None)
        elif head[0] < checked:
            extra = (
                f"entry {checked} lies"
                if checked == head[0] + 1
                else f"entries {head[0] + 1} to {checked} lie"
            )
            fail(
                f"{extra} beyond the head anchor (entry {head[0]}): inserted outside pcip, "
                "or the anchor was moved back",
                head[0] + 1,
            )
        elif head != (checked, walk.last_hash):
            fail(
                f"the chain ends at entry {checked} but the head anchor records entry "
                f"{head[0]} (entries removed from the end, or the anchor was altered)",
                checked + 1,
            )
    latest = anchor.latest if anchor else None
    beyond = [cp for cp in (anchor.checkpoints if anchor else []) if cp.seq > checked]
    if walk.problem is None and beyond:
        cp = max(beyond, key=lambda c: (c.seq, c.line))
        what = "everything was wiped" if checked == 0 else "the end was cut off"
        fail(
            f"the chain ends at entry {checked} but {cp.describe()} records entry {cp.seq}: "
            f"entries {checked + 1} to {cp.seq} were removed ({what})",
            checked + 1,
        )
    if anchor is not None:
        problems.extend(anchor.problems)
        recorded = get_meta(session, ANCHOR_META)
        if recorded is not None and recorded != anchor.key:
            problems.append(
                f"this database's chain is anchored with the anchor key {recorded}, but "
                + (
                    "no anchor key is configured (removed?): the checkpoints cannot be checked"
                    if anchor.key is None
                    else f"the configured anchor public key is {anchor.key}"
                )
            )
    return VerifyResult(
        ok=not problems,
        checked=checked,
        problem=problems[0] if problems else None,
        first_bad_seq=min(first_bad) if first_bad else None,
        problems=tuple(problems),
        anchor_file=str(anchor.path) if anchor is not None and anchor.configured else None,
        checkpoints=len(anchor.checkpoints) if anchor else 0,
        anchored_seq=latest.seq if latest else None,
        anchored_at=latest.at if latest else None,
    )


def verify_since(session: Session, seq: int, digest: str) -> tuple[int, str, int]:
    """Verify the entries after a checkpoint (``seq``, ``digest``) up to the head anchor.

    Returns the head (seq, seal) and how many entries were checked; raises ``AuditBroken``
    naming the problem. What a checkpoint signs is therefore always a verified chain.
    """
    head = stored_head(session)
    if head is None:
        raise AuditBroken("no checkpoint written: the head anchor is missing or unreadable")
    head_seq, head_hash = head
    if head_seq < seq:
        raise AuditBroken(
            f"no checkpoint written: the head anchor records entry {head_seq}, but the latest "
            f"checkpoint records entry {seq}: entries were removed"
        )
    n_low, lowest = _out_of_range(session)
    if n_low:
        raise AuditBroken(
            f"no checkpoint written: entry {lowest} has a sequence number out of range"
        )
    if seq > 0:
        stored = session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == seq))
        if stored != digest:
            what = "is missing" if stored is None else "differs from the latest checkpoint"
            raise AuditBroken(f"no checkpoint written: entry {seq} {what}")
    walk = _walk(session, seq, digest, upto=head_seq)
    if walk.problem is not None:
        raise AuditBroken(f"no checkpoint written: {walk.problem}")
    if (walk.last, walk.last_hash) != (head_seq, head_hash):
        raise AuditBroken(
            f"no checkpoint written: the chain ends at entry {walk.last} but the head anchor "
            f"records entry {head_seq}"
        )
    return head_seq, head_hash, walk.last - seq
