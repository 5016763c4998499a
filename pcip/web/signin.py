"""Signing in and out on the web.

* Credit subjects sign in with a real-name identity assertion (Art. 22, 39). In development
  the built-in *development identity provider* issues one for the name and identifier typed
  on ``/signin``; the assertion then goes through the same verification and sign-in as a real
  provider's (``verifier_from_settings`` and ``auth.service.sign_in_subject``). The page and
  its route exist only when no real provider is configured, and never in production.
* Staff (operator, development and reform department, providing-unit staff) sign in with a
  password on ``/staff/signin`` (``auth.service.sign_in``) and go to the console.

Both set the ``pcip_session`` cookie (HttpOnly, SameSite=Lax, Secure in production), whose
session carries the CSRF token every later form must echo.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pcip.auth import service as auth_service
from pcip.auth.api import SESSION_COOKIE, sign_in_guard
from pcip.auth.dev_idp import WARNING_EN, WARNING_ZH, DevIdentityProvider
from pcip.auth.verifiers import verifier_from_settings
from pcip.demo import identities
from pcip.doors.api_common import Router, SessionDep
from pcip.doors.ratelimit import client_key
from pcip.errors import PcipError, Unauthorized
from pcip.kernel.enums import SubjectKind
from pcip.subjects.service import reveal_identifier
from pcip.web.i18n import N_, current_locale
from pcip.web.pages import Page, PageDep, dev_idp_enabled, form_errors, safe_next

router = Router()
#: Mounted only with the development identity provider (``pcip.web.routers``).
dev_router = Router()

#: How many demo identities of each kind the development sign-in page offers to pick.
DEMO_PICKS = identities.PICKS


def _set_session(page: Page, response: Response, signed: auth_service.SignedIn) -> None:
    """The session cookie, as ``/api/v1/auth/login`` sets it (max-age relative: the platform
    clock may be fixed for a demo while the browser's runs on)."""
    response.set_cookie(
        SESSION_COOKIE,
        signed.token,
        httponly=True,
        samesite="lax",
        secure=page.secure_cookies,
        max_age=int((signed.expires_at - signed.record.created_at).total_seconds()),
        path="/",
    )


# --- credit subjects ---------------------------------------------------------------------


def _subject_next(next_: str | None) -> str:
    target = safe_next(next_, "/me")
    return target if target.startswith("/me") or target.startswith("/organisations") else "/me"


@router.get("/signin", response_class=HTMLResponse)
def sign_in_page(page: PageDep, session: SessionDep, next: str | None = None) -> HTMLResponse:
    """Real-name sign-in for credit subjects."""
    picks = _demo_picks(page, session) if dev_idp_enabled(page.platform) else []
    return page.render(
        "signin/subject.html",
        next=_subject_next(next),
        picks=picks,
        warning=WARNING_EN if current_locale() == "en" else WARNING_ZH,
        values={"id_type": "citizen_id"},
    )


def _demo_picks(page: Page, session: SessionDep) -> list[dict[str, str]]:
    """A few synthetic subjects with records, to sign in as in a demo (development only)."""
    out: list[dict[str, str]] = []
    for s in identities.picks(session):  # the identities the demo gave cases (issue 19.11)
        person = s.kind == SubjectKind.PERSON.value
        number = reveal_identifier(page.platform.keyring, s) if person else s.uscc
        if number:
            out.append(
                {"name": s.name, "id_type": "citizen_id" if person else "uscc", "id_number": number}
            )
    return out


def _provider(request: Request, page: Page) -> DevIdentityProvider:
    """The development identity provider, shared with ``/dev-idp`` (one key file)."""
    provider = getattr(request.app.state, "dev_idp", None)
    if not isinstance(provider, DevIdentityProvider):
        provider = DevIdentityProvider.load_or_create(page.platform.settings.keys_dir)
        request.app.state.dev_idp = provider
    return provider


@dev_router.post("/signin/dev", response_class=HTMLResponse)
def dev_sign_in(
    request: Request,
    page: PageDep,
    session: SessionDep,
    name: Annotated[str, Form(max_length=200)] = "",
    id_type: Annotated[str, Form(max_length=16)] = "citizen_id",
    id_number: Annotated[str, Form(max_length=64)] = "",
    document_type: Annotated[str, Form(max_length=64)] = "",
    document_country: Annotated[str, Form(max_length=8)] = "",
    next: Annotated[str, Form(max_length=500)] = "/me",
) -> Response:
    """Development only: the development provider vouches for what was typed; the platform
    verifies its assertion exactly as it would a real provider's."""
    values = {
        "name": name,
        "id_type": id_type,
        "id_number": id_number,
        "document_type": document_type,
        "document_country": document_country,
    }
    settings = page.platform.settings
    try:
        token = _provider(request, page).issue(
            name=name,
            id_type=id_type,
            id_number=id_number.strip(),
            document_type=document_type.strip() or None if id_type == "document" else None,
            document_country=document_country.strip() or None if id_type == "document" else None,
            audience=settings.idp_audience,
        )
        assertion = verifier_from_settings(settings).verify(token)
        signed = auth_service.sign_in_subject(
            session, page.platform.keyring, assertion, hours=settings.session_hours
        )
    except PcipError as exc:
        session.rollback()
        return page.render(
            "signin/subject.html",
            status_code=422,
            next=_subject_next(next),
            picks=[],
            warning=WARNING_EN if current_locale() == "en" else WARNING_ZH,
            values=values,
            errors=form_errors(exc, aliases={"assertion": "id_number"}),
        )
    response = RedirectResponse(_subject_next(next), status_code=303)
    _set_session(page, response, signed)
    return response


# --- staff -------------------------------------------------------------------------------


def _staff_next(next_: str | None) -> str:
    target = safe_next(next_, "/console")
    return target if target.startswith("/console") else "/console"


@router.get("/staff/signin", response_class=HTMLResponse)
def staff_sign_in_page(page: PageDep, next: str | None = None) -> HTMLResponse:
    return page.render("signin/staff.html", next=_staff_next(next))


@router.post("/staff/signin", response_class=HTMLResponse)
def staff_sign_in(
    page: PageDep,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    next: Annotated[str, Form(max_length=500)] = "/console",
) -> Response:
    """Staff sign-in; a failure is audited (Art. 27) and answers the same for any cause."""
    platform = page.platform
    failure: Unauthorized | None = None
    # The failed attempt's audit row commits before the refusal is shown (as the API does).
    with platform.transaction() as session:
        try:
            signed = auth_service.sign_in(
                session,
                username,
                password,
                hours=platform.settings.session_hours,
                guard=sign_in_guard(page.request, platform),
                address=client_key(page.request),
            )
        except Unauthorized as exc:
            failure = exc
    if failure is not None or not username:
        return page.render(
            "signin/staff.html",
            status_code=401 if failure else 422,
            next=_staff_next(next),
            values={"username": username},
            errors={"password": _wrong_password(failure)},
        )
    response = RedirectResponse(_staff_next(next), status_code=303)
    _set_session(page, response, signed)
    return response


def _wrong_password(failure: Unauthorized | None) -> str:
    from pcip.web.i18n import _

    if failure is not None and "disabled" in failure.message:
        return _("This account is disabled.")
    return _("Unknown username or wrong password.")


# --- signing out -------------------------------------------------------------------------


@router.post("/signout")
def sign_out(page: PageDep, session: SessionDep) -> Response:
    auth_service.sign_out(session, page.principal)
    response = page.redirect("/", flash=N_("You have signed out."))
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
