"""A providing unit, in a real browser: uploads a file with a bad row, watches it being
applied, and downloads the rejected rows with their reasons (Art. 20-23)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import Server, shot
from tests.e2e.test_console_support import staff_sign_in

SAMPLE = Path(__file__).parents[2] / "docs" / "samples" / "admin_penalty.csv"


def _file_with_a_bad_row(folder: Path) -> Path:
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8"))))
    header = rows[0]
    rows[2][header.index("CF_JDRQ")] = "2026-02-30"  # no such day
    path = folder / "渝中处罚决定.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_art23_a_unit_uploads_a_file_with_a_bad_row_and_downloads_the_report(
    page: Any, server: Server, tmp_path: Path
) -> None:
    staff_sign_in(page, "provider")
    page.locator("nav.console-nav").get_by_role("link", name="数据报送").click()
    expect(page.locator("h1")).to_have_text("数据报送")
    page.locator("#item").select_option("admin_penalty")
    page.locator("#file").set_input_files(str(_file_with_a_bad_row(tmp_path)))
    shot(page, "console-batches-01-choose-file")
    page.get_by_role("button", name="上传", exact=True).click()
    page.wait_for_url("**/console/batches/uploads/**")
    # htmx polls the status until the batch is in the ledger, then stops.
    status = page.locator("#upload-status[data-finished='true']")
    expect(status).to_be_visible()
    expect(status).to_contain_text("已记入报送台账")
    expect(status.locator("li.bad")).to_contain_text("1")
    shot(page, "console-batches-02-finished")
    with page.expect_download() as info:
        status.locator("a[data-report]").click()
    download = info.value
    assert download.suggested_filename.endswith("-rejected.csv")
    report = Path(download.path()).read_text(encoding="utf-8-sig")
    lines = report.splitlines()
    assert lines[0].startswith("_line,_errors,CF_XDR_MC")
    assert len(lines) == 2 and lines[1].startswith("3,") and "CF_JDRQ" in lines[1]
    # The ledger lists the batch with its file name and counts.
    page.goto("/console/batches")
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("渝中处罚决定.csv")
    expect(row.locator("td[data-label='退回']")).to_have_text("1")
    row.locator("a").first.click()
    expect(page.locator("table")).to_contain_text("CF_JDRQ")
