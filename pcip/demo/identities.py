"""What the one-click demo identities own (issue 19.11): the persons and organisations the
development sign-in page offers to pick (``picks``) each own objection cases in several
states, the first organisation a listing in force and the second one in its statement window,
and the first person and the first organisation with a record that may be restored today a
restoration case (Art. 45), so a newcomer who signs
in as any of them sees each workflow from the subject's side. Everything is made through the
areas' services, by named demo actors in their roles (synthetic data only)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Principal
from pcip.demo import scenario
from pcip.demo.accounts import DEMO_UNIT
from pcip.demo.cases import AS_OPERATOR, STATEMENT
from pcip.demo.generators.records import Issuer, Party
from pcip.errors import PcipError
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind, SubjectKind
from pcip.kernel.platform import Platform
from pcip.lists import designation
from pcip.lists.schemas import DecisionIn, DraftIn, ServiceIn
from pcip.objections import service as objections
from pcip.objections.evidence import EvidenceFile
from pcip.objections.models import Objection
from pcip.providers.models import Provider
from pcip.records.ingest import Source
from pcip.records.models import CreditRecord
from pcip.records.queries import subjects_with_records
from pcip.restoration import service as restoration
from pcip.subjects.models import Subject
from pcip.subjects.service import reveal_identifier

#: How many persons and how many organisations the development sign-in page offers.
PICKS = 3

#: The states each pick's cases are walked to, in turn (two cases per identity).
STATES = (
    ("notified", "self_review"),
    ("reexam_requested", "labelled"),
    ("transferred", "received"),
)
PROOF = EvidenceFile("整改报告.txt", "违法行为已整改完毕，罚款已全额缴纳。\n".encode())
CORRECTION = "罚款已全额缴纳，违法行为已整改完毕，整改报告已报监管部门备案。"


def picks(session: Session) -> list[Subject]:
    """The demo identities of the development sign-in: the first persons (identified by a
    citizen ID with a birth date) and the first organisations that have records."""
    persons = subjects_with_records(
        session, SubjectKind.PERSON, limit=PICKS, born_citizens_only=True
    )
    orgs = subjects_with_records(session, SubjectKind.LEGAL_PERSON, limit=PICKS)
    return [*persons, *orgs]


def _subject(subject_id: int) -> Principal:
    return Principal.internal(
        Actor(ActorKind.SUBJECT, str(subject_id), "demo subject"), subject_id=subject_id
    )


def _walk(s: Session, oid: int, state: str, files_dir: Path | None) -> None:
    label = ["labelled", "transferred", "self_review", "notified", "reexam_requested"]
    if state in label:
        objections.apply_label(s, AS_OPERATOR, oid)
    if state == "transferred":
        objections.transfer(s, AS_OPERATOR, oid)
    if state in ("self_review", "notified", "reexam_requested"):
        objections.start_self_review(s, AS_OPERATOR, oid)
    if state in ("notified", "reexam_requested"):
        objections.decide(
            s, AS_OPERATOR, oid, outcome="upheld", reasons="经核实，原记录准确、完整，予以维持。"
        )
        objections.notify(s, AS_OPERATOR, oid)
    if state == "reexam_requested":
        sid = s.scalar(select(Objection.subject_id).where(Objection.id == oid))
        assert sid is not None
        objections.request_reexam(
            s, _subject(sid), oid, statement="申请人不服处理结果，申请复核。", files_dir=files_dir
        )


def _enough_records(platform: Platform, persons: list[int]) -> None:
    """A person with fewer than three records gets penalties from the demo unit, so it can own
    two cases and still have a record to object on."""
    today = clock.today()
    for sid in persons:
        with platform.transaction() as s:
            unit = s.scalar(select(Provider).where(Provider.name == DEMO_UNIT))
            subject = s.get(Subject, sid)
            have = len(
                list(s.scalars(select(CreditRecord.id).where(CreditRecord.subject_id == sid)))
            )
            if unit is None or subject is None or have >= 3:
                continue
            number = reveal_identifier(platform.keyring, subject)
            party = Party(SubjectKind.PERSON, subject.name, citizen_id=number)
            issuer = Issuer(unit.name, unit.uscc)
        rows = [
            scenario.item_row(
                platform, "admin_penalty", party, issuer, today, seed=f"identity-{sid}-{n}"
            )
            for n in range(3 - have)
        ]
        scenario.submit(
            platform,
            Actor.system("demo"),
            unit_uscc=issuer.uscc,
            item="admin_penalty",
            rows=rows,
            source=Source("demo", "demo-identities"),
        )


def _objections(platform: Platform, subject_ids: list[int]) -> int:
    """Two cases for each identity, on two of its records (one record stays free to object
    on); every record's own unit handles a transfer."""
    made = 0
    now = clock.now()
    for n, sid in enumerate(subject_ids):
        with platform.transaction() as s:
            rows = list(
                s.scalars(
                    select(CreditRecord.id)
                    .where(CreditRecord.subject_id == sid)
                    .order_by(CreditRecord.id)
                )
            )
        for state, rid in zip(STATES[n % len(STATES)], rows[:-1] or [], strict=False):
            with platform.transaction() as s:
                try:
                    received = objections.receive(
                        s,
                        _subject(sid),
                        subject_id=sid,
                        record_ids=[rid],
                        ground="error",
                        statement="记录载明的事实与实际情况不符，请予核实更正。",
                        applicant="申请人（演示）",
                        channel="web",
                        evidence=[STATEMENT],
                        received_at=now - timedelta(days=2 + made % 5),
                        files_dir=platform.settings.files_dir,
                    )
                    _walk(s, received.objection.id, state, platform.settings.files_dir)
                except PcipError:
                    s.rollback()
                    continue
            made += 1
    return made


