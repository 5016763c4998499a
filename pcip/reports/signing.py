"""Signing and checking reports (Art. 29): Ed25519 over the digests of content and PDF.

The key is the platform's report-signing key (``pcip.kernel.keys.signing``, file
``PCIP_HOME/keys/report-signing.key``); its public half is published on the portal
(``/verify``) and in the API (``/api/v1/reports/public-key``), so a bank can check a report
without asking the platform.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from pcip.config import get_settings
from pcip.kernel.keys import signing

KEY_NAME = "report-signing"
_DOMAIN = b"pcip-credit-report/1\n"


def private_key() -> Ed25519PrivateKey:
    return signing.signing_key(get_settings().keys_dir, KEY_NAME)


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def key_id() -> str:
    return signing.fingerprint(public_key())


def canonical(content: dict[str, Any]) -> bytes:
    """The content's bytes for its digest (key order and spacing never matter)."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest(number: str, issued_at: str, content_sha256: str, pdf_sha256: str, key: str) -> bytes:
    """What the signature covers: the number, the issue time and both digests."""
    doc = {
        "content_sha256": content_sha256,
        "issued_at": issued_at,
        "key": key,
        "number": number,
        "pdf_sha256": pdf_sha256,
    }
    return _DOMAIN + json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()


def sign(message: bytes) -> str:
    return base64.b64encode(private_key().sign(message)).decode()


def verify(message: bytes, signature: str, public: Ed25519PublicKey | None = None) -> bool:
    try:
        raw = base64.b64decode(signature, validate=True)
    except ValueError:
        return False
    try:
        (public or public_key()).verify(raw, message)
    except InvalidSignature:
        return False
    return True
