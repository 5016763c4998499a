"""Keep personal identifiers and credentials out of application logs (Art. 27).

Art. 27 requires credit information, and the personal information it carries, to be protected
against leaks; the Personal Information Protection Law treats an identity number as sensitive.
Logs are copied, shipped and kept far more loosely than the database, so nothing that singles
a person out may reach them: a request line such as ``GET /api/v1/x?id_number=...`` or an
exception quoting the number it rejected would otherwise leak it.

:func:`redact` masks citizen identity numbers (GB 11643-1999, 18 characters, and the legacy
15-digit form) with the platform's public-notice mask (:func:`pcip.identity.mask_citizen_id`),
and replaces by ``[redacted]`` the value of fields that carry identifiers or credentials
(``id_number=...``, ``"token": "..."``, ``Authorization: Bearer ...``).
:class:`RedactingFilter` applies it to log records, and :func:`configure_logging` /
:data:`UVICORN_LOG_CONFIG` attach the filter to every handler that writes logs.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Mapping
from typing import Any

from uvicorn.config import LOGGING_CONFIG as _UVICORN_DEFAULT_LOGGING_CONFIG

from pcip.kernel.masking import mask_citizen_id

__all__ = [
    "PLAIN_FORMAT",
    "REDACTED",
    "UVICORN_LOG_CONFIG",
    "RedactingFilter",
    "configure_logging",
    "redact",
    "uvicorn_log_config",
]

REDACTED = "[redacted]"

# A citizen ID standing alone: 17 digits and a digit or X check character, or the legacy 15
# digits, not preceded or followed by another digit. A longer digit run (a bank card number, a
# nanosecond timestamp) is not an ID and is left alone. ASCII digits only: \d would also match
# other scripts' digits, which no ID uses.
_CITIZEN_ID = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9])")
_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_USCC_LENGTH = 18

# Names of fields whose value is an identifier or a credential, matched anywhere in the name
# and case-insensitively so that ``idNumber``, ``access_token`` or ``client_secret`` are
# caught too. Over-matching (``token_count=3`` redacted) costs a little log detail; missing a
# name would leak, so the patterns are deliberately broad.
_SECRET_NAME = (
    r"[A-Za-z0-9_.-]*?"
    r"(?:id_?number|citizen_?id|document_?number|assertion|token|password|passwd|secret"
    r"|authorization)"
    r"[A-Za-z0-9_-]*"
)
# An authentication scheme in front of a credential is kept, so the log still says what kind
# of credential was presented: ``Authorization: Bearer [redacted]``. Possessive (``?+``): once
# a scheme is read it is never given back to be taken for the value, which would turn an already
# redacted ``Bearer [redacted]`` into ``[redacted] [redacted]``.
_SCHEME = r"(?:(?:Bearer|Basic|Digest|Token|Negotiate)\s+)?+"
_QUOTED = r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'"""
# ``"token": "..."`` / ``'token': '...'`` (JSON, Python reprs of dicts): the value is a quoted
# string or a bare scalar (number, null, true; never a bracket, so "[redacted]" stays as is).
_QUOTED_FIELD = re.compile(
    rf"""(?P<key>(?P<q>["']){_SECRET_NAME}(?P=q)\s*:\s*)(?P<value>{_QUOTED}|[^\s,{{}}\[\]]+)""",
    re.IGNORECASE,
)
# ``id_number=...`` (query strings, form bodies, key=value log messages) and
# ``Authorization: Bearer ...`` (headers). A bare value stops at the characters that end a
# query parameter or a field in a message. ``[`` cannot start a bare value, so an already
# redacted value is left as it is and redact() is idempotent.
_BARE_FIELD = re.compile(
    rf"""(?P<key>(?<![A-Za-z0-9_.-]){_SECRET_NAME}\s*[=:]\s*{_SCHEME})"""
    rf"""(?P<value>{_QUOTED}|[^\s&,;"'<>(){{}}\[\]]+)""",
    re.IGNORECASE,
)
# A bearer token outside a recognisable header, e.g. in a repr of raw ASGI headers
# ``(b'authorization', b'Bearer eyJ...')``.
_BEARER = re.compile(r"(?P<key>\bBearer\s+)(?P<value>[A-Za-z0-9._~+/=-]+)", re.IGNORECASE)


