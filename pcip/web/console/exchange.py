"""The exchange in the console (Art. 20, 25; issue 21): the interfaces registry (receivers of
the change feed, their scopes and keys, each with today's reconciliation) and the intake's dead
letters with their reasons. Every change goes through ``pcip.exchange.receivers`` (audited)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from pcip import clock
from pcip.auth.permissions import require
from pcip.errors import Forbidden, PcipError, Unauthorized, ValidationError
from pcip.exchange import feed, intake, receivers
from pcip.kernel.messages import msg
from pcip.web.console.common import P, console_router, errors_of, form_values, render
from pcip.web.i18n import N_
from pcip.web.pages import Page, PageDep

router = console_router()

SERVICE_MESSAGES = (
    N_("code must be 2-48 lower-case letters, digits, _ or -"),
    N_("name is required (at most 200 characters)"),
    N_("choose at least one scope"),
)
ACTIONS = ("disable", "enable", "rotate-key")


def _page(page: Page, status_code: int = 200, **context: Any) -> HTMLResponse:
    today = clock.today()
    with page.platform.transaction() as s:
        rows = [
            {
                "code": r.code,
                "name": r.name,
                "scopes": list(r.scopes),
                "active": r.active,
                "key_hint": r.key_hint,
                "cursor": r.acked_cursor,
                "report": feed.reconciliation(s, r, today),
            }
            for r in receivers.all_receivers(s)
        ]
    context.setdefault("values", {})
    context.setdefault("errors", {})
    context.setdefault("done", None)
    return render(
        page,
        "console/exchange.html",
        status_code=status_code,
        receivers=rows,
        scopes=list(feed.SCOPES),
        today=today,
        **context,
    )


@router.get("/exchange")
def registry(page: PageDep) -> HTMLResponse:
    require(page.principal, P.EXCHANGE_READ)
    return _page(page)


@router.post("/exchange")
async def add(page: PageDep, request: Request) -> HTMLResponse:
    """Register a receiver; its key is shown once (audited)."""
    require(page.principal, P.EXCHANGE_MANAGE)
    form = await request.form()
    values = form_values(form, multi=("scopes",))

    def run() -> HTMLResponse:
        scopes = [str(v) for v in form.getlist("scopes")]
        try:
            with page.platform.transaction() as s:
                r, key = receivers.add(
                    s,
                    page.principal.actor,
                    str(values.get("code", "")).strip(),
                    str(values.get("name", "")),
                    scopes,
                )
                done = {"code": r.code, "key": key}
        except (Unauthorized, Forbidden):
            raise
        except PcipError as exc:
            return _page(page, status_code=exc.http_status, values=values, errors=errors_of(exc))
        return _page(page, done=done)

    return await run_in_threadpool(run)


@router.post("/exchange/{code}/{action}")
async def act(page: PageDep, code: str, action: str) -> HTMLResponse:
    """Disable, enable a receiver or rotate its key (audited)."""
    require(page.principal, P.EXCHANGE_MANAGE)

    def run() -> HTMLResponse:
        try:
            if action not in ACTIONS:
                raise ValidationError(
                    msg("console.unknown_action", action=repr(action[:20])), field="action"
                )
            with page.platform.transaction() as s:
                actor = page.principal.actor
                key = None
                if action == "rotate-key":
                    key = receivers.rotate_key(s, actor, code)[1]
                else:
                    receivers.set_active(s, actor, code, action == "enable")
                done = {"code": code, "key": key, "action": action}
        except (Unauthorized, Forbidden):
            raise
        except PcipError as exc:
            status = 422 if exc.http_status == 404 else exc.http_status
            return _page(page, status_code=status, errors=errors_of(exc))
        return _page(page, done=done)

    return await run_in_threadpool(run)


@router.get("/exchange/dead-letters")
def dead_letters(page: PageDep) -> HTMLResponse:
    """Art. 20: intake messages that could not be used, with the reason (newest first)."""
    require(page.principal, P.EXCHANGE_READ)
    return render(
        page, "console/exchange_dead_letters.html", letters=intake.dead_letters(page.platform)
    )
