"""The steps of an objection case, one registry (Art. 40-42; Art. 27 need-to-know).

Each step of SM-1 is declared once, where its service function is written::

    @step("label", Kind.LABELLED, Permission.OBJECTION_HANDLE)
    def apply_label(session, actor, objection_id): ...

The declaration puts into :data:`REGISTRY` the step's name, the event it writes, the
permissions that take it, its input schema and the service function, and wraps the function
so that it takes the caller's :class:`~pcip.auth.permissions.Principal` and checks, before it
does anything, that the principal may see the case (else "not found", as
``objections.access`` answers) and that its role takes the step (else 401/403 naming the
permission). The API, the console, the subject's pages, the demo and the tests all call the
same functions, so a step taken by the wrong principal is refused at the service, whatever
door it came through. The body of a step receives the principal's actor, for its case event
and audit row.

Internal callers (the D-2 decision generated from a unit's result, the demo, jobs) are
principals too: :func:`pcip.auth.permissions.system_principal` names a job, and holds no
permission of the matrix, so it takes no step a role takes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Concatenate, ParamSpec, TypeVar

from pydantic import BaseModel
from sqlalchemy.orm import Session

from pcip.auth.permissions import Permission, Principal, allowed, require
from pcip.errors import NotFound
from pcip.kernel.actors import Actor
from pcip.kernel.messages import msg
from pcip.objections import access
from pcip.objections.log import events_of, position
from pcip.objections.states import Kind, Position, State

P = ParamSpec("P")
R = TypeVar("R")

#: Steps whose permission follows the stage they pause (``access.pause_permission``).
PAUSE_STEPS = frozenset({"pause", "resume"})


@dataclass(frozen=True)
class Step:
    """One step: who takes it, what it writes, what it takes, and the function that does it."""

    name: str
    #: The event the step writes (SM-1 decides from it whether the step is possible now).
    kind: Kind
    #: Any one of these lets a role take the step (pause and resume: by the paused stage).
    permissions: tuple[Permission, ...]
    #: What the event's payload says, where SM-1 tells steps of one kind apart (notices).
    payload: dict[str, str] | None = None
    #: The step's input besides the case (``None``: a step without input).
    schema: type[BaseModel] | None = None
    #: Whether the step takes evidence files (``evidence`` and ``files_dir``).
    files: bool = False
    #: The service function, taking ``(session, principal, objection_id, **input)``.
    function: Callable[..., Any] = field(default=lambda *a, **k: None, compare=False)

    def possible(self, now: Position) -> bool:
        """Whether SM-1 allows the step from the case's position."""
        return now.allowed(self.kind, self.payload)

    def permitted(self, principal: Principal, now: Position) -> bool:
        """Whether the principal's role takes the step (the case scope is checked apart)."""
        if self.name in PAUSE_STEPS:
            return allowed(principal, access.pause_permission(now))
        return any(allowed(principal, p) for p in self.permissions)


#: Every step by name, as the service modules declare them.
REGISTRY: dict[str, Step] = {}

#: The order a case page offers the steps possible now (the first is the usual next one).
ORDER = (
    "label",
    "decline",
    "self_review",
    "transfer",
    "unit_receive",
    "unit_result",
    "decide",
    "notify",
    "notify_reexam",
    "status_notice",
    "request_reexam",
    "register_reexam",
    "decide_reexam",
    "close",
    "pause",
    "resume",
)


def registry() -> dict[str, Step]:
    """The registry in page order, once every service module has declared its steps.

    The stage modules declare their steps when ``pcip.objections.service`` (which gathers
    them) is imported; every door imports it. Importing it from here would make a cycle.
    """
    missing = set(ORDER) - set(REGISTRY)
    if missing:
        raise RuntimeError(f"steps not declared (import pcip.objections.service): {missing}")
    return {name: REGISTRY[name] for name in ORDER}


def get(name: str) -> Step:
    """A step by name (else "not found", naming the field ``step``)."""
    found = registry().get(name)
    if found is None:
        raise NotFound(msg("objections.no_step", name=name), field="step")
    return found


def require_step(principal: Principal, now: Position, name: str) -> None:
    """Raise 401/403 unless this caller's role takes the step (the state is checked later)."""
    if name in PAUSE_STEPS:
        require(principal, access.pause_permission(now))
        return
    entry = registry()[name]
    if not entry.permitted(principal, now):
        require(principal, entry.permissions[0])  # raises, naming the permission


def actions(principal: Principal, now: Position) -> list[str]:
    """The steps this caller may take on a case now (SM-1 and the matrix both agree)."""
    return [
        name
        for name, entry in registry().items()
        if entry.possible(now) and entry.permitted(principal, now)
    ]


def authorize(
    session: Session, principal: Principal, objection_id: int, name: str | Callable[[Position], str]
) -> None:
    """The check every step makes first: the case is in the principal's scope (else 404, or
    401/403 for a caller who reads no case at all) and its role takes the step (401/403)."""
    objection = access.case(session, principal, objection_id)
    now = position(events_of(session, [objection.id])[objection.id])
    require_step(principal, now, name if isinstance(name, str) else name(now))


def step(
    name: str,
    kind: Kind,
    *permissions: Permission,
    payload: dict[str, str] | None = None,
    schema: type[BaseModel] | None = None,
    files: bool = False,
    choose: Callable[[Position], str] | None = None,
) -> Callable[
    [Callable[Concatenate[Session, Actor, int, P], R]],
    Callable[Concatenate[Session, Principal, int, P], R],
]:
    """Declare a step: register it and make its function check its principal first.

    ``choose``: for a function that carries out one of several steps (a notice of the
    outcome, or of the re-examination), which one it is from the case's position.
    """

    def declare(
        body: Callable[Concatenate[Session, Actor, int, P], R],
    ) -> Callable[Concatenate[Session, Principal, int, P], R]:
        def checked(
            session: Session,
            principal: Principal,
            objection_id: int,
            /,
            *a: P.args,
            **k: P.kwargs,
        ) -> R:
            authorize(session, principal, objection_id, choose or name)
            return body(session, principal.actor, objection_id, *a, **k)

        functools.update_wrapper(checked, body)
        REGISTRY[name] = Step(name, kind, permissions, payload, schema, files, checked)
        return checked

    return declare


def also(
    name: str,
    kind: Kind,
    *permissions: Permission,
    payload: dict[str, str] | None = None,
    function: Callable[..., Any],
) -> None:
    """Register a second step carried out by an already declared function."""
    REGISTRY[name] = Step(name, kind, permissions, payload, None, False, function)


def notice_step(now: Position) -> str:
    """The notice a case owes: of the re-examination result, or of the outcome."""
    return "notify_reexam" if now.state is State.REEXAM_DECIDED else "notify"
