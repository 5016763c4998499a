"""Unified Social Credit Codes (统一社会信用代码, GB 32100-2015), used for identity matching of
legal persons and unincorporated organisations (Art. 19).

Layout: position 1 registration-authority code, 2 entity-type code, 3-8 region code (GB/T 2260),
9-17 the organisation code (GB 11714: 8 body characters + check character), 18 the check
character (MOD 31 over the alphabet below).

Decisions taken here:

* Letter authority codes (A, N, Y) are valid. python-stdnum's ``cn.uscc`` requires the first
  8 characters to be digits and rejects them.
* Only the check character, the alphabet and a defined authority code decide validity. The region
  code and the embedded organisation-code check are not part of the standard's check: an unknown
  region gives the warning ``region_code_unknown`` and a failed embedded check (early pilot codes)
  gives ``embedded_org_code_check_failed``; neither rejects the code.
* An entity-type code not in the table below is still valid; ``entity_type`` is then ``None``.
* ``00000000000000000X`` is the placeholder used in double-publicity data for individual
  businesses without a code. It is recognised and reported as invalid with that explanation: such
  a record must carry the business registration number instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import mul

from pcip.errors import ValidationError
from pcip.identity._text import normalize, show
from pcip.identity.regions import region_info
from pcip.kernel.messages import msg

__all__ = [
    "ALPHABET",
    "AUTHORITIES",
    "EMBEDDED_ORG_CODE_CHECK_FAILED",
    "ENTITY_TYPES",
    "INDIVIDUAL_BUSINESS_PLACEHOLDER",
    "ORG_CODE_WEIGHTS",
    "REGION_CODE_UNKNOWN",
    "WEIGHTS",
    "Authority",
    "EntityType",
    "Uscc",
    "is_individual_business_placeholder",
    "org_code_check_character",
    "parse_uscc",
    "uscc_check_character",
    "validate_uscc",
]

# GB 32100-2015: digits and capital letters except I, O, S, V, Z; value = index.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {ch: value for value, ch in enumerate(ALPHABET)}
_ALPHABET_SET = frozenset(ALPHABET)
# Weight of position i is 3**(i-1) mod 31.
WEIGHTS: tuple[int, ...] = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# GB 11714 organisation code: letters are valued over the full Latin alphabet, A=10 .. Z=35.
_ORG_VALUES = {ch: value for value, ch in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
ORG_CODE_WEIGHTS: tuple[int, ...] = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CHECK_WRITTEN = {10: "X", 11: "0"}

INDIVIDUAL_BUSINESS_PLACEHOLDER = "0" * 17 + "X"
EMBEDDED_ORG_CODE_CHECK_FAILED = "embedded_org_code_check_failed"
REGION_CODE_UNKNOWN = "region_code_unknown"

# Central-level bodies carry region code 100000, which GB/T 2260 does not list.
_NATIONAL_REGION = ("100000", "中华人民共和国（国家级）")


@dataclass(frozen=True, slots=True)
class Authority:
    """Registration-authority code (position 1)."""

    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True, slots=True)
class EntityType:
    """Entity-type code (positions 1-2: authority + type)."""

    code: str
    name_zh: str
    name_en: str


AUTHORITIES: dict[str, Authority] = {
    a.code: a
    for a in (
        Authority("1", "机构编制", "institutional establishment"),
        Authority("2", "外交", "foreign affairs"),
        Authority("3", "司法行政", "judicial administration"),
        Authority("4", "文化", "culture"),
        Authority("5", "民政", "civil affairs"),
        Authority("6", "旅游", "tourism"),
        Authority("7", "宗教", "religious affairs"),
        Authority("8", "工会", "trade unions"),
        Authority("9", "工商（市场监管）", "market regulation (industry and commerce)"),
        Authority("A", "中央军委改革和编制办公室", "Central Military Commission establishment"),
        Authority("N", "农业农村", "agriculture and rural affairs"),
        Authority("Y", "其他", "other"),
    )
}

ENTITY_TYPES: dict[str, EntityType] = {
    t.code: t
    for t in (
        EntityType("11", "机关", "government organ"),
        EntityType("12", "事业单位", "public institution"),
        EntityType("13", "中央编办直接管理机构编制的群众团体", "mass organisation"),
        EntityType("19", "其他", "other"),
        EntityType("21", "外国常住新闻机构", "resident foreign news agency"),
        EntityType("29", "其他", "other"),
        EntityType("31", "律师执业机构", "law firm"),
        EntityType("32", "公证处", "notary office"),
        EntityType("33", "基层法律服务所", "grassroots legal service office"),
        EntityType("34", "司法鉴定机构", "forensic appraisal institution"),
        EntityType("35", "仲裁委员会", "arbitration commission"),
        EntityType("39", "其他", "other"),
        EntityType("41", "外国在华文化中心", "foreign cultural centre in China"),
        EntityType("49", "其他", "other"),
        EntityType("51", "社会团体", "social group"),
        EntityType("52", "民办非企业单位", "private non-enterprise unit"),
        EntityType("53", "基金会", "foundation"),
        EntityType("59", "其他", "other"),
        EntityType("61", "外国旅游部门常驻代表机构", "foreign tourism office"),
        EntityType(
            "62", "港澳台地区旅游部门常驻内地（大陆）代表机构", "HK/Macao/Taiwan tourism office"
        ),
        EntityType("69", "其他", "other"),
        EntityType("71", "宗教活动场所", "religious venue"),
        EntityType("72", "宗教院校", "religious college"),
        EntityType("79", "其他", "other"),
        EntityType("81", "基层工会", "grassroots trade union"),
        EntityType("89", "其他", "other"),
        EntityType("91", "企业", "enterprise"),
        EntityType("92", "个体工商户", "individual business"),
        EntityType("93", "农民专业合作社", "farmers' specialised cooperative"),
        EntityType("A1", "军队事业单位", "military public institution"),
        EntityType("A9", "其他", "other"),
        EntityType("N1", "组级集体经济组织", "group-level collective economic organisation"),
        EntityType("N2", "村级集体经济组织", "village-level collective economic organisation"),
        EntityType("N3", "乡镇级集体经济组织", "township-level collective economic organisation"),
        EntityType("N9", "其他", "other"),
        EntityType("Y1", "其他", "other"),
    )
}


@dataclass(frozen=True, slots=True)
class Uscc:
    """A valid USCC and the parts it encodes; ``warnings`` hold non-fatal findings."""

    normalized: str
    authority: Authority
    entity_type: EntityType | None
    region_code: str
    region_name: str | None
    organisation_code: str
    warnings: tuple[str, ...] = field(default=())


def uscc_check_character(first17: str) -> str:
    """GB 32100-2015 check character: C18 = 31 - (sum mod 31), 31 written as 0."""
    if len(first17) != 17:
        raise ValueError("uscc_check_character needs the first 17 characters")
    # map/mul keeps the loop in C: the synthetic generators compute millions of these.
    total = sum(map(mul, map(_VALUES.__getitem__, first17), WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def org_code_check_character(body: str) -> str:
    """GB 11714 organisation-code check: C9 = 11 - (sum mod 11); 10 is X, 11 is 0."""
    if len(body) != 8:
        raise ValueError("org_code_check_character needs the 8 body characters")
    total = sum(map(mul, map(_ORG_VALUES.__getitem__, body), ORG_CODE_WEIGHTS))
    check = 11 - total % 11
    return _ORG_CHECK_WRITTEN.get(check) or str(check)


def is_individual_business_placeholder(value: str) -> bool:
    """Whether ``value`` is the seventeen-zeros-and-X placeholder for individual businesses."""
    return normalize(value) == INDIVIDUAL_BUSINESS_PLACEHOLDER


def _check_shape(code: str) -> str | None:
    if len(code) != 18:
        return msg("identity.length", n=len(code))
    if not _ALPHABET_SET.issuperset(code):  # one C call; the loop finds the first culprit
        for position, ch in enumerate(code, start=1):
            if ch not in _VALUES:
                return msg("identity.uscc_alphabet", ch=show(ch), pos=position)
    if code == INDIVIDUAL_BUSINESS_PLACEHOLDER:
        return msg("identity.uscc_placeholder")
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        return msg("identity.check_character", got=code[17], want=expected)
    if code[0] not in AUTHORITIES:
        return msg("identity.uscc_authority", code=code[0])
    return None


def _region_name(region_code: str) -> str | None:
    if region_code == _NATIONAL_REGION[0]:
        return _NATIONAL_REGION[1]
    info = region_info(region_code)
    return None if info is None else info.name


def parse_uscc(value: str) -> Uscc | str:
    """Parse a USCC; return the decoded code or a one-line reason. Never raises.

    Input is stripped and ASCII letters upper-cased.
    """
    code = normalize(value)
    problem = _check_shape(code)
    if problem is not None:
        return problem
    warnings: list[str] = []
    region_code = code[2:8]
    region_name = _region_name(region_code)
    if region_name is None:
        warnings.append(REGION_CODE_UNKNOWN)
    organisation_code = code[8:17]
    if org_code_check_character(organisation_code[:8]) != organisation_code[8]:
        warnings.append(EMBEDDED_ORG_CODE_CHECK_FAILED)
    return Uscc(
        normalized=code,
        authority=AUTHORITIES[code[0]],
        entity_type=ENTITY_TYPES.get(code[:2]),
        region_code=region_code,
        region_name=region_name,
        organisation_code=organisation_code,
        warnings=tuple(warnings),
    )


def validate_uscc(value: str, *, field: str = "uscc") -> Uscc:
    """Validate a USCC (GB 32100-2015) for identity matching (Art. 19).

    Raises :class:`pcip.errors.ValidationError` naming ``field`` with the same reason text that
    :func:`pcip.identity.check.check_identifier` reports.
    """
    result = parse_uscc(value)
    if isinstance(result, str):
        raise ValidationError(result, field=field)
    return result
