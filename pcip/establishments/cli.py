"""CLI for establishments and oversight (Art. 47-55): ``pcip establishments directory |
orders | overdue-steps | oversight-orders``, the lists staff script (one JSON line each), read
as the development and reform department through the same services as the API."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcip.doors.terminal import emit

establishments_app = typer.Typer(
    help="Credit service establishments and oversight orders (Art. 47-55).",
    no_args_is_help=True,
)


def _platform() -> Any:
    from pcip.kernel.platform import Platform

    return Platform.open()


def _drc() -> Any:
    from pcip.auth.permissions import Principal
    from pcip.kernel.actors import Actor
    from pcip.kernel.enums import ActorKind

    cli = Actor.cli()
    return Principal(ActorKind.DRC, Actor(ActorKind.DRC, cli.ref, cli.display), via="cli")


@establishments_app.command("directory")
def directory(
    category: Annotated[str | None, typer.Option(help="risk_control, rating, ...")] = None,
) -> None:
    """The public directory of filed establishments (Art. 47, 49)."""
    from pcip.auth.permissions import ANONYMOUS
    from pcip.establishments import filings

    platform = _platform()
    with platform.transaction() as s:
        rows = filings.directory(s, ANONYMOUS, category)
    for r in rows:
        emit(r.model_dump(mode="json"))


@establishments_app.command("orders")
def orders(
    overdue: Annotated[bool, typer.Option(help="Only orders past their set period.")] = False,
) -> None:
    """Correction orders with due day and status, by due day (Art. 55 para 2)."""
    from pcip.establishments import supervision

    platform = _platform()
    with platform.transaction() as s:
        rows = supervision.orders(s, _drc(), overdue_only=overdue)
    for r in rows:
        emit(r.model_dump(mode="json"))


@establishments_app.command("overdue-steps")
def overdue_steps() -> None:
    """Steps past their deadline and the addressee an order would have (Art. 53-54)."""
    from pcip.establishments import oversight

    platform = _platform()
    with platform.transaction() as s:
        rows = oversight.overdue_steps(s, _drc())
    for r in rows:
        emit(r.model_dump(mode="json"))


@establishments_app.command("oversight-orders")
def oversight_orders(
    overdue: Annotated[bool, typer.Option(help="Only orders past their set period.")] = False,
) -> None:
    """Oversight orders to departments and the platform (Art. 53-54), by due day."""
    from pcip.establishments import oversight

    platform = _platform()
    with platform.transaction() as s:
        rows = oversight.orders(s, _drc(), overdue_only=overdue)
    for r in rows:
        emit(r.model_dump(mode="json"))
