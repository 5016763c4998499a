"""Art. 29 public credit reports: free, the same as the inquiry in their mode, signed, and
verifiable by number or by the PDF (Art. 22 inquiry log; Art. 39 "who looked")."""

from __future__ import annotations

import base64
import io
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from pcip.reports import service
from pcip.reports.models import CreditReport
from tests.reports.conftest import Issued
from tests.world import BANK, World

MINE = "/api/v1/me/reports"
AUTHORIZATIONS = "/api/v1/me/authorizations"


def issue_self(world: World, who: str = "subject_a") -> dict[str, Any]:
    r = world.client.post(MINE, headers=world.auth(who), json={})
    assert r.status_code == 201, r.text
    return dict(r.json())


# The tests that only read a self report back read one issued once per backend (``issued``,
# tests/reports/conftest.py), and those that alter it put it back (``_tampered``); those that
# issue another, or change the world, have a world each.


def grant(world: World) -> int:
    r = world.client.post(
        AUTHORIZATIONS,
        headers=world.auth("subject_a"),
        json={
            "grantee_uscc": BANK,
            "purpose": "个人经营贷款审批 (business loan assessment)",
            "channels": ["api"],
            "categories": [2, 6],
            "valid_to": "2027-05-31",
        },
    )
    assert r.status_code == 201, r.text
    return int(r.json()["authorization_id"])


def content(world: World, number: str, who: str = "subject_a") -> dict[str, Any]:
    r = world.client.get(f"/api/v1/reports/{number}", headers=world.auth(who))
    assert r.status_code == 200, r.text
    return dict(r.json()["content"])


def pdf_of(world: World, number: str, who: str = "subject_a") -> bytes:
    r = world.client.get(f"/api/v1/reports/{number}/pdf", headers=world.auth(who))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    return r.content


def verify_number(world: World, number: str) -> dict[str, Any]:
    r = world.client.get(f"/api/v1/reports/verify/{number}")
    assert r.status_code == 200, r.text
    return dict(r.json())


def verify_file(world: World, data: bytes) -> Any:
    return world.client.post(
        "/api/v1/reports/verify", files={"file": ("report.pdf", data, "application/pdf")}
    )


# --- content ----------------------------------------------------------------------------------


def test_art29_self_report_equals_the_self_inquiry(issued: Issued) -> None:
    world, report = issued.world, issued.report
    assert report["fee"] == 0 and report["mode"] == "self"
    doc = content(world, report["number"])
    inquiry = world.client.get("/api/v1/me/records", headers=world.auth("subject_a")).json()
    assert doc["records"] == inquiry["records"]
    assert doc["subject"] == inquiry["subject"]


def test_art29_authorized_report_equals_the_authorized_inquiry(world: World) -> None:
    grant_id = grant(world)
    r = world.client.post(
        f"/api/v1/reports/authorized/{grant_id}", headers=world.auth("grantee"), json={}
    )
    assert r.status_code == 201, r.text
    number = r.json()["number"]
    doc = content(world, number, "grantee")
    inquiry = world.client.post(
        "/api/v1/inquiries/authorized",
        headers=world.auth("grantee"),
        json={"authorization_id": grant_id},
    ).json()
    assert doc["records"] == inquiry["records"] and doc["mode"] == "authorized"
    assert doc["subject"] == inquiry["subject"]
    # The subject reads the report about it too; another subject is told it does not exist.
    assert content(world, number, "subject_a")["number"] == number
    other = world.client.get(f"/api/v1/reports/{number}", headers=world.auth("subject_b"))
    assert other.status_code == 404


def test_art29_sections_in_national_order_with_empty_ones_said(issued: Issued) -> None:
    doc = content(issued.world, issued.report["number"])
    keys = [s["key"] for s in doc["sections"]]
    assert keys == [
        "basic", "summary", "licences", "penalties", "lists", "anomalies", "court",
        "pledges", "honours", "other", "improve",
    ]  # fmt: skip
    by_key = {s["key"]: s for s in doc["sections"]}
    assert by_key["licences"]["empty"] is True
    penalties = [doc["records"][i]["item_code"] for i in by_key["penalties"]["records"]]
    assert penalties == ["admin_penalty"]
    improve = by_key["improve"]["entries"]
    assert improve[0]["kind"] == "objection"
    # Art. 45: the restoration area says, for each restorable negative record, from when
    restoration = [e for e in improve if e["kind"] == "restoration"]
    assert restoration and all(e["available"] for e in restoration)
    penalty = doc["records"][by_key["penalties"]["records"][0]]["record_id"]
    assert {e["record_id"] for e in restoration} <= {penalty, None}
    records = [e for e in improve if e["kind"] == "record"]
    assert records and all(e["provided_until"] for e in records)  # Art. 43 end date


def test_art22_report_request_is_logged_and_shown_in_who_looked(world: World) -> None:
    grant_id = grant(world)
    r = world.client.post(
        f"/api/v1/reports/authorized/{grant_id}", headers=world.auth("grantee"), json={}
    )
    inquiry_id = r.json()["inquiry_id"]
    history = world.client.get("/api/v1/me/inquiries", headers=world.auth("subject_a")).json()
    entry = next(e for e in history["entries"] if e["inquiry_id"] == inquiry_id)
    assert entry["mode"] == "authorized" and entry["authorization_id"] == grant_id


def test_art29_report_pdf_has_cjk_text(issued: Issued) -> None:
    report = issued.report
    data = pdf_of(issued.world, report["number"])
    assert data.startswith(b"%PDF-")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils, make browser) is not installed")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    assert "公共信用信息报告" in text and report["number"] in text
    assert "张三" in text and "报告期内无相关信息" in text


