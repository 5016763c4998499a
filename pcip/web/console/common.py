"""What every console page shares: the console's own navigation per role, the staff check,
rendering with the console's context, form values, uploaded files and form errors.

Which links a visitor sees is read from the permission matrix (``allowed``); the routes still
``require`` the permission they need, so a hidden link is never the only guard.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from pydantic import ValidationError as PydanticError
from starlette.datastructures import FormData, UploadFile

from pcip.auth.permissions import Permission, Principal, allowed, require
from pcip.doors.api_common import Router
from pcip.errors import Collect, FieldErrors, PcipError, ValidationError
from pcip.inquiry.schemas import SubjectRef
from pcip.kernel.messages import Message, msg
from pcip.objections.evidence import MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES, EvidenceFile
from pcip.web.i18n import N_, translate_message
from pcip.web.pages import Page, form_errors

P = Permission
#: The oversight dashboard (Art. 28, 53): the operator and the development and reform
#: department.
DASHBOARD = P.DASHBOARD_READ


def console_router() -> APIRouter:
    return Router(prefix="/console")


@dataclass(frozen=True)
class ConsoleLink:
    href: str
    label: str  # msgid
    permission: Permission | None  # None: every staff member


LINKS = (
    ConsoleLink("/console", N_("Overview"), None),
    ConsoleLink("/console/objections", N_("Objection queue"), P.OBJECTION_HANDLE),
    ConsoleLink("/console/objections/new", N_("Register an objection"), P.OBJECTION_REGISTER),
    ConsoleLink("/console/reexaminations", N_("Re-examinations"), P.OBJECTION_REEXAMINE),
    ConsoleLink("/console/inbox", N_("Transferred objections"), P.OBJECTION_TRANSFERRED),
    ConsoleLink("/console/batches", N_("Batches"), P.BATCH_READ),
    ConsoleLink("/console/inquiry", N_("Authority inquiry"), P.AUTHORITY_INQUIRY),
    ConsoleLink("/console/scopes", N_("Inquiry scopes"), P.INQUIRY_SCOPE_READ),
    ConsoleLink("/console/records", N_("Record corrections"), P.RECORD_CORRECT),
    ConsoleLink("/console/archive", N_("Objection archive"), P.OBJECTION_ARCHIVE),
    ConsoleLink("/console/calendar", N_("Working-day calendar"), P.CALENDAR_MANAGE),
    ConsoleLink("/console/dashboard", N_("Dashboard"), DASHBOARD),
    ConsoleLink("/console/designations", N_("Designations"), P.LIST_DESIGNATE),
    ConsoleLink("/console/designations", N_("Designations"), P.LIST_OVERSEE),
    ConsoleLink("/console/credit-checks", N_("Credit checks"), P.CREDIT_CHECK),
    ConsoleLink("/console/measures", N_("Measure applications"), P.MEASURE_APPLY),
    ConsoleLink("/console/restoration", N_("Credit restoration"), P.RESTORATION_HANDLE),
    ConsoleLink("/console/pledges", N_("Credit pledges"), P.PLEDGE_TRACK),
    ConsoleLink("/console/revocations", N_("Revoked basis documents"), P.REVOCATION_READ),
    ConsoleLink("/console/complaints", N_("Complaints and legal cases"), P.COMPLAINT_HANDLE),
    ConsoleLink(
        "/console/establishments", N_("Credit service establishments"), P.ESTABLISHMENT_SUPERVISE
    ),
    ConsoleLink("/console/oversight", N_("Oversight orders"), P.OVERSIGHT_RESPOND),
    ConsoleLink("/console/exchange", N_("Exchange receivers"), P.EXCHANGE_READ),
    ConsoleLink("/console/exchange/dead-letters", N_("Dead letters"), P.EXCHANGE_READ),
    ConsoleLink("/console/proposals", N_("Change proposals"), P.PROPOSAL_DRAFT),
    ConsoleLink("/console/proposals", N_("Change proposals"), P.PROPOSAL_MANAGE),
    ConsoleLink("/console/integrity", N_("Government integrity"), P.INTEGRITY_READ),
)
#: Having any of these makes a visitor staff (the console's landing page).
STAFF = tuple(dict.fromkeys(link.permission for link in LINKS if link.permission is not None))


def links_for(principal: Principal) -> list[ConsoleLink]:
    if not is_staff(principal):
        return []
    return [x for x in LINKS if x.permission is None or allowed(principal, x.permission)]


def is_staff(principal: Principal) -> bool:
    return any(allowed(principal, p) for p in STAFF)


def require_staff(principal: Principal) -> None:
    """401 for an anonymous visitor (a GET is sent to the staff sign-in), 403 for others."""
    if not is_staff(principal):
        require(principal, P.OBJECTION_HANDLE)


def current_link(path: str, links: Sequence[ConsoleLink]) -> str | None:
    best: str | None = None
    for link in links:
        hit = path == link.href or path.startswith(link.href.rstrip("/") + "/")
        if hit and (best is None or len(link.href) > len(best)):
            best = link.href
    return best


def render(page: Page, template: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A console page: the console's links and the visitor's permissions added."""
    links = links_for(page.principal)
    return page.render(
        template,
        status_code=status_code,
        console_links=links,
        console_current=current_link(page.request.url.path, links),
        can=lambda name: allowed(page.principal, Permission(name)),
        **context,
    )


