"""Other identity documents: Art. 19 "passport or other valid identity document number plus
document type (and issuing country)"."""

from __future__ import annotations

import pytest

from pcip.errors import ValidationError
from pcip.identity import (
    Document,
    DocumentType,
    citizen_id_check_character,
    document_type_from_label,
    validate_document,
)


def field_of(doc_type: str, number: str, country: str | None) -> str | None:
    with pytest.raises(ValidationError) as caught:
        validate_document(doc_type, number, country)
    return caught.value.field


def test_art19_passport_normalised() -> None:
    doc = validate_document("passport", " e1234567 ", "usa")
    assert doc == Document(DocumentType.PASSPORT, "E1234567", "USA")


def test_art19_passport_needs_issuing_country() -> None:
    assert field_of("passport", "E1234567", None) == "issuing_country"
    assert field_of("passport", "E1234567", " ") == "issuing_country"
    assert field_of("foreign_permanent_residence_id", "USA123456789012", None) == "issuing_country"


@pytest.mark.parametrize("country", ["US", "XXX", "UK", "1234", "中国"])
def test_art19_issuing_country_must_be_iso3166_alpha3(country: str) -> None:
    assert field_of("passport", "E1234567", country) == "issuing_country"


def test_art19_country_optional_for_domestic_permits() -> None:
    doc = validate_document("mainland_travel_permit_hk_macao", "H12345678", None)
    assert doc.issuing_country is None
    assert validate_document("other", "ABC-123", "hkg").issuing_country == "HKG"


@pytest.mark.parametrize("number", ["AB", "A" * 33, "AB 123", "E1234567!", "Ｅ1234567", ""])
def test_art19_document_number_format(number: str) -> None:
    assert field_of("passport", number, "USA") == "document_number"


def test_art19_document_number_limits_accepted() -> None:
    assert validate_document("other", "AB1", None).number == "AB1"
    assert validate_document("other", "A" * 32, None).number == "A" * 32


def test_art19_unknown_document_type() -> None:
    assert field_of("driving_licence", "E1234567", "USA") == "document_type"
    assert field_of("", "E1234567", "USA") == "document_type"


def test_art19_resident_permits_use_gb11643_numbers() -> None:
    hk = "81000019900101001"
    hk += citizen_id_check_character(hk)
    assert validate_document("hk_macao_resident_permit", hk, None).number == hk
    tw = "83000019900101002"
    tw += citizen_id_check_character(tw)
    assert validate_document("台湾居民居住证", tw, None).document_type is (
        DocumentType.TAIWAN_RESIDENT_PERMIT
    )
    assert field_of("taiwan_resident_permit", hk, None) == "document_number"
    bad_check = hk[:17] + ("0" if hk[17] != "0" else "1")
    assert field_of("hk_macao_resident_permit", bad_check, None) == "document_number"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("护照", DocumentType.PASSPORT),
        ("护照号", DocumentType.PASSPORT),
        ("港澳居民来往内地通行证", DocumentType.MAINLAND_TRAVEL_PERMIT_HK_MACAO),
        ("台湾居民来往大陆通行证", DocumentType.MAINLAND_TRAVEL_PERMIT_TAIWAN),
        ("外国人永久居留身份证", DocumentType.FOREIGN_PERMANENT_RESIDENCE_ID),
        ("港澳居民居住证", DocumentType.HK_MACAO_RESIDENT_PERMIT),
        ("其他", DocumentType.OTHER),
        (" Passport ", DocumentType.PASSPORT),
        ("military_id", DocumentType.MILITARY_ID),
        ("居民身份证", None),
        ("驾驶证", None),
    ],
)
def test_art19_legacy_double_publicity_labels(label: str, expected: DocumentType | None) -> None:
    assert document_type_from_label(label) is expected


def test_art19_validate_document_accepts_labels() -> None:
    doc = validate_document("护照", "E1234567", "CHN")
    assert doc.document_type is DocumentType.PASSPORT
