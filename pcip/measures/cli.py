"""CLI for measures and credit checks (Art. 31, 34-38):
``pcip measures list | check | check-batch``.

A check is made for a providing unit (``--unit``), whose staff script it at the server: the
inquiries are logged under that unit, each with the matter and purpose, through the same
service functions as the API (``pcip.measures.checks``).
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


def _unit_principal(session: Any, unit: str) -> Any:
    from pcip.auth.permissions import Principal
    from pcip.kernel.enums import ActorKind
    from pcip.providers.service import get_provider

    u = get_provider(session, unit)
    cli = Actor.cli()
    return Principal(
        ActorKind.PROVIDER,
        Actor(ActorKind.PROVIDER, f"{cli.ref}@{u.uscc}", cli.display),
        via="cli",
        provider_id=u.id,
        organisation=u.name,
    )


@measures_app.command("check")
def check(
    unit: Annotated[str, typer.Option(help="The checking unit's USCC.")],
    matter: Annotated[str, typer.Option(help="licence, procurement, subsidy, award, appointment")],
    purpose: Annotated[str, typer.Option(help="The administrative matter, in words.")],
    uscc: Annotated[str | None, typer.Option(help="The organisation's USCC.")] = None,
    citizen_id: Annotated[str | None, typer.Option(help="The person's citizen ID.")] = None,
) -> None:
    """Check one subject for a matter: the measures that apply, each with its list, record,
    legal basis and dates (Art. 31, 34); logged as an authority inquiry (Art. 22)."""
    from pcip.errors import ValidationError
    from pcip.inquiry.schemas import Channel, SubjectRef
    from pcip.measures import catalogue, checks
    from pcip.measures.schemas import CheckIn

    if bool(uscc) == bool(citizen_id):
        raise ValidationError("give exactly one of --uscc or --citizen-id", field="--uscc")
    catalogue.check_matter(matter)
    if not purpose.strip() or len(purpose) > 200:
        raise ValidationError("the purpose must be 1 to 200 characters", field="--purpose")
    body = CheckIn.model_validate(
        {
            "subject": SubjectRef(uscc=uscc, citizen_id=citizen_id),
            "matter": matter,
            "purpose": purpose,
        }
    )
    platform = _platform()
    with platform.transaction() as s:
        answer = checks.check(s, platform.keyring, _unit_principal(s, unit), body, Channel.API)
    emit(answer.model_dump(mode="json"))


@measures_app.command("check-batch")
def check_batch(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX with columns uscc and/or citizen_id.")],
    unit: Annotated[str, typer.Option(help="The checking unit's USCC.")],
    matter: Annotated[str, typer.Option(help="licence, procurement, subsidy, award, appointment")],
    purpose: Annotated[str, typer.Option(help="The administrative matter, in words.")],
    out: Annotated[Path, typer.Option(help="Where to write the result CSV.")],
) -> None:
    """Check up to 100,000 subjects for a matter: result file and summary (logged)."""
    from pcip.measures import checks

    platform = _platform()
    with platform.transaction() as s:
        who = _unit_principal(s, unit)
        summary = checks.batch(
            s, platform.keyring, who, file, matter=matter, purpose=purpose, result_path=out
        )
    emit(summary.model_dump(mode="json"))
