"""The restoration walk in real browsers (Art. 45; issue 17): the company sees on its records
page when restoration becomes possible, applies with a PDF and the credit pledge (told it is
free), the unit's restoration officer accepts and approves in the console, and the record
stops appearing in public disclosure the same moment while the company's own page shows it
restored. Screenshots (``make screenshots``):
``test-output/screenshots/restoration-walk-NN-*.png``."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from sqlalchemy import select

from pcip import clock
from pcip.records.models import BasisDocument, RecordVersion
from tests.e2e.conftest import Server, shot, sign_in
from tests.e2e.test_console_support import server_platform, staff_sign_in
from tests.restoration.matrix import old_record
from tests.world import NOW

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _shot(page: Any, name: str) -> None:
    shot(page, f"restoration-walk-{name}")


def test_art45_restoration_walk_in_browsers(
    page: Any, fresh_page: Callable[[], Any], server: Server, tmp_path: Path
) -> None:
    # A general penalty decided on 2026-06-01: public until 2027-06-01, restorable from
    # 2026-09-01 (minimum 3 months), so on the server's day (2026-11-26) both hold.
    with clock.frozen(NOW), server_platform(server) as platform:
        rid = old_record(platform, server.org_uscc, server.org_name, decided="2026-06-01")
        with platform.transaction() as s:
            number = s.scalar(
                select(BasisDocument.number)
                .join(RecordVersion, RecordVersion.basis_id == BasisDocument.id)
                .where(RecordVersion.record_id == rid)
            )
    assert number
    public = fresh_page()
    public.goto(f"/organisations/{server.org_uscc}")
    expect(public.locator("article", has_text=number)).to_be_visible()  # its basis, on its card

    company = fresh_page()
    sign_in(company, server.org_name, server.org_uscc, "uscc")
    company.goto("/me/records")
    opens = company.locator("[data-restoration-opens]")
    dates = [opens.nth(i).get_attribute("data-restoration-opens") for i in range(opens.count())]
    assert any(d and d > NOW[:10] for d in dates), dates  # the recent penalty: a date ahead
    expect(company.locator(f"a[href='/me/restorations/new?record={rid}']")).to_be_visible()
    _shot(company, "01-records-say-when")
    company.locator(f"a[href='/me/restorations/new?record={rid}']").click()
    expect(company.locator("#free")).to_be_visible()
    expect(company.locator(f"input[name=record_id][value='{rid}']")).to_be_checked()
    company.locator("#correction").fill("罚款已于2026年6月缴清，违法行为已整改完毕，附缴款凭证。")
    proof = tmp_path / "缴款凭证.pdf"
    proof.write_bytes(PDF)
    company.locator("#proof").set_input_files(str(proof))
    company.locator("input[name=pledge][value=yes]").check()
    _shot(company, "02-application")
    company.locator("form[action='/me/restorations'] button[type=submit]").click()
    company.wait_for_url(re.compile(r".*/me/restorations/\d+$"))
    case_id = company.url.rsplit("/", 1)[1]
    expect(company.locator("#state")).to_have_attribute("data-state", "submitted")
    expect(company.get_by_text("缴款凭证.pdf")).to_be_visible()

    staff_sign_in(page, "provider")
    page.goto("/console/restoration")
    expect(page.locator(f"[data-restoration='{case_id}']")).to_be_visible()
    page.goto(f"/console/restoration/{case_id}")
    page.locator("[data-step='officer'] #officer").fill("王修复")
    page.locator("[data-step='officer'] button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("[data-step='accept'] button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("[data-step='approve'] #reasons").fill("已纠正失信行为并履行义务，符合修复条件")
    page.locator("[data-step='approve'] button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#state")).to_have_attribute("data-state", "restored")
    _shot(page, "03-approved")

    public.reload()
    expect(public.get_by_text(number, exact=True)).to_have_count(0)
    _shot(public, "04-public-no-longer")
    company.goto(f"/me/restorations/{case_id}")
    expect(company.locator("#state")).to_have_attribute("data-state", "restored")
    company.goto("/me/records")
    record = company.locator(f"[data-record='{rid}']")
    expect(record).to_contain_text("信用已修复")
    _shot(company, "05-own-view-restored")
