"""CLI for providing units (Art. 20): ``pcip provider add | list`` and ``pcip provider key``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from pcip.doors import terminal
from pcip.kernel.actors import Actor

provider_app = typer.Typer(help="Providing units (Art. 20).", no_args_is_help=True)
key_app = typer.Typer(help="API keys of providing units.", no_args_is_help=True)
provider_app.add_typer(key_app, name="key")


@provider_app.command("add")
def provider_add(
    uscc: Annotated[str, typer.Argument(help="The unit's USCC.")],
    name: Annotated[str, typer.Argument(help="The unit's name.")],
    items: Annotated[
        list[str], typer.Option("--items", help="Catalog item codes (comma separated).")
    ],
    level: Annotated[str, typer.Option(help="city or district.")] = "city",
) -> None:
    """Register a providing unit and the catalog items it may submit (Art. 20)."""
    from pcip.kernel.platform import Platform
    from pcip.providers.service import add_provider, provider_items

    platform = Platform.open()
    with platform.transaction() as s:
        r = add_provider(s, Actor.cli(), uscc, name, items, level)
        codes = provider_items(s, r.provider)
        verb = (
            "registered"
            if r.created
            else ("updated" if r.items_added or r.name_changed else "unchanged")
        )
        terminal.emit(
            {
                "uscc": r.provider.uscc,
                "name": r.provider.name,
                "status": verb,
                "items": codes,
                "items_added": list(r.items_added),
            }
        )


@provider_app.command("list")
def provider_list() -> None:
    """List providing units and their items."""
    from pcip.kernel.platform import Platform
    from pcip.providers.queries import providers_by_name
    from pcip.providers.service import provider_items

    platform = Platform.open()
    with platform.transaction() as s:
        table = Table("USCC", "name", "level", "items")
        for p in providers_by_name(s):
            table.add_row(p.uscc, p.name, p.level, ", ".join(provider_items(s, p)))
        terminal.out.print(table)


@key_app.command("create")
def key_create(
    uscc: Annotated[str, typer.Argument(help="The unit's USCC.")],
    label: Annotated[str, typer.Option(help="What the key is for.")] = "default",
) -> None:
    """Issue an API key for a unit's systems. The token is shown once: store it safely."""
    from pcip.kernel.platform import Platform
    from pcip.providers.service import create_key, get_provider

    platform = Platform.open()
    with platform.transaction() as s:
        issued = create_key(s, Actor.cli(), get_provider(s, uscc), label)
    terminal.emit(
        {
            "key_id": issued.key_id,
            "token": issued.token,
            "note": "shown once; send it as 'Authorization: Bearer <token>'",
        }
    )


@key_app.command("revoke")
def key_revoke(key_id: Annotated[str, typer.Argument(help="The key id.")]) -> None:
    """Revoke an API key at once."""
    from pcip.kernel.platform import Platform
    from pcip.providers.service import revoke_key

    platform = Platform.open()
    with platform.transaction() as s:
        key = revoke_key(s, Actor.cli(), key_id)
        terminal.emit({"key_id": key.key_id, "revoked_at": key.revoked_at})
