"""The exchange worker: every ``exchange_every_seconds``, the intake of every registered unit's
stream, then the feed published on JetStream. ``pcip serve`` starts it in a thread when the
``exchange`` setting is ``auto`` (and the server answers) or ``on``; ``pcip exchange run`` runs
it in the foreground."""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass, field

from pcip.errors import ConfigError
from pcip.exchange import intake, push
from pcip.exchange.bus import Names, connect, reachable
from pcip.kernel.platform import Platform
from pcip.providers.queries import providers_by_name

log = logging.getLogger(__name__)


@dataclass
class PassResult:
    stored: int = 0
    duplicates: int = 0
    poison: int = 0
    published: int = 0
    units: list[str] = field(default_factory=list)


async def one_pass(platform: Platform, names: Names | None = None) -> PassResult:
    settings = platform.settings
    names = names or Names(settings.exchange_prefix)
    with platform.transaction() as s:
        units = [p.uscc for p in providers_by_name(s)]
    out = PassResult(units=units)
    nc = await connect(settings.exchange_url)
    try:
        js = nc.jetstream()
        for uscc in units:
            st = await intake.consume(platform, js, uscc, names=names, idle_seconds=0.2)
            out.stored += st.stored
            out.duplicates += st.duplicates
            out.poison += st.poison
        out.published = await push.push(platform, js, names)
    finally:
        await nc.close()
    return out


class Worker(threading.Thread):
    def __init__(self, platform: Platform) -> None:
        super().__init__(name="pcip-exchange", daemon=True)
        self.platform = platform
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                asyncio.run(one_pass(self.platform))
            except Exception:  # logged, retried at the next pass
                log.exception("exchange pass failed")
            self.stopped.wait(self.platform.settings.exchange_every_seconds)

    def stop(self) -> None:
        self.stopped.set()


def start(platform: Platform) -> Worker | None:
    """Start the worker as the ``exchange`` setting says; None when it stays off."""
    settings = platform.settings
    if settings.exchange == "off":
        return None
    if not asyncio.run(reachable(settings.exchange_url)):
        if settings.exchange == "on":
            raise ConfigError(
                f"PCIP_EXCHANGE=on but no NATS server answers at {settings.exchange_url}"
            )
        log.warning("exchange: no NATS server at %s; exchange off", settings.exchange_url)
        return None
    w = Worker(platform)
    w.start()
    return w
