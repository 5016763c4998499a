"""Every portal and subject page answers (never a 500), for the right visitors only.

The web pages are a door onto the same services as the API (docs/design.md#principle-7): these tests
check the door (status, redirects, CSRF, language), the services' own tests check the rules.
"""

from __future__ import annotations

import pytest
from fastapi import FastAPI, routing
from fastapi.routing import APIRoute

from pcip.app import create_app
from pcip.kernel.platform import Platform
from tests.objections.cases import case_in
from tests.web.support import browser, person_a
from tests.world import PASSWORD, World

PUBLIC_PAGES = (
    "/",
    "/?q=示例",
    "/persons",
    "/rules",
    "/rules/disclosure",
    "/rules/objections",
    "/rules/restoration",
    "/rules/rights",
    "/signin",
    "/staff/signin",
    "/lists",
    "/lists/court_defaulter",
    "/measures",
    "/establishments",
    "/consultations",
)
SUBJECT_PAGES = (
    "/me",
    "/me/records",
    "/me/inquiries",
    "/me/authorizations",
    "/me/objections",
    "/me/objections/new",
    "/me/listings",
    "/me/restorations",
    "/me/restorations/new",
    "/me/pledges",
    "/me/complaints",
)

#: Every web route outside the console, and who may use it. A new route must be added here
#: (and to a test) or ``test_every_web_route_is_listed`` fails.
WEB_ROUTES = {
    # Issue 20: public comment on change proposals (tests/governance/test_governance_web.py).
    ("GET", "/consultations"): "everyone",
    ("GET", "/consultations/{proposal_id}"): "everyone",
    ("POST", "/consultations/{proposal_id}"): "everyone",
    ("GET", "/"): "everyone",
    ("GET", "/organisations/{key}"): "everyone",
    ("GET", "/persons"): "everyone",
    ("POST", "/persons"): "everyone",
    ("GET", "/rules"): "everyone",
    ("GET", "/rules/{topic}"): "everyone",
    ("GET", "/lang/{code}"): "everyone",
    ("GET", "/signin"): "everyone",
    ("POST", "/signin/dev"): "everyone (development identity provider only)",
    ("GET", "/staff/signin"): "everyone",
    ("POST", "/staff/signin"): "everyone",
    ("POST", "/signout"): "everyone",
    ("GET", "/me"): "subject",
    ("GET", "/me/records"): "subject",
    ("GET", "/me/inquiries"): "subject",
    ("GET", "/me/authorizations"): "subject",
    ("POST", "/me/authorizations"): "subject",
    ("GET", "/me/authorizations/{authorization_id}/revoke"): "subject (own): asks first",
    ("POST", "/me/authorizations/{authorization_id}/revoke"): "subject (own)",
    ("GET", "/me/objections"): "subject",
    ("GET", "/me/objections/new"): "subject",
    ("POST", "/me/objections"): "subject",
    ("GET", "/me/objections/{objection_id}"): "subject (own)",
    ("POST", "/me/objections/{objection_id}/reexamination"): "subject (own)",
    ("GET", "/me/objections/{objection_id}/notices/{notice_id}"): "subject (own)",
    ("GET", "/me/objections/{objection_id}/evidence/{evidence_id}"): "subject (own)",
    ("GET", "/lists"): "everyone",
    ("GET", "/establishments"): "everyone",
    ("GET", "/lists/{code}"): "everyone",
    ("GET", "/measures"): "everyone",
    ("GET", "/me/listings"): "subject",
    ("POST", "/me/listings/{designation_id}/statement"): "subject (own)",
    ("GET", "/me/restorations"): "subject",
    ("GET", "/me/restorations/new"): "subject",
    ("POST", "/me/restorations"): "subject",
    ("GET", "/me/restorations/{restoration_id}"): "subject (own)",
    ("POST", "/me/restorations/{restoration_id}/materials"): "subject (own)",
    ("GET", "/me/pledges"): "subject",
    ("POST", "/me/pledges"): "subject",
    ("POST", "/me/declarations"): "subject",
    ("POST", "/me/declarations/{declaration_id}/withdraw"): "subject (own)",
    ("GET", "/me/complaints"): "subject",
    ("POST", "/me/complaints"): "subject",
    # Issue 18 (Art. 29): reports and their public verification.
    ("GET", "/me/reports"): "subject",
    ("POST", "/me/reports"): "subject",
    ("GET", "/me/reports/{number}"): "subject (own)",
    ("GET", "/me/reports/{number}/pdf"): "subject (own)",
    ("GET", "/verify"): "everyone",
    ("POST", "/verify"): "everyone",
}


