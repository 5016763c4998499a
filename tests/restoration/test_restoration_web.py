"""Restoration on the web (Art. 45; issue 17 point 5): the company sees on its records page
when restoration becomes possible, applies with a PDF and the pledge (told it is free), the
unit's restoration officer accepts and approves in the console, and the record stops being
publicly disclosed the same moment while the company's own page shows it restored."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest

from pcip import clock
from pcip.kernel.platform import Platform
from tests.objections.builders import public_view
from tests.restoration.matrix import old_record
from tests.web.support import Browser, browser
from tests.world import NOW, PASSWORD, World, WorldData, reopen

PDF = ("receipt.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n", "application/pdf")


@pytest.fixture
def site(platform: Platform, api_world_data: WorldData) -> Iterator[World]:
    # tests.world's world, built once per test process into a template (tests/conftest.py).
    with clock.frozen(NOW):
        yield reopen(platform, api_world_data)


def _org(world: World) -> Browser:
    b = browser(world.platform, "en")
    b.sign_in_subject(world.org_name, world.org_uscc, id_type="uscc")
    return b


def _staff(world: World) -> Browser:
    b = browser(world.platform, "en")
    r = b.post(
        "/staff/signin",
        {"username": "staff", "password": PASSWORD, "next": "/console"},
        form="/staff/signin",
    )
    assert r.status_code == 303, r.text
    return b


def test_art45_apply_accept_approve_through_the_pages(site: World) -> None:
    with clock.frozen(NOW):
        rid = old_record(site.platform, site.org_uscc, site.org_name)
        org = _org(site)
        page = org.get("/me/records").text
        assert "Credit restoration can be requested from" in page  # the recent penalty
        assert f"/me/restorations/new?record={rid}" in page  # the old one: open now
        form = org.get(f"/me/restorations/new?record={rid}").text
        assert "free of charge" in form
        refused = org.post(
            "/me/restorations",
            {"record_id": str(rid), "correction": "罚款已缴清，整改完毕，附凭证。"},
            form="/me/restorations/new",
        )
        assert refused.status_code == 422 and "credit pledge" in refused.text
        r = org.post(
            "/me/restorations",
            {
                "record_id": str(rid),
                "correction": "罚款已缴清，整改完毕，附凭证。",
                "pledge": "yes",
            },
            form="/me/restorations/new",
            files=[("proof", PDF)],
        )
        assert r.status_code == 303, r.text
        case_url = r.headers["location"]
        case_id = int(re.sub(r"\D", "", case_url))
        mine = org.get(case_url).text
        assert "receipt.pdf" in mine and "Received" in mine

        staff = _staff(site)
        queue = staff.get("/console/restoration").text
        assert f'data-restoration="{case_id}"' in queue
        console = f"/console/restoration/{case_id}"
        for step, data in (
            ("officer", {"officer": "王修复"}),
            ("accept", {}),
            ("approve", {"reasons": "已纠正并履行义务"}),
        ):
            r = staff.post(f"{console}/step/{step}", data, form=console)
            assert r.status_code == 303, (step, r.text)
        assert 'data-state="restored"' in staff.get(console).text
        with site.platform.transaction() as s:
            org_id = site.subject_ids["org"]
            assert public_view(s, org_id, rid, clock.today()) is None
        assert "Credit restored" in org.get(case_url).text
        own = org.get("/me/records").text
        assert "credit restored" in own.lower()


def test_art45_the_pledge_page_labels_declarations_self_declared(site: World) -> None:
    with clock.frozen(NOW):
        org = _org(site)
        r = org.post(
            "/me/declarations",
            {"kind": "credential", "title": "ISO 9001 认证", "content": "证书编号 0001"},
            form="/me/pledges",
        )
        assert r.status_code == 303, r.text
        page = org.get("/me/pledges").text
        assert 'data-label="self_declared"' in page and "Self-declared" in page
        assert "ISO 9001" in page
        public = browser(site.platform, "en").get(f"/organisations/{site.org_uscc}").text
        assert 'data-label="self_declared"' in public and "ISO 9001" in public


def test_art26_the_unit_records_a_broken_pledge_in_the_console(site: World) -> None:
    with clock.frozen(NOW):
        org = _org(site)
        r = org.post("/me/pledges", {"matter": "administrative_matter", "concerning": "许可"})
        assert r.status_code == 303, r.text
        # A pledge made online names no unit; one made with a restoration names its unit.
        rid = old_record(site.platform, site.org_uscc, site.org_name)
        r = org.post(
            "/me/restorations",
            {
                "record_id": str(rid),
                "correction": "罚款已缴清，整改完毕，附凭证。",
                "pledge": "yes",
            },
            form="/me/restorations/new",
        )
        assert r.status_code == 303, r.text
        staff = _staff(site)
        page = staff.get("/console/pledges").text
        pid = int(re.search(r'data-pledge="(\d+)"', page).group(1))  # type: ignore[union-attr]
        form = {"outcome": "broken", "finding": "修复后再次违法"}
        refused = staff.post(f"/console/pledges/{pid}/performance", form, form="/console/pledges")
        assert refused.status_code == 422
        form["record_reference"] = "渝市监罚〔2026〕777号"
        r = staff.post(f"/console/pledges/{pid}/performance", form, form="/console/pledges")
        assert r.status_code == 303, r.text
        assert 'data-status="broken"' in staff.get("/console/pledges").text
        assert "渝市监罚〔2026〕777号" in org.get("/me/pledges").text


def test_art45_a_window_application_in_the_console(site: World) -> None:
    with clock.frozen(NOW):
        rid = old_record(site.platform, site.org_uscc, site.org_name)
        staff = _staff(site)
        r = staff.post(
            "/console/restoration",
            {
                "record_id": str(rid),
                "applicant_name": "李四",
                "correction": "罚款已缴清，整改完毕，附凭证。",
                "pledge": "yes",
            },
        )
        assert r.status_code == 303, r.text
        assert date.today() is not None
