"""Issue #23: the drills of ``make drill`` (bench/drills) import, parse their options and find
what they rely on. The drills themselves run on PostgreSQL for minutes: not part of the suite;
the commands they drive are tested in tests/audit, tests/test_keys.py and tests/test_backup.py.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from bench.drills import run

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["common", "crash", "backup", "rotation", "run"])
def test_issue23_each_drill_module_imports_and_says_what_it_drills(name: str) -> None:
    module = importlib.import_module(f"bench.drills.{name}")
    assert module.__doc__ and len(module.__doc__) > 80
    if name in ("crash", "backup", "rotation"):
        assert callable(module.main)


def test_issue23_the_drill_runner_parses_its_options() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.drills.run", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--only" in done.stdout and "--rows" in done.stdout
    with pytest.raises(SystemExit):
        run.main(["--only", "nonsense"])


def test_issue23_make_drill_runs_the_drills() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "drill: install" in makefile and "bench.drills.run" in makefile


def test_issue23_crash_drill_reads_the_read_position_of_a_file(tmp_path: Path) -> None:
    """The crash drill kills an ingest half-way through its file, by its read position."""
    from bench.drills.crash import _read_position

    path = tmp_path / "data.bin"
    path.write_bytes(b"x" * 10_000)
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import sys,time; f=open({str(path)!r},'rb'); f.read(4096); "
            "print('ready', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "ready"
        assert _read_position(reader.pid, path) == 4096
    finally:
        reader.kill()
        reader.wait()
