"""Issue 14 point 3 (Art. 3): a person identified by a document other than a citizen ID
carries the birth date the identity provider asserts (OIDC claim ``birthdate``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from pcip import clock
from pcip.app import create_app
from pcip.kernel.platform import Platform
from pcip.subjects.models import Subject
from tests.client import TestClient


def _sign_in(client: TestClient, **body: object) -> int:
    r = client.post("/dev-idp/assertions", json=body)
    assert r.status_code == 200, r.text
    r = client.post("/api/v1/auth/subject", json={"assertion": r.json()["assertion"]})
    return r.status_code


def test_art3_identity_provider_asserts_the_birth_date_of_a_document_holder(
    platform: Platform,
) -> None:
    client = TestClient(create_app(platform))
    with clock.frozen("2026-11-26T10:00:00"):
        status = _sign_in(
            client,
            name="John Smith",
            id_type="document",
            id_number="123456789",
            document_type="passport",
            document_country="GBR",
            birth_date="2010-04-02",
        )
    assert status == 200
    with platform.transaction() as s:
        born = s.scalar(select(Subject.birth_date).where(Subject.document_type == "passport"))
    assert born == date(2010, 4, 2)


def test_art3_without_an_asserted_birth_date_a_document_holder_has_none(
    platform: Platform,
) -> None:
    client = TestClient(create_app(platform))
    with clock.frozen("2026-11-26T10:00:00"):
        status = _sign_in(
            client,
            name="Jane Roe",
            id_type="document",
            id_number="987654321",
            document_type="passport",
            document_country="GBR",
        )
    assert status == 200
    with platform.transaction() as s:
        born = s.scalar(select(Subject.birth_date).where(Subject.document_type == "passport"))
    assert born is None
