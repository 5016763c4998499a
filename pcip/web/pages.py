"""What every web route shares: who is calling, CSRF, rendering a page, redirects with a flash.

A web route takes ``page: PageDep``. The dependency

* finds the caller from the ``pcip_session`` cookie, as ``pcip.auth.api.current_principal``
  does (an expired session browses as the public);
* refuses every unsafe request (POST, PUT, PATCH, DELETE) whose CSRF token is missing or wrong:
  forms carry a hidden ``csrf_token`` field (``{{ forms.csrf() }}``), htmx sends the header
  ``X-CSRF-Token`` (set on ``<body hx-headers>`` by ``base.html``). A signed-in visitor's token
  is the session's (``AuthSession.csrf_token``); an anonymous visitor's (public lookups,
  sign-in forms) is a random value in the ``pcip_csrf`` cookie, compared with the form's
  (double submit);
* renders templates with the principal, language, navigation, flash message and CSRF token.

Routes check permissions with ``pcip.auth.permissions.require`` (usually inside the service
they call) and hold no rule of their own.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated, Any
from urllib.parse import quote, unquote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from pcip.auth import service as auth_service
from pcip.auth.api import SESSION_COOKIE
from pcip.auth.permissions import ANONYMOUS, Principal
from pcip.doors.api_common import get_platform
from pcip.errors import FieldErrors, Forbidden, PcipError, Unauthorized
from pcip.kernel.messages import msg
from pcip.kernel.platform import Platform
from pcip.web import i18n, nav
from pcip.web.templating import env

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_COOKIE = "pcip_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
FLASH_COOKIE = "pcip_flash"

_rendering: ContextVar[Page | None] = ContextVar("pcip_web_page", default=None)


def _principal(request: Request, platform: Platform) -> Principal:
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return ANONYMOUS
    try:
        with platform.transaction() as session:
            return auth_service.principal_for_token(session, cookie, via_cookie=True)
    except Unauthorized:
        return ANONYMOUS


class Page:
    """One web request: the caller, the platform, and how to answer with a page."""

    def __init__(self, request: Request, principal: Principal, platform: Platform) -> None:
        self.request = request
        self.principal = principal
        self.platform = platform
        self._new_csrf: str | None = None

    # --- who and what -----------------------------------------------------------------------

    @property
    def locale(self) -> str:
        return i18n.current_locale()

    @property
    def is_htmx(self) -> bool:
        return self.request.headers.get("hx-request") == "true"

    @property
    def signed_in(self) -> bool:
        return not self.principal.anonymous

    @property
    def csrf_token(self) -> str:
        """The token this visitor's forms must carry."""
        if self.principal.csrf_token:
            return self.principal.csrf_token
        existing = self.request.cookies.get(CSRF_COOKIE)
        if existing:
            return existing
        if self._new_csrf is None:
            self._new_csrf = secrets.token_urlsafe(24)
        return self._new_csrf

    @property
    def secure_cookies(self) -> bool:
        return self.platform.settings.environment == "production"

    async def check_csrf(self) -> None:
        expected = self.principal.csrf_token or self.request.cookies.get(CSRF_COOKIE) or ""
        sent = self.request.headers.get(CSRF_HEADER, "")
        if not sent:
            content_type = self.request.headers.get("content-type", "")
            if content_type.startswith(("application/x-www-form-urlencoded", "multipart/")):
                value = (await self.request.form()).get(CSRF_FIELD)
                sent = value if isinstance(value, str) else ""
        if not expected or not sent or not hmac.compare_digest(sent, expected):
            raise Forbidden(
                msg("console.form_expired"),
                field="csrf",
            )

    # --- answering --------------------------------------------------------------------------

    def context(self, **extra: Any) -> dict[str, Any]:
        items = nav.items_for(self.principal)
        locale = self.locale
        base: dict[str, Any] = {
            "page": self,
            "request": self.request,
            "principal": self.principal,
            "signed_in": self.signed_in,
            "nav_items": items,
            "nav_current": nav.current(self.request.url.path, items),
            "lang": locale,
            "html_lang": i18n.HTML_LANG.get(locale, locale),
            "csrf_token": self.csrf_token,
            "flash": self._flash(),
            "here": self.here,
            "dev_idp": dev_idp_enabled(self.platform),
            "errors": {},
            "values": {},
        }
        base.update(extra)
        return base

    @property
    def here(self) -> str:
        """This page's path and query (where the language switch returns to)."""
        url = self.request.url
        return url.path + (f"?{url.query}" if url.query else "")

    def _flash(self) -> str | None:
        raw = self.request.cookies.get(FLASH_COOKIE)
        return i18n.gettext(unquote(raw)[:300]) if raw else None

    def render_text(self, template: str, **context: Any) -> str:
        token = _rendering.set(self)
        try:
            return env.get_template(template).render(self.context(**context))
        finally:
            _rendering.reset(token)

    def render(
        self,
        template: str,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        """The template rendered for this visitor, as a response."""
        response = HTMLResponse(
            self.render_text(template, **context), status_code=status_code, headers=headers
        )
        self.finish(response)
        return response

    def finish(self, response: Any) -> None:
        """Cookies every answer carries: a new anonymous CSRF token, the flash consumed."""
        if self._new_csrf is not None:
            response.set_cookie(
                CSRF_COOKIE,
                self._new_csrf,
                httponly=True,
                samesite="lax",
                secure=self.secure_cookies,
                path="/",
            )
        if self.request.cookies.get(FLASH_COOKIE) and not isinstance(response, RedirectResponse):
            response.delete_cookie(FLASH_COOKIE, path="/")
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")

    def redirect(self, url: str, flash: str | None = None) -> RedirectResponse:
        """See other (303): after a POST the browser GETs ``url``; ``flash`` is an msgid."""
        response = RedirectResponse(safe_next(url), status_code=303)
        if flash:
            response.set_cookie(
                FLASH_COOKIE, quote(flash), max_age=60, httponly=True, samesite="lax", path="/"
            )
        self.finish(response)
        return response


async def get_page(request: Request, platform: Annotated[Platform, Depends(get_platform)]) -> Page:
    principal = await run_in_threadpool(_principal, request, platform)
    page = Page(request, principal, platform)
    request.state.web_page = page
    if request.method not in SAFE_METHODS:
        await page.check_csrf()
    return page


PageDep = Annotated[Page, Depends(get_page)]


def dev_idp_enabled(platform: Platform) -> bool:
    """The development identity provider's sign-in page exists (never in production)."""
    settings = platform.settings
    return settings.uses_dev_idp and settings.environment != "production"


def safe_next(url: str | None, default: str = "/") -> str:
    """A local path to return to; anything else (another site, a scheme) becomes ``default``."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return default
    return url


# --- templates' helpers ------------------------------------------------------------------


def rendering() -> Page | None:
    """The page being rendered (templates' globals read it, macros need no context)."""
    return _rendering.get()


@contextmanager
def rendering_as(page: Page) -> Iterator[None]:
    token = _rendering.set(page)
    try:
        yield
    finally:
        _rendering.reset(token)


def csrf_value() -> str:
    page = _rendering.get()
    return page.csrf_token if page is not None else ""


env.globals["csrf_value"] = csrf_value


# --- form errors -------------------------------------------------------------------------


def field_of(error: PcipError, aliases: Mapping[str, str] | None = None) -> str:
    """The form field an error belongs to: ``record_ids[0]`` -> ``record_ids``,
    ``evidence[1].data`` -> ``evidence``; ``aliases`` renames service fields to form fields."""
    raw = error.field or "_form"
    if aliases and raw in aliases:
        return aliases[raw]
    name = raw.split("[")[0].split(".")[0] or "_form"
    return aliases.get(name, name) if aliases else name


def form_errors(error: PcipError, aliases: Mapping[str, str] | None = None) -> dict[str, str]:
    """``{field: message}`` for the form, the message in the visitor's language if known:
    every field's error when the service checked them all (``FieldErrors``, issue 19.8), the
    first error of a field when two name the same form field."""
    out: dict[str, str] = {}
    for e in error.errors if isinstance(error, FieldErrors) else [error]:
        out.setdefault(field_of(e, aliases), i18n.translate_message(e.message))
    return out


def _install_helpers() -> None:
    from pcip.web.labels import template_helpers

    env.globals.update(template_helpers())


_install_helpers()
