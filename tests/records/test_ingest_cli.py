"""`pcip ingest`, `pcip batch` and `pcip provider key` as a unit's operator uses them."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pcip.cli import app
from pcip.config import Settings
from pcip.kernel.platform import Platform
from tests.helpers import Ran, run_main
from tests.records.builders import UNIT, penalty_rows, write_csv

runner = CliRunner()


@pytest.fixture
def pcip(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Ran]:
    """``pcip ARGS`` through the console entry point (its exit codes and one-line errors), in
    this process (``tests.helpers.run_main``)."""
    return lambda *args: run_main(monkeypatch, *args, env={"PCIP_NOW": "2026-11-26T10:00:00"})


def test_art20_ingest_json_summary_report_and_exit_codes(
    cli_env: Settings, unit: str, platform: Platform, tmp_path: Path, pcip: Callable[..., Ran]
) -> None:
    rows = penalty_rows(platform, 6)
    rows[3]["CF_XDR_SHXYM"] = ""
    path = write_csv(tmp_path / "p.csv", rows)
    report = tmp_path / "rejected.csv"
    first = pcip(
        "ingest",
        str(path),
        "--item",
        "admin_penalty",
        "--provider",
        UNIT,
        "--json",
        "--report",
        str(report),
    )
    assert first.returncode == 1, first.stderr  # some rows rejected
    summary = json.loads(first.stdout)
    assert set(summary) >= {
        "batch_id",
        "accepted",
        "rejected",
        "unchanged",
        "updated",
        "warnings",
        "errors",
    }
    assert (summary["accepted"], summary["rejected"]) == (5, 1)
    assert summary["errors"] == [
        {
            "line": 5,
            "field": "CF_XDR_SHXYM",
            "code": "subject",
            "message": summary["errors"][0]["message"],
        }
    ]
    with report.open(encoding="utf-8-sig") as fh:
        assert [r["_line"] for r in csv.DictReader(fh)] == ["5"]

    rows[3]["CF_XDR_SHXYM"] = rows[2]["CF_XDR_SHXYM"]
    again = pcip(
        "ingest",
        str(write_csv(tmp_path / "fixed.csv", rows)),
        "--item",
        "admin_penalty",
        "--provider",
        UNIT,
        "--json",
    )
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["accepted"] == 1 and json.loads(again.stdout)["unchanged"] == 5


def test_art20_ingest_human_output_prints_throughput(
    cli_env: Settings, unit: str, platform: Platform, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "p.csv", penalty_rows(platform, 3))
    result = runner.invoke(
        app, ["ingest", str(path), "--item", "admin_penalty", "--provider", UNIT]
    )
    assert result.exit_code == 0, result.output
    assert "3 accepted" in result.output and "rows/s" in result.output


def test_art16_20_ingest_refusals_are_one_line_and_store_nothing(
    cli_env: Settings, unit: str, platform: Platform, tmp_path: Path, pcip: Callable[..., Ran]
) -> None:
    path = write_csv(tmp_path / "p.csv", penalty_rows(platform, 2))
    cases = [
        (["--item", "no_such_item", "--provider", UNIT], "quarantined"),
        (["--item", "tax_arrears", "--provider", UNIT], "not registered"),
        (["--item", "admin_penalty", "--provider", "91500000MA5U7AB12X"], "check character"),
        (["--item", "admin_penalty", "--provider", UNIT, "--format", "pdf"], "format"),
    ]
    for args, fragment in cases:
        r = pcip("ingest", str(path), *args)
        assert r.returncode == 2 and "Traceback" not in r.stderr
        lines = [ln for ln in r.stderr.splitlines() if ln.strip() and "reading" not in ln]
        assert len(lines) == 1 and fragment in lines[0], r.stderr
    missing = pcip(
        "ingest", str(tmp_path / "nope.csv"), "--item", "admin_penalty", "--provider", UNIT
    )
    assert missing.returncode == 2 and "no such file" in missing.stderr
    listed = runner.invoke(app, ["batch", "list"])
    assert "quarantined" in listed.output and "refused" in listed.output


def test_art20_batch_rejected_download(
    cli_env: Settings, unit: str, platform: Platform, tmp_path: Path
) -> None:
    rows = penalty_rows(platform, 2)
    rows[0]["CF_JDRQ"] = "someday"
    result = runner.invoke(
        app,
        [
            "ingest",
            str(write_csv(tmp_path / "p.csv", rows)),
            "--item",
            "admin_penalty",
            "--provider",
            UNIT,
            "--json",
        ],
    )
    batch_id = json.loads(result.output)["batch_id"]
    out = tmp_path / "r.jsonl"
    got = runner.invoke(app, ["batch", "rejected", str(batch_id), "--out", str(out)])
    assert got.exit_code == 0, got.output
    doc = json.loads(out.read_text(encoding="utf-8-sig").splitlines()[0])
    assert doc["_line"] == 2 and doc["CF_JDRQ"] == "someday"


def test_art27_provider_key_create_and_revoke(cli_env: Settings, unit: str) -> None:
    created = runner.invoke(app, ["provider", "key", "create", UNIT, "--label", "nightly"])
    doc = json.loads(created.output)
    assert doc["token"].startswith("pcip_pk_" + doc["key_id"])
    revoked = runner.invoke(app, ["provider", "key", "revoke", doc["key_id"]])
    assert revoked.exit_code == 0 and json.loads(revoked.output)["revoked_at"]
