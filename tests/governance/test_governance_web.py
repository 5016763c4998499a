"""Change proposals on the web (Art. 17, 35): the console walk by the department and the D&R
department, the public comment on the portal, the published version and its diff."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest

from pcip import clock
from pcip.governance import rules
from pcip.kernel.platform import Platform
from tests.governance.support import CITATION, DRAFTED, new_item
from tests.web.support import Browser, browser
from tests.world import PASSWORD, World, build


@pytest.fixture
def site(platform: Platform) -> Iterator[World]:
    with clock.frozen(DRAFTED):
        yield build(platform)


def signed_in(world: World, user: str, lang: str | None = None) -> Browser:
    b = browser(world.platform, lang)
    r = b.post(
        "/staff/signin",
        {"username": user, "password": PASSWORD, "next": "/console"},
        form="/staff/signin",
    )
    assert r.status_code == 303, r.text
    return b


def _step(b: Browser, pid: int, step: str, **data: str) -> None:
    url = f"/console/proposals/{pid}"
    r = b.post(f"{url}/step/{step}", data, form=url)
    assert r.status_code == 303, (step, r.text[-3000:])


def test_art17_a_catalog_change_walks_from_proposal_through_comment_to_the_published_diff(
    site: World,
) -> None:
    with clock.frozen(DRAFTED):
        dept = signed_in(site, "staff")
        r = dept.post(
            "/console/proposals",
            {
                "kind": "catalog",
                "action": "add",
                "item_code": "cq_green_certification",
                "title": "增补绿色认证信息",
                "rationale": "支持绿色发展",
                "citation": CITATION,
                "justification": "",
                "item": json.dumps(new_item(), ensure_ascii=False),
            },
            form="/console/proposals",
        )
        assert r.status_code == 303, r.text[-2000:]
        pid = int(r.headers["location"].rsplit("/", 1)[1])
        _step(dept, pid, "submit")
        drc = signed_in(site, "drc")
        _step(drc, pid, "screen")
        _step(drc, pid, "open")
        public = browser(site.platform)
        assert f'data-proposal="{pid}"' in public.get("/consultations").text
        url = f"/consultations/{pid}"
        page = public.get(url).text
        assert 'data-change="added"' in page and "绿色认证信息" in page
        r = public.post(
            url, {"group": "public", "author": "市民甲", "body": "建议明确认证机构"}, form=url
        )
        assert r.status_code == 303, r.text[-2000:]
        assert "建议明确认证机构" not in public.get(url).text  # not before moderation
        console = drc.get(f"/console/proposals/{pid}").text
        cid = re.search(r'data-comment="(\d+)"', console)
        assert cid is not None
        _step(drc, pid, "moderate", comment_id=cid.group(1), show="1", reason="")
        _step(drc, pid, "answer", comment_id=cid.group(1), answer="已采纳")
        page = public.get(url).text
        assert "建议明确认证机构" in page and "已采纳" in page
    after = DRAFTED + timedelta(days=rules.rules().comment_days)
    with clock.frozen(after):
        drc = signed_in(site, "drc")
        _step(drc, pid, "close")
        _step(drc, pid, "to_mpg")
        _step(
            drc,
            pid,
            "decide",
            approved="1",
            number="渝府〔2026〕88号",
            issuer="重庆市人民政府",
            decided_on=after.isoformat(),
            note="",
        )
        _step(
            drc,
            pid,
            "publish",
            version="2026.1",
            effective_from=(after + timedelta(days=10)).isoformat(),
        )
        page = browser(site.platform).get(f"/consultations/{pid}").text
        assert 'id="published"' in page and "2026.1" in page and "渝府〔2026〕88号" in page
        assert 'data-change="added"' in page
        en = browser(site.platform, "en").get(f"/consultations/{pid}").text
        assert "Changes against the previous version" in en


def test_art17_a_comment_without_text_is_refused_naming_the_field(site: World) -> None:
    from tests.governance.support import walk

    pid = walk(site.platform, to="consultation")
    with clock.frozen(DRAFTED):
        b = browser(site.platform)
        url = f"/consultations/{pid}"
        r = b.post(url, {"group": "public", "author": "", "body": ""}, form=url)
    assert r.status_code == 422 and "请填写意见" in r.text


def test_art8_the_integrity_console_shows_the_dashboard_to_the_drc_and_operator(
    site: World,
) -> None:
    from tests.integrity.support import register

    register(site.platform)
    with clock.frozen(DRAFTED):
        for user in ("drc", "operator"):
            r = signed_in(site, user).get("/console/integrity")
            assert r.status_code == 200 and 'id="dashboard"' in r.text
        assert signed_in(site, "staff").get("/console/integrity").status_code == 403
        drc = signed_in(site, "drc")
        r = drc.post(
            "/console/integrity/evaluate",
            {"period_start": "2026-01-01", "period_end": "2026-11-01"},
            form="/console/integrity",
        )
        assert r.status_code == 303, r.text[-2000:]
        page = drc.get("/console/integrity").text
        ev = re.search(r"/console/integrity/evaluations/(\d+)", page)
        assert ev is not None
        report = drc.get(f"/console/integrity/evaluations/{ev.group(1)}")
        assert report.status_code == 200 and 'id="report"' in report.text
        csv = drc.get(f"/console/integrity/evaluations/{ev.group(1)}/export")
        assert csv.status_code == 200 and "performance_rate" in csv.text
