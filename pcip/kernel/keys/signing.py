"""Named Ed25519 signing keys kept beside the keyring (``PCIP_HOME/keys/<name>.key``).

The keyring's keys are secret keys for encryption and seals; a document the platform issues to
people outside it (a credit report, Art. 29) is signed with a key pair whose public half is
published, so anyone can check the document without trusting the database. Each such key has
one job and a file of its own, created on first use (0600, never overwritten); the public half
is derived from it and identified by a short fingerprint printed on every signed document.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from pcip.errors import ConfigError


def key_path(keys_dir: Path, name: str) -> Path:
    return keys_dir / f"{name}.key"


def fingerprint(public: Ed25519PublicKey) -> str:
    """16 hex digits naming a public key (SHA-256 of its raw bytes)."""
    return hashlib.sha256(public_raw(public)).hexdigest()[:16]


def public_raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def signing_key(keys_dir: Path, name: str) -> Ed25519PrivateKey:
    """The named key, created if there is none (a race between two processes keeps one)."""
    path = key_path(keys_dir, name)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first: use theirs
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"signing key {path} cannot be read: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigError(f"signing key {path} is not an Ed25519 key")
    return key
