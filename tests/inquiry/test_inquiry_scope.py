"""Issue 14.5, Art. 22(2): an authority inquiry sees only the items its unit's duties need.

A unit's scope is the items it provides (Art. 20) plus those the operator grants it with the
legal basis of the duty (cited, audited, revocable). An inquiry naming nothing gets that scope,
never everything; one asking outside it is refused, naming the field. The stated purpose must
say something.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from httpx import Response
from typer.testing import CliRunner

from pcip import clock
from pcip.config import Settings
from pcip.demo.generators.records import Party
from pcip.inquiry import purpose
from pcip.inquiry.models import InquiryScopeGrant
from pcip.kernel.enums import SubjectKind
from pcip.providers.service import add_provider
from pcip.records.ingest import Source, ingest, rows_from_json
from tests.helpers import uscc
from tests.inquiry.support import audit_events, log_count
from tests.world import ACTOR, NOW, World, _rows

URL = "/api/v1/inquiries/authority"
TAX = uscc(960, authority="1", entity_type="1")
UNIT_USCC_PATH = "/api/v1/providers/{uscc}/inquiry-scope"
BASIS = "《重庆市社会信用条例》第三十四条第一款：实施行政许可前查询纳税信用"


def tax_record_about_the_company(world: World) -> None:
    """A second unit (tax) provides a tax-arrears record about the world's company."""
    with world.platform.transaction() as s:
        add_provider(s, ACTOR, TAX, "国家税务总局重庆市税务局", ["tax_arrears"])
    company = Party(SubjectKind.LEGAL_PERSON, world.org_name, uscc=world.org_uscc)
    rows = _rows(world.platform, "tax_arrears", company, None, "901")
    summary = ingest(
        world.platform,
        ACTOR,
        provider_uscc=TAX,
        item_code="tax_arrears",
        rows=rows_from_json(rows),
        source=Source("test", None, None, "json"),
    )
    assert summary.rejected == 0, summary.as_json()


def ask(world: World, role: str = "staff", **extra: Any) -> Response:
    body = {
        "subject": {"uscc": world.org_uscc},
        "purpose_code": "credit_check",
        "purpose": "资质审批前信用核查",
        **extra,
    }
    return world.client.post(URL, json=body, headers=world.auth(role))


def items(r: Response) -> set[str]:
    assert r.status_code == 200, r.text
    return {x["item_code"] for x in r.json()["records"]}


def scope_url(world: World, unit: str | None = None) -> str:
    from tests.world import UNIT

    return UNIT_USCC_PATH.format(uscc=unit or UNIT)


def grant_tax(world: World, role: str = "operator", basis: str = BASIS) -> Response:
    return world.client.post(
        scope_url(world),
        json={"item_code": "tax_arrears", "legal_basis": basis},
        headers=world.auth(role),
    )


# --- the scope -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["staff", "unit_key"])
def test_art22_2_inquiry_without_scope_gets_the_units_items_never_everything(
    world: World, role: str
) -> None:
    tax_record_about_the_company(world)
    # The market regulator provides penalties and pledges: the tax record is not for it.
    assert items(ask(world, role)) == {"admin_penalty", "pledge_made"}
    # The tax bureau's own items are its scope.
    with world.platform.transaction() as s:
        from pcip.providers.service import create_key, get_provider

        tax_key = create_key(s, ACTOR, get_provider(s, TAX), "test").token
    world.tokens["tax"] = tax_key
    assert items(ask(world, "tax")) == {"tax_arrears"}


def test_art22_2_asking_outside_the_scope_is_refused_naming_the_field(world: World) -> None:
    tax_record_about_the_company(world)
    before = log_count(world.platform)
    r = ask(world, items=["admin_penalty", "tax_arrears"])
    assert r.status_code == 422, r.text
    assert r.json()["field"] == "items[1]"
    assert "tax_arrears" in r.json()["message"] and "scope" in r.json()["message"]
    # Tax arrears are Art. 18 category 3: none of the unit's items is in it.
    r = ask(world, categories=[6, 3])
    assert r.status_code == 422 and r.json()["field"] == "categories[1]"
    assert "国家税务" not in r.text
    assert log_count(world.platform) == before  # a refused inquiry reads and logs nothing


