"""CLI for measures and credit checks (Art. 31, 34-38): ``pcip measures list | check-batch``.

A batch check is made for a providing unit (``--unit``), whose staff script it at the server:
the inquiries are logged under that unit, each with the matter and purpose.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from pcip.doors.terminal import emit
from pcip.kernel.actors import Actor

measures_app = typer.Typer(
    help="Punishment measure lists and credit checks (Art. 31, 34-38).", no_args_is_help=True
)


def _platform() -> Any:
    from pcip.kernel.platform import Platform

    return Platform.open()


@measures_app.command("list")
def list_measures() -> None:
    """The national basic list and the city supplement in force today (one JSON line each)."""
    from pcip import clock
    from pcip.measures import catalogue

    for m in catalogue.in_force(clock.today()):
        emit(m.model_dump(mode="json", by_alias=True))


@measures_app.command("check-batch")
def check_batch(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX with columns uscc and/or citizen_id.")],
    unit: Annotated[str, typer.Option(help="The checking unit's USCC.")],
    matter: Annotated[str, typer.Option(help="licence, procurement, subsidy, award, appointment")],
    purpose: Annotated[str, typer.Option(help="The administrative matter, in words.")],
    out: Annotated[Path, typer.Option(help="Where to write the result CSV.")],
) -> None:
    """Check up to 100,000 subjects for a matter: result file and summary (logged)."""
    from pcip.auth.permissions import Principal
    from pcip.kernel.enums import ActorKind
    from pcip.measures import checks
    from pcip.providers.service import get_provider

    platform = _platform()
    with platform.transaction() as s:
        u = get_provider(s, unit)
        cli = Actor.cli()
        who = Principal(
            ActorKind.PROVIDER,
            Actor(ActorKind.PROVIDER, f"{cli.ref}@{u.uscc}", cli.display),
            via="cli",
            provider_id=u.id,
            organisation=u.name,
        )
        summary = checks.batch(
            s, platform.keyring, who, file, matter=matter, purpose=purpose, result_path=out
        )
    emit(summary.model_dump(mode="json"))
