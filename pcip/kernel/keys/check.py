"""The start-up check: the key file must hold exactly the keys this database's data is under.

Every start (``Platform.open``, ``pcip init``) compares the key file with the fingerprints the
database keeps in ``key_fingerprint``, and refuses with one line that says which key differs
and what probably happened, instead of failing later on a value that cannot be decrypted or a
person who can no longer be found:

* another installation's key file (the record and audit keys differ);
* a key file older than the database (a backup of the database taken after a rotation,
  started with the keys from before it): the database's active key is not in the file;
* a key file newer than the database (a database backup from before a rotation, started with
  the rotated keys): the file's active key is unknown to the database;
* a key whose id is known but whose bytes differ (a hand-edited or mixed-up file);
* an unfinished rotation (``pcip keys rotate`` resumes it).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.errors import ConfigError
from pcip.kernel.keys.keyring import Keyring
from pcip.kernel.keys.models import KeyFingerprint
from pcip.kernel.meta import get_meta, set_meta

#: The active data and index key ids ("k2 i2"), and an unfinished key rotation (platform meta
#: keys; the audit writer checks them before every append).
KEYS_KEY = "keys_active"
ROTATION_KEY = "key_rotation"

#: The fingerprint of the whole keyring (record and audit keys), from before key_fingerprint.
FINGERPRINT_KEY = "keyring_fingerprint"
KINDS = ("data", "index", "record", "audit")
_NAMES = {"data": "data key", "index": "index key", "record": "record key", "audit": "audit key"}


def _when(at: datetime | None) -> str:
    return "unknown time" if at is None else f"{at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def record_keys(session: Session, ring: Keyring) -> None:
    """First start with fingerprints: the file's keys become the database's."""
    now = clock.now()
    active = ring.active_ids()
    for (kind, key_id), fp in sorted(ring.key_fingerprints().items()):
        state = "active" if active[kind] == key_id else "retired"
        session.add(
            KeyFingerprint(
                kind=kind,
                key_id=key_id,
                fingerprint=fp,
                state=state,
                added_at=now,
                retired_at=None if state == "active" else now,
            )
        )
    set_meta(session, KEYS_KEY, ring.generation)
    session.flush()


def rotation_state(session: Session) -> dict[str, Any] | None:
    raw = get_meta(session, ROTATION_KEY)
    if raw is None:
        return None
    state: dict[str, Any] = json.loads(raw)
    return state


def check_keys(session: Session, ring: Keyring, path: Path, *, maintenance: bool = False) -> None:
    """Refuse a key file that does not match the data (see the module's docstring).

    ``maintenance``: opened by ``pcip keys rotate`` itself, which may find an unfinished
    rotation and the new keys already active in the file.
    """
    stored = get_meta(session, FINGERPRINT_KEY)
    if stored is None:
        set_meta(session, FINGERPRINT_KEY, ring.fingerprint)
    elif stored != ring.fingerprint:
        raise ConfigError(
            f"key file {path} does not belong to this database "
            "(fingerprint differs); point PCIP_HOME at the right keys"
        )
    rows = list(session.scalars(select(KeyFingerprint)))
    if not rows:
        record_keys(session, ring)
        return
    rotation = rotation_state(session)
    if rotation is not None and not maintenance:
        raise ConfigError(
            f"a key rotation started {rotation.get('started_at')} is unfinished (data key "
            f"{rotation.get('data_from')} to {rotation.get('data_to')}); run 'pcip keys rotate' "
            "to finish it: it resumes where it stopped"
        )
    mine = ring.key_fingerprints()
    for row in rows:
        name = f"{_NAMES.get(row.kind, row.kind)} '{row.key_id}'"
        fp = mine.get((row.kind, row.key_id))
        if fp is None:
            if row.state == "active":
                raise ConfigError(
                    f"key file {path} lacks {name}, which this database's data is under "
                    f"(added {_when(row.added_at)}): the key file is older "
                    "than the database (from before a key rotation?); use the key file backed "
                    "up with this database"
                )
            if row.state == "pending" and rotation is not None:
                raise ConfigError(
                    f"key file {path} lacks {name}, which the unfinished key rotation "
                    "created: the key file was replaced during the rotation; restore the one "
                    "the rotation wrote"
                )
            continue  # a retired key removed from the file: nothing refers to it any more
        if fp != row.fingerprint:
            raise ConfigError(
                f"key file {path}: {name} is not the key this database knows by that id "
                f"(fingerprint {fp[:12]}..., the database recorded {row.fingerprint[:12]}...); "
                "wrong or edited key file"
            )
    if maintenance:
        return
    known = {(r.kind, r.key_id): r for r in rows}
    for kind, key_id in ring.active_ids().items():
        found = known.get((kind, key_id))
        name = f"{_NAMES[kind]} '{key_id}'"
        if found is None:
            raise ConfigError(
                f"key file {path} writes with {name}, which this database has never used: "
                "the key file is newer than the database (a database backup from before a key "
                "rotation, started with the rotated keys?); use the key file backed up with "
                "this database"
            )
        if found.state != "active":
            raise ConfigError(
                f"key file {path} writes with {name}, which this database retired in a key "
                f"rotation ({_when(found.retired_at)}): the key file is older than "
                "the database; use the key file the rotation wrote"
                if found.state == "retired"
                else f"key file {path} writes with {name}, which an unfinished key rotation "
                "created; run 'pcip keys rotate' to finish it"
            )
    if get_meta(session, KEYS_KEY) != ring.generation:
        set_meta(session, KEYS_KEY, ring.generation)


def known_keys(session: Session) -> list[KeyFingerprint]:
    """The keys this database knows, by kind and id (``pcip keys status``)."""
    return list(
        session.scalars(select(KeyFingerprint).order_by(KeyFingerprint.kind, KeyFingerprint.key_id))
    )
