"""Inquiry scopes (Art. 22(2)): what each providing unit's authority inquiries may see.

The operator widens a unit's scope item by item, citing the legal basis of the duty that
needs it, and ends a grant with its reason (``pcip.inquiry.scope``, as ``pcip provider scope``
and ``/api/v1/providers/{uscc}/inquiry-scope`` do); the development and reform department
reads the scopes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from pcip.auth.permissions import require
from pcip.catalog.service import items_in_force
from pcip.errors import Collect, Forbidden, NotFound, PcipError, Unauthorized, ValidationError
from pcip.inquiry import scope
from pcip.kernel.messages import msg
from pcip.providers.queries import provider_by_id, providers_by_name
from pcip.web.console.common import P, console_router, errors_of, form_values, parse_id, render
from pcip.web.i18n import N_
from pcip.web.pages import Page, PageDep

if TYPE_CHECKING:
    from pcip.providers.models import Provider

router = console_router()

#: Messages the inquiry-scope and purpose rules raise as they are (translated on the pages).
SERVICE_MESSAGES = (
    N_("the purpose is required (Art. 22(2))"),
    N_("the purpose says nothing: it holds no letters or digits (Art. 22(2))"),
    N_("the purpose says nothing: digits alone are not enough (Art. 22(2))"),
    N_(
        "the purpose is too short to say anything: write at least 4 Chinese characters or "
        "8 letters (Art. 22(2))"
    ),
    N_("the purpose says nothing: it repeats one or two characters (Art. 22(2))"),
    N_("the legal basis is required (Art. 22(2))"),
    N_("the legal basis says nothing: it holds no letters or digits (Art. 22(2))"),
    N_("the legal basis says nothing: digits alone are not enough (Art. 22(2))"),
    N_(
        "the legal basis is too short to say anything: write at least 4 Chinese characters "
        "or 8 letters (Art. 22(2))"
    ),
    N_("the legal basis says nothing: it repeats one or two characters (Art. 22(2))"),
    N_("choose the providing unit"),
    N_("name the catalog item"),
    N_("say why the grant ends"),
)


def _page(page: Page, status_code: int = 200, **context: Any) -> HTMLResponse:
    with page.platform.transaction() as s:
        units = [scope.out(s, p) for p in providers_by_name(s)]
        items = sorted(
            (code, item.name_zh, item.name_en) for code, item in items_in_force(s).items()
        )
    context.setdefault("values", {})
    context.setdefault("errors", {})
    context.setdefault("done", None)
    return render(
        page, "console/scopes.html", status_code=status_code, units=units, items=items, **context
    )


@router.get("/scopes")
def scopes(page: PageDep) -> HTMLResponse:
    require(page.principal, P.INQUIRY_SCOPE_READ)
    return _page(page)


def _unit(page: Page, raw: str) -> Provider:
    pid = parse_id(raw, "provider_id")
    if pid is None:
        raise ValidationError(msg("console.choose_unit"), field="provider_id")
    with page.platform.transaction() as s:
        try:
            unit = provider_by_id(s, pid)
        except NotFound:
            raise ValidationError(msg("objections.no_unit", id=pid), field="provider_id") from None
        s.expunge(unit)
    return unit


@router.post("/scopes")
async def grant(page: PageDep, request: Request) -> HTMLResponse:
    """Widen a unit's scope by one item, with the legal basis (audited)."""
    require(page.principal, P.INQUIRY_SCOPE_MANAGE)
    values = form_values(await request.form())

    def run() -> HTMLResponse:
        try:
            problems = Collect()
            with problems:
                unit = _unit(page, str(values.get("provider_id", "")))
            with page.platform.transaction() as s:
                item, basis = str(values.get("item_code", "")), str(values.get("legal_basis", ""))
                scope.check_grant(s, item, basis, problems)
                g = scope.grant(
                    s,
                    page.principal.actor,
                    provider_by_id(s, unit.id),
                    item,
                    basis,
                )
                done = {"granted": g.id, "item": g.item_code, "unit": unit.name}
        except (Unauthorized, Forbidden):
            raise
        except PcipError as exc:
            return _page(page, status_code=exc.http_status, values=values, errors=errors_of(exc))
        return _page(page, done=done)

    return await run_in_threadpool(run)


@router.post("/scopes/{grant_id}/revoke")
async def revoke(page: PageDep, request: Request, grant_id: int) -> HTMLResponse:
    """End a grant now, with the reason (the grant is kept, dated; audited)."""
    require(page.principal, P.INQUIRY_SCOPE_MANAGE)
    values = form_values(await request.form())

    def run() -> HTMLResponse:
        try:
            unit = _unit(page, str(values.get("provider_id", "")))
            with page.platform.transaction() as s:
                g = scope.revoke(
                    s,
                    page.principal.actor,
                    provider_by_id(s, unit.id),
                    grant_id,
                    str(values.get("reason", "")),
                )
                done = {"revoked": g.id, "item": g.item_code, "unit": unit.name}
        except (Unauthorized, Forbidden):
            raise
        except PcipError as exc:
            errors = {f"reason-{grant_id}": errors_of(exc).popitem()[1]}
            return _page(page, status_code=exc.http_status, errors=errors)
        return _page(page, done=done)

    return await run_in_threadpool(run)
