"""The console's view models and charts, without a web client: rows, badges, figures, SVG.

The rules (deadlines, SM-1, what may be corrected) are the services'; these tests check that
the console shows their answers faithfully (Art. 40-42 deadlines and overdue marks; Art. 22
modes on the dashboard).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime

import pytest

from pcip.catalog.schemas import FieldRole, FieldSpec, FieldType
from pcip.clock import CST
from pcip.kernel.platform import Platform
from pcip.objections import service
from pcip.objections.deadlines import Deadline
from pcip.objections.models import Objection
from pcip.objections.states import State
from pcip.objections.tracking import Case, queue
from pcip.web.console import charts, data
from pcip.web.console.uploads import safe_name
from tests.objections.builders import (
    AS_OPERATOR,
    PDF,
    World,
    on,
    reopen,
    unit,
)


@pytest.fixture
def world(platform: Platform, case_world_data: World) -> World:
    return reopen(platform, case_world_data)


def _deadline(
    name: str = "label",
    due: str = "2024-09-30",
    met_on: str | None = None,
    overdue: bool = False,
    days_left: int | None = 1,
) -> Deadline:
    return Deadline(
        name=name,
        article="Art. 40 para 2",
        start=date(2024, 9, 27),
        working_days=1,
        due=date.fromisoformat(due),
        provisional=False,
        met_on=date.fromisoformat(met_on) if met_on else None,
        overdue=overdue,
        days_left=None if met_on else days_left,
    )


def _objection(oid: int = 7, provider_id: int | None = None) -> Objection:
    return Objection(
        id=oid,
        subject_id=3,
        applicant="重庆示例商贸有限公司",
        channel="web",
        ground="error",
        statement="s",
        received_at=datetime(2024, 9, 27, 10, tzinfo=CST),
        registered_at=datetime(2024, 9, 27, 10, tzinfo=CST),
        registered_by="operator:account:1",
        route="transferred" if provider_id else None,
        provider_id=provider_id,
    )


# --- deadlines and queues (Art. 40) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("met_on", "overdue", "days_left", "status"),
    [
        ("2024-09-29", False, None, "met"),
        ("2024-10-08", True, None, "met_late"),
        (None, True, -2, "overdue"),
        (None, False, 0, "due_today"),
        (None, False, 3, "open"),
    ],
)
def test_art40_deadline_badge_follows_the_derived_deadline(
    met_on: str | None, overdue: bool, days_left: int | None, status: str
) -> None:
    view = data.deadline_view(_deadline(met_on=met_on, overdue=overdue, days_left=days_left))
    assert view.status == status
    assert view.overdue is overdue and view.days_left == (None if met_on else days_left)


def test_art40_queue_row_shows_next_open_step_overdue_steps_and_late_history() -> None:
    case = Case(
        _objection(provider_id=5),
        State.PU_REVIEW,
        (
            _deadline("label", "2024-09-29", met_on="2024-09-30", overdue=True),
            _deadline("transfer", "2024-09-30", met_on="2024-09-30"),
            _deadline("pu_handling", "2024-10-09", overdue=True, days_left=-1),
            _deadline("notice", "2024-10-10", days_left=0),
        ),
    )
    row = data.queue_row(case, {5: "重庆市市场监督管理局"})
    assert row.step is not None and row.step.name == "pu_handling"  # earliest open step
    assert row.overdue and row.overdue_steps == ("pu_handling",)
    assert row.late_steps == ("label",)
    assert row.provider == "重庆市市场监督管理局" and row.received == date(2024, 9, 27)
    assert row.days_left == -1
    focused = data.queue_row(case, {}, focus="notice")
    assert focused.step is not None and focused.step.status == "due_today"
    assert data.counts([row, focused]) == {"open": 2, "overdue": 2, "due_today": 1}


def test_art40_unit_inbox_holds_only_the_units_transferred_cases() -> None:
    mine = Case(_objection(1, provider_id=5), State.TRANSFERRED, (_deadline("pu_handling"),))
    other = Case(_objection(2, provider_id=6), State.TRANSFERRED, (_deadline("pu_handling"),))
    untransferred = Case(_objection(3), State.LABELLED, (_deadline("label"),))
    assert [c.objection.id for c in data.unit_cases([mine, other, untransferred], 5)] == [1]


def test_art40_para4_reexam_queue_by_reexam_deadline() -> None:
    late = Case(_objection(1), State.REEXAM_REQUESTED, (_deadline("reexam", "2024-10-20"),))
    early = Case(_objection(2), State.PAUSED, (_deadline("reexam", "2024-10-10"),))
    none = Case(_objection(3), State.NOTIFIED, (_deadline("notice"),))
    done = Case(_objection(4), State.REEXAM_NOTIFIED, (_deadline("reexam", "2024-10-01"),))
    assert [c.objection.id for c in data.reexam_cases([late, early, none, done])] == [2, 1]


def test_art40_queue_rows_from_the_real_tracking_queue(world: World) -> None:
    p = world.platform
    with on("2024-09-27"), p.transaction() as s:
        received = service.receive(
            s,
            AS_OPERATOR,
            subject_id=world.company,
            record_ids=[world.company_records[0]],
            ground="error",
            statement="金额有误",
            applicant="重庆示例商贸有限公司",
            channel="desk",
            evidence=[PDF],
            files_dir=world.files_dir,
        )
        oid = received.objection.id
    with on("2024-10-08"), p.transaction() as s:
        rows = data.queue_rows(queue(s, date(2024, 10, 8)), data.provider_names(s))
    assert [r.objection_id for r in rows] == [oid]
    row = rows[0]
    # Received Fri 27 Sep; the label was due Sun 29 Sep (a make-up working day): overdue.
    assert row.step is not None and row.step.name == "label" and row.step.status == "overdue"
    assert "label" in row.overdue_steps and row.state == "received"


# --- record fields and changes (Art. 42) ----------------------------------------------------


def test_art42_changeable_asks_the_services_rule() -> None:
    plain = FieldSpec(name="CF_NR_FK", label_zh="罚款", label_en="fine", type=FieldType.DECIMAL)
    subject = FieldSpec(
        name="CF_XDR_MC", label_zh="名称", label_en="name", role=FieldRole.SUBJECT_NAME
    )
    basis = FieldSpec(name="CF_WSH", label_zh="文号", label_en="no.", role=FieldRole.BASIS_NUMBER)
    personal = FieldSpec(name="CF_FR_ZJHM", label_zh="证件", label_en="doc", personal=True)
    assert data.changeable(plain)
    assert not data.changeable(subject) and not data.changeable(basis)
    assert not data.changeable(personal)


def _panel() -> data.RecordPanel:
    def f(name: str, value: str, changeable: bool = True) -> data.FieldView:
        return data.FieldView(name, name, name, "string", False, (), value, changeable)

    return data.RecordPanel(
        12,
        3,
        5,
        "admin_penalty",
        "行政处罚",
        "Administrative penalty",
        1,
        (f("CF_NR_FK", "1.00"), f("CF_SY", "事实"), f("CF_WSH", "渝〔2024〕1号", False)),
    )


def test_art42_field_changes_keep_only_edited_changeable_fields() -> None:
    panel = _panel()
    form = {
        "f.12.CF_NR_FK": "0.50",  # changed
        "f.12.CF_SY": " 事实 ",  # untouched (whitespace only)
        "f.12.CF_WSH": "渝〔2024〕9号",  # not changeable: never sent as a change
        "f.99.CF_NR_FK": "7",  # another record: ignored
        "reasons": "金额录入有误",
    }
    assert data.field_changes(form, [panel]) == {12: {"CF_NR_FK": "0.50"}}
    assert data.submitted_values(form, [panel])["f.12.CF_NR_FK"] == "0.50"
    assert data.field_key(12, "CF_SY") == "f.12.CF_SY"


def test_art42_record_panel_reads_the_current_version(world: World) -> None:
    with world.platform.transaction() as s:
        panel = data.record_panel(s, world.company_records[0])
        assert panel.item_code == "admin_penalty" and panel.version == 1
        fine = panel.field("CF_NR_FK")
        assert fine is not None and fine.value == "1.00" and fine.changeable
        name = panel.field("CF_XDR_MC")
        assert name is not None and not name.changeable
        hits = data.find_records(s, "2024〕001", provider_id=world.provider_id)
        assert [h.record_id for h in hits] == [world.company_records[0]]
        assert data.find_records(s, "2024〕001", provider_id=world.provider_id + 1) == []


# --- the dashboard ---------------------------------------------------------------------------


def test_weekly_records_per_unit_and_iso_week() -> None:
    rows = [
        ("B unit", date(2026, 11, 23), 10),  # Monday of the current week
        ("B unit", date(2026, 11, 26), 5),
        ("A unit", date(2026, 11, 18), 7),  # the week before
        ("A unit", date(2026, 1, 5), 99),  # outside the window: left out
    ]
    chart = data.weekly_records(rows, date(2026, 11, 26), weeks=3)
    assert chart.categories == ("2026-11-09", "2026-11-16", "2026-11-23")
    assert [(s.label, s.values) for s in chart.series] == [
        ("A unit", (0.0, 7.0, 0.0)),
        ("B unit", (0.0, 0.0, 15.0)),
    ]
    assert chart.maximum == 15.0 and not chart.empty


def test_objections_by_state_in_workflow_order() -> None:
    states = [State.CLOSED, State.RECEIVED, State.CLOSED, State.PU_REVIEW]
    assert data.objections_by_state(states) == [("received", 1), ("pu_review", 1), ("closed", 2)]


def test_art40_share_handled_within_deadline() -> None:
    steps = data.deadline_performance(
        [
            _deadline("notice", met_on="2024-10-01"),
            _deadline("notice", met_on="2024-10-12", overdue=True),
            _deadline("notice", overdue=True, days_left=-3),
            _deadline("notice", days_left=2),
            _deadline("label", met_on="2024-09-28"),
        ]
    )
    assert [s.name for s in steps] == ["label", "notice"]
    notice = steps[1]
    assert (notice.on_time, notice.late, notice.overdue_open, notice.open) == (1, 1, 1, 1)
    assert notice.share == pytest.approx(1 / 3)
    assert data.overall_share(steps) == pytest.approx(2 / 4)
    assert data.overall_share([]) is None


def test_art22_inquiries_by_mode_lists_all_four_modes() -> None:
    assert data.inquiries_by_mode({"self": 4, "authority": 2}) == [
        ("public_disclosure", 0),
        ("authority", 2),
        ("self", 4),
        ("authorized", 0),
    ]


def test_dashboard_over_a_real_case(world: World) -> None:
    p = world.platform
    with on("2024-09-27"), p.transaction() as s:
        oid = service.receive(
            s,
            AS_OPERATOR,
            subject_id=world.company,
            record_ids=[world.company_records[0]],
            ground="error",
            statement="金额有误",
            applicant="重庆示例商贸有限公司",
            channel="web",
            files_dir=world.files_dir,
        ).objection.id
    with on("2024-09-29"), p.transaction() as s:
        service.apply_label(s, AS_OPERATOR, oid)
        service.transfer(s, AS_OPERATOR, oid)
        service.pu_receive(s, unit(s), oid)
    with on("2024-09-30"), p.transaction() as s:
        board = data.dashboard(s, date(2024, 9, 30))
    assert board.by_state == (("pu_review", 1),)
    label = next(x for x in board.steps if x.name == "label")
    assert label.on_time == 1
    # The world's records were ingested on 2024-09-02, four weeks before: in the 8 weeks.
    assert sum(sum(s.values) for s in board.records.series) == 5
    assert board.records_rows == (("2024-09-02", "重庆市市场监督管理局", 5),)
    assert dict(board.by_mode)["public_disclosure"] == 0


# --- charts ------------------------------------------------------------------------------------


def _svg(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def test_charts_are_accessible_wellformed_svg_with_escaped_text() -> None:
    chart = data.ChartData(
        ("2026-11-16", "2026-11-23"),
        (data.Series("<b>A&B</b>", (3.0, 0.0)), data.Series("单位乙", (1.0, 12.0))),
    )
    svg = _svg(charts.grouped_bars(chart, title="Rows <per> week", desc="d"))
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.get("role") == "img"
    labelled = (svg.get("aria-labelledby") or "").split()
    assert svg.find(f"{ns}title") is not None and svg.find(f"{ns}title").get("id") == labelled[0]
    assert svg.find(f"{ns}title").text == "Rows <per> week"
    assert "<b>" not in str(charts.grouped_bars(chart, title="t", desc="d"))
    bars = [r for r in svg.iter(f"{ns}rect") if r.find(f"{ns}title") is not None]
    assert len(bars) == 4
    assert max(float(r.get("height", "0")) for r in bars) > 0


def test_horizontal_and_share_charts() -> None:
    svg = _svg(charts.horizontal_bars([("已受理", 3), ("已办结", 0)], title="t", desc="d"))
    assert "已受理" in ET.tostring(svg, encoding="unicode")
    shares = _svg(
        charts.stacked_shares(
            [("notice", 3, 1, 0), ("label", 0, 0, 0)],
            title="t",
            desc="d",
            legend=("in time", "late", "overdue"),
        )
    )
    text = ET.tostring(shares, encoding="unicode")
    assert "75%" in text and "–" in text
    empty = _svg(charts.grouped_bars(data.ChartData((), ()), title="t", desc="d"))
    assert empty.get("role") == "img"


# --- uploads -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("penalties.csv", "penalties.csv"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\处罚 2026.xlsx", "处罚_2026.xlsx"),
        ("..", "upload"),
    ],
)
def test_uploaded_file_names_lose_directories_and_unsafe_characters(
    given: str, stored: str
) -> None:
    assert safe_name(given) == stored
