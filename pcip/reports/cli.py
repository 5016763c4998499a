"""CLI for credit reports (Art. 29): ``pcip reports verify | public-key``.

Anyone may check a report; at the server's command line the operator checks one by number or
by its PDF file. Output is one JSON object per line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from pcip.doors.terminal import emit

reports_app = typer.Typer(
    help="Public credit reports and their verification (Art. 29).", no_args_is_help=True
)


def _platform() -> Any:
    from pcip.kernel.platform import Platform

    return Platform.open()


@reports_app.command("verify")
def verify(
    number: Annotated[str, typer.Option(help="The report number printed on it.")] = "",
    file: Annotated[Path | None, typer.Option(help="The report's PDF file.")] = None,
) -> None:
    """Is a report genuine and unaltered? Exit status 1 when it is not."""
    from pcip.auth.permissions import ANONYMOUS
    from pcip.reports import service

    if not number and file is None:
        raise typer.BadParameter("give --number or --file", param_hint="--number")
    with _platform().transaction() as s:
        if file is not None:
            out = service.verify_pdf(s, ANONYMOUS, file.read_bytes())
        else:
            out = service.verify_number(s, ANONYMOUS, number)
    emit(out.model_dump(mode="json"))
    if not out.genuine:
        raise typer.Exit(1)


@reports_app.command("public-key")
def public_key() -> None:
    """The Ed25519 public key reports are signed with."""
    from pcip.reports import service

    emit(service.public_key().model_dump(mode="json"))
