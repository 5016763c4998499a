"""Issue #23 point 8 (Art. 27): the start-up check covers every key the data is under, and key
rotation is an audited, resumable command after which everything stays readable and findable.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from pcip import clock
from pcip.catalog.service import seed
from pcip.config import Settings
from pcip.demo.world import generate_demo
from pcip.errors import ConfigError, Unavailable
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.audit.models import AuditEvent
from pcip.kernel.keys.keyring import keyring_path, load_keyring, write_keyring
from pcip.kernel.keys.models import KeyFingerprint
from pcip.kernel.platform import Platform, initialise
from pcip.ops.rotation import rotate
from pcip.providers.service import add_provider
from pcip.records.models import RejectedRow
from pcip.records.reports import open_values
from pcip.subjects.models import Subject
from pcip.subjects.service import find, person_by_citizen_id, reveal_identifier
from tests.conftest import PG_URL
from tests.helpers import pg_admin
from tests.records.builders import ACTOR, UNIT, penalty_rows, run, write_csv

CLI = Actor.system("test")


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with clock.frozen("2026-11-26T10:00:00"):
        yield


def _people(platform: Platform) -> dict[int, tuple[str, str]]:
    """Every person: id -> (clear identifier, stored blind index)."""
    with platform.transaction() as s:
        return {
            p.id: (reveal_identifier(platform.keyring, p), str(p.id_index))
            for p in s.scalars(select(Subject).where(Subject.kind == "person"))
        }


def _found(platform: Platform, number: str) -> int | None:
    with platform.transaction() as s:
        subject = find(s, person_by_citizen_id(platform.keyring, number))
        return subject.id if subject else None


def _with_data(platform: Platform, tmp_path: Path) -> None:
    """Persons (legal representatives) and a rejected row holding an ID number."""
    with platform.transaction() as s:
        add_provider(s, ACTOR, UNIT, "重庆市市场监督管理局", ["admin_penalty"])
    rows = penalty_rows(platform, 12)
    rows[-1]["CF_XDR_SHXYM"] = "not a code"  # rejected, kept sealed with its values
    summary = run(platform, write_csv(tmp_path / "p.csv", rows))
    assert summary.accepted == 11 and summary.rejected == 1


def _rotate(settings: Settings, **kwargs: object) -> dict[str, object]:
    return rotate(settings, CLI, force=True, **kwargs).as_dict()  # type: ignore[arg-type]


def test_issue23_rotation_keeps_everything_readable_and_findable(
    settings: Settings, tmp_path: Path
) -> None:
    platform = Platform.open(settings)
    _with_data(platform, tmp_path)
    before = _people(platform)
    assert len(before) >= 5
    platform.dispose()

    report = _rotate(settings, batch=4)
    assert report["data_key"] == "k1 -> k2" and report["index_key"] == "i1 -> i2"
    assert report["persons_reencrypted"] == len(before) and report["rejected_rows_resealed"] == 1

    platform = Platform.open(settings)
    try:
        after = _people(platform)
        assert {k: v[0] for k, v in after.items()} == {k: v[0] for k, v in before.items()}
        assert all(after[k][1] != before[k][1] for k in before)  # every index recomputed
        for pid, (number, _) in before.items():
            assert _found(platform, number) == pid  # search by ID number still works
        with platform.transaction() as s:
            assert set(s.scalars(select(Subject.id_key).where(Subject.id_key.is_not(None)))) == {
                "k2"
            }
            (row,) = s.scalars(select(RejectedRow)).all()
            assert row.values and row.values["sealed"] == "k2"
            assert open_values(platform.keyring, row.values)["CF_XDR_SHXYM"] == "not a code"
            actions = list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
            assert actions[-2:] == ["keys.rotate_start", "keys.rotate"]
            states = {(k.kind, k.key_id): k.state for k in s.scalars(select(KeyFingerprint))}
            assert states[("data", "k1")] == "retired" and states[("data", "k2")] == "active"
            assert states[("index", "i1")] == "retired" and states[("index", "i2")] == "active"
            assert audit.verify(s).ok
        ring = load_keyring(settings.keys_dir)
        assert (ring.active_key_id, ring.index_key_id) == ("k2", "i2")
        assert set(ring.data_keys) == {"k1", "k2"}  # the old key stays, retired
    finally:
        platform.dispose()


class Stop(Exception):
    pass


def test_issue23_interrupted_rotation_refuses_start_and_writes_then_resumes(
    settings: Settings, tmp_path: Path
) -> None:
    platform = Platform.open(settings)
    _with_data(platform, tmp_path)
    before = _people(platform)

    def stop_after_first_batch(step: str, done: int, total: int) -> None:
        raise Stop(f"{step} {done}/{total}")

    with pytest.raises(Stop, match="persons 3/"):
        rotate(settings, CLI, batch=3, force=True, progress=stop_after_first_batch)
    with platform.transaction() as s:
        assert s.scalar(select(func.count()).where(Subject.id_key == "k2")) == 3
    # Nothing may start or write while the rotation is unfinished.
    with pytest.raises(ConfigError, match=r"key rotation started .* is unfinished"):
        Platform.open(settings)
    with (
        pytest.raises(Unavailable, match="a key rotation is under way"),
        platform.transaction() as s,
    ):
        audit.record(s, CLI, "test.write", object_type="t", object_id=1, article="Art. 28")
    platform.dispose()

    report = _rotate(settings, batch=3)  # run again: resumes where it stopped
    assert report["resumed"] is True and report["persons_reencrypted"] == len(before)
    platform = Platform.open(settings)
    try:
        for pid, (number, _) in before.items():
            assert _found(platform, number) == pid
        assert {k: v[0] for k, v in _people(platform).items()} == {
            k: v[0] for k, v in before.items()
        }
        with platform.transaction() as s:
            assert audit.verify(s).ok
            starts = s.scalar(select(func.count()).where(AuditEvent.action == "keys.rotate_start"))
            assert starts == 1
    finally:
        platform.dispose()


def test_issue23_a_process_started_before_a_rotation_may_not_write(settings: Settings) -> None:
    stale = Platform.open(settings)
    try:
        _rotate(settings)
        with (
            pytest.raises(Unavailable, match=r"keys were rotated \(now k2 i2\).*restart it"),
            stale.transaction() as s,
        ):
            audit.record(s, CLI, "test.write", object_type="t", object_id=1, article="x")
    finally:
        stale.dispose()


def test_issue23_resubmission_after_rotation_changes_nothing(settings: Settings) -> None:
    """Records name their person by the record key, which does not rotate: an unchanged
    resubmission after a rotation adds no record and no version (no duplicates)."""
    platform = Platform.open(settings)
    first = generate_demo(platform, subjects=25, records=50, seed=5)
    assert first.outcomes["accepted"] > 0 and first.persons > 0
    platform.dispose()
    _rotate(settings)
    platform = Platform.open(settings)
    try:
        again = generate_demo(platform, subjects=25, records=50, seed=5)
        assert (again.outcomes["accepted"], again.outcomes["updated"]) == (0, 0)
    finally:
        platform.dispose()


def test_issue23_key_file_older_than_the_database_is_refused(settings: Settings) -> None:
    old = keyring_path(settings.keys_dir).read_bytes()
    _rotate(settings)
    keyring_path(settings.keys_dir).write_bytes(old)
    with pytest.raises(ConfigError, match=r"lacks data key 'k2'.*older than the database"):
        Platform.open(settings)


@pytest.fixture
def database_copy(settings: Settings, backend: str) -> Iterator[Settings]:
    """A copy of the test's database as it is now (a backup), with the same PCIP_HOME."""
    if backend == "sqlite":
        src = Path(make_url(settings.database_url).database or "")
        dst = src.with_name("copy.sqlite3")
        shutil.copy2(src, dst)
        yield settings.model_copy(update={"database_url": f"sqlite:///{dst}"})
        return
    name = f"{make_url(settings.database_url).database}_copy"
    with pg_admin(PG_URL) as conn:
        conn.execute(
            f'CREATE DATABASE "{name}" TEMPLATE "{make_url(settings.database_url).database}"'
        )
    try:
        url = make_url(settings.database_url).set(database=name)
        yield settings.model_copy(update={"database_url": url.render_as_string(False)})
    finally:
        with pg_admin(PG_URL) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_issue23_database_older_than_the_key_file_is_refused(
    settings: Settings, database_copy: Settings
) -> None:
    """A backup from before a rotation, started with the rotated keys, fails at once."""
    _rotate(settings)
    with pytest.raises(ConfigError, match=r"data key 'k2'.*never used.*newer than the database"):
        Platform.open(database_copy)


