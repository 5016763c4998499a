"""SM-3 credit restoration (Art. 45; D-7 to D-9), walked through every branch on the
objections' small world: the company's penalties were decided on 2024-08-15 (general class:
restoration possible after 3 months, from 2024-11-15)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pcip.auth.permissions import Principal
from pcip.disclosure.service import disclose, held_records
from pcip.errors import Conflict, Forbidden, NotFound, ValidationError
from pcip.kernel.audit.models import AuditEvent
from pcip.kernel.enums import ActorKind, InquiryMode
from pcip.pledges.models import CreditPledge
from pcip.restoration import service
from pcip.restoration.models import RestorationAlert, RestorationApplication
from pcip.restoration.states import State
from pcip.subjects.models import Subject
from tests.objections.builders import AS_OPERATOR, PDF, World, as_subject, as_unit, on, public_view

CORRECTION = "罚款已于2024年10月缴清，违法行为已整改完毕，附缴款凭证。"


def _apply(world: World, record_id: int | None = None, **kw: object) -> int:
    with world.platform.transaction() as s:
        a = service.apply(
            s,
            as_subject(world.company),
            record_id=record_id or world.company_records[0],
            correction=CORRECTION,
            files=[PDF],
            files_dir=world.files_dir,
            **kw,  # type: ignore[arg-type]
        )
        return a.id


def _visible(world: World, mode: InquiryMode, record_id: int, day: date) -> list[str] | None:
    """The labels of ``record_id`` in ``mode`` on ``day`` (None: not provided)."""
    with world.platform.transaction() as s:
        subject = s.get(Subject, world.company)
        assert subject is not None
        purpose = "administrative_management" if mode is InquiryMode.AUTHORITY else None
        shown = disclose(held_records(s, subject), mode, day, purpose)
        found = next((d for d in shown if d.held.record.id == record_id), None)
        return None if found is None else list(found.decision.labels)


def test_art45_refused_before_the_minimum_publicity_period_with_the_date(world: World) -> None:
    with on("2024-09-27"), pytest.raises(service.TooEarly) as err:
        _apply(world)
    assert err.value.possible_from == date(2024, 11, 15)
    assert err.value.as_dict()["possible_from"] == "2024-11-15"
    assert err.value.field == "record_id"
    with world.platform.transaction() as s:  # nothing half-applied: no case, no pledge
        assert s.scalar(select(RestorationApplication.id)) is None
        assert s.scalar(select(CreditPledge.id)) is None


def test_art45_the_subject_view_knows_the_date_beforehand(world: World) -> None:
    with on("2024-09-27"), world.platform.transaction() as s:
        openings = service.openings_for(s, world.company)
    assert openings[world.company_records[0]].on == date(2024, 11, 15)


def test_art45_accepted_and_approved_stops_provision_in_every_mode_at_once(world: World) -> None:
    rid = world.company_records[0]
    with on("2024-12-02"):
        case_id = _apply(world)
    unit = as_unit(world.provider_id)
    with on("2024-12-03"), world.platform.transaction() as s:
        case = service.get(s, as_subject(world.company), case_id)
        assert case.state is State.SUBMITTED and case.application.channel == "online"
        assert [p.file_name for p in case.proofs] == ["decision-copy.pdf"]
        pledge = s.get(CreditPledge, case.application.pledge_id)
        assert pledge is not None and pledge.matter == "restoration"
        assert pledge.provider_id == world.provider_id
        with pytest.raises(Conflict):  # SM-3: a named officer before acceptance
            service.accept(s, unit, case_id)
    with on("2024-12-03"), world.platform.transaction() as s:
        service.assign(s, unit, case_id, "王修复")
        case = service.accept(s, unit, case_id)
        assert case.officer == "王修复" and case.state is State.UNDER_REVIEW
        assert case.deadlines[0].met_on == date(2024, 12, 3) and not case.deadlines[0].overdue
    assert _visible(world, InquiryMode.PUBLIC_DISCLOSURE, rid, date(2024, 12, 4)) is not None
    with on("2024-12-04"), world.platform.transaction() as s:
        case = service.approve(s, unit, case_id, "已纠正失信行为并履行义务，符合修复条件")
        assert case.state is State.RESTORED
        assert [e.kind for e in case.events][-2:] == ["approved", "executed"]
    day = date(2024, 12, 4)
    for mode in (InquiryMode.PUBLIC_DISCLOSURE, InquiryMode.AUTHORIZED, InquiryMode.AUTHORITY):
        assert _visible(world, mode, rid, day) is None, mode
    own = _visible(world, InquiryMode.SELF, rid, day)
    assert own is not None and "restored" in own
    # The day before, it was still provided (derived from the dated fact, not a flag).
    assert _visible(world, InquiryMode.PUBLIC_DISCLOSURE, rid, date(2024, 12, 3)) is not None
    # The other penalty is untouched.
    assert _visible(world, InquiryMode.PUBLIC_DISCLOSURE, world.company_records[1], day) == []
    with world.platform.transaction() as s:
        assert public_view(s, world.company, rid, day) is None
        actions = set(s.scalars(select(AuditEvent.action)))
    assert {"restoration.submitted", "restoration.approved", "restoration.executed"} <= actions
    assert "pledge.make" in actions


def test_art45_not_accepted_with_reasons_and_remedies(world: World) -> None:
    with on("2024-12-02"):
        case_id = _apply(world)
    unit = as_unit(world.provider_id)
    with on("2024-12-03"), world.platform.transaction() as s:
        with pytest.raises(ValidationError) as err:
            service.not_accept(s, unit, case_id, "", "可补充材料后重新申请")
        assert err.value.field == "reasons"
    with on("2024-12-03"), world.platform.transaction() as s:
        case = service.not_accept(s, unit, case_id, "未提供缴款凭证", "可补充材料后重新申请")
        assert case.state is State.NOT_ACCEPTED
        assert [d.name for d in case.deadlines] == ["acceptance"]
    with on("2024-12-05"):  # a closed case does not block a new application
        assert _apply(world) != case_id


def test_art45_rejected_after_materials_were_requested(world: World) -> None:
    with on("2024-12-02"):
        case_id = _apply(world)
    unit = as_unit(world.provider_id)
    with on("2024-12-03"), world.platform.transaction() as s:
        service.assign(s, unit, case_id, "王修复")
        service.accept(s, unit, case_id)
        case = service.request_materials(s, unit, case_id, "请提供整改验收报告")
        assert case.state is State.MATERIALS_REQUESTED
    with on("2024-12-04"), world.platform.transaction() as s:
        case = service.supply_materials(
            s, as_subject(world.company), case_id, "已上传验收报告", [PDF], world.files_dir
        )
        assert case.state is State.UNDER_REVIEW and len(case.proofs) == 2
    with on("2024-12-05"), world.platform.transaction() as s:
        case = service.reject(s, unit, case_id, "整改未经验收", "验收合格后可再次申请")
        assert case.state is State.REJECTED
    assert (
        _visible(world, InquiryMode.PUBLIC_DISCLOSURE, world.company_records[0], date(2024, 12, 6))
        is not None
    )


def test_art45_overdue_steps_raise_one_alert_each(world: World) -> None:
    with on("2024-12-02"):  # Monday: acceptance due Thu 5 Dec (3 WD), result due 16 Dec
        case_id = _apply(world)
    with on("2024-12-05"), world.platform.transaction() as s:
        assert service.overdue_check(s) == 0
    with on("2024-12-06"), world.platform.transaction() as s:
        assert service.overdue_check(s) == 1
        assert service.overdue_check(s) == 0  # once per case and kind
        kinds = [a.kind for a in service.alerts(s, as_unit(world.provider_id))]
        assert kinds == ["acceptance_overdue"]
        case = service.get(s, as_unit(world.provider_id), case_id)
        assert case.overdue
    with on("2024-12-17"), world.platform.transaction() as s:
        assert service.overdue_check(s) == 1
        assert {a.kind for a in s.scalars(select(RestorationAlert))} == {
            "acceptance_overdue",
            "result_overdue",
        }


def test_art45_window_registration_by_staff(world: World) -> None:
    with on("2024-12-02"), world.platform.transaction() as s:
        a = service.apply(
            s,
            AS_OPERATOR,
            subject_id=world.company,
            record_id=world.company_records[0],
            correction=CORRECTION,
            applicant_name="李四（受托人）",
            authorised=True,
        )
        assert a.channel == "window" and a.authorised_by_subject
        pledge = s.get(CreditPledge, a.pledge_id)
        assert pledge is not None and pledge.channel == "window"
        # The platform (operator) may handle a record's case too.
        assert service.queue(s, AS_OPERATOR)[0].application.id == a.id


def test_art45_only_the_subject_and_the_owner_see_a_case(world: World) -> None:
    with on("2024-12-02"):
        case_id = _apply(world)
    stranger = as_subject(world.person)
    with world.platform.transaction() as s:
        with pytest.raises(NotFound):
            service.get(s, stranger, case_id)
        with pytest.raises(Forbidden):
            service.apply(
                s,
                stranger,
                subject_id=world.company,
                record_id=world.company_records[0],
                correction=CORRECTION,
            )
        with pytest.raises(NotFound):  # another subject's record does not exist for it
            service.apply(s, stranger, record_id=world.company_records[0], correction=CORRECTION)


def test_art45_one_open_case_per_record(world: World) -> None:
    with on("2024-12-02"):
        _apply(world)
        with pytest.raises(Conflict):
            _apply(world)


def test_art45_para4_no_fee_exists() -> None:
    columns = set(RestorationApplication.__table__.columns.keys())
    assert not any("fee" in c or "charge" in c or "amount" in c for c in columns)
    assert service.FEE == 0


def test_art45_a_restored_record_cannot_be_restored_again(world: World) -> None:
    with on("2024-12-02"):
        case_id = _apply(world)
    unit = as_unit(world.provider_id)
    with on("2024-12-03"), world.platform.transaction() as s:
        service.assign(s, unit, case_id, "王修复")
        service.accept(s, unit, case_id)
        service.approve(s, unit, case_id, "符合条件")
    with on("2024-12-04"), pytest.raises(Conflict):
        _apply(world)


def test_art45_unit_staff_of_another_unit_cannot_handle(world: World) -> None:
    with on("2024-12-02"):
        case_id = _apply(world)
    other = Principal(ActorKind.PROVIDER, as_unit(world.provider_id).actor, provider_id=999999)
    with world.platform.transaction() as s, pytest.raises(NotFound):
        service.assign(s, other, case_id, "某人")


def test_art45_the_serve_watch_runs_the_restoration_overdue_check(world: World) -> None:
    from pcip.objections import watch

    with on("2024-12-02"):
        _apply(world)
    with on("2024-12-06"):
        watch.run_once(world.platform, also=(service.overdue_check,))
    with world.platform.transaction() as s:
        assert [a.kind for a in s.scalars(select(RestorationAlert))] == ["acceptance_overdue"]
