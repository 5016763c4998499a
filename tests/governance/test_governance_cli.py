"""The CLI of change proposals (Art. 17, 35) and government integrity (Art. 10)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pcip import clock
from pcip.config import Settings
from pcip.kernel.platform import Platform
from tests.governance.support import walk
from tests.integrity.support import register

runner = CliRunner()


def _run(*args: str) -> tuple[int, list[dict[str, object]], str]:
    from pcip.cli import app

    with clock.frozen("2026-12-20T10:00:00"):
        result = runner.invoke(app, list(args))
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    return result.exit_code, lines, result.output + repr(result.exception)


def test_art17_cli_lists_and_shows_a_published_proposal_with_its_diff(
    cli_env: Settings, platform: Platform
) -> None:
    pid = walk(platform)
    code, rows, out = _run("proposals", "list")
    assert code == 0, out
    assert rows[0]["id"] == pid and rows[0]["state"] == "published"
    code, [shown], out = _run("proposals", "show", str(pid))
    assert code == 0, out
    assert shown["published_version"] == "2026.1"
    assert [c["change"] for c in shown["diff"]] == ["added"]  # type: ignore[union-attr]
    assert len(shown["history"]) == 8  # type: ignore[arg-type]


def test_art10_cli_runs_an_evaluation_and_writes_the_export(
    cli_env: Settings, platform: Platform, tmp_path: Path
) -> None:
    register(platform)
    out_file = tmp_path / "eval.csv"
    code, [summary], out = _run(
        "integrity",
        "evaluate",
        "--from",
        "2026-01-01",
        "--to",
        "2026-11-30",
        "--out",
        str(out_file),
    )
    assert code == 0, out
    assert summary["regions"] == 1
    assert "performance_rate" in out_file.read_text(encoding="utf-8-sig")
    code, board, out = _run("integrity", "dashboard")
    assert code == 0 and board[0]["commitments"] == 1, out
