"""Signed checkpoints of the audit chain's head (Art. 28; docs/audit.md): writing one
(``checkpoint``) and the server's own checkpoints while it runs (``Checkpointer``).

The keys, the checkpoint file's format and reading it are in ``anchor``; verifying the chain
is in ``service``; this module uses both, so neither needs the other's later half.
"""

from __future__ import annotations

import base64
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from pcip import clock
from pcip.config import Settings
from pcip.errors import ConfigError, PcipError
from pcip.kernel.audit.anchor import (
    _DOMAIN,
    FORMAT,
    ZERO,
    AuditBroken,
    _canonical,
    key_fingerprint,
    load_private_key,
    load_public_key,
    log,
    read_anchor,
)
from pcip.kernel.audit.service import stored_head, verify_since

#: The server checks this often whether a checkpoint is due (seconds).
POLL_SECONDS = 30.0
#: ... and writes one at least this often while entries are being added (seconds).
MAX_INTERVAL_SECONDS = 3600.0


@contextmanager
def _locked_append(path: Path) -> Iterator[int]:
    """The checkpoint file opened for appending only, under an exclusive lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)  # closing releases the lock


@dataclass(frozen=True)
class CheckpointResult:
    written: bool
    line: int | None
    seq: int
    hash: str
    verified: int  # entries checked since the previous checkpoint
    path: Path

    def as_dict(self) -> dict[str, Any]:
        return {
            "written": self.written,
            "checkpoint": self.line,
            "seq": self.seq,
            "hash": self.hash,
            "verified_since_previous": self.verified,
            "file": str(self.path),
        }


def checkpoint(session: Session, settings: Settings, *, force: bool = False) -> CheckpointResult:
    """Sign the chain's current head and append it to the checkpoint file.

    The entries added since the previous checkpoint are verified first (seal, link, no gap,
    the previous checkpoint's entry unchanged); a chain that does not verify gets no
    checkpoint (``AuditBroken`` says why). Nothing is written when the head has not moved
    since the last checkpoint, unless ``force``.
    """
    key = load_private_key(settings)
    public = key.public_key()
    stored = load_public_key(settings)
    if stored is not None and key_fingerprint(stored) != key_fingerprint(public):
        raise ConfigError(
            f"audit anchor key {settings.anchor_key_path} and public key "
            f"{settings.anchor_public_key_path} are not a pair"
        )
    path = settings.checkpoints_path
    with _locked_append(path) as fd:
        anchor = read_anchor(settings)
        if anchor.problems:
            raise AuditBroken("no checkpoint written: " + "; ".join(anchor.problems))
        latest = anchor.latest
        since = (latest.seq, latest.hash) if latest else (0, ZERO)
        head_seq, head_hash, checked = verify_since(session, *since)
        if latest and not force and (latest.seq, latest.hash) == (head_seq, head_hash):
            return CheckpointResult(False, latest.line, head_seq, head_hash, checked, path)
        body: dict[str, Any] = {
            "v": FORMAT,
            "n": len(anchor.checkpoints) + 1,
            "seq": head_seq,
            "hash": head_hash,
            "at": clock.now().astimezone(UTC).isoformat(timespec="seconds"),
            "prev": anchor.last_line_digest,
            "key": key_fingerprint(public),
        }
        body["sig"] = base64.b64encode(key.sign(_DOMAIN + _canonical(body))).decode()
        line = _canonical(body) + b"\n"
        os.write(fd, line)
        os.fsync(fd)
    return CheckpointResult(True, body["n"], head_seq, head_hash, checked, path)


class Checkpointer:
    """``pcip serve``: a checkpoint at start, then whenever ``every`` entries were added (or
    an hour passed with entries added). Failures are logged, never fatal to the server."""

    def __init__(self, platform: Any, every: int) -> None:
        self.platform = platform
        self.every = every
        self._stop = threading.Event()
        self._last_seq = -1
        self._last_time = time.monotonic()
        self._thread = threading.Thread(target=self._run, name="pcip-checkpoints", daemon=True)

    def usable(self) -> bool:
        try:
            load_private_key(self.platform.settings)
        except ConfigError as exc:
            log.info("the server writes no audit checkpoints: %s", exc.message)
            return False
        return True

    def once(self, *, reason: str) -> CheckpointResult | None:
        try:
            with self.platform.transaction() as s:
                result = checkpoint(s, self.platform.settings)
        except PcipError as exc:
            log.error("audit checkpoint (%s) not written: %s", reason, exc.message)
            return None
        except Exception:  # never let a checkpoint take the server down
            log.exception("audit checkpoint (%s) failed", reason)
            return None
        self._last_seq, self._last_time = result.seq, time.monotonic()
        if result.written:
            log.info("audit checkpoint %s (%s): entry %s", result.line, reason, result.seq)
        return result

    def start(self) -> bool:
        if self.every <= 0 or not self.usable():
            return False
        self.once(reason="server start")
        self._thread.start()
        # One line per server, from the process that writes them (issue 22: never per worker).
        log.info("audit checkpoints running, every %s entries", self.every)
        return True

    def stop(self) -> None:
        """Stop, and wait for a round in progress (it may be reading the database)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def _head_seq(self) -> int:
        with self.platform.transaction() as s:
            head = stored_head(s)
        return head[0] if head else 0

    def _run(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            try:
                added = self._head_seq() - self._last_seq
            except Exception:
                log.exception("reading the audit head failed")
                continue
            stale = time.monotonic() - self._last_time >= MAX_INTERVAL_SECONDS
            if added >= self.every or (added > 0 and stale):
                self.once(reason=f"{added} new entries")
