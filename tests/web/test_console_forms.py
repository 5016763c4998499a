"""The console's forms: every step of an objection taken through the pages, uploads,
inquiries, corrections and the calendar; refused input comes back next to its field with
what was typed; every POST needs the form's CSRF token.

Each test names the article whose step it drives; the rules themselves are checked by the
services' tests (tests/objections, tests/records, tests/inquiry, tests/calendar).
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pcip.inquiry.models import InquiryLog
from pcip.objections import service
from pcip.objections.models import Correction, Objection
from pcip.objections.states import State
from pcip.records.models import RecordVersion
from tests.calendar.builders_2027 import schedule_2027_json
from tests.objections.cases import case_in
from tests.web.support import Browser
from tests.web.test_console_pages import org_records, staff
from tests.world import World

SAMPLE = Path(__file__).parents[2] / "docs" / "samples" / "admin_penalty.csv"
PDF = ("scan.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n", "application/pdf")


def _state(world: World, oid: int) -> State:
    with world.platform.transaction() as s:
        return service.state(s, oid)


def _step(b: Browser, oid: int, step: str, data: dict[str, str] | None = None, **kw: object):  # type: ignore[no-untyped-def]
    """POST a step with the CSRF token of the case page."""
    return b.post(
        f"/console/objections/{oid}/step/{step}",
        data or {},
        form=f"/console/objections/{oid}",
        **kw,
    )


def _fine_field(rid: int) -> str:
    return f"f.{rid}.CF_NR_FK"


# --- CSRF ---------------------------------------------------------------------------------


def test_every_console_post_needs_the_csrf_token(site: World) -> None:
    rid = org_records(site)[0]
    oid = case_in(site.platform, site.subject_ids["org"], [rid], "received")
    b = staff(site, "operator")
    for url in (
        f"/console/objections/{oid}/step/label",
        "/console/objections/new",
        f"/console/records/{rid}",
        "/console/calendar",
    ):
        missing = b.client.post(url, data={}, follow_redirects=False)
        assert missing.status_code == 403, url
        wrong = b.client.post(url, data={"csrf_token": "forged"}, follow_redirects=False)
        assert wrong.status_code == 403, url
    assert _state(site, oid) is State.RECEIVED
    unit = staff(site, "provider")
    for url in ("/console/batches", "/console/inquiry"):
        assert unit.client.post(url, data={}, follow_redirects=False).status_code == 403


# --- the objection walk through the console (Art. 40-42) ----------------------------------


def test_art40_art42_desk_registration_label_transfer_unit_result_decision_notice_close(
    site: World,
) -> None:
    rid = org_records(site)[0]
    op = staff(site, "operator")
    # Art. 40 para 1: registered at the desk; the subject is found by its USCC (in a POST).
    found = op.post(
        "/console/objections/new",
        {"stage": "find", "id_type": "uscc", "identifier": site.org_uscc},
    )
    assert found.status_code == 200 and f'value="{rid}"' in found.text
    r = op.post(
        "/console/objections/new",
        {
            "stage": "register",
            "subject_id": str(site.subject_ids["org"]),
            "record_ids": str(rid),
            "ground": "error",
            "statement": "罚款金额有误，应为0.5万元。",
            "applicant": site.org_name,
            "channel": "desk",
        },
        form="/console/objections/new",
        files={"evidence": PDF},
    )
    assert r.status_code == 303, r.text
    oid = int(r.headers["location"].rsplit("/", 1)[1])
    with site.platform.transaction() as s:
        objection = s.get(Objection, oid)
        assert objection is not None and objection.channel == "desk"
    page = op.get(f"/console/objections/{oid}").text
    assert 'data-step="label"' in page and "scan.pdf" in page
    assert 'data-step="decide"' not in page  # SM-1: not from 'received'
    # Art. 40 para 2: label, then transfer to the unit that provided the record.
    assert _step(op, oid, "label").status_code == 303
    assert _step(op, oid, "transfer").status_code == 303
    assert _state(site, oid) is State.TRANSFERRED
    # The unit sees it in its inbox, confirms receipt and returns a correction.
    unit = staff(site, "provider")
    inbox = unit.get("/console/inbox").text
    assert f'data-objection="{oid}"' in inbox
    assert _step(unit, oid, "unit_receive").status_code == 303
    form = unit.get(f"/console/objections/{oid}/step/unit_result")
    assert form.status_code == 200 and f'name="{_fine_field(rid)}"' in form.text
    r = unit.post(
        f"/console/objections/{oid}/step/unit_result",
        {"outcome": "corrected", "reasons": "金额录入有误，已更正。", _fine_field(rid): "0.5"},
        form=f"/console/objections/{oid}/step/unit_result",
        files={"evidence": ("复核.txt", "复核记录".encode(), "text/plain")},
    )
    assert r.status_code == 303, r.text
    # D-2: the unit's result is applied and notified at once; the operator finds the alert.
    assert _state(site, oid) is State.NOTIFIED
    with site.platform.transaction() as s:
        newest = s.scalars(
            select(RecordVersion)
            .where(RecordVersion.record_id == rid)
            .order_by(RecordVersion.version.desc())
        ).first()
        assert newest is not None and newest.payload["CF_NR_FK"] == "0.5"
        assert newest.cause_type == "objection" and newest.cause_id == oid
    queue = op.get("/console/objections").text
    assert (
        f'href="/console/objections/{oid}"' in queue and 'data-kind="unit_result_notified"' in queue
    )
    alert_id = re.search(r'data-alert="(\d+)"', queue)
    assert alert_id is not None
    r = op.post(
        f"/console/objections/alerts/{alert_id.group(1)}/acknowledge",
        {},
        form="/console/objections",
    )
    assert r.status_code == 303
    assert 'data-kind="unit_result_notified"' not in op.get("/console/objections").text
    page = op.get(f"/console/objections/{oid}").text
    notice_id = re.search(rf"/console/objections/{oid}/notices/(\d+)", page)
    assert notice_id is not None
    notice = op.get(f"/console/objections/{oid}/notices/{notice_id.group(1)}")
    # issue 19.2: the notice in the page's language only (Chinese by default)
    assert notice.status_code == 200 and "异议处理结果告知书" in notice.text
    assert "Written notice of the outcome" not in notice.text
    # issue 19.3: who issued it is worded, never an actor code such as operator:account:1
    meta = notice.text.split('<p class="meta no-print">')[1].split("</p>")[0]
    assert not re.search(r"\b(operator|system|drc|provider|subject):[\w:.]+", meta), meta
    evidence_id = re.search(rf"/console/objections/{oid}/evidence/(\d+)", page)
    assert evidence_id is not None
    file = op.get(f"/console/objections/{oid}/evidence/{evidence_id.group(1)}")
    assert file.status_code == 200 and file.content.startswith(b"%PDF")
    assert _step(op, oid, "close", {"note": "归档"}).status_code == 303
    assert _state(site, oid) is State.CLOSED
    archive = op.get("/console/archive?state=closed").text
    assert f'data-objection="{oid}"' in archive


def test_art42_a_decision_without_reasons_is_refused_next_to_the_field_keeping_input(
    site: World,
) -> None:
    rid = org_records(site)[0]
    oid = case_in(site.platform, site.subject_ids["org"], [rid], "self_review")
    op = staff(site, "operator")
    url = f"/console/objections/{oid}/step/decide"
    r = op.post(url, {"outcome": "corrected", "reasons": "  ", _fine_field(rid): "0.7"}, form=url)
    assert r.status_code == 422
    assert 'id="reasons-error"' in r.text
    assert 'value="corrected" checked' in r.text and 'value="0.7"' in r.text
    # A record field that is not a number: the error sits at that field's input.
    r = op.post(
        url, {"outcome": "corrected", "reasons": "更正", _fine_field(rid): "lots"}, form=url
    )
    assert r.status_code == 422
    assert f'id="{_fine_field(rid)}-error"' in r.text and 'value="lots"' in r.text
    # ...named in the page's language, the value's own reason too (issue 19.3: the records'
    # value check is a coded message, not its English).
    said = r.text.split(f'id="{_fine_field(rid)}-error"')[1].split("</p>")[0]
    assert "罚款金额（万元）：" in said, said
    assert "“lots”不是数字" in said and "not a number" not in said, said
    # Nothing of the refused steps was stored.
    assert _state(site, oid) is State.SELF_REVIEW


def test_art41_pause_needs_evidence_and_resume_restores_the_step(site: World) -> None:
    rid = org_records(site)[0]
    oid = case_in(site.platform, site.subject_ids["org"], [rid], "self_review")
    op = staff(site, "operator")
    url = f"/console/objections/{oid}/step/pause"
    r = op.post(url, {"pause_type": "testing", "reason": "送检"}, form=url)
    assert r.status_code == 422 and 'id="evidence-error"' in r.text
    assert 'value="testing" selected' in r.text and "送检" in r.text
    r = op.post(url, {"pause_type": "testing", "reason": "送检"}, form=url, files={"evidence": PDF})
    assert r.status_code == 303
    assert _state(site, oid) is State.PAUSED
    assert 'data-step="resume"' in op.get(f"/console/objections/{oid}").text
    assert _step(op, oid, "resume").status_code == 303
    assert _state(site, oid) is State.SELF_REVIEW


def test_art41_decline_offers_repeat_only_for_a_flagged_repeat(site: World) -> None:
    rid = org_records(site)[0]
    oid = case_in(site.platform, site.subject_ids["org"], [rid], "labelled")
    op = staff(site, "operator")
    form = op.get(f"/console/objections/{oid}/step/decline").text
    assert 'value="no_legitimate_reason"' in form and 'value="repeat"' not in form
    url = f"/console/objections/{oid}/step/decline"
    r = op.post(url, {"basis": "no_legitimate_reason", "reasons": ""}, form=url)
    assert r.status_code == 422 and 'id="reasons-error"' in r.text
    r = op.post(url, {"basis": "no_legitimate_reason", "reasons": "未说明理由"}, form=url)
    assert r.status_code == 303
    assert _state(site, oid) is State.NOT_ACCEPTED


def test_a_step_sm1_does_not_allow_now_is_refused_with_its_reason(site: World) -> None:
    rid = org_records(site)[0]
    oid = case_in(site.platform, site.subject_ids["org"], [rid], "received")
    op = staff(site, "operator")
    r = _step(op, oid, "notify")
    assert r.status_code == 409 and "received" in r.text
    assert op.get(f"/console/objections/{oid}/step/decide").status_code == 409
    # A role that does not take a step is refused it outright.
    drc = staff(site, "drc")
    assert _step(drc, oid, "label").status_code == 403
    assert _state(site, oid) is State.RECEIVED


def test_art40_para2_a_unit_sees_only_cases_transferred_to_it(site: World) -> None:
    rid = org_records(site)[0]
    own = case_in(site.platform, site.subject_ids["org"], [rid], "pu_review")
    not_transferred = case_in(site.platform, site.subject_ids["org"], [rid], "labelled")
    unit = staff(site, "provider")
    assert unit.get(f"/console/objections/{own}").status_code == 200
    assert unit.get(f"/console/objections/{not_transferred}").status_code == 404
    assert _step(unit, own, "label").status_code == 403


def test_art40_para4_the_department_decides_a_reexamination(site: World) -> None:
    rid = org_records(site)[0]
    oid = case_in(site.platform, site.subject_ids["org"], [rid], "reexam_requested")
    drc = staff(site, "drc")
    queue = drc.get("/console/reexaminations").text
    assert f'data-objection="{oid}"' in queue
    url = f"/console/objections/{oid}/step/decide_reexam"
    assert drc.get(url).status_code == 200
    r = drc.post(url, {"outcome": "upheld", "reasons": "维持原处理"}, form=url)
    assert r.status_code == 303
    assert _state(site, oid) is State.REEXAM_DECIDED
    assert _step(drc, oid, "notify_reexam").status_code == 303
    assert _state(site, oid) is State.REEXAM_NOTIFIED


def test_desk_registration_errors_stay_on_the_form(site: World) -> None:
    op = staff(site, "operator")
    r = op.post(
        "/console/objections/new",
        {"stage": "find", "id_type": "uscc", "identifier": "91500000MA5U3P0X1X"},
    )
    assert r.status_code in (404, 422) and 'id="identifier-error"' in r.text
    assert 'value="91500000MA5U3P0X1X"' in r.text
    r = op.post(
        "/console/objections/new",
        {
            "stage": "register",
            "subject_id": str(site.subject_ids["org"]),
            "ground": "error",
            "statement": "有误",
            "applicant": "申请人",
            "channel": "desk",
        },
    )
    assert r.status_code == 422 and 'id="record_ids-error"' in r.text
    assert "有误" in r.text and 'value="申请人"' in r.text


# --- batches (Art. 20-23) -------------------------------------------------------------------


def _wait(b: Browser, job_url: str) -> str:
    for _ in range(100):
        fragment = b.get(f"{job_url}/status").text
        if 'data-finished="true"' in fragment:
            return fragment
        time.sleep(0.1)
    raise AssertionError("the upload did not finish")


def test_art23_upload_a_file_with_a_bad_row_and_download_the_rejected_rows(site: World) -> None:
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8"))))
    rows[-1][rows[0].index("CF_JDRQ")] = "2026-13-01"  # an impossible decision date
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    body = out.getvalue()
    unit = staff(site, "provider")
    r = unit.post(
        "/console/batches",
        {"item": "admin_penalty", "format": ""},
        files={"file": ("处罚 2026.csv", body.encode(), "text/csv")},
    )
    assert r.status_code == 303, r.text
    job_url = r.headers["location"]
    assert job_url.startswith("/console/batches/uploads/")
    assert unit.get(job_url).status_code == 200
    done = _wait(unit, job_url)
    assert "hx-trigger" not in done  # polling stops
    batch_id = re.search(r"/console/batches/(\d+)/rejected", done)
    assert batch_id is not None
    report = unit.get(f"/console/batches/{batch_id.group(1)}/rejected")
    assert report.status_code == 200
    assert report.headers["content-disposition"].startswith("attachment")
    text = report.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("_line,_errors,") and "CF_JDRQ" in text
    ledger = unit.get("/console/batches").text
    assert f'data-batch="{batch_id.group(1)}"' in ledger and "处罚_2026.csv" in ledger
    page = unit.get(f"/console/batches/{batch_id.group(1)}").text
    assert "CF_JDRQ" in page


def test_art20_upload_refuses_a_missing_file_or_item_at_the_field(site: World) -> None:
    unit = staff(site, "provider")
    r = unit.post("/console/batches", {"item": "admin_penalty", "format": "csv"})
    assert r.status_code == 422 and 'id="file-error"' in r.text
    assert 'value="csv" selected' in r.text
    r = unit.post(
        "/console/batches",
        {"item": "tax_arrears"},
        files={"file": ("x.csv", b"a,b\n1,2\n", "text/csv")},
    )
    assert r.status_code == 422 and 'id="item-error"' in r.text


def test_art16_a_failed_upload_says_nothing_was_stored(site: World) -> None:
    unit = staff(site, "provider")
    r = unit.post(
        "/console/batches",
        {"item": "admin_penalty"},
        files={"file": ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "x")},
    )
    assert r.status_code == 303
    done = _wait(unit, r.headers["location"])
    assert "alert-error" in done and ".xlsx" in done


# --- authority inquiry (Art. 22(2)) ------------------------------------------------------------


def test_art22_authority_inquiry_needs_a_purpose_and_is_logged(site: World) -> None:
    unit = staff(site, "provider")
    r = unit.post(
        "/console/inquiry",
        {"id_type": "uscc", "identifier": site.org_uscc, "purpose_code": "credit_check"},
    )
    assert r.status_code == 422 and 'id="purpose-error"' in r.text
    assert f'value="{site.org_uscc}"' in r.text
    r = unit.post(
        "/console/inquiry",
        {
            "id_type": "uscc",
            "identifier": site.org_uscc,
            "purpose_code": "credit_check",
            "purpose": "资质审批前信用核查",
        },
    )
    assert r.status_code == 200, r.text
    assert site.org_name in r.text
    with site.platform.transaction() as s:
        entry = s.scalars(select(InquiryLog).order_by(InquiryLog.id.desc())).first()
        assert entry is not None and entry.mode == "authority"
        assert entry.purpose == "credit_check: 资质审批前信用核查" and entry.channel == "web"


# --- proactive correction (Art. 42 para 3) -----------------------------------------------------


def test_art42_para3_a_unit_corrects_its_own_record(site: World) -> None:
    rid = org_records(site)[0]
    unit = staff(site, "provider")
    url = f"/console/records/{rid}"
    r = unit.post(url, {"outcome": "corrected", "reasons": ""}, form=url)
    assert r.status_code == 422 and 'id="reasons-error"' in r.text
    r = unit.post(url, {"outcome": "corrected", "reasons": "复核发现金额有误"}, form=url)
    assert (
        r.status_code == 422 and 'id="changes"' in r.text and "“已更正”须写明更改的内容" in r.text
    )
    r = unit.post(
        url,
        {"outcome": "corrected", "reasons": "复核发现金额有误", _fine_field(rid): "x"},
        form=url,
    )
    assert r.status_code == 422 and f'id="{_fine_field(rid)}-error"' in r.text
    r = unit.post(
        url,
        {"outcome": "corrected", "reasons": "复核发现金额有误", _fine_field(rid): "3.0"},
        form=url,
    )
    assert r.status_code == 303
    with site.platform.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Correction)) == 1
    assert "复核发现金额有误" in unit.get(url).text


# --- the calendar (Art. 40-41) ---------------------------------------------------------------


def test_art40_calendar_loads_a_year_and_lists_the_changed_days(site: World) -> None:
    op = staff(site, "operator")
    bad = json.dumps(schedule_2027_json(holidays=["2027-01-01"])).encode()
    r = op.post("/console/calendar", {}, files={"file": ("2027.json", bad, "application/json")})
    assert r.status_code == 422 and 'id="file-error"' in r.text and "holidays" in r.text
    good = json.dumps(schedule_2027_json()).encode()
    r = op.post("/console/calendar", {}, files={"file": ("2027.json", good, "application/json")})
    assert r.status_code == 200 and 'id="load-result"' in r.text
    assert "2027-01-30" in r.text  # a make-up Saturday is now a working day
    assert 'data-year="2027"' in r.text


def test_art40_calendar_computes_a_deadline_with_a_pause(site: World) -> None:
    op = staff(site, "operator")
    page = op.get("/console/calendar?start=2024-09-27&working_days=5").text
    assert "2024-10-10" in page
    fragment = op.get(
        "/console/calendar?start=2024-09-27&working_days=5&pauses=2024-10-08:2024-10-09",
        headers={"HX-Request": "true"},
    )
    assert fragment.status_code == 200 and "2024-10-12" in fragment.text
    assert "<html" not in fragment.text
    bad = op.get("/console/calendar?start=2024-02-30&working_days=5")
    assert bad.status_code == 422 and 'id="start-error"' in bad.text


# --- dashboard ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["operator", "drc"])
def test_dashboard_draws_svg_charts_with_data_tables(site: World, role: str) -> None:
    case_in(site.platform, site.subject_ids["org"], org_records(site)[:1], "notified")
    page = staff(site, role).get("/console/dashboard").text
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 4
    assert page.count("<table") == 4
    assert "<script" not in page.split("</head>")[1].split("</footer>")[0]


def test_d4_a_flagged_repeat_can_be_declined_as_a_repeat(site: World) -> None:
    rid = org_records(site)[0]
    case_in(site.platform, site.subject_ids["org"], [rid], "notified")  # concluded
    repeat = case_in(site.platform, site.subject_ids["org"], [rid], "received")  # same evidence
    with site.platform.transaction() as s:
        objection = s.get(Objection, repeat)
        assert objection is not None and objection.repeat_of is not None
    op = staff(site, "operator")
    assert f'data-objection="{repeat}"' in op.get("/console/objections").text
    url = f"/console/objections/{repeat}/step/decline"
    assert 'value="repeat"' in op.get(url).text
    r = op.post(url, {"basis": "repeat", "reasons": "同一事由已处理，未提供新证据"}, form=url)
    assert r.status_code == 303
    assert _state(site, repeat) is State.NOT_ACCEPTED


def test_art41_the_unit_pauses_its_own_review(site: World) -> None:
    rid = org_records(site)[0]
    oid = case_in(site.platform, site.subject_ids["org"], [rid], "pu_review")
    unit = staff(site, "provider")
    assert 'data-step="pause"' in unit.get(f"/console/objections/{oid}").text
    url = f"/console/objections/{oid}/step/pause"
    r = unit.post(
        url, {"pause_type": "inspection", "reason": "现场核查"}, form=url, files={"evidence": PDF}
    )
    assert r.status_code == 303
    assert _state(site, oid) is State.PAUSED
    # The operator may not resume the unit's pause (whoever verifies pauses and resumes).
    assert _step(staff(site, "operator"), oid, "resume").status_code == 403
    assert _step(unit, oid, "resume").status_code == 303
