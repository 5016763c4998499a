"""``pcip objections queue | overdue-check | show | archive | notice``: the operator's console
door onto the objection services (Art. 40-42; D-2)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pcip import clock
from pcip.config import Settings
from tests.objections.builders import World
from tests.objections.cases import case_in

runner = CliRunner()


def _run(at: str, *args: str) -> tuple[int, list[dict[str, object]], str]:
    from pcip.cli import app

    with clock.frozen(at):
        result = runner.invoke(app, ["objections", *args])
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    # Errors reach the shell through ``pcip.cli.main``; here they are the raised exception.
    return result.exit_code, lines, result.output + repr(result.exception)


def test_d2_queue_and_overdue_check_report_a_late_label_once(
    cli_env: Settings, world: World
) -> None:
    with clock.frozen("2024-09-27T10:00:00"):  # Fri, docs/facts.md#working-days worked example
        oid = case_in(world.platform, world.person, [world.person_recent], "received")
    code, rows, out = _run("2024-10-08T10:00:00", "queue")
    assert code == 0, out
    assert rows[0]["id"] == oid and rows[0]["overdue"] is True
    # Sun 2024-09-29 was a make-up working day (National Day arrangement).
    assert rows[0]["next_due"]["name"] == "label" and rows[0]["next_due"]["due"] == "2024-09-29"
    code, reported, out = _run("2024-10-08T10:00:00", "overdue-check")
    assert code == 0, out
    assert {r["name"] for r in reported} >= {"label", "transfer"}
    assert all(r["objection_id"] == oid for r in reported)
    assert _run("2024-10-08T10:00:00", "overdue-check")[1] == []  # once


def test_art41_para3_show_archive_and_save_a_notice(
    cli_env: Settings, world: World, tmp_path: Path
) -> None:
    with clock.frozen("2024-09-27T10:00:00"):
        oid = case_in(world.platform, world.person, [world.person_recent], "notified")
    code, [case], out = _run("2024-09-30T10:00:00", "show", str(oid))
    assert code == 0, out
    assert case["state"] == "notified" and case["notices"][0]["kind"] == "outcome"
    assert "close" in case["actions"]
    code, found, _ = _run("2024-09-30T10:00:00", "archive", "--state", "notified")
    assert [f["id"] for f in found] == [oid]
    code, found, _ = _run("2024-09-30T10:00:00", "archive", "--from", "2024-09-28")
    assert found == []
    code, _, out = _run("2024-09-30T10:00:00", "archive", "--state", "lost")
    assert code != 0 and "'lost' is not one of" in out
    target = tmp_path / "notice.html"
    notice_id = str(case["notices"][0]["id"])  # type: ignore[index]
    code, [_written], out = _run(
        "2024-09-30T10:00:00", "notice", str(oid), notice_id, "--out", str(target)
    )
    assert code == 0, out
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "异议处理结果告知书" in html
    assert "Written notice of the outcome" not in html  # issue 19.2: one language
    code, _, out = _run(
        "2024-09-30T10:00:00", "notice", str(oid), notice_id, "--out", str(target), "--lang", "en"
    )
    assert code == 0, out
    html = target.read_text(encoding="utf-8")
    assert "Written notice of the outcome" in html and "异议处理结果告知书" not in html
    code, _, out = _run("2024-09-30T10:00:00", "show", "999999")
    assert code != 0 and "no objection 999999" in out
