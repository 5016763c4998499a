"""A credit report in a real browser (Art. 29): the subject gets the free report, downloads
the PDF, whose pages turn into images and whose Chinese text reads back, then checks it on
the public verification page by upload and by number; a changed byte is not genuine."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Server, sign_in


def test_art29_subject_downloads_the_pdf_and_verifies_it_on_the_page(
    page: Any, server: Server, tmp_path: Path
) -> None:
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (make browser) is not installed")
    sign_in(page, "张三", server.person_a)
    page.goto("/me/reports")
    page.get_by_role("button", name="立即获取我的报告").click()
    expect(page.get_by_role("status")).to_have_text("您的信用报告已出具。")
    row = page.locator("#reports tbody tr").first
    number = row.locator("td").first.inner_text().strip()
    with page.expect_download() as info:
        row.get_by_role("link", name="PDF").click()
    pdf = tmp_path / f"{number}.pdf"
    info.value.save_as(pdf)

    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages and pages[0].read_bytes()[:4] == b"\x89PNG"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode()
    for words in ("公共信用信息报告", "张三", "行政处罚信息", "报告期内无相关信息", number):
        assert words in text, words

    page.goto("/verify")
    page.locator("input[type=file][name=file]").set_input_files(str(pdf))
    page.get_by_role("button", name="核验文件").click()
    result = page.locator("#verify-result")
    expect(result).to_have_attribute("data-genuine", "true")
    expect(page.locator("#verify-number")).to_have_text(number)

    page.goto(f"/verify?number={number}")  # the QR code's link
    expect(page.locator("#verify-result")).to_have_attribute("data-genuine", "true")

    changed = bytearray(pdf.read_bytes())
    changed[len(changed) // 3] ^= 0x20
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(bytes(changed))
    page.goto("/verify")
    page.locator("input[type=file][name=file]").set_input_files(str(altered))
    page.get_by_role("button", name="核验文件").click()
    expect(page.locator("#verify-result")).to_have_attribute("data-genuine", "false")
