"""The Jinja2 environment of the web pages: autoescaped HTML, gettext, a few filters.

Templates live in ``pcip/web/templates``; ``_()`` / ``gettext`` / ``ngettext`` and
``{% trans %}`` translate into the request's language (``pcip.web.i18n``). Jinja's "new style"
gettext is used: ``{{ _("%(n)s records", n=3) }}`` fills and escapes the variables (a
message with variables writes a literal percent sign as ``%%``; avoid ``%`` in messages).
Undefined variables are errors (``StrictUndefined``): a typo in a template fails its test
instead of rendering blank.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from pcip import __version__, clock
from pcip.web import i18n
from pcip.web.labels import as_data
from pcip.web.reasons import version_reason

TEMPLATES = Path(__file__).parent / "templates"


@pass_context
def _gettext(ctx: Context, message: str, **variables: Any) -> str:
    text = i18n.messages(i18n.current_locale()).gettext(message)
    if ctx.eval_ctx.autoescape:
        text = Markup(text)
    # Filled only when given variables: a service's message shown as is may contain a '%'.
    return text % variables if variables else text


@pass_context
def _ngettext(ctx: Context, singular: str, plural: str, n: int, **variables: Any) -> str:
    text = i18n.messages(i18n.current_locale()).ngettext(singular, plural, n)
    if ctx.eval_ctx.autoescape:
        text = Markup(text)
    return text % {"num": n, **variables}


def static_url(path: str) -> str:
    """A static file's URL; the version busts browser caches after an upgrade."""
    return f"/static/{path.lstrip('/')}?v={__version__}"


def format_datetime(value: datetime | None, with_seconds: bool = False) -> str:
    """An instant as China Standard Time (the platform's legal time), e.g. 2026-11-26 10:00."""
    if value is None:
        return ""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=clock.CST)
    local = aware.astimezone(clock.CST)
    return local.strftime("%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M")


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return clock.legal_day(value).isoformat()
    return value.isoformat()


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(("html", "xml")),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(
        _=_gettext,
        gettext=_gettext,
        ngettext=_ngettext,
        static=static_url,
        translate_message=i18n.translate_message,
        kept_reason=i18n.kept_reason,
        version_reason=version_reason,
        LOCALES=i18n.LOCALES,
        LOCALE_NAMES=i18n.LOCALE_NAMES,
        version=__version__,
    )
    env.filters.update(datetime=format_datetime, date=format_date, data=as_data)
    return env


#: The one environment (templates are cached after first use).
env = _environment()
