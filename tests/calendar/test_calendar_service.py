"""The stored calendar (Art. 40; docs/facts.md#working-days): seeded years, loading a year,
provisional marks."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from pcip.calendar.models import CalendarYear
from pcip.calendar.schedule import CHINESECALENDAR_YEARS, parse_schedule
from pcip.calendar.service import seed, work_calendar
from pcip.cli import app
from pcip.config import Settings
from pcip.errors import ValidationError
from pcip.flows.schedules import load_schedule
from pcip.kernel.actors import Actor
from pcip.kernel.audit.models import AuditEvent
from pcip.kernel.platform import Platform
from tests.calendar.builders_2027 import HOLIDAYS_2027, MAKEUP_2027, SOURCE_2027

runner = CliRunner()
ACTOR = Actor.system("test")


def schedule_2027() -> dict[str, object]:
    return {
        "year": 2027,
        "source": SOURCE_2027,
        "holidays": HOLIDAYS_2027,
        "makeup_workdays": MAKEUP_2027,
    }


def test_art40_init_seeds_every_chinesecalendar_year_once(platform: Platform) -> None:
    with platform.transaction() as s:
        years = set(s.scalars(select(CalendarYear.year)))
        assert years == set(CHINESECALENDAR_YEARS)
        assert seed(s, ACTOR) == 0  # idempotent


def test_art40_facts4_worked_example_on_the_stored_calendar(platform: Platform) -> None:
    with platform.transaction() as s:
        cal = work_calendar(s)
    received = date(2024, 9, 27)
    assert [cal.deadline(received, n).due for n in (1, 2, 3, 5)] == [
        date(2024, 9, 29),
        date(2024, 9, 30),
        date(2024, 10, 8),
        date(2024, 10, 10),
    ]


def test_art40_loading_a_year_makes_its_deadlines_official_and_is_audited(
    platform: Platform,
) -> None:
    start = date(2026, 12, 30)
    with platform.transaction() as s:
        before = work_calendar(s).deadline(start, 5)
        assert before.provisional
        events = s.scalar(select(func.count()).select_from(AuditEvent))
        result = load_schedule(s, ACTOR, parse_schedule(schedule_2027()))
    assert not result.replaced and date(2027, 1, 1) not in result.changed_days  # statutory
    assert date(2027, 1, 2) not in result.changed_days  # a Saturday either way
    assert date(2027, 2, 8) not in result.changed_days  # lunar 1/3: statutory, off either way
    assert date(2027, 2, 9) in result.changed_days  # a bridged day of the Spring Festival
    with platform.transaction() as s:
        after = work_calendar(s).deadline(start, 5)
        assert not after.provisional
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == (events or 0) + 1
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
        assert last.action == "calendar.load" and last.article == "Art. 40"


def test_art40_bad_schedule_changes_nothing(platform: Platform) -> None:
    bad = dict(schedule_2027(), makeup_workdays=["2027-03-03"])  # a Wednesday
    with pytest.raises(ValidationError) as exc:
        parse_schedule(bad)
    assert exc.value.field is not None and "makeup" in exc.value.field
    with platform.transaction() as s:
        assert s.get(CalendarYear, 2027) is None


def test_art40_cli_deadline_and_load(cli_env: Settings, tmp_path: Path) -> None:
    first = runner.invoke(app, ["calendar", "deadline", "2026-12-28", "5"])
    assert first.exit_code == 0, first.output
    doc = json.loads(first.output)
    assert set(doc) == {"start", "working_days", "due", "provisional"} and doc["provisional"]
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(schedule_2027(), ensure_ascii=False), encoding="utf-8")
    loaded = runner.invoke(app, ["calendar", "load", str(path)])
    assert loaded.exit_code == 0, loaded.output
    again = json.loads(runner.invoke(app, ["calendar", "deadline", "2026-12-28", "5"]).output)
    assert again["provisional"] is False
    paused = runner.invoke(
        app, ["calendar", "deadline", "2024-09-27", "5", "--pause", "2024-10-08:2024-10-09"]
    )
    assert json.loads(paused.output)["due"] == "2024-10-12"  # D-3: WD5 -> WD7
