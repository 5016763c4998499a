"""CLI for the catalog (Art. 16-18): ``pcip catalog list``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from pcip.doors import terminal

catalog_app = typer.Typer(help="Catalogs in force (Art. 16-18).", no_args_is_help=True)


@catalog_app.command("list")
def catalog_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the catalog items in force today."""
    from pcip import clock
    from pcip.catalog.service import describe, items_in_force
    from pcip.kernel.platform import Platform

    platform = Platform.open()
    with platform.transaction() as s:
        items = items_in_force(s)
        if as_json:
            for code in sorted(items):
                terminal.emit(describe(items[code]))
            return
        table = Table(title=f"catalog items in force on {clock.today()}")
        table.add_column("code", no_wrap=True)
        table.add_column("名称", no_wrap=True, overflow="ellipsis", max_width=20)
        table.add_column("cat.", justify="right")
        table.add_column("polarity")
        table.add_column("disclosure")
        for code in sorted(items):
            i = items[code]
            table.add_row(code, i.name_zh, str(i.scope_category), i.polarity, i.disclosure_class)
        terminal.out.print(table)
