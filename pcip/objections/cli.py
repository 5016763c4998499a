"""CLI for objections (Art. 40-42): the operator's queue, the overdue watch, the archive and a
case file, at the server's console. Each command calls the same services as the API.

``pcip objections overdue-check`` is meant for a scheduler (cron, a systemd timer): it reports
each step newly past its deadline once, as an audit event, and prints what it reported.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from pcip.doors.terminal import emit
from pcip.kernel.actors import Actor

objections_app = typer.Typer(
    help="Objections (Art. 40-42): queue, overdue check, archive, case files, notices.",
    no_args_is_help=True,
)


def _platform() -> Any:
    from pcip.kernel.platform import Platform

    return Platform.open()


def _operator() -> Any:
    from pcip.auth.permissions import Principal
    from pcip.kernel.enums import ActorKind

    return Principal(ActorKind.OPERATOR, Actor.cli(), via="cli")


@objections_app.command("queue")
def queue() -> None:
    """Open cases, the most urgent first: one JSON line each, with the next deadline."""
    from pcip import clock
    from pcip.objections import present, tracking

    with _platform().transaction() as s:
        for row in present.summaries(s, tracking.queue(s, clock.today())):
            emit(row.model_dump(mode="json"))


@objections_app.command("overdue-check")
def overdue_check() -> None:
    """Record each step newly past its deadline (once, audited) and print it (D-2)."""
    from pcip import clock
    from pcip.objections import tracking

    with _platform().transaction() as s:
        for o in tracking.overdue_check(s, Actor.cli(), clock.today()):
            emit({"objection_id": o.objection_id, **o.deadline.as_json()})


@objections_app.command("show")
def show(objection_id: Annotated[int, typer.Argument(help="The objection's id.")]) -> None:
    """One case file: records, events, evidence, notices, deadlines, next steps (JSON)."""
    from pcip import clock
    from pcip.objections import access, present

    principal = _operator()
    with _platform().transaction() as s:
        case = access.case(s, principal, objection_id)
        emit(present.detail(s, principal, case, clock.today()).model_dump(mode="json"))


@objections_app.command("archive")
def archive_search(
    subject_id: Annotated[int | None, typer.Option(help="The subject's id.")] = None,
    record_id: Annotated[int | None, typer.Option(help="A disputed record's id.")] = None,
    provider_id: Annotated[int | None, typer.Option(help="A providing unit's id.")] = None,
    state: Annotated[str | None, typer.Option(help="received, labelled, ..., closed.")] = None,
    received_from: Annotated[
        str | None, typer.Option("--from", help="First receipt day, YYYY-MM-DD.")
    ] = None,
    received_to: Annotated[
        str | None, typer.Option("--to", help="Last receipt day, YYYY-MM-DD.")
    ] = None,
) -> None:
    """Search the archive of objections (Art. 41 para 3); one JSON line per case."""
    from pcip import clock
    from pcip.errors import ValidationError
    from pcip.objections import archive, present, tracking
    from pcip.objections.states import State

    def day(text: str | None, field: str) -> date | None:
        if text is None:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValidationError(f"'{text}' is not a date (YYYY-MM-DD)", field=field) from None

    if state is not None and state not in {s.value for s in State}:
        raise ValidationError(
            f"'{state}' is not one of: {', '.join(s.value for s in State)}", field="--state"
        )
    with _platform().transaction() as s:
        found = archive.search(
            s,
            subject_id=subject_id,
            record_id=record_id,
            provider_id=provider_id,
            state=state,
            received_from=day(received_from, "--from"),
            received_to=day(received_to, "--to"),
        )
        cases = tracking.cases_of(s, [f.objection for f in found], clock.today())
        for row in present.summaries(s, cases):
            emit(row.model_dump(mode="json"))


@objections_app.command("notice")
def notice(
    objection_id: Annotated[int, typer.Argument(help="The objection's id.")],
    notice_id: Annotated[int, typer.Argument(help="The notice's id (see `show`).")],
    out: Annotated[Path, typer.Option(help="Write the HTML notice to this file.")],
    lang: Annotated[
        str, typer.Option(help="zh_CN or en: the notice is issued in both languages.")
    ] = "zh_CN",
) -> None:
    """Save a written notice exactly as issued (HTML), e.g. to print and post it."""
    from pcip.errors import ValidationError
    from pcip.objections import access, notices

    with _platform().transaction() as s:
        _case, row = access.case_notice(s, _operator(), objection_id, notice_id)
        html = row.html
    if lang not in notices.LANGUAGES:
        raise ValidationError(f"lang must be one of {', '.join(notices.LANGUAGES)}", field="lang")
    out.write_text(notices.document(html, lang), encoding="utf-8")
    emit({"objection_id": objection_id, "notice_id": notice_id, "written": str(out)})


@objections_app.command("alerts")
def alert_list(
    open_only: Annotated[bool, typer.Option("--open", help="Only unacknowledged alerts.")] = False,
) -> None:
    """D-2: what the operator is told without looking (one JSON line each, newest first)."""
    from pcip.objections import alerts

    with _platform().transaction() as s:
        for a in alerts.list_alerts(s, open_only=open_only):
            emit(
                {
                    "alert_id": a.id,
                    "objection_id": a.objection_id,
                    "kind": a.kind,
                    "raised_at": a.raised_at,
                    "details": a.details,
                    "acknowledged_by": a.acknowledged_by,
                    "acknowledged_at": a.acknowledged_at,
                }
            )
