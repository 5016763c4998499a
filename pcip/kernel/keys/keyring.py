"""Key material kept under ``PCIP_HOME/keys`` (Art. 27: encryption at rest).

Four kinds of key, each with one job:

* data keys (AES-256-GCM, ids ``k1``, ``k2`` ...): encrypt identifiers and rejected rows at
  rest; ``pcip keys rotate`` adds one, re-encrypts everything under it, keeps the old ones;
* index keys (HMAC-SHA256, ids ``i1``, ``i2`` ...): a keyed blind index finds a person by ID
  number without storing the number in the clear, and without a dictionary attack being
  possible from the database alone (18-digit IDs have little entropy, so a plain hash would
  be); ``pcip keys rotate`` recomputes every person's index under a new one;
* the record key (HMAC-SHA256): digests of record content (idempotency keys of records without
  a document number, content hashes of versions). It is never rotated: those digests cover
  the clear identifiers, which are not stored, so they cannot be recomputed (docs/operations.md);
* the audit key (HMAC-SHA256): seals the audit chain, so rewriting the chain needs the key.

The database keeps a fingerprint of every key it depends on (``pcip.kernel.keys``), so starting with
a missing, different, older or newer key file fails loudly instead of writing unreadable data.
The key that signs audit checkpoints lives in a file of its own (``pcip.kernel.audit.anchor``).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from pcip.errors import ConfigError

KEYRING_FILE = "keyring.json"
FORMAT_V1 = "pcip-keyring/1"
FORMAT = "pcip-keyring/2"
_NONCE = 12
#: Blind-index namespaces digested with the record key (content), not the index key (people).
_RECORD_NAMESPACES = ("record.",)


@dataclass(frozen=True)
class Keyring:
    #: The data key new values are encrypted with.
    active_key_id: str
    data_keys: dict[str, bytes]
    #: The active index key (persons are found by it).
    index_key: bytes
    audit_key: bytes
    path: Path | None = field(default=None, compare=False)
    index_key_id: str = "i1"
    #: Index keys of earlier rotations, kept so a rotation can be resumed and checked.
    old_index_keys: dict[str, bytes] = field(default_factory=dict)
    #: Digest key of record content; ``None`` in version-1 key files, where it is the index key.
    record_key: bytes | None = None

    # --- blind index -------------------------------------------------------------------
    def blind_index(self, namespace: str, value: str) -> str:
        """Deterministic keyed digest of a normalised identifier, namespaced by its type."""
        key = self.content_key if namespace.startswith(_RECORD_NAMESPACES) else self.index_key
        return blind_digest(key, namespace, value)

    def blind_index_bytes(self, namespace: str, data: bytes) -> str:
        """``blind_index(namespace, value)`` of the text whose UTF-8 encoding is ``data``
        (ingestion hashes JSON as orjson writes it, without decoding it first)."""
        key = self.content_key if namespace.startswith(_RECORD_NAMESPACES) else self.index_key
        return hmac_sha256(key, b"".join((namespace.encode(), b"\x1f", data))).hex()

    def record_digest(self, namespace: str, value: str) -> str:
        """A digest under the record key, which never rotates (how records name a person)."""
        return blind_digest(self.content_key, namespace, value)

    @property
    def content_key(self) -> bytes:
        return self.record_key if self.record_key is not None else self.index_key

    @property
    def index_keys(self) -> dict[str, bytes]:
        return {**self.old_index_keys, self.index_key_id: self.index_key}

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
        """Identifies this installation's keyring without revealing it (stored in the database).

        Made of the keys that never rotate (record and audit keys), so it survives rotations;
        each rotating key has a fingerprint of its own (``key_fingerprints``).
        """
        return hmac.new(self.content_key + self.audit_key, b"pcip-keyring", "sha256").hexdigest()[
            :32
        ]

    @property
    def generation(self) -> str:
        """The active data and index key ids, as the database records them ("k2 i2")."""
        return f"{self.active_key_id} {self.index_key_id}"

    def key_fingerprints(self) -> dict[tuple[str, str], str]:
        """(kind, key id) -> fingerprint of every key this file holds."""
        out = {("data", k): key_fingerprint("data", v) for k, v in self.data_keys.items()}
        out.update({("index", k): key_fingerprint("index", v) for k, v in self.index_keys.items()})
        out[("record", "r1")] = key_fingerprint("record", self.content_key)
        out[("audit", "a1")] = key_fingerprint("audit", self.audit_key)
        return out

    def active_ids(self) -> dict[str, str]:
        return {
            "data": self.active_key_id,
            "index": self.index_key_id,
            "record": "r1",
            "audit": "a1",
        }

    def with_active(self, data_key_id: str, index_key_id: str) -> Keyring:
        """The same keys with other data and index keys active (both must be present)."""
        if data_key_id not in self.data_keys:
            raise ConfigError(f"data key '{data_key_id}' is not in the keyring {self.path}")
        indexes = self.index_keys
        if index_key_id not in indexes:
            raise ConfigError(f"index key '{index_key_id}' is not in the keyring {self.path}")
        return replace(
            self,
            active_key_id=data_key_id,
            index_key_id=index_key_id,
            index_key=indexes[index_key_id],
            old_index_keys={k: v for k, v in indexes.items() if k != index_key_id},
            record_key=self.content_key,
        )


def blind_digest(key: bytes, namespace: str, value: str) -> str:
    """The blind index of ``value`` under one given key (``Keyring.blind_index``)."""
    return hmac_sha256(key, f"{namespace}\x1f{value}".encode()).hex()


def hmac_sha256(key: bytes, message: bytes) -> bytes:
    """HMAC-SHA256 (RFC 2104), the same bytes as ``hmac.digest(key, message, "sha256")``.

    Ingestion computes several per row (blind indexes, content digests). The key's inner and
    outer pads are hashed once per key (``_pads``) and each digest copies the two states: a
    third of ``hmac.digest``'s cost, which sets up OpenSSL's HMAC for every call, and, unlike
    it, it keeps the interpreter lock for short messages (``hashlib`` lets it go only from
    2 KiB), so the ingest's writer thread does not take the lock over at every digest
    (docs/performance.md). ``tests/test_keyring.py`` compares it with ``hmac.digest``.
    """
    inner, outer = _pads(key)
    digest = inner.copy()
    digest.update(message)
    result = outer.copy()
    result.update(digest.digest())
    return result.digest()


#: RFC 2104's pads as byte translation tables (each byte XOR 0x36, XOR 0x5C).
_IPAD = bytes(b ^ 0x36 for b in range(256))
_OPAD = bytes(b ^ 0x5C for b in range(256))


@functools.lru_cache(maxsize=64)
def _pads(key: bytes) -> tuple[hashlib._Hash, hashlib._Hash]:
    """SHA-256 states that have taken in the key's inner and outer pads."""
    if len(key) > _SHA256_BLOCK:
        key = hashlib.sha256(key).digest()
    block = key.ljust(_SHA256_BLOCK, b"\0")
    return hashlib.sha256(block.translate(_IPAD)), hashlib.sha256(block.translate(_OPAD))