def _web_routes(app: FastAPI) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for entry in routing.iter_route_contexts(app.routes):
        route = getattr(entry, "original_route", entry)
        path = str(entry.path)
        if not isinstance(route, APIRoute) or "web" not in (getattr(entry, "tags", None) or ()):
            continue
        if path.startswith("/console"):
            continue  # the console's own tests cover it
        out |= {(m, path) for m in entry.methods if m != "HEAD"}
    return out


def test_every_web_route_is_listed(platform: Platform) -> None:
    served = _web_routes(create_app(platform))
    assert served == set(WEB_ROUTES), (
        f"unlisted: {sorted(served - set(WEB_ROUTES))}; stale: {sorted(set(WEB_ROUTES) - served)}"
    )


def test_web_routes_stay_out_of_the_openapi_document(platform: Platform) -> None:
    paths = create_app(platform).openapi()["paths"]
    assert not [p for p in paths if not p.startswith(("/api/", "/dev-idp/"))]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_art22_every_public_page_renders_for_anyone(site: World, lang: str) -> None:
    b = browser(site.platform, lang)
    for url in (*PUBLIC_PAGES, f"/organisations/{site.org_uscc}"):
        r = b.get(url)
        assert r.status_code == 200, (url, r.status_code, r.text[:500])
        assert r.headers["content-type"].startswith("text/html")
        assert f'<html lang="{"zh-CN" if lang == "zh_CN" else "en"}">' in r.text


def test_art22_the_organisation_page_shows_its_records_and_is_logged(site: World) -> None:
    b = browser(site.platform)
    r = b.get(f"/organisations/{site.org_uscc}")
    assert r.status_code == 200
    assert site.org_name in r.text
    assert "行政处罚" in r.text  # the public penalty record, its item named in Chinese
    assert "重庆市市场监督管理局" in r.text  # provenance: the providing unit
    org = person_a(site)  # any signed-in subject...
    del org
    # ...but the inquiry is in the company's own history: sign in as the company.
    company = browser(site.platform)
    company.sign_in_subject(site.org_name, site.org_uscc, "uscc")
    history = company.get("/me/inquiries").text
    assert "社会公众" in history


def test_art22_search_finds_organisations_never_persons(site: World) -> None:
    b = browser(site.platform)
    r = b.get("/", params={"q": "示例科技"})
    assert site.org_name in r.text and f"/organisations/{site.org_uscc}" in r.text
    r = b.get("/", params={"q": "张三"})
    assert '<ul class="results">' not in r.text  # a person's name finds nobody
    # htmx asks for the results only
    r = b.get("/", params={"q": "示例科技"}, headers={"HX-Request": "true"})
    assert r.text.lstrip().startswith('<div id="results"') and "<html" not in r.text


def test_search_with_one_character_shows_the_error_next_to_the_field(site: World) -> None:
    r = browser(site.platform, "en").get("/", params={"q": "重"})
    assert r.status_code == 422
    assert 'id="q-error"' in r.text and 'aria-invalid="true"' in r.text
    assert 'value="重"' in r.text


def test_art22_a_person_only_by_exact_identifier_and_never_echoed(site: World) -> None:
    b = browser(site.platform)
    r = b.post("/persons", {"id_kind": "citizen_id", "citizen_id": site.person_a})
    assert r.status_code == 200
    assert "张*" in r.text and "张三" not in r.text  # the name masked (Art. 27)
    assert site.person_a not in r.text  # the identifier is not sent back in full
    # an unknown person answers like a person with nothing public
    r = b.post("/persons", {"id_kind": "citizen_id", "citizen_id": "11010519491231002X"})
    assert r.status_code == 200 and "张*" not in r.text


