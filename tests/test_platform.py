"""Opening and initialising the platform: schema, keys and reference data (Art. 16-17, 27-28).

``pcip init`` must be safe to repeat; opening a platform must fail with one clear sentence when
the database is not initialised, is at another revision, or when the key file is missing,
corrupted or belongs to another installation.
"""

from __future__ import annotations

import json
import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from pcip.calendar.schedule import CHINESECALENDAR_YEARS
from pcip.catalog.seed_data import SEED_CATALOGS
from pcip.config import Settings, reset_settings
from pcip.errors import ConfigError
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.keys.keyring import create_keyring, keyring_path, load_keyring, rotate_data_key
from pcip.kernel.meta import get_meta
from pcip.kernel.platform import (
    FINGERPRINT_KEY,
    Platform,
    current_revision,
    head_revision,
    initialise,
    known_revisions,
)
from pcip.ops.bootstrap import init_platform
from tests.helpers import pg_admin

PG_URL = os.environ.get("PCIP_TEST_DATABASE_URL", "")
TABLES = (
    "audit_event",
    "catalog",
    "catalog_version",
    "catalog_item",
    "provider",
    "provider_item",
    "platform_meta",
)
SEED_VERSIONS = len(SEED_CATALOGS)
SEED_ITEMS = sum(len(c.items) for c in SEED_CATALOGS)


@pytest.fixture
def empty_settings(backend: str, tmp_path: Path) -> Iterator[Settings]:
    """Settings for an empty database (no schema, no keys) on this test's backend."""
    home = tmp_path / "fresh-home"
    if backend == "sqlite":
        yield Settings(database_url=f"sqlite:///{tmp_path / 'fresh' / 'db.sqlite3'}", home=home)
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


