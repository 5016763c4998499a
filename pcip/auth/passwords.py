"""Staff password hashing (Argon2id) at the cost the settings name.

``standard`` is argon2-cffi's default, RFC 9106's second recommended option (3 passes over
64 MiB, 4 lanes): about 50 ms of a core per hash, on purpose. ``minimal`` (1 pass over 8 KiB)
is for the test suite, which creates and signs in hundreds of accounts; production refuses to
start with it (``pcip.config.refuse_weak_password_hashing``). A hash made at another cost than
the current one is re-made at the next successful sign-in (``needs_rehash``).
"""

from __future__ import annotations

from typing import Literal

from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from pcip.config import Settings

Cost = Literal["standard", "minimal"]

_HASHERS: dict[str, PasswordHasher] = {
    "standard": PasswordHasher(),
    "minimal": PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
}


def hasher(cost: Cost = "standard") -> PasswordHasher:
    return _HASHERS[cost]


def hasher_for(session: Session) -> PasswordHasher:
    """The hasher of the platform this session belongs to (standard when it names none)."""
    settings = session.info.get("settings")
    return hasher(settings.password_hash_cost if isinstance(settings, Settings) else "standard")
