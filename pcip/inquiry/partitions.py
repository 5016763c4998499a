"""Monthly partitions of the inquiry log on PostgreSQL (issue 22 points 4 and 5).

On PostgreSQL ``inquiry_log`` is a declaratively partitioned table (migration 0018):
``PARTITION BY RANGE (at)``, one partition per calendar month of China Standard Time
(``inquiry_log_pYYYYMM`` holds the inquiries made from the 1st of that month, 00:00 CST, up
to the 1st of the next), and ``inquiry_log_default`` catches anything outside every month
partition, so an insert never fails for want of a partition. The primary key is
``(id, at)`` (a partitioned table's unique keys must include the partition key); ``id`` alone
still comes from one sequence and is unique in practice.

Months are CST months because the retention is counted in CST days (``retention.cutoff``):
a partition whose upper bound is at or before the cutoff holds only entries past retention
and is dropped whole by the purge (``retention.purge``).

:func:`ensure` is the maintenance job: it creates the current month and the next
``AHEAD`` months (moving any of their rows that landed in the default partition) and the
default partition itself. ``pcip purge`` runs it before every purge (docs/operations.md: a
daily cron job), and ``pcip serve`` runs it itself at start and then daily
(:class:`PartitionKeeper`, in the supervising process only). On SQLite the log is a plain
table and nothing here applies.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from pcip import clock

TABLE = "inquiry_log"
DEFAULT = "inquiry_log_default"
#: Months created ahead of the current one by :func:`ensure`.
AHEAD = 3
_BOUND = re.compile(r"FROM \('([^']+)'\) TO \('([^']+)'\)")


@dataclass(frozen=True)
class Partition:
    name: str
    #: Bounds as instants (None for the default partition).
    lower: datetime | None
    upper: datetime | None

    @property
    def is_default(self) -> bool:
        return self.lower is None


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def bounds(month: date) -> tuple[datetime, datetime]:
    """The month's partition bounds: 00:00 CST on its 1st and on the next month's 1st."""
    first = month_start(month)
    return (
        datetime.combine(first, time(0), tzinfo=clock.CST),
        datetime.combine(add_months(first, 1), time(0), tzinfo=clock.CST),
    )


def name_of(month: date) -> str:
    return f"{TABLE}_p{month:%Y%m}"


def is_partitioned(session: Session) -> bool:
    if session.get_bind().dialect.name != "postgresql":
        return False
    kind = session.scalar(
        text(
            "SELECT c.relkind FROM pg_class c WHERE c.oid = to_regclass(:t)",
        ),
        {"t": TABLE},
    )
    return bool(kind == "p")


def partitions(session: Session) -> list[Partition]:
    """Every partition of the log, by lower bound (the default partition last)."""
    rows = session.execute(
        text(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(:t)"
        ),
        {"t": TABLE},
    ).all()
    out: list[Partition] = []
    for name, bound in rows:
        found = _BOUND.search(bound or "")
        if found is None:  # "DEFAULT"
            out.append(Partition(name, None, None))
            continue
        lower, upper = (datetime.fromisoformat(v) for v in found.groups())
        out.append(Partition(name, lower, upper))
    far = datetime.max.replace(tzinfo=clock.CST)
    return sorted(out, key=lambda p: p.lower or far)


def past(session: Session, before: datetime) -> list[Partition]:
    """Month partitions holding only entries made before ``before`` (their upper bound is at
    or before it): the purge drops these whole."""
    return [p for p in partitions(session) if p.upper is not None and p.upper <= before]


def create_month(session: Session, month: date) -> str:
    """Create ``month``'s partition; entries of that month already in the default partition
    move into it (in this transaction). Returns its name."""
    name = name_of(month)
    lower, upper = bounds(month)
    session.execute(
        text(
            f'CREATE TABLE "{name}" (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS '
            "INCLUDING STORAGE)"
        )
    )
    if session.scalar(text("SELECT to_regclass(:d) IS NOT NULL"), {"d": DEFAULT}):
        window = {"lo": lower, "hi": upper}
        session.execute(
            text(f'INSERT INTO "{name}" SELECT * FROM {DEFAULT} WHERE at >= :lo AND at < :hi'),
            window,
        )
        session.execute(text(f"DELETE FROM {DEFAULT} WHERE at >= :lo AND at < :hi"), window)
    session.execute(
        text(
            f'ALTER TABLE {TABLE} ATTACH PARTITION "{name}" '
            f"FOR VALUES FROM ('{lower.isoformat()}') TO ('{upper.isoformat()}')"
        )
    )
    return name


def ensure(session: Session, *, ahead: int = AHEAD, since: date | None = None) -> list[str]:
    """The maintenance job: the default partition and the month partitions from ``since``
    (default: this month) through ``ahead`` months after this month exist. Returns the names
    it created (none on SQLite or on a log that is not partitioned)."""
    if not is_partitioned(session):
        return []
    created: list[str] = []
    if session.scalar(text("SELECT to_regclass(:d) IS NULL"), {"d": DEFAULT}):
        session.execute(text(f"CREATE TABLE {DEFAULT} PARTITION OF {TABLE} DEFAULT"))
        created.append(DEFAULT)
    existing = {p.lower for p in partitions(session) if p.lower is not None}
    this_month = month_start(clock.today())
    month = month_start(since) if since is not None else this_month
    last = add_months(this_month, ahead)
    while month <= last:
        if bounds(month)[0] not in existing:
            created.append(create_month(session, month))
        month = add_months(month, 1)
    return created


def drop(session: Session, partition: Partition, held_filter: str | None) -> None:
    """Drop a past month's partition. With ``held_filter`` (SQL over the partition's rows),
    the rows it selects (those under legal hold) are first put back into the log: the
    partition is detached, so they land in the default partition and stay readable."""
    if partition.is_default:
        raise ValueError("the default partition is never dropped")
    if held_filter is not None:
        session.execute(text(f'ALTER TABLE {TABLE} DETACH PARTITION "{partition.name}"'))
        session.execute(
            text(f'INSERT INTO {TABLE} SELECT * FROM "{partition.name}" WHERE {held_filter}')
        )
    session.execute(text(f'DROP TABLE "{partition.name}"'))


__all__ = [
    "AHEAD",
    "DEFAULT",
    "Partition",
    "add_months",
    "bounds",
    "create_month",
    "drop",
    "ensure",
    "is_partitioned",
    "month_start",
    "name_of",
    "partitions",
    "past",
]


log = logging.getLogger("pcip.inquiry.partitions")
#: ``pcip serve`` keeps the partitions ahead once a day (``AHEAD`` months ahead: a missed
#: day, or a month of the server down, still leaves the coming months' partitions in place).
KEEP_EVERY_SECONDS = 24 * 3600.0


class PartitionKeeper:
    """``pcip serve``: :func:`ensure` at start, then every ``every`` seconds, in a thread of
    the supervising process (issue 22: once per server, never per worker process), as
    ``pcip purge --partitions-only`` does from cron. Only on PostgreSQL with a partitioned
    log. A failure is logged and tried again at the next round, never fatal to the server:
    an insert never fails for want of a partition (the default partition takes it)."""

    def __init__(self, platform: Any, every: float = KEEP_EVERY_SECONDS) -> None:
        self.platform = platform
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pcip-partitions", daemon=True)

    def once(self) -> list[str] | None:
        """One round: the partitions it created (None: it failed, and says why in the log)."""
        try:
            with self.platform.transaction() as s:
                created = ensure(s)
        except Exception:  # never let the maintenance take the server down
            log.exception("the inquiry log's partitions were not kept ahead")
            return None
        if created:
            log.info("inquiry log partitions created: %s", ", ".join(created))
        return created

    def start(self) -> bool:
        if self.platform.engine.dialect.name != "postgresql":
            return False
        with self.platform.transaction() as s:
            if not is_partitioned(s):
                return False
        self.once()
        self._thread.start()
        return True

    def stop(self) -> None:
        """Stop, and wait for a round in progress."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.once()
