"""CLI for change proposals (SM-4, SM-5; Art. 17, 35): ``pcip proposals list | show | diff``.

The steps are taken in the console (each by its role); the CLI reads, for scripts and checks.
"""

from __future__ import annotations

from typing import Annotated

import typer

from pcip.doors.terminal import emit

proposals_app = typer.Typer(
    help="Change proposals to the city catalog and measure list (Art. 17, 35).",
    no_args_is_help=True,
)


def _row(p: object) -> dict[str, object]:
    keys = (
        "id",
        "kind",
        "action",
        "item_code",
        "title",
        "state",
        "proposer",
        "citation",
        "comment_opens_on",
        "comment_closes_on",
        "approval_number",
        "approval_issuer",
        "approval_date",
        "previous_version",
        "published_version",
        "effective_from",
    )
    out = {k: getattr(p, k) for k in keys}
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in out.items()}


@proposals_app.command("list")
def list_proposals(
    state: Annotated[str | None, typer.Option(help="Only proposals in this state.")] = None,
) -> None:
    """Every proposal, newest first (one JSON line each)."""
    from pcip.governance import service
    from pcip.kernel.platform import Platform

    platform = Platform.open()
    with platform.transaction() as s:
        for p in service.proposals(s, states=(state,) if state else None):
            emit(_row(p))


@proposals_app.command("show")
def show(proposal_id: int) -> None:
    """One proposal with its history and its diff against the version it changes."""
    from pcip.governance import service
    from pcip.kernel.platform import Platform

    platform = Platform.open()
    with platform.transaction() as s:
        p = service.get(s, proposal_id)
        emit(
            {
                **_row(p),
                "history": [
                    {"at": e.at.isoformat(), "state": e.to_state, "by": e.by, "note": e.note}
                    for e in service.history(s, proposal_id)
                ],
                "diff": [c.model_dump() for c in service.proposal_diff(s, p)],
            }
        )