def test_a_bad_identifier_shows_the_error_next_to_the_field_and_keeps_the_input(
    site: World,
) -> None:
    b = browser(site.platform, "en")
    r = b.post("/persons", {"id_kind": "citizen_id", "citizen_id": "500103198504020011"})
    assert r.status_code == 422
    assert 'id="citizen_id-error"' in r.text
    assert 'value="500103198504020011"' in r.text
    r = b.post("/persons", {"id_kind": "citizen_id", "citizen_id": ""})
    assert r.status_code == 422 and "enter the citizen ID number" in r.text


def test_csrf_missing_or_wrong_is_refused(site: World) -> None:
    b = browser(site.platform)
    b.get("/persons")  # receives the anonymous CSRF cookie
    r = b.client.post("/persons", data={"citizen_id": site.person_a}, follow_redirects=False)
    assert r.status_code == 403 and "text/html" in r.headers["content-type"]
    r = b.client.post("/persons", data={"citizen_id": site.person_a, "csrf_token": "forged"})
    assert r.status_code == 403
    # a signed-in subject's forms need the session's token, not any other
    a = person_a(site)
    r = a.client.post(
        "/me/authorizations", data={"purpose": "x", "csrf_token": "forged"}, follow_redirects=False
    )
    assert r.status_code == 403
    r = a.client.post("/signout", follow_redirects=False)
    assert r.status_code == 403
    # htmx sends the header instead of a field
    token = a.token("/me/authorizations")
    r = a.client.post("/signout", headers={"X-CSRF-Token": token}, follow_redirects=False)
    assert r.status_code == 303


def test_language_switch_sets_a_cookie_and_returns_to_the_page(site: World) -> None:
    b = browser(site.platform)
    assert "查询单位" in b.get("/").text
    r = b.get("/lang/en", params={"next": "/rules"})
    assert r.status_code == 303 and r.headers["location"] == "/rules"
    assert "lang=en" in r.headers["set-cookie"]
    page = b.get("/rules").text
    assert '<html lang="en">' in page and "How the platform applies the Regulations" in page
    assert "Search organisations" in b.get("/").text  # it persists across pages
    r = b.get("/lang/zh-CN", params={"next": "https://evil.example/"})
    assert r.headers["location"] == "/"  # never sends anyone to another site
    assert "查询单位" in b.get("/").text
    assert b.get("/lang/xx").status_code == 404
    # without next, back to the referring page of this site
    r = b.get("/lang/en", headers={"referer": "http://testserver/persons"})
    assert r.headers["location"] == "/persons"


def test_anonymous_visitors_are_sent_to_sign_in_and_back(site: World) -> None:
    b = browser(site.platform)
    for url in SUBJECT_PAGES:
        r = b.get(url)
        assert r.status_code == 303, url
        assert r.headers["location"].startswith("/signin?next=/me")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_art39_every_subject_page_renders_for_the_subject(site: World, lang: str) -> None:
    b = person_a(site)
    b.client.cookies.set("lang", lang)
    for url in SUBJECT_PAGES:
        r = b.get(url)
        assert r.status_code == 200, (url, r.status_code, r.text[:300])


def test_staff_are_not_subjects(site: World) -> None:
    b = browser(site.platform)
    r = b.post(
        "/staff/signin", {"username": "operator", "password": PASSWORD}, form="/staff/signin"
    )
    assert r.status_code == 303 and r.headers["location"] == "/console"
    r = b.get("/me/records")
    assert r.status_code == 403 and "text/html" in r.headers["content-type"]


def test_staff_sign_in_refuses_a_wrong_password_at_the_field(site: World) -> None:
    b = browser(site.platform, "en")
    r = b.post("/staff/signin", {"username": "operator", "password": "nope"}, form="/staff/signin")
    assert r.status_code == 401
    assert 'id="password-error"' in r.text and 'value="operator"' in r.text
    assert "pcip_session" not in r.headers.get("set-cookie", "")


def test_art39_records_show_status_per_mode_provenance_and_history(site: World) -> None:
    page = person_a(site).get("/me/records").text
    for word in ("依法公开", "授权查询", "依职权查询", "重庆市市场监督管理局", "版本"):
        assert word in page, word
    assert "SECRET-A-7f3d" in page  # the subject sees its own non-public record
    assert "SECRET-B-91c2" not in page


