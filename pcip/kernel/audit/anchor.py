"""Signed checkpoints of the audit chain's head, kept outside the database (Art. 28).

The chain in the database proves that no row was changed by someone without the audit key.
It cannot prove by itself that rows were not removed from its end (the head anchor is a row
like any other), nor that a holder of the audit key did not rewrite and re-seal it. A
checkpoint closes both gaps up to the moment it was written: one line of JSON recording the
number of entries and the seal of the last one, signed with an Ed25519 key that is not in the
database and not the audit key, appended to a file the database writer cannot rewrite
(``O_APPEND``; made append-only by the operating system and copied off the machine,
docs/audit.md). ``verify`` compares the chain with every checkpoint.

Each line also carries the SHA-256 of the line before it, so a line removed from the middle
of the file, or lines reordered, are named too.

    {"at": "...", "hash": "<seal of entry seq>", "key": "<anchor key fingerprint>", "n": 7,
     "prev": "<sha256 of line 6>", "seq": 1843, "sig": "<base64 Ed25519>", "v": 1}
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from pcip.config import Settings
from pcip.errors import ConfigError, PcipError

log = logging.getLogger("pcip.kernel.audit.anchor")

FORMAT = 1
ZERO = "0" * 64
#: platform_meta: the fingerprint of the anchor key this database's chain is anchored with.
ANCHOR_META = "audit_anchor_key"
_DOMAIN = b"pcip-audit-checkpoint/1\n"


class AuditBroken(PcipError):
    """The chain does not verify: no checkpoint is signed over it."""

    code = "audit_broken"
    http_status = 500


# --- the anchor key ---------------------------------------------------------------------------


def key_fingerprint(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def create_anchor_key(settings: Settings) -> bool:
    """Create the Ed25519 anchor key pair if there is none. Returns whether one was created."""
    private_path = settings.anchor_key_path
    if private_path.exists():
        return False
    private_path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    public_path = settings.anchor_public_key_path
    if not public_path.exists():
        public_path.write_bytes(
            key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
    return True


def load_private_key(settings: Settings) -> Ed25519PrivateKey:
    path = settings.anchor_key_path
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            f"audit anchor key {path} is missing; 'pcip init' creates one "
            "(or set PCIP_AUDIT_ANCHOR_KEY)"
        ) from None
    except OSError as exc:
        raise ConfigError(f"audit anchor key {path} cannot be read: {exc.strerror}") from None
    try:
        key = serialization.load_pem_private_key(raw, password=None)
    except ValueError:
        raise ConfigError(f"audit anchor key {path} is not a PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigError(f"audit anchor key {path} is not an Ed25519 key")
    return key


def load_public_key(settings: Settings) -> Ed25519PublicKey | None:
    """The key that verifies checkpoints; None when there is no anchor key at all."""
    path = settings.anchor_public_key_path
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if settings.anchor_key_path.exists():  # derive it from the private half
            return load_private_key(settings).public_key()
        return None
    except OSError as exc:
        raise ConfigError(
            f"audit anchor public key {path} cannot be read: {exc.strerror}"
        ) from None
    try:
        key = serialization.load_pem_public_key(raw)
    except ValueError:
        raise ConfigError(f"audit anchor public key {path} is not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ConfigError(f"audit anchor public key {path} is not an Ed25519 key")
    return key


# --- the checkpoint file ---------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    line: int
    seq: int
    hash: str
    at: str

    def describe(self) -> str:
        return f"checkpoint {self.line} (written {self.at})"


@dataclass
class Anchor:
    """What the checkpoint file says, read and checked; ``problems`` name what is wrong."""

    path: Path
    configured: bool  # an anchor key exists, so checkpoints are expected
    #: Fingerprint of the public key the checkpoints are checked with.
    key: str | None = None
    checkpoints: list[Checkpoint] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    last_line_digest: str = ZERO

    @property
    def latest(self) -> Checkpoint | None:
        return self.checkpoints[-1] if self.checkpoints else None


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, ensure_ascii=True, separators=(",", ":")).encode()


def _parse(
    raw: bytes, number: int, public: Ed25519PublicKey | None, prev: str
) -> tuple[Checkpoint | None, str | None]:
    """One line: the checkpoint, or what is wrong with it."""
    where = f"line {number}"
    try:
        doc = json.loads(raw)
    except ValueError:
        return None, f"{where} is not JSON (damaged or written by something else)"
    if not isinstance(doc, dict) or doc.get("v") != FORMAT:
        return None, f"{where} is not a pcip checkpoint (format {FORMAT})"
    sig = doc.pop("sig", None)
    seq, digest, at = doc.get("seq"), doc.get("hash"), doc.get("at")
    if not (
        isinstance(sig, str)
        and isinstance(seq, int)
        and seq >= 0
        and isinstance(digest, str)
        and len(digest) == 64
        and isinstance(at, str)
        and isinstance(doc.get("n"), int)
        and isinstance(doc.get("prev"), str)
    ):
        return None, f"{where} lacks a field of a checkpoint (n, seq, hash, at, prev, sig)"
    if public is not None:
        try:
            public.verify(base64.b64decode(sig), _DOMAIN + _canonical(doc))
        except (InvalidSignature, ValueError):
            return None, (
                f"{where}: the signature does not verify with the anchor public key "
                "(the line was forged or altered, or signed with another key)"
            )
    if doc["n"] != number:
        return None, f"{where} says it is checkpoint {doc['n']} (lines removed or reordered)"
    if doc["prev"] != prev:
        return None, (
            f"{where} does not follow line {number - 1} (a line before it was removed, "
            "altered or reordered)"
        )
    return Checkpoint(number, seq, digest, at), None


def read_anchor(settings: Settings) -> Anchor:
    """Read and check every checkpoint; a missing file is a problem once an anchor key exists."""
    path = settings.checkpoints_path
    public = load_public_key(settings)
    anchor = Anchor(
        path,
        configured=public is not None,
        key=key_fingerprint(public) if public is not None else None,
    )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if anchor.configured:
            anchor.problems.append(
                f"the checkpoint file {path} is missing although the audit anchor key exists "
                "(removed? restore it from its copy)"
            )
        return anchor
    except OSError as exc:
        anchor.problems.append(f"the checkpoint file {path} cannot be read: {exc.strerror}")
        return anchor
    if public is None:
        anchor.problems.append(
            f"the checkpoint file {path} exists but the anchor public key "
            f"{settings.anchor_public_key_path} is missing: the checkpoints cannot be checked"
        )
        return anchor
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    elif lines:
        anchor.problems.append(f"{path}: the last line is incomplete (a write was cut off)")
    prev = ZERO
    last_seq = 0
    for number, raw in enumerate(lines, start=1):
        cp, problem = _parse(raw, number, public, prev)
        if problem is not None or cp is None:
            anchor.problems.append(f"{path}: {problem}")
            break
        if cp.seq < last_seq:
            anchor.problems.append(
                f"{path}: line {number} records entry {cp.seq}, fewer than line {number - 1} "
                f"({last_seq}): the chain shrank between two checkpoints"
            )
        last_seq = max(last_seq, cp.seq)
        anchor.checkpoints.append(cp)
        prev = hashlib.sha256(raw).hexdigest()
    anchor.last_line_digest = prev
    return anchor