def test_issue23_a_key_with_a_known_id_but_other_bytes_is_refused(settings: Settings) -> None:
    import secrets

    ring = load_keyring(settings.keys_dir)
    edited = ring.__class__(
        active_key_id=ring.active_key_id,
        data_keys={"k1": secrets.token_bytes(32)},
        index_key=ring.index_key,
        audit_key=ring.audit_key,
        index_key_id=ring.index_key_id,
        record_key=ring.content_key,
    )
    write_keyring(edited, keyring_path(settings.keys_dir))
    with pytest.raises(ConfigError, match="data key 'k1' is not the key this database knows"):
        Platform.open(settings)


@pytest.fixture
def fresh(backend: str, tmp_path: Path) -> Iterator[Settings]:
    """Settings for an empty database and an empty PCIP_HOME on this test's backend."""
    home = tmp_path / "fresh-home"
    if backend == "sqlite":
        yield Settings(database_url=f"sqlite:///{tmp_path / 'fresh.sqlite3'}", home=home)
        return
    name = f"{make_url(PG_URL).database}_fresh_{uuid.uuid4().hex[:12]}"
    with pg_admin(PG_URL) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        yield Settings(database_url=url, home=home)
    finally:
        with pg_admin(PG_URL) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_issue23_installation_with_a_version_1_key_file_rotates_twice(fresh: Settings) -> None:
    """Key files written before rotation existed (one index key, no record key) keep working:
    their records' natural keys stay valid through two rotations."""
    keys = fresh.keys_dir
    keys.mkdir(parents=True)
    keyring_path(keys).write_text(
        json.dumps(
            {
                "format": "pcip-keyring/1",
                "active_key_id": "k1",
                "data_keys": {"k1": base64.b64encode(os.urandom(32)).decode()},
                "index_key": base64.b64encode(os.urandom(32)).decode(),
                "audit_key": base64.b64encode(os.urandom(32)).decode(),
            }
        )
    )
    platform, _ = initialise(fresh)
    with platform.transaction() as s:
        seed(s, CLI)
    generate_demo(platform, subjects=20, records=40, seed=3)
    people = _people(platform)
    platform.dispose()
    _rotate(fresh)
    _rotate(fresh)
    assert load_keyring(keys).generation == "k3 i3"
    platform = Platform.open(fresh)
    try:
        for pid, (number, _) in people.items():
            if len(number) == 18:
                assert _found(platform, number) == pid
        again = generate_demo(platform, subjects=20, records=40, seed=3)
        assert (again.outcomes["accepted"], again.outcomes["updated"]) == (0, 0)
        with platform.transaction() as s:
            assert audit.verify(s).ok
    finally:
        platform.dispose()


def test_issue23_rotation_refuses_while_other_connections_are_open(
    settings: Settings, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("PostgreSQL lists the other connections to a database")
    running = Platform.open(settings)
    try:
        # A connection held open, like a running server's.
        with running.engine.connect(), pytest.raises(Unavailable, match="other connection"):
            rotate(settings, CLI)
        assert load_keyring(settings.keys_dir).generation == "k1 i1"  # nothing changed
    finally:
        running.dispose()


def test_issue23_keys_rotate_and_status_commands(cli_env: Settings) -> None:
    from typer.testing import CliRunner

    from pcip.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["keys", "rotate", "--force"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["data_key"] == "k1 -> k2" and out["index_key"] == "i1 -> i2"
    status = runner.invoke(app, ["keys", "status"])
    assert status.exit_code == 0
    keys = {(k["kind"], k["id"]): k["state"] for k in json.loads(status.stdout)["keys"]}
    assert keys[("data", "k2")] == "active" and keys[("data", "k1")] == "retired"
    assert json.loads(status.stdout)["rotation_under_way"] is None
