"""The steps of an objection case (Art. 40-42): one registry, checked at the service.

Every step is declared once (``pcip.objections.steps``) with the permission that takes it,
its input schema and its service function; the console's and the portal's lists of steps
and the permission table (``tests/permission_table.py``) must name the same steps and the
same roles. A step taken by the wrong principal is refused by the service itself, with the
permission it lacks, whatever door it came through (``tests/web/test_steps_doors.py``
drives the API, the console and the subject's pages).
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import select

from pcip import clock
from pcip.auth.permissions import MATRIX, Principal, system_principal
from pcip.demo import generate_demo
from pcip.demo.accounts import create_demo_accounts
from pcip.demo.cases import create_demo_objections
from pcip.errors import Forbidden, NotFound, ValidationError
from pcip.kernel import vocabulary
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind
from pcip.kernel.platform import Platform
from pcip.objections import api as objection_api
from pcip.objections import corrections, service, steps
from pcip.objections.models import ObjectionEvent
from pcip.objections.states import State
from pcip.web.console import cases as console
from tests import permission_table as table
from tests.objections.builders import (
    AS_DRC,
    AS_OPERATOR,
    TXT,
    UNIT_STAFF,
    World,
    as_subject,
    as_unit,
    on,
    reopen,
    subject_of,
    unit,
)

TEMPLATES = Path(__file__).parents[2] / "pcip" / "web" / "templates"

#: The role of each caller of the permission table.
ROLE = {
    "anonymous": ActorKind.PUBLIC,
    "subject_a": ActorKind.SUBJECT,
    "subject_b": ActorKind.SUBJECT,
    "org": ActorKind.SUBJECT,
    "grantee": ActorKind.GRANTEE,
    "other_bank": ActorKind.GRANTEE,
    "staff": ActorKind.PROVIDER,
    "unit_key": ActorKind.PROVIDER,
    "operator": ActorKind.OPERATOR,
    "drc": ActorKind.DRC,
}


def _takers(entry: steps.Step) -> frozenset[str]:
    """The callers whose role takes the step (pause and resume: at the platform's review)."""
    if entry.name in steps.PAUSE_STEPS:
        from pcip.objections.access import PAUSE_PERMISSION

        permissions: tuple[object, ...] = (PAUSE_PERMISSION[State.SELF_REVIEW],)
    else:
        permissions = entry.permissions
    return frozenset(c for c, role in ROLE.items() if any(p in MATRIX[role] for p in permissions))


def test_art40_42_the_registry_is_the_console_s_and_the_portal_s_list_of_steps() -> None:
    registry = steps.registry()
    assert set(registry) == set(steps.ORDER)
    # The console names, offers and confirms every step but the one the subject takes on
    # its own pages; its forms, files and field changes are those the steps take.
    assert set(vocabulary.codes("step")) == set(registry)
    done = {n for n in vocabulary.codes("step") if vocabulary.has("step", n, "done")}
    assert done == set(registry) - console.PORTAL_STEPS
    assert {n for n, e in registry.items() if e.schema is not None} >= console.FORM_STEPS
    assert {n for n, e in registry.items() if e.files} - console.PORTAL_STEPS == console.FILE_STEPS
    # The portal offers the subject's steps: exactly those a subject's role takes.
    subject_steps = {n for n, e in registry.items() if "subject_a" in _takers(e)}
    assert subject_steps == set(console.PORTAL_STEPS) == {"request_reexam"}
    page = (TEMPLATES / "subject" / "objection.html").read_text()
    for name in subject_steps:
        assert f'"{name}" in case.actions' in page


def test_art40_42_the_permission_table_gives_each_step_route_to_the_step_s_roles() -> None:
    """Each API route of a step calls one registered step function; the table's callers of
    that route are the roles that take the step (less those the case is hidden from)."""
    by_function = {}
    for entry in steps.registry().values():
        by_function.setdefault(entry.function, entry)
    seen = set()
    for route in objection_api.cases.routes:
        if not isinstance(route, APIRoute) or "POST" not in route.methods:
            continue
        path, endpoint = "/api/v1" + route.path, route.endpoint
        key = ("POST", path)
        if not path.startswith(table.CASE + "/") or key not in table.API:
            continue
        called = re.findall(r"service\.(\w+)\(", inspect.getsource(endpoint))
        assert len(called) == 1, (path, called)
        entry = by_function[getattr(service, called[0])]
        seen.add(entry.name)
        access = table.API[key]
        takers = _takers(entry)
        assert access.allowed <= takers, (path, entry.name)
        assert access.allowed | (access.hidden & takers) == takers, (path, entry.name)
    # notify_reexam shares the notice route with notify.
    assert seen == set(steps.registry()) - {"notify_reexam"}


# --- the service refuses the wrong principal ------------------------------------------------


@pytest.fixture
def world(platform: Platform, case_world_data: World) -> World:
    # The objections world, built once per test process into a template (tests/conftest.py).
    return reopen(platform, case_world_data)


def _case(world: World) -> int:
    with on("2024-09-27"), world.platform.transaction() as s:
        received = service.receive(
            s,
            as_subject(world.person),
            subject_id=world.person,
            record_ids=[world.person_recent],
            ground="error",
            statement="罚款金额有误",
            applicant="张三",
            channel="web",
            evidence=[TXT],
            files_dir=world.files_dir,
        )
        return received.objection.id


def _notified(world: World) -> int:
    oid = _case(world)
    with on("2024-09-27"), world.platform.transaction() as s:
        service.apply_label(s, AS_OPERATOR, oid)
        service.start_self_review(s, AS_OPERATOR, oid)
        service.decide(s, AS_OPERATOR, oid, outcome="upheld", reasons="无误")
        service.notify(s, AS_OPERATOR, oid)
    return oid


def test_art40_4_only_the_subject_applies_for_reexamination_at_the_service(world: World) -> None:
    oid = _notified(world)
    with on("2024-09-30"), world.platform.transaction() as s:
        with pytest.raises(Forbidden, match=r"a drc may not perform 'objection.file'"):
            service.request_reexam(s, AS_DRC, oid, statement="不服")
        with pytest.raises(Forbidden, match=r"a operator may not perform 'objection.file'"):
            service.request_reexam(s, AS_OPERATOR, oid, statement="不服")
        # Another subject is told the case does not exist (Art. 27).
        with pytest.raises(NotFound) as missing:
            service.request_reexam(s, as_subject(world.company), oid, statement="不服")
        assert missing.value.field == "objection_id"
        assert service.state(s, oid) is State.NOTIFIED
        service.request_reexam(s, subject_of(s, oid), oid, statement="不服处理结果")
        assert service.state(s, oid) is State.REEXAM_REQUESTED


def test_art40_2_a_unit_takes_no_step_on_a_case_not_transferred_to_it(world: World) -> None:
    oid = _case(world)
    with on("2024-09-27"), world.platform.transaction() as s:
        with pytest.raises(NotFound):
            service.apply_label(s, unit(s), oid)
        with pytest.raises(Forbidden, match=r"'objection.handle'"):
            service.apply_label(s, AS_DRC, oid)
        with pytest.raises(Forbidden, match=r"'objection.handle'"):
            service.apply_label(s, subject_of(s, oid), oid)
        # A job is a principal with no permission of the matrix: it takes no role's step.
        with pytest.raises(Forbidden):
            service.apply_label(s, system_principal("test.job"), oid)
        assert service.state(s, oid) is State.RECEIVED


def test_art40_1_a_subject_files_for_itself_and_staff_register_at_the_desk(world: World) -> None:
    with on("2024-09-27"), world.platform.transaction() as s:
        kwargs = {
            "subject_id": world.person,
            "record_ids": [world.person_recent],
            "ground": "error",
            "statement": "有误",
            "applicant": "张三",
        }
        with pytest.raises(NotFound) as other:
            service.receive(s, as_subject(world.company), channel="web", **kwargs)  # type: ignore[arg-type]
        assert other.value.field == "subject_id"
        with pytest.raises(Forbidden, match=r"'objection.register'"):
            service.register(s, as_subject(world.person), channel="desk", **kwargs)  # type: ignore[arg-type]
        with pytest.raises(Forbidden, match=r"'objection.register'"):
            service.receive(s, AS_DRC, channel="desk", **kwargs)  # type: ignore[arg-type]
        assert service.register(s, AS_OPERATOR, channel="desk", **kwargs).objection.id  # type: ignore[arg-type]


def test_art40_4_the_demo_s_reexamination_is_filed_by_the_subject(platform: Platform) -> None:
    with clock.frozen("2026-11-26T10:00:00"):
        generate_demo(platform, subjects=60, records=300, seed=2021)
        create_demo_accounts(platform, "http://127.0.0.1:8000")
        create_demo_objections(platform)
    with platform.transaction() as s:
        asked = list(
            s.scalars(select(ObjectionEvent).where(ObjectionEvent.kind == "reexam_requested"))
        )
    assert asked and all(e.actor == f"subject:{e.subject_id}" for e in asked)


def test_internal_principals_name_their_actor_and_scope() -> None:
    unit_actor = Actor(ActorKind.PROVIDER, "x/demo", "unit")
    p = Principal.internal(unit_actor, provider_id=7)
    assert (p.role, p.actor, p.provider_id, p.via) == (
        ActorKind.PROVIDER,
        unit_actor,
        7,
        "internal",
    )
    job = system_principal("objections.watch")
    assert job.role is ActorKind.SYSTEM and str(job.actor) == "system:objections.watch"


def test_art42_3_a_proactive_correction_takes_its_unit_from_the_principal(world: World) -> None:
    rid = world.person_recent
    with on("2024-09-20"), world.platform.transaction() as s:
        with pytest.raises(Forbidden, match=r"a subject may not perform 'record\.correct'"):
            corrections.proactive_correct(
                s, as_subject(world.person), rid, outcome="provision_stopped", reasons="x"
            )
        nameless = Principal(ActorKind.PROVIDER, UNIT_STAFF, via="test")
        with pytest.raises(Forbidden, match="must name its unit"):
            corrections.proactive_correct(
                s, nameless, rid, outcome="provision_stopped", reasons="x"
            )
        # Another unit's staff: the record is not its own (Art. 42 para 3).
        with pytest.raises(ValidationError) as other:
            corrections.proactive_correct(
                s, as_unit(world.provider_id + 1), rid, outcome="provision_stopped", reasons="x"
            )
        assert other.value.field == "provider_id"
        case = corrections.proactive_correct(
            s, as_unit(world.provider_id), rid, outcome="provision_stopped", reasons="超期"
        )
        assert case.provider_id == world.provider_id