def test_art22_2_categories_select_among_the_units_items(world: World) -> None:
    tax_record_about_the_company(world)
    assert items(ask(world, categories=[6])) == {"pledge_made"}
    assert items(ask(world, categories=[2, 6])) == {"admin_penalty", "pledge_made"}


def test_art22_2_operator_grant_with_legal_basis_widens_the_scope_audited(world: World) -> None:
    tax_record_about_the_company(world)
    r = grant_tax(world)
    assert r.status_code == 201, r.text
    out = r.json()
    granted = {i["item_code"]: i for i in out["items"]}
    assert granted["tax_arrears"]["source"] == "granted"
    assert granted["tax_arrears"]["legal_basis"] == BASIS
    assert granted["admin_penalty"]["source"] == "provides"
    [g] = out["grants"]
    assert g["granted_by"].startswith("operator:") and g["revoked_at"] is None
    [event] = audit_events(world.platform, "inquiry_scope.grant")
    assert event.article == "Art. 22(2)"
    assert event.details["legal_basis"] == BASIS and event.details["item_code"] == "tax_arrears"

    assert items(ask(world)) == {"admin_penalty", "pledge_made", "tax_arrears"}
    assert items(ask(world, items=["tax_arrears"])) == {"tax_arrears"}

    r = world.client.post(
        f"{scope_url(world)}/{g['grant_id']}/revoke",
        json={"reason": "审批职责已划转"},
        headers=world.auth("operator"),
    )
    assert r.status_code == 200, r.text
    assert r.json()["grants"][0]["revoked_at"] is not None
    assert r.json()["grants"][0]["revoke_reason"] == "审批职责已划转"
    assert [
        e.details["grant_id"] for e in audit_events(world.platform, "inquiry_scope.revoke")
    ] == [g["grant_id"]]
    assert items(ask(world)) == {"admin_penalty", "pledge_made"}
    assert ask(world, items=["tax_arrears"]).status_code == 422
    with world.platform.transaction() as s:  # kept, dated: never deleted
        assert s.get(InquiryScopeGrant, g["grant_id"]) is not None


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"item_code": "tax_arrears", "legal_basis": ""}, 422, "legal_basis"),
        ({"item_code": "tax_arrears", "legal_basis": "   "}, 422, "legal_basis"),
        ({"item_code": "tax_arrears", "legal_basis": "test"}, 422, "legal_basis"),
        ({"item_code": "tax_arrears", "legal_basis": "无"}, 422, "legal_basis"),
        ({"item_code": "no_such_item", "legal_basis": BASIS}, 422, "item_code"),
        ({"item_code": "admin_penalty", "legal_basis": BASIS}, 409, "item_code"),
    ],
)
def test_art22_2_a_grant_needs_a_known_item_outside_the_scope_and_a_legal_basis(
    world: World, body: dict[str, str], status: int, field: str
) -> None:
    r = world.client.post(scope_url(world), json=body, headers=world.auth("operator"))
    assert r.status_code == status, r.text
    assert r.json()["field"] == field
    assert audit_events(world.platform, "inquiry_scope.grant") == []


def test_art22_2_a_second_grant_of_the_same_item_is_a_conflict(world: World) -> None:
    assert grant_tax(world).status_code == 201
    r = grant_tax(world)
    assert r.status_code == 409 and r.json()["field"] == "item_code"


def test_art22_2_only_the_operator_sets_scopes_the_department_and_the_unit_read_them(
    world: World,
) -> None:
    for role in ("staff", "unit_key", "drc", "grantee", "subject_a"):
        assert grant_tax(world, role).status_code == 403, role
    assert grant_tax(world, None).status_code == 401  # type: ignore[arg-type]
    assert world.client.get(scope_url(world), headers=world.auth("drc")).status_code == 200
    assert world.client.get(scope_url(world), headers=world.auth("staff")).status_code == 403
    own = world.client.get(f"{URL}/scope", headers=world.auth("staff"))
    assert own.status_code == 200
    assert [i["item_code"] for i in own.json()["items"]] == ["admin_penalty", "pledge_made"]