def _listings(platform: Platform, orgs: list[Subject]) -> int:
    """The first organisation listed (its notice served 40 days ago, its statement window long
    closed), the second with the pre-designation notice served today (its window open). The
    first one's draft and notice are made on their day, as the demo's cases are received on
    theirs (the clock set back for them: the designation's own dates cannot precede it)."""
    now = clock.now()
    made = 0
    for n, org in enumerate(orgs[:2]):
        with platform.transaction() as s:
            unit = s.scalar(select(Provider).where(Provider.name == DEMO_UNIT))
        if unit is None or org.uscc is None:
            return made
        staff = Principal(
            ActorKind.PROVIDER,
            Actor(ActorKind.PROVIDER, f"{unit.uscc}/demo-lists", "名单认定人员（演示）"),
            via="session",
            provider_id=unit.id,
            organisation=unit.name,
        )
        served = now - timedelta(days=40) if n == 0 else now
        try:
            with clock.frozen(served), platform.transaction() as s:
                day = clock.today()
                d = designation.draft(
                    s,
                    platform.keyring,
                    staff,
                    DraftIn(
                        list_type="serious_illegal_untrustworthy",
                        uscc=org.uscc,
                        name=org.name,
                        case_ref=f"渝市监信〔{day.year}〕{n + 1}号",
                        facts="生产销售不符合食品安全标准的食品，造成多人就医。",
                        grounds="性质恶劣、情节严重、社会危害较大",
                        basis="《市场监督管理严重违法失信名单管理办法》第五条第一项",
                        conduct_end_date=day - timedelta(days=60),
                    ),
                )
                designation.serve_notice(
                    s, staff, d.id, ServiceIn(served_on=day, method="post", proof="EMS 回执")
                )
                did = d.id
            if n == 0:
                today = clock.today()
                with platform.transaction() as s:
                    designation.decide(
                        s,
                        platform.keyring,
                        staff,
                        did,
                        DecisionIn(
                            decision_number=f"渝市监列严〔{today.year}〕1号",
                            measures="列入严重违法失信名单，通过公示系统公示，实施重点监管",
                            removal="列入满一年可申请提前移出；公示满三年移出",
                            remedies="六十日内可申请行政复议，或六个月内提起行政诉讼",
                            persons=[],
                        ),
                    )
                    designation.serve_decision(
                        s, staff, did, ServiceIn(served_on=today, method="post", proof="EMS 回执")
                    )
                    designation.list_subject(s, staff, did)
        except PcipError:
            continue
        made += 1
    return made


def _restorations(platform: Platform, subject_ids: list[int]) -> int:
    """A restoration application of the first of the given identities that has a record that
    may be restored today (Art. 45), on its newest such record."""
    made = 0
    for sid in subject_ids:
        if made:
            break
        with platform.transaction() as s:
            rows = list(
                s.scalars(
                    select(CreditRecord.id)
                    .where(CreditRecord.subject_id == sid)
                    .order_by(CreditRecord.id.desc())
                )
            )
        for rid in rows:
            with platform.transaction() as s:
                try:
                    restoration.apply(
                        s,
                        _subject(sid),
                        record_id=rid,
                        correction=CORRECTION,
                        files=[PROOF],
                        files_dir=platform.settings.files_dir,
                    )
                except PcipError:
                    s.rollback()
                    continue
            made += 1
            break
    return made


def create_demo_identity_cases(platform: Platform) -> str:
    """Objections, listings and restorations of the one-click identities (a summary line)."""
    with platform.transaction() as s:
        chosen = picks(s)
        persons = [p.id for p in chosen if p.kind == SubjectKind.PERSON.value]
        orgs = [p for p in chosen if p.kind != SubjectKind.PERSON.value]
        for o in orgs:
            s.expunge(o)
    _enough_records(platform, persons)
    cases = _objections(platform, [*persons, *(o.id for o in orgs)])
    listed = _listings(platform, orgs)
    restored = _restorations(platform, persons) + _restorations(platform, [o.id for o in orgs])
    return (
        f"demo identities: {cases} objection(s), {listed} listing(s), {restored} "
        "restoration application(s) of the sign-in page's picks (issue 19.11)"
    )
