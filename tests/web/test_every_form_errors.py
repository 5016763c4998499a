"""Issue 19.8: every form a person submits reports every error of a submission at once, each
next to its field. Each POST form of the portal, the subject's pages and the console (per role)
is read from its page and sent back with every field left blank, in both languages: the page
that refuses it marks each required field ``aria-invalid`` with its own message beside it. Each
such form is ``novalidate``, so a browser sends it rather than stop at its first blank field.

Forms that still stop at their first error are listed in ``PENDING`` (docs/web.md says so);
the test fails on a new one and on a listed one that now reports them all (delete its line).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from pcip import clock
from pcip.pledges import service as pledges
from pcip.providers.service import get_provider
from pcip.records.models import CreditRecord
from tests.establishments.support import matrix_fixtures
from tests.governance.support import DRAFTED, walk
from tests.lists.support import designation_in
from tests.lists.support import staff as lists_staff
from tests.objections.builders import as_subject
from tests.objections.cases import case_in
from tests.restoration.matrix import fresh_case
from tests.web.forms_harvest import Form, marked_invalid, post_forms
from tests.web.support import Browser, browser, csrf_of, person_a
from tests.web.test_console_pages import PAGES, a_batch, org_records, staff
from tests.web.test_web_pages import PUBLIC_PAGES, SUBJECT_PAGES
from tests.world import UNIT, World

#: Forms (action with its ids as N) whose refusal still names fewer than all their fields.
PENDING = {}
#: Forms whose refusal is not about fields: signing out, a wrong password (401, one message
#: that names no field, Art. 28), a public search with no required field.
NOT_FIELD_FORMS = {"/signout", "/staff/signin", "/persons"}
LANGS = ("zh_CN", "en")


def _key(action: str) -> str:
    return re.sub(r"/\d+", "/N", action.split("#")[0])


def _send_blank(b: Browser, page_html: str, form: Form) -> tuple[int, set[str]]:
    data = form.empty_submission()
    data["csrf_token"] = csrf_of(page_html)
    r = b.client.post(form.action, data=data, follow_redirects=False)
    return r.status_code, marked_invalid(r.text) if r.status_code == 422 else set()


def _walk(b: Browser, pages: list[str], seen: set[str], found: dict[str, str]) -> None:
    """Every POST form with a required field on ``pages``: what its blank submission gives."""
    for url in pages:
        r = b.get(url)
        assert r.status_code == 200, (url, r.status_code)
        for form in post_forms(r.text):
            key = _key(form.action)
            if key in seen or key in NOT_FIELD_FORMS or not form.blank_required():
                continue
            seen.add(key)
            status, marked = _send_blank(b, r.text, form)
            missing = sorted(set(form.blank_required()) - marked)
            found[key] = "" if status == 422 and not missing else f"{status}, unmarked {missing}"
            if not form.novalidate:
                # The browser would stop at its first blank field, one bubble at a time.
                found[key] += " (no novalidate)"


_STEP_LINK = re.compile(r'href="(/console/objections/\d+/step/\w+)"')


def _case_pages(b: Browser, oid: int) -> list[str]:
    """A case's page and the pages of the steps it links to (each step has its own form)."""
    url = f"/console/objections/{oid}"
    return [url, *dict.fromkeys(_STEP_LINK.findall(b.get(url).text))]


def _details(
    site: World, lang: str, establishment: int, seen: set[str], found: dict[str, str]
) -> None:
    """The forms on the pages of one case, designation, restoration, establishment or
    proposal, in the states that offer them."""
    org, records = site.subject_ids["org"], org_records(site)
    operator, unit = staff(site, "operator", lang), staff(site, "provider", lang)
    for state in (
        "received",
        "labelled",
        "self_review",
        "paused",
        "decided",
        "notified",
        "reexam_requested",
    ):
        oid = case_in(site.platform, org, records[:1], state)
        _walk(operator, _case_pages(operator, oid), seen, found)
    oid = case_in(site.platform, org, records[:1], "pu_review")
    _walk(unit, _case_pages(unit, oid), seen, found)
    drc = staff(site, "drc", lang)  # Art. 42: the department decides a re-examination
    oid = case_in(site.platform, org, records[:1], "reexam_requested")
    _walk(drc, _case_pages(drc, oid), seen, found)
    oid = case_in(site.platform, org, records[:1], "notified")  # a request on paper
    _walk(drc, [f"/console/objections/{oid}/step/register_reexam"], seen, found)
    who = lists_staff(site.platform, UNIT)
    for state in ("draft", "window", "statement", "responded", "decided", "served", "listed"):
        did = designation_in(site.platform, who, site.org_uscc, state)
        _walk(unit, [f"/console/designations/{did}"], seen, found)
    for state in ("submitted", "assigned", "under_review", "materials_requested"):
        rid = fresh_case(site.platform, org, site.org_uscc, site.org_name, state)
        _walk(operator, [f"/console/restoration/{rid}"], seen, found)
    _walk(staff(site, "drc", lang), [f"/console/establishments/{establishment}"], seen, found)
    with site.platform.transaction() as s:
        pledges.make_pledge(
            s,
            as_subject(org),
            subject_id=org,
            matter="administrative_matter",
            provider_id=get_provider(s, UNIT).id,
        )
    _walk(unit, ["/console/pledges"], seen, found)


