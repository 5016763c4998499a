"""Issue 22: the floor of a logged inquiry (``bench.floor_app``) runs pcip's own statements.

The floor is what the inquiry benchmark compares pcip with: the same statements, compiled from
pcip's, with none of pcip's work. These tests check that it reads the rows pcip's inquiries
read and writes one log entry per request, as the benchmark's "logged" count assumes, so that
a change to pcip's statements (a column moved, a parameter renamed) breaks the floor here
rather than quietly in ``make bench``. PostgreSQL only, like the benchmarks.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from bench import datagen, floor_app
from pcip.app import create_app
from pcip.config import Settings
from pcip.kernel.platform import Platform

Floor = tuple[TestClient, datagen.Targets, Platform]


@pytest.fixture
def floor(backend: str, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Floor]:
    if backend != "postgresql":
        pytest.skip("the benchmarks run on PostgreSQL only")
    scale = datagen.Scale(
        organisations=12, persons=8, records=60, sessions=4, authorizations=2, jobs=2
    )
    targets = datagen.generate(settings, scale)
    monkeypatch.setenv("BENCH_DATABASE_URL", settings.database_url.replace("+psycopg", ""))
    # No connection kept from another test's database; each one opened here closed after.
    monkeypatch.setattr(floor_app, "_local", type(floor_app._local)())
    monkeypatch.setattr(floor_app, "OPENED", [])
    platform = Platform.open(settings)
    try:
        with TestClient(floor_app.app) as client:
            yield client, targets, platform
    finally:
        for conn in floor_app.OPENED:
            conn.close()
        platform.dispose()


def _versions(platform: Platform, subject_id: int) -> list[list[int]]:
    with platform.transaction() as s:
        rows = s.execute(
            text(
                "SELECT record_id, version FROM record_version WHERE subject_id = :s "
                "ORDER BY record_id, version"
            ),
            {"s": subject_id},
        ).all()
    return [[r, v] for r, v in rows]


def _logged(platform: Platform, entry: int) -> tuple[str, int, list[list[int]]]:
    with platform.transaction() as s:
        mode, subject, returned = s.execute(
            text("SELECT mode, subject_id, returned FROM inquiry_log WHERE id = :i"), {"i": entry}
        ).one()
    return mode, subject, returned


def test_issue22_floor_public_reads_every_version_and_logs_one_entry(floor: Floor) -> None:
    client, targets, platform = floor
    got = client.get(f"/floor/public/{targets.organisations[0].lower()}")
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["records"] == _versions(platform, body["subject_id"])
    assert body["records"], "the targets hold records"
    assert _logged(platform, body["inquiry_id"]) == (
        "public_disclosure",
        body["subject_id"],
        body["records"],
    )
    assert client.get("/floor/public/NOSUCHORGANISATION").status_code == 404


def test_issue22_floor_self_reads_the_sessions_subject_and_logs_one_entry(floor: Floor) -> None:
    client, targets, platform = floor
    token = targets.self_tokens[0]
    got = client.get("/floor/me/records", headers={"Authorization": f"Bearer {token}"})
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["records"] == _versions(platform, body["subject_id"])
    assert _logged(platform, body["inquiry_id"]) == ("self", body["subject_id"], body["records"])
    # The subject and records pcip's own self inquiry answers for the same token.
    with TestClient(create_app(platform)) as pcip:
        me = pcip.get("/api/v1/me/records", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200, me.text
    assert me.json()["subject"]["subject_id"] == body["subject_id"]
    assert [[r["record_id"], r["version"]] for r in me.json()["records"]] == [
        pair
        for pair in body["records"]
        if pair[1] == max(v for r, v in body["records"] if r == pair[0])
    ]
    forged = client.get("/floor/me/records", headers={"Authorization": "Bearer pcip_ss_forged"})
    assert forged.status_code == 401


def test_issue22_floor_authorized_reads_the_grants_subject_and_logs_one_entry(floor: Floor) -> None:
    client, targets, platform = floor
    key = {"Authorization": f"Bearer {targets.grantee_token}"}
    grant = targets.authorization_ids[0]
    got = client.post("/floor/inquiries/authorized", json={"authorization_id": grant}, headers=key)
    assert got.status_code == 200, got.text
    body = got.json()
    with platform.transaction() as s:
        subject = s.execute(
            text("SELECT subject_id FROM subject_authorization WHERE id = :i"), {"i": grant}
        ).scalar_one()
    assert body["subject_id"] == subject
    assert body["records"] == _versions(platform, subject)
    assert _logged(platform, body["inquiry_id"]) == ("authorized", subject, body["records"])
    forged = {"Authorization": targets.grantee_token[:-4] + "xxxx"}
    assert (
        client.post(
            "/floor/inquiries/authorized", json={"authorization_id": grant}, headers=forged
        ).status_code
        == 401
    )