def _redact_value(match: re.Match[str]) -> str:
    value = match["value"]
    if len(value) >= 2 and value[0] in "\"'" and value[-1] == value[0]:
        return f"{match['key']}{value[0]}{REDACTED}{value[0]}"
    return match["key"] + REDACTED


def _is_inside_uscc_with_letters(text: str, start: int, end: int) -> bool:
    # A Unified Social Credit Code is public registration information (see mask_uscc) and must
    # stay readable. One with letters in its first 17 characters can contain a 15-digit run
    # (e.g. "Y1" + 6-digit region + 8 digits + "X" + check), so look at the whole alphanumeric
    # token around the match. An all-digit USCC (or 17 digits + X) cannot be told apart from a
    # citizen ID and is masked: erring on the side of privacy costs only readability.
    while start > 0 and text[start - 1] in _ALNUM:
        start -= 1
    while end < len(text) and text[end] in _ALNUM:
        end += 1
    token = text[start:end]
    return len(token) == _USCC_LENGTH and any(ch.isalpha() for ch in token[:-1])


def _mask_ids(text: str) -> str:
    def mask(match: re.Match[str]) -> str:
        if _is_inside_uscc_with_letters(text, match.start(), match.end()):
            return match[0]
        # Same mask as every public output, so a log line and a disclosure page agree; it
        # keeps the length, the 6-digit region code and the last 2 characters.
        return mask_citizen_id(match[0])

    return _CITIZEN_ID.sub(mask, text)


# PostgreSQL's error details quote the values at fault ("DETAIL:  Key (username)=(...) already
# exists"), and SQLAlchemy appends a statement's parameters unless the engine hides them (it
# does: ``pcip.db``). Neither belongs in a log (issue 23): names, identifiers and purposes.
_DATABASE_DETAIL = re.compile(r"(?m)^(?P<key>DETAIL:\s*+)(?P<value>(?!\[redacted\]).+)$")
_SQL_PARAMETERS = re.compile(r"(?P<key>\[parameters: )(?P<value>(?!\[redacted\]).*?)\](?=\s*$|\n)")


def redact(text: str) -> str:
    """Mask citizen ID numbers and replace identifier/credential field values in ``text``.

    Idempotent: redacting an already redacted text changes nothing.
    """
    text = _DATABASE_DETAIL.sub(lambda m: m["key"] + REDACTED, text)
    text = _SQL_PARAMETERS.sub(lambda m: m["key"] + REDACTED + "]", text)
    text = _QUOTED_FIELD.sub(_redact_value, text)
    text = _BARE_FIELD.sub(_redact_value, text)
    text = _BEARER.sub(_redact_value, text)
    return _mask_ids(text)


def _is_clean(text: str) -> bool:
    return redact(text) == text


def _redact_arg(arg: object) -> object:
    # Only strings are rewritten: numbers must stay numbers for %d/%f placeholders (uvicorn's
    # access line formats the status code with %d). Other objects are left as they are; if
    # their str() leaks, the caller notices and collapses the record instead.
    return redact(arg) if isinstance(arg, str) else arg