def _with_remedies(site: World, lang: str) -> None:
    """A complaint with a court case, so the console shows their step forms (Art. 46)."""
    person_a(site).post(
        "/me/complaints",
        {"category": "disclosure", "against": "某局", "description": "处罚已履行仍在公示"},
    )
    staff(site, "operator", lang).post(
        "/console/complaints/cases",
        {
            "kind": "litigation",
            "subject_id": str(site.subject_ids["subject_a"]),
            "case_number": "（2026）渝0103行初300号",
            "body": "重庆市渝中区人民法院",
            "act": "行政处罚决定",
            "filed_on": "2026-11-25",
        },
        form="/console/complaints",
    )


def _portal_details(site: World, lang: str, seen: set[str], found: dict[str, str]) -> None:
    """The subject's forms on one case, listing or application: A's re-examination request,
    the company's statement on a listing and its further materials (Art. 40, 32, 45)."""
    with site.platform.transaction() as s:
        a_record = s.scalar(
            select(CreditRecord.id)
            .where(CreditRecord.subject_id == site.subject_ids["subject_a"])
            .limit(1)
        )
    assert a_record is not None
    oid = case_in(site.platform, site.subject_ids["subject_a"], [a_record], "notified")
    a = person_a(site)
    a.client.cookies.set("lang", lang)
    _walk(a, [f"/me/objections/{oid}"], seen, found)
    designation_in(site.platform, lists_staff(site.platform, UNIT), site.org_uscc, "window")
    rid = fresh_case(
        site.platform, site.subject_ids["org"], site.org_uscc, site.org_name, "materials_requested"
    )
    company = browser(site.platform, lang)
    company.sign_in_subject(site.org_name, site.org_uscc, "uscc")
    _walk(company, ["/me/listings", f"/me/restorations/{rid}"], seen, found)


def _proposals(site: World, lang: str, seen: set[str], found: dict[str, str]) -> None:
    """Proposals at each step with a form: the department's step forms and the public
    comment form (Art. 7; issue 20)."""
    screened = walk(site.platform, to="screened")
    open_one = walk(site.platform, to="consultation")
    with clock.frozen(DRAFTED.isoformat() + "T10:00:00"):
        _walk(browser(site.platform, lang), [f"/consultations/{open_one}"], seen, found)
        dept = staff(site, "drc", lang)
        pages = [f"/console/proposals/{screened}", f"/console/proposals/{open_one}"]
        _walk(dept, pages, seen, found)
    later = [walk(site.platform, to=state) for state in ("submitted_to_mpg", "approved")]
    _walk(staff(site, "drc", lang), [f"/console/proposals/{pid}" for pid in later], seen, found)


def _forms(site: World, lang: str) -> dict[str, str]:
    found: dict[str, str] = {}
    seen: set[str] = set()
    est = matrix_fixtures(site.platform, site.subject_ids["org"], org_records(site)[0])
    _with_remedies(site, lang)
    public = [p for p in PUBLIC_PAGES if p != "/signin"]
    _walk(browser(site.platform, lang), [*public, "/verify"], seen, found)
    signin = browser(site.platform, lang)
    _walk(signin, ["/signin"], seen, found)
    subject = person_a(site)
    subject.client.cookies.set("lang", lang)
    _walk(subject, [*SUBJECT_PAGES, "/me/reports"], seen, found)
    oid = case_in(site.platform, site.subject_ids["org"], org_records(site)[:1], "pu_review")
    fill = {"oid": oid, "batch": a_batch(site), "record": org_records(site)[0]}
    for role in ("operator", "drc", "provider"):
        pages = [p.format(**fill) for p, roles in PAGES.items() if role in roles]
        _walk(staff(site, role, lang), pages, seen, found)
    _details(site, lang, est["establishment"], seen, found)
    _portal_details(site, lang, seen, found)
    _proposals(site, lang, seen, found)
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_issue19_8_every_form_marks_every_blank_required_field_at_once(
    site: World, lang: str
) -> None:
    found = _forms(site, lang)
    assert len(found) >= 60, sorted(found)  # the walk reached the forms
    failing = {k: v for k, v in found.items() if v and k not in PENDING}
    assert not failing, "\n".join(f"{k}: {v}" for k, v in sorted(failing.items()))
    stale = sorted(k for k in PENDING if not found.get(k))
    assert not stale, f"these forms now report every error: delete them from PENDING: {stale}"