# --- forms ---------------------------------------------------------------------------------


def form_values(form: FormData, multi: Sequence[str] = ()) -> dict[str, Any]:
    """The typed values to show again (files and the CSRF token left out)."""
    from pcip.doors.http_guard import bad_text
    from pcip.errors import ValidationError

    out: dict[str, Any] = {}
    for key in form.keys():  # noqa: SIM118 - FormData is a multi-dict
        if key == "csrf_token":
            continue
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        for value in (key, *values):
            if (reason := bad_text(value)) is not None:
                raise ValidationError(
                    msg("console.field_text", field=key, reason=reason), field=key
                )
        if not values:
            continue
        out[key] = values if key in multi else values[-1]
    return out


def text(form: FormData, key: str) -> str:
    """A form field's text; a NUL or an unpaired surrogate is refused, naming the field."""
    from pcip.doors.http_guard import bad_text
    from pcip.errors import ValidationError

    value = form.get(key)
    if not isinstance(value, str):
        return ""
    if (reason := bad_text(value)) is not None:
        raise ValidationError(msg("console.field_text", field=key, reason=reason), field=key)
    return value


async def evidence_files(form: FormData, name: str = "evidence") -> list[EvidenceFile]:
    """Uploaded files of a form field; an empty file input sends nothing. Each is read up to
    one byte over the limit, so the service can refuse an oversized file by its size."""
    out: list[EvidenceFile] = []
    for item in form.getlist(name)[: MAX_EVIDENCE_FILES + 1]:
        if isinstance(item, UploadFile) and item.filename:
            from pcip.doors.http_guard import bad_text
            from pcip.errors import ValidationError

            if (reason := bad_text(item.filename)) is not None:
                raise ValidationError(
                    msg("console.file_name_text", field=name, reason=reason), field=name
                )
            data = await item.read(MAX_EVIDENCE_BYTES + 1)
            out.append(EvidenceFile(item.filename, data, item.content_type))
    return out


_CHANGE = re.compile(r"changes\[(\d+)\]\.(\w+)")
_PROACTIVE_CHANGE = re.compile(r"changes\.(\w+)")


def errors_of(
    exc: PcipError, aliases: Mapping[str, str] | None = None, record_id: int | None = None
) -> dict[str, str]:
    """``{form field: message}``: a record field's error goes next to that field's input
    (``changes[12].CF_NR_FK`` -> ``f.12.CF_NR_FK``), others as ``form_errors`` maps them;
    every field's error when the service checked them all (``FieldErrors``, issue 19.8)."""
    if isinstance(exc, FieldErrors):
        out: dict[str, str] = {}
        for e in exc.errors:
            for k, v in errors_of(e, aliases, record_id).items():
                out.setdefault(k, v)
        return out
    field = exc.field or ""
    # A record field's error in the page's language (coded by pcip.objections.effects).
    if m := _CHANGE.fullmatch(field):
        return {f"f.{m.group(1)}.{m.group(2)}": translate_message(exc.message)}
    if record_id is not None and (m := _PROACTIVE_CHANGE.fullmatch(field)):
        return {f"f.{record_id}.{m.group(1)}": translate_message(exc.message)}
    return form_errors(exc, aliases)


