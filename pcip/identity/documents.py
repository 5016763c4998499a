"""Identity documents other than the citizen identity number (Art. 19).

Art. 19 matches natural persons by citizen identity number or, failing that, by "passport or
other valid identity document number" together with the document type (and, for foreign
documents, the issuing country). A document is identified by the triple
(type, normalised number, ISO 3166-1 alpha-3 country).

The number format is checked loosely (3-32 characters of A-Z, 0-9 and "-") because formats vary
by country and era, except for the residence permits of Hong Kong, Macao and Taiwan residents:
those carry a GB 11643-1999 number (check character verified) with address code 810000 (Hong
Kong), 820000 (Macao) or 830000 (Taiwan).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from pcip.errors import ValidationError
from pcip.identity._text import normalize
from pcip.identity.citizen_id import citizen_id_check_character
from pcip.kernel.messages import Either, msg

__all__ = [
    "COUNTRY_REQUIRED",
    "ISO_3166_ALPHA3",
    "Document",
    "DocumentType",
    "document_type_from_label",
    "validate_document",
]


class DocumentType(StrEnum):
    """Document types accepted for identity matching when there is no citizen number."""

    PASSPORT = "passport"
    HK_MACAO_RESIDENT_PERMIT = "hk_macao_resident_permit"
    TAIWAN_RESIDENT_PERMIT = "taiwan_resident_permit"
    MAINLAND_TRAVEL_PERMIT_HK_MACAO = "mainland_travel_permit_hk_macao"
    MAINLAND_TRAVEL_PERMIT_TAIWAN = "mainland_travel_permit_taiwan"
    FOREIGN_PERMANENT_RESIDENCE_ID = "foreign_permanent_residence_id"
    MILITARY_ID = "military_id"
    OTHER = "other"


# Foreign documents need their issuing country to be unambiguous (Art. 19).
COUNTRY_REQUIRED = frozenset({DocumentType.PASSPORT, DocumentType.FOREIGN_PERMANENT_RESIDENCE_ID})

# GB 11643-format residence permits (2018 measures): allowed address codes per type.
_RESIDENCE_PERMIT_CODES: dict[DocumentType, frozenset[str]] = {
    DocumentType.HK_MACAO_RESIDENT_PERMIT: frozenset({"810000", "820000"}),
    DocumentType.TAIWAN_RESIDENT_PERMIT: frozenset({"830000"}),
}

# Chinese labels used in legacy double-publicity data (CF_XDR_ZJLX, CF_FR_ZJLX, ...).
_LABELS: dict[str, DocumentType] = {
    "护照": DocumentType.PASSPORT,
    "外国护照": DocumentType.PASSPORT,
    "中国护照": DocumentType.PASSPORT,
    "港澳居民居住证": DocumentType.HK_MACAO_RESIDENT_PERMIT,
    "台湾居民居住证": DocumentType.TAIWAN_RESIDENT_PERMIT,
    "港澳居民来往内地通行证": DocumentType.MAINLAND_TRAVEL_PERMIT_HK_MACAO,
    "回乡证": DocumentType.MAINLAND_TRAVEL_PERMIT_HK_MACAO,
    "台湾居民来往大陆通行证": DocumentType.MAINLAND_TRAVEL_PERMIT_TAIWAN,
    "台胞证": DocumentType.MAINLAND_TRAVEL_PERMIT_TAIWAN,
    "外国人永久居留身份证": DocumentType.FOREIGN_PERMANENT_RESIDENCE_ID,
    "外国人永久居留证": DocumentType.FOREIGN_PERMANENT_RESIDENCE_ID,
    "军官证": DocumentType.MILITARY_ID,
    "士兵证": DocumentType.MILITARY_ID,
    "军人身份证件": DocumentType.MILITARY_ID,
    "其他": DocumentType.OTHER,
    "其它": DocumentType.OTHER,
    "其他有效身份证件": DocumentType.OTHER,
}
# Legacy data often appends "号"/"号码" ("护照号"): strip it before the lookup.
_LABEL_SUFFIXES = ("号码", "号")

_NUMBER_RE = re.compile(r"[A-Z0-9-]{3,32}")

_ISO_3166_ALPHA3_TEXT = """
    ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA BGD
    BGR BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV CMR
    COD COG COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH
    ESP EST ETH FIN FJI FLK FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL
    GTM GUF GUM GUY HKG HMD HND HRV HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR
    JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR
    MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL
    NER NFK NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY
    PSE PYF QAT REU ROU RUS RWA SAU SDN SEN SGP SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP
    SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK TKL TKM TLS TON TTO TUN TUR TUV TWN TZA
    UGA UKR UMI URY USA UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE
