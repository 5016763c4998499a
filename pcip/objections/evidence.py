"""Evidence files: checked by their bytes, stored content-addressed under ``files_dir``.

Art. 40 para 1 asks the applicant for "the relevant basis and grounds"; D-3 asks every pause
for supporting evidence. The platform accepts PDF, JPEG, PNG and UTF-8 text up to
:data:`MAX_EVIDENCE_BYTES` (a platform limit, not a number from the Regulations). The type is
detected from the file's first bytes; the name's extension and any declared content type
must agree with it, so a renamed executable is not stored as "scan.pdf".

Files are stored once per content (``evidence/ab/<sha256>``): the same scan attached to two
objections is one file, and a transaction that rolls back leaves at most an unreferenced copy
of a file that was already valid (never a half-written one: writes go through a temporary
file and an atomic rename). Since issue 23 each file is stored encrypted (AES-256-GCM with the
keyring's active data key, bound to the file's digest: :func:`seal`); files stored before are
still read as they are, and ``pcip init`` encrypts them in place (:func:`seal_plaintext_files`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from urllib.parse import quote

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from pcip import clock
from pcip.config import get_settings
from pcip.errors import ConfigError, TooLarge, Unavailable, ValidationError
from pcip.kernel.actors import Actor
from pcip.kernel.audit.service import keyring_of
from pcip.kernel.keys.keyring import Keyring
from pcip.kernel.messages import Either, msg
from pcip.objections.models import Evidence

#: Platform limit per file (10 MiB).
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
#: Files per submission (a platform limit: the request body limit bounds the total too).
MAX_EVIDENCE_FILES = 20
EVIDENCE_DIR = "evidence"


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]
    magic: bytes | None  # None: text, recognised by decoding instead


PDF = FileType("application/pdf", (".pdf",), b"%PDF-")
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"), b"\xff\xd8\xff")
PNG = FileType("image/png", (".png",), b"\x89PNG\r\n\x1a\n")
TEXT = FileType("text/plain", (".txt",), None)
ALLOWED = (PDF, JPEG, PNG, TEXT)
# Control characters a text file may contain (tab, line feed, form feed, carriage return).
_TEXT_CONTROLS = frozenset("\t\n\f\r")


@dataclass(frozen=True)
class EvidenceFile:
    """A file as uploaded: its name, bytes, and the content type the client declared."""

    name: str
    data: bytes
    content_type: str | None = None

    def __repr__(self) -> str:  # never dump the content into a log or a traceback
        return f"EvidenceFile({self.name!r}, {len(self.data)} bytes)"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    data: bytes
    type: FileType
    sha256: str


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not any((ord(c) < 32 and c not in _TEXT_CONTROLS) or c == "\x7f" for c in text)


def detect(data: bytes) -> FileType | None:
    """The allowed type the bytes are, or None."""
    for kind in ALLOWED:
        if kind.magic is not None and data.startswith(kind.magic):
            return kind
    return TEXT if _is_text(data) else None


def check(files: Sequence[EvidenceFile], field: str = "evidence") -> list[CheckedFile]:
    """Validate every file before anything is stored; errors name ``evidence[i]...``."""
    if len(files) > MAX_EVIDENCE_FILES:
        raise ValidationError(
            msg("evidence.too_many", max=MAX_EVIDENCE_FILES, n=len(files)), field=field
        )
    out: list[CheckedFile] = []
    names = ", ".join(t.content_type for t in ALLOWED)
    for i, f in enumerate(files):
        where = f"{field}[{i}]"
        name = PurePath(f.name.replace("\\", "/")).name.strip()
        if not name or len(name) > 255:
            raise ValidationError(msg("evidence.name_length"), field=f"{where}.name")
        if not f.data:
            raise ValidationError(msg("evidence.empty", name=name), field=f"{where}.data")
        if len(f.data) > MAX_EVIDENCE_BYTES:
            raise TooLarge(
                msg(
                    "evidence.too_large",
                    name=name,
                    size=f"{len(f.data):,}",
                    max=f"{MAX_EVIDENCE_BYTES:,}",
                ),
                field=f"{where}.size",
            )
        kind = detect(f.data)
        if kind is None:
            raise ValidationError(
                msg("evidence.wrong_type", name=name, types=names, encoding="UTF-8"),
                field=f"{where}.data",
            )
        suffix = PurePath(name).suffix.lower()
        if suffix not in kind.extensions:
            raise ValidationError(
                msg(
                    "evidence.wrong_suffix",
                    name=name,
                    kind=kind.content_type,
                    suffix=suffix or "no",
                    expected=Either(list(kind.extensions)),
                ),
                field=f"{where}.name",
            )
        declared = (f.content_type or "").split(";")[0].strip().lower()
        if declared and declared != kind.content_type:
            raise ValidationError(
                msg(
                    "evidence.declared_otherwise",
                    name=name,
                    declared=declared,
                    kind=kind.content_type,
                ),
                field=f"{where}.content_type",
            )
        out.append(CheckedFile(name, f.data, kind, hashlib.sha256(f.data).hexdigest()))
    return out


#: How a stored evidence file starts when it is encrypted (issue 23): no accepted file type
#: starts so (text evidence cannot contain NUL; PDF, JPEG and PNG have their own magic).
SEALED_MAGIC = b"PCIPENC\x00\x01"
_NONCE = 12


def _context(sha256: str) -> bytes:
    return f"evidence:{sha256}".encode()


def seal(ring: Keyring, sha256: str, data: bytes) -> bytes:
    """The file as stored: AES-256-GCM with the keyring's active data key (Art. 27), bound to
    the file's digest, so a blob cannot be swapped for another evidence file's."""
    key_id = ring.active_key_id.encode()
    nonce = secrets.token_bytes(_NONCE)
    blob = AESGCM(ring.data_keys[ring.active_key_id]).encrypt(nonce, data, _context(sha256))
    return SEALED_MAGIC + bytes([len(key_id)]) + key_id + nonce + blob


def is_sealed(stored: bytes) -> bool:
    return stored.startswith(SEALED_MAGIC)


def unseal(ring: Keyring, sha256: str, stored: bytes) -> bytes:
    """The file's bytes; a file stored before encryption (no magic) is returned as it is."""
    if not is_sealed(stored):
        return stored
    at = len(SEALED_MAGIC)
    length = stored[at]
    key_id = stored[at + 1 : at + 1 + length].decode()
    nonce = stored[at + 1 + length : at + 1 + length + _NONCE]
    blob = stored[at + 1 + length + _NONCE :]
    key = ring.data_keys.get(key_id)
    if key is None:
        raise ConfigError(
            f"evidence file {sha256} is sealed with data key '{key_id}', not in the keyring"
        )
    try:
        return AESGCM(key).decrypt(nonce, blob, _context(sha256))
    except InvalidTag:
        raise ConfigError(
            f"evidence file {sha256} cannot be decrypted (wrong key or tampering)"
        ) from None


