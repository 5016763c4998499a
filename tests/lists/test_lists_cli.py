"""The lists CLI (Art. 32, 44): the operator imports a court's list and runs the expiry sweep."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pcip import clock
from pcip.config import Settings
from tests.helpers import uscc

runner = CliRunner()


def _run(at: str, *args: str) -> tuple[int, list[dict[str, object]], str]:
    from pcip.cli import app

    with clock.frozen(at):
        result = runner.invoke(app, ["lists", *args])
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    return result.exit_code, lines, result.output + repr(result.exception)


def test_art32_art44_cli_imports_a_court_list_once_and_expires_it(
    cli_env: Settings, tmp_path: Path
) -> None:
    code, types, out = _run("2026-11-26T10:00:00", "types")
    assert code == 0, out
    assert "court_defaulter" in {t["code"] for t in types}
    file = tmp_path / "court.csv"
    file.write_text(
        "name,uscc,case_ref,deciding_authority,decided_on,listed_until\n"
        f"重庆欠债不还有限公司,{uscc(88)},（2024）渝0103执7号,重庆市渝中区人民法院,"
        "2024-10-01,2026-10-01\n"
        f"重庆另一欠债有限公司,{uscc(89)},（2026）渝0103执8号,重庆市渝中区人民法院,2026-10-01,\n",
        encoding="gb18030",
    )
    code, [summary], out = _run("2026-11-26T10:00:00", "import", "court_defaulter", str(file))
    assert code == 0, out
    assert summary["accepted"] == 2 and summary["already_imported"] is False
    code, [again], _ = _run("2026-11-26T10:00:00", "import", "court_defaulter", str(file))
    assert again["already_imported"] is True
    code, rows, _ = _run("2026-11-26T10:00:00", "entries", "court_defaulter")
    assert rows[0]["total"] == 1  # the first one's period ended on 2026-10-01 (derived)
    code, [swept], _ = _run("2026-11-26T10:00:00", "expire")
    assert swept == {"expired": 1}
    code, [swept], _ = _run("2026-11-26T10:00:00", "expire")
    assert swept == {"expired": 0}