# --- verification -----------------------------------------------------------------------------


def test_art29_verification_accepts_the_report(issued: Issued) -> None:
    world, report = issued.world, issued.report
    assert verify_number(world, report["number"])["genuine"] is True
    r = verify_file(world, pdf_of(world, report["number"]))
    assert r.status_code == 200 and r.json()["genuine"] is True
    assert r.json()["number"] == report["number"]
    key = world.client.get("/api/v1/reports/public-key").json()
    assert key["key_id"] == report["key_id"] and len(base64.b64decode(key["public_key_b64"])) == 32


def test_art29_a_changed_byte_is_not_genuine(issued: Issued) -> None:
    world, report = issued.world, issued.report
    data = bytearray(pdf_of(world, report["number"]))
    data[len(data) // 2] ^= 0x01
    r = verify_file(world, bytes(data))
    assert r.status_code == 200 and r.json()["genuine"] is False
    assert r.json()["code"] == "unknown_file"


def _tamper(world: World, number: str, **values: Any) -> None:
    with world.platform.transaction() as s:
        s.execute(update(CreditReport).where(CreditReport.number == number).values(**values))


@contextmanager
def _tampered(world: World, number: str, **values: Any) -> Iterator[None]:
    """The stored report changed inside the block, and put back as it was after it (the
    report is the one the module's other tests read)."""
    with world.platform.transaction() as s:
        row = s.execute(
            select(*(getattr(CreditReport, k) for k in values)).where(CreditReport.number == number)
        ).one()
    _tamper(world, number, **values)
    try:
        yield
    finally:
        _tamper(world, number, **row._asdict())
    assert verify_number(world, number)["genuine"] is True


def test_art29_a_changed_record_is_not_genuine(issued: Issued) -> None:
    world, report = issued.world, issued.report
    doc = content(world, report["number"])
    doc["records"][0]["fields"] = {**doc["records"][0]["fields"], "penalty_content": "无"}
    with _tampered(world, report["number"], content=doc):
        out = verify_number(world, report["number"])
        assert out["genuine"] is False and out["code"] == "content_altered"


def test_art29_a_forged_signature_is_not_genuine(issued: Issued) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    world, report = issued.world, issued.report
    forged = base64.b64encode(Ed25519PrivateKey.generate().sign(b"anything")).decode()
    with _tampered(world, report["number"], signature=forged):
        out = verify_number(world, report["number"])
        assert out["genuine"] is False and out["code"] == "signature_invalid"
        # The file itself is untouched, but its report no longer verifies.
        assert verify_file(world, pdf_of(world, report["number"])).json()["genuine"] is False


def test_art29_unknown_number_and_bad_input_are_named(issued: Issued) -> None:
    world = issued.world
    assert verify_number(world, "CR20261126ABCDEFGH")["code"] == "unknown_number"
    r = world.client.get("/api/v1/reports/verify/NOTANUMBER")
    assert r.status_code == 422 and "number" in r.text
    r = verify_file(world, b"hello")
    assert r.status_code == 422 and "not a PDF" in r.text
    r = verify_file(world, b"%PDF-" + b"0" * service.MAX_UPLOAD)
    assert r.status_code == 422 and "largest accepted" in r.text


def test_art29_report_is_free_with_no_payment_step(issued: Issued) -> None:
    routes = [getattr(r, "path", "") for r in issued.world.client.app.routes]  # type: ignore[attr-defined]
    assert not [p for p in routes if "pay" in p.lower()]
    assert issued.report["fee"] == 0


def test_art29_pdf_export_reads_back_as_png(issued: Issued, tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    data = pdf_of(issued.world, issued.report["number"])
    (tmp_path / "r.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(tmp_path / "r.pdf"), str(tmp_path / "p")],
                   check=True)  # fmt: skip
    pages = sorted(tmp_path.glob("p*.png"))
    assert pages and io.BytesIO(pages[0].read_bytes()).read(8) == b"\x89PNG\r\n\x1a\n"


def test_art29_report_in_english_on_request(world: World) -> None:
    r = world.client.post(MINE, headers=world.auth("subject_a"), json={"lang": "en"})
    assert r.status_code == 201, r.text
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils, make browser) is not installed")
    data = pdf_of(world, r.json()["number"])
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    assert "Public Credit Information Report" in text and "Administrative penalties" in text


def test_art29_sections_file_is_checked() -> None:
    import yaml

    from pcip.errors import ValidationError
    from pcip.reports import sections

    data = yaml.safe_load(sections.SECTIONS_FILE.read_text(encoding="utf-8"))
    data["sections"][3]["items"] = ["admin_licence"]  # already in "licences"
    with pytest.raises(ValidationError) as exc:
        sections.parse(data)
    assert "admin_licence" in str(exc.value)


def test_art29_restoration_section_provider_extension_point(world: World) -> None:
    """A restoration area registers a provider; the report then shows its entries."""
    from pcip.reports import sections

    registered = sections.provider("restoration")
    sections.register_provider(
        "restoration", lambda ctx: [{"kind": "restoration", "text": "可申请信用修复"}]
    )
    try:
        doc = content(world, issue_self(world)["number"])
    finally:
        if registered is not None:
            sections.register_provider("restoration", registered)
    improve = next(s for s in doc["sections"] if s["key"] == "improve")["entries"]
    assert {"kind": "restoration", "text": "可申请信用修复"} in improve
    assert not [e for e in improve if e.get("available") is False]
