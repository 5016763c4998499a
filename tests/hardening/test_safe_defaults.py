"""Issue 23 point 5: the development identity provider (sign in as anyone by ID number) never
serves beyond this machine, production never starts without a real identity provider, and
demo data (staff with published passwords, keys) is never loaded in production."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

import pcip.cli as cli_module
from pcip.app import create_app
from pcip.auth.models import Account
from pcip.config import ConfigError, Settings, reset_settings
from pcip.kernel.platform import Platform
from pcip.subjects.models import Subject

runner = CliRunner()


class Served(Exception):
    """Raised instead of serving: the command got as far as starting uvicorn."""


@pytest.fixture
def no_uvicorn(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise Served

    monkeypatch.setattr(uvicorn, "run", refuse)


def _jwks(tmp_path: Path) -> Path:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": []}))
    return path


def _serve(*args: str) -> tuple[int, str, BaseException | None]:
    """(exit code, the refusal's text, the exception). ``pcip``'s ``main`` prints a
    ConfigError as one line and exits 2; the runner calls the commands without it."""
    reset_settings()
    result = runner.invoke(cli_module.app, ["serve", *args])
    exc = result.exception
    code = 2 if isinstance(exc, ConfigError) else result.exit_code
    return code, str(exc) if isinstance(exc, ConfigError) else result.output, exc


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "pcip.example.gov.cn"])
def test_issue23_p5_serving_beyond_loopback_without_an_identity_provider_is_refused(
    cli_env: Settings, no_uvicorn: None, host: str
) -> None:
    code, output, exc = _serve("--host", host, "--port", "8123")
    assert not isinstance(exc, Served), "it started serving"
    assert code == 2, output
    assert f"refusing to serve on {host}" in output and "PCIP_IDP_JWKS_URL" in output


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_issue23_p5_loopback_serves_with_the_development_provider(
    cli_env: Settings, no_uvicorn: None, host: str
) -> None:
    _, _, exc = _serve("--host", host, "--port", "8123")
    assert isinstance(exc, Served)


def test_issue23_p5_a_real_identity_provider_may_serve_on_any_address(
    cli_env: Settings, no_uvicorn: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PCIP_IDP_JWKS_FILE", str(_jwks(tmp_path)))
    monkeypatch.setenv("PCIP_IDP_ISSUER", "https://idp.example.gov.cn")
    _, _, exc = _serve("--host", "0.0.0.0", "--port", "8123")
    assert isinstance(exc, Served)


def test_issue23_p5_production_without_an_identity_provider_does_not_start(
    cli_env: Settings, no_uvicorn: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: it started, and answered every subject sign-in with a 500."""
    monkeypatch.setenv("PCIP_ENVIRONMENT", "production")
    code, output, exc = _serve("--port", "8123")
    assert not isinstance(exc, Served)
    assert code == 2 and "production" in output and "identity provider" in output


def test_issue23_p5_the_application_refuses_production_without_a_provider(
    settings: Settings,
) -> None:
    """``uvicorn pcip.app:create_app --factory`` (no CLI) refuses too."""
    production = settings.model_copy(update={"environment": "production"})
    platform = Platform.open(settings)
    try:
        platform.settings = production
        with pytest.raises(ConfigError, match="no identity provider is configured"):
            create_app(platform)
    finally:
        platform.dispose()


def _counts(settings: Settings) -> tuple[int, int]:
    platform = Platform.open(settings)
    try:
        with platform.transaction() as s:
            return (
                int(s.scalar(select(func.count()).select_from(Account)) or 0),
                int(s.scalar(select(func.count()).select_from(Subject)) or 0),
            )
    finally:
        platform.dispose()


@pytest.mark.parametrize(
    "command", [["demo", "--subjects", "5", "--records", "5"], ["init", "--demo-if-empty"]]
)
def test_issue23_p5_demo_data_is_refused_in_production(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """Before: both created demo staff accounts (published passwords) and keys."""
    before = _counts(cli_env)
    monkeypatch.setenv("PCIP_ENVIRONMENT", "production")
    reset_settings()
    result = runner.invoke(cli_module.app, command)
    assert isinstance(result.exception, ConfigError), result.output
    assert "refusing to load demo data" in str(result.exception)
    assert _counts(cli_env) == before
    assert not list(cli_env.home.glob("**/*sign-in*"))
