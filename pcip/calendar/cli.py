"""CLI for the statutory working-day calendar (Art. 40).

``pcip calendar deadline | load | list``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from pcip.doors import terminal
from pcip.errors import ValidationError
from pcip.kernel.actors import Actor

calendar_app = typer.Typer(
    help="The statutory working-day calendar (Art. 40).", no_args_is_help=True
)


@calendar_app.command("deadline")
def calendar_deadline(
    start: Annotated[str, typer.Argument(help="Receipt date, YYYY-MM-DD (not counted, D-1).")],
    working_days: Annotated[int, typer.Argument(help="Number of working days.")],
    pause: Annotated[
        list[str] | None,
        typer.Option(help="A pause FROM:TO (inclusive dates) excluded from the count (D-3)."),
    ] = None,
) -> None:
    """Print the due date of N working days after START as one JSON object."""
    from pcip.calendar.service import work_calendar
    from pcip.kernel.platform import Platform

    day = _iso_date(start, "START")
    pauses = [_pause(p) for p in pause or []]
    platform = Platform.open()
    with platform.transaction() as s:
        result = work_calendar(s).deadline(day, working_days, pauses)
    terminal.emit(result.as_json())


def _iso_date(value: str, field: str) -> Any:
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"'{value}' is not a date (YYYY-MM-DD)", field=field) from None


def _pause(value: str) -> tuple[Any, Any]:
    first, sep, last = value.partition(":")
    if not sep:
        raise ValidationError(f"'{value}' is not FROM:TO", field="--pause")
    return _iso_date(first, "--pause"), _iso_date(last, "--pause")


@calendar_app.command("load")
def calendar_load(
    file: Annotated[Path, typer.Argument(help="A year's official schedule (JSON).")],
) -> None:
    """Load a year's official holiday schedule; deadlines crossing it are recounted on it."""
    from pcip.calendar.schedule import parse_schedule_file
    from pcip.flows.schedules import load_schedule
    from pcip.kernel.platform import Platform

    schedule = parse_schedule_file(file)
    platform = Platform.open()
    with platform.transaction() as s:
        result = load_schedule(s, Actor.cli(), schedule)
    terminal.emit(result.as_json())


@calendar_app.command("list")
def calendar_list() -> None:
    """The stored official years and their sources; other years are computed (provisional)."""
    from pcip.calendar.queries import stored_years
    from pcip.kernel.platform import Platform

    platform = Platform.open()
    with platform.transaction() as s:
        for row in stored_years(s):
            terminal.emit(
                {
                    "year": row.year,
                    "source": row.source,
                    "holidays": len(row.holidays),
                    "makeup_workdays": len(row.makeup_workdays),
                    "loaded_at": row.loaded_at.isoformat(),
                    "loaded_by": row.loaded_by,
                }
            )
