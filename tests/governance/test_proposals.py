"""Change proposals (SM-4: Art. 16-18; SM-5: Art. 34-36)."""

from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest

from pcip import clock
from pcip.auth.permissions import ANONYMOUS
from pcip.catalog.seed_data import CQ_SUPPLEMENT
from pcip.catalog.service import item_in_force
from pcip.errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationError
from pcip.governance import rules, service, versions
from pcip.governance.schemas import CommentIn, ConsultationIn, DecisionIn, PublishIn
from pcip.kernel.platform import Platform
from pcip.measures import catalogue
from tests.governance.support import DRAFTED, drc, new_item, proposal_in, walk
from tests.lists.support import staff


def test_art17_a_proposal_without_a_local_regulation_citation_cannot_be_submitted(
    platform: Platform,
) -> None:
    dept = staff(platform)
    with clock.frozen(DRAFTED), platform.transaction() as s:
        pid = service.propose(s, dept, proposal_in(citation="")).id
        with pytest.raises(ValidationError) as err:
            service.submit(s, dept, pid)
        assert err.value.field == "citation"
        assert service.get(s, pid).state == "draft"


def test_art18_screening_returns_an_item_outside_the_eight_categories_naming_the_rule(
    platform: Platform,
) -> None:
    dept = staff(platform)
    bad = new_item()
    bad["scope_category"] = 8
    bad["legal_basis"] = "内部文件"
    with clock.frozen(DRAFTED), platform.transaction() as s:
        pid = service.propose(s, dept, proposal_in(item=bad)).id
        service.submit(s, dept, pid)
        p, problems = service.screen(s, drc(), pid)
        assert p.state == "returned"
        assert problems[0][0] == "item.legal_basis" and "Art. 18" in problems[0][1]
        # amended and submitted again: screened
        service.amend(s, dept, pid, proposal_in())
        service.submit(s, dept, pid)
        assert service.screen(s, drc(), pid)[0].state == "screened"


def test_art36_a_measure_proposal_needs_its_justification_and_a_fitting_scope(
    platform: Platform,
) -> None:
    dept = staff(platform)
    doc = json.loads(catalogue.DATA_FILE.read_text(encoding="utf-8"))
    measure = copy.deepcopy(next(m for m in doc["measures"] if m["list"] == "city_supplement"))
    measure.update(code="cq_credit_talk", scope_type=6)
    body = proposal_in(kind="measure_list", item_code="cq_credit_talk", item=measure)
    with clock.frozen(DRAFTED), platform.transaction() as s:
        pid = service.propose(s, dept, body).id
        with pytest.raises(ValidationError) as err:
            service.submit(s, dept, pid)
        assert err.value.field == "justification"
        service.amend(
            s,
            dept,
            pid,
            proposal_in(
                kind="measure_list",
                item_code="cq_credit_talk",
                item=measure,
                justification="约谈与失信行为直接相关",
            ),
        )
        service.submit(s, dept, pid)
        p, problems = service.screen(s, drc(), pid)
        assert p.state == "returned" and problems[0][0] == "item.scope_type"
        assert "Art. 36" in problems[0][1]


def test_art17_comments_by_anyone_are_shown_only_once_moderated_and_close_after_the_period(
    platform: Platform,
) -> None:
    pid = walk(platform, to="consultation")
    d = drc()
    with clock.frozen(DRAFTED), platform.transaction() as s:
        assert service.comments(s, pid, shown_only=True) == []
        p = service.get(s, pid)
        assert (
            sorted(p.invited_groups) == sorted(rules.group_codes()) and len(p.invited_groups) == 7
        )
        with pytest.raises(ValidationError):
            service.comment(s, ANONYMOUS, pid, CommentIn(group="martians", body="意见意见"))
        with pytest.raises(Conflict, match="runs until"):
            service.close_consultation(s, d, pid)
        with pytest.raises(ValidationError):
            service.open_consultation(s, d, pid, ConsultationIn(days=5))
    end = DRAFTED + timedelta(days=rules.rules().comment_days)
    with clock.frozen(end), platform.transaction() as s:
        with pytest.raises(Conflict):  # the period is over
            service.comment(s, ANONYMOUS, pid, CommentIn(group="public", body="迟到的意见"))
        with pytest.raises(Conflict, match="moderation"):
            service.close_consultation(s, d, pid)


