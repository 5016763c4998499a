"""Who performs an action. Every service function takes an Actor and records it in the audit."""

from __future__ import annotations

from dataclasses import dataclass

from pcip.kernel.enums import ActorKind


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    #: Account id, provider USCC, or a tool name; never a citizen ID number.
    ref: str
    display: str = ""

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.ref}"

    @classmethod
    def system(cls, ref: str = "platform") -> Actor:
        return cls(ActorKind.SYSTEM, ref, "pcip")

    @classmethod
    def cli(cls) -> Actor:
        """An operator at the server's command line (the OS account is the accountable person)."""
        import getpass

        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "unknown"
        return cls(ActorKind.OPERATOR, f"cli:{user}", user)
