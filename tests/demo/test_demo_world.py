"""Issue 19.11: the demo world is coherent. Its numbers have the shapes of their documents
(a penalty decision ``渝市监处罚〔2025〕123号``, a licence number shaped for its certificate),
its addresses are Chongqing addresses, an organisation's entity type fits its USCC's type
code, and the one-click demo identities own objection cases in several states, a listing and
a restoration, so a newcomer sees each workflow from the subject's side."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from pcip import clock
from pcip.config import Settings
from pcip.demo.accounts import create_demo_accounts
from pcip.demo.cases import create_demo_objections
from pcip.demo.generators import shapes
from pcip.demo.identities import create_demo_identity_cases, picks
from pcip.demo.restorations import create_demo_restorations
from pcip.demo.world import generate_demo
from pcip.kernel.enums import SubjectKind
from pcip.kernel.platform import Platform
from pcip.lists import designation
from pcip.lists.models import Designation
from pcip.objections import tracking
from pcip.objections.models import Objection
from pcip.records.models import BasisDocument, CreditRecord, RecordVersion
from pcip.restoration.models import RestorationApplication
from pcip.subjects.models import Subject
from tests.conftest import BACKENDS
from tests.shared_copy import SharedCopy, shared_copy

NOW = "2026-11-26T10:00:00"


@pytest.fixture(scope="module", params=BACKENDS)
def _demo_once(
    request: pytest.FixtureRequest,
    templates: dict[str, Settings],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[SharedCopy]:
    """The demo world, made once per backend for the module: the tests only read it, and
    making it was most of their time (three times per backend)."""
    backend = str(request.param)
    with shared_copy(templates[backend], backend, tmp_path_factory.mktemp("demo")) as copy:
        with clock.frozen(NOW), copy.env():
            platform = copy.platform
            generate_demo(platform, subjects=60, records=400, seed=2021)
            create_demo_accounts(platform, "http://127.0.0.1:8000")
            create_demo_objections(platform)
            create_demo_restorations(platform)
            create_demo_identity_cases(platform)
        yield copy


@pytest.fixture
def demo(_demo_once: SharedCopy, monkeypatch: pytest.MonkeyPatch) -> Platform:
    _demo_once.enter(monkeypatch)
    return _demo_once.platform


def test_issue19_11_numbers_have_the_shape_of_their_documents(demo: Platform) -> None:
    seen: dict[str, int] = defaultdict(int)
    with demo.transaction() as s:
        rows = s.execute(
            select(CreditRecord.item_code, BasisDocument.number)
            .join(RecordVersion, RecordVersion.record_id == CreditRecord.id)
            .join(BasisDocument, BasisDocument.id == RecordVersion.basis_id)
        ).all()
    for item, number in rows:
        if item in shapes.SHAPES:
            assert re.fullmatch(shapes.SHAPES[item], number), (item, number)
            seen[item] += 1
    assert seen["admin_penalty"] and seen["admin_licence"] and seen["court_judgment_defaulter"]
    assert any(n.startswith("渝市监处罚〔") for i, n in rows if i == "admin_penalty")


def test_issue19_11_fields_fit_their_item(demo: Platform) -> None:
    checked: dict[str, int] = defaultdict(int)
    with demo.transaction() as s:
        rows = s.execute(
            select(CreditRecord.item_code, RecordVersion.payload, Subject.uscc)
            .join(RecordVersion, RecordVersion.record_id == CreditRecord.id)
            .join(Subject, Subject.id == CreditRecord.subject_id)
        ).all()
    for item, payload, uscc in rows:
        fields = payload.get("fields", payload)
        assert not any(fields.get(r) for r in shapes.REMARKS), fields  # no invented remarks
        if item == "registration_info":
            assert re.fullmatch(shapes.ADDRESS, fields["registered_address"]), fields
            assert fields["entity_type"] == shapes.ENTITY_TYPES[uscc[:2]], (uscc, fields)
            checked[item] += 1
        elif item == "admin_licence":
            pattern = shapes.LICENCES[fields["XK_XKZS"]][0]
            assert re.fullmatch(pattern, fields["XK_XKBH"]), fields
            checked[item] += 1
        elif item == "admin_penalty":
            assert fields["CF_CFLB"] == "罚款" and fields["CF_YJ"].startswith("《"), fields
            checked[item] += 1
    assert checked["registration_info"] and checked["admin_licence"] and checked["admin_penalty"]


def test_issue19_11_each_demo_identity_owns_cases_a_listing_and_a_restoration(
    demo: Platform,
) -> None:
    with clock.frozen(NOW), demo.transaction() as s:
        chosen = picks(s)
        persons = [p for p in chosen if p.kind == SubjectKind.PERSON.value]
        orgs = [p for p in chosen if p.kind != SubjectKind.PERSON.value]
        assert len(persons) == 3 and len(orgs) == 3
        all_states: set[str] = set()
        for p in chosen:
            own = list(s.scalars(select(Objection).where(Objection.subject_id == p.id)))
            states = {c.state.value for c in tracking.cases_of(s, own, clock.today())}
            assert len(states) >= 2, (p.name, states)  # cases in several states
            all_states |= states
            mine = s.scalars(select(CreditRecord.id).where(CreditRecord.subject_id == p.id))
            objected = set(s.scalars(select(Objection.id).where(Objection.subject_id == p.id)))
            assert objected and len(list(mine)) > 2 - 1  # a record is left to object on
        assert {"notified", "reexam_requested", "transferred", "self_review"} <= all_states
        listings = {
            d.subject_id: str(designation.out(s, d).state)
            for d in s.scalars(
                select(Designation).where(Designation.subject_id.in_([o.id for o in orgs]))
            )
        }
        assert listings.get(orgs[0].id) == "listed", listings
        assert listings.get(orgs[1].id) == "objection_window", listings
        applied = set(s.scalars(select(RestorationApplication.subject_id)))
        assert applied & {p.id for p in persons} and applied & {o.id for o in orgs}