def test_art17_no_publication_without_the_municipal_government_approval_document(
    platform: Platform,
) -> None:
    pid = walk(platform, to="submitted_to_mpg")
    d = drc()
    day = DRAFTED + timedelta(days=40)
    with clock.frozen(day), platform.transaction() as s:
        with pytest.raises(Conflict):
            service.publish(s, d, pid, PublishIn(version="2026.1", effective_from=day))
        with pytest.raises(ValidationError) as err:
            service.record_decision(
                s, d, pid, DecisionIn(approved=True, issuer="重庆市人民政府", decided_on=day)
            )
        assert err.value.field == "number"


def test_roles_only_the_department_proposes_and_only_the_drc_screens(platform: Platform) -> None:
    dept = staff(platform)
    with clock.frozen(DRAFTED), platform.transaction() as s:
        with pytest.raises(Unauthorized):
            service.propose(s, ANONYMOUS, proposal_in())
        pid = service.propose(s, dept, proposal_in()).id
        service.submit(s, dept, pid)
        with pytest.raises(Forbidden):
            service.screen(s, dept, pid)


def test_art17_published_catalog_version_has_a_diff_and_gates_ingestion_from_its_effective_date(
    platform: Platform,
) -> None:
    end = DRAFTED + timedelta(days=rules.rules().comment_days)
    effective = end + timedelta(days=10)
    pid = walk(platform, effective=effective)
    with clock.frozen(end), platform.transaction() as s:
        p = service.get(s, pid)
        assert p.state == "published" and p.published_version == "2026.1"
        assert p.previous_version == "2021.2"
        diff = service.proposal_diff(s, p)
        assert [(c.change, c.code) for c in diff] == [("added", "cq_green_certification")]
        # Art. 16: not in force before its effective date ...
        with pytest.raises(NotFound):
            item_in_force(s, "cq_green_certification", end)
        # ... and every other item carried over
        assert item_in_force(s, "cq_government_pledge_breach", effective)
        assert item_in_force(s, "cq_green_certification", effective).version_id == (
            versions.latest_catalog_version(s).id
        )


def test_art17_a_replacement_diff_names_the_changed_keys(platform: Platform) -> None:
    base = next(i for i in CQ_SUPPLEMENT.items if i.code == "charity_donation")
    item = base.model_dump(mode="json")
    item["name_zh"] = "慈善捐赠记录"
    body = proposal_in(action="replace", item_code="charity_donation", item=item)
    pid = walk(platform, body)
    with platform.transaction() as s:
        diff = service.proposal_diff(s, service.get(s, pid))
    assert diff[0].change == "changed" and diff[0].code == "charity_donation"
    assert any(d.startswith("name_zh: 慈善捐赠信息 → 慈善捐赠记录") for d in diff[0].details)


def test_art35_a_published_measure_list_version_is_stored_with_its_diff(
    platform: Platform,
) -> None:
    doc = json.loads(catalogue.DATA_FILE.read_text(encoding="utf-8"))
    measure = copy.deepcopy(next(m for m in doc["measures"] if m["list"] == "city_supplement"))
    measure.update(code="cq_credit_talk", scope_type=1, name_zh="信用约谈")
    body = proposal_in(
        kind="measure_list",
        item_code="cq_credit_talk",
        item=measure,
        justification="约谈与失信行为直接相关，措施最轻",
    )
    pid = walk(platform, body)
    with platform.transaction() as s:
        p = service.get(s, pid)
        assert p.state == "published" and p.previous_version == doc["version"]
        rows = versions.measure_versions(s)
        assert [r.version for r in rows] == ["2026.1"]
        assert {m["code"] for m in rows[0].measures} == {m["code"] for m in doc["measures"]} | {
            "cq_credit_talk"
        }
        assert [(c.change, c.code) for c in service.proposal_diff(s, p)] == [
            ("added", "cq_credit_talk")
        ]


