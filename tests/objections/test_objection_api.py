"""Objections over HTTP (Art. 40-42): filing with evidence, every role's steps, notices a
subject opens, derived deadlines, the archive, proactive corrections and the calendar.

The world of ``tests.world`` (one unit, a company, persons A and B, staff of every role,
all signed in through the real doors); cases move only through the API here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from pcip import clock
from pcip.calendar.schedule import computed_schedule
from pcip.kernel.audit.models import AuditEvent
from pcip.kernel.platform import Platform
from pcip.records.models import CreditRecord, RecordVersion
from tests.world import NOW, PASSWORD, World, WorldData, reopen, sign_in_subject

PDF = ("decision.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n", "application/pdf")
TXT = ("statement.txt", "罚款已缴清，见附件。\n".encode(), "text/plain")


@pytest.fixture
def world(platform: Platform, api_world_data: WorldData) -> Iterator[World]:
    with clock.frozen(NOW):
        yield reopen(platform, api_world_data)


def a_penalty(world: World) -> int:
    """Person A's administrative penalty (the record A objects to)."""
    with world.platform.transaction() as s:
        rid = s.scalars(
            select(CreditRecord.id)
            .where(CreditRecord.subject_id == world.subject_ids["subject_a"])
            .order_by(CreditRecord.id)
        ).first()
    assert rid is not None
    return rid


def file(world: World, record: int, *, files: Any = None, **form: Any) -> Any:
    data = {"record_ids": [str(record)], "ground": "error", "statement": "罚款金额有误", **form}
    return world.client.post(
        "/api/v1/me/objections",
        data=data,
        files=files if files is not None else [("evidence", PDF)],
        headers=world.auth("subject_a"),
    )


def post(world: World, who: str, path: str, **kwargs: Any) -> Any:
    r = world.client.post(f"/api/v1/objections{path}", headers=world.auth(who), **kwargs)
    assert r.status_code == 200, r.text
    return r.json()


def relogin(world: World) -> None:
    """New sessions at the current (frozen) time: the old ones are 8 hours long."""
    c = world.client
    for who in ("operator", "drc", "staff"):
        r = c.post("/api/v1/auth/login", json={"username": who, "password": PASSWORD})
        world.tokens[who] = r.json()["token"]
    c.cookies.clear()
    world.tokens["subject_a"] = sign_in_subject(c, "张三", "citizen_id", world.person_a)
    c.cookies.clear()


# --- filing (Art. 40 para 1) --------------------------------------------------------------


def test_art40_a_subject_files_with_evidence_and_sees_its_deadlines(world: World) -> None:
    record = a_penalty(world)
    r = file(world, record, files=[("evidence", PDF), ("evidence", TXT)])
    assert r.status_code == 201, r.text
    case = r.json()
    assert case["state"] == "received" and case["record_ids"] == [record]
    assert case["channel"] == "api" and case["applicant"] == "张三"  # a bearer token on the API
    # Received Thu 2026-11-26: the label is due the next working day (D-1), the notice in 5.
    due = {d["name"]: d["due"] for d in case["deadlines"]}
    assert due["label"] == "2026-11-27" and due["notice"] == "2026-12-03"
    assert case["next_due"]["name"] == "label" and case["next_due"]["days_left"] == 1
    assert case["actions"] == []  # the subject waits; the operator acts
    assert [e["content_type"] for e in case["evidence"]] == ["application/pdf", "text/plain"]
    # The applicant sees roles, never staff accounts.
    assert case["events"][0]["by"] == "subject"
    got = world.client.get(case["evidence"][0]["url"], headers=world.auth("subject_a"))
    assert got.status_code == 200 and got.content == PDF[1]
    assert got.headers["x-content-type-options"] == "nosniff"
    mine = world.client.get("/api/v1/me/objections", headers=world.auth("subject_a")).json()
    assert [c["id"] for c in mine] == [case["id"]]
    assert world.client.get("/api/v1/me/objections", headers=world.auth("subject_b")).json() == []


@pytest.mark.parametrize(
    ("form", "files", "field"),
    [
        ({"ground": "dislike"}, None, "ground"),
        ({"statement": "  "}, None, "statement"),
        ({"record_ids": ["999999"]}, None, "record_ids[0]"),
        ({}, [("evidence", ("virus.pdf", b"MZ\x90\x00binary", "application/pdf"))], "evidence[0]"),
        ({}, [("evidence", ("photo.pdf", PDF[1], "image/png"))], "evidence[0].content_type"),
    ],
)
def test_art40_bad_filings_name_the_field_and_store_nothing(
    world: World, form: dict[str, Any], files: Any, field: str
) -> None:
    r = file(world, a_penalty(world), files=files, **form)
    assert r.status_code in (404, 422), r.text
    body = r.json()
    assert body["field"].startswith(field), body
    assert world.client.get("/api/v1/me/objections", headers=world.auth("subject_a")).json() == []