def test_art22_art39_grant_and_revoke_an_authorization(site: World) -> None:
    from tests.world import BANK

    b = person_a(site)
    form = {
        "grantee_uscc": BANK,
        "purpose": "个人消费贷款审批",
        "channels": ["api"],
        "categories": ["2", "6"],
        "valid_to": "2027-06-30",
    }
    r = b.post("/me/authorizations", form)
    assert r.status_code == 303, r.text
    page = b.get("/me/authorizations").text
    assert "个人消费贷款审批" in page and "有效" in page
    aid = page.split('data-authorization="')[1].split('"')[0]
    r = b.post(f"/me/authorizations/{aid}/revoke", form="/me/authorizations")
    assert r.status_code == 303
    assert "已撤销" in b.get("/me/authorizations").text
    # another subject cannot revoke it: "not found"
    other = browser(site.platform)
    other.sign_in_subject("王五", site.person_b)
    r = other.post(f"/me/authorizations/{aid}/revoke", form="/me/authorizations")
    assert r.status_code == 404


def test_an_authorization_with_bad_input_keeps_what_was_typed(site: World) -> None:
    b = person_a(site)
    form = {"grantee_uscc": "", "purpose": "贷款审批用途", "channels": ["api"], "valid_to": ""}
    r = b.post("/me/authorizations", form)
    assert r.status_code == 422
    assert 'id="grantee_uscc-error"' in r.text and "贷款审批用途" in r.text


def _a_record(site: World) -> int:
    from sqlalchemy import select

    from pcip.records.models import CreditRecord

    with site.platform.transaction() as s:
        rid = s.scalars(
            select(CreditRecord.id)
            .where(CreditRecord.subject_id == site.subject_ids["subject_a"])
            .order_by(CreditRecord.id)
        ).first()
    assert rid is not None
    return rid


def test_art40_file_an_objection_with_evidence_and_follow_its_deadlines(site: World) -> None:
    b = person_a(site)
    rid = _a_record(site)
    token = b.token(f"/me/objections/new?record={rid}")
    r = b.client.post(
        "/me/objections",
        data={
            "csrf_token": token,
            "record_ids": [str(rid)],
            "ground": "error",
            "statement": "罚款金额有误，应为 1000 元。",
        },
        files=[("evidence", ("receipt.txt", "罚款已缴清。\n".encode(), "text/plain"))],
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    case_url = r.headers["location"]
    page = b.get(case_url).text
    assert "receipt.txt" in page
    assert 'data-deadline="label"' in page and 'data-deadline="notice"' in page
    assert "2026-11-27" in page  # received Thu 2026-11-26: label due the next working day
    listing = b.get("/me/objections").text
    assert case_url in listing
    # nobody else sees it
    other = browser(site.platform)
    other.sign_in_subject("王五", site.person_b)
    assert other.get(case_url).status_code == 404


def test_art40_an_objection_naming_no_record_is_refused_at_the_field(site: World) -> None:
    b = person_a(site)
    r = b.post(
        "/me/objections",
        {"ground": "error", "statement": "有误"},
        form="/me/objections/new",
    )
    assert r.status_code == 422
    assert 'id="record_ids-error"' in r.text and "有误" in r.text


def test_art40_notices_open_and_reexamination_can_be_requested(site: World) -> None:
    rid = _a_record(site)
    oid = case_in(site.platform, site.subject_ids["subject_a"], [rid], "notified")
    b = person_a(site)
    page = b.get(f"/me/objections/{oid}").text
    assert f"/me/objections/{oid}/notices/" in page and 'id="reexam"' in page
    nid = page.split(f"/me/objections/{oid}/notices/")[1].split('"')[0]
    notice = b.get(f"/me/objections/{oid}/notices/{nid}")
    # issue 19.2: the notice in the page's language, the other version not shown
    assert notice.status_code == 200 and "异议处理结果告知书" in notice.text
    assert "Written notice of the outcome" not in notice.text
    b.client.cookies.set("lang", "en")
    notice = b.get(f"/me/objections/{oid}/notices/{nid}")
    assert "Written notice of the outcome" in notice.text
    assert "异议处理结果告知书" not in notice.text
    b.client.cookies.set("lang", "zh_CN")
    r = b.post(
        f"/me/objections/{oid}/reexamination",
        {"statement": "不服处理结果，申请复核。"},
        form=f"/me/objections/{oid}",
    )
    assert r.status_code == 303
    assert 'data-state="reexam_requested"' in b.get(f"/me/objections/{oid}").text
