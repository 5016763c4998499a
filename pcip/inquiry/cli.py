"""CLI for inquiry scopes (Art. 22(2)): ``pcip provider scope list | grant | revoke``.

The same service as the API and the console (``pcip.inquiry.scope``): a grant cites the legal
basis of the duty that needs the item; ending one gives the reason; both are audited.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcip.auth.cli import emit
from pcip.kernel.actors import Actor

scope_app = typer.Typer(
    help="What a unit's authority inquiries may see (Art. 22(2)).", no_args_is_help=True
)


def _platform() -> Any:
    from pcip.kernel.platform import Platform

    return Platform.open()


@scope_app.command("list")
def scope_list(uscc: Annotated[str, typer.Argument(help="The providing unit's USCC.")]) -> None:
    """The unit's scope (one JSON line per item), then its grants, ended ones included."""
    from pcip.inquiry import scope
    from pcip.providers.service import get_provider

    with _platform().transaction() as s:
        shown = scope.out(s, get_provider(s, uscc))
    for item in shown.items:
        emit({"item": item.model_dump(mode="json")})
    for g in shown.grants:
        emit({"grant": g.model_dump(mode="json")})


@scope_app.command("grant")
def scope_grant(
    uscc: Annotated[str, typer.Argument(help="The providing unit's USCC.")],
    item: Annotated[str, typer.Argument(help="The catalog item code.")],
    basis: Annotated[
        str, typer.Option("--basis", help="The legal basis of the duty that needs the item.")
    ],
) -> None:
    """Widen the unit's scope by one item, citing the legal basis (audited)."""
    from pcip.inquiry import scope
    from pcip.providers.service import get_provider

    with _platform().transaction() as s:
        unit = get_provider(s, uscc)
        g = scope.grant(s, Actor.cli(), unit, item, basis)
        emit(scope.grant_out(unit, g).model_dump(mode="json"))


@scope_app.command("revoke")
def scope_revoke(
    uscc: Annotated[str, typer.Argument(help="The providing unit's USCC.")],
    grant_id: Annotated[int, typer.Argument(help="The grant's id (from 'scope list').")],
    reason: Annotated[str, typer.Option("--reason", help="Why the grant ends.")],
) -> None:
    """End a grant now (kept and dated; audited)."""
    from pcip.inquiry import scope
    from pcip.providers.service import get_provider

    with _platform().transaction() as s:
        unit = get_provider(s, uscc)
        g = scope.revoke(s, Actor.cli(), unit, grant_id, reason)
        emit(scope.grant_out(unit, g).model_dump(mode="json"))
