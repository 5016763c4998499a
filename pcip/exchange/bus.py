"""NATS JetStream: names of the streams and subjects, and the connection (docs/exchange.md).

Every name derives from one prefix (``PCIP_EXCHANGE_PREFIX``, default ``pcip``) so that two
platforms, or two test workers, can share one server without seeing each other's messages:

* intake, one stream per providing unit: stream ``<PREFIX>_INTAKE_<USCC>``, subject
  ``<prefix>.intake.<uscc>``; the platform's durable consumer on it is ``pcip-intake``;
* dead letters: stream ``<PREFIX>_DEAD``, subjects ``<prefix>.dead.<uscc>``;
* the change feed: stream ``<PREFIX>_FEED``, subjects ``<prefix>.feed.<receiver code>``.
"""

from __future__ import annotations

import re
from typing import Any

DURABLE = "pcip-intake"
_PREFIX = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


class Names:
    def __init__(self, prefix: str = "pcip") -> None:
        if not _PREFIX.match(prefix):
            raise ValueError(f"exchange prefix '{prefix}' must be lower-case letters, digits, _")
        self.prefix = prefix
        self.upper = prefix.upper()

    def intake_stream(self, uscc: str) -> str:
        return f"{self.upper}_INTAKE_{uscc}"

    def intake_subject(self, uscc: str) -> str:
        return f"{self.prefix}.intake.{uscc}"

    @property
    def dead_stream(self) -> str:
        return f"{self.upper}_DEAD"

    def dead_subject(self, uscc: str) -> str:
        return f"{self.prefix}.dead.{uscc}"

    @property
    def feed_stream(self) -> str:
        return f"{self.upper}_FEED"

    def feed_subject(self, receiver: str) -> str:
        return f"{self.prefix}.feed.{receiver}"


async def connect(url: str, **kwargs: Any) -> Any:
    """A NATS connection (nats-py); raises when the server does not answer."""
    import nats

    return await nats.connect(
        url, connect_timeout=2, max_reconnect_attempts=2, allow_reconnect=True, **kwargs
    )


async def ensure_stream(js: Any, name: str, subjects: list[str], max_age: float = 0) -> None:
    """Create the stream if missing (file storage, limits retention)."""
    from nats.js.api import StreamConfig
    from nats.js.errors import NotFoundError

    try:
        await js.stream_info(name)
    except NotFoundError:
        await js.add_stream(StreamConfig(name=name, subjects=subjects, max_age=max_age or None))


async def reachable(url: str) -> bool:
    try:
        nc = await connect(url)
    except Exception:
        return False
    await nc.close()
    return True
