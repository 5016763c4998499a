"""``pcip keys rotate``: new data and index keys, the data re-encrypted and re-indexed under
them in batches, resumable after any interruption, audited (Art. 27-28).

1. The key file gains a new data key and a new index key (not yet active), written atomically
   before the database refers to them, so no crash can lose key material.
2. One transaction records them as ``pending``, marks the rotation as under way in
   ``platform_meta.key_rotation`` and writes the audit entry ``keys.rotate_start``. From then
   on every other writer is refused (``pcip.kernel.audit.service``) and the platform does not start.
3. Batches of persons (the identifier decrypted, encrypted again under the new data key, its
   blind index recomputed under the new index key, the old index checked first) and of
   rejected rows (sealed again), each batch in its own transaction with the position reached.
   Running the command again after an interruption continues from that position; a row
   already under the new key is never processed twice.
4. The key file makes the new keys active (the old ones stay in it, retired); one transaction
   marks them active, records the new key generation, ends the rotation and writes the audit
   entry ``keys.rotate`` with the counts.

What it does not rotate: the record key (digests of record content cover the clear
identifiers, which are not stored, so they cannot be recomputed) and the audit key (the chain's
seals; the signed checkpoints are what protects the chain from a holder of that key).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from pcip import clock
from pcip.config import Settings
from pcip.db import is_postgres
from pcip.errors import ConfigError, PcipError, Unavailable
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.audit.checkpoints import checkpoint
from pcip.kernel.keys.check import KEYS_KEY, ROTATION_KEY, check_keys, rotation_state
from pcip.kernel.keys.keyring import Keyring, add_keys, blind_digest, keyring_path, write_keyring
from pcip.kernel.keys.models import KeyFingerprint
from pcip.kernel.meta import PlatformMeta, set_meta
from pcip.kernel.platform import Platform
from pcip.records.models import RejectedRow
from pcip.records.reports import open_values, seal_values
from pcip.subjects.models import Subject
from pcip.subjects.service import CIPHER_CONTEXT

BATCH = 500
#: progress(step, rows done so far, rows to do): may raise to stop (the state is kept).
Progress = Callable[[str, int, int], None]


@dataclass
class RotationReport:
    data_from: str
    data_to: str
    index_from: str
    index_to: str
    started_at: str
    resumed: bool
    persons: int
    rejected_rows: int
    checkpoint: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "data_key": f"{self.data_from} -> {self.data_to}",
            "index_key": f"{self.index_from} -> {self.index_to}",
            "started_at": self.started_at,
            "resumed": self.resumed,
            "persons_reencrypted": self.persons,
            "rejected_rows_resealed": self.rejected_rows,
            "audit_checkpoint": self.checkpoint,
        }


def _other_connections(session: Session) -> int:
    """PostgreSQL: other client connections to this database (a running server?)."""
    if not is_postgres(session):
        return 0
    found = session.scalar(
        text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
    )
    return int(found or 0)


def _save(session: Session, state: dict[str, Any]) -> None:
    set_meta(session, ROTATION_KEY, json.dumps(state, sort_keys=True))


def _start(
    platform: Platform, ring: Keyring, actor: Actor, force: bool
) -> tuple[Keyring, dict[str, Any]]:
    path = keyring_path(platform.settings.keys_dir)
    with platform.transaction() as s:
        check_keys(s, ring, path)  # the file must be exactly the database's before it changes
        others = _other_connections(s)
    if others and not force:
        raise Unavailable(
            f"{others} other connection(s) to the database are open (a running 'pcip serve' or "
            "ingest?): stop them before rotating keys, or pass --force"
        )
    added, data_to, index_to = add_keys(ring)
    write_keyring(added, path)
    state: dict[str, Any] = {
        "data_from": ring.active_key_id,
        "data_to": data_to,
        "index_from": ring.index_key_id,
        "index_to": index_to,
        "started_at": clock.now().isoformat(timespec="seconds"),
        "by": str(actor),
        "cursor": {"subject": 0, "rejected_row": 0},
        "done": {"subject": 0, "rejected_row": 0},
    }
    prints = added.key_fingerprints()
    rotating = Platform._bind(platform.settings, platform.engine, added, key_rotation=True)
    with rotating.transaction() as s:
        now = clock.now()
        for kind, key_id in (("data", data_to), ("index", index_to)):
            s.add(
                KeyFingerprint(
                    kind=kind,
                    key_id=key_id,
                    fingerprint=prints[(kind, key_id)],
                    state="pending",
                    added_at=now,
                    retired_at=None,
                )
            )
        _save(s, state)
        audit.record(
            s,
            actor,
            "keys.rotate_start",
            object_type="keyring",
            object_id=f"{data_to} {index_to}",
            article="Art. 27",
            details={
                "data_key": {"from": ring.active_key_id, "to": data_to},
                "index_key": {"from": ring.index_key_id, "to": index_to},
                "fingerprints": {
                    data_to: prints[("data", data_to)],
                    index_to: prints[("index", index_to)],
                },
            },
        )
    return added, state


def _index_of(ring: Keyring, row: Any, clear: str) -> tuple[str, str] | None:
    """(namespace, material) of a person's blind index, exactly as ``subjects.service``."""
    if row.id_type == "citizen_id":
        return "citizen_id", clear
    if row.id_type == "document":
        return "document", f"{row.document_type}|{row.document_country or ''}|{clear}"
    return None


