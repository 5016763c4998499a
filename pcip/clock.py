"""The one clock. "Now" is a fact like any other (docs/design.md#principle-2).

Nothing in pcip calls ``datetime.now()`` or ``date.today()`` directly: it asks this module, so
``PCIP_NOW`` can fix the time for tests, demos and drills, and ``as_of`` queries are honest.
Times are timezone-aware; the platform's legal day is the China Standard Time calendar day.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone

from pcip.config import get_settings

CST = timezone(timedelta(hours=8), "CST")

_override: datetime | None = None


def _aware(dt: datetime) -> datetime:
    return dt.replace(tzinfo=CST) if dt.tzinfo is None else dt


def now() -> datetime:
    """Current time in China Standard Time, honouring a fixed clock if one is set."""
    if _override is not None:
        return _override
    fixed = get_settings().now
    if fixed is not None:
        return _aware(fixed).astimezone(CST)
    return datetime.now(CST)


def today() -> date:
    """The current legal day in Chongqing (deadlines and periods count CST calendar days)."""
    return now().date()


def legal_day(at: datetime) -> date:
    """The China Standard Time calendar day of an instant (periods count CST days)."""
    return _aware(at).astimezone(CST).date()


@contextmanager
def frozen(at: datetime | date | str) -> Iterator[datetime]:
    """Fix the clock inside a block (tests)."""
    global _override
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    if not isinstance(at, datetime):
        at = datetime(at.year, at.month, at.day, 9, 0)
    previous, _override = _override, _aware(at).astimezone(CST)
    try:
        yield _override
    finally:
        _override = previous
