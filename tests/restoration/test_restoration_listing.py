"""Restoring a listed organisation (Art. 45 para 3; D-7, D-8): the listing is removed through
the lists service, its responsible persons' linked records end with it, and the persons
concerned are named only in a sealed audit entry."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pcip import clock
from pcip.errors import NotFound
from pcip.kernel.audit.models import AuditEvent
from pcip.kernel.platform import Platform
from pcip.lists.linked import linked_in_force, own_listings
from pcip.lists.models import Designation, DesignationPerson
from pcip.lists.public import listed_on_day
from pcip.restoration import service
from pcip.restoration.states import State
from tests.lists.support import listed, operator, staff, subject

CORRECTION = "已缴纳全部罚款并完成整改，整改报告经监管部门验收合格。"


def _company(platform: Platform, did: int) -> int:
    with platform.transaction() as s:
        d = s.get(Designation, did)
        assert d is not None
        return d.subject_id


def test_art45_a_listing_is_restorable_only_after_the_list_rules_period(platform: Platform) -> None:
    who = staff(platform)
    did = listed(platform, who)  # listed 2026-11-10; early removal after 1 year
    company = _company(platform, did)
    with (
        clock.frozen("2027-03-01T10:00:00"),
        platform.transaction() as s,
        pytest.raises(service.TooEarly) as err,
    ):
        service.apply(s, subject(company), designation_id=did, correction=CORRECTION)
    assert err.value.possible_from == date(2027, 11, 10)
    assert err.value.field == "designation_id"


def test_art45_restoring_a_listed_organisation_removes_it_and_ends_linked_records(
    platform: Platform,
) -> None:
    who = staff(platform)
    did = listed(platform, who)
    company = _company(platform, did)
    with clock.frozen("2027-11-15T10:00:00"), platform.transaction() as s:
        case_id = service.apply(
            s, subject(company), designation_id=did, correction=CORRECTION, channel="api"
        ).id
        with pytest.raises(NotFound):  # a listing is removed by the unit that listed it
            service.assign(s, operator(), case_id, "平台人员")
    with clock.frozen("2027-11-16T10:00:00"), platform.transaction() as s:
        service.assign(s, who, case_id, "刘专员")
        service.accept(s, who, case_id)
        case = service.approve(s, who, case_id, "已纠正并履行全部义务，提前移出名单")
        assert case.state is State.RESTORED
    day = date(2027, 11, 16)
    with platform.transaction() as s:
        d = s.get(Designation, did)
        assert d is not None and d.end_kind == "removed" and d.ended_on == day
        assert not linked_in_force(d, day)  # D-7: the persons' records end with it
        assert linked_in_force(d, date(2027, 11, 15))
        assert all(x.id != did for x in listed_on_day(s, company, day))
        sealed = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "restoration.linked_records_removed")
        ).all()
        assert len(sealed) == 1 and sealed[0].details["persons"][0]["role"] == (
            "legal_representative"
        )
        assert "name" not in sealed[0].details["persons"][0]
        # D-8: removed from the store and every output, the persons' own pages included
        person = sealed[0].details["persons"][0]["subject_id"]
        assert not s.scalars(
            select(DesignationPerson).where(DesignationPerson.designation_id == did)
        ).all()
        assert all(x.designation_id != did for x in own_listings(s, person, day))
