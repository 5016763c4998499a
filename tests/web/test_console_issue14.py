"""Issue 14.5-10 through the pages: inquiry scopes set by the operator, the unit's inquiry form
within its scope and with the fixed confidentiality reasons, a withdrawal decided on the case
page, a paper re-examination registered by the department, and the subject's view of a
confidential inquiry. The rules themselves are tested in tests/inquiry and tests/objections."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from pcip.inquiry.models import InquiryScopeGrant
from pcip.objections import service
from pcip.objections.models import ObjectionEvent
from pcip.objections.states import State
from pcip.records.models import REFILED_SUFFIX, CreditRecord, RecordEvent
from tests.helpers import citizen_id, uscc
from tests.objections.cases import case_in
from tests.web.support import person_a
from tests.web.test_console_pages import org_records, staff
from tests.world import UNIT, World

BASIS = "《重庆市社会信用条例》第三十四条：审批前查询欠税信息"


def test_art22_2_operator_grants_and_ends_a_scope_item_on_the_console(site: World) -> None:
    op = staff(site, "operator")
    page = op.get("/console/scopes").text
    assert f'data-unit="{UNIT}"' in page and 'data-item="admin_penalty"' in page
    provider_id = re.search(r'<option value="(\d+)"[^>]*>[^<]*' + UNIT, page)
    assert provider_id is not None
    pid = provider_id.group(1)
    # Refused without a legal basis that says something: the field is named, nothing stored.
    r = op.post(
        "/console/scopes", {"provider_id": pid, "item_code": "tax_arrears", "legal_basis": "无"}
    )
    assert r.status_code == 422 and 'id="legal_basis-error"' in r.text
    r = op.post(
        "/console/scopes", {"provider_id": pid, "item_code": "tax_arrears", "legal_basis": BASIS}
    )
    assert r.status_code == 200 and 'id="scope-result"' in r.text
    with site.platform.transaction() as s:
        grant = s.scalars(select(InquiryScopeGrant)).one()
        assert grant.legal_basis == BASIS and grant.revoked_at is None
    # The unit's inquiry form now offers the granted item; the department reads the scope.
    unit = staff(site, "provider")
    assert 'value="tax_arrears"' in unit.get("/console/inquiry").text
    assert BASIS in staff(site, "drc").get("/console/scopes").text
    assert staff(site, "drc").post(
        "/console/scopes", {"provider_id": pid}, form="/console/scopes"
    ).status_code in (403, 404)
    r = op.post(
        f"/console/scopes/{grant.id}/revoke",
        {"provider_id": pid, "reason": "职责已调整"},
        form="/console/scopes",
    )
    assert r.status_code == 200
    assert 'value="tax_arrears"' not in unit.get("/console/inquiry").text


def test_art22_2_the_inquiry_form_refuses_a_placeholder_purpose_next_to_the_field(
    site: World,
) -> None:
    unit = staff(site, "provider")
    form = unit.get("/console/inquiry").text
    assert 'value="admin_penalty"' in form and 'value="tax_arrears"' not in form
    assert 'name="confidential_reason"' in form and "supervision_investigation" in form
    r = unit.post(
        "/console/inquiry",
        {
            "id_type": "uscc",
            "identifier": site.org_uscc,
            "purpose_code": "credit_check",
            "purpose": "查询",
        },
    )
    assert r.status_code == 422 and 'id="purpose-error"' in r.text
    assert "占位文字" in r.text  # the refusal, in the page's language


def test_d26_a_confidential_console_inquiry_shows_the_subject_only_unit_and_time(
    site: World,
) -> None:
    unit = staff(site, "provider")
    r = unit.post(
        "/console/inquiry",
        {
            "id_type": "citizen_id",
            "identifier": site.person_a,
            "purpose_code": "law_enforcement",
            "purpose": "渝市监罚〔2026〕12号案件调查取证",
            "confidential_reason": "administrative_penalty_investigation",
        },
    )
    assert r.status_code == 200, r.text
    page = person_a(site).get("/me/inquiries").text
    assert 'data-withheld="true"' in page and "重庆市市场监督管理局" in page
    assert "详情不予显示" in page and "12号案件" not in page


def test_art42_issue14_8_operator_withdraws_a_record_and_files_it_under_the_right_subject(
    site: World,
) -> None:
    rid = org_records(site)[0]
    oid = case_in(site.platform, site.subject_ids["org"], [rid], "self_review")
    op = staff(site, "operator")
    url = f"/console/objections/{oid}/step/decide"
    form = op.get(url).text
    assert 'name="withdrawal_ground"' in form and 'name="refile_identifier"' in form
    right = uscc(41)
    base = {"outcome": "withdrawn", "reasons": "经核实，处罚决定书载明的当事人为另一家公司。"}
    # The right subject by the same kind of identifier: a person's ID for a company is refused.
    r = op.post(
        url,
        {
            **base,
            "withdrawal_ground": "wrong_subject",
            "refile_id_type": "citizen_id",
            "refile_identifier": citizen_id(17),
            "refile_name": "赵七",
        },
        form=url,
    )
    assert r.status_code == 422 and 'id="refile_identifier-error"' in r.text
    r = op.post(
        url,
        {
            **base,
            "withdrawal_ground": "wrong_subject",
            "refile_id_type": "uscc",
            "refile_identifier": right,
            "refile_name": "重庆另一商贸有限公司",
        },
        form=url,
    )
    assert r.status_code == 303, r.text
    with site.platform.transaction() as s:
        assert service.state(s, oid) is State.DECIDED
        refiled = s.scalars(
            select(CreditRecord).where(CreditRecord.natural_key.endswith(REFILED_SUFFIX))
        ).one()
        assert refiled.subject_id != site.subject_ids["org"]


def test_art40_4_issue14_9_department_registers_a_paper_application_on_the_case_page(
    site: World,
) -> None:
    rid = org_records(site)[0]
    oid = case_in(site.platform, site.subject_ids["org"], [rid], "closed")
    drc = staff(site, "drc")
    case = drc.get(f"/console/objections/{oid}").text
    assert "register_reexam" in case
    url = f"/console/objections/{oid}/step/register_reexam"
    assert drc.get(url).status_code == 200
    r = drc.post(
        url,
        {
            "applicant": "重庆示例科技有限公司",
            "channel": "desk",
            "received_at": "2026-11-26T10:00",
            "statement": "书面申请复核，附处罚决定书复印件。",
        },
        form=url,
    )
    assert r.status_code == 303, r.text
    with site.platform.transaction() as s:
        assert service.state(s, oid) is State.REEXAM_REQUESTED
        event = s.scalars(
            select(ObjectionEvent).where(
                ObjectionEvent.objection_id == oid, ObjectionEvent.kind == "reexam_requested"
            )
        ).one()
    assert event.payload["channel"] == "desk"
    assert event.payload["received_at"].startswith("2026-11-26T10:00")
    assert date.fromisoformat(event.payload["received_at"][:10]) == date(2026, 11, 26)
    # The operator and the unit do not register re-examinations.
    assert staff(site, "operator").get(url).status_code == 403


def test_art42_3_issue14_8_unit_withdraws_its_own_record_on_the_records_page(
    site: World,
) -> None:
    rid = org_records(site)[0]
    unit = staff(site, "provider")
    url = f"/console/records/{rid}"
    form = unit.get(url).text
    assert 'value="withdrawn"' in form and 'name="withdrawal_ground"' in form
    r = unit.post(url, {"outcome": "withdrawn", "reasons": "处罚决定已撤销，记录依据错误"})
    assert r.status_code == 422 and 'id="withdrawal_ground-error"' in r.text
    r = unit.post(
        url,
        {
            "outcome": "withdrawn",
            "reasons": "处罚决定已撤销，记录依据错误",
            "withdrawal_ground": "wrong_basis",
        },
    )
    assert r.status_code == 303, r.text
    with site.platform.transaction() as s:
        kinds = set(s.scalars(select(RecordEvent.kind).where(RecordEvent.record_id == rid)))
    assert {"withdrawn", "provision_stopped"} <= kinds
