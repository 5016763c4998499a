"""The restoration and pledge API (Art. 26, 45): a company asks when restoration opens, is
refused too early with the date, applies with proof, and the unit takes the steps."""

from __future__ import annotations

from pcip import clock
from pcip.kernel.platform import Platform
from tests.restoration.matrix import old_record
from tests.world import NOW, WorldData, reopen

PDF = ("receipt.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")


def test_art45_api_openings_too_early_apply_and_steps(
    platform: Platform, api_world_data: WorldData
) -> None:
    w = reopen(platform, api_world_data)
    org, staff = w.auth("org"), w.auth("staff")
    with clock.frozen(NOW):
        opens = w.client.get("/api/v1/me/restorations/openings", headers=org).json()
        recent = next(o for o in opens if o["possible_from"])
        assert recent["possible_from"] > NOW[:10]
        r = w.client.post(
            "/api/v1/me/restorations",
            headers=org,
            data={"record_id": str(recent["record_id"]), "correction": "罚款已缴清，整改完毕。"},
        )
        assert r.status_code == 422, r.text
        assert r.json()["code"] == "too_early"
        assert r.json()["possible_from"] == recent["possible_from"]
        rid = old_record(platform, w.org_uscc, w.org_name)
        r = w.client.post(
            "/api/v1/me/restorations",
            headers=org,
            data={"record_id": str(rid), "correction": "罚款已缴清，整改完毕。"},
            files=[("proof", PDF)],
        )
        assert r.status_code == 201, r.text
        case = r.json()
        assert (
            case["fee"] == 0 and case["channel"] == "api" and case["proof_files"] == ["receipt.pdf"]
        )
        url = f"/api/v1/restorations/{case['id']}"
        for step, body in (
            ("officer", {"officer": "王修复"}),
            ("acceptance", None),
            ("approval", {"reasons": "符合条件"}),
        ):
            r = w.client.post(f"{url}/{step}", headers=staff, json=body)
            assert r.status_code == 200, (step, r.text)
        assert r.json()["state"] == "restored"
        pledges = w.client.get("/api/v1/me/pledges", headers=org).json()
        assert pledges[0]["matter"] == "restoration" and pledges[0]["status"] == "open"
        texts = w.client.get("/api/v1/pledges/texts").json()
        assert {t["matter"] for t in texts} >= {"restoration", "self_declaration"}
