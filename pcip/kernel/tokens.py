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
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.messages import msg

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


def store_key(
    session: Session,
    actor: Actor,
    model: type[Any],
    *,
    prefix: str,
    owner: dict[str, int],
    label: str,
    action: str,
    object_type: str,
    object_id: str,
) -> IssuedKey:
    """Issue an API key row for an organisation (a unit or a third party), with its audit."""
    label = clean_label(label)
    issued = new_key(prefix)
    session.add(
        model(
            **owner,
            key_id=issued.key_id,
            secret_sha256=issued.secret_sha256,
            label=label,
            created_at=clock.now(),
        )
    )
    session.flush()
    audit.record(
        session,
        actor,
        action,
        object_type=object_type,
        object_id=object_id,
        article="Art. 27",
        details={"key_id": issued.key_id, "label": label},
    )
    return issued


def revoke_stored_key(
    session: Session, actor: Actor, model: type[Any], key_id: str, *, action: str
) -> Any:
    """Revoke at once (idempotent); the row stays, so the audit trail can name the key."""
    from pcip.errors import NotFound

    key = session.scalar(select(model).where(model.key_id == key_id))
    if key is None:
        raise NotFound(msg("tokens.no_key", id=key_id), field="key_id")
    if key.revoked_at is None:
        key.revoked_at = clock.now()
        audit.record(
            session,
            actor,
            action,
            object_type=model.__tablename__,
            object_id=key_id,
            article="Art. 27",
            details={},
        )
    return key


def clean_label(label: str) -> str:
    from pcip.errors import ValidationError

    label = label.strip() or "default"
    if len(label) > 100:
        raise ValidationError(msg("tokens.label_too_long"), field="label")
    return label
