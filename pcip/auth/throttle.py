"""Staff sign-in throttling and lockout (Art. 27: protect accounts that read credit data).

Without it, anyone could try passwords as fast as the server answers (issue 23: 40 wrong
passwords in 6 seconds, then the right one worked), and each failure added an audit row, so
an anonymous caller could grow the audit chain at will. Now:

* **Per account** (by the username typed, whether or not it exists, so a lockout tells an
  attacker nothing about which usernames exist): after ``signin_lock_after`` failures within
  ``signin_lock_minutes``, the account is locked for ``signin_lock_minutes``; while locked, no
  password is checked, the right one included (429 with ``Retry-After``).
* **Per address**: after ``signin_address_failures`` failures within ``signin_lock_minutes``
  from one address, that address may not try any account until the window ends (429).
* **Shared across processes**: the counts live in the platform's shared state
  (``pcip.kernel.shared_state``: Redis with ``PCIP_REDIS_URL``, else this process's memory).
* **Recorded without flooding the audit chain**: failures are counted in the shared state, not
  audited one by one. An existing account's first failure in a window is audited
  (``account.sign_in_failed``), and so is each lockout (``account.locked``, with the number
  of failures): at most two rows per account per window, whatever the number of attempts.
  A successful sign-in clears the account's count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy.orm import Session

from pcip.config import Settings
from pcip.errors import RateLimited
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind
from pcip.kernel.messages import msg
from pcip.kernel.shared_state import MemoryState, SharedState

__all__ = ["SignInGuard"]


def _account(username: str) -> str:
    return username.strip().lower()[:64]


@dataclass
class SignInGuard:
    state: SharedState
    lock_after: int = 5
    window_seconds: float = 15 * 60
    address_failures: int = 30

    @classmethod
    def from_settings(cls, settings: Settings, state: SharedState | None) -> SignInGuard:
        return cls(
            state=state if state is not None else MemoryState(),
            lock_after=settings.signin_lock_after,
            window_seconds=settings.signin_lock_minutes * 60.0,
            address_failures=settings.signin_address_failures,
        )

    def _minutes(self, seconds: float) -> int:
        return max(1, math.ceil(seconds / 60))

    def check(self, username: str, address: str) -> None:
        """Refuse before any password is checked if the account or the address is locked."""
        locked = self.state.ttl(f"signin:lock:{_account(username)}")
        if locked > 0:
            raise RateLimited(
                msg("auth.account_locked", minutes=self._minutes(locked)),
                retry_after=locked,
            )
        key = f"signin:addr:{address}"
        if self.state.get(key) >= self.address_failures:
            wait = self.state.ttl(key) or self.window_seconds
            raise RateLimited(
                msg("auth.address_locked", minutes=self._minutes(wait)),
                retry_after=wait,
            )

    def failed(self, session: Session, username: str, address: str, account_id: int | None) -> None:
        """Count a failure; audit an account's first failure in a window and its lockout."""
        name = _account(username)
        self.state.incr(f"signin:addr:{address}", self.window_seconds)
        failures = self.state.incr(f"signin:fail:{name}", self.window_seconds)
        if failures >= self.lock_after:
            self.state.set(f"signin:lock:{name}", 1, self.window_seconds)
            self.state.delete(f"signin:fail:{name}")
        if account_id is None:
            return  # no such account: counted, nothing to audit
        who = Actor(ActorKind.PUBLIC, "sign-in")
        if failures == 1:
            audit.record(
                session,
                who,
                "account.sign_in_failed",
                object_type="account",
                object_id=str(account_id),
                article="Art. 27",
                details={
                    "later_failures_counted_not_audited_for_minutes": self._minutes(
                        self.window_seconds
                    )
                },
            )
        if failures >= self.lock_after:
            audit.record(
                session,
                who,
                "account.locked",
                object_type="account",
                object_id=str(account_id),
                article="Art. 27",
                details={
                    "failures": failures,
                    "locked_minutes": self._minutes(self.window_seconds),
                },
            )

    def succeeded(self, username: str) -> None:
        self.state.delete(f"signin:fail:{_account(username)}")