def test_art40_art27_another_subjects_record_is_not_found(world: World) -> None:
    r = world.client.post(
        "/api/v1/me/objections",
        data={"record_ids": [str(a_penalty(world))], "ground": "error", "statement": "x"},
        headers=world.auth("subject_b"),
    )
    assert r.status_code == 404 and r.json()["field"] == "record_ids[0]"


def test_art40_a_web_form_post_needs_the_csrf_token(world: World) -> None:
    c = world.client
    r = c.post(
        "/dev-idp/assertions",
        json={"name": "张三", "id_type": "citizen_id", "id_number": world.person_a},
    )
    signed = c.post("/api/v1/auth/subject", json={"assertion": r.json()["assertion"]}).json()
    data = {"record_ids": [str(a_penalty(world))], "ground": "error", "statement": "有误"}
    refused = c.post("/api/v1/me/objections", data=data)  # the cookie alone
    assert refused.status_code == 403 and refused.json()["field"] == "csrf"
    ok = c.post("/api/v1/me/objections", data=data, headers={"X-CSRF-Token": signed["csrf_token"]})
    assert ok.status_code == 201, ok.text
    c.cookies.clear()


def test_art40_the_operator_registers_a_desk_objection_with_its_receipt_time(world: World) -> None:
    r = world.client.post(
        "/api/v1/objections",
        data={
            "subject_id": str(world.subject_ids["subject_a"]),
            "record_ids": [str(a_penalty(world))],
            "ground": "omission",
            "statement": "漏报已履行情况",
            "applicant": "张三",
            "agent": "李律师（委托代理人）",
            "channel": "desk",
            "received_at": "2026-11-25T16:30:00+08:00",
        },
        headers=world.auth("operator"),
    )
    assert r.status_code == 201, r.text
    case = r.json()
    assert case["channel"] == "desk" and case["agent"] == "李律师（委托代理人）"
    # Received Wed 11-25: the label was due Thu 11-26 (today), counted from receipt.
    label = next(d for d in case["deadlines"] if d["name"] == "label")
    assert label["due"] == "2026-11-26" and label["days_left"] == 0
    assert case["actions"] == ["label", "decline"]  # transfer and review follow the label
    bad = world.client.post(
        "/api/v1/objections",
        data={
            "subject_id": str(world.subject_ids["subject_a"]),
            "record_ids": [str(a_penalty(world))],
            "ground": "error",
            "statement": "x",
            "applicant": "张三",
            "received_at": "yesterday",
        },
        headers=world.auth("operator"),
    )
    assert bad.status_code == 422 and bad.json()["field"] == "received_at"


# --- the transferred path, end to end (Art. 40 para 2(2), Art. 42, Art. 40 para 3) -----------


