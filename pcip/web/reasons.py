"""A record version's reason on a page, in the page's language (pcip.records.reasons)."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup, escape

from pcip.records.reasons import reason_parts
from pcip.web import i18n
from pcip.web.labels import as_data


def version_reason(version: Any) -> Markup:
    """A composed reason worded in the page's language with the staff's note as data; a
    reason stored as plain text (before reasons were coded) as data."""
    code = getattr(version, "reason_code", None)
    stored = json.dumps(code, ensure_ascii=False) if code else str(version.reason)
    message, note = reason_parts(stored)
    if message is None:
        return as_data(stored)
    locale = i18n.current_locale()
    text = escape(message.render(locale))
    if not note:
        return text
    colon = ": " if locale.lower().startswith("en") else "："
    return text + Markup(colon) + as_data(note)
