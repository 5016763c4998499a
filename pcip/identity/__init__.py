"""Identifiers for identity matching (Art. 19): citizen identity numbers (GB 11643-1999),
Unified Social Credit Codes (GB 32100-2015, embedded GB 11714 organisation code), other identity
documents, GB/T 2260 region codes, and masking for outputs.
"""

from pcip.identity.check import check_identifier
from pcip.identity.citizen_id import (
    LEGACY_15_DIGIT_CONVERTED,
    CitizenId,
    Sex,
    citizen_id_check_character,
    convert_legacy_15,
    parse_citizen_id,
    validate_citizen_id,
)
from pcip.identity.documents import (
    Document,
    DocumentType,
    document_type_from_label,
    validate_document,
)
from pcip.identity.regions import RegionInfo, RegionName, all_regions, region_info
from pcip.identity.uscc import (
    EMBEDDED_ORG_CODE_CHECK_FAILED,
    INDIVIDUAL_BUSINESS_PLACEHOLDER,
    REGION_CODE_UNKNOWN,
    Authority,
    EntityType,
    Uscc,
    is_individual_business_placeholder,
    org_code_check_character,
    parse_uscc,
    uscc_check_character,
    validate_uscc,
)
from pcip.kernel.masking import mask_citizen_id, mask_document_number, mask_name, mask_uscc

__all__ = [
    "EMBEDDED_ORG_CODE_CHECK_FAILED",
    "INDIVIDUAL_BUSINESS_PLACEHOLDER",
    "LEGACY_15_DIGIT_CONVERTED",
    "REGION_CODE_UNKNOWN",
    "Authority",
    "CitizenId",
    "Document",
    "DocumentType",
    "EntityType",
    "RegionInfo",
    "RegionName",
    "Sex",
    "Uscc",
    "all_regions",
    "check_identifier",
    "citizen_id_check_character",
    "convert_legacy_15",
    "document_type_from_label",
    "is_individual_business_placeholder",
    "mask_citizen_id",
    "mask_document_number",
    "mask_name",
    "mask_uscc",
    "org_code_check_character",
    "parse_citizen_id",
    "parse_uscc",
    "region_info",
    "uscc_check_character",
    "validate_citizen_id",
    "validate_document",
    "validate_uscc",
]