class RedactingFilter(logging.Filter):
    """Redact identifiers from a log record's message, arguments and exception text.

    The record is modified in place, so every handler after this one sees the redacted form;
    the filter never drops a record. It runs once per handler it is attached to and is
    idempotent.

    Arguments are kept apart from the message when possible, because formatters may rely on
    them: uvicorn's ``AccessFormatter`` unpacks ``record.args`` as the 5-tuple (client_addr,
    method, full_path, http_version, status_code) and fails on anything else. So a record whose
    message leaks is fixed in this order:

    1. the string arguments are redacted one by one (tuple or mapping shape kept), and citizen
       IDs in the message template are masked (masking never adds a ``%``, so the placeholders
       are intact); if the rendered message is now clean, that is all;
    2. otherwise (an ID split across arguments, a leaking non-string argument, a credential
       written into the template) the rendered message is redacted and stored as ``msg`` with
       ``args = None``. A formatter that needs the arguments then fails, and logging reports
       the error with the redacted message: privacy before the log line.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        self._redact_message(record)
        self._redact_exception(record)
        return True

    @staticmethod
    def _redact_message(record: logging.LogRecord) -> None:
        try:
            rendered = record.getMessage()
        except Exception:
            # Arguments that do not fit the template: the handler will report the error and
            # print msg and args, so redact both (shape kept) and let that happen.
            record.msg = redact(str(record.msg))
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(
                a if isinstance(a, int | float) else redact(a if isinstance(a, str) else repr(a))
                for a in args
            )
            return
        if _is_clean(rendered):
            return  # the common case: leave the record exactly as the caller made it
        if record.args and isinstance(record.msg, str):
            original = (record.msg, record.args)
            record.msg = _mask_ids(record.msg)
            if isinstance(record.args, tuple):
                record.args = tuple(_redact_arg(a) for a in record.args)
            elif isinstance(record.args, Mapping):
                record.args = {k: _redact_arg(v) for k, v in record.args.items()}
            try:
                if _is_clean(record.getMessage()):
                    return
            except Exception:
                pass  # a redacted argument no longer fits its placeholder: collapse below
            record.msg, record.args = original
        record.msg = redact(rendered)
        record.args = None

    @staticmethod
    def _redact_exception(record: logging.LogRecord) -> None:
        # logging.Formatter.format renders exc_info into exc_text once and reuses exc_text when
        # it is set, so rendering it here and storing the redacted text is what every standard
        # formatter (uvicorn's included) prints. The traceback's exception message is where a
        # rejected identifier usually appears ("invalid citizen ID 1101...").
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)


PLAIN_FORMAT = "%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s"
_FILTERED_LOGGERS = ("", "uvicorn", "uvicorn.error", "uvicorn.access")


def configure_logging(level: str = "INFO") -> None:
    """Give the root logger a plain stderr handler and put :class:`RedactingFilter` on every
    handler of the root and uvicorn loggers. Safe to call more than once.

    The filter goes on *handlers*, not loggers, on purpose: a logger's filters are consulted
    only for records logged directly on that logger, while records propagated from child
    loggers (``pcip.web``, ``sqlalchemy.engine``, ``uvicorn.error`` -> ``uvicorn``) skip them
    and go straight to the ancestors' handlers. A handler's filters see every record the
    handler writes, whichever logger it came from.

    uvicorn configures its own loggers when it starts, replacing their handlers; to keep the
    filter on them, either call this after uvicorn has started or pass
    :data:`UVICORN_LOG_CONFIG` as ``uvicorn.run(..., log_config=UVICORN_LOG_CONFIG)``.
    """
    root = logging.getLogger()
    if not root.handlers:
        stderr_handler = logging.StreamHandler()
        stderr_handler.setFormatter(logging.Formatter(PLAIN_FORMAT))
        root.addHandler(stderr_handler)
    root.setLevel(level.upper())
    for name in _FILTERED_LOGGERS:
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(RedactingFilter())


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's default ``LOGGING_CONFIG`` with :class:`RedactingFilter` on every handler.

    Derived from the installed uvicorn's own dict (a deep copy, never the original, which
    uvicorn mutates for ``use_colors``) so that it stays equivalent across uvicorn upgrades.
    """
    config = copy.deepcopy(_UVICORN_DEFAULT_LOGGING_CONFIG)
    config.setdefault("filters", {})["redact"] = {"()": f"{__name__}.RedactingFilter"}
    for handler in config["handlers"].values():
        handler["filters"] = [*handler.get("filters", []), "redact"]
    return config


#: For ``uvicorn.run(app, log_config=UVICORN_LOG_CONFIG)``: uvicorn's default logging with
#: identifiers redacted from its error and access logs.
UVICORN_LOG_CONFIG: dict[str, Any] = uvicorn_log_config()
