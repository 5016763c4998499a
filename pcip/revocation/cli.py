"""CLI for basis-document changes (Art. 44): ``pcip revocation register | list | departments``.

``register`` takes the change as JSON (the same shape as the API's, one object per file or
per line of a JSONL feed) with the document's file or reference; with ``--unit`` it acts as
that unit's feed, otherwise as the operator at the server. Each change goes through
``pcip.revocation.service.register`` in its own transaction, exactly as through the API.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from pcip.doors.terminal import emit
from pcip.kernel.actors import Actor

revocation_app = typer.Typer(
    help="Revoked or changed basis documents (Art. 44).", no_args_is_help=True
)


def _platform() -> Any:
    from pcip.kernel.platform import Platform

    return Platform.open()


def _principal(session: Any, unit: str | None) -> Any:
    from pcip.auth.permissions import Principal
    from pcip.kernel.enums import ActorKind

    cli = Actor.cli()
    if unit is None:
        return Principal.internal(cli)
    from pcip.providers.service import get_provider

    u = get_provider(session, unit)
    return Principal(
        ActorKind.PROVIDER,
        Actor(ActorKind.PROVIDER, f"{cli.ref}@{u.uscc}", cli.display),
        via="cli",
        provider_id=u.id,
        organisation=u.name,
    )


@revocation_app.command("register")
def register(
    changes: Annotated[Path, typer.Argument(help="JSON object or JSONL feed of changes.")],
    unit: Annotated[str | None, typer.Option(help="The sending unit's USCC (its feed).")] = None,
    document: Annotated[
        Path | None, typer.Option(help="The revoking or changing document (PDF), for one change.")
    ] = None,
) -> None:
    """Register each change: the records, linked records and listings resting on the basis
    are withdrawn or updated at once (one JSON line per change)."""
    from pcip.errors import ValidationError
    from pcip.revocation import queries, service
    from pcip.revocation.schemas import ChangeIn

    text = changes.read_text(encoding="utf-8").strip()
    try:
        rows = (
            [json.loads(text)]
            if text.startswith("{") and "\n{" not in text
            else [json.loads(line) for line in text.splitlines() if line.strip()]
        )
    except json.JSONDecodeError as exc:
        raise ValidationError(f"not valid JSON: {exc}", field=changes.name) from None
    if document is not None and len(rows) != 1:
        raise ValidationError("--document goes with one change only", field="--document")
    content = document.read_bytes() if document is not None else None
    platform = _platform()
    for row in rows:
        body = ChangeIn.model_validate(row)
        with platform.transaction() as s:
            change = service.register(
                s,
                _principal(s, unit),
                body,
                channel="feed" if unit else "cli",
                file=content,
                file_name=document.name if document else None,
            )
            emit(queries.out(s, change).model_dump(mode="json"))


@revocation_app.command("list")
def list_changes(unit: Annotated[str | None, typer.Option(help="A unit's USCC.")] = None) -> None:
    """The registered changes, newest first (one JSON line each)."""
    from pcip.revocation import queries

    platform = _platform()
    with platform.transaction() as s:
        for c in queries.changes(s, _principal(s, unit)):
            emit(queries.out(s, c).model_dump(mode="json"))


@revocation_app.command("departments")
def departments(unit: Annotated[str | None, typer.Option(help="A unit's USCC.")] = None) -> None:
    """Each change to data a department received (one JSON line each)."""
    from pcip.revocation import queries

    platform = _platform()
    with platform.transaction() as s:
        for row in queries.department_changes(s, _principal(s, unit)):
            emit(row.model_dump(mode="json"))