def schema_refusal(
    exc: PydanticError,
    rename: Callable[[str], str] | None = None,
    problems: Collect | None = None,
) -> ValidationError:
    """Every field a schema refused, each with its own message (issue 19.8), as one error to
    raise: ``rename`` maps an error's dotted location (``subject.uscc``) to its form field;
    ``problems`` holds the errors of fields the form checked before the schema."""
    problems = Collect() if problems is None else problems
    for error in exc.errors():
        loc = ".".join(str(p) for p in error.get("loc", ())) or "_form"
        with problems:
            raise ValidationError(_schema_message(error), field=rename(loc) if rename else loc)
    if len(problems.errors) == 1:
        return problems.errors[0]
    return FieldErrors(problems.errors)


#: pydantic's error types a form meets, as coded messages in the page's language (issue
#: 19.3); any other type keeps pydantic's English text.
_SCHEMA_MESSAGES: dict[str, Callable[[dict[str, Any]], Message]] = {
    "missing": lambda ctx: msg("forms.required"),
    "string_too_short": lambda ctx: (
        msg("forms.required") if ctx.get("min_length") == 1 else msg("forms.too_short", **ctx)
    ),
    "string_too_long": lambda ctx: msg("forms.too_long", **ctx),
    "date_parsing": lambda ctx: msg("forms.not_a_date"),
    "date_from_datetime_parsing": lambda ctx: msg("forms.not_a_date"),
    "date_type": lambda ctx: msg("forms.not_a_date"),
    "int_parsing": lambda ctx: msg("forms.not_a_number"),
    "decimal_parsing": lambda ctx: msg("forms.not_a_number"),
    "float_parsing": lambda ctx: msg("forms.not_a_number"),
    "literal_error": lambda ctx: msg("forms.choose_from_list"),
    "enum": lambda ctx: msg("forms.choose_from_list"),
}


def _schema_message(error: Any) -> str:
    """One schema error's message: the coded message a validator raised, a coded wording of
    pydantic's own check, or pydantic's text."""
    ctx = dict(error.get("ctx") or {})
    raised = ctx.get("error")
    if isinstance(raised, ValueError) and raised.args and isinstance(raised.args[0], Message):
        return raised.args[0]
    worded = _SCHEMA_MESSAGES.get(str(error.get("type", "")))
    if worded is not None:
        try:
            return worded({k: v for k, v in ctx.items() if k in ("min_length", "max_length")})
        except (KeyError, ValueError):
            pass
    return str(error.get("msg", "invalid")).removeprefix("Value error, ")


def subject_field(loc: str) -> str:
    """The form field of a schema error about the subject a form names (``subject.uscc``)."""
    if loc.startswith("subject"):
        return "citizen_id" if "citizen" in loc else "uscc"
    return loc


def named_subject(values: Mapping[str, Any], problems: Collect) -> SubjectRef:
    """The subject a console form names by its ``uscc`` or ``citizen_id`` field, every error
    kept in ``problems`` (issue 19.8); a refused subject is still returned, unchecked, so the
    rest of the form is checked too (credit checks and measures)."""
    code = str(values.get("uscc", "")).strip()
    cid = str(values.get("citizen_id", "")).strip()
    if not code and not cid:
        with problems:
            raise ValidationError(N_("enter a USCC or a citizen ID"), field="uscc")
    try:
        return SubjectRef(uscc=code or None, citizen_id=cid or None)
    except PydanticError as exc:
        schema_refusal(exc, subject_field, problems)
        return SubjectRef.model_construct(uscc=code or None, citizen_id=cid or None)


def parse_id(value: str, field: str) -> int | None:
    """An optional positive id typed into a form (``ValidationError`` names the field)."""
    text = value.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 2**63:
        raise ValidationError(msg("console.not_a_number", value=repr(text)), field=field)
    return int(text)
