"""The restoration CLI (Art. 26, 45): the standard pledge texts, the queue and the overdue check."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pcip import clock
from pcip.config import Settings

runner = CliRunner()


def _run(*args: str) -> tuple[int, list[dict[str, object]], str]:
    from pcip.cli import app

    with clock.frozen("2026-11-26T10:00:00"):
        result = runner.invoke(app, ["restoration", *args])
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    return result.exit_code, lines, result.output + repr(result.exception)


def test_art45_cli_texts_queue_and_overdue_check(cli_env: Settings) -> None:
    code, texts, out = _run("texts")
    assert code == 0, out
    assert {t["matter"] for t in texts} == {
        "restoration",
        "self_declaration",
        "administrative_matter",
    }
    code, rows, out = _run("queue", "--open")
    assert code == 0 and rows == [], out
    code, [checked], out = _run("overdue-check")
    assert code == 0 and checked == {"raised": 0}, out
