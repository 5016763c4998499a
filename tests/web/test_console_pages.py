"""Every console page answers for the roles it is for (200, never 500) and refuses the others
(a sign-in redirect for anonymous visitors, 403 for a signed-in visitor without the right).

The console is a door onto the services (docs/design.md#principle-7): these tests check the door;
the services' own tests check the rules.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import select

from pcip.records.models import Batch, CreditRecord
from pcip.web import console
from tests.objections.cases import case_in
from tests.web.support import Browser, browser
from tests.world import PASSWORD, World

ROLES = ("operator", "drc", "provider")
#: The username of each role in ``tests.world``.
USERS = {"operator": "operator", "drc": "drc", "provider": "staff"}

#: Every console page (GET) and the roles it is for; {oid}, {batch} and {record} are filled.
PAGES: dict[str, frozenset[str]] = {
    "/console": frozenset(ROLES),
    "/console/dashboard": frozenset({"operator", "drc"}),
    "/console/objections": frozenset({"operator"}),
    "/console/objections/new": frozenset({"operator"}),
    "/console/reexaminations": frozenset({"drc"}),
    "/console/inbox": frozenset({"provider"}),
    "/console/archive": frozenset({"operator", "drc"}),
    "/console/archive?state=closed&received_from=2026-01-01": frozenset({"operator", "drc"}),
    "/console/objections/{oid}": frozenset(ROLES),
    "/console/objections/{oid}/step/status_notice": frozenset({"operator"}),
    "/console/objections/{oid}/step/unit_result": frozenset({"provider"}),
    "/console/batches": frozenset({"provider"}),
    "/console/batches/{batch}": frozenset({"provider"}),
    "/console/batches/{batch}/rejected": frozenset({"provider"}),
    "/console/inquiry": frozenset({"provider"}),
    "/console/records": frozenset({"operator", "provider"}),
    "/console/records?q=2026": frozenset({"operator", "provider"}),
    "/console/records/{record}": frozenset({"operator", "provider"}),
    "/console/calendar": frozenset({"operator"}),
    "/console/calendar?start=2024-09-27&working_days=5": frozenset({"operator"}),
    "/console/scopes": frozenset({"operator", "drc"}),
    "/console/designations": frozenset({"operator", "drc", "provider"}),
    "/console/credit-checks": frozenset({"provider"}),
    "/console/measures": frozenset({"provider"}),
    "/console/restoration": frozenset({"operator", "provider"}),
    "/console/pledges": frozenset({"provider"}),
    "/console/revocations": frozenset(ROLES),
    "/console/complaints": frozenset({"operator"}),
    "/console/establishments": frozenset({"drc"}),
    "/console/oversight": frozenset(ROLES),
    "/console/exchange": frozenset({"operator", "drc"}),
    "/console/exchange/dead-letters": frozenset({"operator", "drc"}),
    "/console/proposals": frozenset({"drc", "provider"}),
    "/console/integrity": frozenset({"operator", "drc"}),
}

#: Every console route; a new one must be added here and to a test.
ROUTES = {
    # Issue 20: change proposals and government integrity (tests/governance).
    ("GET", "/console/proposals"),
    ("POST", "/console/proposals"),
    ("GET", "/console/proposals/{proposal_id}"),
    ("POST", "/console/proposals/{proposal_id}/step/{step}"),
    ("GET", "/console/integrity"),
    ("POST", "/console/integrity/{action}"),
    ("GET", "/console/integrity/evaluations/{evaluation_id}"),
    ("GET", "/console/integrity/evaluations/{evaluation_id}/export"),
    ("GET", "/console"),
    ("GET", "/console/dashboard"),
    ("GET", "/console/batches"),
    ("POST", "/console/batches"),
    ("GET", "/console/batches/uploads/{job_id}"),
    ("GET", "/console/batches/uploads/{job_id}/status"),
    ("GET", "/console/batches/{batch_id}"),
    ("GET", "/console/batches/{batch_id}/rejected"),
    ("GET", "/console/objections"),
    ("GET", "/console/inbox"),
    ("GET", "/console/reexaminations"),
    ("GET", "/console/objections/{objection_id}"),
    ("GET", "/console/objections/{objection_id}/step/{step}"),
    ("POST", "/console/objections/{objection_id}/step/{step}"),
    ("GET", "/console/objections/{objection_id}/evidence/{evidence_id}"),
    ("GET", "/console/objections/{objection_id}/notices/{notice_id}"),
    ("GET", "/console/objections/new"),
    ("POST", "/console/objections/new"),
    ("GET", "/console/archive"),
    ("GET", "/console/records"),
    ("GET", "/console/records/{record_id}"),
    ("POST", "/console/records/{record_id}"),
    ("GET", "/console/inquiry"),
    ("POST", "/console/inquiry"),
    ("GET", "/console/calendar"),
    ("POST", "/console/calendar"),
    ("GET", "/console/scopes"),
    ("POST", "/console/scopes"),
    ("POST", "/console/scopes/{grant_id}/revoke"),
    ("POST", "/console/objections/alerts/{alert_id}/acknowledge"),
    ("GET", "/console/designations"),
    ("POST", "/console/designations"),
    ("GET", "/console/designations/{designation_id}"),
    ("POST", "/console/designations/{designation_id}/step/{step}"),
    ("GET", "/console/credit-checks"),
    ("POST", "/console/credit-checks"),
    ("POST", "/console/credit-checks/batch"),
    ("GET", "/console/measures"),
    ("POST", "/console/measures"),
    ("GET", "/console/restoration"),
    ("POST", "/console/restoration"),
    ("GET", "/console/restoration/{restoration_id}"),
    ("POST", "/console/restoration/{restoration_id}/step/{step}"),
    ("GET", "/console/pledges"),
    ("POST", "/console/pledges/{pledge_id}/performance"),
    ("GET", "/console/revocations"),
    ("POST", "/console/revocations"),
    ("GET", "/console/complaints"),
    ("POST", "/console/complaints/{complaint_id}/step"),
    ("POST", "/console/complaints/cases"),
    ("POST", "/console/complaints/cases/{case_id}/decision"),
    ("POST", "/console/complaints/cases/{case_id}/suspension"),
    ("GET", "/console/establishments"),
    ("POST", "/console/establishments"),
    ("GET", "/console/establishments/{establishment_id}"),
    ("POST", "/console/establishments/{establishment_id}/{action}"),
    ("GET", "/console/oversight"),
    ("POST", "/console/oversight"),
    ("POST", "/console/oversight/{order_id}/response"),
    ("POST", "/console/oversight/{order_id}/escalation"),
    ("GET", "/console/exchange"),
    ("POST", "/console/exchange"),
    ("POST", "/console/exchange/{code}/{action}"),
    ("GET", "/console/exchange/dead-letters"),
}


def staff(world: World, role: str, lang: str | None = None) -> Browser:
    """A browser signed in through the staff sign-in page."""
    b = browser(world.platform, lang)
    r = b.post(
        "/staff/signin",
        {"username": USERS[role], "password": PASSWORD, "next": "/console"},
        form="/staff/signin",
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/console"
    return b


def org_records(world: World) -> list[int]:
    with world.platform.transaction() as s:
        return list(
            s.scalars(
                select(CreditRecord.id)
                .where(
                    CreditRecord.subject_id == world.subject_ids["org"],
                    CreditRecord.item_code == "admin_penalty",
                )
                .order_by(CreditRecord.id)
            )
        )


def a_batch(world: World) -> int:
    with world.platform.transaction() as s:
        found = s.scalar(select(Batch.id).order_by(Batch.id).limit(1))
    assert found is not None
    return found


def _fill(url: str, world: World, oid: int) -> str:
    return url.format(oid=oid, batch=a_batch(world), record=org_records(world)[0])


@pytest.fixture
def transferred(site: World) -> int:
    """A case transferred to the world's unit and received by it (the unit sees it and
    returns its result; the operator may send a status notice meanwhile, D-2)."""
    records = org_records(site)[:1]
    return case_in(site.platform, site.subject_ids["org"], records, "pu_review")


def test_every_console_route_is_listed() -> None:
    found = {
        (method, route.path)
        for router in console.routers
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    }
    assert found == ROUTES


@pytest.mark.parametrize("role", ROLES)
def test_every_console_page_renders_for_its_roles_and_refuses_the_others(
    site: World, transferred: int, role: str
) -> None:
    b = staff(site, role)
    for template, roles in PAGES.items():
        url = _fill(template, site, transferred)
        r = b.get(url)
        if role in roles:
            assert r.status_code == 200, (role, url, r.status_code, r.text[:500])
        else:
            assert r.status_code in (403, 404), (role, url, r.status_code)
            assert r.status_code != 500


def test_console_pages_send_anonymous_visitors_to_the_staff_sign_in(
    site: World, transferred: int
) -> None:
    b = browser(site.platform)
    for template in PAGES:
        url = _fill(template, site, transferred)
        r = b.get(url)
        assert r.status_code == 303, (url, r.status_code)
        assert r.headers["location"].startswith("/staff/signin?next=/console"), url


def test_a_credit_subject_is_refused_every_console_page(site: World, transferred: int) -> None:
    b = browser(site.platform)
    b.sign_in_subject("张三", site.person_a)
    for template in PAGES:
        url = _fill(template, site, transferred)
        assert b.get(url).status_code in (403, 404), url


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_console_speaks_chinese_by_default_and_english_on_request(
    site: World, transferred: int, lang: str
) -> None:
    b = staff(site, "operator", lang)
    page = b.get("/console/objections").text
    if lang == "en":
        assert "Objection queue" in page and 'lang="en"' in page
    else:
        assert "异议" in page and 'lang="zh-CN"' in page


def test_every_console_message_has_a_chinese_translation() -> None:
    """Simplified Chinese is the default language: no console text may fall back to English."""
    from babel.messages.extract import extract_from_dir

    from pcip.web import i18n

    root = Path(console.__file__).parents[1]
    method_map = [("console/**.py", "python"), ("templates/console/**.html", "jinja2")]
    options = {"templates/console/**.html": {"extensions": "jinja2.ext.i18n"}}
    i18n.reload()
    zh = i18n.messages("zh_CN")
    missing = []
    for _file, _line, message, _comments, _context in extract_from_dir(
        root,
        method_map,
        options_map=options,
        keywords={"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)},
    ):
        key = message[0] if isinstance(message, tuple) else message
        if not key:
            continue
        known = zh.plural.get(key) if isinstance(message, tuple) else zh.singular.get(key)
        if not known:
            missing.append(key)
    assert missing == []