def test_art40_art42_transfer_unit_correction_decision_notice_and_corrected_record(
    world: World,
) -> None:
    record = a_penalty(world)
    oid = file(world, record).json()["id"]
    post(world, "operator", f"/{oid}/label")
    case = post(world, "operator", f"/{oid}/transfer", json={"provider_id": None})
    assert case["state"] == "transferred" and case["provider_id"] is not None
    inbox = world.client.get("/api/v1/objections/transferred", headers=world.auth("staff")).json()
    assert [c["id"] for c in inbox] == [oid]
    case = post(world, "staff", f"/{oid}/unit-receipt")
    assert "unit_result" in case["actions"]
    pu = next(d for d in case["deadlines"] if d["name"] == "pu_handling")
    assert pu["start"] == "2026-11-26" and pu["due"] == "2026-12-01"
    changes = json.dumps({str(record): {"CF_NR_FK": "0.20"}})
    # A malformed changes field is named, and nothing moves.
    r = world.client.post(
        f"/api/v1/objections/{oid}/unit-result",
        data={"outcome": "corrected", "reasons": "金额录入错误", "changes": "{not json"},
        headers=world.auth("staff"),
    )
    assert r.status_code == 422 and r.json()["field"] == "changes"
    case = post(
        world,
        "staff",
        f"/{oid}/unit-result",
        data={"outcome": "corrected", "reasons": "金额录入错误", "changes": changes},
        files=[("evidence", TXT)],
    )
    # D-2: the unit's result becomes the decision and the notice at once, and the operator
    # is told: nobody has to look for it.
    assert case["state"] == "notified"
    assert [n["kind"] for n in case["notices"]] == ["outcome"]
    alerts = world.client.get(
        "/api/v1/objections/alerts?open_only=true", headers=world.auth("operator")
    ).json()
    assert [(a["objection_id"], a["kind"]) for a in alerts] == [(oid, "unit_result_notified")]
    assert alerts[0]["details"]["notice_id"] == case["notices"][0]["id"]
    # The subject opens the notice: a real document with the outcome and the re-exam route.
    mine = world.client.get(f"/api/v1/objections/{oid}", headers=world.auth("subject_a")).json()
    assert mine["actions"] == ["request_reexam"]
    notice = world.client.get(mine["notices"][0]["url"], headers=world.auth("subject_a"))
    assert notice.status_code == 200 and notice.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in notice.headers["content-security-policy"]
    assert "re-examination" in notice.text.lower() or "复核" in notice.text
    # ... and sees the corrected record: a new version citing the objection.
    own = world.client.get("/api/v1/me/records", headers=world.auth("subject_a")).json()
    mine_record = next(r for r in own["records"] if r["record_id"] == record)
    assert mine_record["fields"]["CF_NR_FK"] in ("0.20", "0.2")
    with world.platform.transaction() as s:
        latest = s.scalars(
            select(RecordVersion)
            .where(RecordVersion.record_id == record)
            .order_by(RecordVersion.version.desc())
        ).first()
        assert latest is not None and latest.version == 2
    # Issue 19.3: the version's reason is coded, so each page words it in its language; the
    # API keeps one English line and adds the code.
    (v2,) = [v for v in mine_record["history"] if v["version"] == 2]
    assert v2["reason"] == f"objection {oid} decision: Corrected: 金额录入错误"
    assert v2["reason_code"]["key"] == "records.version_objection"
    assert v2["reason_code"]["note"] == "金额录入错误"
    # Everything the case did is in the audit log, in order.
    with world.platform.transaction() as s:
        actions = list(
            s.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.object_type == "objection", AuditEvent.object_id == str(oid))
                .order_by(AuditEvent.seq)
            )
        )
    assert actions[:8] == [
        "objection.receive",
        "objection.label",
        "objection.transfer",
        "objection.pu_receive",
        "objection.pu_return",
        "objection.decide",
        "objection.notify",
        "objection.alert.unit_result_notified",
    ]


def test_art40_a_step_out_of_order_is_a_conflict_naming_the_state(world: World) -> None:
    oid = file(world, a_penalty(world)).json()["id"]
    r = world.client.post(f"/api/v1/objections/{oid}/notice", headers=world.auth("operator"))
    assert r.status_code == 409 and r.json()["field"] == "state"
    assert "'received'" in r.json()["message"]
    r = world.client.post(
        f"/api/v1/objections/{oid}/decision",
        json={"outcome": "corrected", "reasons": "x"},
        headers=world.auth("operator"),
    )
    assert r.status_code in (409, 422)


# --- pauses, re-examination, refusal (Art. 41, Art. 40 para 4) ------------------------------


def test_art41_a_pause_needs_type_reason_and_evidence_and_shifts_the_deadlines(
    world: World,
) -> None:
    oid = file(world, a_penalty(world)).json()["id"]
    post(world, "operator", f"/{oid}/label")
    before = post(world, "operator", f"/{oid}/self-review")
    r = world.client.post(
        f"/api/v1/objections/{oid}/pause",
        data={"pause_type": "testing", "reason": "送检"},
        headers=world.auth("operator"),
    )
    assert r.status_code == 422 and r.json()["field"] == "evidence"
    r = world.client.post(
        f"/api/v1/objections/{oid}/pause",
        data={"pause_type": "divination", "reason": "x"},
        files=[("evidence", TXT)],
        headers=world.auth("operator"),
    )
    assert r.status_code == 422 and r.json()["field"] == "pause_type"
    paused = post(
        world,
        "operator",
        f"/{oid}/pause",
        data={"pause_type": "testing", "reason": "样品送检"},
        files=[("evidence", TXT)],
    )
    assert paused["state"] == "paused" and paused["actions"] == ["status_notice", "resume"]
    with clock.frozen("2026-11-30T10:00:00"):  # Mon: paused Thu..Mon
        relogin(world)
        resumed = post(world, "operator", f"/{oid}/resume")
    due_before = {d["name"]: d["due"] for d in before["deadlines"]}
    due_after = {d["name"]: d["due"] for d in resumed["deadlines"]}
    assert due_before["self_handling"] == "2026-12-01"
    assert due_after["self_handling"] > due_before["self_handling"]
    assert due_after["notice"] > due_before["notice"]
    assert due_after["label"] == due_before["label"]  # D-3: the label is never paused


