"""A constructed (hypothetical) official 2027 schedule for tests: 2027 is not announced yet."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

SOURCE_2027 = "test: hypothetical 2027 arrangement (not an official notice)"


def _span(first: str, last: str) -> list[str]:
    day, end, out = date.fromisoformat(first), date.fromisoformat(last), []
    while day <= end:
        out.append(day.isoformat())
        day += timedelta(days=1)
    return out


HOLIDAYS_2027 = [
    *_span("2027-01-01", "2027-01-03"),  # New Year (Fri-Sun)
    *_span("2027-02-05", "2027-02-11"),  # Spring Festival: eve Fri 02-05, lunar 1/1 Sat 02-06
    *_span("2027-04-03", "2027-04-05"),  # Qingming Mon 04-05
    *_span("2027-05-01", "2027-05-05"),  # Labour Day
    "2027-06-09",  # Dragon Boat (Wed)
    "2027-09-15",  # Mid-Autumn (Wed)
    *_span("2027-10-01", "2027-10-07"),  # National Day
]
MAKEUP_2027 = ["2027-01-30", "2027-02-14", "2027-04-25", "2027-05-08", "2027-09-25", "2027-10-09"]


def schedule_2027_json(**changes: Any) -> dict[str, Any]:
    """The file content of the hypothetical 2027 schedule, with ``changes`` applied."""
    data: dict[str, Any] = {
        "year": 2027,
        "source": SOURCE_2027,
        "holidays": list(HOLIDAYS_2027),
        "makeup_workdays": list(MAKEUP_2027),
    }
    data.update(changes)
    return data
