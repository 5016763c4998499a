"""Revoked or changed basis documents in the console (Art. 44; issue 17.3): staff register the
document (a unit's notice, a reconsideration decision, a court judgment) with its number,
issuing body, date and the uploaded file or a reference; ``pcip.revocation.service`` withdraws
or updates everything resting on the basis in one transaction. The page also lists the changes
and, per department, the changes to data it received (until the exchange change feed exists).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError as PydanticError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from pcip.auth.permissions import require
from pcip.errors import Forbidden, PcipError, Unauthorized, ValidationError
from pcip.revocation import queries, service
from pcip.revocation.schemas import ChangeIn
from pcip.web.console.common import (
    P,
    console_router,
    errors_of,
    form_values,
    render,
    schema_refusal,
)
from pcip.web.i18n import N_
from pcip.web.pages import Page, PageDep

router = console_router()

KINDS = {"revoked": N_("Revoked"), "amended": N_("Changed")}
DOCUMENT_KINDS = {
    "unit_notice": N_("The unit's notice"),
    "reconsideration": N_("Reconsideration decision"),
    "judgment": N_("Court judgment"),
}
EFFECTS = {
    "withdrawn": N_("Withdrawn: no longer provided"),
    "updated": N_("Updated: a new version on the changed document"),
    "revoked": N_("Listing revoked"),
}
TARGETS = {"record": N_("Record"), "designation": N_("Listing")}
#: The uploaded document is kept by its digest; a PDF of a few pages fits.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def _page(page: Page, status_code: int = 200, **context: Any) -> HTMLResponse:
    with page.platform.transaction() as s:
        changes = [queries.out(s, c) for c in queries.changes(s, page.principal)]
        departments = queries.department_changes(s, page.principal)
    context.setdefault("values", {})
    context.setdefault("errors", {})
    context.setdefault("registered", None)
    return render(
        page,
        "console/revocations.html",
        status_code=status_code,
        changes=changes,
        departments=departments,
        KINDS=KINDS,
        DOCUMENT_KINDS=DOCUMENT_KINDS,
        EFFECTS=EFFECTS,
        TARGETS=TARGETS,
        **context,
    )


@router.get("/revocations")
def revocations(page: PageDep) -> HTMLResponse:
    require(page.principal, P.REVOCATION_READ)
    return _page(page)


def _body(values: dict[str, Any]) -> ChangeIn:
    raw: dict[str, Any] = {
        k: str(values.get(k, "")).strip()
        for k in (
            "basis_issuer",
            "basis_number",
            "kind",
            "document_kind",
            "document_number",
            "document_issuer",
            "document_date",
            "reason",
        )
    }
    for k in ("document_ref", "effective_on"):
        if str(values.get(k, "")).strip():
            raw[k] = str(values[k]).strip()
    if raw["kind"] == "amended":
        raw["new_basis"] = {
            "number": str(values.get("new_number", "")).strip(),
            "issuer": raw["basis_issuer"],
            "decision_date": str(values.get("new_decision_date", "")).strip() or None,
        }
    try:
        return ChangeIn.model_validate(raw)
    except PydanticError as exc:
        raise schema_refusal(exc, _field) from None


def _field(loc: str) -> str:
    """The form field of a schema error's location (a new basis has its own inputs)."""
    return {"new_basis.number": "new_number", "new_basis.decision_date": "new_decision_date"}.get(
        loc, "new_number" if loc.startswith("new_basis") else loc
    )


@router.post("/revocations")
async def register(page: PageDep, request: Request) -> Response:
    require(page.principal, P.REVOCATION_REGISTER)
    form = await request.form()
    values = form_values(form)
    upload = form.get("document")
    data = await upload.read(MAX_DOCUMENT_BYTES + 1) if isinstance(upload, UploadFile) else b""
    name = upload.filename if isinstance(upload, UploadFile) else None

    def run() -> Response:
        try:
            if len(data) > MAX_DOCUMENT_BYTES:
                raise ValidationError(N_("the document is larger than 10 MB"), field="document")
            body = _body(values)
            with page.platform.transaction() as s:
                registered = queries.out(
                    s,
                    service.register(
                        s,
                        page.principal,
                        body,
                        channel="console",
                        file=data or None,
                        file_name=name,
                    ),
                )
        except (Unauthorized, Forbidden):
            raise
        except PcipError as exc:
            return _page(
                page,
                status_code=422,
                values=values,
                errors=errors_of(exc, {"basis": "basis_number", "file": "document"}),
            )
        return _page(page, registered=registered)

    return await run_in_threadpool(run)
