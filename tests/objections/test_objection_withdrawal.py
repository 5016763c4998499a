"""Issue 14.8 (Art. 19, 21, 40, 42): a record filed against the wrong person, or on a wrong
basis, is corrected through an objection. The outcome ``withdrawn`` withdraws it from that
subject (no mode provides it any more; the subject sees that it was withdrawn, and for a wrong
subject nothing of the other person's record); where the unit names the right subject, the
record is filed there as a new record citing the case. The notice says what happened, in
words that are true, and ingestion's advice to units points to what exists.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from pcip.demo.generators.records import Party
from pcip.disclosure.service import disclose, held_records
from pcip.errors import ValidationError
from pcip.inquiry.present import own_record_out
from pcip.kernel.audit.models import AuditEvent
from pcip.kernel.enums import InquiryMode, SubjectKind
from pcip.objections import corrections, service
from pcip.objections.models import Notice, ObjectionEvent
from pcip.objections.states import State
from pcip.records.ingest import Source, ingest, rows_from_json
from pcip.records.models import REFILED_SUFFIX, CreditRecord, RecordEvent, RecordVersion
from pcip.subjects.models import Subject
from tests.helpers import citizen_id, uscc
from tests.objections.builders import (
    AS_OPERATOR,
    SYSTEM,
    UNIT,
    World,
    _row,
    as_unit,
    on,
    unit,
)

#: The person the penalty really concerns (the unit typed 张三's number by mistake).
RIGHT_ID = citizen_id(15, born=date(1979, 5, 6))
RIGHT = {"citizen_id": RIGHT_ID, "name": "李五"}
TODAY = date(2024, 9, 30)


def _transferred(world: World) -> int:
    with on("2024-09-27"), world.platform.transaction() as s:
        oid = service.receive(
            s,
            AS_OPERATOR,
            subject_id=world.person,
            record_ids=[world.person_recent],
            ground="error",
            statement="这条行政处罚不是我的，我从未在该地经营。",
            applicant="张三",
            channel="desk",
        ).objection.id
    with on("2024-09-29"), world.platform.transaction() as s:
        service.apply_label(s, AS_OPERATOR, oid)
        service.transfer(s, AS_OPERATOR, oid)
        service.pu_receive(s, unit(s), oid)
    return oid


def _unit_withdraws(world: World, oid: int, withdrawal: dict[str, Any]) -> None:
    with on("2024-09-30"), world.platform.transaction() as s:
        service.pu_return(
            s,
            unit(s),
            oid,
            outcome="withdrawn",
            reasons="经核实，录入时身份证号码有误，该处罚的当事人另有其人。",
            withdrawal=withdrawal,
        )


def _own(world: World, subject_id: int, record_id: int) -> Any:
    with world.platform.transaction() as s:
        subject = s.get(Subject, subject_id)
        assert subject is not None
        held = next(h for h in held_records(s, subject) if h.record.id == record_id)
        return own_record_out(held, TODAY)


def _visible(world: World, subject_id: int, mode: InquiryMode) -> set[int]:
    with world.platform.transaction() as s:
        subject = s.get(Subject, subject_id)
        assert subject is not None
        shown = disclose(held_records(s, subject), mode, TODAY, "administrative_management")
        return {d.held.record.id for d in shown}


def test_art42_issue14_8_wrong_subject_withdrawn_and_filed_under_the_right_one(
    world: World,
) -> None:
    rid = world.person_recent
    assert rid in _visible(world, world.person, InquiryMode.AUTHORITY)
    oid = _transferred(world)
    _unit_withdraws(world, oid, {"ground": "wrong_subject", "refile_to": RIGHT})

    with world.platform.transaction() as s:
        assert service.state(s, oid) is State.NOTIFIED
        [notice] = list(s.scalars(select(Notice).where(Notice.objection_id == oid)))
        right = s.scalar(select(Subject).where(Subject.name == "李五"))
        assert right is not None and right.kind == SubjectKind.PERSON.value
        new = s.scalar(
            select(CreditRecord).where(
                CreditRecord.natural_key.endswith(REFILED_SUFFIX),
                CreditRecord.subject_id == right.id,
            )
        )
        assert new is not None
        version = s.scalars(select(RecordVersion).where(RecordVersion.record_id == new.id)).one()
        old = s.scalars(
            select(RecordVersion)
            .where(RecordVersion.record_id == rid)
            .order_by(RecordVersion.version.desc())
        ).first()
        assert old is not None
        payloads = [
            e.payload
            for e in s.scalars(select(ObjectionEvent).where(ObjectionEvent.objection_id == oid))
        ]
        decided = s.scalars(select(AuditEvent).where(AuditEvent.action == "objection.decide")).one()
    # The new record: version 1 of a record of the same unit, item and basis, citing the case,
    # naming the right person (identifier stored masked, as ingestion stores it).
    assert version.version == 1 and version.cause_type == "objection" and version.cause_id == oid
    assert version.basis_id == old.basis_id and version.batch_id is None
    assert version.payload["CF_XDR_MC"] == "李五"
    assert version.payload["CF_XDR_ZJHM"] == right.id_masked != old.payload["CF_XDR_ZJHM"]
    assert new.provider_id == world.provider_id and new.item_code == "admin_penalty"
    # The wrong person: no mode provides it; the right one: departments see it from today.
    assert rid not in _visible(world, world.person, InquiryMode.AUTHORITY)
    assert rid not in _visible(world, world.person, InquiryMode.PUBLIC_DISCLOSURE)
    assert new.id in _visible(world, right.id, InquiryMode.AUTHORITY)
    # The wrong person's own view: that it was withdrawn, when and by which case; nothing of
    # the other person's record (fields, basis, changes).
    mine = _own(world, world.person, rid)
    assert "withdrawn" in mine.labels and "provision_stopped" not in mine.labels
    assert mine.fields == {} and mine.basis is None
    assert all(v.changes == [] for v in mine.history)
    note = next(n for n in mine.notes if n.code == "withdrawn")
    assert "filed against you in error" in note.message and f"objection {oid}" in note.message
    assert not any(m.visible for m in mine.disclosure.values())
    # The notice: true words, in both languages; it does not name the other person.
    assert "had been filed against you in error" in notice.html
    assert "错误地归集在您的名下" in notice.html
    assert "filed there as a new record citing this objection" in notice.html
    assert "李五" not in notice.html and RIGHT_ID not in notice.html
    # The case log never holds the right person's clear identifier (Art. 27).
    assert RIGHT_ID not in str(payloads) and RIGHT_ID not in str(decided.details)
    assert decided.details["withdrawal"]["refiled"] == {str(rid): new.id}
    assert decided.details["withdrawal"]["ground"] == "wrong_subject"


def test_art42_issue14_8_wrong_basis_withdrawn_without_refiling(world: World) -> None:
    rid = world.company_records[0]
    with on("2024-09-27"), world.platform.transaction() as s:
        oid = service.receive(
            s,
            AS_OPERATOR,
            subject_id=world.company,
            record_ids=[rid],
            ground="error",
            statement="该处罚决定已被撤销，不能作为依据。",
            applicant="重庆示例商贸有限公司",
            channel="desk",
        ).objection.id
    with on("2024-09-30"), world.platform.transaction() as s:
        service.apply_label(s, AS_OPERATOR, oid)
        service.start_self_review(s, AS_OPERATOR, oid)
        service.decide(
            s,
            AS_OPERATOR,
            oid,
            outcome="withdrawn",
            reasons="依据文书不能作为该记录的依据。",
            withdrawal={"ground": "wrong_basis"},
        )
        notice = service.notify(s, AS_OPERATOR, oid)
        created = s.scalar(
            select(func.count())
            .select_from(CreditRecord)
            .where(CreditRecord.natural_key.endswith(REFILED_SUFFIX))
        )
    assert created == 0
    assert rid not in _visible(world, world.company, InquiryMode.AUTHORITY)
    mine = _own(world, world.company, rid)  # about the subject: shown as it was, labelled
    assert "withdrawn" in mine.labels and mine.fields and mine.basis is not None
    assert "recorded on a basis that does not support it" in notice.html
    assert "所依据的文书不能作为其依据" in notice.html


@pytest.mark.parametrize(
    ("outcome", "withdrawal", "field"),
    [
        ("withdrawn", None, "withdrawal"),
        ("withdrawn", {"ground": "mistake"}, "withdrawal.ground"),
        ("withdrawn", {"ground": "wrong_basis", "refile_to": RIGHT}, "withdrawal.refile_to"),
        (
            "withdrawn",
            {"ground": "wrong_subject", "refile_to": {"citizen_id": "123", "name": "李五"}},
            "withdrawal.refile_to.citizen_id",
        ),
        (
            "withdrawn",
            {"ground": "wrong_subject", "refile_to": {"citizen_id": RIGHT_ID, "name": " "}},
            "withdrawal.refile_to.name",
        ),
        (
            "withdrawn",
            {"ground": "wrong_subject", "refile_to": {"uscc": uscc(40), "name": "重庆某公司"}},
            "withdrawal.refile_to",
        ),
        (
            "withdrawn",
            {"ground": "wrong_subject", "records": [99999]},
            "withdrawal.records[0]",
        ),
        ("upheld", {"ground": "wrong_basis"}, "withdrawal"),
    ],
)
def test_art42_issue14_8_a_withdrawal_is_checked_and_nothing_is_half_applied(
    world: World, outcome: str, withdrawal: dict[str, Any] | None, field: str
) -> None:
    oid = _transferred(world)
    with (
        pytest.raises(ValidationError) as exc,
        on("2024-09-30"),
        world.platform.transaction() as s,
    ):
        service.pu_return(s, unit(s), oid, outcome=outcome, reasons="核实", withdrawal=withdrawal)
    assert exc.value.field == field
    with world.platform.transaction() as s:
        assert service.state(s, oid) is State.PU_REVIEW
        kinds = set(s.scalars(select(RecordEvent.kind)))
        assert "withdrawn" not in kinds and "provision_stopped" not in kinds
        assert (
            s.scalar(select(func.count()).select_from(Subject).where(Subject.name == "李五")) == 0
        )


def test_art42_issue14_8_refiling_to_the_same_subject_is_refused(world: World) -> None:
    oid = _transferred(world)
    same = {"citizen_id": citizen_id(11, born=date(1985, 4, 2)), "name": "张三"}
    with (
        pytest.raises(ValidationError) as exc,
        on("2024-09-30"),
        world.platform.transaction() as s,
    ):
        service.pu_return(
            s,
            unit(s),
            oid,
            outcome="withdrawn",
            reasons="核实",
            withdrawal={"ground": "wrong_subject", "refile_to": same},
        )
    assert exc.value.field == "withdrawal.refile_to"
    assert "filed against" in exc.value.message


def _resubmit(world: World, party: Party) -> dict[str, Any]:
    row = _row(world.platform, party, "渝市监罚〔2024〕003号", "2024-08-20", "2024-08-01")
    with on("2024-10-08"):
        summary = ingest(
            world.platform,
            SYSTEM,
            provider_uscc=UNIT,
            item_code="admin_penalty",
            rows=rows_from_json([row]),
            source=Source("test", None, None, "json"),
        )
    return summary.as_json()


def test_art42_issue14_8_after_refiling_the_units_corrected_row_goes_to_the_right_subject(
    world: World,
) -> None:
    oid = _transferred(world)
    _unit_withdraws(world, oid, {"ground": "wrong_subject", "refile_to": RIGHT})
    right = Party(SubjectKind.PERSON, "李五", citizen_id=RIGHT_ID)
    summary = _resubmit(world, right)
    assert summary["rejected"] == 0, summary
    with world.platform.transaction() as s:
        refiled = s.scalars(
            select(CreditRecord).where(CreditRecord.natural_key.endswith(REFILED_SUFFIX))
        ).one()
        versions = list(
            s.scalars(select(RecordVersion).where(RecordVersion.record_id == refiled.id))
        )
    # The unit's own row is the refiled record's next version (not a rejection, not a copy).
    assert sorted(v.version for v in versions) == [1, 2]
    assert summary["updated"] == 1
    assert {v.payload["CF_XDR_MC"] for v in versions} == {"李五"}


def test_art42_issue14_8_ingestion_advice_points_to_the_objection_that_withdraws(
    world: World,
) -> None:
    someone_else = Party(SubjectKind.PERSON, "赵六", citizen_id=citizen_id(16))
    summary = _resubmit(world, someone_else)
    assert summary["rejected"] == 1
    with world.platform.transaction() as s:
        from pcip.records.models import RejectedRow

        [row] = list(s.scalars(select(RejectedRow)))
    message = row.errors[0]["message"]
    assert "withdrawn" in message and "objection" in message and "docs/objections.md" in message
    assert "correct it through an objection or a correction" not in message  # the old advice


def test_art42_3_issue14_8_a_unit_withdraws_its_own_record_without_an_objection(
    world: World,
) -> None:
    rid = world.person_recent
    with on("2024-09-30"), world.platform.transaction() as s:
        case = corrections.proactive_correct(
            s,
            as_unit(world.provider_id),
            rid,
            outcome="withdrawn",
            reasons="录入时身份证号码有误",
            withdrawal={"ground": "wrong_subject", "refile_to": RIGHT},
        )
        assert case.outcome == "withdrawn"
        refiled = s.scalars(
            select(CreditRecord).where(CreditRecord.natural_key.endswith(REFILED_SUFFIX))
        ).one()
        version = s.scalars(
            select(RecordVersion).where(RecordVersion.record_id == refiled.id)
        ).one()
    assert version.cause_type == "correction" and version.cause_id == case.id
    assert rid not in _visible(world, world.person, InquiryMode.AUTHORITY)
    mine = _own(world, world.person, rid)
    assert "withdrawn" in mine.labels and mine.fields == {}
