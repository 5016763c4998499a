"""The web door: server-rendered pages for the public, credit subjects and departments.

``mount(app)`` adds, to the application ``pcip.app.create_app`` builds:

* the language middleware (``pcip.web.i18n``: Simplified Chinese by default, English);
* HTML error pages for web paths (``pcip.web.errors``; the API keeps its JSON errors);
* the routers: the public portal (``/``), sign-in (``/signin``, ``/staff/signin``), the
  subject's area (``/me/...``), the language switch (``/lang/{code}``) and, when present,
  the department console (``pcip.web.console``: ``/console/...``).

Every web route is tagged ``web`` and left out of the OpenAPI document: the API is the
documented machine interface; the pages call the same services (docs/design.md#principle-7).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable

from fastapi import APIRouter, FastAPI

from pcip.config import Settings

WEB_TAG = "web"


def routers(settings: Settings) -> list[APIRouter]:
    from pcip.web.complaints import router as complaints_router
    from pcip.web.consultations import router as consultations_router
    from pcip.web.establishments import router as establishments_router
    from pcip.web.lang import router as lang_router
    from pcip.web.lists import router as lists_router
    from pcip.web.portal import router as portal_router
    from pcip.web.reports import router as reports_router
    from pcip.web.restoration import router as restoration_router
    from pcip.web.signin import dev_router
    from pcip.web.signin import router as signin_router
    from pcip.web.subject import router as subject_router

    out: list[APIRouter] = [
        lang_router,
        portal_router,
        signin_router,
        subject_router,
        lists_router,
        complaints_router,
        reports_router,
        consultations_router,
    ]
    out.append(restoration_router)  # Art. 26, 45: /me/restorations, /me/pledges
    out.append(establishments_router)  # Art. 47, 49: the public directory
    if settings.uses_dev_idp and settings.environment != "production":
        out.append(dev_router)
    return out


def console_routers() -> list[APIRouter]:
    """The department console's routers (``pcip.web.console``), if it is installed."""
    if importlib.util.find_spec("pcip.web.console") is None:
        return []
    module = importlib.import_module("pcip.web.console")
    found: Iterable[APIRouter] = getattr(module, "routers", None) or (
        [module.router] if hasattr(module, "router") else []
    )
    return list(found)


def mount(app: FastAPI, settings: Settings) -> None:
    """Add the web pages to ``app`` (call after its API routers and error handlers)."""
    from pcip.doors.assembly import include
    from pcip.web import errors
    from pcip.web.i18n import LocaleMiddleware

    for router in [*routers(settings), *console_routers()]:
        include(app, router, tags=(WEB_TAG,), include_in_schema=False)
    errors.install(app)
    app.add_middleware(LocaleMiddleware)
