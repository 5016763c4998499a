"""SM-2 (Art. 32-33, 44; D-1, D-7, D-10): every branch of the designation workflow."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pcip import clock
from pcip.errors import Conflict, NotFound, ValidationError
from pcip.kernel.audit.models import AuditEvent
from pcip.kernel.platform import Platform
from pcip.lists import designation, public
from pcip.lists.linked import own_listings
from pcip.lists.models import Designation
from pcip.lists.schemas import (
    DecisionIn,
    DropIn,
    EndIn,
    ResponseIn,
    RevokeIn,
    ServiceIn,
    StatementIn,
)
from pcip.subjects.models import Subject
from tests.lists.support import (
    COMPANY,
    DUE,
    OTHER_UNIT,
    SERVED,
    decision_body,
    listed,
    operator,
    served,
    staff,
    subject,
)


def _state(platform: Platform, did: int, on: date) -> str:
    with clock.frozen(on), platform.transaction() as s:
        return designation.out(s, s.get(Designation, did)).state


def _company(platform: Platform) -> int:
    with platform.transaction() as s:
        sid = s.scalar(select(Subject.id).where(Subject.uscc == COMPANY))
    assert sid is not None
    return sid


def test_art32_d1_d10_the_window_runs_the_list_types_working_days(platform: Platform) -> None:
    did = served(platform, staff(platform))
    with clock.frozen(SERVED), platform.transaction() as s:
        out = designation.out(s, s.get(Designation, did))
    assert out.statement_due == DUE  # 5 WD after Mon 2 Nov 2026 (the receipt day not counted)
    assert _state(platform, did, DUE) == "objection_window"
    assert _state(platform, did, date(2026, 11, 10)) == "window_lapsed"


def test_art32_deciding_without_a_served_notice_is_blocked(platform: Platform) -> None:
    who = staff(platform)
    from tests.lists.support import draft_body

    with clock.frozen(SERVED), platform.transaction() as s:
        d = designation.draft(s, platform.keyring, who, draft_body())
        with pytest.raises(Conflict, match="notice was not served"):
            designation.decide(s, platform.keyring, who, d.id, decision_body())


def test_art32_deciding_inside_the_statement_window_is_blocked(platform: Platform) -> None:
    who = staff(platform)
    did = served(platform, who)
    with (
        clock.frozen(DUE),
        platform.transaction() as s,
        pytest.raises(Conflict, match="window runs until 2026-11-09"),
    ):
        designation.decide(s, platform.keyring, who, did, decision_body())


def test_art32_a_decision_missing_the_removal_section_cannot_be_issued(platform: Platform) -> None:
    who = staff(platform)
    did = served(platform, who)
    body = decision_body().model_copy(update={"removal": " "})
    with (
        clock.frozen(date(2026, 11, 10)),
        platform.transaction() as s,
        pytest.raises(ValidationError) as err,
    ):
        designation.decide(s, platform.keyring, who, did, body)
    assert err.value.field == "removal"


def test_art32_objection_upheld_drops_the_designation(platform: Platform) -> None:
    who = staff(platform)
    did = served(platform, who)
    company = subject(_company(platform))
    with clock.frozen(date(2026, 11, 5)), platform.transaction() as s:
        designation.file_statement(s, company, did, StatementIn(text="食品系第三方调包，附证据。"))
        # An answered-for statement holds the decision back.
        with pytest.raises(Conflict, match="answer the subject's statement"):
            designation.decide(s, platform.keyring, who, did, decision_body())
        designation.respond(s, who, did, ResponseIn(outcome="upheld", reasons="证据属实"))
    assert _state(platform, did, date(2026, 11, 5)) == "dropped"
    with (
        clock.frozen(date(2026, 11, 12)),
        platform.transaction() as s,
        pytest.raises(Conflict, match="is dropped"),
    ):
        designation.decide(s, platform.keyring, who, did, decision_body())


def test_art32_objection_rejected_then_decided_served_and_listed(platform: Platform) -> None:
    who = staff(platform)
    did = served(platform, who)
    company = subject(_company(platform))
    with clock.frozen(date(2026, 11, 6)), platform.transaction() as s:
        designation.file_statement(s, company, did, StatementIn(text="处罚过重。"))
        designation.respond(s, who, did, ResponseIn(outcome="rejected", reasons="情节严重"))
        designation.decide(s, platform.keyring, who, did, decision_body())
        assert designation.out(s, s.get(Designation, did)).state == "decided"
        designation.serve_decision(
            s, who, did, ServiceIn(served_on=date(2026, 11, 6), method="post", proof="EMS 9")
        )
        d = designation.list_subject(s, who, did)
        assert d.listed_until == date(2029, 11, 6)  # 3 years (Order No. 44 Art. 17)
        out = designation.out(s, d)
    assert out.state == "listed" and out.statement_late is False
    assert [p.role for p in out.persons] == ["legal_representative"]
    kinds = [e.kind for e in out.events]
    assert kinds == [
        "drafted",
        "notice_served",
        "statement",
        "responded",
        "decided",
        "decision_served",
        "listed",
    ]
    with platform.transaction() as s:
        actions = set(
            s.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "designation"))
        )
    assert {"designation.decided", "designation.listed"} <= actions


def test_art32_a_late_statement_is_recorded_and_does_not_hold_the_decision(
    platform: Platform,
) -> None:
    who = staff(platform)
    did = served(platform, who)
    with clock.frozen(date(2026, 11, 11)), platform.transaction() as s:
        # Registered by staff, received on paper the day after the window closed.
        designation.file_statement(
            s, who, did, StatementIn(text="迟到的申辩", received_on=date(2026, 11, 10))
        )
        out = designation.out(s, s.get(Designation, did))
        assert out.statement_late is True
        designation.decide(s, platform.keyring, who, did, decision_body())


def test_art32_each_step_is_its_roles(platform: Platform) -> None:
    who = staff(platform)
    did = served(platform, who)
    other = staff(platform, OTHER_UNIT, "重庆市税务局")
    stranger = subject(10_000)
    with (
        clock.frozen(date(2026, 11, 10)),
        platform.transaction() as s,
        pytest.raises(NotFound),
    ):
        designation.decide(s, platform.keyring, other, did, decision_body())
        with pytest.raises(NotFound):
            designation.file_statement(s, stranger, did, StatementIn(text="x"))
        with pytest.raises(NotFound):
            designation.get(s, stranger, did)
        assert designation.get(s, operator(), did).id == did


def test_art44_removal_ends_the_listing_and_the_public_page_drops_it(platform: Platform) -> None:
    who = staff(platform)
    did = listed(platform, who)
    anyone = operator()
    on = date(2026, 11, 20)
    with clock.frozen(on), platform.transaction() as s:
        shown = public.entries(s, anyone, "serious_illegal_untrustworthy")
        assert [e.designation_id for e in shown.entries] == [did]
        designation.remove(s, who, did, EndIn(reason="已履行全部义务并纠正（第二十条）"))
        assert public.entries(s, anyone, "serious_illegal_untrustworthy").entries == []
        d = s.get(Designation, did)
        assert d is not None and d.end_kind == "removed"  # a transition, never a deletion
        assert designation.out(s, d).state == "removed"


def test_art44_revocation_of_the_basis_withdraws_the_listing(platform: Platform) -> None:
    who = staff(platform)
    did = listed(platform, who)
    with clock.frozen(date(2026, 11, 20)), platform.transaction() as s:
        designation.revoke(
            s,
            operator(),
            did,
            RevokeIn(cause="court_judgment", reason="法院判决撤销所依据的行政处罚"),
        )
        out = designation.out(s, s.get(Designation, did))
    assert out.state == "revoked"
    revoked = next(e for e in out.events if e.kind == "revoked")
    # Order No. 44 Art. 19: publicity stops within 3 working days (Fri 20 Nov -> Wed 25 Nov).
    assert revoked.details["stop_publicity_by"] == "2026-11-25"


def test_art32_expiry_is_derived_and_recorded_by_the_sweep(platform: Platform) -> None:
    who = staff(platform)
    did = listed(platform, who)
    after = date(2029, 11, 11)  # listed 10 Nov 2026 for 3 years
    assert _state(platform, did, date(2029, 11, 10)) == "listed"
    assert _state(platform, did, after) == "expired"
    with clock.frozen(after), platform.transaction() as s:
        assert public.entries(s, operator(), "serious_illegal_untrustworthy").entries == []
        assert designation.expire_due(s, operator()) == 1
        assert designation.expire_due(s, operator()) == 0
        d = s.get(Designation, did)
        assert d is not None and d.end_kind == "expired" and d.ended_on == after


def test_art33_d7_linked_person_sees_the_record_until_the_listing_ends(
    platform: Platform,
) -> None:
    who = staff(platform)
    did = listed(platform, who)
    with platform.transaction() as s:
        from pcip.lists.models import DesignationPerson

        person_id = s.scalar(
            select(DesignationPerson.person_id).where(DesignationPerson.designation_id == did)
        )
    assert person_id is not None
    with clock.frozen(date(2026, 11, 12)), platform.transaction() as s:
        [mine] = own_listings(s, person_id, clock.today())
        assert mine.relation == "legal_representative" and mine.state == "listed"
        assert mine.organisation == "重庆失信示范有限公司"
        assert mine.provided_until == date(2031, 9, 30)  # Art. 43: 5 years from conduct end
        designation.remove(s, who, did, EndIn(reason="提前移出"))
        [ended] = own_listings(s, person_id, clock.today())
        assert ended.state == "removed"


def test_art32_the_subject_sees_its_designation_from_the_notice_on(platform: Platform) -> None:
    who = staff(platform)
    from tests.lists.support import draft_body

    with clock.frozen(SERVED), platform.transaction() as s:
        d = designation.draft(s, platform.keyring, who, draft_body())
        assert own_listings(s, d.subject_id, SERVED) == []  # a draft is the department's
        designation.serve_notice(
            s, who, d.id, ServiceIn(served_on=SERVED, method="electronic", proof="送达回证")
        )
        [mine] = own_listings(s, d.subject_id, SERVED)
    assert mine.relation == "listed" and mine.state == "objection_window"
    assert "申请提前移出" in mine.removal_procedure or mine.removal_procedure


def test_art32_drop_before_deciding_and_not_after(platform: Platform) -> None:
    who = staff(platform)
    did = listed(platform, who)
    with clock.frozen(date(2026, 11, 12)), platform.transaction() as s, pytest.raises(Conflict):
        designation.drop(s, who, did, DropIn(reason="x"))
    other = served(platform, who, "渝市监信〔2026〕2号")
    with clock.frozen(SERVED), platform.transaction() as s:
        designation.drop(s, who, other, DropIn(reason="事实不清"))
        assert designation.out(s, s.get(Designation, other)).state == "dropped"


def test_art33_a_natural_person_listing_names_no_persons(platform: Platform) -> None:
    _ = DecisionIn  # the decision shape is shared
    who = staff(platform)
    from tests.lists.support import draft_body

    body = draft_body().model_copy(update={"uscc": None, "citizen_id": "11010519491231002X"})
    with (
        clock.frozen(SERVED),
        platform.transaction() as s,
        pytest.raises(ValidationError) as err,
    ):
        designation.draft(s, platform.keyring, who, body)
    assert err.value.field == "citizen_id"  # this list holds organisations only
