"""``pcip account | grantee | dev-idp | purge | hold | alerts`` and the demo accounts (Art. 22,
27-28, D-18): the operator's console door onto the same services as the API."""

from __future__ import annotations

import json
import stat
from datetime import datetime

from typer.testing import CliRunner

from pcip import clock
from pcip.app import create_app
from pcip.config import Settings
from pcip.demo.accounts import create_demo_accounts
from pcip.demo.world import generate_demo
from pcip.inquiry.models import InquiryLog
from pcip.kernel.platform import Platform
from pcip.subjects.models import Subject
from tests.client import TestClient
from tests.helpers import citizen_id, uscc

runner = CliRunner()
NOW = "2026-11-26T10:00:00"


def _run(*args: str, stdin: str | None = None) -> list[dict[str, object]]:
    from pcip.cli import app

    with clock.frozen(NOW):
        result = runner.invoke(app, list(args), input=stdin)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def test_art27_account_add_reads_the_password_from_stdin_and_can_sign_in(
    cli_env: Settings, platform: Platform
) -> None:
    [made] = _run(
        "account",
        "add",
        "op1",
        "--role",
        "operator",
        "--password-stdin",
        stdin="a long enough password\n",
    )
    assert made["role"] == "operator"
    client = TestClient(create_app(platform))
    with clock.frozen(NOW):
        ok = client.post(
            "/api/v1/auth/login", json={"username": "op1", "password": "a long enough password"}
        )
        assert ok.status_code == 200
        _run("account", "disable", "op1")
        # Disabling ends the session at once.
        who = client.get(
            "/api/v1/auth/me", headers={"Authorization": f"Bearer {ok.json()['token']}"}
        )
    assert who.status_code == 401


def test_art22_grantee_add_and_key_create(cli_env: Settings) -> None:
    code = uscc(77)
    [g] = _run("grantee", "add", code, "重庆某银行股份有限公司")
    [again] = _run("grantee", "add", code, "重庆某银行股份有限公司")
    assert g["grantee_id"] == again["grantee_id"]  # idempotent
    [key] = _run("grantee", "key", "create", code)
    assert str(key["token"]).startswith("pcip_gk_")
    [revoked] = _run("grantee", "key", "revoke", str(key["key_id"]))
    assert revoked["revoked_at"] is not None


def test_art22_dev_idp_assertion_signs_a_subject_in(cli_env: Settings, platform: Platform) -> None:
    [out] = _run("dev-idp", "assert", citizen_id(5), "--name", "赵六")
    assert "DEVELOPMENT" in str(out["warning"]).upper()
    with clock.frozen(NOW):
        r = TestClient(create_app(platform)).post(
            "/api/v1/auth/subject", json={"assertion": out["assertion"]}
        )
    assert r.status_code == 200, r.text
    assert r.json()["development_identity_provider"] is True


def test_d18_purge_and_holds_from_the_console(cli_env: Settings, platform: Platform) -> None:
    from pcip.subjects import service as subjects

    with platform.transaction() as s:
        key = subjects.organisation_by_uscc(uscc(3))
        subject = subjects.ensure(s, platform.keyring, key, "重庆某公司", "test").subject
        for day in ("2023-11-25", "2023-11-26"):
            s.add(
                InquiryLog(
                    at=datetime.fromisoformat(day + "T10:00:00+08:00"),
                    mode="public_disclosure",
                    channel="web",
                    inquirer="public:anonymous",
                    inquirer_display="public",
                    subject_id=subject.id,
                    returned=[],
                    returned_count=0,
                )
            )
        subject_id = subject.id
    [dry] = _run("purge", "--dry-run")
    assert (dry["purged"], dry["dry_run"]) == (1, True)
    [hold] = _run("hold", "place", "--subject", str(subject_id), "--reason", "(2026)渝01行初1号")
    [kept] = _run("purge")
    assert (kept["purged"], kept["kept_under_hold"]) == (0, 1)
    _run("hold", "release", str(hold["hold_id"]))
    [done] = _run("purge")
    assert done["purged"] == 1
    assert len(_run("hold", "list")) == 1


def test_art22_make_run_demo_has_an_account_for_every_role(platform: Platform) -> None:
    with clock.frozen(NOW):
        generate_demo(platform, subjects=40, records=120, seed=7)
        path = create_demo_accounts(platform, "http://127.0.0.1:8000")
    text = path.read_text("utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for needle in ("operator /", "drc /", "amr-staff /", "pcip_pk_", "pcip_gk_", "dev-idp assert"):
        assert needle in text
    client = TestClient(create_app(platform))
    with clock.frozen(NOW):
        for line in text.splitlines():
            if " / " in line and ":" in line:
                user, password = line.rsplit(":", 1)[1].strip().split(" / ")
                r = client.post("/api/v1/auth/login", json={"username": user, "password": password})
                assert r.status_code == 200, (user, r.text)
    with platform.transaction() as s:
        assert s.query(Subject).count() > 0