def _persons(
    platform: Platform, work: Keyring, state: dict[str, Any], batch: int, progress: Progress | None
) -> None:
    data_to = state["data_to"]
    old_indexes = [k for i, k in work.index_keys.items() if i != state["index_to"]]
    with platform.transaction() as s:
        total = state["done"]["subject"] + int(
            s.scalar(
                select(func.count())
                .select_from(Subject)
                .where(Subject.id > state["cursor"]["subject"], Subject.id_cipher.is_not(None))
            )
            or 0
        )
    while True:
        with platform.transaction() as s:
            rows = s.execute(
                select(
                    Subject.id,
                    Subject.id_type,
                    Subject.id_key,
                    Subject.id_cipher,
                    Subject.id_index,
                    Subject.document_type,
                    Subject.document_country,
                )
                .where(Subject.id > state["cursor"]["subject"], Subject.id_cipher.is_not(None))
                .order_by(Subject.id)
                .limit(batch)
            ).all()
            if not rows:
                return
            changes = []
            for row in rows:
                if row.id_key == data_to:
                    continue  # done before an interruption
                clear = work.decrypt(row.id_key, row.id_cipher, context=CIPHER_CONTEXT)
                change: dict[str, Any] = {"id": row.id}
                change["id_key"], change["id_cipher"] = work.encrypt(clear, context=CIPHER_CONTEXT)
                material = _index_of(work, row, clear)
                if material is not None and row.id_index is not None:
                    if not any(blind_digest(k, *material) == row.id_index for k in old_indexes):
                        raise ConfigError(
                            f"subject {row.id}: its stored blind index matches none of the key "
                            "file's index keys; rotation stopped before changing it"
                        )
                    change["id_index"] = work.blind_index(*material)
                changes.append(change)
            if changes:
                s.execute(update(Subject), changes)
            state["cursor"]["subject"] = rows[-1].id
            state["done"]["subject"] += len(rows)
            _save(s, state)
        if progress is not None:
            progress("persons", state["done"]["subject"], total)