def test_art40_para4_reexamination_by_the_department_then_notice_and_close(world: World) -> None:
    oid = file(world, a_penalty(world)).json()["id"]
    post(world, "operator", f"/{oid}/label")
    post(world, "operator", f"/{oid}/self-review")
    post(world, "operator", f"/{oid}/decision", json={"outcome": "upheld", "reasons": "无误"})
    post(world, "operator", f"/{oid}/notice")
    case = post(
        world,
        "subject_a",
        f"/{oid}/reexamination",
        data={"statement": "不服处理结果"},
        files=[("evidence", TXT)],
    )
    assert case["state"] == "reexam_requested"
    queue = world.client.get("/api/v1/objections/reexaminations", headers=world.auth("drc"))
    assert [c["id"] for c in queue.json()] == [oid]
    assert queue.json()[0]["next_due"]["name"] == "reexam"
    case = post(
        world,
        "drc",
        f"/{oid}/reexamination-decision",
        json={"outcome": "upheld", "reasons": "复核维持原处理意见"},
    )
    assert case["state"] == "reexam_decided" and "notify_reexam" in case["actions"]
    case = post(world, "drc", f"/{oid}/notice")
    assert case["state"] == "reexam_notified"
    assert [n["kind"] for n in case["notices"]] == ["outcome", "reexam_outcome"]
    case = post(world, "operator", f"/{oid}/close")
    assert case["state"] == "closed" and case["actions"] == []


def test_art41_para3_a_repeat_is_flagged_and_may_be_declined_with_a_notice(world: World) -> None:
    record = a_penalty(world)
    first = file(world, record, files=[("evidence", TXT)]).json()["id"]
    post(world, "operator", f"/{first}/label")
    post(world, "operator", f"/{first}/self-review")
    post(world, "operator", f"/{first}/decision", json={"outcome": "upheld", "reasons": "无误"})
    again = file(world, record, files=[("evidence", TXT)]).json()
    assert again["repeat_of"] == first
    case = post(
        world,
        "operator",
        f"/{again['id']}/decline",
        json={"basis": "repeat", "reasons": "同一事由已处理，未提供新证据。"},
    )
    assert case["state"] == "not_accepted"
    assert [n["kind"] for n in case["notices"]] == ["not_accepted"]


# --- the operator's queue and the overdue watch (D-2) -----------------------------------------


def test_art40_d2_the_queue_orders_by_due_date_and_marks_overdue_once(world: World) -> None:
    record = a_penalty(world)
    late = file(world, record).json()["id"]
    with clock.frozen("2026-11-30T10:00:00"):  # Mon: the label (due Fri 11-27) is late
        relogin(world)
        fresh = file(world, record).json()["id"]
        queue = world.client.get("/api/v1/objections/queue", headers=world.auth("operator"))
        rows = queue.json()
        assert [c["id"] for c in rows] == [late, fresh]
        assert rows[0]["overdue"] is True and rows[0]["next_due"]["days_left"] < 0
        assert rows[1]["overdue"] is False
        first = post(world, "operator", "/overdue-check")
        assert {(o["objection_id"], o["step"]) for o in first} >= {(late, "label")}
        assert post(world, "operator", "/overdue-check") == []  # reported once


def test_art41_para3_the_archive_searches_by_subject_state_and_dates(world: World) -> None:
    record = a_penalty(world)
    oid = file(world, record).json()["id"]
    post(world, "operator", f"/{oid}/label")
    c, h = world.client, world.auth("drc")
    sid = world.subject_ids["subject_a"]
    assert [x["id"] for x in c.get(f"/api/v1/objections?subject_id={sid}", headers=h).json()] == [
        oid
    ]
    assert c.get("/api/v1/objections?state=closed", headers=h).json() == []
    assert (
        len(c.get(f"/api/v1/objections?record_id={record}&state=labelled", headers=h).json()) == 1
    )
    assert c.get("/api/v1/objections?received_to=2026-11-25", headers=h).json() == []
    bad = c.get("/api/v1/objections?state=lost", headers=h)
    assert bad.status_code == 422


