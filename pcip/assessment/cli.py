"""CLI for the assessment (Art. 30): ``pcip assessment run | latest | model``.

The operator grades every subject on today's facts; only the distribution is kept and shown
on the console dashboard. Output is one JSON object per line.
"""

from __future__ import annotations

from typing import Any

import typer

from pcip.doors.terminal import emit
from pcip.kernel.actors import Actor

assessment_app = typer.Typer(
    help="Comprehensive public credit assessment, departments only (Art. 30).",
    no_args_is_help=True,
)


def _platform() -> Any:
    from pcip.kernel.platform import Platform

    return Platform.open()


def _operator() -> Any:
    from pcip.auth.permissions import Principal
    from pcip.kernel.enums import ActorKind

    return Principal(ActorKind.OPERATOR, Actor.cli(), via="cli")


@assessment_app.command("run")
def run() -> None:
    """Grade every subject and keep the distribution (never a subject's grade)."""
    from pcip.assessment import batch

    with _platform().transaction() as s:
        emit(batch.out(batch.run(s, _operator())).model_dump(mode="json"))


@assessment_app.command("latest")
def latest() -> None:
    """The latest batch run's distribution."""
    from pcip.assessment import batch

    with _platform().transaction() as s:
        r = batch.latest(s)
        emit(batch.out(r).model_dump(mode="json") if r is not None else {"run": None})


@assessment_app.command("model")
def show_model() -> None:
    """The model in force: version, grades, weights with citations."""
    from pcip.assessment import model

    emit(model.current().model_dump(mode="json"))
