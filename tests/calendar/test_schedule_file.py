"""Schedule files for ``pcip calendar load`` (Art. 40 calendar maintained by the operator, D-1)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pcip.calendar import YearSchedule, default_calendar, parse_schedule, parse_schedule_file
from pcip.errors import ValidationError
from tests.calendar.builders_2027 import HOLIDAYS_2027, SOURCE_2027, schedule_2027_json

D = date.fromisoformat


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _error(tmp_path: Path, data: Any) -> ValidationError:
    with pytest.raises(ValidationError) as err:
        parse_schedule_file(_write(tmp_path, data))
    return err.value


def test_d1_valid_file_loads_as_an_official_schedule(tmp_path: Path) -> None:
    schedule = parse_schedule_file(_write(tmp_path, schedule_2027_json()))
    assert schedule.year == 2027
    assert schedule.official
    assert schedule.source == SOURCE_2027
    assert D("2027-02-11") in schedule.holidays
    assert D("2027-02-14") in schedule.makeup_workdays
    assert len(schedule.holidays) == len(HOLIDAYS_2027)


def test_d1_file_with_chinese_source_and_bom_loads(tmp_path: Path) -> None:
    path = tmp_path / "2027.json"
    data = schedule_2027_json(source="国务院办公厅关于2027年部分节假日安排的通知")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8-sig")
    assert parse_schedule_file(path).source.startswith("国务院办公厅")


def test_d1_as_json_round_trips_and_seeded_years_pass_the_loader() -> None:
    for year in (2008, 2012, 2019, 2024, 2025, 2026):
        seeded = default_calendar().schedule_for(year)
        again = parse_schedule(seeded.as_json())
        assert again == seeded


def test_d1_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as err:
        parse_schedule_file(tmp_path / "missing.json")
    assert err.value.field == "file"
    assert "cannot read" in err.value.message


def test_d1_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"year": 2027,\n "source": }', encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        parse_schedule_file(path)
    assert err.value.field == "file"
    assert "not valid JSON" in err.value.message
    assert "line 2" in err.value.message


def test_d1_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "gbk.json"
    path.write_bytes(
        json.dumps(schedule_2027_json(source="国务院"), ensure_ascii=False).encode("gbk")
    )
    with pytest.raises(ValidationError, match="not UTF-8"):
        parse_schedule_file(path)


def test_d1_top_level_must_be_an_object(tmp_path: Path) -> None:
    assert "JSON object" in _error(tmp_path, ["2027-01-01"]).message


def test_d1_duplicate_key(tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    path.write_text('{"year": 2027, "year": 2028}', encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        parse_schedule_file(path)
    assert err.value.field == "year"
    assert "twice" in err.value.message


def test_d1_unknown_key(tmp_path: Path) -> None:
    err = _error(tmp_path, schedule_2027_json(makeup_days=[]))
    assert err.field == "makeup_days"
    assert "unknown key" in err.message


@pytest.mark.parametrize("key", ["year", "source", "holidays", "makeup_workdays"])
def test_d1_missing_key(tmp_path: Path, key: str) -> None:
    data = schedule_2027_json()
    del data[key]
    err = _error(tmp_path, data)
    assert err.field == key
    assert err.message == "is required"


@pytest.mark.parametrize("year", ["2027", 2027.0, True, None])
def test_d1_year_must_be_an_integer(tmp_path: Path, year: object) -> None:
    assert _error(tmp_path, schedule_2027_json(year=year)).field == "year"


def test_d1_year_out_of_range(tmp_path: Path) -> None:
    err = _error(tmp_path, schedule_2027_json(year=2150))
    assert err.field == "year"
    assert "2000-2099" in err.message


@pytest.mark.parametrize("source", ["", "   ", 7, None])
def test_d1_source_is_required(tmp_path: Path, source: object) -> None:
    assert _error(tmp_path, schedule_2027_json(source=source)).field == "source"


def test_d1_dates_must_be_a_list(tmp_path: Path) -> None:
    err = _error(tmp_path, schedule_2027_json(makeup_workdays="2027-02-14"))
    assert err.field == "makeup_workdays"
    assert "list" in err.message


@pytest.mark.parametrize("bad", ["2027/01/04", "20270104", "2027-1-4", 20270104, "2027-02-30"])
def test_d1_malformed_date_names_its_index(tmp_path: Path, bad: object) -> None:
    err = _error(tmp_path, schedule_2027_json(makeup_workdays=["2027-02-14", bad]))
    assert err.field == "makeup_workdays[1]"


def test_d1_date_outside_the_year(tmp_path: Path) -> None:
    holidays = [*HOLIDAYS_2027, "2028-01-01"]
    err = _error(tmp_path, schedule_2027_json(holidays=holidays))
    assert err.field == f"holidays[{len(HOLIDAYS_2027)}]"
    assert "outside the 2027 schedule" in err.message


def test_d1_december_before_the_reach_back_window_is_outside(tmp_path: Path) -> None:
    err = _error(tmp_path, schedule_2027_json(makeup_workdays=["2026-12-20"]))
    assert err.field == "makeup_workdays[0]"
    assert "2026-12-25" in err.message


def test_d1_december_reach_back_window_is_accepted(tmp_path: Path) -> None:
    data = schedule_2027_json(holidays=["2026-12-31", *HOLIDAYS_2027])
    data["makeup_workdays"] = ["2026-12-26", *data["makeup_workdays"]]
    schedule = parse_schedule_file(_write(tmp_path, data))
    assert D("2026-12-31") in schedule.holidays


def test_d1_make_up_day_must_be_a_weekend(tmp_path: Path) -> None:
    err = _error(tmp_path, schedule_2027_json(makeup_workdays=["2027-02-14", "2027-02-12"]))
    assert err.field == "makeup_workdays[1]"
    assert "Friday" in err.message


def test_d1_holiday_listed_twice(tmp_path: Path) -> None:
    err = _error(tmp_path, schedule_2027_json(holidays=[*HOLIDAYS_2027, "2027-10-01"]))
    assert err.field == f"holidays[{len(HOLIDAYS_2027)}]"
    assert "listed twice" in err.message
    assert f"holidays[{HOLIDAYS_2027.index('2027-10-01')}]" in err.message


def test_d1_date_both_holiday_and_make_up_day(tmp_path: Path) -> None:
    err = _error(tmp_path, schedule_2027_json(makeup_workdays=["2027-02-14", "2027-02-06"]))
    assert err.field == "makeup_workdays[1]"
    assert "also listed as a holiday" in err.message


@pytest.mark.parametrize(
    ("removed", "festival"),
    [
        ("2027-01-01", "New Year"),
        ("2027-05-01", "Labour Day"),
        ("2027-05-02", "Labour Day"),
        ("2027-10-03", "National Day"),
        ("2027-02-05", "Spring Festival"),  # the eve (除夕), lunar
        ("2027-04-05", "Qingming"),  # solar term
        ("2027-06-09", "Dragon Boat"),
        ("2027-09-15", "Mid-Autumn"),
    ],
)
def test_d1_missing_statutory_holiday_is_rejected(
    tmp_path: Path, removed: str, festival: str
) -> None:
    holidays = [d for d in HOLIDAYS_2027 if d != removed]
    err = _error(tmp_path, schedule_2027_json(holidays=holidays))
    assert err.field == "holidays"
    assert removed in err.message
    assert festival in err.message
    assert "Decree No. 795" in err.message


def test_d1_year_schedule_checks_its_invariants() -> None:
    base = parse_schedule(schedule_2027_json())
    with pytest.raises(ValidationError) as err:
        YearSchedule(2027, base.holidays, base.holidays, "x")
    assert err.value.field == "makeup_workdays"
    with pytest.raises(ValidationError) as err:
        YearSchedule(2027, base.holidays | {D("2025-05-01")}, frozenset(), "x")
    assert err.value.field == "holidays"
    with pytest.raises(ValidationError) as err:
        YearSchedule(2027, base.holidays, frozenset(), " ")
    assert err.value.field == "source"
