"""Art. 44: a basis document revoked or changed withdraws or updates the records, linked
records and listings resting on it, in one transaction, and every department that received
them finds the change in its list."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from pcip import clock
from pcip.errors import Conflict, NotFound, ValidationError
from pcip.inquiry import service as inquiry
from pcip.inquiry.schemas import Channel
from pcip.kernel.audit.models import AuditEvent
from pcip.kernel.platform import Platform
from pcip.lists.linked import own_listings
from pcip.lists.models import Designation, DesignationPerson
from pcip.records.models import RecordEvent, RecordVersion
from pcip.revocation import queries, service
from pcip.revocation.schemas import ChangeIn
from tests.lists.support import operator
from tests.revocation.support import (
    BASIS,
    CHECKED,
    REVOKED,
    UNIT_NAME,
    company_id,
    credit_check,
    inquire,
    listed_on_basis,
    records_on,
    unit_staff,
)


def _body(**kw: Any) -> ChangeIn:
    base: dict[str, Any] = {
        "basis_issuer": UNIT_NAME,
        "basis_number": BASIS,
        "kind": "revoked",
        "document_kind": "judgment",
        "document_number": "（2026）渝0103行初123号",
        "document_issuer": "重庆市渝中区人民法院",
        "document_date": date(2026, 12, 9),
        "document_ref": "判决书正本 档案 2026-445",
        "reason": "法院判决撤销所依据的行政处罚决定",
    }
    return ChangeIn.model_validate(base | kw)


def _public_ids(platform: Platform, org: str, on: date) -> list[int]:
    from pcip.auth.permissions import ANONYMOUS

    with clock.frozen(on), platform.transaction() as s:
        result = inquiry.public_organisation(s, ANONYMOUS, org, Channel.WEB)
    return [r.record_id for r in result.records]


def test_art44_revoking_a_basis_withdraws_records_linked_records_and_listings_at_once(
    platform: Platform, api_world_data: Any
) -> None:
    org = api_world_data.org_uscc
    who = unit_staff(platform)
    [record_id] = records_on(platform, BASIS)
    assert record_id in _public_ids(platform, org, REVOKED)
    did = listed_on_basis(platform, who, org)
    inquired = inquire(platform, who, org, CHECKED)
    checked = credit_check(platform, who, org, CHECKED)
    with clock.frozen(REVOKED), platform.transaction() as s:
        before = s.scalar(select(func.count()).select_from(RecordVersion))
        change = service.register(s, who, _body(), channel="api")
        out = queries.out(s, change)
    assert {(i.target_type, i.target_id, i.effect) for i in out.items} == {
        ("record", record_id, "withdrawn"),
        ("designation", did, "revoked"),
    }
    # Disclosure stops in every mode but the subject's own the same day (append-only facts).
    assert record_id not in _public_ids(platform, org, REVOKED)
    assert record_id in _public_ids(platform, org, date(2026, 12, 9))  # history answers
    with platform.transaction() as s:
        assert s.scalar(select(func.count()).select_from(RecordVersion)) == before
        [event] = s.scalars(select(RecordEvent).where(RecordEvent.record_id == record_id)).all()
        assert (event.kind, event.effective_on, event.cause_type) == (
            "basis_revoked",
            REVOKED,
            "basis_change",
        )
        d = s.get(Designation, did)
        assert d is not None and (d.end_kind, d.ended_on) == ("revoked", REVOKED)
        # D-7: the responsible person's linked record ends with the listing.
        person = s.scalar(
            select(DesignationPerson.person_id).where(DesignationPerson.designation_id == did)
        )
        assert person is not None
        [linked] = own_listings(s, person, REVOKED)
        assert linked.state == "revoked"
        actions = set(s.scalars(select(AuditEvent.action)))
        assert {"basis.revoked", "designation.revoked"} <= actions
    # The department that received the record (inquiry) and the listing (credit check).
    with clock.frozen(REVOKED), platform.transaction() as s:
        rows = queries.department_changes(s, operator())
    got = {(r.department, r.target_type, r.target_id, tuple(r.inquiry_ids)) for r in rows}
    assert (UNIT_NAME, "record", record_id, (inquired,)) in got
    assert checked is not None
    assert (UNIT_NAME, "designation", did, (checked,)) in got


def test_art44_the_subjects_own_view_keeps_the_withdrawn_record_with_its_reason(
    platform: Platform, api_world_data: Any
) -> None:
    from pcip.auth.permissions import Principal
    from pcip.kernel.actors import Actor
    from pcip.kernel.enums import ActorKind

    org = api_world_data.org_uscc
    who = unit_staff(platform)
    [record_id] = records_on(platform, BASIS)
    with clock.frozen(REVOKED), platform.transaction() as s:
        service.register(s, who, _body(), channel="cli")
    sid = company_id(platform, org)
    me = Principal.internal(Actor(ActorKind.SUBJECT, str(sid), "org"), subject_id=sid)
    with clock.frozen(REVOKED), platform.transaction() as s:
        own = inquiry.own(s, me, Channel.WEB)
    [mine] = [r for r in own.records if r.record_id == record_id]
    assert "basis_revoked" in mine.labels


def test_art44_a_changed_basis_appends_a_version_resting_on_the_new_document(
    platform: Platform, api_world_data: Any
) -> None:
    who = unit_staff(platform)
    [record_id] = records_on(platform, BASIS)
    body = _body(
        kind="amended",
        document_kind="reconsideration",
        document_issuer="重庆市人民政府行政复议办公室",
        document_number="渝府复〔2026〕9号",
        new_basis={
            "number": "渝市监〔2026〕001号-变更",
            "issuer": UNIT_NAME,
            "decision_date": "2026-12-09",
        },
    )
    with clock.frozen(REVOKED), platform.transaction() as s:
        change = service.register(s, who, body, channel="api")
        [item] = queries.out(s, change).items
        versions = s.scalars(
            select(RecordVersion)
            .where(RecordVersion.record_id == record_id)
            .order_by(RecordVersion.version)
        ).all()
    assert item.effect == "updated"
    assert [v.version for v in versions] == [1, 2]
    assert versions[1].basis_id == change.replacement_basis_id != versions[0].basis_id
    assert versions[1].cause_type == "basis_change" and "Art. 44" in versions[1].reason
    assert record_id in _public_ids(platform, api_world_data.org_uscc, date(2026, 12, 11))


def test_art44_nothing_is_half_applied_and_a_basis_is_revoked_once(
    platform: Platform, api_world_data: Any
) -> None:
    who = unit_staff(platform)
    [record_id] = records_on(platform, BASIS)
    with (
        clock.frozen(REVOKED),
        platform.transaction() as s,
        pytest.raises(NotFound, match="no designation 999"),
    ):
        service.register(s, who, _body(designation_ids=[999]), channel="api")
    with platform.transaction() as s:
        assert not s.scalars(select(RecordEvent).where(RecordEvent.record_id == record_id)).all()
    with clock.frozen(REVOKED), platform.transaction() as s:
        with pytest.raises(ValidationError) as err:
            service.register(s, who, _body(document_ref=None), channel="api")
        assert err.value.field == "document_ref"
        with pytest.raises(ValidationError) as err:
            service.register(s, who, _body(effective_on=date(2026, 12, 1)), channel="api")
        assert err.value.field == "effective_on"
        with pytest.raises(NotFound) as nf:
            service.register(s, who, _body(basis_number="渝市监〔2026〕404号"), channel="api")
        assert nf.value.field == "basis_number"
    with clock.frozen(REVOKED), platform.transaction() as s:
        service.register(s, who, _body(), channel="feed")
    with (
        clock.frozen(REVOKED),
        platform.transaction() as s,
        pytest.raises(Conflict, match="already revoked"),
    ):
        service.register(s, who, _body(), channel="feed")


def test_art44_another_unit_cannot_revoke_a_basis_it_does_not_rest_on(
    platform: Platform, api_world_data: Any
) -> None:
    from tests.lists.support import OTHER_UNIT, staff

    other = staff(platform, OTHER_UNIT, "重庆市税务局")
    with clock.frozen(REVOKED), platform.transaction() as s, pytest.raises(NotFound):
        service.register(s, other, _body(), channel="api")
    with clock.frozen(REVOKED), platform.transaction() as s:
        assert queries.department_changes(s, other) == []
