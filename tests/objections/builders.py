"""A small world for the objection tests: one unit, a company and a person with penalties.

Records go through the real ingestion pipeline on a fixed day (2024-09-02), so the 2024
worked example of docs/facts.md#working-days (objection received Fri 2024-09-27) runs on real
records.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Principal
from pcip.catalog.schemas import FieldRole
from pcip.demo import scenario
from pcip.demo.generators.records import Issuer, Party
from pcip.disclosure.service import Disclosed, disclose, held_records
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind, InquiryMode, SubjectKind
from pcip.kernel.platform import Platform
from pcip.objections.evidence import EvidenceFile
from pcip.objections.models import Objection
from pcip.providers.models import Provider
from pcip.records.ingest import Source
from pcip.records.models import BasisDocument, CreditRecord, RecordVersion
from pcip.subjects.models import Subject
from tests.helpers import citizen_id, uscc

SYSTEM = Actor.system("test")
OPERATOR = Actor(ActorKind.OPERATOR, "account:1", "operator")
UNIT = uscc(900, authority="1", entity_type="1")
UNIT_STAFF = Actor(ActorKind.PROVIDER, f"{UNIT}/account:2", "unit staff")
DRC = Actor(ActorKind.DRC, "account:3", "D&R department")
#: The principals that take the steps of a case (each step checks its principal).
AS_OPERATOR = Principal(ActorKind.OPERATOR, OPERATOR, via="test")
AS_DRC = Principal(ActorKind.DRC, DRC, via="test")
INGESTED = "2024-09-02T10:00:00"

PDF = EvidenceFile(
    "decision-copy.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n", "application/pdf"
)
PNG = EvidenceFile("receipt.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "image/png")
TXT = EvidenceFile("statement.txt", "罚款已缴清，见附件。\n".encode())


@dataclass(frozen=True)
class World:
    platform: Platform
    files_dir: Path
    provider_id: int
    company: int  # subject ids
    person: int
    #: The company's two penalties (decided 2024-08-15, public until 2025-08-15).
    company_records: tuple[int, int]
    #: The person's recent penalty (decided 2024-08-20).
    person_recent: int
    #: The person's old penalty: conduct ended 2018-06-30, so Art. 43 ended 2023-06-30.
    person_expired: int
    #: A person's penalty without an end date of the conduct (Art. 43 only provisional, D-6).
    person_undated: int


def _row(
    platform: Platform, party: Party, number: str, decided: str, conduct_end: str
) -> dict[str, str]:
    fixed = {
        FieldRole.BASIS_NUMBER: number,
        FieldRole.BASIS_DECISION_DATE: decided,
        FieldRole.BASIS_EFFECTIVE_DATE: decided,
        FieldRole.CONDUCT_END_DATE: conduct_end,
        FieldRole.PUBLICITY_END: "",
    }
    issuer = Issuer("重庆市市场监督管理局", UNIT)
    row = scenario.item_row(
        platform, "admin_penalty", party, issuer, date(2024, 9, 2), seed=number, fixed=fixed
    )
    row["CF_NR_FK"] = "1.00"
    return row


def record_by_number(s: Session, number: str) -> CreditRecord:
    rid = s.scalar(
        select(RecordVersion.record_id)
        .join(BasisDocument, BasisDocument.id == RecordVersion.basis_id)
        .where(BasisDocument.number == number)
    )
    record = s.get(CreditRecord, rid)
    assert record is not None
    return record


def build(platform: Platform) -> World:
    company = Party(
        SubjectKind.LEGAL_PERSON,
        "重庆示例商贸有限公司",
        uscc=uscc(31),
        legal_rep_name="李四",
        legal_rep_id=citizen_id(13),
    )
    person = Party(SubjectKind.PERSON, "张三", citizen_id=citizen_id(11, born=date(1985, 4, 2)))
    numbers = ("渝市监罚〔2024〕001号", "渝市监罚〔2024〕002号", "渝市监罚〔2024〕003号")
    old, undated = "渝市监罚〔2018〕009号", "渝市监罚〔2024〕004号"
    with clock.frozen(INGESTED):
        with platform.transaction() as s:
            scenario.register_unit(s, SYSTEM, UNIT, "重庆市市场监督管理局", ["admin_penalty"])
        rows = [
            _row(platform, company, numbers[0], "2024-08-15", "2024-07-31"),
            _row(platform, company, numbers[1], "2024-08-15", "2024-07-31"),
            _row(platform, person, numbers[2], "2024-08-20", "2024-08-01"),
            _row(platform, person, old, "2018-09-01", "2018-06-30"),
            _row(platform, person, undated, "2024-08-20", ""),
        ]
        scenario.submit(
            platform,
            SYSTEM,
            unit_uscc=UNIT,
            item="admin_penalty",
            rows=rows,
            source=Source("test", None, None, "json"),
        )
    with platform.transaction() as s:
        ids = {n: record_by_number(s, n) for n in (*numbers, old, undated)}
        provider = s.scalar(select(Provider.id).where(Provider.uscc == UNIT))
        company_id = s.scalar(select(Subject.id).where(Subject.uscc == company.uscc))
    assert provider is not None and company_id is not None
    return World(
        platform=platform,
        files_dir=platform.settings.files_dir,
        provider_id=provider,
        company=company_id,
        person=ids[numbers[2]].subject_id,
        company_records=(ids[numbers[0]].id, ids[numbers[1]].id),
        person_recent=ids[numbers[2]].id,
        person_expired=ids[old].id,
        person_undated=ids[undated].id,
    )


def build_data(platform: Platform) -> World:
    """Build the world once per test process, into a template (tests/conftest.py)."""
    return build(platform)


def reopen(platform: Platform, data: World) -> World:
    """The world of ``data`` on ``platform``, a copy of the template it was built into."""
    return replace(data, platform=platform, files_dir=platform.settings.files_dir)


@contextmanager
def on(day: str, hour: int = 10) -> Iterator[None]:
    """Act on a given legal day (China Standard Time)."""
    with clock.frozen(f"{day}T{hour:02d}:00:00"):
        yield


def public_view(s: Session, subject_id: int, record_id: int, day: date) -> Disclosed | None:
    """What lawful public disclosure (Art. 22) gives for one record on ``day``."""
    subject = s.get(Subject, subject_id)
    assert subject is not None
    shown = disclose(held_records(s, subject), InquiryMode.PUBLIC_DISCLOSURE, day)
    return next((d for d in shown if d.held.record.id == record_id), None)


def unit(s: Session) -> Principal:
    """The unit's staff, as a principal of the unit the world's records come from."""
    provider_id = s.scalar(select(Provider.id).where(Provider.uscc == UNIT))
    assert provider_id is not None
    return Principal(ActorKind.PROVIDER, UNIT_STAFF, via="test", provider_id=provider_id)


def as_subject(subject_id: int) -> Principal:
    """The subject itself (it files objections and asks for re-examination, Art. 40)."""
    actor = Actor(ActorKind.SUBJECT, str(subject_id), "the applicant")
    return Principal(ActorKind.SUBJECT, actor, via="test", subject_id=subject_id)


def subject_of(s: Session, objection_id: int) -> Principal:
    """The subject of a case."""
    objection = s.get(Objection, objection_id)
    assert objection is not None
    return as_subject(objection.subject_id)


def unit_of(s: Session, objection_id: int) -> Principal:
    """The staff of the unit a case was transferred to."""
    objection = s.get(Objection, objection_id)
    assert objection is not None and objection.provider_id is not None
    return Principal(ActorKind.PROVIDER, UNIT_STAFF, via="test", provider_id=objection.provider_id)


def as_unit(provider_id: int) -> Principal:
    """The staff of a providing unit (by its id)."""
    return Principal(ActorKind.PROVIDER, UNIT_STAFF, via="test", provider_id=provider_id)
