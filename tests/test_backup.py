"""Issue #23 point 8 (Art. 27): backup and restore of the database, the files and the keys as
one procedure; a restore answers inquiries as the original did; keys that do not match are
refused before anything is written; evidence missing from the files directory is a clear 503.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.engine import make_url

from pcip import clock
from pcip.app import create_app
from pcip.config import Settings
from pcip.db import make_engine
from pcip.errors import ConfigError
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.audit.models import AuditEvent
from pcip.kernel.platform import Platform
from pcip.ops.backup import backup, restore
from pcip.ops.rotation import rotate
from pcip.records.models import CreditRecord
from tests.client import TestClient
from tests.conftest import PG_URL
from tests.helpers import pg_admin
from tests.web.support import Browser
from tests.world import NOW, World, WorldData, reopen

PDF = ("decision.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n", "application/pdf")
CLI = Actor.system("test")
#: Fields that differ between two identical inquiries (each is logged with its own id).
VOLATILE = {"inquiry_id", "id", "at", "inquired_at"}


@pytest.fixture
def world(platform: Platform, api_world_data: WorldData) -> Iterator[World]:
    with clock.frozen(NOW):
        yield reopen(platform, api_world_data)


@pytest.fixture
def fresh(backend: str, tmp_path: Path) -> Iterator[Settings]:
    """An empty database and an empty PCIP_HOME on this test's backend (the restore target)."""
    home = tmp_path / "restored-home"
    if backend == "sqlite":
        yield Settings(database_url=f"sqlite:///{tmp_path / 'restored.sqlite3'}", home=home)
        return
    name = f"{make_url(PG_URL).database}_restored_{uuid.uuid4().hex[:12]}"
    with pg_admin(PG_URL) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        yield Settings(database_url=url, home=home)
    finally:
        with pg_admin(PG_URL) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _file_objection(world: World) -> str:
    """Person A objects to a penalty with a PDF as evidence; returns the evidence's URL."""
    with world.platform.transaction() as s:
        record = s.scalars(
            select(CreditRecord.id).where(CreditRecord.subject_id == world.subject_ids["subject_a"])
        ).first()
    r = world.client.post(
        "/api/v1/me/objections",
        data={"record_ids": [str(record)], "ground": "error", "statement": "罚款金额有误"},
        files=[("evidence", PDF)],
        headers=world.auth("subject_a"),
    )
    assert r.status_code == 201, r.text
    return str(r.json()["evidence"][0]["url"])


def _stable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


def _answers(client: TestClient, world: World) -> dict[str, Any]:
    """The same inquiries, through the API, by the public, a subject and a third party."""
    got = {
        "public_org": client.get(f"/api/v1/public/organisations/{world.org_uscc}"),
        "public_person": client.post("/api/v1/public/persons", json={"citizen_id": world.person_a}),
        "search": client.get("/api/v1/public/organisations", params={"q": world.org_name[2:6]}),
        "own": client.get("/api/v1/me/records", headers=world.auth("subject_a")),
        "objections": client.get("/api/v1/me/objections", headers=world.auth("subject_a")),
    }
    for name, r in got.items():
        assert r.status_code == 200, (name, r.text)
    return {name: _stable(r.json()) for name, r in got.items()}


def test_issue23_restore_answers_inquiries_as_the_original(
    world: World, settings: Settings, fresh: Settings, tmp_path: Path
) -> None:
    with clock.frozen(NOW):
        url = _file_objection(world)
        before = _answers(world.client, world)
        evidence = world.client.get(url, headers=world.auth("subject_a")).content
        report = backup(settings, tmp_path / "backup", actor=CLI)
        made = report.as_dict()
        assert made["files"] == 1 and made["checkpoints"] >= 1
        manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
        assert manifest["keys"]["generation"] == "k1 i1"
        assert (tmp_path / "backup" / "keys" / "keyring.json").exists()

        restored = restore(fresh, tmp_path / "backup", actor=CLI).as_dict()
        assert restored["audit_verified"] is True and restored["files"] == 1
        platform = Platform.open(fresh)
        try:
            client = TestClient(create_app(platform))
            assert _answers(client, world) == before
            got = client.get(url, headers=world.auth("subject_a"))
            assert got.status_code == 200 and got.content == evidence == PDF[1]
            with platform.transaction() as s:
                result = audit.verify(s)
                last = s.scalars(select(AuditEvent.action).order_by(AuditEvent.seq.desc())).first()
            assert result.ok and result.checkpoints >= 2, result.problems
            assert last == "platform.restore"
        finally:
            platform.dispose()