def _rejected_rows(
    platform: Platform, work: Keyring, state: dict[str, Any], batch: int, progress: Progress | None
) -> None:
    data_to = state["data_to"]
    with platform.transaction() as s:
        total = state["done"]["rejected_row"] + int(
            s.scalar(
                select(func.count())
                .select_from(RejectedRow)
                .where(RejectedRow.id > state["cursor"]["rejected_row"])
            )
            or 0
        )
    while True:
        with platform.transaction() as s:
            rows = s.execute(
                select(RejectedRow.id, RejectedRow.values)
                .where(RejectedRow.id > state["cursor"]["rejected_row"])
                .order_by(RejectedRow.id)
                .limit(batch)
            ).all()
            if not rows:
                return
            changes = [
                {"id": row.id, "values": seal_values(work, open_values(work, row.values))}
                for row in rows
                if row.values is not None and row.values.get("sealed") != data_to
            ]
            if changes:
                s.execute(update(RejectedRow), changes)
            state["cursor"]["rejected_row"] = rows[-1].id
            state["done"]["rejected_row"] += len(rows)
            _save(s, state)
        if progress is not None:
            progress("rejected rows", state["done"]["rejected_row"], total)


def _finish(platform: Platform, work: Keyring, state: dict[str, Any], actor: Actor) -> None:
    write_keyring(work, keyring_path(platform.settings.keys_dir))
    with platform.transaction() as s:
        now = clock.now()
        for kind, new in (("data", state["data_to"]), ("index", state["index_to"])):
            for row in s.scalars(select(KeyFingerprint).where(KeyFingerprint.kind == kind)):
                if row.key_id == new:
                    row.state, row.retired_at = "active", None
                elif row.state != "retired":
                    row.state, row.retired_at = "retired", now
        set_meta(s, KEYS_KEY, work.generation)
        meta = s.get(PlatformMeta, ROTATION_KEY)
        if meta is not None:
            s.delete(meta)
        audit.record(
            s,
            actor,
            "keys.rotate",
            object_type="keyring",
            object_id=work.generation,
            article="Art. 27",
            details={
                "data_key": {"from": state["data_from"], "to": state["data_to"]},
                "index_key": {"from": state["index_from"], "to": state["index_to"]},
                "started_at": state["started_at"],
                "persons_reencrypted": state["done"]["subject"],
                "rejected_rows_resealed": state["done"]["rejected_row"],
            },
        )


def rotate(
    settings: Settings,
    actor: Actor,
    *,
    batch: int = BATCH,
    force: bool = False,
    progress: Progress | None = None,
) -> RotationReport:
    """Rotate the data and index keys, or finish a rotation that was interrupted."""
    if batch < 1:
        raise ConfigError("the batch size must be at least 1")
    platform = Platform.open(settings, maintenance=True)
    try:
        ring = platform.keyring
        with platform.transaction() as s:
            state = rotation_state(s)
        resumed = state is not None
        if state is None:
            ring, state = _start(platform, ring, actor, force)
        for kind, key_id in (("data", state["data_to"]), ("index", state["index_to"])):
            if (kind, key_id) not in ring.key_fingerprints():
                raise ConfigError(
                    f"key file {keyring_path(settings.keys_dir)} lacks the {kind} key "
                    f"'{key_id}' that the unfinished rotation created: restore the key file "
                    "the rotation wrote"
                )
        work = ring.with_active(state["data_to"], state["index_to"])
        rotating = Platform._bind(settings, platform.engine, work, key_rotation=True)
        _persons(rotating, work, state, batch, progress)
        _rejected_rows(rotating, work, state, batch, progress)
        _finish(rotating, work, state, actor)
        written = _checkpoint(platform)
    finally:
        platform.dispose()
    return RotationReport(
        data_from=state["data_from"],
        data_to=state["data_to"],
        index_from=state["index_from"],
        index_to=state["index_to"],
        started_at=state["started_at"],
        resumed=resumed,
        persons=state["done"]["subject"],
        rejected_rows=state["done"]["rejected_row"],
        checkpoint=written,
    )


def _checkpoint(platform: Platform) -> int | None:
    """Art. 28: a signed checkpoint right after the rotation's audit entries (if this account
    may read the anchor key; otherwise the next scheduled checkpoint covers them)."""
    opened = Platform.open(platform.settings)  # with the key file the rotation wrote
    try:
        with opened.transaction() as s:
            return checkpoint(s, opened.settings).line
    except PcipError:
        return None
    finally:
        opened.dispose()