"""
ISO_3166_ALPHA3 = frozenset(_ISO_3166_ALPHA3_TEXT.split())


@dataclass(frozen=True, slots=True)
class Document:
    """A validated identity document: type, normalised number, issuing country (alpha-3)."""

    document_type: DocumentType
    number: str
    issuing_country: str | None


def document_type_from_label(label: str) -> DocumentType | None:
    """Map an enum value (``passport``) or a legacy Chinese label (``护照``) to a type."""
    text = label.strip()
    try:
        return DocumentType(text.lower())
    except ValueError:
        pass
    if text in _LABELS:
        return _LABELS[text]
    for suffix in _LABEL_SUFFIXES:
        if text.endswith(suffix) and text[: -len(suffix)] in _LABELS:
            return _LABELS[text[: -len(suffix)]]
    return None


def _document_type(doc_type: str) -> DocumentType:
    found = document_type_from_label(doc_type)
    if found is None:
        raise ValidationError(
            msg(
                "identity.document_type_unknown",
                value=repr(doc_type.strip()[:40]),
                allowed=[t.value for t in DocumentType],
            ),
            field="document_type",
        )
    return found


def _number(doc_type: DocumentType, raw: str) -> str:
    number = normalize(raw)
    if not _NUMBER_RE.fullmatch(number):
        raise ValidationError(
            msg(
                "identity.document_number_shape",
                n=len(number),
                # The number itself is shown when it is short enough to read.
                shown="" if len(number) > 32 else f" ({number!r})",
            ),
            field="document_number",
        )
    codes = _RESIDENCE_PERMIT_CODES.get(doc_type)
    if codes is not None:
        _check_residence_permit(number, codes)
    return number


def _check_residence_permit(number: str, codes: frozenset[str]) -> None:
    if (
        len(number) != 18
        or not (number[:17].isascii() and number[:17].isdigit())
        or number[:6] not in codes
    ):
        raise ValidationError(
            msg("identity.residence_permit_shape", codes=Either(sorted(codes))),
            field="document_number",
        )
    expected = citizen_id_check_character(number[:17])
    if number[17] != expected:
        raise ValidationError(
            msg("identity.check_character", got=number[17], want=expected),
            field="document_number",
        )


def _country(doc_type: DocumentType, raw: str | None) -> str | None:
    country = normalize(raw) if raw is not None else ""
    if not country:
        if doc_type in COUNTRY_REQUIRED:
            raise ValidationError(
                msg("identity.country_required", type=doc_type.value),
                field="issuing_country",
            )
        return None
    if country not in ISO_3166_ALPHA3:
        raise ValidationError(
            msg("identity.country_unknown", value=repr(country[:8])),
            field="issuing_country",
        )
    return country


def validate_document(doc_type: str, number: str, country: str | None) -> Document:
    """Validate an identity document for Art. 19 identity matching.

    ``doc_type`` is a :class:`DocumentType` value or a legacy Chinese label; ``number`` is
    stripped and upper-cased; ``country`` is an ISO 3166-1 alpha-3 code, required for passports
    and foreign permanent residence IDs. Raises :class:`pcip.errors.ValidationError` with field
    ``document_type``, ``document_number`` or ``issuing_country``.
    """
    kind = _document_type(doc_type)
    return Document(kind, _number(kind, number), _country(kind, country))
