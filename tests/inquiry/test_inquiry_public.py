"""Art. 22 lawful public disclosure: organisations by name or USCC, persons only by their exact
identifier, only what the catalog marks public, masked; Art. 28 per-client throttling."""

from __future__ import annotations

from datetime import date

import pytest

from pcip.demo.generators.records import Party
from pcip.doors.ratelimit import RateLimiter
from pcip.kernel.enums import SubjectKind
from tests.helpers import citizen_id
from tests.inquiry.support import by_item
from tests.world import SECRET_A, SECRET_B, World, _rows, submit

SEARCH = "/api/v1/public/organisations"
PERSONS = "/api/v1/public/persons"
UNKNOWN_PERSON = citizen_id(77, born=date(1980, 1, 1))


def test_art22_public_search_finds_organisation_by_part_of_name(world: World) -> None:
    r = world.client.get(SEARCH, params={"q": "示例科技"})
    assert r.status_code == 200, r.text
    hits = r.json()
    assert [h["uscc"] for h in hits] == [world.org_uscc]
    assert hits[0]["name"] == world.org_name and hits[0]["kind"] == "legal_person"


def test_art22_public_search_finds_organisation_by_uscc_in_any_case(world: World) -> None:
    for q in (world.org_uscc, world.org_uscc.lower(), f"  {world.org_uscc} "):
        r = world.client.get(SEARCH, params={"q": q})
        assert r.status_code == 200, r.text
        assert [h["uscc"] for h in r.json()] == [world.org_uscc], q


def test_art22_public_search_finds_organisation_by_former_name(world: World) -> None:
    renamed = Party(
        SubjectKind.LEGAL_PERSON,
        "重庆新纪元信息技术有限公司",
        uscc=world.org_uscc,
        legal_rep_name="李四",
        legal_rep_id=citizen_id(13),
    )
    submit(
        world.platform,
        "admin_penalty",
        _rows(world.platform, "admin_penalty", renamed, None, "006"),
    )
    by_old = world.client.get(SEARCH, params={"q": "示例科技"}).json()
    assert len(by_old) == 1
    assert by_old[0]["name"] == "重庆新纪元信息技术有限公司"
    assert by_old[0]["former_names"] == [world.org_name]
    by_new = world.client.get(SEARCH, params={"q": "新纪元"}).json()
    assert [h["subject_id"] for h in by_new] == [by_old[0]["subject_id"]]


@pytest.mark.parametrize("q", ["张三", "王五"])
def test_art22_public_search_never_returns_persons_by_name(world: World, q: str) -> None:
    r = world.client.get(SEARCH, params={"q": q})
    assert r.status_code == 200 and r.json() == []


def test_art22_public_search_never_returns_persons_by_citizen_id(world: World) -> None:
    r = world.client.get(SEARCH, params={"q": world.person_a})
    assert r.status_code == 200 and r.json() == []


def test_art22_public_search_needs_two_characters(world: World) -> None:
    r = world.client.get(SEARCH, params={"q": "示"})
    assert r.status_code == 422 and r.json()["field"] == "q"


