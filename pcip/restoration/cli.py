"""CLI for credit restoration (Art. 45): ``pcip restoration queue | show | overdue-check |
texts``.

The same services as the API, as the platform (the operator) at the server's command line:
the overdue check raises an alert once per case and overdue step (run it from cron, or see
docs/restoration.md). Output is one JSON object per line.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcip.doors.terminal import emit
from pcip.kernel.actors import Actor

restoration_app = typer.Typer(
    help="Credit restoration (Art. 45) and the standard credit pledge texts (Art. 26).",
    no_args_is_help=True,
)


def _platform() -> Any:
    from pcip.kernel.platform import Platform

    return Platform.open()


def _operator() -> Any:
    from pcip.auth.permissions import Principal
    from pcip.kernel.enums import ActorKind

    return Principal(ActorKind.OPERATOR, Actor.cli(), via="cli")


@restoration_app.command("queue")
def queue(
    open_only: Annotated[bool, typer.Option("--open", help="Open cases only.")] = False,
) -> None:
    """The platform's restoration cases of records, newest first, with their time limits."""
    from pcip.restoration import service
    from pcip.restoration.schemas import out

    with _platform().transaction() as s:
        for case in service.queue(s, _operator(), open_only=open_only):
            emit(out(case).model_dump(mode="json"))


@restoration_app.command("show")
def show(restoration_id: Annotated[int, typer.Argument(help="The case's number.")]) -> None:
    """One case with its state, officer, time limits and every step."""
    from pcip.restoration import service
    from pcip.restoration.schemas import out

    with _platform().transaction() as s:
        emit(out(service.get(s, _operator(), restoration_id)).model_dump(mode="json"))


@restoration_app.command("overdue-check")
def overdue_check() -> None:
    """Raise an alert for every open step past its time limit (once per case and step)."""
    from pcip.restoration import service

    with _platform().transaction() as s:
        emit({"raised": service.overdue_check(s)})


@restoration_app.command("texts")
def texts() -> None:
    """The standard credit pledge texts per matter, with their citations (Art. 26, 45)."""
    from pcip.pledges.texts import texts as standard

    for t in standard().values():
        emit(t.model_dump(mode="json"))
