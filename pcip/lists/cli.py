"""CLI for the lists (Art. 32-33, 44): ``pcip lists types | entries | import | expire | show``.

The same services as the API: the operator at the server's command line imports lists
decided elsewhere (courts' defaulter lists, national lists) and runs the expiry sweep.
Output is one JSON object per line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from pcip.doors.terminal import emit
from pcip.kernel.actors import Actor

lists_app = typer.Typer(
    help="Lists of seriously untrustworthy entities and other lists (Art. 32-33, 44).",
    no_args_is_help=True,
)


def _platform() -> Any:
    from pcip.kernel.platform import Platform

    return Platform.open()


def _operator() -> Any:
    from pcip.auth.permissions import Principal
    from pcip.kernel.enums import ActorKind

    return Principal(ActorKind.OPERATOR, Actor.cli(), via="cli")


@lists_app.command("types")
def list_types() -> None:
    """The list types in force with their legal basis (Art. 32)."""
    from pcip.lists import types

    for t in types.all_types():
        emit(types.out(t).model_dump(mode="json"))


@lists_app.command("entries")
def entries(
    code: Annotated[str, typer.Argument(help="The list type code (see 'pcip lists types').")],
    q: Annotated[str, typer.Option(help="Part of a name, or a USCC.")] = "",
) -> None:
    """The list's entries in force today, as the public sees them."""
    from pcip.lists import public

    with _platform().transaction() as s:
        shown = public.entries(s, _operator(), code, q)
    emit({"list_type": code, "on": shown.on.isoformat(), "total": shown.total})
    for e in shown.entries:
        emit(e.model_dump(mode="json"))


@lists_app.command("import")
def import_list(
    code: Annotated[str, typer.Argument(help="The list type code (an imported list).")],
    file: Annotated[Path, typer.Argument(help="CSV (UTF-8 or GB18030), XLSX or JSONL.")],
    format: Annotated[str | None, typer.Option(help="csv, xlsx or jsonl.")] = None,
) -> None:
    """Import a list decided elsewhere; the same file twice changes nothing."""
    from pcip.lists import imports

    platform = _platform()
    with platform.transaction() as s:
        summary = imports.import_file(
            s,
            platform.keyring,
            _operator(),
            code,
            file,
            file_name=file.name,
            declared_format=format,
        )
    emit(summary.model_dump(mode="json"))


@lists_app.command("expire")
def expire() -> None:
    """Record the expiry of listings whose rule period has ended (audited)."""
    from pcip.lists import designation

    with _platform().transaction() as s:
        emit({"expired": designation.expire_due(s, _operator())})


@lists_app.command("show")
def show(designation_id: Annotated[int, typer.Argument(help="The designation's id.")]) -> None:
    """One designation with its state, dates and every step."""
    from pcip.lists import designation

    with _platform().transaction() as s:
        d = designation.get(s, _operator(), designation_id)
        emit(designation.out(s, d).model_dump(mode="json"))
