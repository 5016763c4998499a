"""The objection watch that ``pcip serve`` runs in the background (D-2; Art. 40, 53).

Every ``PCIP_OBJECTION_WATCH_SECONDS`` (default 300; 0 turns it off) it runs
``tracking.overdue_check`` in its own transaction: each step newly past its deadline is
audited once, and each case not transferred (nor reviewed or refused) on its first working
day goes on the operator's alert list once. Nobody has to open a page or run a command for
the alert to be raised. With several server processes each runs it; the check is idempotent
(alerts are unique per case and kind, overdue reports are looked up in the audit log).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

# The tables the objection tables refer to, mapped before the first pass: the watch may run
# before anything else is imported (``pcip serve`` starts it first).
import pcip.providers.models
import pcip.records.models
import pcip.subjects.models  # noqa: F401
from pcip import clock
from pcip.auth.permissions import system_principal
from pcip.kernel.platform import Platform
from pcip.objections import tracking

log = logging.getLogger("pcip.objections.watch")
#: The watch is a job: a system principal, which takes no step a role takes (it only reports
#: what is overdue and raises alerts, audited under its own name).
PRINCIPAL = system_principal("objections.watch")
ACTOR = PRINCIPAL.actor


#: Another area's overdue check run in the same pass, each in its own transaction (restoration,
#: Art. 45): ``pcip serve`` passes them, since the areas above objections are not known here.
OverdueCheck = Callable[[Session], int]


def run_once(platform: Platform, also: Sequence[OverdueCheck] = ()) -> int:
    """One pass of the watch; the number of newly overdue steps it reported."""
    with platform.transaction() as s:
        found = len(tracking.overdue_check(s, ACTOR, clock.today()))
    for check in also:
        with platform.transaction() as s:
            found += check(s)
    return found


class Watch(threading.Thread):
    def __init__(
        self, platform: Platform, every_seconds: float, also: Sequence[OverdueCheck] = ()
    ) -> None:
        super().__init__(name="pcip-objection-watch", daemon=True)
        self.platform = platform
        self.every = every_seconds
        self.also = tuple(also)
        self.stopped = threading.Event()

    def run(self) -> None:
        # One line per server (its process id in the log format): the watch runs once, in
        # the supervising process, however many processes serve (issue 22).
        log.info("objection watch running, every %s s", self.every)
        while not self.stopped.is_set():
            try:
                run_once(self.platform, self.also)
            except Exception:  # a failed pass is logged and retried at the next one
                log.exception("objection watch pass failed")
            self.stopped.wait(self.every)

    def stop(self) -> None:
        self.stopped.set()


def start(platform: Platform, also: Sequence[OverdueCheck] = ()) -> Watch | None:
    every = platform.settings.objection_watch_seconds
    if every <= 0:
        return None
    watch = Watch(platform, every, also)
    watch.start()
    return watch
