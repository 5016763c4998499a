"""Text the databases can store: the one check every door and the ingestion pipeline share.

PostgreSQL refuses the NUL character (U+0000) in text, and no database can store an unpaired
surrogate (``"\\ud800"`` in JSON). The HTTP doors refuse such text before a route runs
(``pcip.doors.http_guard``); the ingestion pipeline rejects the row that holds it.
"""

from __future__ import annotations

from pcip.kernel.messages import msg


def bad_text(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None: a NUL or an unpaired surrogate."""
    if "\x00" in value:
        return msg("text.nul")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return msg("text.surrogate")
    return None
