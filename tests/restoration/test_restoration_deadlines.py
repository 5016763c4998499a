"""D-9: restoration time limits are data with citations, counted like objection deadlines, and
recounted when a year's official schedule is loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcip.errors import ValidationError
from pcip.flows.schedules import DEADLINE_HOLDERS
from pcip.restoration import deadlines, service


def test_d9_the_time_limits_come_from_the_data_file_with_citations() -> None:
    assert (deadlines.ACCEPTANCE.working_days, deadlines.RESULT.working_days) == (3, 10)
    assert all("2025" in p.citation for p in (deadlines.ACCEPTANCE, deadlines.RESULT))


def test_d9_a_wrong_row_is_refused_naming_its_field(tmp_path: Path) -> None:
    text = deadlines.DATA_FILE.read_text(encoding="utf-8").replace(
        "working_days: 10", "working_days: 0"
    )
    path = tmp_path / "deadlines.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        deadlines.load_periods(path)
    assert err.value.field == "periods.1.working_days"


def test_d1_a_schedule_load_recounts_restoration_deadlines() -> None:
    assert service.recount in DEADLINE_HOLDERS