# --- proactive corrections (Art. 42 para 3) ------------------------------------------------


def test_art42_para3_the_unit_corrects_its_record_without_an_objection(world: World) -> None:
    record = a_penalty(world)
    r = world.client.post(
        f"/api/v1/records/{record}/corrections",
        json={
            "outcome": "corrected",
            "reasons": "复核发现金额错误",
            "changes": {"CF_NR_FK": "0.30"},
        },
        headers=world.auth("staff"),
    )
    assert r.status_code == 201, r.text
    assert r.json()["outcome"] == "corrected" and r.json()["provider_id"] is not None
    bad = world.client.post(
        f"/api/v1/records/{record}/corrections",
        json={"outcome": "corrected", "reasons": "x", "changes": {"NO_SUCH_FIELD": "1"}},
        headers=world.auth("operator"),
    )
    assert bad.status_code == 422 and "NO_SUCH_FIELD" in (bad.json()["field"] or "")
    missing = world.client.post(
        "/api/v1/records/999999/corrections",
        json={"outcome": "provision_stopped", "reasons": "逾期"},
        headers=world.auth("operator"),
    )
    assert missing.status_code == 404


# --- the calendar: a year boundary into an unloaded year, then loading it (D-1) --------------


def _schedule_2027() -> dict[str, Any]:
    base = computed_schedule(2027).as_json()
    # Statutory days as computed, plus the State Council's (here: invented) arrangement:
    # Sat 2027-01-02 made a working day.
    return {**base, "source": "国办发明电〔2026〕测试号", "makeup_workdays": ["2027-01-02"]}


def test_d1_loading_an_unloaded_year_recounts_open_deadlines_and_audits_them(
    world: World,
) -> None:
    with clock.frozen("2026-12-30T10:00:00"):  # Wed; 2027 has no official schedule yet
        relogin(world)
        oid = file(world, a_penalty(world)).json()["id"]
        post(world, "operator", f"/{oid}/label")
        case = world.client.get(f"/api/v1/objections/{oid}", headers=world.auth("operator")).json()
        transfer = next(d for d in case["deadlines"] if d["name"] == "transfer")
        assert transfer["provisional"] is True and transfer["due"] == "2027-01-04"
        r = world.client.post(
            "/api/v1/calendar/years",
            files=[
                ("file", ("2027.json", json.dumps(_schedule_2027()).encode(), "application/json"))
            ],
            headers=world.auth("operator"),
        )
        assert r.status_code == 201, r.text
        loaded = r.json()
        assert loaded["changed_days"] == ["2027-01-02"]
        moved = {(x["objection_id"], x["deadline"]): x for x in loaded["recounted"]}
        t = moved[(oid, "transfer")]
        assert (t["due_before"], t["due_after"]) == ("2027-01-04", "2027-01-02")
        assert t["provisional_before"] is True and t["provisional_after"] is False
        case = world.client.get(f"/api/v1/objections/{oid}", headers=world.auth("operator")).json()
        transfer = next(d for d in case["deadlines"] if d["name"] == "transfer")
        assert transfer == {**transfer, "due": "2027-01-02", "provisional": False}
        with world.platform.transaction() as s:
            row = s.scalars(select(AuditEvent).where(AuditEvent.action == "calendar.load")).one()
            assert any(x["objection_id"] == oid for x in row.details["recounted"])
        years = world.client.get("/api/v1/calendar/years").json()
        assert 2027 in [y["year"] for y in years]
        d = world.client.get("/api/v1/calendar/deadline?start=2026-12-30&working_days=2").json()
        assert d == {
            "start": "2026-12-30",
            "working_days": 2,
            "due": "2027-01-02",
            "provisional": False,
        }


def test_d1_a_bad_schedule_upload_names_the_field_and_changes_nothing(world: World) -> None:
    bad = {**_schedule_2027(), "makeup_workdays": ["2027-01-04"]}  # a Monday
    r = world.client.post(
        "/api/v1/calendar/years",
        files=[("file", ("2027.json", json.dumps(bad).encode(), "application/json"))],
        headers=world.auth("operator"),
    )
    assert r.status_code == 422 and r.json()["field"] == "makeup_workdays[0]"
    r = world.client.post(
        "/api/v1/calendar/years",
        files=[("file", ("2027.json", b"\xff\xfe not utf-8", "application/json"))],
        headers=world.auth("operator"),
    )
    assert r.status_code == 422 and r.json()["field"] == "file"
    assert 2027 not in [y["year"] for y in world.client.get("/api/v1/calendar/years").json()]


