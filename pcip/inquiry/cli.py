"""CLI for inquiries: scopes (Art. 22(2)), the inquiry log's retention and holds (Art. 22,
D-18) and abnormal-volume alerts (Art. 28).

``pcip provider scope list | grant | revoke``, ``pcip purge``, ``pcip hold`` and ``pcip alerts``.

The same service as the API and the console (``pcip.inquiry.scope``): a grant cites the legal
basis of the duty that needs the item; ending one gives the reason; both are audited.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcip.doors.terminal import emit
from pcip.kernel.actors import Actor

hold_app = typer.Typer(
    help="Legal holds that keep inquiry log entries past 3 years (D-18).", no_args_is_help=True
)
alerts_app = typer.Typer(help="Abnormal inquiry volume alerts (Art. 28).", no_args_is_help=True)
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


def purge(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would be purged; change nothing.")
    ] = False,
    partitions_only: Annotated[
        bool,
        typer.Option(
            "--partitions-only",
            help="PostgreSQL: only create the coming months' log partitions; purge nothing.",
        ),
    ] = False,
) -> None:
    """Purge inquiry log entries older than 3 years, except under legal hold (Art. 22, D-18).

    On PostgreSQL it first creates the log's partitions for this month and the next three,
    then drops the month partitions wholly past retention (docs/inquiry.md). Run it daily.
    """
    if partitions_only:
        from pcip.inquiry.partitions import ensure

        with _platform().transaction() as s:
            emit({"created_partitions": ensure(s)})
        return
    from pcip.inquiry.retention import purge as run

    with _platform().transaction() as s:
        r = run(s, Actor.cli(), dry_run=dry_run)
    emit(
        {
            "before": r.cutoff,
            "purged": r.purged,
            "kept_under_hold": r.held,
            "dry_run": r.dry_run,
            "dropped_partitions": list(r.dropped_partitions),
            "created_partitions": list(r.created_partitions),
        }
    )


@hold_app.command("place")
def hold_place(
    reason: Annotated[str, typer.Option(help="The case or law that requires keeping them.")],
    subject: Annotated[int | None, typer.Option(help="Every entry about this subject id.")] = None,
    inquiry: Annotated[int | None, typer.Option(help="One inquiry log entry id.")] = None,
) -> None:
    from pcip.inquiry.retention import place_hold

    with _platform().transaction() as s:
        h = place_hold(s, Actor.cli(), reason=reason, subject_id=subject, inquiry_id=inquiry)
        emit({"hold_id": h.id, "subject": h.subject_id, "inquiry": h.inquiry_id})


@hold_app.command("release")
def hold_release(hold_id: Annotated[int, typer.Argument()]) -> None:
    from pcip.inquiry.retention import release_hold

    with _platform().transaction() as s:
        h = release_hold(s, Actor.cli(), hold_id)
        emit({"hold_id": h.id, "released_at": h.released_at})


@hold_app.command("list")
def hold_list() -> None:
    from pcip.inquiry.retention import holds

    with _platform().transaction() as s:
        for h in holds(s):
            emit(
                {
                    "hold_id": h.id,
                    "subject": h.subject_id,
                    "inquiry": h.inquiry_id,
                    "reason": h.reason,
                    "placed_at": h.placed_at,
                    "released_at": h.released_at,
                }
            )


@alerts_app.command("list")
def alerts_list(
    open_only: Annotated[bool, typer.Option("--open", help="Only unacknowledged.")] = False,
) -> None:
    """Accounts whose inquiry volume crossed PCIP_INQUIRY_ALERT_PER_HOUR (Art. 28)."""
    from pcip.inquiry.alerts import list_alerts

    with _platform().transaction() as s:
        for a in list_alerts(s, open_only=open_only):
            emit(a.model_dump())
