"""The permission matrix of the web door (Art. 22, 27, 39; issue 23): every route of the
portal, the subject's area and the console, called by every caller of
``tests.permission_table`` on objects that belong to someone else (person A's case,
authorization, record; the unit's batch and upload), answers as the table says, and no page
gives a caller another subject's non-public information.

Every caller is a browser with its own cookies: subjects signed in through the development
identity provider, staff through the staff sign-in page; the API-key holders send their key,
which the web pages do not honour (they are anonymous there). Each form is posted with the
caller's own valid CSRF token, so a refusal comes from the access policy, not from CSRF.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi import FastAPI
from httpx import Response
from sqlalchemy import select

from pcip import clock
from pcip.app import create_app
from pcip.inquiry.schemas import Channel
from pcip.integrity import evaluation
from pcip.integrity.schemas import EvaluationIn
from pcip.kernel.platform import Platform
from pcip.objections.models import Objection
from tests.client import TestClient
from tests.establishments.support import matrix_fixtures
from tests.governance.support import drc, walk
from tests.lists.support import designation_in
from tests.lists.support import staff as unit_staff
from tests.objections.cases import case_in
from tests.permission_table import (
    CALLERS,
    CONSOLE_CASE,
    KEY_HOLDERS,
    ME_CASE,
    WEB,
    web_answer,
)
from tests.restoration.matrix import restoration_pages
from tests.revocation.matrix import remedy_pages
from tests.test_permission_matrix import OTHER_BANK, _setup, own_report
from tests.web.support import Browser, csrf_of
from tests.world import NOW, PASSWORD, SECRET_A, SECRET_B, WorldData
from tests.world import UNIT as UNIT_USCC
from tests.world import World as _World

Form = dict[str, Any] | Callable[[], dict[str, Any]] | None


@dataclass(frozen=True)
class Call:
    url: str | Callable[[], str]
    form: Form = None
    files: list[tuple[str, tuple[str, bytes, str]]] | None = None
    #: Posted from a copy of the caller's browser: the route changes who is signed in.
    separate: bool = False
    note: str = ""


@dataclass
class Site:
    world: _World
    browsers: dict[str, Browser] = field(default_factory=dict)


def web_routes(app: FastAPI) -> set[tuple[str, str]]:
    from fastapi import routing
    from fastapi.routing import APIRoute

    out: set[tuple[str, str]] = set()
    for entry in routing.iter_route_contexts(app.routes):
        route = getattr(entry, "original_route", entry)
        if isinstance(route, APIRoute) and "web" in (getattr(entry, "tags", None) or ()):
            out |= {(m, str(entry.path)) for m in entry.methods if m != "HEAD"}
    return out


def _browser(app: FastAPI) -> Browser:
    return Browser(TestClient(app, raise_server_exceptions=False))


def _browsers(world: _World, app: FastAPI) -> dict[str, Browser]:
    out: dict[str, Browser] = {}
    people = {
        "subject_a": ("张三", world.person_a, "citizen_id"),
        "subject_b": ("王五", world.person_b, "citizen_id"),
        "org": (world.org_name, world.org_uscc, "uscc"),
    }
    for caller in CALLERS:
        b = _browser(app)
        if caller in people:
            name, number, kind = people[caller]
            b.sign_in_subject(name, number, kind)
        elif caller in ("staff", "operator", "drc"):
            r = b.post(
                "/staff/signin",
                {"username": caller, "password": PASSWORD, "next": "/console"},
                form="/staff/signin",
            )
            assert r.status_code == 303, r.text
        elif caller in KEY_HOLDERS:
            b.client.headers["Authorization"] = f"Bearer {world.tokens.get(caller, 'pcip_gk_x')}"
        out[caller] = b
    return out


def _upload_job(b: Browser) -> str:
    r = b.post(
        "/console/batches",
        {"item": "admin_penalty"},
        files={"file": ("a.csv", "CF_XDR_MC\n某公司\n".encode(), "text/csv")},
    )
    assert r.status_code == 303, r.text[:300]
    return str(r.headers["location"]).rsplit("/", 1)[-1]


def requests_for(s: Any, app: FastAPI, b: dict[str, Browser]) -> dict[Any, list[Call]]:
    world = s.world
    a_id = world.subject_ids["subject_a"]
    job = _upload_job(b["staff"])
    deciding = case_in(world.platform, a_id, [s.a_record], "self_review")
    me_case = f"/me/objections/{s.read_case}"
    console_case = f"/console/objections/{s.read_case}"
    grant = {
        "grantee_uscc": OTHER_BANK,
        "purpose": "个人经营贷款审批",
        "channels": "api",
        "categories": "6",
        "valid_to": "2027-06-30",
    }
    est = matrix_fixtures(world.platform, a_id, s.a_record)
    est_url = f"/console/establishments/{est['establishment']}"
    return {
        ("GET", "/establishments"): [Call("/establishments?category=risk_control")],
        ("GET", "/console/establishments"): [Call("/console/establishments")],
        ("POST", "/console/establishments"): [
            Call("/console/establishments", {"uscc": "", "name": "缺少统一社会信用代码"})
        ],
        ("GET", "/console/establishments/{establishment_id}"): [Call(est_url)],
        ("POST", "/console/establishments/{establishment_id}/{action}"): [
            Call(est_url + "/orders", {"basis": "超范围经营", "requirement": "停止超范围经营"})
        ],
        ("GET", "/console/oversight"): [Call("/console/oversight")],
        ("POST", "/console/oversight"): [
            Call(
                "/console/oversight",
                {"addressee": "platform", "basis": "公示超期", "requirement": "整改"},
            )
        ],
        ("POST", "/console/oversight/{order_id}/response"): [
            Call(f"/console/oversight/{est['answer']}/response", {"response": "已整改"})
        ],
        ("POST", "/console/oversight/{order_id}/escalation"): [
            Call(
                f"/console/oversight/{est['escalate']}/escalation",
                {"note": "移送追责：主管王某", "serious_reasons": "泄露个人信息"},
            )
        ],
        ("GET", "/"): [Call("/?q=示例科技")],
        ("GET", "/organisations/{key}"): [Call(f"/organisations/{world.org_uscc}")],
        ("GET", "/persons"): [Call("/persons")],
        ("POST", "/persons"): [Call("/persons", {"citizen_id": world.person_a}, note="about A")],
        ("GET", "/rules"): [Call("/rules")],
        ("GET", "/rules/{topic}"): [Call("/rules/objections")],
        ("GET", "/lang/{code}"): [Call("/lang/zh_CN?next=/")],
        ("GET", "/signin"): [Call("/signin")],
        ("POST", "/signin/dev"): [
            Call(
                "/signin/dev",
                {"name": "赵六", "id_type": "citizen_id", "id_number": world.person_b},
                separate=True,
            )
        ],
        ("GET", "/staff/signin"): [Call("/staff/signin")],
        ("POST", "/staff/signin"): [
            Call("/staff/signin", {"username": "drc", "password": PASSWORD}, separate=True)
        ],
        ("POST", "/signout"): [Call("/signout", {}, separate=True)],
        ("GET", "/me"): [Call("/me")],
        ("GET", "/me/records"): [Call("/me/records")],
        ("GET", "/me/inquiries"): [Call("/me/inquiries")],
        ("GET", "/me/authorizations"): [Call("/me/authorizations")],
        ("POST", "/me/authorizations"): [Call("/me/authorizations", grant)],
        ("GET", "/me/authorizations/{authorization_id}/revoke"): [
            Call(f"/me/authorizations/{s.spare_authorization_id}/revoke", note="A's")
        ],
        ("POST", "/me/authorizations/{authorization_id}/revoke"): [
            Call(f"/me/authorizations/{s.spare_authorization_id}/revoke", {}, note="A's")
        ],
        ("GET", "/me/objections"): [Call("/me/objections")],
        ("GET", "/me/objections/new"): [Call("/me/objections/new")],
        ("POST", "/me/objections"): [
            Call(
                "/me/objections",
                {"record_ids": str(s.a_record), "ground": "error", "statement": "金额有误"},
                note="A's record",
            )
        ],
        ("GET", ME_CASE): [Call(me_case, note="A's case")],
        ("POST", ME_CASE + "/reexamination"): [
            Call(me_case + "/reexamination", {"statement": "不服"}, note="A's case")
        ],
        ("GET", ME_CASE + "/notices/{notice_id}"): [Call(f"{me_case}/notices/{s.notice_id}")],
        ("GET", ME_CASE + "/evidence/{evidence_id}"): [Call(f"{me_case}/evidence/{s.evidence_id}")],
        ("GET", "/console"): [Call("/console")],
        ("GET", "/console/dashboard"): [Call("/console/dashboard")],
        ("GET", "/console/batches"): [Call("/console/batches")],
        ("POST", "/console/batches"): [Call("/console/batches", {"item": ""})],
        ("GET", "/console/batches/uploads/{job_id}"): [Call(f"/console/batches/uploads/{job}")],
        ("GET", "/console/batches/uploads/{job_id}/status"): [
            Call(f"/console/batches/uploads/{job}/status")
        ],
        ("GET", "/console/batches/{batch_id}"): [Call(f"/console/batches/{s.batch_id}")],
        ("GET", "/console/batches/{batch_id}/rejected"): [
            Call(f"/console/batches/{s.batch_id}/rejected")
        ],
        ("GET", "/console/objections"): [Call("/console/objections")],
        ("GET", "/console/inbox"): [Call("/console/inbox")],
        ("GET", "/console/reexaminations"): [Call("/console/reexaminations")],
        ("GET", CONSOLE_CASE): [Call(console_case, note="transferred to the unit")],
        ("GET", CONSOLE_CASE + "/step/{step}"): [
            Call(f"/console/objections/{deciding}/step/decide", note="not transferred")
        ],
        ("POST", CONSOLE_CASE + "/step/{step}"): [
            Call(f"/console/objections/{deciding}/step/decide", {}, note="not transferred")
        ],
        ("GET", CONSOLE_CASE + "/evidence/{evidence_id}"): [
            Call(f"{console_case}/evidence/{s.evidence_id}")
        ],
        ("GET", CONSOLE_CASE + "/notices/{notice_id}"): [
            Call(f"{console_case}/notices/{s.notice_id}")
        ],
        ("GET", "/console/objections/new"): [Call("/console/objections/new")],
        ("POST", "/console/objections/new"): [
            Call("/console/objections/new", {"stage": "find", "id_type": "citizen_id"})
        ],
        ("GET", "/console/archive"): [Call("/console/archive")],
        ("GET", "/console/records"): [Call("/console/records?q=2026")],
        ("GET", "/console/records/{record_id}"): [Call(f"/console/records/{s.a_record}")],
        ("POST", "/console/records/{record_id}"): [Call(f"/console/records/{s.a_record}", {})],
        ("GET", "/console/inquiry"): [Call("/console/inquiry")],
        ("POST", "/console/inquiry"): [Call("/console/inquiry", {})],
        ("GET", "/console/calendar"): [Call("/console/calendar")],
        ("POST", "/console/calendar"): [Call("/console/calendar", {})],
        ("GET", "/console/scopes"): [Call("/console/scopes")],
        ("POST", "/console/scopes"): [Call("/console/scopes", {})],
        ("POST", "/console/scopes/{grant_id}/revoke"): [Call("/console/scopes/1/revoke", {})],
        ("POST", "/console/objections/alerts/{alert_id}/acknowledge"): [
            Call(f"/console/objections/alerts/{s.objection_alert_id}/acknowledge", {})
        ],
        **list_pages(world),
        **restoration_pages(world, Call),
        **remedy_pages(Call),
        **governance_pages(world),
    }


def list_pages(world: _World) -> dict[Any, list[Call]]:
    """Issue 16: the list pages; each step on a fresh designation in its state."""
    unit = unit_staff(world.platform, UNIT_USCC)

    def fresh(state: str, tail: str) -> Callable[[], str]:
        return lambda: f"{designation_in(world.platform, unit, world.org_uscc, state)}{tail}"

    read = designation_in(world.platform, unit, world.org_uscc, "window")
    report: list[str] = []

    def a_report(tail: str = "") -> Callable[[], str]:
        """A's own report: the one A asked for in the matrix (``RUN_FIRST``), or, should there
        be none, one issued on first use."""

        def url() -> str:
            if not report and (number := own_report(world)):
                report.append(number)
            if not report:
                from pcip.auth.permissions import Principal
                from pcip.kernel.actors import Actor
                from pcip.kernel.enums import ActorKind
                from pcip.reports import service as reports

                a_id = world.subject_ids["subject_a"]
                a = Principal.internal(Actor(ActorKind.SUBJECT, str(a_id), "张三"), subject_id=a_id)
                with world.platform.transaction() as session:
                    issued = reports.issue_self(session, a, Channel.WEB, base_url="http://t/")
                    report.append(issued.number)
            return f"/me/reports/{report[0]}{tail}"

        return url

    return {
        ("GET", "/me/reports"): [Call("/me/reports")],
        ("POST", "/me/reports"): [Call("/me/reports", {"lang": "zh"})],
        ("GET", "/me/reports/{number}"): [Call(a_report())],
        ("GET", "/me/reports/{number}/pdf"): [Call(a_report("/pdf"))],
        ("GET", "/verify"): [Call("/verify?number=CR20261126ABCDEFGH")],
        ("POST", "/verify"): [
            Call("/verify", {}, files=[("file", ("r.pdf", b"%PDF-1.7 x", "application/pdf"))])
        ],
        ("GET", "/lists"): [Call("/lists")],
        ("GET", "/lists/{code}"): [Call("/lists/serious_illegal_untrustworthy?q=示例")],
        ("GET", "/me/listings"): [Call("/me/listings")],
        ("POST", "/me/listings/{designation_id}/statement"): [
            Call(lambda: f"/me/listings/{fresh('window', '/statement')()}", {"text": "申辩"})
        ],
        ("GET", "/console/designations"): [Call("/console/designations")],
        ("POST", "/console/designations"): [Call("/console/designations", {})],
        ("GET", "/console/designations/{designation_id}"): [Call(f"/console/designations/{read}")],
        ("POST", "/console/designations/{designation_id}/step/{step}"): [
            Call(lambda: f"/console/designations/{fresh('served', '/step/listing')()}", {})
        ],
        ("GET", "/console/credit-checks"): [Call("/console/credit-checks")],
        ("POST", "/console/credit-checks"): [
            Call(
                "/console/credit-checks",
                {"uscc": world.org_uscc, "matter": "procurement", "purpose": "采购资格审查"},
            )
        ],
        ("POST", "/console/credit-checks/batch"): [
            Call(
                "/console/credit-checks/batch",
                {"batch_matter": "subsidy", "batch_purpose": "补贴资格审查"},
                files=[("file", ("k.csv", f"uscc\n{world.org_uscc}\n".encode(), "text/csv"))],
            )
        ],
        ("GET", "/measures"): [Call("/measures")],
        ("GET", "/console/measures"): [Call("/console/measures")],
        ("GET", "/console/exchange"): [Call("/console/exchange")],
        ("POST", "/console/exchange"): [Call("/console/exchange", {})],
        ("POST", "/console/exchange/{code}/{action}"): [
            Call("/console/exchange/no-such-receiver/disable", {})
        ],
        ("GET", "/console/exchange/dead-letters"): [Call("/console/exchange/dead-letters")],
        ("POST", "/console/measures"): [
            Call(
                "/console/measures",
                {
                    "uscc": world.org_uscc,
                    "measure": "cq_funding_restriction",
                    "matter": "subsidy",
                    "matter_ref": "渝财补〔2026〕12号",
                    "nature": "逾期未报送",
                    "circumstances": "首次",
                    "impact": "无",
                    "severity": "light",
                    "conditions": ["minor_or_incidental"],
                    "waiver_reasons": "未及时纠正",
                },
            )
        ],
    }


def governance_pages(world: _World) -> dict[Any, list[Call]]:
    """Issue 20: public comment, change proposals (another unit's), government integrity."""
    proposal = walk(world.platform, to="consultation")
    with world.platform.transaction() as tx:
        evaluated = evaluation.run(
            tx, drc(), EvaluationIn(period_start=date(2026, 1, 1), period_end=date(2026, 1, 31))
        ).id
    return {
        ("GET", "/consultations"): [Call("/consultations")],
        ("GET", "/consultations/{proposal_id}"): [Call(f"/consultations/{proposal}")],
        ("POST", "/consultations/{proposal_id}"): [
            Call(f"/consultations/{proposal}", {"group": "public", "body": "意见"})
        ],
        ("GET", "/console/proposals"): [Call("/console/proposals")],
        ("POST", "/console/proposals"): [
            Call(
                "/console/proposals",
                {
                    "kind": "catalog",
                    "action": "remove",
                    "item_code": "charity_donation",
                    "title": "删除",
                    "rationale": "不再需要",
                },
            )
        ],
        ("GET", "/console/proposals/{proposal_id}"): [Call(f"/console/proposals/{proposal}")],
        ("POST", "/console/proposals/{proposal_id}/step/{step}"): [
            Call(f"/console/proposals/{proposal}/step/screen", {})
        ],
        ("GET", "/console/integrity"): [Call("/console/integrity")],
        ("POST", "/console/integrity/{action}"): [
            Call(
                "/console/integrity/evaluate",
                {"period_start": "2026-01-01", "period_end": "2026-01-31"},
            )
        ],
        ("GET", "/console/integrity/evaluations/{evaluation_id}"): [
            Call(f"/console/integrity/evaluations/{evaluated}")
        ],
        ("GET", "/console/integrity/evaluations/{evaluation_id}/export"): [
            Call(f"/console/integrity/evaluations/{evaluated}/export")
        ],
    }


#: Changes that would spoil later calls (a revoked authorization, an ended session): last.
RUN_LAST = (("POST", "/me/authorizations/{authorization_id}/revoke"), ("POST", "/signout"))
#: Person A's own report, asked for here, is the one the report pages then show (issuing one
#: draws a PDF, a second of CPU; see ``list_pages``).
RUN_FIRST = (("POST", "/me/reports"),)
#: Answers that change nothing: the call was refused. A resource made for a call (a callable
#: ``url``) serves the callers after a refusal too, and is made afresh after any other answer
#: (as in tests/test_permission_matrix.py).
REFUSED = frozenset({"→ sign-in", "401", "403", "404"})


def _answer(r: Response) -> str:
    location = r.headers.get("location", "")
    if r.status_code in (302, 303, 307) and location.startswith(("/signin", "/staff/signin")):
        return "→ sign-in"
    if r.status_code in (401, 403, 404) or r.status_code >= 500:
        return str(r.status_code)
    return "ok"


#: A browser's CSRF token, by what it depends on: the session (whose token it is, fixed when
#: the session is made) or, for a visitor without one, the ``pcip_csrf`` cookie.
Tokens = dict[tuple[str | None, str | None, str | None], str]


def _token_key(client: TestClient) -> tuple[str | None, str | None, str | None]:
    cookies = client.cookies
    return (
        cookies.get("pcip_session"),
        cookies.get("pcip_csrf"),
        client.headers.get("authorization"),
    )


def _csrf(client: TestClient, tokens: Tokens) -> str:
    """The caller's own valid CSRF token, read from a form page once per session/cookie."""
    token = tokens.get(_token_key(client))
    if token is None:
        token = csrf_of(client.get("/persons").text)
        tokens[_token_key(client)] = token  # the page may have set the cookie it names
    return token


def _send(b: Browser, app: FastAPI, call: Call, method: str, url: str, tokens: Tokens) -> Response:
    if method == "GET":
        return b.get(url)
    client = b.client
    if call.separate:
        client = TestClient(app, raise_server_exceptions=False)
        client.cookies.update(dict(b.client.cookies.items()))
        client.headers.update(dict(b.client.headers.items()))
    form = dict((call.form() if callable(call.form) else call.form) or {})
    form["csrf_token"] = _csrf(client, tokens)
    return client.post(url, data=form, files=call.files, follow_redirects=False)


def test_issue23_every_web_route_is_in_the_permission_table(platform: Platform) -> None:
    served = web_routes(create_app(platform))
    assert served == set(WEB), (
        f"missing from the table: {sorted(served - set(WEB))}; "
        f"in the table, not served: {sorted(set(WEB) - served)}"
    )


def test_art22_art27_art39_every_web_route_as_every_caller_answers_as_the_table_says(
    platform: Platform, api_world_data: WorldData
) -> None:
    failures: list[str] = []
    with clock.frozen(NOW):
        setup = _setup(platform, api_world_data)
        world = setup.world
        app = create_app(platform)
        browsers = _browsers(world, app)
        calls = requests_for(setup, app, browsers)
        assert set(calls) == set(WEB), "requests_for and the table name different routes"
        pinned = RUN_FIRST + RUN_LAST
        order = list(RUN_FIRST) + [r for r in sorted(WEB) if r not in pinned] + list(RUN_LAST)
        tokens: Tokens = {}
        for route in order:
            method = route[0]
            for call in calls[route]:
                url: str | None = None
                for caller in CALLERS:
                    want = web_answer(WEB[route], caller, method)
                    if url is None:  # a fresh resource, unless the last caller was refused
                        url = call.url() if callable(call.url) else call.url
                    sent = url
                    r = _send(browsers[caller], app, call, method, sent, tokens)
                    got = _answer(r)
                    if got not in REFUSED:
                        url = None
                    if want == "422 (not found)" and r.status_code == 422:
                        got = want  # the form again, with the record's "not found" error
                    where = f"{method} {sent}{' (' + call.note + ')' if call.note else ''}"
                    if got != want:
                        failures.append(
                            f"{where} as {caller}: expected {want}, got {r.status_code} "
                            f"{r.headers.get('location', '')} {r.text[:120]!r}"
                        )
                    may_a = caller in {"subject_a", "staff", "operator", "drc"}
                    if SECRET_A in r.text and not may_a:
                        failures.append(f"{where} as {caller}: LEAKS SECRET_A")
                    if SECRET_B in r.text and caller not in {"subject_b", "staff", "operator"}:
                        failures.append(f"{where} as {caller}: LEAKS SECRET_B")
        with platform.transaction() as s:
            assert s.scalar(select(Objection.id).limit(1)) is not None
    assert not failures, f"{len(failures)} web permission failures:\n" + "\n".join(failures)
