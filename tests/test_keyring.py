"""Art. 27: keys for encryption at rest, the blind index and the audit seal."""

from __future__ import annotations

import hmac
import json
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pcip.errors import ConfigError
from pcip.kernel.keys.keyring import (
    create_keyring,
    hmac_sha256,
    keyring_path,
    load_keyring,
    rotate_data_key,
)


def test_art27_keyring_round_trip_and_permissions(tmp_path: Path) -> None:
    ring = create_keyring(tmp_path / "keys")
    assert stat.S_IMODE(keyring_path(tmp_path / "keys").stat().st_mode) == 0o600
    again = load_keyring(tmp_path / "keys")
    assert again.fingerprint == ring.fingerprint
    key_id, blob = ring.encrypt("500103199001011234", context="subject.identifier")
    assert b"500103" not in blob
    assert again.decrypt(key_id, blob, context="subject.identifier") == "500103199001011234"


def test_art27_ciphertext_is_bound_to_its_context(tmp_path: Path) -> None:
    ring = create_keyring(tmp_path / "keys")
    key_id, blob = ring.encrypt("secret", context="subject.identifier")
    with pytest.raises(ConfigError, match="cannot be decrypted"):
        ring.decrypt(key_id, blob, context="other.use")


def test_art27_blind_index_is_keyed_and_namespaced(tmp_path: Path) -> None:
    a = create_keyring(tmp_path / "a")
    b = create_keyring(tmp_path / "b")
    value = "11010519491231002X"
    assert a.blind_index("citizen_id", value) == a.blind_index("citizen_id", value)
    assert a.blind_index("citizen_id", value) != b.blind_index("citizen_id", value)
    assert a.blind_index("citizen_id", value) != a.blind_index("document", value)


def test_art27_rotation_keeps_old_data_readable(tmp_path: Path) -> None:
    ring = create_keyring(tmp_path / "keys")
    old_id, blob = ring.encrypt("old", context="c")
    rotated = rotate_data_key(tmp_path / "keys")
    assert rotated.active_key_id != old_id
    assert rotated.decrypt(old_id, blob, context="c") == "old"
    assert rotated.fingerprint == ring.fingerprint  # index and audit keys unchanged


def test_refuses_to_overwrite_existing_keyring(tmp_path: Path) -> None:
    create_keyring(tmp_path / "keys")
    with pytest.raises(ConfigError, match="refusing to overwrite"):
        create_keyring(tmp_path / "keys")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "cannot be read"),
        ('{"format": "other"}', "not a pcip keyring"),
        (
            '{"format": "pcip-keyring/1", "active_key_id": "k9", "data_keys": {"k1": "AA=="}}',
            "active_key_id",
        ),
    ],
)
def test_broken_keyring_gets_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    keys = tmp_path / "keys"
    keys.mkdir()
    keyring_path(keys).write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_keyring(keys)


def test_short_key_is_rejected(tmp_path: Path) -> None:
    create_keyring(tmp_path / "keys")
    path = keyring_path(tmp_path / "keys")
    doc = json.loads(path.read_text())
    doc["index_keys"]["i1"] = "AAAA"
    path.write_text(json.dumps(doc))
    with pytest.raises(ConfigError, match="must be 32 bytes"):
        load_keyring(tmp_path / "keys")


def test_missing_keyring_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is missing; run 'pcip init'"):
        load_keyring(tmp_path / "keys")


@given(key=st.binary(min_size=0, max_size=200), message=st.binary(max_size=5000))
@settings(max_examples=300, deadline=None)
def test_art27_blind_index_hmac_is_rfc2104_hmac_sha256(key: bytes, message: bytes) -> None:
    """The blind index and content digests (Art. 27) are HMAC-SHA256 as the standard library
    computes it, for keys shorter and longer than SHA-256's block and messages on both sides
    of hashlib's 2 KiB threshold; the key's pads are cached, so a key used again still gives
    its own digest."""
    assert hmac_sha256(key, message) == hmac.digest(key, message, "sha256")
    assert hmac_sha256(key, message) == hmac.digest(key, message, "sha256")
    other = key + b"\x00"
    assert hmac_sha256(other, message) == hmac.digest(other, message, "sha256")


def test_art27_blind_index_is_unchanged_by_the_cached_pads(tmp_path: Path) -> None:
    ring = create_keyring(tmp_path / "keys")
    value = "500103198504020118"
    expected = hmac.digest(ring.index_key, f"person.id\x1f{value}".encode(), "sha256").hex()
    assert ring.blind_index("person.id", value) == expected
    assert ring.blind_index_bytes("person.id", value.encode()) == expected