def test_art22_2_revoking_needs_a_reason_and_a_grant_of_that_unit(world: World) -> None:
    gid = grant_tax(world).json()["grants"][0]["grant_id"]
    url = f"{scope_url(world)}/{gid}/revoke"
    r = world.client.post(url, json={"reason": " "}, headers=world.auth("operator"))
    assert r.status_code == 422 and r.json()["field"] == "reason"
    r = world.client.post(
        f"{scope_url(world)}/{gid + 99}/revoke",
        json={"reason": "职责调整"},
        headers=world.auth("operator"),
    )
    assert r.status_code == 404 and r.json()["field"] == "grant_id"


def test_art22_2_cli_lists_grants_and_revokes_a_scope(cli_env: Settings, world: World) -> None:
    from pcip.cli import app
    from tests.world import UNIT

    runner = CliRunner()

    def run(*args: str) -> list[dict[str, Any]]:
        with clock.frozen(NOW):
            result = runner.invoke(app, list(args))
        assert result.exit_code == 0, result.output
        return [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]

    [made] = run("provider", "scope", "grant", UNIT, "tax_arrears", "--basis", BASIS)
    assert made["item_code"] == "tax_arrears" and made["granted_by"].startswith("operator:cli:")
    listed = run("provider", "scope", "list", UNIT)
    assert [x["item"]["item_code"] for x in listed if "item" in x] == [
        "admin_penalty",
        "pledge_made",
        "tax_arrears",
    ]
    [ended] = run(
        "provider", "scope", "revoke", UNIT, str(made["grant_id"]), "--reason", "职责调整"
    )
    assert ended["revoked_at"] is not None
    with clock.frozen(NOW):
        refused = runner.invoke(app, ["provider", "scope", "grant", UNIT, "tax_arrears"])
    assert refused.exit_code != 0  # --basis is required


# --- the purpose -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\t\n",
        "test",
        "TEST",
        "Test.",
        "purpose",
        "查询",
        "查询。",
        "无",
        "1",
        "12345678",
        "xxx",
        "xxxxxxxxxx",
        "测试测试",
        "查询查询",
        "信用查询",
        "工作需要",
        "abc",
        "查一下",
        "哈哈哈哈哈",
        "……。。",
    ],
)
def test_art22_2_placeholder_purpose_is_refused_naming_the_field(world: World, text: str) -> None:
    before = log_count(world.platform)
    r = ask(world, purpose=text)
    assert r.status_code == 422, r.text
    assert r.json()["field"] == "purpose"
    assert log_count(world.platform) == before


@pytest.mark.parametrize(
    "text",
    ["资质审批前信用核查", "渝市监罚〔2026〕12号案件调查", "permit check", "招投标资格审查"],
)
def test_art22_2_a_purpose_that_says_something_is_accepted(world: World, text: str) -> None:
    r = ask(world, purpose=text)
    assert r.status_code == 200, r.text


def test_art22_2_missing_purpose_is_refused_naming_the_field(world: World) -> None:
    body = {"subject": {"uscc": world.org_uscc}, "purpose_code": "credit_check"}
    r = world.client.post(URL, json=body, headers=world.auth("staff"))
    assert r.status_code == 422 and r.json()["field"] == "purpose"


def test_art22_2_purpose_rule_is_the_documented_one() -> None:
    assert purpose.problem("资质审批") is None  # 4 Chinese characters: weight 8
    assert purpose.problem("资质审") is not None  # weight 6
    assert purpose.problem("licences") is None  # 8 letters, not a placeholder
    assert purpose.problem("abcdefg") is not None
    assert purpose.problem("aabbaabb") is not None  # 2 distinct characters
    assert purpose.problem("testtest") is not None  # a placeholder repeated
    assert purpose.MIN_WEIGHT == 8 and purpose.MIN_DISTINCT == 3