def test_art16_ingestion_accepts_the_new_item_only_from_the_effective_date(
    platform: Platform,
) -> None:
    import random

    from pcip.catalog.service import item_spec
    from pcip.demo.generators.records import Issuer, Party, make_row
    from pcip.kernel.actors import Actor
    from pcip.kernel.enums import SubjectKind
    from pcip.providers.service import add_provider
    from pcip.records.ingest import Source, ingest, rows_from_json
    from tests.helpers import uscc

    end = DRAFTED + timedelta(days=rules.rules().comment_days)
    effective = end + timedelta(days=10)
    walk(platform, effective=effective)
    unit = uscc(760, authority="1", entity_type="1")
    company = Party(SubjectKind.LEGAL_PERSON, "重庆绿色示范有限公司", uscc=uscc(761))
    who = Actor.system("test")
    with clock.frozen(end), platform.transaction() as s:
        add_provider(s, who, unit, "重庆市生态环境局", ["charity_donation"])
    with clock.frozen(end), pytest.raises(NotFound, match="quarantined"):
        ingest(
            platform,
            who,
            provider_uscc=unit,
            item_code="cq_green_certification",
            rows=rows_from_json([{"x": "1"}]),
            source=Source("test"),
        )
    with clock.frozen(effective):
        with platform.transaction() as s:
            add_provider(s, who, unit, "重庆市生态环境局", ["cq_green_certification"])
            spec = item_spec(item_in_force(s, "cq_green_certification"))
        row = make_row(random.Random(1), spec, company, Issuer("重庆市生态环境局", unit), effective)
        summary = ingest(
            platform,
            who,
            provider_uscc=unit,
            item_code="cq_green_certification",
            rows=rows_from_json([row]),
            source=Source("test"),
        )
    assert summary.accepted == 1, summary.errors


def test_art17_the_proposal_service_is_the_one_door_for_new_versions() -> None:
    """After pcip init seeds the first versions, only ``pcip.governance.versions`` publishes a
    catalog version; nothing else in the platform calls ``publish_version``."""
    from pathlib import Path

    root = Path(service.__file__).parents[1]
    callers = sorted(
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "publish_version(" in p.read_text(encoding="utf-8")
    )
    assert callers == ["catalog/service.py", "governance/versions.py"]
    seed_calls = (root / "catalog" / "service.py").read_text(encoding="utf-8")
    assert seed_calls.count("publish_version(") == 2  # its definition and seed()


def test_art34_the_punishment_gate_accepts_a_published_measure_from_its_effective_date(
    platform: Platform,
) -> None:
    from pcip.inquiry.schemas import SubjectRef
    from pcip.measures import applications
    from pcip.measures.schemas import ApplicationIn
    from tests.lists.support import COMPANY, listed

    doc = json.loads(catalogue.DATA_FILE.read_text(encoding="utf-8"))
    measure = copy.deepcopy(
        next(m for m in doc["measures"] if m["code"] == "cq_funding_restriction")
    )
    measure.update(code="cq_credit_talk", scope_type=1, name_zh="信用约谈")
    body = proposal_in(
        kind="measure_list",
        item_code="cq_credit_talk",
        item=measure,
        justification="约谈与失信行为直接相关，措施最轻",
    )
    end = DRAFTED + timedelta(days=rules.rules().comment_days)
    effective = end + timedelta(days=10)
    walk(platform, body, effective=effective)
    who = staff(platform)
    listed(platform, who)
    app = ApplicationIn(
        subject=SubjectRef(uscc=COMPANY),
        measure="cq_credit_talk",
        matter="subsidy",
        matter_ref="渝财补〔2026〕30号",
        nature="逾期未报送",
        circumstances="多次",
        impact="影响评审",
        severity="general",
        minor_or_incidental=False,
        promptly_corrected=False,
        no_harmful_outcome=False,
        waiver_reasons="多次逾期，未纠正",
    )
    with clock.frozen(end), platform.transaction() as s, pytest.raises(ValidationError) as err:
        applications.apply(s, platform.keyring, who, app)
    assert "Art. 34" in err.value.message
    with clock.frozen(effective), platform.transaction() as s:
        out = applications.out(applications.apply(s, platform.keyring, who, app))
        assert out.status == "applied" and out.measure == "cq_credit_talk"
        assert "cq_credit_talk" in {m.code for m in catalogue.in_force(effective, s)}
