"""Revocation and complaints on the web (Art. 44, 46; issue 17.3-17.4): staff register a
court's revocation with the judgment's PDF in the console; a citizen lodges a complaint on the
portal and follows its steps and dates; the operator handles it and records a case."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from pcip import clock
from pcip.kernel.platform import Platform
from tests.web.support import Browser, browser, person_a
from tests.world import NOW, PASSWORD, World, WorldData, reopen

UNIT_NAME = "重庆市市场监督管理局"


@pytest.fixture
def site(platform: Platform, api_world_data: WorldData) -> Iterator[World]:
    # tests.world's world, built once per test process into a template (tests/conftest.py).
    with clock.frozen(NOW):
        yield reopen(platform, api_world_data)


def _staff(world: World, who: str = "staff", lang: str | None = None) -> Browser:
    b = browser(world.platform, lang)
    r = b.post(
        "/staff/signin",
        {"username": who, "password": PASSWORD, "next": "/console"},
        form="/staff/signin",
    )
    assert r.status_code == 303, r.text
    return b


def test_art44_staff_register_a_revocation_with_the_judgments_pdf_in_the_console(
    site: World,
) -> None:
    b = _staff(site)
    page = b.get("/console/revocations")
    assert page.status_code == 200 and "被撤销或变更的认定文书" in page.text
    form = {
        "basis_issuer": UNIT_NAME,
        "basis_number": "渝市监〔2026〕001号",
        "kind": "revoked",
        "document_kind": "judgment",
        "document_number": "（2026）渝0103行初123号",
        "document_issuer": "重庆市渝中区人民法院",
        "document_date": "2026-11-20",
        "reason": "法院判决撤销原行政处罚",
    }
    pdf = ("document", ("judgment.pdf", b"%PDF-1.4 judgment", "application/pdf"))
    missing = b.post("/console/revocations", {**form, "document_number": ""}, files=[pdf])
    assert missing.status_code == 422 and 'id="document_number-error"' in missing.text
    done = b.post("/console/revocations", form, files=[pdf])
    assert done.status_code == 200, done.text
    assert 'id="registered"' in done.text and "judgment.pdf" in done.text
    assert re.search(r'data-change="\d+"', done.text)
    en = _staff(site, lang="en").get("/console/revocations")
    assert (
        "Revoked or changed basis documents" in en.text
        and "Withdrawn: no longer provided" in en.text
    )


def test_art46_a_citizen_lodges_a_complaint_and_follows_it_as_the_operator_handles_it(
    site: World,
) -> None:
    a = person_a(site)
    empty = a.post("/me/complaints", {"category": "use"}, form="/me/complaints")
    assert empty.status_code == 422 and "请填写被投诉的机关或单位" in empty.text
    r = a.post(
        "/me/complaints",
        {"category": "disclosure", "against": UNIT_NAME, "description": "处罚已履行仍在公示"},
    )
    assert r.status_code == 303 and r.headers["location"] == "/me/complaints"
    mine = a.get("/me/complaints")
    [cid] = re.findall(r'data-complaint="(\d+)" data-state="received"', mine.text)
    assert "我的信用信息被如何公开" in mine.text and "答复期限" in mine.text
    assert "Art." not in mine.text.split("<main", 1)[-1]  # no article shorthand for citizens
    op = _staff(site, "operator")
    queue = op.get("/console/complaints")
    assert queue.status_code == 200 and f'data-complaint="{cid}"' in queue.text
    step = op.post(
        f"/console/complaints/{cid}/step",
        {"step": "accepted", "note": "已受理，正在核查"},
        form="/console/complaints",
    )
    assert step.status_code == 303
    assert f'data-complaint="{cid}" data-state="accepted"' in a.get("/me/complaints").text
    case = op.post(
        "/console/complaints/cases",
        {
            "kind": "litigation",
            "subject_id": str(site.subject_ids["subject_a"]),
            "case_number": "（2026）渝0103行初300号",
            "body": "重庆市渝中区人民法院",
            "act": "行政处罚决定",
            "filed_on": "2026-11-25",
            "complaint_id": cid,
        },
        form="/console/complaints",
    )
    assert case.status_code == 303, case.text
    cases = op.get("/console/complaints")
    assert 'data-state="pending"' in cases.text and "审理中" in cases.text
