"""Real-name identity assertions (Art. 22 self inquiry; Art. 39 identifiers never leak)."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from jwt.algorithms import OKPAlgorithm, RSAAlgorithm

from pcip import clock
from pcip.auth.assertions import (
    REQUIRED_CLAIMS,
    AssertionVerifier,
    RealNameAssertion,
)
from pcip.auth.dev_idp import DEV_ISSUER, DevIdentityProvider
from pcip.auth.verifiers import verifier_from_settings
from pcip.config import Settings
from pcip.errors import ConfigError, Unauthorized, ValidationError
from pcip.kernel.enums import SubjectKind
from tests.helpers import citizen_id, uscc

NOW = datetime.fromisoformat("2026-03-02T10:00:00+08:00")
REAL_ISSUER = "https://idp.example.gov.cn"


@pytest.fixture(autouse=True)
def _fixed_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def idp(tmp_path: Path) -> DevIdentityProvider:
    return DevIdentityProvider.load_or_create(tmp_path / "keys")


@pytest.fixture
def verifier(idp: DevIdentityProvider) -> AssertionVerifier:
    keys = jwt.PyJWKSet.from_dict(idp.jwks())
    return AssertionVerifier(keys, issuer=DEV_ISSUER, audience="pcip", development=True)


def claims(**overrides: Any) -> dict[str, Any]:
    """Valid claims for a person at the frozen time; override or drop (None) any of them."""
    iat = int(clock.now().timestamp())
    base: dict[str, Any] = {
        "iss": DEV_ISSUER,
        "aud": "pcip",
        "sub": "subject-1",
        "jti": "token-1",
        "iat": iat,
        "exp": iat + 300,
        "acr": "real_name",
        "name": "张三",
        "id_type": "citizen_id",
        "id_number": citizen_id(1),
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def refused(verifier: AssertionVerifier, token: str) -> str:
    """Verify, expect a refusal with field 'assertion', and return its message."""
    with pytest.raises(Unauthorized) as info:
        verifier.verify(token)
    assert info.value.field == "assertion"
    assert info.value.code == "unauthorized"
    return info.value.message


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# --- the happy paths --------------------------------------------------------------------------


def test_art22_dev_assertion_round_trip_verifies(
    idp: DevIdentityProvider, verifier: AssertionVerifier
) -> None:
    number = citizen_id(2)
    token = idp.issue(name=" 张三 ", id_type="citizen_id", id_number=number.lower())
    got = verifier.verify(token)
    assert got.name == "张三"
    assert got.id_type == "citizen_id"
    assert got.id_number == number
    assert got.subject_kind is SubjectKind.PERSON
    assert got.issuer == DEV_ISSUER
    assert got.development is True
    assert got.issued_at == NOW
    assert got.expires_at == NOW + timedelta(seconds=300)
    assert got.token_id and got.idp_subject and number not in got.idp_subject


def test_art22_audience_list_including_the_platform_is_accepted(
    idp: DevIdentityProvider, verifier: AssertionVerifier
) -> None:
    token = idp.sign(claims(aud=["other-app", "pcip"]))
    assert verifier.verify(token).id_number == citizen_id(1)


def test_art22_document_assertion_verifies(
    idp: DevIdentityProvider, verifier: AssertionVerifier
) -> None:
    token = idp.issue(
        name="John Smith",
        id_type="document",
        id_number=" e1234567 ",
        document_type="passport",
        document_country="gbr",
    )
    got = verifier.verify(token)
    assert (got.id_type, got.id_number) == ("document", "E1234567")
    assert (got.document_type, got.document_country) == ("passport", "GBR")
    assert got.subject_kind is SubjectKind.PERSON


@pytest.mark.parametrize(
    ("requested", "expected"),
    [(None, SubjectKind.LEGAL_PERSON), ("organisation", SubjectKind.ORGANISATION)],
)
def test_art22_uscc_assertion_verifies(
    idp: DevIdentityProvider,
    verifier: AssertionVerifier,
    requested: str | None,
    expected: SubjectKind,
) -> None:
    code = uscc(3)
    token = idp.issue(
        name="重庆某某商贸有限公司", id_type="uscc", id_number=code, subject_kind=requested
    )
    got = verifier.verify(token)
    assert (got.id_type, got.id_number, got.subject_kind) == ("uscc", code, expected)
    assert got.document_type is None


def test_art22_eddsa_assertion_verifies() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    jwk = {**OKPAlgorithm.to_jwk(key.public_key(), as_dict=True), "kid": "ed-1"}
    verifier = AssertionVerifier(
        jwt.PyJWKSet.from_dict({"keys": [jwk]}), issuer=REAL_ISSUER, audience="pcip"
    )
    token = jwt.encode(claims(iss=REAL_ISSUER), key, algorithm="EdDSA", headers={"kid": "ed-1"})
    assert verifier.verify(token).development is False


def test_art22_callable_key_source_is_used(idp: DevIdentityProvider) -> None:
    keys = jwt.PyJWKSet.from_dict(idp.jwks())
    asked: list[str] = []

    def lookup(kid: str) -> jwt.PyJWK:
        asked.append(kid)
        return keys[kid]

    verifier = AssertionVerifier(lookup, issuer=DEV_ISSUER, audience="pcip", development=True)
    verifier.verify(idp.sign(claims()))
    assert asked == [idp.key_id]


# --- signatures and algorithms ------------------------------------------------------------------


@pytest.mark.parametrize("token", ["", "   ", "not-a-jwt", "a.b.c"])
def test_art22_malformed_assertion_is_refused(verifier: AssertionVerifier, token: str) -> None:
    assert "malformed" in refused(verifier, token)


def test_art22_tampered_payload_is_refused(
    idp: DevIdentityProvider, verifier: AssertionVerifier
) -> None:
    header, _, signature = idp.sign(claims()).split(".")
    forged = _b64(json.dumps(claims(id_number=citizen_id(9))).encode())
    message = refused(verifier, f"{header}.{forged}.{signature}")
    assert "signature does not verify" in message


def test_art22_assertion_signed_by_another_key_is_refused(
    verifier: AssertionVerifier, tmp_path: Path
) -> None:
    other = DevIdentityProvider.load_or_create(tmp_path / "other-keys")
    message = refused(verifier, other.sign(claims()))
    assert "not among the identity provider's published keys" in message


def test_art22_other_key_claiming_our_key_id_fails_the_signature(
    idp: DevIdentityProvider, verifier: AssertionVerifier, tmp_path: Path
) -> None:
    other = DevIdentityProvider.load_or_create(tmp_path / "other-keys")
    token = other.sign(claims(), headers={"kid": idp.key_id})
    assert "signature does not verify" in refused(verifier, token)


def test_art22_assertion_without_key_id_is_refused(
    idp: DevIdentityProvider, verifier: AssertionVerifier
) -> None:
    token = idp.sign(claims(), headers={"kid": None})
    assert "no key id" in refused(verifier, token)


@pytest.mark.parametrize("alg", ["none", "HS256"])
def test_art22_unsigned_and_hmac_assertions_are_refused(
    idp: DevIdentityProvider, verifier: AssertionVerifier, alg: str
) -> None:
    # HMAC would need a secret shared with the platform; a token using one is never accepted.
    key: Any = None if alg == "none" else b"a shared secret of at least 32 bytes"
    token = jwt.encode(claims(), key, algorithm=alg, headers={"kid": idp.key_id})
    message = refused(verifier, token)
    assert f"algorithm '{alg}', which is not allowed" in message


def test_art22_algorithm_not_matching_the_key_is_refused(
    idp: DevIdentityProvider, verifier: AssertionVerifier
) -> None:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(claims(), rsa_key, algorithm="RS256", headers={"kid": idp.key_id})
    assert "signed with RS256 but key" in refused(verifier, token)


# --- issuer, audience and time ------------------------------------------------------------------


def test_art22_wrong_issuer_is_refused(
    idp: DevIdentityProvider, verifier: AssertionVerifier
) -> None:
    message = refused(verifier, idp.sign(claims(iss="https://evil.example")))
    assert "issuer 'https://evil.example' is not the configured identity provider" in message


def test_art22_wrong_audience_is_refused(
    idp: DevIdentityProvider, verifier: AssertionVerifier
) -> None:
    message = refused(verifier, idp.sign(claims(aud="another-platform")))
    assert "does not include this platform ('pcip')" in message


def test_art22_expired_assertion_is_refused(
    idp: DevIdentityProvider, verifier: AssertionVerifier
) -> None:
    token = idp.issue(name="张三", id_type="citizen_id", id_number=citizen_id(1))
    with clock.frozen(NOW + timedelta(minutes=10)):
        message = refused(verifier, token)
    assert "expired at 2026-03-02T10:05:00+08:00 (now 2026-03-02T10:10:00+08:00)" in message


def test_art22_expiry_allows_the_leeway(
    idp: DevIdentityProvider, verifier: AssertionVerifier
) -> None:
    token = idp.issue(name="张三", id_type="citizen_id", id_number=citizen_id(1))
    with clock.frozen(NOW + timedelta(seconds=300 + 20)):
        verifier.verify(token)
    with clock.frozen(NOW + timedelta(seconds=300 + 30)):
        refused(verifier, token)


def test_art22_assertion_not_yet_valid_is_refused(
    idp: DevIdentityProvider, verifier: AssertionVerifier
) -> None:
    nbf = int(NOW.timestamp()) + 120
    message = refused(verifier, idp.sign(claims(nbf=nbf)))
    assert "not valid before 2026-03-02T10:02:00+08:00" in message


def test_art22_assertion_issued_in_the_future_is_refused(
    idp: DevIdentityProvider, verifier: AssertionVerifier
) -> None:
    iat = int(NOW.timestamp()) + 120
    message = refused(verifier, idp.sign(claims(iat=iat, exp=iat + 60)))
    assert "issued in the future" in message


def test_art22_assertion_valid_too_long_is_refused(
    idp: DevIdentityProvider, verifier: AssertionVerifier
) -> None:
    token = idp.issue(
        name="张三", id_type="citizen_id", id_number=citizen_id(1), lifetime_seconds=3600
    )
    assert "valid for 3600 seconds, more than the 600 allowed" in refused(verifier, token)


def test_art22_assertion_expiring_before_issue_is_refused(
    idp: DevIdentityProvider, verifier: AssertionVerifier
) -> None:
    iat = int(NOW.timestamp())
    assert "before it was issued" in refused(verifier, idp.sign(claims(iat=iat, exp=iat - 1)))


@pytest.mark.parametrize("value", ["tomorrow", True, 1e300])
def test_art22_non_numeric_expiry_is_refused(
    idp: DevIdentityProvider, verifier: AssertionVerifier, value: object
) -> None:
    message = refused(verifier, idp.sign(claims(exp=value)))
    assert "'exp'" in message


# --- claims -------------------------------------------------------------------------------------


@pytest.mark.parametrize("claim", REQUIRED_CLAIMS)
def test_art22_missing_required_claim_is_refused(
    idp: DevIdentityProvider, verifier: AssertionVerifier, claim: str
) -> None:
    token = idp.sign(claims(**{claim: None}))
    assert refused(verifier, token) == f"assertion is missing the required claim '{claim}'"


def test_art22_acr_other_than_real_name_is_refused(
    idp: DevIdentityProvider, verifier: AssertionVerifier
) -> None:
    message = refused(verifier, idp.sign(claims(acr="password")))
    assert "acr is 'password', expected 'real_name'" in message


def test_art22_development_assertion_is_refused_by_a_real_provider_verifier(
    idp: DevIdentityProvider,
) -> None:
    keys = jwt.PyJWKSet.from_dict(idp.jwks())
    strict = AssertionVerifier(keys, issuer=DEV_ISSUER, audience="pcip", development=False)
    token = idp.issue(name="张三", id_type="citizen_id", id_number=citizen_id(1))
    assert "development identity provider" in refused(strict, token)


def test_art22_invalid_citizen_id_claim_is_refused_without_leaking_it(
    idp: DevIdentityProvider, verifier: AssertionVerifier
) -> None:
    good = citizen_id(4)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    message = refused(verifier, idp.sign(claims(id_number=bad)))
    assert message.startswith("assertion claim 'id_number' is invalid: check character is")
    assert bad not in message


def test_art22_invalid_document_number_is_not_echoed(
    idp: DevIdentityProvider, verifier: AssertionVerifier
) -> None:
    token = idp.sign(
        claims(id_type="document", id_number="AB", doc_type="passport", doc_country="GBR")
    )
    message = refused(verifier, token)
    assert "claim 'id_number' is invalid" in message
    assert "'AB'" not in message


def test_art22_document_without_required_country_is_refused(
    idp: DevIdentityProvider, verifier: AssertionVerifier
) -> None:
    token = idp.sign(claims(id_type="document", id_number="E1234567", doc_type="passport"))
    assert "claim 'doc_country' is invalid" in refused(verifier, token)


def test_art22_uscc_asserted_as_a_person_is_refused(
    idp: DevIdentityProvider, verifier: AssertionVerifier
) -> None:
    token = idp.sign(claims(id_type="uscc", id_number=uscc(5), subject_kind="person"))
    assert "claim 'subject_kind' is invalid" in refused(verifier, token)


def test_art22_unknown_id_type_is_refused(
    idp: DevIdentityProvider, verifier: AssertionVerifier
) -> None:
    assert "claim 'id_type' is invalid" in refused(verifier, idp.sign(claims(id_type="ssn")))


def test_art39_repr_masks_the_id_number_and_name(
    idp: DevIdentityProvider, verifier: AssertionVerifier
) -> None:
    number = citizen_id(6)
    got = verifier.verify(idp.issue(name="张三丰", id_type="citizen_id", id_number=number))
    for text in (repr(got), str(got)):
        assert number not in text
        assert "张三丰" not in text
        assert number[:6] + "*" in text


def test_art39_repr_masks_document_numbers() -> None:
    got = RealNameAssertion(
        issuer=REAL_ISSUER,
        token_id="t",
        idp_subject="s",
        name="John Smith",
        subject_kind=SubjectKind.PERSON,
        id_type="document",
        id_number="E1234567",
        document_type="passport",
        document_country="GBR",
        issued_at=NOW,
        expires_at=NOW,
        development=False,
    )
    assert "E1234567" not in repr(got) and "****4567" in repr(got)


# --- configuration ------------------------------------------------------------------------------


def _rsa_jwks(tmp_path: Path) -> tuple[rsa.RSAPrivateKey, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = {**RSAAlgorithm.to_jwk(key.public_key(), as_dict=True), "kid": "rsa-1", "use": "sig"}
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [jwk]}))
    return key, path


def test_art22_production_without_a_real_provider_is_a_config_error(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, environment="production")
    with pytest.raises(ConfigError) as info:
        verifier_from_settings(settings)
    assert info.value.message == (
        "PCIP_IDP_JWKS_URL or PCIP_IDP_JWKS_FILE must be set in production: the development "
        "identity provider is not a real-name verification"
    )


def test_art22_development_settings_verify_dev_assertions(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, idp_audience="pcip-demo")
    verifier = verifier_from_settings(settings)
    assert (verifier.issuer, verifier.audience, verifier.development) == (
        DEV_ISSUER,
        "pcip-demo",
        True,
    )
    idp = DevIdentityProvider.load_or_create(settings.keys_dir)
    token = idp.issue(
        name="张三", id_type="citizen_id", id_number=citizen_id(1), audience="pcip-demo"
    )
    assert verifier.verify(token).development is True


def test_art22_jwks_file_provider_verifies_rs256(tmp_path: Path) -> None:
    key, path = _rsa_jwks(tmp_path)
    settings = Settings(
        home=tmp_path, environment="production", idp_jwks_file=path, idp_issuer=REAL_ISSUER
    )
    verifier = verifier_from_settings(settings)
    token = jwt.encode(claims(iss=REAL_ISSUER), key, algorithm="RS256", headers={"kid": "rsa-1"})
    got = verifier.verify(token)
    assert (got.issuer, got.development) == (REAL_ISSUER, False)


def test_art22_real_provider_refuses_dev_assertions(tmp_path: Path) -> None:
    _, path = _rsa_jwks(tmp_path)
    settings = Settings(home=tmp_path, idp_jwks_file=path, idp_issuer=REAL_ISSUER)
    idp = DevIdentityProvider.load_or_create(settings.keys_dir)
    token = idp.issue(name="张三", id_type="citizen_id", id_number=citizen_id(1))
    assert "not among the identity provider's published keys" in refused(
        verifier_from_settings(settings), token
    )


@pytest.mark.parametrize("content", [None, "not json", '{"keys": []}', "[]"])
def test_art22_missing_or_invalid_jwks_file_is_a_config_error(
    tmp_path: Path, content: str | None
) -> None:
    path = tmp_path / "jwks.json"
    if content is not None:
        path.write_text(content)
    settings = Settings(home=tmp_path, idp_jwks_file=path, idp_issuer=REAL_ISSUER)
    with pytest.raises(ConfigError, match="PCIP_IDP_JWKS_FILE"):
        verifier_from_settings(settings)


def test_art22_real_provider_without_issuer_is_a_config_error(tmp_path: Path) -> None:
    _, path = _rsa_jwks(tmp_path)
    with pytest.raises(ConfigError, match="PCIP_IDP_ISSUER"):
        verifier_from_settings(Settings(home=tmp_path, idp_jwks_file=path))


def test_art22_plain_http_jwks_url_is_refused_in_production(tmp_path: Path) -> None:
    settings = Settings(
        home=tmp_path,
        environment="production",
        idp_jwks_url="http://idp.example/jwks.json",
        idp_issuer=REAL_ISSUER,
    )
    with pytest.raises(ConfigError, match="https"):
        verifier_from_settings(settings)


@pytest.fixture
def jwks_server(tmp_path: Path) -> Iterator[tuple[rsa.RSAPrivateKey, str]]:
    """A local HTTP server publishing an RSA JWKS, as a real provider does."""
    key, path = _rsa_jwks(tmp_path)
    body = path.read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield key, f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    finally:
        server.shutdown()
        server.server_close()


def test_art22_jwks_url_provider_fetches_keys(
    tmp_path: Path, jwks_server: tuple[rsa.RSAPrivateKey, str]
) -> None:
    key, url = jwks_server
    settings = Settings(home=tmp_path, idp_jwks_url=url, idp_issuer=REAL_ISSUER)
    verifier = verifier_from_settings(settings)
    token = jwt.encode(claims(iss=REAL_ISSUER), key, algorithm="RS256", headers={"kid": "rsa-1"})
    assert verifier.verify(token).issuer == REAL_ISSUER
    unknown = jwt.encode(claims(iss=REAL_ISSUER), key, algorithm="RS256", headers={"kid": "nope"})
    assert "not among" in refused(verifier, unknown)


def test_art22_unreachable_jwks_url_is_refused_with_reason(tmp_path: Path) -> None:
    settings = Settings(
        home=tmp_path, idp_jwks_url="http://127.0.0.1:9/jwks.json", idp_issuer=REAL_ISSUER
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(claims(iss=REAL_ISSUER), key, algorithm="RS256", headers={"kid": "k"})
    assert "keys cannot be fetched" in refused(verifier_from_settings(settings), token)


def test_art22_dev_issue_refuses_uscc_as_person(idp: DevIdentityProvider) -> None:
    with pytest.raises(ValidationError) as info:
        idp.issue(name="某公司", id_type="uscc", id_number=uscc(1), subject_kind="person")
    assert info.value.field == "subject_kind"
