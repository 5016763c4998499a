"""Art. 40-41: the objection time limits are data with their citations (objections/data/
deadlines.yaml), checked on load; they are the limits the Regulations set (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcip.errors import ConfigError
from pcip.objections.deadlines import DEADLINES_FILE, PERIODS, load_periods


def test_art40_the_time_limits_are_those_of_the_regulations() -> None:
    got = {p.name: (p.working_days, p.article, p.pausable) for p in PERIODS}
    assert got == {
        "label": (1, "Art. 40 para 2", False),
        "transfer": (2, "Art. 40 para 2(2)", False),
        "self_handling": (3, "Art. 40 para 2(1)", True),
        "pu_handling": (3, "Art. 40 para 2(2)", True),
        "notice": (5, "Art. 40 para 3", True),
        "reexam": (3, "Art. 40 para 4", True),
    }
    for p in PERIODS:
        assert p.citation.startswith(p.article + ":"), p.name


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = DEADLINES_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "deadlines.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_art40_a_wrong_row_is_named_with_its_field(tmp_path: Path) -> None:
    path = _broken(tmp_path, "working_days: 5", "working_days: five")
    with pytest.raises(ConfigError, match=r"deadlines.yaml: row 5 \(notice\), field working_days"):
        load_periods(path)


def test_art40_a_row_without_citation_or_a_missing_limit_is_refused(tmp_path: Path) -> None:
    path = _broken(tmp_path, '  citation: "Art. 40 para 4', '  note: "Art. 40 para 4')
    with pytest.raises(ConfigError, match=r"row 6 \(reexam\), field"):
        load_periods(path)
    path = _broken(tmp_path, "- name: reexam", "- name: notice")
    with pytest.raises(ConfigError, match="each time limit once"):
        load_periods(path)