def _write(root: Path, relative: str, data: bytes, *, replace: bool = False) -> None:
    target = root / relative
    if target.exists() and not replace:
        return  # content-addressed: the same bytes are already there
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def seal_plaintext_files(session: Session, files_dir: Path) -> tuple[int, int]:
    """Encrypt evidence files stored before encryption at rest, in place (``pcip init``).

    Returns (files sealed now, files checked). Each is checked against its digest first and
    replaced atomically; a missing file is left for the operator (``read`` names it).
    """
    ring = keyring_of(session)
    sealed = checked = 0
    for stored_path, sha in session.execute(
        select(Evidence.stored_path, Evidence.sha256).distinct()
    ):
        path = files_dir / stored_path
        if not path.is_file():
            continue
        checked += 1
        data = path.read_bytes()
        if is_sealed(data) or hashlib.sha256(data).hexdigest() != sha:
            continue
        _write(files_dir, stored_path, seal(ring, sha, data), replace=True)
        sealed += 1
    return sealed, checked


def write_sealed(session: Session, f: CheckedFile, files_dir: Path | None = None) -> str:
    """Write one checked file, sealed, content-addressed; its path relative to ``files_dir``
    (also used for restoration proof files, Art. 45)."""
    root = files_dir if files_dir is not None else get_settings().files_dir
    relative = f"{EVIDENCE_DIR}/{f.sha256[:2]}/{f.sha256}"
    _write(root, relative, seal(keyring_of(session), f.sha256, f.data))
    return relative


def store(
    session: Session,
    actor: Actor,
    objection_id: int,
    subject_id: int,
    files: Sequence[CheckedFile],
    files_dir: Path | None = None,
) -> list[Evidence]:
    """Write checked files to disk and their rows to the session (caller's transaction)."""
    rows: list[Evidence] = []
    for f in files:
        relative = write_sealed(session, f, files_dir)
        row = Evidence(
            objection_id=objection_id,
            subject_id=subject_id,
            file_name=f.name,
            content_type=f.type.content_type,
            size=len(f.data),
            sha256=f.sha256,
            stored_path=relative,
            uploaded_at=clock.now(),
            uploaded_by=str(actor),
        )
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def download_headers(evidence: Evidence) -> dict[str, str]:
    """Headers for sending a stored file: always a download, never sniffed into HTML."""
    return {
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(evidence.file_name)}",
        "X-Content-Type-Options": "nosniff",
    }


def read(evidence: Evidence, files_dir: Path | None = None) -> bytes:
    """The stored bytes of one evidence file (checked against its digest)."""
    root = files_dir if files_dir is not None else get_settings().files_dir
    try:
        stored = (root / evidence.stored_path).read_bytes()
    except FileNotFoundError:
        # A database restored without its files directory (docs/operations.md): say which
        # file, instead of an unexpected error.
        logging.getLogger("pcip.evidence").error(
            "evidence file %s is missing under %s", evidence.stored_path, root
        )
        raise Unavailable(
            msg("evidence.missing", name=evidence.file_name, path=evidence.stored_path)
        ) from None
    if is_sealed(stored):
        session = object_session(evidence)
        if session is None:
            raise ConfigError("an encrypted evidence file is read through its row's session")
        stored = unseal(keyring_of(session), evidence.sha256, stored)
    data = stored
    if hashlib.sha256(data).hexdigest() != evidence.sha256:
        raise ConfigError(f"evidence file {evidence.stored_path} no longer matches its digest")
    return data
