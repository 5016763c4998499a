"""The interfaces registry (Art. 25): the systems that receive the feed, their scopes and keys.

A receiver authenticates with its key (header ``X-Receiver-Key``); only the SHA-256 of the key
is stored, and the key is shown once, when it is issued or rotated. Every change to the
registry is audited in the same transaction.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.errors import Collect, Conflict, NotFound, Unauthorized, ValidationError
from pcip.exchange.feed import SCOPES
from pcip.exchange.models import Receiver
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.messages import msg

_CODE = re.compile(r"^[a-z][a-z0-9_-]{1,47}$")
KEY_PREFIX = "pcx_"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _scopes(scopes: list[str]) -> list[str]:
    bad = [sc for sc in scopes if sc not in SCOPES]
    if bad or not scopes:
        raise ValidationError(
            msg(
                "exchange.scopes",
                scopes=list(SCOPES),
                bad=f" (not {bad[0]})" if bad else "",
                bad_zh=f"（不能为 {bad[0]}）" if bad else "",
            ),
            field="scopes",
        )
    return sorted(set(scopes))


def add(s: Session, actor: Actor, code: str, name: str, scopes: list[str]) -> tuple[Receiver, str]:
    """Register a receiver; returns it and its key (shown once)."""
    # Issue 19.8: every field is checked before the receiver is refused.
    problems = Collect()
    if not _CODE.match(code):
        with problems:
            raise ValidationError(msg("exchange.code_shape"), field="code")
    if not name.strip() or len(name) > 200:
        with problems:
            raise ValidationError(msg("exchange.name_required"), field="name")
    if not scopes:
        with problems:
            raise ValidationError(msg("console.choose_scope"), field="scopes")
    with problems:
        _scopes(scopes)
    problems.raise_any()
    if s.scalar(select(Receiver.id).where(Receiver.code == code)) is not None:
        raise Conflict(msg("exchange.receiver_exists", code=repr(code)), field="code")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    r = Receiver(
        code=code,
        name=name.strip(),
        scopes=_scopes(scopes),
        key_sha256=_hash(key),
        key_hint=key[-4:],
        active=True,
        acked_cursor=0,
        created_at=clock.now(),
        created_by=str(actor),
    )
    s.add(r)
    s.flush()
    _audit(s, actor, "exchange.receiver.add", r, {"name": r.name, "scopes": r.scopes})
    return r, key


def get(s: Session, code: str) -> Receiver:
    r = s.scalar(select(Receiver).where(Receiver.code == code))
    if r is None:
        raise NotFound(msg("exchange.no_receiver", code=repr(code)), field="code")
    return r


def all_receivers(s: Session) -> list[Receiver]:
    return list(s.scalars(select(Receiver).order_by(Receiver.code)))


def set_scopes(s: Session, actor: Actor, code: str, scopes: list[str]) -> Receiver:
    r = get(s, code)
    before, r.scopes = r.scopes, _scopes(scopes)
    _audit(s, actor, "exchange.receiver.scopes", r, {"before": before, "after": r.scopes})
    return r


def set_active(s: Session, actor: Actor, code: str, active: bool) -> Receiver:
    r = get(s, code)
    r.active = active
    _audit(s, actor, "exchange.receiver." + ("enable" if active else "disable"), r, {})
    return r


def rotate_key(s: Session, actor: Actor, code: str) -> tuple[Receiver, str]:
    r = get(s, code)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    r.key_sha256, r.key_hint = _hash(key), key[-4:]
    _audit(s, actor, "exchange.receiver.rotate_key", r, {"hint": r.key_hint})
    return r, key


def authenticate(s: Session, key: str | None) -> Receiver:
    """The active receiver holding ``key`` (Art. 25); Forbidden otherwise."""
    if not key or not key.startswith(KEY_PREFIX):
        raise Unauthorized(msg("exchange.key_required", header="X-Receiver-Key"), field="key")
    r = s.scalar(select(Receiver).where(Receiver.key_sha256 == _hash(key)))
    if r is None or not r.active:
        raise Unauthorized(msg("exchange.key_unknown"), field="key")
    return r


def _audit(s: Session, actor: Actor, action: str, r: Receiver, details: dict[str, object]) -> None:
    audit.record(
        s,
        actor,
        action,
        object_type="receiver",
        object_id=r.id,
        article="Art. 25",
        details={"code": r.code, **details},
    )
