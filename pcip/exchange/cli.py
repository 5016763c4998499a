"""CLI for the exchange (docs/exchange.md): ``pcip exchange run | pass | receivers | add-receiver
| scopes | disable | enable | rotate-key | report | dead-letters``. One JSON object per line."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated, Any

import typer

from pcip.doors.terminal import emit
from pcip.kernel.actors import Actor

exchange_app = typer.Typer(
    help="Exchange with the data-sharing system and the national platform (Art. 6, 20, 24-25).",
    no_args_is_help=True,
)


def _platform() -> Any:
    from pcip.kernel.platform import Platform

    return Platform.open()


@exchange_app.command("pass")
def one_pass() -> None:
    """One pass: the intake of every unit's stream, then the feed published on JetStream."""
    from pcip.exchange import worker

    got = asyncio.run(worker.one_pass(_platform()))
    emit(
        {
            "stored": got.stored,
            "duplicates": got.duplicates,
            "poison": got.poison,
            "published": got.published,
        }
    )


@exchange_app.command("run")
def run() -> None:
    """Run the exchange worker in the foreground (PCIP_EXCHANGE_EVERY_SECONDS between passes)."""
    from pcip.exchange import worker

    w = worker.Worker(_platform())
    w.run()


@exchange_app.command("receivers")
def list_receivers() -> None:
    """The interfaces registry (Art. 25)."""
    from pcip.exchange import receivers

    with _platform().transaction() as s:
        for r in receivers.all_receivers(s):
            emit(_out(r))


def _out(r: Any) -> dict[str, Any]:
    return {
        "code": r.code,
        "name": r.name,
        "scopes": r.scopes,
        "active": r.active,
        "cursor": r.acked_cursor,
        "key_hint": r.key_hint,
    }


@exchange_app.command("add-receiver")
def add_receiver(
    code: Annotated[str, typer.Argument(help="Short code, e.g. national.")],
    name: Annotated[str, typer.Argument(help="The receiving system's name.")],
    scope: Annotated[list[str], typer.Option(help="records and/or lists (repeat).")],
) -> None:
    """Register a receiver; its key is printed once."""
    from pcip.exchange import receivers

    with _platform().transaction() as s:
        r, key = receivers.add(s, Actor.cli(), code, name, scope)
        emit({**_out(r), "key": key})


@exchange_app.command("scopes")
def set_scopes(
    code: str, scope: Annotated[list[str], typer.Option(help="records and/or lists.")]
) -> None:
    """Change a receiver's scopes."""
    from pcip.exchange import receivers

    with _platform().transaction() as s:
        emit(_out(receivers.set_scopes(s, Actor.cli(), code, scope)))


@exchange_app.command("disable")
def disable(code: str) -> None:
    """Stop a receiver (its key is refused)."""
    from pcip.exchange import receivers

    with _platform().transaction() as s:
        emit(_out(receivers.set_active(s, Actor.cli(), code, False)))


@exchange_app.command("enable")
def enable(code: str) -> None:
    from pcip.exchange import receivers

    with _platform().transaction() as s:
        emit(_out(receivers.set_active(s, Actor.cli(), code, True)))


@exchange_app.command("rotate-key")
def rotate_key(code: str) -> None:
    """Issue a new key (printed once); the old one stops working."""
    from pcip.exchange import receivers

    with _platform().transaction() as s:
        r, key = receivers.rotate_key(s, Actor.cli(), code)
        emit({**_out(r), "key": key})


@exchange_app.command("report")
def report(
    day: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default today).")] = None,
) -> None:
    """The daily reconciliation per receiver: sent, acknowledged, still pending."""
    from pcip import clock
    from pcip.exchange import feed, receivers

    on = date.fromisoformat(day) if day else clock.today()
    with _platform().transaction() as s:
        for r in receivers.all_receivers(s):
            emit(feed.reconciliation(s, r, on).as_json())


@exchange_app.command("dead-letters")
def dead_letters(limit: int = 50) -> None:
    """The latest messages the intake could not use, with the reason."""
    from pcip.exchange import intake

    for d in intake.dead_letters(_platform(), limit):
        emit(
            {
                "stream": d.stream,
                "seq": d.stream_seq,
                "field": d.field,
                "reason": d.reason,
                "received_at": d.received_at.isoformat(),
            }
        )