_SHA256_BLOCK = 64


def key_fingerprint(kind: str, key: bytes) -> str:
    """A one-way digest naming a key (32 hex digits); reveals nothing about the key."""
    return hashlib.sha256(b"pcip-key-fingerprint\x1f" + kind.encode() + b"\x1f" + key).hexdigest()[
        :32
    ]


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
        record_key=secrets.token_bytes(32),
    )
    write_keyring(ring, path)
    return ring


def write_keyring(ring: Keyring, path: Path) -> None:
    """Replace the key file atomically (a crash leaves the old or the new file, never half)."""
    doc = {
        "format": FORMAT,
        "active_key_id": ring.active_key_id,
        "data_keys": {k: _b64(v) for k, v in ring.data_keys.items()},
        "active_index_key_id": ring.index_key_id,
        "index_keys": {k: _b64(v) for k, v in ring.index_keys.items()},
        "record_key": _b64(ring.content_key),
        "audit_key": _b64(ring.audit_key),
    }
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(doc, fh, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    try:  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


_write = write_keyring


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
    if not isinstance(doc, dict) or doc.get("format") not in (FORMAT, FORMAT_V1):
        raise ConfigError(f"key file {path} is not a pcip keyring (format {FORMAT})")
    keys = doc.get("data_keys")
    active = doc.get("active_key_id")
    if not isinstance(keys, dict) or not keys or active not in keys:
        raise ConfigError(f"key file {path}: active_key_id must name one of data_keys")
    data_keys = {str(k): _unb64(v, f"data_keys.{k}", path) for k, v in keys.items()}
    if doc["format"] == FORMAT_V1:
        return Keyring(
            active_key_id=str(active),
            data_keys=data_keys,
            index_key=_unb64(doc.get("index_key"), "index_key", path),
            audit_key=_unb64(doc.get("audit_key"), "audit_key", path),
            path=path,
        )
    indexes = doc.get("index_keys")
    active_index = doc.get("active_index_key_id")
    if not isinstance(indexes, dict) or not indexes or active_index not in indexes:
        raise ConfigError(f"key file {path}: active_index_key_id must name one of index_keys")
    index_keys = {str(k): _unb64(v, f"index_keys.{k}", path) for k, v in indexes.items()}
    return Keyring(
        active_key_id=str(active),
        data_keys=data_keys,
        index_key=index_keys.pop(str(active_index)),
        audit_key=_unb64(doc.get("audit_key"), "audit_key", path),
        path=path,
        index_key_id=str(active_index),
        old_index_keys=index_keys,
        record_key=_unb64(doc.get("record_key"), "record_key", path),
    )


def _next_id(prefix: str, ids: Iterable[str]) -> str:
    numbers = [int(k[1:]) for k in ids if k[1:].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


def add_keys(ring: Keyring) -> tuple[Keyring, str, str]:
    """The ring with a new data key and a new index key added, NOT active. Returns their ids.

    A step of ``pcip keys rotate`` (``pcip.ops.rotation``): the file gains the keys before
    the database refers to them, so a crash between the two never loses key material.
    """
    data_id = _next_id("k", ring.data_keys)
    index_id = _next_id("i", ring.index_keys)
    added = replace(
        ring,
        data_keys={**ring.data_keys, data_id: secrets.token_bytes(32)},
        old_index_keys={**ring.old_index_keys, index_id: secrets.token_bytes(32)},
        record_key=ring.content_key,
    )
    return added, data_id, index_id


def rotate_data_key(keys_dir: Path) -> Keyring:
    """Add a new data key to the FILE and make it active; old keys stay for decrypting old rows.

    The file alone: the database is not told, so a platform refuses to start with the result
    (the key file's active key is unknown to the database). ``pcip keys rotate`` is the
    command that rotates keys: it records the new keys and re-encrypts the data.
    """
    ring = load_keyring(keys_dir)
    new_id = _next_id("k", ring.data_keys)
    rotated = replace(
        ring,
        active_key_id=new_id,
        data_keys={**ring.data_keys, new_id: secrets.token_bytes(32)},
        record_key=ring.content_key,
    )
    write_keyring(rotated, keyring_path(keys_dir))
    return rotated
