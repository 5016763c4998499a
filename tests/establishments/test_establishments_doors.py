"""The CLI and API doors onto establishments (Art. 47-55): the lists staff script, and the API
giving the same answers as the services."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pcip import clock
from pcip.config import Settings
from pcip.establishments import filings, supervision
from pcip.establishments.schemas import CorrectionOrderIn
from pcip.kernel.platform import Platform
from tests.establishments.support import DRC, filing

runner = CliRunner()


def _cli(at: str, *args: str) -> tuple[int, list[dict[str, object]], str]:
    from pcip.cli import app

    with clock.frozen(at):
        result = runner.invoke(app, ["establishments", *args])
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    return result.exit_code, lines, result.output + repr(result.exception)


def test_art55_cli_lists_overdue_correction_orders(platform: Platform, cli_env: Settings) -> None:
    with clock.frozen("2026-11-02T10:00:00"), platform.transaction() as s:
        eid = filings.file(s, DRC, filing(81)).id
        body = CorrectionOrderIn(basis="未备案变更", requirement="办理备案变更")
        oid = supervision.order_correction(s, DRC, eid, body).id
    code, rows, out = _cli("2026-11-23T10:00:00", "orders", "--overdue")
    assert code == 0 and rows == [], out
    code, rows, out = _cli("2026-11-24T10:00:00", "orders", "--overdue")
    assert code == 0, out
    assert [(r["id"], r["status"], r["due"]) for r in rows] == [(oid, "overdue", "2026-11-23")]
    code, rows, out = _cli("2026-11-24T10:00:00", "directory", "--category", "risk_control")
    assert code == 0 and [r["id"] for r in rows] == [eid], out
    assert "data_security" not in rows[0]
    code, rows, out = _cli("2026-11-24T10:00:00", "overdue-steps")
    assert code == 0 and rows == [], out
    code, rows, out = _cli("2026-11-24T10:00:00", "oversight-orders", "--overdue")
    assert code == 0 and rows == [], out
