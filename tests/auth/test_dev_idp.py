"""The built-in development identity provider and its HTTP endpoints (Art. 22, 27, 39)."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jwt
import pytest
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError

from pcip import clock
from pcip.auth.assertions import AssertionVerifier
from pcip.auth.dev_idp import DEV_IDP_FILE, DEV_ISSUER, WARNING, DevIdentityProvider
from pcip.auth.dev_idp_api import router
from pcip.config import Settings
from pcip.doors.api_common import pcip_error_handler, validation_error_handler
from pcip.errors import ConfigError, PcipError, ValidationError
from tests.client import TestClient
from tests.helpers import citizen_id

NOW = datetime.fromisoformat("2026-03-02T10:00:00+08:00")


@pytest.fixture(autouse=True)
def _fixed_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


def _verifier(jwks: dict[str, object], audience: str = "pcip") -> AssertionVerifier:
    keys = jwt.PyJWKSet.from_dict(jwks)
    return AssertionVerifier(keys, issuer=DEV_ISSUER, audience=audience, development=True)


# --- key file -----------------------------------------------------------------------------------


def test_art27_key_file_is_private_and_reused(tmp_path: Path) -> None:
    keys_dir = tmp_path / "home" / "keys"
    first = DevIdentityProvider.load_or_create(keys_dir)
    path = keys_dir / DEV_IDP_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(keys_dir.stat().st_mode) == 0o700
    second = DevIdentityProvider.load_or_create(keys_dir)
    assert second.key_id == first.key_id
    token = first.issue(name="张三", id_type="citizen_id", id_number=citizen_id(1))
    assert _verifier(second.jwks()).verify(token).name == "张三"
    assert [p.name for p in keys_dir.iterdir()] == [DEV_IDP_FILE]  # no temporary file left


@pytest.mark.parametrize(
    "content", ["not json", "{}", '{"format": "pcip-dev-idp/1", "key": {"kty": "EC"}}']
)
def test_art27_corrupt_key_file_is_a_config_error_naming_it(tmp_path: Path, content: str) -> None:
    tmp_path.joinpath(DEV_IDP_FILE).write_text(content)
    with pytest.raises(ConfigError) as info:
        DevIdentityProvider.load_or_create(tmp_path)
    assert str(tmp_path / DEV_IDP_FILE) in info.value.message


def test_art39_jwks_has_no_private_key_material(tmp_path: Path) -> None:
    jwks = DevIdentityProvider.load_or_create(tmp_path).jwks()
    (key,) = jwks["keys"]
    assert "d" not in key
    assert (key["kty"], key["crv"], key["alg"], key["use"]) == ("EC", "P-256", "ES256", "sig")


def test_art39_pseudonymous_subject_is_stable_and_hides_the_number(tmp_path: Path) -> None:
    idp = DevIdentityProvider.load_or_create(tmp_path)
    again = DevIdentityProvider.load_or_create(tmp_path)

    def sub(provider: DevIdentityProvider, number: str) -> str:
        token = provider.issue(name="张三", id_type="citizen_id", id_number=number)
        return _verifier(provider.jwks()).verify(token).idp_subject

    number = citizen_id(1)
    assert sub(idp, number) == sub(again, number)
    assert sub(idp, number) != sub(idp, citizen_id(2))
    assert number not in sub(idp, number)


# --- issuing ------------------------------------------------------------------------------------


def test_art22_dev_assertion_says_it_is_development(tmp_path: Path) -> None:
    idp = DevIdentityProvider.load_or_create(tmp_path)
    token = idp.issue(name="张三", id_type="citizen_id", id_number=citizen_id(1), audience="x")
    payload = jwt.decode(token, options={"verify_signature": False})
    assert payload["development"] is True
    assert (payload["iss"], payload["aud"], payload["acr"]) == (DEV_ISSUER, "x", "real_name")
    assert payload["exp"] - payload["iat"] == 300
    assert jwt.get_unverified_header(token) == {"alg": "ES256", "kid": idp.key_id, "typ": "JWT"}
    assert "development identity provider" in WARNING and "开发" in WARNING


def test_art22_jti_is_unique_per_assertion(tmp_path: Path) -> None:
    idp = DevIdentityProvider.load_or_create(tmp_path)
    verifier = _verifier(idp.jwks())
    ids = {
        verifier.verify(
            idp.issue(name="张三", id_type="citizen_id", id_number=citizen_id(1))
        ).token_id
        for _ in range(3)
    }
    assert len(ids) == 3


def test_art19_dev_idp_refuses_an_invalid_citizen_id(tmp_path: Path) -> None:
    idp = DevIdentityProvider.load_or_create(tmp_path)
    good = citizen_id(3)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as info:
        idp.issue(name="张三", id_type="citizen_id", id_number=bad)
    assert info.value.field == "id_number"
    assert bad not in info.value.message


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"id_type": "document", "id_number": "E1234567"}, "document_type"),
        ({"id_type": "document", "id_number": "E1", "document_type": "passport"}, "id_number"),
        (
            {"id_type": "document", "id_number": "E1234567", "document_type": "passport"},
            "document_country",
        ),
        ({"id_type": "passport", "id_number": "E1234567"}, "id_type"),
        ({"id_type": "citizen_id", "id_number": "1", "document_type": "passport"}, "document_type"),
    ],
)
def test_art19_dev_idp_names_the_field_at_fault(
    tmp_path: Path, kwargs: dict[str, Any], field: str
) -> None:
    idp = DevIdentityProvider.load_or_create(tmp_path)
    with pytest.raises(ValidationError) as info:
        idp.issue(name="John Smith", **kwargs)
    assert info.value.field == field


def test_art22_dev_idp_requires_a_name(tmp_path: Path) -> None:
    idp = DevIdentityProvider.load_or_create(tmp_path)
    with pytest.raises(ValidationError) as info:
        idp.issue(name="  ", id_type="citizen_id", id_number=citizen_id(1))
    assert info.value.field == "name"


# --- HTTP ---------------------------------------------------------------------------------------


def _app(home: Path, **settings: Any) -> FastAPI:
    app = FastAPI()
    app.add_exception_handler(PcipError, pcip_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.include_router(router)
    # The router only needs platform.settings; a full Platform would need a database.
    app.state.platform = SimpleNamespace(settings=Settings(home=home, **settings))
    return app


def test_art22_api_publishes_public_keys_only(tmp_path: Path) -> None:
    app = _app(tmp_path)
    response = TestClient(app).get("/dev-idp/jwks.json")
    assert response.status_code == 200
    (key,) = response.json()["keys"]
    assert "d" not in key
    assert isinstance(app.state.dev_idp, DevIdentityProvider)
    assert key["kid"] == app.state.dev_idp.key_id
    assert (tmp_path / "keys" / DEV_IDP_FILE).exists()


def test_art22_api_issues_an_assertion_that_verifies(tmp_path: Path) -> None:
    client = TestClient(_app(tmp_path, idp_audience="pcip-demo"))
    number = citizen_id(4)
    response = client.post(
        "/dev-idp/assertions", json={"name": "张三", "id_type": "citizen_id", "id_number": number}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["issuer"] == DEV_ISSUER and body["warning"] == WARNING
    assert datetime.fromisoformat(body["expires_at"]) == datetime.fromisoformat(
        "2026-03-02T10:05:00+08:00"
    )
    jwks = client.get("/dev-idp/jwks.json").json()
    got = _verifier(jwks, audience="pcip-demo").verify(body["assertion"])
    assert (got.id_number, got.name, got.development) == (number, "张三", True)


def test_art22_api_refuses_an_invalid_identifier(tmp_path: Path) -> None:
    client = TestClient(_app(tmp_path))
    response = client.post(
        "/dev-idp/assertions", json={"name": "张三", "id_type": "uscc", "id_number": "123"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert response.json()["field"] == "id_number"


def test_art22_api_refuses_an_unknown_id_type(tmp_path: Path) -> None:
    client = TestClient(_app(tmp_path))
    response = client.post(
        "/dev-idp/assertions", json={"name": "张三", "id_type": "ssn", "id_number": "1"}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "id_type"


def test_art22_api_is_disabled_in_production(tmp_path: Path) -> None:
    client = TestClient(_app(tmp_path, environment="production"))
    response = client.get("/dev-idp/jwks.json")
    assert response.status_code == 500
    assert response.json()["code"] == "config"
    assert not (tmp_path / "keys").exists()


def test_art22_api_schema_has_examples(tmp_path: Path) -> None:
    schema = TestClient(_app(tmp_path)).get("/openapi.json").json()
    request = schema["components"]["schemas"]["AssertionRequest"]
    assert request["examples"][0]["id_type"] == "citizen_id"
    assert json.dumps(schema).count("development identity provider") >= 1
