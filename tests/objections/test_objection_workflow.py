"""SM-1 end to end on the 2024 calendar (docs/facts.md#working-days): every path, with dates across
the National Day holiday and its make-up working days (Sun 2024-09-29, Sat 2024-10-12)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from pcip.errors import Conflict, NotFound, ValidationError
from pcip.kernel.audit.models import AuditEvent
from pcip.kernel.audit.service import verify
from pcip.objections import service
from pcip.objections.deadlines import Deadline, deadlines
from pcip.objections.log import get
from pcip.objections.models import Notice, Objection
from pcip.objections.states import State
from pcip.records.models import RecordEvent, RecordVersion
from pcip.records.reasons import reason_text
from tests.objections.builders import (
    AS_DRC,
    AS_OPERATOR,
    OPERATOR,
    PDF,
    PNG,
    World,
    on,
    public_view,
    subject_of,
    unit,
)


def _receive(world: World, s: Session, records: list[int] | None = None, **kw: object) -> int:
    args: dict[str, object] = {
        "subject_id": world.company,
        "record_ids": records or [world.company_records[0]],
        "ground": "error",
        "statement": "罚款金额有误：应为0.5万元。",
        "applicant": "重庆示例商贸有限公司",
        "channel": "web",
        "evidence": [PDF],
        "files_dir": world.files_dir,
    }
    args.update(kw)
    return service.receive(s, AS_OPERATOR, **args).objection.id  # type: ignore[arg-type]


def _by_name(s: Session, oid: int, today: str) -> dict[str, Deadline]:
    return {d.name: d for d in deadlines(s, get(s, oid), date.fromisoformat(today))}


def _dues(s: Session, oid: int, today: str) -> dict[str, str]:
    return {n: d.due.isoformat() for n, d in _by_name(s, oid, today).items()}


def test_art40_facts4_worked_example_deadlines_at_receipt(world: World) -> None:
    with on("2024-09-27"), world.platform.transaction() as s:
        oid = _receive(world, s)
        assert service.state(s, oid) is State.RECEIVED
        found = _by_name(s, oid, "2024-09-27")
    assert {n: d.due.isoformat() for n, d in found.items()} == {
        "label": "2024-09-29",  # Sunday, a make-up working day
        "transfer": "2024-09-30",
        "self_handling": "2024-10-08",  # across the National Day holiday
        "notice": "2024-10-10",
    }
    assert not any(d.provisional or d.overdue or d.met_on for d in found.values())
    assert found["label"].days_left == 1 and found["notice"].days_left == 5
    assert found["label"].article == "Art. 40 para 2"


def test_art40_label_due_next_working_day_across_make_up_sunday(world: World) -> None:
    with on("2024-09-27"), world.platform.transaction() as s:
        oid = _receive(world, s)
    with on("2024-09-29"), world.platform.transaction() as s:
        service.apply_label(s, AS_OPERATOR, oid)
        label = _by_name(s, oid, "2024-09-29")["label"]
    assert label.met_on == date(2024, 9, 29) and not label.overdue


def test_art40_transferred_path_to_closing_on_the_2024_calendar(world: World) -> None:
    p = world.platform
    with on("2024-09-27"), p.transaction() as s:
        oid = _receive(world, s)
    with on("2024-09-29"), p.transaction() as s:
        service.apply_label(s, AS_OPERATOR, oid)
    with on("2024-09-30"), p.transaction() as s:
        service.transfer(s, AS_OPERATOR, oid)
        assert get(s, oid).route == "transferred" and get(s, oid).provider_id == world.provider_id
        service.pu_receive(s, unit(s), oid)
        assert service.state(s, oid) is State.PU_REVIEW
        dues = _dues(s, oid, "2024-09-30")
    # Art. 40 para 2(2): 3 WD from the unit's receipt on 09-30 -> 10-10
    # (docs/facts.md#working-days).
    assert dues == {
        "label": "2024-09-29",
        "transfer": "2024-09-30",
        "pu_handling": "2024-10-10",
        "notice": "2024-10-10",
    }
    rid = world.company_records[0]
    with on("2024-10-09"), p.transaction() as s:
        service.pu_return(
            s,
            unit(s),
            oid,
            outcome="corrected",
            reasons="核实：罚款金额录入有误。",
            changes={rid: {"CF_NR_FK": "0.5"}},
        )
        # D-2: the unit's result is decided and notified at once (not left for someone to
        # look at), the day it arrives, a day before the notice deadline.
        assert service.state(s, oid) is State.NOTIFIED
        found = _by_name(s, oid, "2024-10-09")
        [notice] = list(s.scalars(select(Notice).where(Notice.objection_id == oid)))
    assert notice.kind == "outcome" and notice.due_on == date(2024, 10, 10)
    assert notice.issued_by == "system:objections.d2"
    assert all(d.met_on is not None and not d.overdue for d in found.values())
    # Art. 40 para 4: re-examination filed Mon 2024-10-14 -> due Thu 2024-10-17.
    with on("2024-10-14"), p.transaction() as s:
        service.request_reexam(s, subject_of(s, oid), oid, statement="申请复核。")
        reexam = _by_name(s, oid, "2024-10-14")["reexam"]
    assert reexam.due == date(2024, 10, 17) and reexam.article == "Art. 40 para 4"
    with on("2024-10-16"), p.transaction() as s:
        service.decide_reexam(s, AS_DRC, oid, outcome="upheld", reasons="原处理正确。")
        assert service.notify(s, AS_DRC, oid).kind == "reexam_outcome"
        service.close(s, AS_OPERATOR, oid)
        assert service.state(s, oid) is State.CLOSED
        assert _by_name(s, oid, "2024-10-16")["reexam"].met_on == date(2024, 10, 16)
        assert verify(s).ok


def test_art40_self_handling_path_upheld(world: World) -> None:
    p = world.platform
    with on("2024-09-27"), p.transaction() as s:
        oid = _receive(world, s)
    with on("2024-09-29"), p.transaction() as s:
        service.apply_label(s, AS_OPERATOR, oid)
        service.start_self_review(s, AS_OPERATOR, oid)
        assert get(s, oid).route == "self"
        assert set(_dues(s, oid, "2024-09-29")) == {"label", "self_handling", "notice"}
    with on("2024-10-08"), p.transaction() as s:
        service.decide(s, AS_OPERATOR, oid, outcome="upheld", reasons="信息准确。")
        service.notify(s, AS_OPERATOR, oid)
        service.close(s, AS_OPERATOR, oid)
        found = _by_name(s, oid, "2024-10-08")
        versions = s.scalar(
            select(func.count())
            .select_from(RecordVersion)
            .where(RecordVersion.record_id == world.company_records[0])
        )
    assert found["self_handling"].met_on == date(2024, 10, 8)
    assert not found["self_handling"].overdue
    assert versions == 1  # upheld: the record stands


def test_art41_expert_review_pause_moves_notice_from_wd5_to_wd7(world: World) -> None:
    p = world.platform
    with on("2024-09-27"), p.transaction() as s:
        oid = _receive(world, s)
    with on("2024-09-29"), p.transaction() as s:
        service.apply_label(s, AS_OPERATOR, oid)
        service.start_self_review(s, AS_OPERATOR, oid)
    with on("2024-09-30"), p.transaction() as s:
        service.pause(
            s,
            AS_OPERATOR,
            oid,
            pause_type="expert_review",
            reason="提请专家评审罚款计算。",
            evidence=[PDF],
            files_dir=world.files_dir,
        )
        assert service.state(s, oid) is State.PAUSED
    with on("2024-10-03"), p.transaction() as s:
        # A running pause covers up to today: the due dates shown are the earliest possible.
        assert _dues(s, oid, "2024-10-03")["notice"] == "2024-10-11"
    with on("2024-10-08"), p.transaction() as s:
        service.resume(s, AS_OPERATOR, oid)
        assert service.state(s, oid) is State.SELF_REVIEW
        dues = _dues(s, oid, "2024-10-08")
    # Paused working days: Mon 09-30 and Tue 10-08 (1-7 Oct are holidays).
    assert dues["notice"] == "2024-10-12"  # WD7: Saturday, a make-up working day
    assert dues["self_handling"] == "2024-10-10"
    assert dues["label"] == "2024-09-29"  # D-3: the label deadline is never paused


def test_art41_pause_refused_without_type_reason_or_evidence(world: World) -> None:
    p = world.platform
    with on("2024-09-27"), p.transaction() as s:
        oid = _receive(world, s)
        service.apply_label(s, AS_OPERATOR, oid)
        service.start_self_review(s, AS_OPERATOR, oid)
    cases: list[tuple[dict[str, object], str]] = [
        ({"pause_type": "vacation", "reason": "x", "evidence": [PDF]}, "pause_type"),
        ({"pause_type": "testing", "reason": " ", "evidence": [PDF]}, "reason"),
        ({"pause_type": "testing", "reason": "检测", "evidence": []}, "evidence"),
    ]
    for kwargs, field in cases:
        with on("2024-09-30"), p.transaction() as s, pytest.raises(ValidationError) as exc:
            service.pause(s, AS_OPERATOR, oid, files_dir=world.files_dir, **kwargs)  # type: ignore[arg-type]
        assert exc.value.field == field


def test_sm1_illegal_transitions_are_refused_naming_the_state(world: World) -> None:
    p = world.platform
    with on("2024-09-27"), p.transaction() as s:
        oid = _receive(world, s)

    def refused(step: object, state: str) -> None:
        with on("2024-09-27"), p.transaction() as s, pytest.raises(Conflict) as exc:
            step(s)  # type: ignore[operator]
        assert f"'{state}'" in exc.value.message and exc.value.field == "state"

    refused(lambda s: service.transfer(s, AS_OPERATOR, oid), "received")
    refused(lambda s: service.start_self_review(s, AS_OPERATOR, oid), "received")
    refused(
        lambda s: service.decide(s, AS_OPERATOR, oid, outcome="upheld", reasons="x"), "received"
    )
    refused(lambda s: service.notify(s, AS_OPERATOR, oid), "received")
    with on("2024-09-27"), p.transaction() as s:
        service.apply_label(s, AS_OPERATOR, oid)
    refused(lambda s: service.apply_label(s, AS_OPERATOR, oid), "labelled")
    refused(lambda s: service.resume(s, AS_OPERATOR, oid), "labelled")
    refused(lambda s: service.close(s, AS_OPERATOR, oid), "labelled")
    refused(
        lambda s: service.pause(
            s, AS_OPERATOR, oid, pause_type="testing", reason="x", evidence=[PDF]
        ),
        "labelled",
    )
    with on("2024-09-27"), p.transaction() as s:
        service.transfer(s, AS_OPERATOR, oid)
    refused(lambda s: service.start_self_review(s, AS_OPERATOR, oid), "transferred")
    refused(
        lambda s: service.pu_return(s, unit(s), oid, outcome="upheld", reasons="x"),
        "transferred",
    )
    with on("2024-09-27"), p.transaction() as s:
        service.pu_receive(s, unit(s), oid)
    refused(
        lambda s: service.decide(s, AS_OPERATOR, oid, outcome="upheld", reasons="x"), "pu_review"
    )
    with on("2024-09-27"), p.transaction() as s:
        # D-2: the unit's result is decided and notified in the same step.
        service.pu_return(s, unit(s), oid, outcome="upheld", reasons="无误")
    refused(
        lambda s: service.decide(s, AS_OPERATOR, oid, outcome="upheld", reasons="x"), "notified"
    )
    refused(lambda s: service.notify(s, AS_OPERATOR, oid), "notified")
    refused(lambda s: service.notify_status(s, AS_OPERATOR, oid), "notified")
    with on("2024-09-27"), p.transaction() as s:
        service.close(s, AS_OPERATOR, oid)
    refused(lambda s: service.decline_repeat(s, AS_OPERATOR, oid, "x"), "closed")
    # Issue 14.9: a closed case can still be re-examined, once (Art. 40 para 4).
    with on("2024-09-29"), p.transaction() as s:
        service.request_reexam(s, subject_of(s, oid), oid, statement="申请复核。")
        service.decide_reexam(s, AS_DRC, oid, outcome="upheld", reasons="原处理正确。")
        service.notify(s, AS_DRC, oid)
        service.close(s, AS_OPERATOR, oid)
    with on("2024-09-30"), p.transaction() as s, pytest.raises(Conflict) as exc:
        service.request_reexam(s, subject_of(s, oid), oid, statement="再次申请复核。")
    assert "already re-examined" in exc.value.message and "Art. 46" in exc.value.message


def test_art40_receive_refuses_an_objection_naming_no_record(world: World) -> None:
    with on("2024-09-27"), world.platform.transaction() as s:
        with pytest.raises(ValidationError) as exc:
            service.receive(
                s,
                AS_OPERATOR,
                subject_id=world.company,
                record_ids=[],
                ground="error",
                statement="x",
                applicant="y",
                channel="desk",
            )
        assert exc.value.field == "record_ids"
        assert "an objection must name at least one record" in exc.value.message
        assert "Art. 40" in exc.value.message
        assert s.scalar(select(func.count()).select_from(Objection)) == 0


def test_art40_art27_records_must_belong_to_the_subject(world: World) -> None:
    with on("2024-09-27"), world.platform.transaction() as s:
        # Another subject's record answers as a missing one (its existence is not disclosed).
        with pytest.raises(NotFound) as exc:
            _receive(world, s, [world.company_records[0], world.person_recent])
        assert exc.value.field == "record_ids[1]"
        with pytest.raises(NotFound) as missing:
            _receive(world, s, [999_999])
        assert missing.value.field == "record_ids[0]"
        for field, value in (("ground", "dislike"), ("channel", "fax"), ("statement", "  ")):
            with pytest.raises(ValidationError) as bad:
                kwargs: dict[str, object] = {field: value}
                _receive(world, s, None, **kwargs)
            assert bad.value.field == field


def test_art41_label_keeps_record_publicly_disclosed_with_under_objection(world: World) -> None:
    p, rid = world.platform, world.company_records[0]
    with on("2024-09-27"), p.transaction() as s:
        oid = _receive(world, s)
        before = public_view(s, world.company, rid, date(2024, 9, 27))
        assert before is not None and "under_objection" not in before.decision.labels
    with on("2024-09-29"), p.transaction() as s:
        service.apply_label(s, AS_OPERATOR, oid)
        shown = public_view(s, world.company, rid, date(2024, 9, 29))
    assert shown is not None and shown.decision.visible
    assert "under_objection" in shown.decision.labels
    with on("2024-10-08"), p.transaction() as s:
        service.start_self_review(s, AS_OPERATOR, oid)
        service.decide(s, AS_OPERATOR, oid, outcome="upheld", reasons="信息准确。")
        after = public_view(s, world.company, rid, date(2024, 10, 9))
    assert after is not None and "under_objection" not in after.decision.labels


def test_art42_correction_creates_version_2_and_removes_label_in_same_transaction(
    world: World,
) -> None:
    p, rid = world.platform, world.company_records[0]
    with on("2024-09-27"), p.transaction() as s:
        oid = _receive(world, s)
        service.apply_label(s, AS_OPERATOR, oid)
        service.start_self_review(s, AS_OPERATOR, oid)

    def count(s: Session, model: type[Any], *where: ColumnElement[bool]) -> int:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    # A failure after the decision rolls back the new version and the label removal together.
    with on("2024-10-08"), pytest.raises(RuntimeError), p.transaction() as s:
        service.decide(
            s,
            AS_OPERATOR,
            oid,
            outcome="corrected",
            reasons="更正",
            changes={rid: {"CF_NR_FK": "0.5"}},
        )
        raise RuntimeError("simulated failure before commit")
    with p.transaction() as s:
        assert count(s, RecordVersion, RecordVersion.record_id == rid) == 1
        assert count(s, RecordEvent, RecordEvent.kind == "objection_label_off") == 0
        assert service.state(s, oid) is State.SELF_REVIEW
    with on("2024-10-08"), p.transaction() as s:
        service.decide(
            s,
            AS_OPERATOR,
            oid,
            outcome="corrected",
            reasons="更正",
            changes={rid: {"CF_NR_FK": "0.5"}},
        )
    with p.transaction() as s:
        v2 = s.scalars(
            select(RecordVersion).where(RecordVersion.record_id == rid, RecordVersion.version == 2)
        ).one()
        off = s.scalars(select(RecordEvent).where(RecordEvent.kind == "objection_label_off")).one()
        assert (v2.cause_type, v2.cause_id) == ("objection", oid)
        assert v2.payload["CF_NR_FK"] == "0.5" and f"objection {oid}" in reason_text(v2.reason)
        assert v2.batch_id is None and v2.recorded_by == str(OPERATOR)
        assert (off.record_id, off.cause_id, off.effective_on) == (rid, oid, date(2024, 10, 8))
        shown = public_view(s, world.company, rid, date(2024, 10, 9))
    assert shown is not None and shown.version.version.version == 2


def test_art42_correction_refuses_identity_and_unknown_fields(world: World) -> None:
    p, rid = world.platform, world.company_records[0]
    with on("2024-09-27"), p.transaction() as s:
        oid = _receive(world, s)
        service.apply_label(s, AS_OPERATOR, oid)
        service.start_self_review(s, AS_OPERATOR, oid)
    bad: list[tuple[dict[int, dict[str, str]], str]] = [
        ({rid: {"CF_XDR_SHXYM": "91500000000000000X"}}, f"changes[{rid}].CF_XDR_SHXYM"),
        ({rid: {"CF_WSH": "other"}}, f"changes[{rid}].CF_WSH"),
        ({rid: {"NOPE": "1"}}, f"changes[{rid}].NOPE"),
        ({rid: {"CF_NR_FK": "lots"}}, f"changes[{rid}].CF_NR_FK"),
        ({rid: {"CF_NR_FK": "1.00"}}, f"changes[{rid}]"),  # no change at all
        ({world.company_records[1]: {"CF_NR_FK": "2"}}, f"changes[{world.company_records[1]}]"),
    ]
    for changes, field in bad:
        with on("2024-10-08"), p.transaction() as s, pytest.raises(ValidationError) as exc:
            service.decide(s, AS_OPERATOR, oid, outcome="corrected", reasons="x", changes=changes)
        assert exc.value.field == field, exc.value
    with on("2024-10-08"), p.transaction() as s, pytest.raises(ValidationError) as exc:
        service.decide(
            s, AS_OPERATOR, oid, outcome="upheld", reasons="x", changes={rid: {"BZ": "y"}}
        )
    assert exc.value.field == "changes"


def test_art42_supplement_adds_a_missing_field(world: World) -> None:
    p, rid = world.platform, world.company_records[0]
    with on("2024-09-27"), p.transaction() as s:
        oid = _receive(world, s, ground="omission")
        service.apply_label(s, AS_OPERATOR, oid)
        service.start_self_review(s, AS_OPERATOR, oid)
        service.decide(
            s,
            AS_OPERATOR,
            oid,
            outcome="supplemented",
            reasons="补充已履行说明。",
            changes={rid: {"BZ": "当事人已于2024-09-10缴清罚款。"}},
        )
        v2 = s.scalars(
            select(RecordVersion).where(RecordVersion.record_id == rid, RecordVersion.version == 2)
        ).one()
    assert v2.payload["BZ"] == "当事人已于2024-09-10缴清罚款。"


def test_art42_provision_stopped_outcome_hides_the_record(world: World) -> None:
    p, rid = world.platform, world.company_records[1]
    with on("2024-09-27"), p.transaction() as s:
        oid = _receive(world, s, [rid], ground="beyond_period")
        service.apply_label(s, AS_OPERATOR, oid)
        service.start_self_review(s, AS_OPERATOR, oid)
        service.decide(s, AS_OPERATOR, oid, outcome="provision_stopped", reasons="依法停止提供。")
        assert public_view(s, world.company, rid, date(2024, 9, 27)) is None
        stopped = s.scalars(
            select(RecordEvent).where(
                RecordEvent.record_id == rid, RecordEvent.kind == "provision_stopped"
            )
        ).one()
    assert (stopped.cause_type, stopped.cause_id) == ("objection", oid)


def test_art41_two_objections_on_one_record_label_stays_until_the_last_is_done(
    world: World,
) -> None:
    p, rid = world.platform, world.company_records[0]
    with on("2024-09-27"), p.transaction() as s:
        first = _receive(world, s)
        second = _receive(world, s, ground="omission")
        for oid in (first, second):
            service.apply_label(s, AS_OPERATOR, oid)
            service.start_self_review(s, AS_OPERATOR, oid)
    with on("2024-09-30"), p.transaction() as s:
        service.decide(s, AS_OPERATOR, first, outcome="upheld", reasons="无误")
    with p.transaction() as s:
        shown = public_view(s, world.company, rid, date(2024, 10, 8))
        assert shown is not None and "under_objection" in shown.decision.labels
    with on("2024-10-08"), p.transaction() as s:
        service.decide(s, AS_OPERATOR, second, outcome="upheld", reasons="无遗漏")
    with p.transaction() as s:
        shown = public_view(s, world.company, rid, date(2024, 10, 9))
        assert shown is not None and "under_objection" not in shown.decision.labels


def test_art40_reexam_relabels_and_a_changed_outcome_corrects(world: World) -> None:
    p, rid = world.platform, world.company_records[0]
    with on("2024-09-27"), p.transaction() as s:
        oid = _receive(world, s)
        service.apply_label(s, AS_OPERATOR, oid)
        service.start_self_review(s, AS_OPERATOR, oid)
        service.decide(s, AS_OPERATOR, oid, outcome="upheld", reasons="无误")
        service.notify(s, AS_OPERATOR, oid)
    with on("2024-10-14"), p.transaction() as s:
        service.request_reexam(
            s, subject_of(s, oid), oid, statement="不服", evidence=[PDF], files_dir=world.files_dir
        )
        shown = public_view(s, world.company, rid, date(2024, 10, 14))
        assert shown is not None and "under_objection" in shown.decision.labels  # Art. 41
    with on("2024-10-15"), p.transaction() as s:
        service.pause(
            s,
            AS_DRC,
            oid,
            pause_type="inspection",
            reason="现场核查",
            evidence=[PNG],
            files_dir=world.files_dir,
        )
    with on("2024-10-16"), p.transaction() as s:
        service.resume(s, AS_DRC, oid)
        dues = _dues(s, oid, "2024-10-16")
    assert dues["reexam"] == "2024-10-21"  # 10-15 and 10-16 paused: 10-17, 10-18, 10-21
    assert dues["notice"] == "2024-10-10"  # a re-examination pause never moves the handling
    with on("2024-10-17"), p.transaction() as s:
        service.decide_reexam(
            s,
            AS_DRC,
            oid,
            outcome="corrected",
            reasons="复核更正",
            changes={rid: {"CF_NR_FK": "0.8"}},
        )
        notice = service.notify(s, AS_DRC, oid)
        v2 = s.scalars(
            select(RecordVersion).where(RecordVersion.record_id == rid, RecordVersion.version == 2)
        ).one()
        service.close(s, AS_OPERATOR, oid)
    assert notice.kind == "reexam_outcome" and v2.cause_id == oid
    with p.transaction() as s:
        shown = public_view(s, world.company, rid, date(2024, 10, 18))
    assert shown is not None and "under_objection" not in shown.decision.labels


def test_art40_d2_status_notice_when_the_unit_is_late(world: World) -> None:
    p = world.platform
    with on("2024-09-27"), p.transaction() as s:
        oid = _receive(world, s)
        service.apply_label(s, AS_OPERATOR, oid)
    with on("2024-09-30"), p.transaction() as s:
        service.transfer(s, AS_OPERATOR, oid)
        service.pu_receive(s, unit(s), oid)
    with on("2024-10-11"), p.transaction() as s:
        notice = service.notify_status(s, AS_OPERATOR, oid)
        assert service.state(s, oid) is State.PU_REVIEW  # a status notice moves nothing
        found = _by_name(s, oid, "2024-10-11")
    assert notice.kind == "status_update" and "pu_handling" in notice.html
    assert found["pu_handling"].overdue and found["notice"].overdue  # no outcome notice yet


def test_art40_notice_text_names_reexam_department_and_period(world: World) -> None:
    with on("2024-09-27"), world.platform.transaction() as s:
        oid = _receive(world, s)
        service.apply_label(s, AS_OPERATOR, oid)
        service.start_self_review(s, AS_OPERATOR, oid)
        service.decide(s, AS_OPERATOR, oid, outcome="upheld", reasons="<script>x</script> 无误")
        notice = service.notify(s, AS_OPERATOR, oid)
        stored = s.get(Notice, notice.id)
    assert stored is not None
    html = stored.html
    assert "re-examination" in html and "Development and Reform Commission" in html
    assert "3 working days" in html and "Article 40(4)" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "effective 2021-07-01" in html  # Art. 57


def test_art28_every_step_is_audited_with_its_article(world: World) -> None:
    p = world.platform
    with on("2024-09-27"), p.transaction() as s:
        oid = _receive(world, s)
        service.apply_label(s, AS_OPERATOR, oid)
        service.start_self_review(s, AS_OPERATOR, oid)
        service.decide(s, AS_OPERATOR, oid, outcome="upheld", reasons="无误")
        service.notify(s, AS_OPERATOR, oid)
        service.close(s, AS_OPERATOR, oid)
        rows = s.execute(
            select(AuditEvent.action, AuditEvent.article)
            .where(AuditEvent.object_type == "objection", AuditEvent.object_id == str(oid))
            .order_by(AuditEvent.seq)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("objection.receive", "Art. 40 para 1"),
        ("objection.label", "Art. 40 para 2; Art. 41 para 1"),
        ("objection.self_review", "Art. 40 para 2(1)"),
        ("objection.decide", "Art. 42"),
        ("objection.notify", "Art. 40 para 3"),
        ("objection.close", "Art. 41 para 3"),
    ]


def test_art40_transfer_must_go_to_the_unit_that_provided_the_record(world: World) -> None:
    with on("2024-09-27"), world.platform.transaction() as s:
        oid = _receive(world, s)
        service.apply_label(s, AS_OPERATOR, oid)
        with pytest.raises(NotFound) as exc:
            service.transfer(s, AS_OPERATOR, oid, provider_id=999_999)
        assert exc.value.field == "provider_id"
