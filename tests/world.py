"""A small populated platform for inquiry and permission tests: one unit, a company, two
people, staff of every role, a third party, and signed-in subjects.

Everything goes through the real doors, with the demo's own scenario steps
(``pcip.demo.scenario``): records through the ingestion pipeline, subjects through the
development identity provider's signed assertions and ``/api/v1/auth/subject``.

Tests get it from the ``api_world_data`` fixture (tests/conftest.py): built once per test
process on ``NOW`` (``build_data``), then copied for every test like the plain template;
``reopen`` puts a client on the copy. ``build`` still builds it in place, for tests that add
to it before the world is complete.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from pcip import clock
from pcip.app import create_app
from pcip.catalog.schemas import FieldRole, FieldType
from pcip.catalog.service import item_in_force, item_spec
from pcip.demo import scenario
from pcip.demo.generators.records import Issuer, Party
from pcip.kernel.actors import Actor
from pcip.kernel.enums import SubjectKind
from pcip.kernel.platform import Platform
from pcip.records.ingest import Source
from tests.client import TestClient
from tests.helpers import citizen_id, uscc

ACTOR = Actor.system("test")
TODAY = date(2026, 11, 26)
NOW = "2026-11-26T10:00:00"
UNIT = uscc(900, authority="1", entity_type="1")
BANK = uscc(950)
PASSWORD = "correct horse battery staple"
#: Non-public values planted in authorized-class records: whoever may not read them must
#: never receive them (Art. 22, 27).
SECRET_A = "SECRET-A-7f3d"
SECRET_B = "SECRET-B-91c2"


_FIXED = {
    "basis.decision_date": "2026-10-15",
    "basis.effective_date": "2026-10-15",
    "conduct_end_date": "2026-09-01",
    "publicity_end": "",
}


@dataclass
class World:
    platform: Platform
    client: TestClient
    org_uscc: str
    org_name: str
    person_a: str
    person_b: str
    tokens: dict[str, str] = field(default_factory=dict)
    subject_ids: dict[str, int] = field(default_factory=dict)

    def auth(self, role: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}

    def data(self) -> WorldData:
        return WorldData(
            self.org_uscc,
            self.org_name,
            self.person_a,
            self.person_b,
            dict(self.tokens),
            dict(self.subject_ids),
        )


@dataclass(frozen=True)
class WorldData:
    """What a test needs to know of a world that lives in its database copy."""

    org_uscc: str
    org_name: str
    person_a: str
    person_b: str
    tokens: dict[str, str]
    subject_ids: dict[str, int]


def build_data(platform: Platform) -> WorldData:
    """Build the world on ``NOW`` (once per test process, into a template)."""
    with clock.frozen(NOW):
        return build(platform).data()


def reopen(platform: Platform, data: WorldData) -> World:
    """The world of ``data`` on ``platform`` (a copy of the template it was built into)."""
    d = asdict(data)
    return World(platform, TestClient(create_app(platform)), **d)


def _rows(
    platform: Platform, item: str, party: Party, secret: str | None, n: str
) -> list[dict[str, str]]:
    # Fixed dates, so every test knows what the rules disclose on TODAY: decided six weeks
    # ago, publicity (general class, assumed) running for months yet.
    fixed = {FieldRole(role): value for role, value in _FIXED.items()}
    fixed[FieldRole.BASIS_NUMBER] = f"渝市监〔2026〕{n}号"
    issuer = Issuer("重庆市市场监督管理局", UNIT)
    row = scenario.item_row(platform, item, party, issuer, TODAY, seed=f"{item}-{n}", fixed=fixed)
    if secret:
        with platform.transaction() as s:
            spec = item_spec(item_in_force(s, item))
        text = next(
            f
            for f in spec.fields
            if f.type in (FieldType.TEXT, FieldType.STRING) and f.role is None
        )
        row[text.name] = secret
    return [row]


def submit(platform: Platform, item: str, rows: list[dict[str, str]]) -> None:
    scenario.submit(
        platform,
        ACTOR,
        unit_uscc=UNIT,
        item=item,
        rows=rows,
        source=Source("test", None, None, "json"),
    )


def sign_in_subject(client: TestClient, name: str, id_type: str, number: str) -> str:
    r = client.post(
        "/dev-idp/assertions", json={"name": name, "id_type": id_type, "id_number": number}
    )
    assert r.status_code == 200, r.text
    r = client.post("/api/v1/auth/subject", json={"assertion": r.json()["assertion"]})
    assert r.status_code == 200, r.text
    return str(r.json()["token"])


def build(platform: Platform) -> World:
    org, org_name = uscc(31), "重庆示例科技有限公司"
    person_a = citizen_id(11, born=date(1985, 4, 2))
    person_b = citizen_id(12, born=date(1990, 7, 9))
    with platform.transaction() as s:
        unit = scenario.register_unit(
            s, ACTOR, UNIT, "重庆市市场监督管理局", ["admin_penalty", "pledge_made"]
        )
        unit_key = scenario.unit_key(s, ACTOR, unit, "test")
        for role, name in (("operator", "operator"), ("drc", "drc"), ("provider", "staff")):
            scenario.add_staff(
                s,
                ACTOR,
                username=name,
                password=PASSWORD,
                role=role,
                unit_uscc=UNIT if role == "provider" else None,
            )
        bank_key = scenario.add_bank(s, ACTOR, BANK, "重庆示例银行股份有限公司", "test").key
    company = Party(
        SubjectKind.LEGAL_PERSON,
        org_name,
        uscc=org,
        legal_rep_name="李四",
        legal_rep_id=citizen_id(13),
    )
    a = Party(SubjectKind.PERSON, "张三", citizen_id=person_a)
    b = Party(SubjectKind.PERSON, "王五", citizen_id=person_b)
    submit(
        platform,
        "admin_penalty",
        _rows(platform, "admin_penalty", company, None, "001")
        + _rows(platform, "admin_penalty", a, None, "002"),
    )
    submit(
        platform,
        "pledge_made",
        _rows(platform, "pledge_made", a, SECRET_A, "003")
        + _rows(platform, "pledge_made", b, SECRET_B, "004")
        + _rows(platform, "pledge_made", company, None, "005"),
    )

    client = TestClient(create_app(platform))
    world = World(platform, client, org, org_name, person_a, person_b)
    world.tokens.update(unit_key=unit_key, grantee=bank_key)
    for user in ("operator", "drc", "staff"):
        r = client.post("/api/v1/auth/login", json={"username": user, "password": PASSWORD})
        assert r.status_code == 200, r.text
        world.tokens[user] = r.json()["token"]
    client.cookies.clear()
    world.tokens["subject_a"] = sign_in_subject(client, "张三", "citizen_id", person_a)
    world.tokens["subject_b"] = sign_in_subject(client, "王五", "citizen_id", person_b)
    world.tokens["org"] = sign_in_subject(client, org_name, "uscc", org)
    client.cookies.clear()
    for who in ("subject_a", "subject_b", "org"):
        world.subject_ids[who] = client.get("/api/v1/auth/me", headers=world.auth(who)).json()[
            "subject_id"
        ]
    return world
