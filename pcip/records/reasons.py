"""Why a record's version exists, kept so that each reader sees it in their own language.

A version's ``reason`` is text (``RecordVersion.reason``). The ledger's fixed reasons are
vocabulary codes (``"submitted"``; ``version_reason`` in :mod:`pcip.kernel.vocabulary`). A
reason the platform composes (an objection's or a correction's decision, issue 19.3) is
stored as its coded message in JSON with the staff's own words beside it as ``note``, so a
Chinese page says 异议 5 决定：已更正 and an English one "objection 5 decision: Corrected",
the note shown as written. Reasons stored before this (plain English) are shown as data.

The API and the exchange feed keep their shape: one string, in English (:func:`reason_text`).
"""

from __future__ import annotations

import json
from typing import Any

from pcip.kernel.messages import Message


def coded_reason(message: Message, note: str | None = None) -> str:
    """The text to store for a composed reason: its message and the staff's note."""
    data: dict[str, Any] = message.as_json()
    if note:
        data["note"] = note
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def reason_code(stored: str) -> dict[str, Any] | None:
    """A composed reason as data (``{"key", "params", "note"}``); None for a plain one."""
    if not stored.startswith('{"key":'):
        return None
    try:
        data = json.loads(stored)
    except ValueError:
        return None
    if not isinstance(data, dict) or Message.from_json(data) is None:
        return None
    return data


def reason_parts(stored: str) -> tuple[Message | None, str]:
    """The coded message of a stored reason and its note; ``(None, stored)`` for plain text."""
    data = reason_code(stored)
    message = Message.from_json(data) if data is not None else None
    if data is None or message is None:
        return None, stored
    return message, str(data.get("note") or "")


def reason_text(stored: str, locale: str = "en") -> str:
    """One line in ``locale``: the message, then the note after a colon."""
    message, note = reason_parts(stored)
    if message is None:
        return stored
    text = message.render(locale)
    if not note:
        return text
    return f"{text}：{note}" if not locale.lower().startswith("en") else f"{text}: {note}"
