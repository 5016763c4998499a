"""Languages of the web pages: Simplified Chinese by default, English on request.

Message ids are the English texts (code is English); ``locale/zh_CN/LC_MESSAGES/*.po`` hold the
Chinese. Every ``.po`` file of a locale is read at first use and merged, so several teams can
keep their own catalog file without editing the same one: ``messages.po`` (portal, subject
area, shared layout) and ``console.po`` (the department console). Nothing needs compiling:
the ``.po`` files are parsed with Babel at startup, so a fresh clone works with ``make run``.

The language of a request comes from the ``lang`` cookie (set by ``/lang/{code}``), held in a
context variable for the request (``LocaleMiddleware``), so ``_()`` works the same in routes,
in templates and in macros imported without context.
"""

from __future__ import annotations

import gettext as _gettext_module
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from pcip.kernel.messages import Message

LOCALE_DIR = Path(__file__).parent / "locale"
#: The locales the pages speak; the first is the default (Art. 1: a Chongqing platform).
LOCALES: tuple[str, ...] = ("zh_CN", "en")
DEFAULT_LOCALE = LOCALES[0]
LANG_COOKIE = "lang"
#: What the language switch shows for each locale (in its own language).
LOCALE_NAMES = {"zh_CN": "中文", "en": "English"}
#: The ``lang`` attribute of the page.
HTML_LANG = {"zh_CN": "zh-CN", "en": "en"}

log = logging.getLogger("pcip.web")
_current: ContextVar[str] = ContextVar("pcip_web_locale", default=DEFAULT_LOCALE)


@dataclass
class Messages:
    """The merged catalogs of one locale."""

    locale: str
    singular: dict[str, str] = field(default_factory=dict)
    plural: dict[str, tuple[str, ...]] = field(default_factory=dict)
    plural_index: Callable[[int], int] = field(default=lambda n: int(n != 1))

    def gettext(self, message: str) -> str:
        return self.singular.get(message) or message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        forms = self.plural.get(singular)
        if forms:
            index = self.plural_index(n)
            if 0 <= index < len(forms) and forms[index]:
                return forms[index]
        return singular if n == 1 else plural


def catalog_files(locale: str) -> list[Path]:
    """The ``.po`` files of a locale, in a stable order (``messages.po`` first)."""
    folder = LOCALE_DIR / locale / "LC_MESSAGES"
    files = sorted(folder.glob("*.po"), key=lambda p: (p.name != "messages.po", p.name))
    return files


@cache
def messages(locale: str) -> Messages:
    """Read and merge every catalog of ``locale`` (fuzzy and empty entries are skipped)."""
    out = Messages(locale)
    for path in catalog_files(locale):
        with path.open("rb") as fh:
            po = read_po(fh, locale=locale)
        out.plural_index = _gettext_module.c2py(po.plural_expr)
        for m in po:
            if not m.id or m.fuzzy:
                continue
            if isinstance(m.id, tuple | list):
                forms = tuple(str(s) for s in (m.string or ()))
                if any(forms) and m.id[0] not in out.plural:
                    out.plural[str(m.id[0])] = forms
            elif m.string and str(m.id) not in out.singular:
                out.singular[str(m.id)] = str(m.string)
            elif m.string and out.singular[str(m.id)] != m.string:
                log.warning("%s: %r is translated differently elsewhere; first wins", path, m.id)
    return out


def reload() -> None:
    """Forget the parsed catalogs (tests that edit a catalog)."""
    messages.cache_clear()


def normalise(code: str | None) -> str | None:
    """A supported locale for ``code`` (``en``, ``en-US``, ``zh``, ``zh_CN``...), or None."""
    if not code:
        return None
    wanted = code.replace("-", "_").strip()
    for locale in LOCALES:
        if wanted.lower() == locale.lower():
            return locale
    base = wanted.split("_")[0].lower()
    for locale in LOCALES:
        if locale.split("_")[0].lower() == base:
            return locale
    return None


def locale_of(conn: HTTPConnection) -> str:
    return normalise(conn.cookies.get(LANG_COOKIE)) or DEFAULT_LOCALE


def current_locale() -> str:
    return _current.get()


@contextmanager
def using(locale: str) -> Iterator[None]:
    """Speak ``locale`` inside the block (tests, scripts)."""
    token = _current.set(normalise(locale) or DEFAULT_LOCALE)
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str, **variables: Any) -> str:
    """The message in the request's language, ``%(name)s`` filled from ``variables``."""
    text = messages(_current.get()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    text = messages(_current.get()).ngettext(singular, plural, n)
    return text % {"num": n, **variables}


_ = gettext


def N_(message: str) -> str:
    """Mark a message for extraction without translating it yet (module-level labels)."""
    return message


class LocaleMiddleware:
    """Holds the request's language (its ``lang`` cookie) for ``_()`` everywhere."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Most API calls carry no language cookie: no need to parse the cookies for them.
        cookie = next((v for k, v in scope.get("headers", ()) if k == b"cookie"), b"")
        locale = locale_of(HTTPConnection(scope)) if LANG_COOKIE.encode() in cookie else None
        token = _current.set(locale or DEFAULT_LOCALE)
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)


#: Messages the services raise as they are, marked here so the catalog translates them.
SERVICE_MESSAGES: tuple[str, ...] = (
    N_("give either citizen_id or document_type and document_number"),
)

#: Messages the services build with values in them, as patterns: the values are matched and
#: carried into the translation (``%(name)s`` placeholders in both languages).
MESSAGE_PATTERNS: tuple[str, ...] = (
    N_("unknown catalog item %(code)s"),
    N_("no record %(id)s"),
    N_("'%(value)s' is not one of: %(allowed)s"),
)


@cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    out = []
    for pattern in MESSAGE_PATTERNS:
        parts = re.split(r"%\((\w+)\)s", pattern)
        regex = "".join(
            re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)
        )
        out.append((re.compile(f"^{regex}$", re.DOTALL), pattern))
    return out


def translate_message(text: str) -> str:
    """A service's message in the visitor's language: a coded message (``pcip.kernel.messages``)
    in its wording for the language; a plain one exact, or by pattern, or as it is."""
    if isinstance(text, Message):
        return text.render(_current.get())
    catalog = messages(_current.get())
    exact = catalog.singular.get(text)
    if exact:
        return exact
    for regex, pattern in _patterns():
        found = regex.match(text)
        if found and pattern in catalog.singular:
            return catalog.singular[pattern] % found.groupdict()
    return text


def kept_reason(error: dict[str, Any]) -> str:
    """A reason the ledger kept (a rejected row's ``{"message", "reason"}``) in the visitor's
    language: its coded message when it has one, else its text as :func:`translate_message`
    gives it."""
    reason = error.get("reason")
    coded = Message.from_json(reason) if isinstance(reason, dict) else None
    if coded is not None:
        return coded.render(_current.get())
    return translate_message(str(error.get("message") or ""))
