"""CLI for identifiers (Art. 19): ``pcip id check``."""

from __future__ import annotations

from typing import Annotated

import typer

from pcip.doors import terminal

id_app = typer.Typer(help="Check identifiers (Art. 19).", no_args_is_help=True)


@id_app.command("check")
def id_check(values: Annotated[list[str], typer.Argument(help="Values to check.")]) -> None:
    """Print one JSON object per value, in order: kind, validity, reason, warnings, parts."""
    from pcip import clock
    from pcip.identity import check_identifier

    today = clock.today()
    for v in values:
        terminal.emit(check_identifier(v, today=today))
