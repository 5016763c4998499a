"""Key material kept under ``PCIP_HOME/keys`` (Art. 27: encryption at rest).

Three kinds of key, each with one job:

* data keys (AES-256-GCM, with ids so they can rotate): encrypt identifiers at rest;
* the index key (HMAC-SHA256): a keyed blind index finds a person by ID number without
  storing the number in the clear, and without a dictionary attack being possible
  from the database alone (18-digit IDs have little entropy, so a plain hash would be);
* the audit key (HMAC-SHA256): seals the audit chain, so rewriting the chain needs the key.

The database stores a fingerprint of the keyring, so starting with a missing or different
key file fails loudly instead of silently writing unreadable data.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from pcip.errors import ConfigError

KEYRING_FILE = "keyring.json"
_NONCE = 12


@dataclass(frozen=True)
class Keyring:
    active_key_id: str
    data_keys: dict[str, bytes]
    index_key: bytes
    audit_key: bytes
    path: Path | None = field(default=None, compare=False)

    # --- blind index -------------------------------------------------------------------
    def blind_index(self, namespace: str, value: str) -> str:
        """Deterministic keyed digest of a normalised identifier, namespaced by its type."""
        msg = f"{namespace}\x1f{value}".encode()
        return hmac.new(self.index_key, msg, hashlib.sha256).hexdigest()

    # --- encryption ----------------------------------------------------------------------
    def encrypt(self, plaintext: str, *, context: str) -> tuple[str, bytes]:
        """Encrypt with the active key; ``context`` is bound as associated data."""
        nonce = secrets.token_bytes(_NONCE)
        key = self.data_keys[self.active_key_id]
        blob = AESGCM(key).encrypt(nonce, plaintext.encode(), context.encode())
        return self.active_key_id, nonce + blob

    def decrypt(self, key_id: str, blob: bytes, *, context: str) -> str:
        try:
            key = self.data_keys[key_id]
        except KeyError:
            raise ConfigError(f"data key '{key_id}' is not in the keyring {self.path}") from None
        try:
            return AESGCM(key).decrypt(blob[:_NONCE], blob[_NONCE:], context.encode()).decode()
        except InvalidTag:
            raise ConfigError(
                f"stored value cannot be decrypted with key '{key_id}' (wrong key or tampering)"
            ) from None

    # --- audit seal ----------------------------------------------------------------------
    def audit_mac(self, message: bytes) -> str:
        return hmac.new(self.audit_key, message, hashlib.sha256).hexdigest()

    @property
    def fingerprint(self) -> str:
        """Identifies this keyring without revealing it (stored in the database)."""
        return hmac.new(self.index_key + self.audit_key, b"pcip-keyring", "sha256").hexdigest()[:32]


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode()


def _unb64(s: object, what: str, path: Path) -> bytes:
    if not isinstance(s, str):
        raise ConfigError(f"key file {path}: '{what}' is missing or not a string")
    try:
        raw = base64.b64decode(s, validate=True)
    except ValueError:
        raise ConfigError(f"key file {path}: '{what}' is not valid base64") from None
    if len(raw) != 32:
        raise ConfigError(f"key file {path}: '{what}' must be 32 bytes, found {len(raw)}")
    return raw


def keyring_path(keys_dir: Path) -> Path:
    return keys_dir / KEYRING_FILE


def create_keyring(keys_dir: Path) -> Keyring:
    """Write a new keyring; refuses to overwrite an existing one (it would orphan data)."""
    path = keyring_path(keys_dir)
    if path.exists():
        raise ConfigError(f"key file {path} already exists; refusing to overwrite it")
    keys_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(keys_dir, 0o700)
    ring = Keyring(
        active_key_id="k1",
        data_keys={"k1": secrets.token_bytes(32)},
        index_key=secrets.token_bytes(32),
        audit_key=secrets.token_bytes(32),
        path=path,
    )
    _write(ring, path)
    return ring


def _write(ring: Keyring, path: Path) -> None:
    doc = {
        "format": "pcip-keyring/1",
        "active_key_id": ring.active_key_id,
        "data_keys": {k: _b64(v) for k, v in ring.data_keys.items()},
        "index_key": _b64(ring.index_key),
        "audit_key": _b64(ring.audit_key),
    }
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(doc, fh, indent=2)
    os.replace(tmp, path)


def load_keyring(keys_dir: Path) -> Keyring:
    """Read the keyring, or explain exactly what is wrong with it."""
    path = keyring_path(keys_dir)
    if not path.exists():
        raise ConfigError(
            f"key file {path} is missing; run 'pcip init' for a new installation, "
            "or restore the key file from backup (it cannot be regenerated)"
        )
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ConfigError(f"key file {path} cannot be read: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != "pcip-keyring/1":
        raise ConfigError(f"key file {path} is not a pcip keyring (format pcip-keyring/1)")
    keys = doc.get("data_keys")
    active = doc.get("active_key_id")
    if not isinstance(keys, dict) or not keys or active not in keys:
        raise ConfigError(f"key file {path}: active_key_id must name one of data_keys")
    return Keyring(
        active_key_id=str(active),
        data_keys={str(k): _unb64(v, f"data_keys.{k}", path) for k, v in keys.items()},
        index_key=_unb64(doc.get("index_key"), "index_key", path),
        audit_key=_unb64(doc.get("audit_key"), "audit_key", path),
        path=path,
    )


def rotate_data_key(keys_dir: Path) -> Keyring:
    """Add a new data key and make it active; old keys stay for decrypting old rows."""
    ring = load_keyring(keys_dir)
    n = max(int(k[1:]) for k in ring.data_keys if k[1:].isdigit()) + 1
    new_id = f"k{n}"
    rotated = Keyring(
        active_key_id=new_id,
        data_keys={**ring.data_keys, new_id: secrets.token_bytes(32)},
        index_key=ring.index_key,
        audit_key=ring.audit_key,
        path=ring.path,
    )
    _write(rotated, keyring_path(keys_dir))
    return rotated
