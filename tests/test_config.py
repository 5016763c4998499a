"""Settings from ``PCIP_*`` variables, the one clock, and database URL handling (DESIGN 2.2, 2.8).

No database is needed here: these are the checks that run before anything is opened.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from pcip import clock
from pcip.config import Settings, get_settings, reset_settings
from pcip.db import display_url, make_engine, normalise_url
from pcip.errors import ConfigError

CST_OFFSET = timedelta(hours=8)


def _env(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    reset_settings()


# --- settings ------------------------------------------------------------------------------


def test_settings_defaults_put_everything_under_home(tmp_path: Path) -> None:
    s = Settings(home=tmp_path / "h")
    assert s.port == 8000
    assert s.host == "127.0.0.1"
    assert s.now is None
    assert s.keys_dir == tmp_path / "h" / "keys"
    assert s.files_dir == tmp_path / "h" / "files"
    assert s.effective_database_url == f"sqlite:///{(tmp_path / 'h' / 'pcip.sqlite3').resolve()}"


def test_settings_read_pcip_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    _env(monkeypatch, PCIP_DATABASE_URL=url, PCIP_PORT="8123", PCIP_HOME=str(tmp_path))
    s = get_settings()
    assert (s.database_url, s.port, s.home) == (url, 8123, tmp_path)
    assert s.effective_database_url == url
    assert get_settings() is s  # cached until reset
    monkeypatch.setenv("PCIP_PORT", "8124")
    reset_settings()
    assert get_settings().port == 8124


@pytest.mark.parametrize("port", ["abc", "0", "65536", "-1", "80.5", ""])
def test_invalid_pcip_port_is_a_config_error_naming_port(
    monkeypatch: pytest.MonkeyPatch, port: str
) -> None:
    _env(monkeypatch, PCIP_PORT=port)
    with pytest.raises(ConfigError) as info:
        get_settings()
    message = str(info.value)
    assert message.startswith("PCIP_PORT is invalid")
    assert "\n" not in message


@pytest.mark.parametrize("port", ["1", "65535"])
def test_pcip_port_bounds_are_inclusive(monkeypatch: pytest.MonkeyPatch, port: str) -> None:
    _env(monkeypatch, PCIP_PORT=port)
    assert get_settings().port == int(port)


def test_invalid_pcip_now_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    _env(monkeypatch, PCIP_NOW="next tuesday")
    with pytest.raises(ConfigError, match="PCIP_NOW is invalid"):
        clock.now()


# --- the clock ----------------------------------------------------------------------------


def test_pcip_now_naive_means_china_standard_time(monkeypatch: pytest.MonkeyPatch) -> None:
    _env(monkeypatch, PCIP_NOW="2026-11-26T10:00:00")
    now = clock.now()
    assert now.utcoffset() == CST_OFFSET
    assert now == datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    assert (now.hour, now.minute) == (10, 0)
    assert clock.today() == date(2026, 11, 26)
    assert clock.now() == now  # fixed: it does not move


def test_pcip_now_aware_is_converted_to_cst_and_today_is_the_cst_day(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 20:00 UTC on the 26th is 04:00 on the 27th in Chongqing: the legal day is the 27th.
    _env(monkeypatch, PCIP_NOW="2026-11-26T20:00:00Z")
    now = clock.now()
    assert now.utcoffset() == CST_OFFSET
    assert now == datetime(2026, 11, 26, 20, 0, tzinfo=UTC)
    assert clock.today() == date(2026, 11, 27)


def test_pcip_now_with_explicit_offset(monkeypatch: pytest.MonkeyPatch) -> None:
    _env(monkeypatch, PCIP_NOW="2026-11-26T23:30:00-05:00")
    assert clock.now() == datetime(2026, 11, 27, 4, 30, tzinfo=UTC)
    assert clock.today() == date(2026, 11, 27)


def test_unfixed_clock_is_real_time_in_cst() -> None:
    before = datetime.now(UTC)
    now = clock.now()
    after = datetime.now(UTC)
    assert now.utcoffset() == CST_OFFSET
    assert before <= now <= after


def test_frozen_fixes_the_clock_and_restores_it(monkeypatch: pytest.MonkeyPatch) -> None:
    _env(monkeypatch, PCIP_NOW="2026-11-26T10:00:00")
    with clock.frozen("2030-01-02T03:04:05") as at:
        assert at == clock.now()
        assert clock.now() == datetime(2030, 1, 1, 19, 4, 5, tzinfo=UTC)  # naive: CST
        assert clock.today() == date(2030, 1, 2)
        with clock.frozen(date(2031, 5, 6)):
            # A bare date means 09:00 CST that day.
            assert clock.now() == datetime(2031, 5, 6, 1, 0, tzinfo=UTC)
        assert clock.today() == date(2030, 1, 2)
    assert clock.now() == datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # PCIP_NOW again


def test_frozen_accepts_aware_datetimes_and_restores_after_an_error() -> None:
    aware = datetime(2026, 6, 30, 17, 0, tzinfo=UTC)
    with pytest.raises(RuntimeError), clock.frozen(aware):
        assert clock.now() == aware
        assert clock.now().utcoffset() == CST_OFFSET
        assert clock.today() == date(2026, 7, 1)
        raise RuntimeError("boom")
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(minutes=1)  # real time again


# --- database URLs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////var/lib/pcip/db.sqlite3", "sqlite+pysqlite:////var/lib/pcip/db.sqlite3"),
        ("sqlite:///relative/db.sqlite3", "sqlite+pysqlite:///relative/db.sqlite3"),
        ("sqlite+pysqlite:////tmp/x.sqlite3", "sqlite+pysqlite:////tmp/x.sqlite3"),
        (
            "postgresql://pcip@127.0.0.1:5432/pcip",
            "postgresql+psycopg://pcip@127.0.0.1:5432/pcip",
        ),
        ("postgresql://pcip:s3cret@db:5432/pcip", "postgresql+psycopg://pcip:s3cret@db:5432/pcip"),
        ("postgresql://pcip@db/pcip", "postgresql+psycopg://pcip@db/pcip"),
        ("postgres://pcip@db:5433/pcip", "postgresql+psycopg://pcip@db:5433/pcip"),
        ("postgresql+psycopg2://pcip@db/pcip", "postgresql+psycopg://pcip@db/pcip"),
    ],
)
def test_normalise_url_accepts_the_documented_forms(url: str, expected: str) -> None:
    assert normalise_url(url) == expected
    assert normalise_url(expected) == expected  # idempotent


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("mysql://x/y", "scheme 'mysql' is not supported"),
        ("oracle://scott@db/orcl", "scheme 'oracle' is not supported"),
        ("http://example.com/db", "scheme 'http' is not supported"),
        ("sqlite:///", "needs a file path for SQLite"),
        ("sqlite://", "needs a file path for SQLite"),
        ("sqlite:///:memory:", "needs a file path for SQLite"),
        ("postgresql://postgres@127.0.0.1:5432/", "names no database"),
        ("postgresql://postgres@127.0.0.1", "names no database"),
        ("::::", "is not a database URL"),
        ("", "is not a database URL"),
        ("just some words", "is not a database URL"),
    ],
)
def test_normalise_url_rejects_others_naming_pcip_database_url(url: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        normalise_url(url)
    message = str(info.value)
    assert message.startswith("PCIP_DATABASE_URL")
    assert fragment in message
    assert "sqlite:///" in message and "postgresql://" in message  # says what would work
    assert "\n" not in message


def test_normalise_url_rejects_non_numeric_port_with_config_error() -> None:
    # SQLAlchemy raises ValueError (not ArgumentError) here; it must still be a ConfigError.
    with pytest.raises(ConfigError, match=r"^PCIP_DATABASE_URL is not a database URL"):
        normalise_url("postgresql://postgres@127.0.0.1:notaport/db")


def test_display_url_hides_the_password() -> None:
    shown = display_url("postgresql+psycopg://pcip:s3cret@db:5432/pcip")
    assert "s3cret" not in shown
    assert shown.startswith("postgresql")
    assert shown.endswith("://pcip:***@db:5432/pcip")
    assert display_url("::::") == "<unparseable URL>"


def test_make_engine_creates_the_sqlite_parent_directory(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "db.sqlite3"
    engine = make_engine(f"sqlite:///{target}")
    try:
        assert target.parent.is_dir()
        assert engine.dialect.name == "sqlite"
    finally:
        engine.dispose()


def test_make_engine_refuses_unsupported_urls_before_connecting() -> None:
    with pytest.raises(ConfigError, match="PCIP_DATABASE_URL"):
        make_engine("mysql://x/y")


def test_make_engine_sqlite_path_under_a_file_is_a_config_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    with pytest.raises(ConfigError) as info:
        make_engine(f"sqlite:///{blocker / 'db.sqlite3'}")
    assert str(info.value).startswith("PCIP_DATABASE_URL")
    assert "not-a-dir" in str(info.value)


# --- password-hashing cost (issue 15) ---------------------------------------------------------


def test_art27_production_refuses_a_lowered_password_hashing_cost(tmp_path: Path) -> None:
    """The suite's cheap hashes would make stolen hashes cheap to crack: never in production."""
    from pcip.config import refuse_unsafe_start, refuse_weak_password_hashing
    from pcip.kernel.platform import Platform

    weak = Settings(
        home=tmp_path,
        environment="production",
        password_hash_cost="minimal",
        idp_jwks_file=tmp_path / "jwks.json",
        idp_issuer="https://idp.example",
    )
    for start in (refuse_weak_password_hashing, refuse_unsafe_start, Platform.open):
        with pytest.raises(ConfigError) as got:
            start(weak)
        assert "PCIP_PASSWORD_HASH_COST is minimal but PCIP_ENVIRONMENT is production" in str(
            got.value
        )
    refuse_unsafe_start(weak.model_copy(update={"password_hash_cost": "standard"}))


def test_art27_the_hashing_cost_is_the_settings_and_a_weaker_hash_is_remade(
    settings: Settings,
) -> None:
    """Tests hash at the minimal cost; a platform at the standard cost still verifies those
    hashes and re-makes them at its own cost at the next sign-in."""
    from argon2 import extract_parameters

    from pcip.auth import service as auth
    from pcip.auth.models import Account
    from pcip.kernel.actors import Actor
    from pcip.kernel.platform import Platform

    assert settings.password_hash_cost == "minimal"
    actor = Actor.system("test")
    platform = Platform.open(settings)
    try:
        with platform.transaction() as s:
            account = auth.add_account(
                s, actor, username="alice", password="correct horse battery", role="operator"
            )
            assert extract_parameters(account.password_hash).time_cost == 1
    finally:
        platform.dispose()
    platform = Platform.open(settings.model_copy(update={"password_hash_cost": "standard"}))
    try:
        with platform.transaction() as s:
            auth.sign_in(s, "alice", "correct horse battery", hours=1)
            stored = s.query(Account).filter_by(username="alice").one().password_hash
            assert extract_parameters(stored).time_cost == 3
    finally:
        platform.dispose()
