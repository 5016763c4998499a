"""Art. 30 comprehensive assessment: a versioned model with reason codes, read only by
departments for an administrative purpose, logged, derived when asked, never in any other
output (D-22)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.routing import APIRoute
from sqlalchemy import func, inspect, select

from pcip.assessment import model
from pcip.assessment.models import AssessmentRun
from pcip.errors import ValidationError
from tests.world import World

URL = "/api/v1/assessments"
DOC = Path(__file__).parents[2] / "docs" / "assessment.md"


def ask(world: World, who: str = "staff", **changes: Any) -> Any:
    body: dict[str, Any] = {
        "subject": {"uscc": world.org_uscc},
        "purpose_code": "tiered_supervision",
        "purpose": "分级分类监管年度评估 (annual tiered supervision)",
    }
    body.update(changes)
    return world.client.post(URL, headers=world.auth(who), json=body)


def test_art30_department_gets_grade_reasons_and_model_version(world: World) -> None:
    r = ask(world)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["model_version"] == model.current().version
    # 80 - 10 (one penalty) + 1 (one pledge made) = 71: B.
    assert out["grade"] == "B" and out["score"] == 71
    assert [x["code"] for x in out["reasons"]] == ["NEG_ADMIN_PENALTY", "POS_PLEDGE_MADE"]
    assert out["audience"] == "government_only" and "administrative use only" in out["watermark"]


def test_art30_the_read_is_logged_with_its_purpose(world: World) -> None:
    out = ask(world).json()
    history = world.client.get("/api/v1/me/inquiries", headers=world.auth("org")).json()
    entry = next(e for e in history["entries"] if e["inquiry_id"] == out["inquiry_id"])
    assert entry["mode"] == "authority" and "tiered_supervision" in entry["purpose"]
    assert "Art. 30 assessment" in entry["purpose"]


def test_art30_other_purposes_are_refused(world: World) -> None:
    r = ask(world, purpose_code="credit_check")
    assert r.status_code == 422 and "purpose_code" in r.text


@pytest.mark.parametrize("who", [None, "subject_a", "org", "grantee", "operator", "drc"])
def test_art30_only_departments_read_an_assessment(world: World, who: str | None) -> None:
    assert ask(world, who).status_code == (401 if who is None else 403)


def test_art30_assessment_is_derived_not_stored(world: World) -> None:
    """No table holds a subject's grade: only batch runs' distributions."""
    ask(world)
    with world.platform.transaction() as s:
        tables = inspect(s.get_bind()).get_table_names()
        for table in tables:
            cols = {c["name"] for c in inspect(s.get_bind()).get_columns(table)}
            assert not ({"grade", "score"} & cols), table
        assert s.scalar(select(func.count()).select_from(AssessmentRun)) == 0


def test_art30_assessment_never_reaches_a_non_authority_output(world: World) -> None:
    """Checked over every route: only the two assessment routes answer with a grade or the
    model version, and the outputs of every other mode carry none after one was computed."""
    app = world.client.app  # type: ignore[attr-defined]
    for route in app.routes:
        if not isinstance(route, APIRoute) or route.response_model is None:
            continue
        schema = str(getattr(route.response_model, "model_json_schema", lambda: {})())
        if route.path.startswith("/api/v1/assessments"):
            continue
        assert "model_version" not in schema and "'grade'" not in schema, route.path
    ask(world)
    grant = world.client.post(
        "/api/v1/me/authorizations",
        headers=world.auth("org"),
        json={
            "grantee_uscc": world_bank(),
            "purpose": "企业经营贷款审批 (business loan assessment)",
            "channels": ["api"],
            "categories": [2],
            "valid_to": "2027-05-31",
        },
    ).json()["authorization_id"]
    outputs = [
        world.client.get(f"/api/v1/public/organisations/{world.org_uscc}").text,
        world.client.get("/api/v1/me/records", headers=world.auth("org")).text,
        world.client.post(
            "/api/v1/inquiries/authorized",
            headers=world.auth("grantee"),
            json={"authorization_id": grant},
        ).text,
    ]
    report = world.client.post(
        f"/api/v1/reports/authorized/{grant}", headers=world.auth("grantee"), json={}
    ).json()["number"]
    outputs.append(
        world.client.get(f"/api/v1/reports/{report}", headers=world.auth("grantee")).text
    )
    outputs.append(
        world.client.get(f"/api/v1/reports/{report}/html", headers=world.auth("grantee")).text
    )
    outputs.append(world.client.get(f"/organisations/{world.org_uscc}").text)
    for text in outputs:
        assert "administrative use only" not in text and "NEG_ADMIN_PENALTY" not in text
        assert not re.search(r"model_version|\"grade\"", text)


def world_bank() -> str:
    from tests.world import BANK

    return BANK


def test_art30_batch_run_keeps_only_the_distribution(world: World) -> None:
    from pcip.assessment import batch
    from pcip.auth.permissions import Principal
    from pcip.kernel.actors import Actor
    from pcip.kernel.enums import ActorKind

    operator = Principal.internal(Actor(ActorKind.OPERATOR, "operator", "test"))
    with world.platform.transaction() as s:
        run = batch.run(s, operator)
        assert sum(run.distribution.values()) == run.subjects
        # One penalty (71) or nothing (80, the base): every subject of this world is a B.
        assert run.distribution == {"A": 0, "B": run.subjects, "C": 0, "D": 0}
        assert run.reasons["NEG_ADMIN_PENALTY"] == 2
    r = world.client.get(f"{URL}/distribution", headers=world.auth("operator"))
    assert r.status_code == 200 and r.json()["model_version"] == model.current().version
    assert world.client.get(f"{URL}/distribution", headers=world.auth("staff")).status_code == 403


def test_art30_batch_grade_equals_the_single_subject_grade(world: World) -> None:
    from pcip.assessment import batch

    with world.platform.transaction() as s:
        total, grades, _ = batch.distribution(s)
    single = ask(world).json()["grade"]
    assert grades[single] >= 1 and total >= 3


def test_art30_model_file_is_checked_and_documented() -> None:
    data = yaml.safe_load(model.MODEL_FILE.read_text(encoding="utf-8"))
    data["grades"] = list(reversed(data["grades"]))
    with pytest.raises(ValidationError) as exc:
        model.parse(data)
    assert exc.value.field == "grades"
    doc = DOC.read_text(encoding="utf-8")
    m = model.current()
    assert f"`{m.version}`" in doc
    for w in (*m.weights, m.default.negative, m.default.positive, m.serious_list):
        assert w.reason in doc and str(w.points) in doc
    for g in m.grades:
        assert f"| {g.grade} | {g.min_score} |" in doc


def test_art30_serious_listing_caps_the_grade_at_d() -> None:
    r = model.score({("commendation", "positive"): 2}, 1)
    assert r.grade == "D" and r.reasons[0].code == "LISTED_SERIOUS"
    assert model.score({}, 0).grade == "B"
