"""A catalog change in real browsers (Art. 17-18; issue 20): a city department drafts and
submits a proposal in the console; the development and reform department screens it and opens
it for public comment; a member of the public comments on the portal; the department moderates
and answers it, and the comment shows with its answer; once the comment period is over (the
server's clock is fixed, so the steps that need the period to have run are taken in-process
with the clock moved on) the municipal government's approval is recorded and the version
published; the portal shows the published version and its diff.
Screenshots (``make screenshots``): ``test-output/screenshots/governance-walk-NN-*.png``."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from playwright.sync_api import expect

from pcip import clock
from pcip.auth.permissions import Principal
from pcip.governance import rules, service
from pcip.governance.schemas import DecisionIn, PublishIn
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind
from tests.e2e.conftest import Server, shot
from tests.e2e.test_console_support import server_platform, staff_sign_in
from tests.governance.support import CITATION, new_item
from tests.world import NOW


def _shot(page: Any, name: str) -> None:
    shot(page, f"governance-walk-{name}")


def _step(page: Any, step: str) -> None:
    page.locator(f"#step-{step} button[type=submit]").first.click()
    page.wait_for_load_state()


def test_art17_a_catalog_change_from_proposal_through_comment_to_the_published_diff(
    fresh_page: Callable[[], Any], server: Server
) -> None:
    dept = fresh_page()
    staff_sign_in(dept, "provider")
    dept.goto("/console/proposals")
    dept.locator("#kind").select_option("catalog")
    dept.locator("#action").select_option("add")
    dept.locator("#item_code").fill("cq_green_certification")
    dept.locator("#title").fill("增补绿色认证信息")
    dept.locator("#rationale").fill("支持绿色发展领域信用监管")
    dept.locator("#citation").fill(CITATION)
    dept.locator("#item").fill(json.dumps(new_item(), ensure_ascii=False, indent=1))
    dept.locator("#new-proposal button[type=submit]").click()
    dept.wait_for_url(re.compile(r".*/console/proposals/\d+$"))
    pid = int(dept.url.rsplit("/", 1)[1])
    _step(dept, "submit")
    expect(dept.locator("#state")).to_have_attribute("data-state", "submitted")
    _shot(dept, "01-submitted")

    drc = fresh_page()
    staff_sign_in(drc, "drc")
    drc.goto(f"/console/proposals/{pid}")
    _step(drc, "screen")
    expect(drc.locator("#state")).to_have_attribute("data-state", "screened")
    _step(drc, "open")
    expect(drc.locator("#state")).to_have_attribute("data-state", "consultation")

    public = fresh_page()
    public.goto("/consultations")
    public.locator(f"[data-proposal='{pid}'] a").click()
    expect(public.locator("#diff [data-change='added']")).to_contain_text("绿色认证信息")
    public.locator("#group").select_option("market_entities")
    public.locator("#author").fill("重庆某环保科技有限公司")
    public.locator("#body").fill("建议明确认证机构的范围")
    public.locator("#comment-form button[type=submit]").click()
    public.wait_for_load_state()
    expect(public.locator("body")).not_to_contain_text("建议明确认证机构的范围")
    _shot(public, "02-comment-sent")

    drc.goto(f"/console/proposals/{pid}")
    comment = drc.locator("[data-comment]").first
    comment.locator("button[name=show][value='1']").click()
    drc.wait_for_load_state()
    drc.locator("[data-comment] textarea[name=answer]").fill("已采纳：限于依法设立的认证机构")
    drc.locator("[data-comment] form[action$='/step/answer'] button[type=submit]").click()
    drc.wait_for_load_state()
    public.reload()
    expect(public.locator("[data-comment]").first).to_contain_text("已采纳")
    _shot(public, "03-comment-answered")

    # The period runs 30 days from the server's day: the steps after it, with the clock moved.
    after = date.fromisoformat(NOW[:10]) + timedelta(days=rules.rules().comment_days)
    d = Principal(ActorKind.DRC, Actor(ActorKind.DRC, "drc", "drc"), via="internal")
    with server_platform(server) as platform, clock.frozen(after), platform.transaction() as s:
        service.close_consultation(s, d, pid)
        service.submit_to_mpg(s, d, pid)
        service.record_decision(
            s,
            d,
            pid,
            DecisionIn(
                approved=True, number="渝府〔2026〕88号", issuer="重庆市人民政府", decided_on=after
            ),
        )
        service.publish(
            s, d, pid, PublishIn(version="2026.9", effective_from=after + timedelta(days=10))
        )

    public.reload()
    expect(public.locator("#state")).to_have_attribute("data-state", "published")
    expect(public.locator("#published")).to_contain_text("2026.9")
    expect(public.locator("#published")).to_contain_text("渝府〔2026〕88号")
    expect(public.locator("#diff [data-change='added']")).to_have_count(1)
    _shot(public, "04-published")
    drc.goto(f"/console/proposals/{pid}")
    expect(drc.locator("#history li")).to_have_count(8)
