"""Authority-based inquiry by providing-unit staff, for a stated duty purpose (Art. 22(2)).

The page builds the same ``AuthorityInquiry`` the API takes and calls
``pcip.inquiry.service.authority``, which checks the permission, applies the disclosure rules
for the authority mode and writes the inquiry log entry in the same transaction (the subject
later sees who looked, when and why: Art. 39).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError as PydanticError
from starlette.concurrency import run_in_threadpool

from pcip.auth.permissions import require
from pcip.catalog.service import item_spec, items_in_force
from pcip.errors import Collect, Forbidden, PcipError, Unauthorized, ValidationError
from pcip.inquiry import confidential, scope, service
from pcip.inquiry.purpose import require_meaningful
from pcip.inquiry.schemas import AuthorityInquiry, Channel, InquiryResult, PurposeCode
from pcip.kernel.messages import msg
from pcip.web.console.common import (
    P,
    console_router,
    errors_of,
    form_values,
    render,
    schema_refusal,
)
from pcip.web.pages import Page, PageDep

router = console_router()
ID_TYPES = ("uscc", "citizen_id", "registration_no", "document")
#: Where a refused AuthorityInquiry field is shown on the form.
_FIELDS = {
    "subject": "identifier",
    "uscc": "identifier",
    "citizen_id": "identifier",
    "registration_no": "identifier",
    "document_number": "identifier",
    "subject.uscc": "identifier",
    "subject.citizen_id": "identifier",
    "subject.document_type": "document_type",
    "subject.document_country": "document_country",
}


def _items(page: Page) -> list[tuple[str, str, str]]:
    """The items of the unit's inquiry scope (Art. 22(2)): the only ones it may choose."""
    provider_id = page.principal.provider_id
    if provider_id is None:
        return []
    with page.platform.transaction() as s:
        return [
            (i.code, i.name_zh, i.name_en) for i in scope.scope_of(s, provider_id).items.values()
        ]


def _labels(page: Page) -> dict[str, dict[str, tuple[str, str]]]:
    """Per item, its fields' Chinese and English labels (answers name fields by code)."""
    with page.platform.transaction() as s:
        return {
            code: {f.name: (f.label("zh_CN"), f.label("en")) for f in item_spec(item).fields}
            for code, item in items_in_force(s).items()
        }


def _page(
    page: Page,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    result: InquiryResult | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        page,
        "console/inquiry.html",
        status_code=status_code,
        values=values or {"id_type": "uscc"},
        errors=errors or {},
        result=result,
        id_types=ID_TYPES,
        purposes=[p.value for p in PurposeCode],
        items=_items(page),
        reasons=confidential.REASONS,
        field_labels=_labels(page) if result else {},
    )


@router.get("/inquiry")
def inquiry_form(page: PageDep) -> HTMLResponse:
    require(page.principal, P.AUTHORITY_INQUIRY)
    return _page(page)


def _body(form: dict[str, Any]) -> AuthorityInquiry:
    # Issue 19.8: every field is checked before the form is refused.
    problems = Collect()
    id_type = str(form.get("id_type", ""))
    if id_type not in ID_TYPES:
        with problems:
            raise ValidationError(msg("console.choose_identifier_kind"), field="id_type")
        id_type = "uscc"
    identifier = str(form.get("identifier", "")).strip()
    if not identifier:
        with problems:
            raise ValidationError(msg("console.type_identifier"), field="identifier")
    subject: dict[str, Any] = (
        {
            "document_number": identifier,
            "document_type": str(form.get("document_type", "")).strip() or None,
            "document_country": str(form.get("document_country", "")).strip() or None,
        }
        if id_type == "document"
        else {id_type: identifier}
    )
    items = [i for i in form.get("items", []) if i]
    raw = {
        "subject": subject,
        "purpose_code": form.get("purpose_code") or None,
        "purpose": str(form.get("purpose", "")).strip(),
        "as_of": str(form.get("as_of", "")).strip() or None,
        "items": items or None,
        "confidential_reason": str(form.get("confidential_reason", "")).strip() or None,
    }
    with problems:
        require_meaningful(str(raw["purpose"]), "purpose")  # the service's rule, with the rest
    try:
        body = AuthorityInquiry.model_validate(raw)
    except PydanticError as exc:
        raise schema_refusal(
            exc, lambda loc: _FIELDS.get(loc, loc.split(".")[0]), problems
        ) from None
    problems.raise_any()
    return body


@router.post("/inquiry")
async def inquire(page: PageDep, request: Request) -> HTMLResponse:
    """Art. 22(2): the inquiry, logged with its purpose, answered on the same page."""
    require(page.principal, P.AUTHORITY_INQUIRY)
    form = await request.form()
    values = form_values(form, multi=("items",))
    values.setdefault("items", [])

    def run() -> HTMLResponse:
        try:
            body = _body(values)
            with page.platform.transaction() as s:
                result = service.authority(
                    s, page.platform.keyring, page.principal, body, Channel.WEB
                )
        except (Unauthorized, Forbidden):
            raise
        except PcipError as exc:
            errors = errors_of(exc, aliases=_FIELDS)
            return _page(page, values=values, errors=errors, status_code=exc.http_status)
        return _page(page, values=values, result=result)

    return await run_in_threadpool(run)
