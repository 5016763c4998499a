"""The language switch: ``/lang/en`` or ``/lang/zh_CN`` sets the ``lang`` cookie and returns
to the page the visitor was on (``next``, or the referring page of this site)."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import RedirectResponse

from pcip.doors.api_common import Router
from pcip.errors import NotFound
from pcip.kernel.messages import msg
from pcip.web.i18n import LANG_COOKIE, normalise
from pcip.web.pages import PageDep, safe_next

router = Router()

#: A year: the choice is a preference, not a secret.
LANG_MAX_AGE = 365 * 24 * 3600


def _back(request: Request, next_: str | None) -> str:
    if next_:
        return safe_next(next_)
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc and referer.netloc == request.url.netloc:
        return safe_next(referer.path + (f"?{referer.query}" if referer.query else ""))
    return "/"


@router.get("/lang/{code}")
def switch_language(
    code: str, request: Request, page: PageDep, next: str | None = None
) -> RedirectResponse:
    """Speak ``code`` from now on, and go back to the same page."""
    locale = normalise(code)
    if locale is None:
        raise NotFound(msg("console.no_language", code=code[:20]), field="code")
    response = RedirectResponse(_back(request, next), status_code=303)
    response.set_cookie(
        LANG_COOKIE,
        locale,
        max_age=LANG_MAX_AGE,
        samesite="lax",
        secure=page.secure_cookies,
        path="/",
    )
    return response
