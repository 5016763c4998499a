"""Bearer secrets: API keys and session tokens (Art. 27).

Every secret is 32 random bytes, shown once, and stored only as its SHA-256. A slow password
hash is unnecessary for a high-entropy secret and would cost every request. The prefix says
what a token is, so one ``Authorization: Bearer`` header serves every kind of caller:

* ``pcip_pk_<key id>_<secret>``: a providing unit's API key;
* ``pcip_gk_<key id>_<secret>``: an authorized third party's API key;
* ``pcip_ss_<secret>``: a signed-in session (staff or credit subject).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

PROVIDER_KEY = "pcip_pk"
GRANTEE_KEY = "pcip_gk"
SESSION = "pcip_ss"


@dataclass(frozen=True)
class IssuedKey:
    key_id: str
    token: str  # shown once; only its hash is stored
    secret_sha256: str


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def same_secret(stored_sha256: str, secret: str) -> bool:
    """Constant time: the comparison must not leak how much of a guess was right."""
    return hmac.compare_digest(stored_sha256, secret_hash(secret))


def new_key(prefix: str) -> IssuedKey:
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    return IssuedKey(key_id, f"{prefix}_{key_id}_{secret}", secret_hash(secret))


def parse_key(prefix: str, token: str) -> tuple[str, str] | None:
    """(key id, secret) of a well-formed key with this prefix, else None."""
    head, sep, rest = token.partition(f"{prefix}_")
    key_id, _, secret = rest.partition("_")
    if head or not sep or not key_id or not secret:
        return None
    return key_id, secret


def new_session_token() -> tuple[str, str]:
    """(token for the client, SHA-256 to store)."""
    secret = secrets.token_urlsafe(32)
    return f"{SESSION}_{secret}", secret_hash(secret)


def session_secret(token: str) -> str | None:
    head, sep, secret = token.partition(f"{SESSION}_")
    return secret if not head and sep and secret else None


def clean_label(label: str) -> str:
    from pcip.errors import ValidationError

    label = label.strip() or "default"
    if len(label) > 100:
        raise ValidationError("label is longer than 100 characters", field="label")
    return label