def test_art22_organisation_page_shows_public_penalty_with_provenance_never_pledge(
    world: World,
) -> None:
    r = world.client.get(f"{SEARCH}/{world.org_uscc}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["mode"] == "public_disclosure" and body["inquiry_id"] is not None
    assert body["subject"]["name"] == world.org_name
    assert body["subject"]["identifier"] == world.org_uscc
    records = by_item(body["records"])
    assert set(records) == {"admin_penalty"}  # the pledge is authorized-class only
    penalty = records["admin_penalty"]
    assert penalty["basis"]["number"] == "渝市监〔2026〕001号"
    prov = penalty["provenance"]
    assert prov["provider_name"] == "重庆市市场监督管理局"
    assert prov["batch_id"] is not None and prov["recorded_at"] and prov["catalog_version"]
    assert "pledge_made" not in r.text


def test_art22_organisation_page_unknown_uscc_is_404(world: World) -> None:
    r = world.client.get(f"{SEARCH}/{world.org_uscc[:-1]}0")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_art22_organisation_page_does_not_serve_persons(world: World) -> None:
    r = world.client.get(f"{SEARCH}/{world.person_a}")
    assert r.status_code == 404


def test_art22_person_lookup_by_exact_citizen_id_masks_name_and_hides_secret(
    world: World,
) -> None:
    r = world.client.post(PERSONS, json={"citizen_id": world.person_a})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["subject"]["kind"] == "person"
    assert body["subject"]["name"] == "张*"
    assert world.person_a not in (body["subject"]["identifier"] or "")
    records = by_item(body["records"])
    assert set(records) == {"admin_penalty"}
    assert records["admin_penalty"]["fields"]["CF_XDR_MC"] == "张*"
    assert records["admin_penalty"]["provenance"]["provider_name"] == "重庆市市场监督管理局"
    for leaked in ("张三", SECRET_A, SECRET_B, world.person_a):
        assert leaked not in r.text


def test_art22_person_lookup_lower_case_check_character_is_the_same_person(
    world: World,
) -> None:
    upper = world.client.post(PERSONS, json={"citizen_id": world.person_a}).json()
    lower = world.client.post(PERSONS, json={"citizen_id": world.person_a.lower()}).json()
    assert lower["subject"] == upper["subject"]


def test_art22_person_lookup_unknown_id_answers_like_nothing_public(world: World) -> None:
    unknown = world.client.post(PERSONS, json={"citizen_id": UNKNOWN_PERSON})
    nothing_public = world.client.post(PERSONS, json={"citizen_id": world.person_b})
    assert unknown.status_code == nothing_public.status_code == 200
    for body in (unknown.json(), nothing_public.json()):
        assert body["subject"] is None and body["records"] == []
        assert body["mode"] == "public_disclosure"
    assert set(unknown.json()) == set(nothing_public.json())
    assert SECRET_B not in nothing_public.text


def test_art22_person_lookup_unknown_and_nothing_public_are_indistinguishable(
    world: World,
) -> None:
    unknown = world.client.post(PERSONS, json={"citizen_id": UNKNOWN_PERSON}).json()
    nothing_public = world.client.post(PERSONS, json={"citizen_id": world.person_b}).json()
    assert unknown == nothing_public


@pytest.mark.parametrize("bad", ["123", "500103198504020119", "50010319850402011X" + "9"])
def test_art22_person_lookup_malformed_id_is_422_naming_the_field(world: World, bad: str) -> None:
    r = world.client.post(PERSONS, json={"citizen_id": bad})
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "invalid"
    assert r.json()["field"].endswith("citizen_id")
    assert bad not in r.text  # the identifier is not echoed back


def test_art22_person_lookup_malformed_id_names_the_request_field_exactly(
    world: World,
) -> None:
    r = world.client.post(PERSONS, json={"citizen_id": "123"})
    assert r.json()["field"] == "citizen_id"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"citizen_id": ""},
        {"name": "张三"},
        {"citizen_id": UNKNOWN_PERSON, "document_type": "passport", "document_number": "E1"},
    ],
)
def test_art22_person_lookup_needs_exactly_one_identifier(world: World, body: dict) -> None:
    r = world.client.post(PERSONS, json=body)
    assert r.status_code == 422 and r.json()["code"] == "invalid"


def test_art22_person_lookup_with_id_in_url_is_not_a_route(world: World) -> None:
    in_path = world.client.get(f"{PERSONS}/{world.person_a}")
    in_query = world.client.get(PERSONS, params={"citizen_id": world.person_a})
    assert in_path.status_code in (404, 405)
    assert in_query.status_code in (404, 405)
    for r in (in_path, in_query):
        assert world.person_a not in r.text and "张" not in r.text


def test_art28_public_search_is_rate_limited_per_client(world: World) -> None:
    world.client.app.state.public_limiter = RateLimiter(3)
    for _ in range(3):
        assert world.client.get(SEARCH, params={"q": "示例"}).status_code == 200
    r = world.client.get(SEARCH, params={"q": "示例"})
    assert r.status_code == 429
    assert r.json()["code"] == "rate_limited"
    assert int(r.headers["retry-after"]) >= 1


def test_art28_public_disclosure_pages_share_the_limit(world: World) -> None:
    world.client.app.state.public_limiter = RateLimiter(3)
    assert world.client.get(SEARCH, params={"q": "示例"}).status_code == 200
    assert world.client.get(f"{SEARCH}/{world.org_uscc}").status_code == 200
    assert world.client.post(PERSONS, json={"citizen_id": world.person_a}).status_code == 200
    r = world.client.post(PERSONS, json={"citizen_id": world.person_a})
    assert r.status_code == 429 and "retry-after" in r.headers


def test_d25_records_of_a_minor_are_not_publicly_disclosed(world: World) -> None:
    minor_id = citizen_id(14, born=date(2010, 3, 5))
    minor = Party(SubjectKind.PERSON, "赵小六", citizen_id=minor_id)
    submit(
        world.platform, "admin_penalty", _rows(world.platform, "admin_penalty", minor, None, "007")
    )
    public = world.client.post(PERSONS, json={"citizen_id": minor_id})
    assert public.status_code == 200
    assert public.json()["records"] == [] and public.json()["subject"] is None
    assert "赵" not in public.text
    authority = world.client.post(
        "/api/v1/inquiries/authority",
        json={
            "subject": {"citizen_id": minor_id},
            "purpose_code": "law_enforcement",
            "purpose": "执法检查 (inspection)",
        },
        headers=world.auth("staff"),
    )
    assert [x["item_code"] for x in authority.json()["records"]] == ["admin_penalty"]