# --- issue 14.8-9 over HTTP ---------------------------------------------------------------


def test_art42_issue14_8_unit_result_withdrawn_over_http_refiles_and_notifies(
    world: World,
) -> None:
    from tests.helpers import citizen_id

    record = a_penalty(world)
    oid = file(world, record).json()["id"]
    post(world, "operator", f"/{oid}/label")
    post(world, "operator", f"/{oid}/transfer", json={"provider_id": None})
    post(world, "staff", f"/{oid}/unit-receipt")
    bad = world.client.post(
        f"/api/v1/objections/{oid}/unit-result",
        data={"outcome": "withdrawn", "reasons": "录入错误", "withdrawal": "{nope"},
        headers=world.auth("staff"),
    )
    assert bad.status_code == 422 and bad.json()["field"] == "withdrawal"
    right = {"citizen_id": citizen_id(18), "name": "钱八"}
    case = post(
        world,
        "staff",
        f"/{oid}/unit-result",
        data={
            "outcome": "withdrawn",
            "reasons": "经核实，录入时身份证号码有误。",
            "withdrawal": json.dumps({"ground": "wrong_subject", "refile_to": right}),
        },
    )
    assert case["state"] == "notified"
    own = world.client.get("/api/v1/me/records", headers=world.auth("subject_a")).json()
    mine = next(r for r in own["records"] if r["record_id"] == record)
    assert "withdrawn" in mine["labels"] and mine["fields"] == {}
    url = case["notices"][0]["url"]
    notice = world.client.get(url + "?lang=en", headers=world.auth("subject_a")).text
    assert "filed against you in error" in notice and "钱八" not in notice
    zh = world.client.get(url, headers=world.auth("subject_a")).text  # Chinese by default
    assert "错误地归集在您的名下" in zh and "filed against you" not in zh
    # The case file the applicant reads does not say where the record went (Art. 27).
    seen = world.client.get(f"/api/v1/objections/{oid}", headers=world.auth("subject_a")).text
    assert "钱八" not in seen and "refile_to" not in seen and "refiled_subject_id" not in seen
    staff_view = world.client.get(f"/api/v1/objections/{oid}", headers=world.auth("operator"))
    assert "refiled_subject_id" in staff_view.text
    public = world.client.post("/api/v1/public/persons", json={"citizen_id": world.person_a})
    assert record not in [r["record_id"] for r in public.json()["records"]]


def test_art42_3_issue14_8_proactive_withdrawal_over_http(world: World) -> None:
    record = a_penalty(world)
    r = world.client.post(
        f"/api/v1/records/{record}/corrections",
        json={
            "outcome": "withdrawn",
            "reasons": "处罚决定已被撤销，记录依据错误",
            "withdrawal": {"ground": "wrong_basis"},
        },
        headers=world.auth("staff"),
    )
    assert r.status_code == 201, r.text
    assert r.json()["outcome"] == "withdrawn"
    r = world.client.post(
        f"/api/v1/records/{record}/corrections",
        json={
            "outcome": "withdrawn",
            "reasons": "再次撤回",
            "withdrawal": {"ground": "wrong_basis"},
        },
        headers=world.auth("staff"),
    )
    assert r.status_code == 409 and r.json()["field"] == "outcome"


def test_art40_4_issue14_9_paper_reexamination_over_http(world: World) -> None:
    record = a_penalty(world)
    oid = file(world, record).json()["id"]
    for step in ("label", "self-review"):
        post(world, "operator", f"/{oid}/{step}")
    post(world, "operator", f"/{oid}/decision", json={"outcome": "upheld", "reasons": "无误"})
    post(world, "operator", f"/{oid}/notice")
    post(world, "operator", f"/{oid}/close")
    data = {"applicant": "张三", "statement": "书面申请复核", "channel": "mail"}
    refused = world.client.post(
        f"/api/v1/objections/{oid}/reexamination/paper", data=data, headers=world.auth("operator")
    )
    assert refused.status_code == 403
    case = post(world, "drc", f"/{oid}/reexamination/paper", data=data)
    assert case["state"] == "reexam_requested"
    assert any(d["name"] == "reexam" for d in case["deadlines"])
