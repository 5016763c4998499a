"""The lists through the API (Art. 32-33, 44): a department designates a company through SM-2,
the company answers in the window, the decision is served, the company appears on the public
list, its legal representative sees the linked record in self-inquiry (Art. 33), removal takes
it off; lists decided elsewhere are imported as files (Art. 32, 44)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pcip import clock
from pcip.kernel.platform import Platform
from tests.client import TestClient
from tests.helpers import citizen_id, uscc
from tests.world import NOW, World, WorldData, reopen, sign_in_subject

LEGAL_REP_OF_ORG = citizen_id(13)  # the company's legal representative in tests.world
DESIGNATIONS = "/api/v1/designations"


@pytest.fixture
def world(platform: Platform, api_world_data: WorldData) -> Iterator[World]:
    # tests.world's world, built once per test process into a template (tests/conftest.py).
    with clock.frozen(NOW):
        yield reopen(platform, api_world_data)


def _ok(r: object, status: int = 200) -> dict[str, object]:
    assert getattr(r, "status_code") == status, getattr(r, "text")  # noqa: B009
    return dict(getattr(r, "json")())  # noqa: B009


def test_art32_art33_designation_walk_public_list_self_inquiry_and_removal(world: World) -> None:
    c: TestClient = world.client
    unit = world.auth("unit_key")
    with clock.frozen("2026-11-26T10:00:00"):
        d = _ok(
            c.post(
                DESIGNATIONS,
                headers=unit,
                json={
                    "list_type": "serious_illegal_untrustworthy",
                    "uscc": world.org_uscc,
                    "name": world.org_name,
                    "case_ref": "渝市监信〔2026〕9号",
                    "facts": "虚假宣传，骗取消费者预付款逾百万元。",
                    "grounds": "性质恶劣、情节严重、社会危害较大",
                    "basis": "《市场监督管理严重违法失信名单管理办法》第七条",
                    "conduct_end_date": "2026-09-01",
                },
            ),
            201,
        )
        did = d["id"]
        assert d["state"] == "draft"
        # Nobody else reads a draft; the public list does not show it.
        assert c.get(f"{DESIGNATIONS}/{did}", headers=world.auth("org")).status_code == 404
        served = _ok(
            c.post(
                f"{DESIGNATIONS}/{did}/notice",
                headers=unit,
                json={"served_on": "2026-11-26", "method": "in_person", "proof": "签收回执"},
            )
        )
        assert served["state"] == "objection_window"
        assert served["statement_due"] == "2026-12-03"  # 5 WD after Thu 26 Nov 2026
    with clock.frozen("2026-11-27T09:30:00"):
        org = {
            "Authorization": f"Bearer {sign_in_subject(c, world.org_name, 'uscc', world.org_uscc)}"
        }
        c.cookies.clear()
        stated = _ok(
            c.post(f"{DESIGNATIONS}/{did}/statement", headers=org, json={"text": "已全额退款。"})
        )
        assert stated["state"] == "statement_received" and stated["statement_late"] is False
        _ok(
            c.post(
                f"{DESIGNATIONS}/{did}/response",
                headers=unit,
                json={"outcome": "rejected", "reasons": "退款不影响违法事实的认定"},
            )
        )
        decided = _ok(
            c.post(
                f"{DESIGNATIONS}/{did}/decision",
                headers=unit,
                json={
                    "decision_number": "渝市监列严〔2026〕9号",
                    "measures": "列入严重违法失信名单并公示，实施重点监管",
                    "removal": "列入满一年可申请提前移出；公示满三年移出",
                    "remedies": "六十日内申请行政复议，或六个月内提起行政诉讼",
                },
            )
        )
        # Art. 33: the legal representative on file is named in the decision.
        assert [p["role"] for p in decided["persons"]] == ["legal_representative"]  # type: ignore[index]
        _ok(
            c.post(
                f"{DESIGNATIONS}/{did}/decision-service",
                headers=unit,
                json={"served_on": "2026-11-27", "method": "post", "proof": "EMS 1100"},
            )
        )
        assert _ok(c.post(f"{DESIGNATIONS}/{did}/listing", headers=unit))["state"] == "listed"
        page = _ok(
            c.get("/api/v1/lists/serious_illegal_untrustworthy/entries", params={"q": "示例科技"})
        )
        [entry] = page["entries"]  # type: ignore[misc]
        assert entry["identifier"] == world.org_uscc
        assert entry["deciding_authority"] == "重庆市市场监督管理局"
        rep = sign_in_subject(c, "李四", "citizen_id", LEGAL_REP_OF_ORG)
        c.cookies.clear()
        own = _ok(c.get("/api/v1/me/records", headers={"Authorization": f"Bearer {rep}"}))
        [linked] = own["listings"]  # type: ignore[misc]
        assert linked["relation"] == "legal_representative"
        assert linked["organisation"] == world.org_name and linked["state"] == "listed"
        mine = _ok(c.get("/api/v1/me/records", headers=org))
        assert [x["relation"] for x in mine["listings"]] == ["listed"]  # type: ignore[union-attr]
        _ok(
            c.post(
                f"{DESIGNATIONS}/{did}/removal",
                headers=unit,
                json={"reason": "撤销处罚后移出"},
            )
        )
        page = _ok(c.get("/api/v1/lists/serious_illegal_untrustworthy/entries"))
        assert page["entries"] == []


def test_art32_list_types_are_published(world: World) -> None:
    r = world.client.get("/api/v1/lists/types")
    assert r.status_code == 200
    assert {t["code"] for t in r.json()} >= {"court_defaulter", "abnormal_operation"}
    r = world.client.get("/api/v1/lists/types/court_defaulter")
    body = _ok(r)
    assert body["field"] == "statutory_obligations" and body["origin"] == "imported"
    assert world.client.get("/api/v1/lists/types/nope").status_code == 404


def test_art32_art44_court_list_import_reports_rows_and_is_idempotent(world: World) -> None:
    c = world.client
    debtor = uscc(88)
    person = citizen_id(77)
    csv = (
        "name,uscc,citizen_id,case_ref,deciding_authority,decided_on,listed_until,removed_on\n"
        f"重庆欠债不还有限公司,{debtor},,（2026）渝0103执100号,重庆市渝中区人民法院,2026-10-01,,\n"
        f"赵失信,,{person},（2026）渝0103执101号,重庆市渝中区人民法院,2026-10-02,,\n"
        f"坏行,{debtor},,（2026）渝0103执102号,重庆市渝中区人民法院,2026-13-01,,\n"
    ).encode("gb18030")
    files = {"file": ("court.csv", csv, "text/csv")}
    url = "/api/v1/lists/court_defaulter/imports"
    summary = _ok(c.post(url, headers=world.auth("operator"), files=files))
    assert (summary["accepted"], summary["rejected"]) == (2, 1)
    assert summary["errors"] == [
        {"line": 4, "field": "decided_on", "message": "'2026-13-01' is not a date (YYYY-MM-DD)"}
    ]
    again = _ok(c.post(url, headers=world.auth("operator"), files=files))
    assert again["already_imported"] is True and again["import_id"] == summary["import_id"]
    page = _ok(c.get("/api/v1/lists/court_defaulter/entries"))
    names = sorted(e["name"] for e in page["entries"])  # type: ignore[union-attr]
    assert names == ["赵失信", "重庆欠债不还有限公司"]  # the courts publish persons too
    shown = [e["identifier"] for e in page["entries"] if e["name"] == "赵失信"]  # type: ignore[union-attr]
    assert shown != [person]  # masked
    # A later file from the court with a removal date ends that listing (never deleted).
    removal = (
        "name,uscc,case_ref,deciding_authority,decided_on,removed_on\n"
        f"重庆欠债不还有限公司,{debtor},（2026）渝0103执100号,重庆市渝中区人民法院,2026-10-01,2026-11-20\n"
    ).encode()
    later = _ok(
        c.post(url, headers=world.auth("operator"), files={"file": ("r.csv", removal, "text/csv")})
    )
    assert later["ended"] == 1
    page = _ok(c.get("/api/v1/lists/court_defaulter/entries"))
    assert [e["name"] for e in page["entries"]] == ["赵失信"]  # type: ignore[union-attr]


def test_art32_a_platform_list_cannot_be_imported(world: World) -> None:
    r = world.client.post(
        "/api/v1/lists/serious_illegal_untrustworthy/imports",
        headers=world.auth("operator"),
        files={"file": ("x.csv", b"name\n", "text/csv")},
    )
    assert r.status_code == 422 and r.json()["field"] == "list_type"