def _use(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    monkeypatch.setenv("PCIP_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("PCIP_HOME", str(settings.home))
    reset_settings()


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in TABLES
        }


def _meta(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {
            str(k): str(v) for k, v in conn.execute(text("SELECT key, value FROM platform_meta"))
        }


# --- opening --------------------------------------------------------------------------------


def test_open_initialised_platform(platform: Platform, backend: str) -> None:
    assert platform.engine.dialect.name == backend
    assert head_revision() == sorted(known_revisions())[-1]
    assert current_revision(platform.engine) == head_revision()
    with platform.transaction() as s:
        assert get_meta(s, FINGERPRINT_KEY) == platform.keyring.fingerprint
        assert audit.verify(s).ok


def test_open_uninitialised_database_says_run_init(empty_settings: Settings) -> None:
    with pytest.raises(ConfigError) as info:
        Platform.open(empty_settings)
    assert "is not initialised; run 'pcip init'" in str(info.value)
    assert not keyring_path(empty_settings.keys_dir).exists()  # opening never creates keys


def test_open_database_at_unknown_revision_says_newer_pcip(settings: Settings) -> None:
    p = Platform.open(settings)
    with p.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    p.dispose()
    with pytest.raises(ConfigError, match=r"schema revision 0000, which this pcip does not know"):
        Platform.open(settings)


def test_init_on_database_from_a_newer_pcip_is_a_config_error(settings: Settings) -> None:
    p = Platform.open(settings)
    with p.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    p.dispose()
    with pytest.raises(ConfigError, match="9999"):
        initialise(settings)


# --- pcip init ------------------------------------------------------------------------------


def test_init_fresh_database_creates_schema_keys_and_seeds(
    empty_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(monkeypatch, empty_settings)
    lines = init_platform()
    assert "(schema created or upgraded)" in lines[0]
    assert lines[1] == f"keys: {empty_settings.keys_dir}"
    assert lines[2] == (
        f"reference data: {SEED_VERSIONS} catalog version(s), {SEED_ITEMS} item(s) seeded; "
        f"working-day calendar: {len(CHINESECALENDAR_YEARS)} official year(s) seeded"
    )
    path = keyring_path(empty_settings.keys_dir)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # Art. 27: keys are not world-readable
    assert stat.S_IMODE(empty_settings.keys_dir.stat().st_mode) == 0o700
    p = Platform.open(empty_settings)
    try:
        assert current_revision(p.engine) == head_revision()
        counts = _counts(p.engine)
        assert counts["catalog_version"] == SEED_VERSIONS
        assert counts["catalog_item"] == SEED_ITEMS
        with p.transaction() as s:
            result = audit.verify(s)
        assert result.ok and result.checked == counts["audit_event"] > 0
    finally:
        p.dispose()


def test_art17_init_twice_changes_nothing(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fixture database was initialised already: a further init is a no-op."""
    _use(monkeypatch, settings)
    p = Platform.open(settings)
    before_counts, before_meta = _counts(p.engine), _meta(p.engine)
    key_bytes = keyring_path(settings.keys_dir).read_bytes()
    for _ in range(2):
        lines = init_platform()
        assert "(schema up to date)" in lines[0]
        assert lines[2] == "reference data: up to date"
    assert _counts(p.engine) == before_counts
    assert _meta(p.engine) == before_meta  # audit head anchor and fingerprint unchanged
    assert keyring_path(settings.keys_dir).read_bytes() == key_bytes
    with p.transaction() as s:
        assert audit.verify(s).checked == before_counts["audit_event"]
    p.dispose()


def test_init_shows_no_password(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    _use(monkeypatch, settings)
    lines = init_platform()
    password = make_url(settings.database_url).password
    if password:
        assert all(str(password) not in line for line in lines)
    assert lines[0].startswith("database: ")


# --- key files (Art. 27) --------------------------------------------------------------------


def test_art27_missing_key_file_stops_open_and_init(settings: Settings) -> None:
    path = keyring_path(settings.keys_dir)
    path.unlink()
    with pytest.raises(ConfigError) as info:
        Platform.open(settings)
    assert f"key file {path} is missing" in str(info.value)
    with pytest.raises(ConfigError) as info:
        initialise(settings)
    assert f"key file {path} is missing but database" in str(info.value)
    assert "already initialised" in str(info.value)
    assert not path.exists()  # a fresh key would orphan the sealed and encrypted data


def test_art27_key_file_of_another_installation_is_refused(
    settings: Settings, tmp_path: Path
) -> None:
    other_home = tmp_path / "other-home"
    create_keyring(other_home / "keys")
    other = Settings(database_url=settings.database_url, home=other_home)
    with pytest.raises(ConfigError, match="does not belong to this database"):
        Platform.open(other)
    with pytest.raises(ConfigError, match="does not belong to this database"):
        initialise(other)


CORRUPT_KEY_FILES = {
    "not_json": ("{bad", "cannot be read"),
    "empty": ("", "cannot be read"),
    "json_list": ("[]", "is not a pcip keyring"),
    "wrong_format": (json.dumps({"format": "other/1"}), "is not a pcip keyring"),
    "no_data_keys": (
        json.dumps({"format": "pcip-keyring/1", "active_key_id": "k1", "data_keys": {}}),
        "active_key_id must name one of data_keys",
    ),
    "short_key": (
        json.dumps(
            {
                "format": "pcip-keyring/1",
                "active_key_id": "k1",
                "data_keys": {"k1": "AAAA"},
                "index_key": "x",
                "audit_key": "y",
            }
        ),
        "'data_keys.k1' must be 32 bytes, found 3",
    ),
    "not_base64": (
        json.dumps(
            {
                "format": "pcip-keyring/1",
                "active_key_id": "k1",
                "data_keys": {"k1": "!!not base64!!"},
            }
        ),
        "'data_keys.k1' is not valid base64",
    ),
    "missing_audit_key": ("FROM_REAL_WITHOUT_AUDIT_KEY", "'audit_key' is missing or not a string"),
}


@pytest.mark.parametrize("case", sorted(CORRUPT_KEY_FILES))
def test_art27_corrupted_key_file_is_named(settings: Settings, case: str) -> None:
    content, fragment = CORRUPT_KEY_FILES[case]
    path = keyring_path(settings.keys_dir)
    if content == "FROM_REAL_WITHOUT_AUDIT_KEY":
        doc = json.loads(path.read_text())
        del doc["audit_key"]
        content = json.dumps(doc)
    path.write_text(content)
    for attempt in (Platform.open, initialise):
        with pytest.raises(ConfigError) as info:
            attempt(settings)
        message = str(info.value)
        assert message.startswith(f"key file {path}")
        assert fragment in message
        assert "\n" not in message
    assert path.read_text() == content  # never "repaired" by overwriting


def test_art27_keyring_encrypts_with_context_and_blind_index_is_keyed(tmp_path: Path) -> None:
    ring = create_keyring(tmp_path / "keys")
    key_id, blob = ring.encrypt("11010519491231002X", context="subject:1")
    assert b"11010519491231002X" not in blob
    assert ring.decrypt(key_id, blob, context="subject:1") == "11010519491231002X"
    with pytest.raises(ConfigError, match="cannot be decrypted"):
        ring.decrypt(key_id, blob, context="subject:2")  # bound to its row
    with pytest.raises(ConfigError, match="data key 'k9'"):
        ring.decrypt("k9", blob, context="subject:1")
    assert ring.blind_index("citizen_id", "X") == ring.blind_index("citizen_id", "X")
    assert ring.blind_index("citizen_id", "X") != ring.blind_index("uscc", "X")
    other = create_keyring(tmp_path / "other")
    assert other.blind_index("citizen_id", "X") != ring.blind_index("citizen_id", "X")
    assert other.fingerprint != ring.fingerprint
    assert load_keyring(tmp_path / "keys") == ring


def test_art27_create_keyring_refuses_to_overwrite(tmp_path: Path) -> None:
    ring = create_keyring(tmp_path / "keys")
    before = keyring_path(tmp_path / "keys").read_bytes()
    with pytest.raises(ConfigError, match="already exists; refusing to overwrite"):
        create_keyring(tmp_path / "keys")
    assert keyring_path(tmp_path / "keys").read_bytes() == before
    assert load_keyring(tmp_path / "keys").fingerprint == ring.fingerprint


def test_art27_rotated_data_key_still_decrypts_old_values(tmp_path: Path) -> None:
    ring = create_keyring(tmp_path / "keys")
    old_id, old_blob = ring.encrypt("secret", context="c")
    rotated = rotate_data_key(tmp_path / "keys")
    assert rotated.active_key_id == "k2" and old_id == "k1"
    assert rotated.fingerprint == ring.fingerprint  # index and audit keys do not rotate
    assert rotated.decrypt(old_id, old_blob, context="c") == "secret"
    new_id, _ = rotated.encrypt("secret", context="c")
    assert new_id == "k2"
    assert load_keyring(tmp_path / "keys") == rotated


# --- transactions and the audit chain (Art. 28) --------------------------------------------


def test_art28_failed_transaction_leaves_no_audit_entry(platform: Platform) -> None:
    before = _counts(platform.engine)["audit_event"]
    with pytest.raises(RuntimeError), platform.transaction() as s:
        audit.record(
            s, Actor.system("test"), "test.action", object_type="t", object_id=1, article="Art. 28"
        )
        raise RuntimeError("abort")
    assert _counts(platform.engine)["audit_event"] == before
    with platform.transaction() as s:
        assert audit.verify(s).ok


def test_art28_chain_links_each_entry_to_its_predecessor(platform: Platform) -> None:
    actor = Actor.system("test")
    with platform.transaction() as s:
        first = audit.record(
            s, actor, "test.a", object_type="t", object_id=1, article="Art. 28", details={"n": 1}
        )
        second = audit.record(s, actor, "test.b", object_type="t", object_id=2, article="Art. 28")
    assert second.seq == first.seq + 1
    assert second.prev_hash == first.hash
    with platform.transaction() as s:
        result = audit.verify(s)
    assert result.ok and result.checked == second.seq


def test_art28_verify_reports_a_garbled_head_anchor(platform: Platform) -> None:
    with platform.engine.begin() as conn:
        conn.execute(text("UPDATE platform_meta SET value = 'garbage' WHERE key = 'audit_head'"))
    with platform.transaction() as s:
        result = audit.verify(s)
    assert not result.ok and "anchor" in (result.problem or "")


@pytest.mark.parametrize(
    ("column", "value"), [("details", "not json at all"), ("at", "not a time")]
)
def test_art28_verify_names_entry_with_unreadable_column(
    platform: Platform, backend: str, column: str, value: str
) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL's jsonb/timestamptz types refuse such values at UPDATE time")
    with platform.engine.begin() as conn:
        conn.execute(text(f"UPDATE audit_event SET {column} = :v WHERE seq = 2"), {"v": value})
    with platform.transaction() as s:
        result = audit.verify(s)
    assert not result.ok and result.first_bad_seq == 2
    assert "entry 2" in (result.problem or "")