def test_issue23_restore_with_keys_from_after_a_rotation_is_refused_before_writing(
    settings: Settings, fresh: Settings, tmp_path: Path
) -> None:
    backup(settings, tmp_path / "backup", actor=CLI)
    rotate(settings, CLI, force=True)  # the source moves on to k2/i2
    with pytest.raises(ConfigError, match=r"writes with keys k2 i2.*under k1 i1"):
        restore(fresh, tmp_path / "backup", keys_src=settings.keys_dir, actor=CLI)
    engine = make_engine(fresh.effective_database_url)
    try:
        assert inspect(engine).get_table_names() == []  # nothing was written
    finally:
        engine.dispose()
    assert not fresh.keys_dir.exists()


def test_issue23_restore_refuses_a_damaged_backup_and_a_used_target(
    settings: Settings, fresh: Settings, tmp_path: Path
) -> None:
    backup(settings, tmp_path / "backup", actor=CLI)
    damaged = tmp_path / "damaged"
    shutil.copytree(tmp_path / "backup", damaged)
    db_file = next(damaged.glob("database.*"))
    db_file.write_bytes(db_file.read_bytes() + b"x")
    with pytest.raises(ConfigError, match="does not match its manifest digest"):
        restore(fresh, damaged, actor=CLI)
    with pytest.raises(ConfigError, match=r"already exists|is not empty"):
        restore(settings, tmp_path / "backup", actor=CLI)  # into the live installation
    with pytest.raises(ConfigError, match="not an empty directory"):
        backup(settings, tmp_path / "backup", actor=CLI)


def test_issue23_evidence_missing_from_the_files_directory_is_a_503_naming_it(
    world: World,
) -> None:
    """A database restored without its files directory: the download names the missing file
    (it was an unexpected error, 500)."""
    with clock.frozen(NOW):
        url = _file_objection(world)
        shutil.rmtree(world.platform.settings.files_dir)
        r = world.client.get(url, headers=world.auth("subject_a"))
        assert r.status_code == 503, r.text
        body = r.json()
        assert body["code"] == "unavailable"
        assert "evidence file decision.pdf (evidence/" in body["message"]
        assert "is missing from the platform's files directory" in body["message"]
        page = Browser(TestClient(create_app(world.platform)))
        page.sign_in_subject("张三", world.person_a)
        case = url.split("/objections/")[1].split("/")[0]
        evidence = url.rsplit("/", 1)[1]
        r = page.get(f"/me/objections/{case}/evidence/{evidence}")
        assert r.status_code == 503
        assert "暂时无法提供" in r.text and "证据文件 decision.pdf" in r.text


def test_issue23_backup_and_restore_commands(
    cli_env: Settings, fresh: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from pcip.cli import app
    from pcip.config import reset_settings

    runner = CliRunner()
    made = runner.invoke(
        app, ["backup", "--to", str(tmp_path / "b"), "--keys-to", str(tmp_path / "k")]
    )
    assert made.exit_code == 0, made.output
    assert json.loads(made.stdout)["keys"] == str(tmp_path / "k")
    assert not (tmp_path / "b" / "keys").exists()
    monkeypatch.setenv("PCIP_DATABASE_URL", fresh.database_url)
    monkeypatch.setenv("PCIP_HOME", str(fresh.home))
    reset_settings()
    back = runner.invoke(
        app, ["restore", "--from", str(tmp_path / "b"), "--keys-from", str(tmp_path / "k")]
    )
    assert back.exit_code == 0, back.output
    out = json.loads(back.stdout)
    assert out["audit_verified"] is True
    assert "audit chain verified" in back.stderr
    verify = runner.invoke(app, ["audit", "verify"])
    assert verify.exit_code == 0 and json.loads(verify.stdout)["ok"] is True
