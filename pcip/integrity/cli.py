"""CLI for government integrity (Art. 8-10): ``pcip integrity dashboard | evaluate``.

``evaluate`` runs the periodic evaluation as the development and reform department and writes
the CSV export for the performance-evaluation system (Art. 10).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from pcip.doors.terminal import emit
from pcip.kernel.actors import Actor

integrity_app = typer.Typer(
    help="Government integrity: register, breaches, evaluations (Art. 8-10).",
    no_args_is_help=True,
)


@integrity_app.command("dashboard")
def dashboard() -> None:
    """Per government body: pledges and contracts, performed, breached, open cases."""
    from dataclasses import asdict

    from pcip.integrity import service
    from pcip.kernel.platform import Platform

    platform = Platform.open()
    with platform.transaction() as s:
        for row in service.dashboard(s):
            emit(asdict(row))


@integrity_app.command("evaluate")
def evaluate(
    period_start: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD).")],
    period_end: Annotated[str, typer.Option("--to", help="Last day (YYYY-MM-DD).")],
    out: Annotated[Path, typer.Option(help="Where to write the CSV export.")],
) -> None:
    """Score each district and county for the period and write the export (Art. 10)."""
    from pcip.auth.permissions import Principal
    from pcip.errors import ValidationError
    from pcip.integrity import evaluation
    from pcip.integrity.schemas import EvaluationIn
    from pcip.kernel.enums import ActorKind
    from pcip.kernel.platform import Platform

    try:
        body = EvaluationIn(
            period_start=date.fromisoformat(period_start), period_end=date.fromisoformat(period_end)
        )
    except ValueError as exc:
        raise ValidationError(f"not a date: {exc}", field="--from") from None
    cli = Actor.cli()
    who = Principal.internal(Actor(ActorKind.DRC, cli.ref, cli.display))
    platform = Platform.open()
    with platform.transaction() as s:
        ev = evaluation.run(s, who, body)
        out.write_text(evaluation.export_csv(ev), encoding="utf-8-sig")
        emit({"evaluation": ev.id, "regions": len(ev.results), "out": str(out)})
