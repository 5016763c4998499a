"""Receipt rules: evidence checked by content (Art. 40 para 1), repeated objections (Art. 41
para 3, D-4), the immediate stop of an expired record (D-5), and the archive (Art. 41 para 3)."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pcip.disclosure.rules import decide
from pcip.disclosure.service import held_records
from pcip.errors import TooLarge, ValidationError
from pcip.kernel.enums import InquiryMode
from pcip.objections import service
from pcip.objections.archive import case_file, search
from pcip.objections.evidence import MAX_EVIDENCE_BYTES, EvidenceFile, check, detect, read
from pcip.objections.models import Evidence, Objection
from pcip.objections.service import Received
from pcip.objections.states import State
from pcip.records.models import RecordEvent
from pcip.subjects.models import Subject
from tests.objections.builders import AS_OPERATOR, PDF, PNG, TXT, World, on, subject_of


def _receive(
    world: World,
    s: Session,
    *,
    subject: int | None = None,
    records: list[int] | None = None,
    ground: str = "error",
    evidence: list[EvidenceFile] | None = None,
) -> Received:
    return service.receive(
        s,
        AS_OPERATOR,
        subject_id=subject or world.company,
        record_ids=records or [world.company_records[0]],
        ground=ground,
        statement="异议陈述",
        applicant="申请人",
        agent="王律师（委托代理人）",
        channel="credit_china",
        evidence=evidence or [],
        files_dir=world.files_dir,
    )


def _conclude(s: Session, oid: int) -> None:
    service.apply_label(s, AS_OPERATOR, oid)
    service.start_self_review(s, AS_OPERATOR, oid)
    service.decide(s, AS_OPERATOR, oid, outcome="upheld", reasons="无误")
    service.notify(s, AS_OPERATOR, oid)
    service.close(s, AS_OPERATOR, oid)


# --- evidence -------------------------------------------------------------------------------


def test_art40_evidence_is_stored_by_content_and_can_be_read_back(world: World) -> None:
    with on("2024-09-27"), world.platform.transaction() as s:
        got = _receive(world, s, evidence=[PDF, PNG, TXT])
        rows = list(s.scalars(select(Evidence).order_by(Evidence.id)))
        assert [r.content_type for r in rows] == ["application/pdf", "image/png", "text/plain"]
        assert list(got.evidence) == [r.id for r in rows]
        for row, f in zip(rows, (PDF, PNG, TXT), strict=True):
            assert row.sha256 == hashlib.sha256(f.data).hexdigest() and row.size == len(f.data)
            assert row.stored_path.startswith("evidence/")
            # Stored encrypted (issue 23): read through the row's session, which has the keys.
            assert read(row, world.files_dir) == f.data


def test_art40_evidence_too_large_is_refused_with_its_field(world: World) -> None:
    big = EvidenceFile("scan.pdf", b"%PDF-" + b"0" * MAX_EVIDENCE_BYTES)
    with on("2024-09-27"), world.platform.transaction() as s:
        with pytest.raises(TooLarge) as exc:
            _receive(world, s, evidence=[PDF, big])
        assert exc.value.field == "evidence[1].size"
        assert s.scalar(select(func.count()).select_from(Objection)) == 0
    assert not (world.files_dir / "evidence").exists()  # nothing written before the checks


@pytest.mark.parametrize(
    ("file", "field"),
    [
        (EvidenceFile("scan.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"), "evidence[0].data"),
        (EvidenceFile("photo.png", PDF.data), "evidence[0].name"),
        (EvidenceFile("photo.jpg", PNG.data), "evidence[0].name"),
        (EvidenceFile("scan.pdf", PDF.data, "image/png"), "evidence[0].content_type"),
        (EvidenceFile("notes.txt", "说明".encode("gb18030")), "evidence[0].data"),
        (EvidenceFile("empty.pdf", b""), "evidence[0].data"),
        (EvidenceFile("", PDF.data), "evidence[0].name"),
    ],
)
def test_art40_evidence_type_is_checked_by_magic_bytes_not_the_name(
    file: EvidenceFile, field: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        check([file])
    assert exc.value.field == field


def test_art40_evidence_detection() -> None:
    assert detect(b"\xff\xd8\xff\xe0\x00\x10JFIF") is not None
    assert detect("纯文本\n第二行\t".encode()) is not None
    assert detect(b"text with a NUL\x00") is None
    assert (
        check([EvidenceFile("c:\\scans\\photo.JPEG", b"\xff\xd8\xff\xe0")])[0].name == "photo.JPEG"
    )


# --- repeated objections (D-4) -------------------------------------------------------------


def test_art41_d4_repeat_is_flagged_but_registered_then_declined(world: World) -> None:
    with on("2024-09-27"), world.platform.transaction() as s:
        first = _receive(world, s, evidence=[PDF]).objection.id
        assert _receive(world, s).repeat_of is None  # the first case is still open
        _conclude(s, first)
    with on("2024-10-14"), world.platform.transaction() as s:
        again = _receive(world, s, evidence=[PDF])
        assert again.repeat_of == first and again.objection.repeat_of == first
        notice = service.decline_repeat(s, AS_OPERATOR, again.objection.id, "同一理由重复提出。")
        assert service.state(s, again.objection.id) is State.NOT_ACCEPTED
        assert notice.kind == "not_accepted" and "not accepted" in notice.html
        assert "re-examination" in notice.html  # D-4: re-examinable
        assert notice.due_on == date(2024, 10, 21)


def test_art41_d4_new_evidence_other_ground_or_record_is_not_a_repeat(world: World) -> None:
    with on("2024-09-27"), world.platform.transaction() as s:
        first = _receive(world, s, evidence=[PDF]).objection.id
        _conclude(s, first)
        assert _receive(world, s, evidence=[PDF, TXT]).repeat_of is None
        assert _receive(world, s, ground="omission").repeat_of is None
        other = [world.company_records[1]]
        assert _receive(world, s, records=other).repeat_of is None
        both = [world.company_records[1], world.company_records[0]]
        assert _receive(world, s, records=both).repeat_of == first


def test_art41_decline_a_non_repeat_needs_the_no_legitimate_reason_basis(world: World) -> None:
    with on("2024-09-27"), world.platform.transaction() as s:
        oid = _receive(world, s).objection.id
        with pytest.raises(ValidationError) as exc:
            service.decline_repeat(s, AS_OPERATOR, oid, "重复")
        assert exc.value.field == "basis"
        service.apply_label(s, AS_OPERATOR, oid)
        notice = service.decline(
            s, AS_OPERATOR, oid, basis="no_legitimate_reason", reasons="未提出任何理由。"
        )
        assert "no legitimate reason" in notice.html
        # The label applied before the refusal comes off with it (Art. 42 para 2).
        off = s.scalar(
            select(func.count())
            .select_from(RecordEvent)
            .where(RecordEvent.kind == "objection_label_off", RecordEvent.cause_id == oid)
        )
        assert off == 1
    with on("2024-09-30"), world.platform.transaction() as s:
        service.request_reexam(s, subject_of(s, oid), oid, statement="不服不予受理")
        assert service.state(s, oid) is State.REEXAM_REQUESTED


# --- D-5: beyond the legal period ----------------------------------------------------------


def test_art42_d5_expired_record_stops_provision_at_once(world: World) -> None:
    rid = world.person_expired
    with on("2024-09-27"), world.platform.transaction() as s:
        got = _receive(
            world,
            s,
            subject=world.person,
            records=[rid, world.person_recent, world.person_undated],
            ground="beyond_period",
        )
        # Conduct ended 2018-06-30: Art. 43 ended 2023-06-30. The recent record is in its
        # period, and the undated one's period is only provisional (D-6): neither stops.
        assert got.provision_stopped == (rid,)
        event = s.scalars(
            select(RecordEvent).where(
                RecordEvent.record_id == rid, RecordEvent.kind == "provision_stopped"
            )
        ).one()
        subject = s.get(Subject, world.person)
        assert subject is not None
        held = {h.record.id: h for h in held_records(s, subject)}
    assert event.effective_on == date(2024, 9, 27)
    assert (event.cause_type, event.cause_id) == ("objection", got.objection.id)
    assert held[rid].latest.facts.provision_stopped_on == date(2024, 9, 27)
    own = held[rid].latest.facts
    assert not decide(own, InquiryMode.AUTHORITY, date(2024, 9, 27), "duty").visible
    assert "provision_stopped" in decide(own, InquiryMode.SELF, date(2024, 9, 27)).labels


def test_art42_d5_not_for_other_grounds(world: World) -> None:
    with on("2024-09-27"), world.platform.transaction() as s:
        got = _receive(world, s, subject=world.person, records=[world.person_expired])
    assert got.provision_stopped == ()


# --- the archive (Art. 41 para 3) ----------------------------------------------------------


def test_art41_archive_search_by_subject_record_provider_state_and_dates(world: World) -> None:
    p = world.platform
    with on("2024-09-27"), p.transaction() as s:
        a = _receive(world, s).objection.id
        _conclude(s, a)
    with on("2024-10-09"), p.transaction() as s:
        b = _receive(world, s, records=[world.company_records[1]]).objection.id
        service.apply_label(s, AS_OPERATOR, b)
        service.transfer(s, AS_OPERATOR, b)
        c = _receive(world, s, subject=world.person, records=[world.person_recent]).objection.id

    def ids(**kw: object) -> list[int]:
        with p.transaction() as s:
            return [x.objection.id for x in search(s, **kw)]  # type: ignore[arg-type]

    assert ids() == [c, b, a]  # newest first
    assert ids(subject_id=world.company) == [b, a]
    assert ids(record_id=world.company_records[0]) == [a]
    assert ids(provider_id=world.provider_id) == [c, b, a]
    assert ids(state="closed") == [a]
    assert ids(state=State.TRANSFERRED) == [b]
    assert ids(received_from=date(2024, 10, 9)) == [c, b]
    assert ids(received_to=date(2024, 9, 27)) == [a]
    with p.transaction() as s:
        file = case_file(s, a)
    assert file.state is State.CLOSED and next(e.kind for e in file.events) == "received"
    assert [n.kind for n in file.notices] == ["outcome"]
    assert file.objection.agent == "王律师（委托代理人）"


def test_issue19_8_art40_every_wrong_field_of_an_application_is_named_at_once(
    world: World,
) -> None:
    from pcip.errors import FieldErrors

    with on("2024-09-27"), world.platform.transaction() as s:
        with pytest.raises(FieldErrors) as exc:
            service.receive(
                s,
                AS_OPERATOR,
                subject_id=world.company,
                record_ids=[world.company_records[0]],
                ground="no_such_ground",
                statement="   ",
                applicant="申请人",
                channel="pigeon",
                files_dir=world.files_dir,
            )
        assert [e.field for e in exc.value.errors] == ["ground", "channel", "statement"]
        assert [e["field"] for e in exc.value.as_dict()["errors"]] == [
            "ground",
            "channel",
            "statement",
        ]
        assert s.scalar(select(func.count()).select_from(Objection)) == 0
