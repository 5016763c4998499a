"""Reference catalogs seeded by ``pcip init`` (Art. 16-18).

Two catalogs:

* ``national_basic``: the items of the National Basic Catalog of Public Credit Information
  (2024 edition) that Chongqing providing units supply to the platform (Art. 16);
* ``cq_supplement``: the city supplemental catalog compiled by the municipal development and
  reform department (Art. 17), restricted to the eight scope categories of Art. 18.

An item code belongs to exactly one catalog. Items of the national catalog carry the Art. 18
category they fall under so that both catalogs share one classification.

Record layouts
--------------
* ``admin_penalty`` and ``admin_licence`` accept the double-publicity layouts (CF_* / XK_*,
  docs/facts.md#double-publicity) as-is; their field names are the layout codes.
* Every other item uses snake_case English field names and one generic subject block
  (``subject_name``, ``subject_category``, ``uscc``, ``document_type``, ``document_number``).

Periods
-------
* ``inquiry_period``: Art. 43 gives natural persons' untrustworthiness information a 5-year
  inquiry period from the end of the conduct. Only persons get a statutory period (D-6), so every
  negative item carries ``applies_to=(person,)``; legal persons' and organisations' periods come
  from national rules and are expressed per item through ``severity_classes`` (publicity periods).
* ``severity_classes``: docs/facts.md#publicity-periods (State Council General Office 2025 No. 22;
  NDRC credit restoration measures in force 2026-04-01), for items whose publicity those rules
  govern. These are policy numbers: seeded here with their citation, changed by publishing a new
  version.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from pcip.catalog.schemas import (
    CatalogSpec,
    FieldRole,
    FieldSpec,
    FieldType,
    InquiryPeriod,
    ItemSpec,
    PublicityRule,
    SeverityClass,
)
from pcip.enums import DisclosureClass, Polarity, Severity, SubjectKind

__all__ = [
    "CQ_SUPPLEMENT",
    "NATIONAL_BASIC",
    "PARTY_CATEGORIES",
    "SEED_CATALOGS",
]

# --------------------------------------------------------------------------------------------
# Shared building blocks
# --------------------------------------------------------------------------------------------

REGULATIONS_ZH: Final = "重庆市社会信用条例"
REGULATIONS_EN: Final = "Chongqing Municipal Social Credit Regulations 2021"
REGULATIONS: Final = f"{REGULATIONS_ZH} ({REGULATIONS_EN})"
NATIONAL_CATALOG: Final = (
    "《全国公共信用信息基础目录（2024年版）》(National Basic Catalog of Public Credit "
    "Information, 2024 edition, NDRC and People's Bank of China)"
)

#: Party categories of the double-publicity layouts (CF_XDR_LB / XK_XDR_LB), also used by
#: ``subject_category`` in every other item so that one vocabulary covers all items.
CAT_ORGANISATION: Final = "法人及非法人组织"
CAT_PERSON: Final = "自然人"
CAT_INDIVIDUAL_BUSINESS: Final = "个体工商户"
PARTY_CATEGORIES: Final = (CAT_ORGANISATION, CAT_PERSON, CAT_INDIVIDUAL_BUSINESS)

ALL_KINDS: Final = (SubjectKind.LEGAL_PERSON, SubjectKind.ORGANISATION, SubjectKind.PERSON)
ENTITY_KINDS: Final = (SubjectKind.LEGAL_PERSON, SubjectKind.ORGANISATION)

#: The national rules in force on publicity periods (docs/facts.md#publicity-periods), as verified:
#: the NDRC measures' text (Art. 1-4) and the periods of both were read in published copies.
NDRC_ORDER_36: Final = (
    "《信用修复管理办法》 (NDRC Order No. 36 of 2025, in force 2026-04-01; replaces NDRC Order "
    "No. 58 of 2023)"
)
STATE_COUNCIL_2025_22: Final = "国办发〔2025〕22号 (2025-06-22) item 2"
RESTORATION_CITATION: Final = f"{NDRC_ORDER_36}; {STATE_COUNCIL_2025_22}"

#: docs/facts.md#publicity-periods: minor at most 3 months (may stay unpublished), general 3-12
#: months, serious 1-3 years. Restoration may be requested after ``min_months``; publication stops
#: automatically after ``max_months``. Identical under both rules in force. Minor information
#: is published only where the unit sets a publicity end (its "确有必要公示" case).
RESTORATION_SEVERITY_CLASSES: Final = (
    SeverityClass(
        severity=Severity.MINOR,
        min_months=0,
        max_months=3,
        citation=RESTORATION_CITATION,
        unpublished_by_default=True,
    ),
    SeverityClass(
        severity=Severity.GENERAL, min_months=3, max_months=12, citation=RESTORATION_CITATION
    ),
    SeverityClass(
        severity=Severity.SERIOUS, min_months=12, max_months=36, citation=RESTORATION_CITATION
    ),
)

#: Art. 43: natural persons' untrustworthiness information, 5 years from the end of the conduct.
PERSON_INQUIRY_PERIOD: Final = InquiryPeriod(
    years=5,
    starts="conduct_end",
    applies_to=(SubjectKind.PERSON,),
    citation=f"{REGULATIONS} Art. 43: natural persons, 5 years from the end of the conduct",
)
#: The same, for conduct that continues until a unit ends it (arrears "while unpaid", a
#: listing, an unperformed judgment): no expiry while it continues (Art. 43).
PERSON_INQUIRY_PERIOD_CONTINUING: Final = InquiryPeriod(
    years=5,
    starts="conduct_end",
    applies_to=(SubjectKind.PERSON,),
    citation=(
        f"{REGULATIONS} Art. 43: natural persons, 5 years from the end of the conduct; "
        "continuing conduct does not expire until its end is set"
    ),
    open_means="continuing",
)

#: Severity as units send it (docs/facts.md#publicity-periods): the words 轻微/一般/严重, and the
#: codes and spellings read as them. Unit systems export it as CF_SXYZCD 失信严重程度 (seen in
#: public exchange code); codes 1/2/3 (also 01/02/03) follow the order minor, general, serious.
SEVERITY_CODES: Final = {
    "1": "轻微",
    "2": "一般",
    "3": "严重",
    "01": "轻微",
    "02": "一般",
    "03": "严重",
    "轻微失信": "轻微",
    "一般失信": "一般",
    "严重失信": "严重",
    "minor": "轻微",
    "general": "一般",
    "serious": "严重",
}
#: Document types of natural persons as codes (CF_XDR_ZJLX, CF_FR_ZJLX, XK_*; the code list
#: unit systems use: "01-身份证 02-护照 03-港澳居民来往内地通行证 04-台湾居民来往大陆通行证
#: 05-外国人永久居留身份证").
DOCUMENT_TYPE_CODES: Final = {
    "01": "身份证",
    "02": "护照",
    "03": "港澳居民来往内地通行证",
    "04": "台湾居民来往大陆通行证",
    "05": "外国人永久居留身份证",
}
#: Licence categories as codes (XK_XKLB: "01-普通 02-特许 03-认可 04-核准 05-登记 06-其他").
LICENCE_CATEGORY_CODES: Final = {
    "01": "普通",
    "02": "特许",
    "03": "认可",
    "04": "核准",
    "05": "登记",
    "06": "其他",
}


def _severity_field(name: str = "severity") -> FieldSpec:
    return _f(
        name,
        "失信严重程度",
        "severity (轻微 minor / 一般 general / 严重 serious; codes 1/2/3; empty: the item's "
        "default)",
        FieldType.ENUM,
        choices=tuple(SEVERITY_CODES[c] for c in ("1", "2", "3")),
        codes=SEVERITY_CODES,
        role=FieldRole.SEVERITY,
    )


def _revocation_field() -> FieldSpec:
    return _f(
        "revocation_date",
        "撤销日期",
        "date the record or its decision was revoked (Art. 44: shown to no one from then)",
        FieldType.DATE,
        role=FieldRole.REVOKED_ON,
    )


def _birth_date_field() -> FieldSpec:
    return _f(
        "birth_date",
        "出生日期",
        "birth date of a natural person identified by a document other than a citizen ID "
        "(Art. 3: minors; kept with the person, stored masked in the record)",
        FieldType.DATE,
        role=FieldRole.SUBJECT_BIRTH_DATE,
        personal=True,
    )


def _severity_rule(kinds: tuple[SubjectKind, ...], extra: str = "") -> tuple[PublicityRule, ...]:
    return (
        PublicityRule(
            applies_to=kinds,
            public="severity",
            starts="decision_date",
            ended_by=("publicity_end",),
            citation=f"{RESTORATION_CITATION}{extra}",
        ),
    )


def _f(
    name: str,
    label_zh: str,
    label_en: str,
    type: FieldType = FieldType.STRING,
    *,
    required: bool = False,
    max_length: int | None = None,
    choices: tuple[str, ...] | None = None,
    role: FieldRole | None = None,
    personal: bool = False,
    codes: dict[str, str] | None = None,
) -> FieldSpec:
    return FieldSpec(
        name=name,
        label_zh=label_zh,
        label_en=label_en,
        type=type,
        required=required,
        max_length=max_length,
        choices=choices,
        role=role,
        personal=personal,
        codes=codes,
    )


def _party_fields(prefix: str) -> tuple[FieldSpec, ...]:
    """The party block shared by the CF_* and XK_* layouts (docs/facts.md#double-publicity).

    Identity fields are conditionally required by party category (USCC for organisations,
    document type and number for natural persons, registration number for individual businesses
    reported with the seventeen-zeros-and-X placeholder USCC); ingestion enforces that, so they
    are all ``required=False`` here.
    """
    p = prefix
    return (
        _f(
            f"{p}_XDR_MC",
            "行政相对人名称",
            "party name",
            required=True,
            max_length=200,
            role=FieldRole.SUBJECT_NAME,
        ),
        _f(
            f"{p}_XDR_LB",
            "行政相对人类别",
            "party category",
            FieldType.ENUM,
            required=True,
            choices=PARTY_CATEGORIES,
            role=FieldRole.SUBJECT_CATEGORY,
        ),
        _f(
            f"{p}_XDR_SHXYM",
            "行政相对人代码_1（统一社会信用代码）",
            "party Unified Social Credit Code (an individual business without one is reported "
            "as seventeen zeros and X, with its registration number)",
            FieldType.USCC,
            max_length=18,
            role=FieldRole.SUBJECT_USCC,
        ),
        # Legacy codes: only the business registration number identifies a party (an individual
        # business without a USCC); the others are kept for reference and carry no role.
        _f(
            f"{p}_XDR_GSZC",
            "行政相对人代码_2（工商注册号）",
            "party business registration number (legacy)",
            max_length=50,
            role=FieldRole.SUBJECT_LEGACY_CODE,
        ),
        _f(
            f"{p}_XDR_ZZJG",
            "行政相对人代码_3（组织机构代码）",
            "party organisation code (legacy, GB 11714)",
            max_length=10,
        ),
        _f(
            f"{p}_XDR_SWDJ",
            "行政相对人代码_4（税务登记号）",
            "party tax registration number (legacy)",
            max_length=20,
        ),
        _f(
            f"{p}_XDR_SYDW",
            "行政相对人代码_5（事业单位证书号）",
            "party public institution certificate number (legacy)",
            max_length=50,
        ),
        _f(
            f"{p}_XDR_SHZZ",
            "行政相对人代码_6（社会组织登记证号）",
            "party social organisation registration certificate number (legacy)",
            max_length=50,
        ),
        _f(
            f"{p}_FRDB",
            "法定代表人",
            "legal representative (operator of an individual business)",
            max_length=50,
            role=FieldRole.LEGAL_REP_NAME,
        ),
        _f(
            f"{p}_FR_ZJLX",
            "法定代表人证件类型",
            "legal representative's document type (codes 01-05 read as their words)",
            max_length=64,
            role=FieldRole.LEGAL_REP_DOC_TYPE,
            codes=DOCUMENT_TYPE_CODES,
        ),
        _f(
            f"{p}_FR_ZJHM",
            "法定代表人证件号码",
            "legal representative's document number",
            max_length=64,
            role=FieldRole.LEGAL_REP_DOC_NUMBER,
            personal=True,
        ),
        _f(
            f"{p}_XDR_ZJLX",
            "证件类型",
            "document type (natural person; codes 01-05 read as their words)",
            max_length=64,
            role=FieldRole.SUBJECT_DOC_TYPE,
            codes=DOCUMENT_TYPE_CODES,
        ),
        _f(
            f"{p}_XDR_ZJHM",
            "证件号码",
            "document number (natural person)",
            max_length=64,
            role=FieldRole.SUBJECT_DOC_NUMBER,
            personal=True,
        ),
        # Extension column outside the layout (Art. 3): persons without a citizen ID.
        _birth_date_field(),
    )


def _subject_fields(
    kinds: tuple[SubjectKind, ...], *, legal_rep: bool = False
) -> tuple[FieldSpec, ...]:
    """The generic subject block of every non-double-publicity item (Art. 19).

    Natural persons are matched by document type and number, legal persons and organisations by
    USCC only; which identifiers are required depends on the subject category, so only the name
    and (for mixed items) the category are required here, except where an item has organisations
    only, in which case the USCC is its sole match key and is required.
    """
    has_person = SubjectKind.PERSON in kinds
    has_entity = any(k is not SubjectKind.PERSON for k in kinds)
    categories: tuple[str, ...] = ()
    if has_entity:
        categories += (CAT_ORGANISATION, CAT_INDIVIDUAL_BUSINESS)
    if has_person:
        categories += (CAT_PERSON,)
    out = [
        _f(
            "subject_name",
            "主体名称",
            "subject name",
            required=True,
            max_length=200,
            role=FieldRole.SUBJECT_NAME,
        ),
        _f(
            "subject_category",
            "主体类别",
            "subject category",
            FieldType.ENUM,
            required=has_person and has_entity,
            choices=categories,
            role=FieldRole.SUBJECT_CATEGORY,
        ),
    ]
    if has_entity:
        out.append(
            _f(
                "uscc",
                "统一社会信用代码",
                "Unified Social Credit Code",
                FieldType.USCC,
                required=not has_person,
                max_length=18,
                role=FieldRole.SUBJECT_USCC,
            )
        )
    if has_person:
        out += [
            _f(
                "document_type",
                "证件类型",
                "document type (natural person; codes 01-05 read as their words)",
                max_length=64,
                role=FieldRole.SUBJECT_DOC_TYPE,
                codes=DOCUMENT_TYPE_CODES,
            ),
            _f(
                "document_number",
                "证件号码",
                "document number (natural person)",
                max_length=64,
                role=FieldRole.SUBJECT_DOC_NUMBER,
                personal=True,
            ),
            _birth_date_field(),
        ]
    if legal_rep:
        out.append(
            _f(
                "legal_rep_name",
                "法定代表人（负责人）",
                "legal representative or person in charge",
                max_length=50,
                role=FieldRole.LEGAL_REP_NAME,
            )
        )
    return tuple(out)


def _basis_fields(
    doc_zh: str, doc_en: str, issuer_zh: str, issuer_en: str, conduct_end_en: str
) -> tuple[FieldSpec, ...]:
    """Art. 21 basis document (number, title, issuer, dates) and the Art. 43 conduct end date."""
    return (
        _f(
            "basis_number",
            f"{doc_zh}文号",
            f"{doc_en} number",
            required=True,
            max_length=128,
            role=FieldRole.BASIS_NUMBER,
        ),
        _f(
            "basis_title",
            f"{doc_zh}名称",
            f"{doc_en} title",
            max_length=200,
            role=FieldRole.BASIS_TITLE,
        ),
        _f(
            "basis_issuer",
            issuer_zh,
            issuer_en,
            required=True,
            max_length=200,
            role=FieldRole.BASIS_ISSUER,
        ),
        _f(
            "basis_issuer_uscc",
            f"{issuer_zh}统一社会信用代码",
            f"{issuer_en} USCC",
            FieldType.USCC,
            max_length=18,
            role=FieldRole.BASIS_ISSUER_USCC,
        ),
        _f(
            "decision_date",
            "作出日期",
            f"date the {doc_en} was made",
            FieldType.DATE,
            required=True,
            role=FieldRole.BASIS_DECISION_DATE,
        ),
        _f(
            "effective_date",
            "生效日期",
            f"date the {doc_en} took effect (empty: the date it was made)",
            FieldType.DATE,
            role=FieldRole.BASIS_EFFECTIVE_DATE,
        ),
        _f(
            "conduct_end_date",
            "失信行为终止日期",
            conduct_end_en,
            FieldType.DATE,
            role=FieldRole.CONDUCT_END_DATE,
        ),
    )


def _source_fields() -> tuple[FieldSpec, ...]:
    return (
        _f(
            "source_unit", "数据来源单位", "source unit", max_length=200, role=FieldRole.SOURCE_UNIT
        ),
        _f(
            "source_unit_uscc",
            "数据来源单位统一社会信用代码",
            "source unit USCC",
            FieldType.USCC,
            max_length=18,
            role=FieldRole.SOURCE_UNIT_USCC,
        ),
        _f("remarks", "备注", "remarks", FieldType.TEXT, max_length=512),
    )


# --------------------------------------------------------------------------------------------
# National basic catalog (Art. 16)
# --------------------------------------------------------------------------------------------

# Public: registration information is statutory enterprise publicity (NECIPS, Art. 24).
REGISTRATION_INFO: Final = ItemSpec(
    code="registration_info",
    name_zh="登记注册基本信息",
    name_en="registration information",
    scope_category=1,
    subject_kinds=ENTITY_KINDS,
    polarity=Polarity.NEUTRAL,
    disclosure_class=DisclosureClass.PUBLIC,
    fields=(
        *_subject_fields(ENTITY_KINDS, legal_rep=True),
        _f(
            "entity_type",
            "主体类型",
            "entity type (e.g. limited liability company)",
            max_length=100,
        ),
        _f("registered_address", "住所（经营场所）", "registered address", max_length=300),
        _f(
            "registered_capital",
            "注册资本（万元）",
            "registered capital, in 10,000 RMB",
            FieldType.DECIMAL,
        ),
        _f(
            "establishment_date", "成立日期", "date of establishment", FieldType.DATE, required=True
        ),
        _f(
            "operating_from",
            "营业期限自",
            "operating period from",
            FieldType.DATE,
            role=FieldRole.VALID_FROM,
        ),
        _f(
            "operating_to",
            "营业期限至",
            "operating period to (empty: no fixed term)",
            FieldType.DATE,
            role=FieldRole.VALID_TO,
        ),
        _f("business_scope", "经营范围", "business scope", FieldType.TEXT, max_length=4000),
        _f(
            "registration_authority",
            "登记机关",
            "registration authority",
            required=True,
            max_length=200,
            role=FieldRole.BASIS_ISSUER,
        ),
        _f(
            "registration_authority_uscc",
            "登记机关统一社会信用代码",
            "registration authority USCC",
            FieldType.USCC,
            max_length=18,
            role=FieldRole.BASIS_ISSUER_USCC,
        ),
        _f(
            "approval_date",
            "核准日期",
            "date of the latest approved registration",
            FieldType.DATE,
            role=FieldRole.BASIS_DECISION_DATE,
        ),
        _f(
            "registration_status",
            "登记状态",
            "registration status (e.g. in existence, revoked, deregistered)",
            max_length=50,
        ),
        *_source_fields(),
    ),
    legal_basis=(
        f"{REGULATIONS} Art. 18(1), Art. 16; {NATIONAL_CATALOG}: 登记注册基本信息; "
        "《中华人民共和国市场主体登记管理条例》"
    ),
    description_zh="法人和非法人组织在登记机关登记的名称、统一社会信用代码、法定代表人、住所等基础信息。",
    description_en=(
        "Basic registration data of legal persons and organisations: name, USCC, legal "
        "representative, address, establishment date and registration authority."
    ),
)

# Public: decisions with social impact must be published (Administrative Penalty Law Art. 48);
# natural persons' document numbers are masked (personal=True).
ADMIN_PENALTY: Final = ItemSpec(
    code="admin_penalty",
    name_zh="行政处罚信息",
    name_en="administrative penalty",
    scope_category=2,
    subject_kinds=ALL_KINDS,
    polarity=Polarity.NEGATIVE,
    disclosure_class=DisclosureClass.PUBLIC,
    layout="cf",
    severity_classes=RESTORATION_SEVERITY_CLASSES,
    default_severity=Severity.GENERAL,
    inquiry_period=PERSON_INQUIRY_PERIOD,
    publicity=_severity_rule(
        ALL_KINDS, "; 《中华人民共和国行政处罚法》 Art. 48 (publication of penalty decisions)"
    ),
    fields=(
        *_party_fields("CF"),
        _f(
            "CF_WSH",
            "行政处罚决定书文号",
            "penalty decision document number",
            required=True,
            max_length=128,
            role=FieldRole.BASIS_NUMBER,
        ),
        _f("CF_WFXW", "违法行为类型", "type of violation", required=True, max_length=2000),
        _f(
            "CF_SY",
            "违法事实",
            "facts of the violation",
            FieldType.TEXT,
            required=True,
            max_length=5000,
        ),
        _f(
            "CF_YJ",
            "处罚依据",
            "legal basis of the penalty",
            FieldType.TEXT,
            required=True,
            max_length=2000,
        ),
        _f(
            "CF_CFLB",
            "处罚类别",
            "penalty category (e.g. warning, fine, confiscation)",
            required=True,
            max_length=200,
        ),
        _f("CF_NR", "处罚内容", "penalty content", FieldType.TEXT, required=True, max_length=4000),
        _f(
            "CF_NR_FK",
            "罚款金额（万元）",
            "fine amount, in units of 10,000 RMB (万元)",
            FieldType.DECIMAL,
        ),
        _f(
            "CF_NR_WFFF",
            "没收违法所得、没收非法财物的金额（万元）",
            "confiscated unlawful gains or property, in units of 10,000 RMB (万元)",
            FieldType.DECIMAL,
        ),
        _f(
            "CF_NR_ZKDX",
            "暂扣或吊销证照名称及编号",
            "licence suspended or revoked (name and number)",
            max_length=200,
        ),
        _f(
            "CF_JDRQ",
            "处罚决定日期",
            "penalty decision date",
            FieldType.DATE,
            required=True,
            role=FieldRole.BASIS_DECISION_DATE,
        ),
        # Validity of the decision as reported; publicity is governed by CF_GSJZQ instead.
        _f("CF_YXQ", "处罚有效期", "penalty validity date", FieldType.DATE),
        _f(
            "CF_GSJZQ",
            "公示截止期",
            "publicity end date",
            FieldType.DATE,
            role=FieldRole.PUBLICITY_END,
        ),
        _f(
            "CF_CFJG",
            "处罚机关",
            "deciding authority",
            required=True,
            max_length=200,
            role=FieldRole.BASIS_ISSUER,
        ),
        _f(
            "CF_CFJGDM",
            "处罚机关统一社会信用代码",
            "deciding authority USCC (version-1 files have none: then the authority is named "
            "by CF_CFJG only)",
            FieldType.USCC,
            max_length=18,
            role=FieldRole.BASIS_ISSUER_USCC,
        ),
        _f(
            "CF_SJLY",
            "数据来源单位",
            "data source unit",
            max_length=200,
            role=FieldRole.SOURCE_UNIT,
        ),
        _f(
            "CF_SJLYDM",
            "数据来源单位统一社会信用代码",
            "data source unit USCC",
            FieldType.USCC,
            max_length=18,
            role=FieldRole.SOURCE_UNIT_USCC,
        ),
        _f("BZ", "备注", "remarks", FieldType.TEXT, max_length=512),
        # Extension columns, optional, outside the CF layout: the layout carries neither the date
        # the decision took effect (Art. 21) nor the end of the conduct (Art. 43).
        _f(
            "basis_effective_date",
            "处罚决定生效日期",
            "date the decision took effect (extension; empty: the decision date)",
            FieldType.DATE,
            role=FieldRole.BASIS_EFFECTIVE_DATE,
        ),
        _f(
            "conduct_end_date",
            "违法行为终止日期",
            "date the violation ended (extension; empty: the decision's effective date is "
            "used provisionally, D-6)",
            FieldType.DATE,
            role=FieldRole.CONDUCT_END_DATE,
        ),
        # Extension: severity (unit systems export it as CF_SXYZCD 失信严重程度, read as this
        # field by pcip.records.layouts).
        _severity_field(),
        _revocation_field(),
    ),
    legal_basis=(
        f"{REGULATIONS} Art. 18(2), Art. 21(2); {NATIONAL_CATALOG}: 行政管理信息; "
        "《中华人民共和国行政处罚法》 Art. 48 (publication of penalty decisions)"
    ),
    description_zh="行政机关依法作出的行政处罚决定信息（“双公示”行政处罚数据格式）。",
    description_en=(
        "Administrative penalty decisions made by administrative organs, in the double-publicity "
        "penalty layout (CF_*)."
    ),
)

# Public: decisions granting a licence are public (Administrative Licensing Law Art. 40).
ADMIN_LICENCE: Final = ItemSpec(
    code="admin_licence",
    name_zh="行政许可信息",
    name_en="administrative licence",
    scope_category=2,
    subject_kinds=ALL_KINDS,
    polarity=Polarity.POSITIVE,
    disclosure_class=DisclosureClass.PUBLIC,
    layout="xk",
    fields=(
        *_party_fields("XK"),
        _f(
            "XK_XKWS",
            "行政许可决定文书名称",
            "licence decision document title",
            required=True,
            max_length=200,
            role=FieldRole.BASIS_TITLE,
        ),
        _f(
            "XK_WSH",
            "行政许可决定文书号",
            "licence decision document number",
            required=True,
            max_length=128,
            role=FieldRole.BASIS_NUMBER,
        ),
        _f(
            "XK_XKLB",
            "许可类别",
            "licence category (codes 01-06 read as their words)",
            FieldType.ENUM,
            required=True,
            choices=("普通", "特许", "认可", "核准", "登记", "其他"),
            codes=LICENCE_CATEGORY_CODES,
        ),
        _f("XK_XKZS", "许可证书名称", "licence certificate name", max_length=200),
        _f("XK_XKBH", "许可编号", "licence number", max_length=100),
        _f("XK_NR", "许可内容", "licence content", FieldType.TEXT, required=True, max_length=4000),
        _f(
            "XK_JDRQ",
            "许可决定日期",
            "licence decision date",
            FieldType.DATE,
            required=True,
            role=FieldRole.BASIS_DECISION_DATE,
        ),
        _f(
            "XK_YXQZ",
            "有效期自",
            "valid from",
            FieldType.DATE,
            required=True,
            role=FieldRole.VALID_FROM,
        ),
        _f(
            "XK_YXQZI",
            "有效期至",
            "valid to (2099-12-31 means long-term)",
            FieldType.DATE,
            required=True,
            role=FieldRole.VALID_TO,
        ),
        _f(
            "XK_XKJG",
            "许可机关",
            "licensing authority",
            required=True,
            max_length=200,
            role=FieldRole.BASIS_ISSUER,
        ),
        _f(
            "XK_XKJGDM",
            "许可机关统一社会信用代码",
            "licensing authority USCC (version-1 files have none)",
            FieldType.USCC,
            max_length=18,
            role=FieldRole.BASIS_ISSUER_USCC,
        ),
        _f("XK_ZT", "当前状态", "current status (valid / invalid)", max_length=16),
        _f(
            "XK_LYDW",
            "数据来源单位",
            "data source unit",
            max_length=200,
            role=FieldRole.SOURCE_UNIT,
        ),
        _f(
            "XK_LYDWDM",
            "数据来源单位统一社会信用代码",
            "data source unit USCC",
            FieldType.USCC,
            max_length=18,
            role=FieldRole.SOURCE_UNIT_USCC,
        ),
        _f("BZ", "备注", "remarks", FieldType.TEXT, max_length=512),
    ),
    legal_basis=(
        f"{REGULATIONS} Art. 18(2); {NATIONAL_CATALOG}: 行政管理信息; "
        "《中华人民共和国行政许可法》 Art. 40 (licence decisions are made public)"
    ),
    description_zh="行政机关依法作出的准予行政许可决定信息（“双公示”行政许可数据格式）。",
    description_en=(
        "Decisions granting administrative licences, in the double-publicity licence layout (XK_*)."
    ),
)

# Public: inspection results are published under the "double random, one public" regime; the
# item covers organisations only, so no personal data is involved.
ADMIN_INSPECTION: Final = ItemSpec(
    code="admin_inspection",
    name_zh="行政检查（监督检查）结果信息",
    name_en="supervisory inspection result",
    scope_category=2,
    subject_kinds=ENTITY_KINDS,
    polarity=Polarity.NEUTRAL,
    disclosure_class=DisclosureClass.PUBLIC,
    fields=(
        *_subject_fields(ENTITY_KINDS),
        _f(
            "inspection_number",
            "检查记录编号",
            "inspection record number",
            max_length=128,
            role=FieldRole.BASIS_NUMBER,
        ),
        _f(
            "inspection_type",
            "检查类型",
            "inspection type (e.g. random, special, complaint)",
            max_length=100,
        ),
        _f(
            "inspection_matter",
            "检查事项",
            "matters inspected",
            FieldType.TEXT,
            required=True,
            max_length=2000,
        ),
        _f(
            "inspection_date",
            "检查日期",
            "inspection date",
            FieldType.DATE,
            required=True,
            role=FieldRole.BASIS_DECISION_DATE,
        ),
        _f(
            "inspection_result",
            "检查结果",
            "inspection result",
            FieldType.TEXT,
            required=True,
            max_length=2000,
        ),
        _f(
            "inspecting_authority",
            "检查机关",
            "inspecting authority",
            required=True,
            max_length=200,
            role=FieldRole.BASIS_ISSUER,
        ),
        _f(
            "inspecting_authority_uscc",
            "检查机关统一社会信用代码",
            "inspecting authority USCC",
            FieldType.USCC,
            max_length=18,
            role=FieldRole.BASIS_ISSUER_USCC,
        ),
        *_source_fields(),
    ),
    legal_basis=(
        f"{REGULATIONS} Art. 18(2) (administrative oversight inspections); "
        f"{NATIONAL_CATALOG}: 行政管理信息; "
        "《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》"
    ),
    description_zh="行政机关依法开展监督检查形成的检查结果信息。",
    description_en="Results of supervisory inspections carried out by administrative organs.",
)

# Public: the abnormal operation list is statutory enterprise publicity; the platform links to
# NECIPS as the publication channel of record (Art. 24, D-27).
ABNORMAL_OPERATION_LIST: Final = ItemSpec(
    code="abnormal_operation_list",
    name_zh="经营异常名录信息",
    name_en="abnormal operation list",
    scope_category=2,
    subject_kinds=ENTITY_KINDS,
    polarity=Polarity.NEGATIVE,
    disclosure_class=DisclosureClass.PUBLIC,
    inquiry_period=PERSON_INQUIRY_PERIOD_CONTINUING,
    publicity=(
        PublicityRule(
            applies_to=ENTITY_KINDS,
            public="until_ended",
            starts="decision_date",
            ended_by=("ended_on",),
            removal_ends_inquiries=True,
            citation=(
                "《企业信息公示暂行条例》 Art. 17 (listed until the cause is cured; three years "
                "on the list lead to the serious illegal list); 《企业经营异常名录管理暂行办法》 "
                "(SAIC Order No. 68, 2014) Art. 9-13 (removal decision with its date and "
                "reason); 《市场监督管理信用修复管理办法》 (SAMR Order No. 55, 2021) Art. 2 "
                "(removal from the list is credit restoration); "
                f"{NDRC_ORDER_36} Art. 3 (restoration ends publicity, sharing and use)"
            ),
        ),
    ),
    fields=(
        *_subject_fields(ENTITY_KINDS, legal_rep=True),
        *_basis_fields(
            "列入经营异常名录决定书",
            "listing decision",
            "作出决定机关",
            "listing authority",
            "date the cause of listing ended (removal from the list; empty while listed)",
        ),
        _f(
            "listing_reason",
            "列入经营异常名录原因",
            "reason for listing",
            FieldType.TEXT,
            required=True,
            max_length=2000,
        ),
        _f(
            "removal_date",
            "移出经营异常名录日期",
            "date removed from the list (not shown publicly from that day)",
            FieldType.DATE,
            role=FieldRole.ENDED_ON,
        ),
        _f(
            "removal_reason",
            "移出原因",
            "reason for removal",
            FieldType.TEXT,
            max_length=2000,
            role=FieldRole.END_REASON,
        ),
        _f(
            "removal_authority",
            "作出移出决定机关",
            "authority that decided the removal",
            max_length=200,
        ),
        _revocation_field(),
        *_source_fields(),
    ),
    legal_basis=(
        f"{REGULATIONS} Art. 18(2), Art. 21(2), Art. 24; {NATIONAL_CATALOG}: "
        "经营（活动）异常名录（状态）信息; 《企业信息公示暂行条例》; "
        "《企业经营异常名录管理暂行办法》"
    ),
    description_zh="市场监督管理部门将企业列入、移出经营异常名录的信息。",
    description_en=(
        "Enterprises placed on, and removed from, the abnormal operation list by the market "
        "regulation department."
    ),
)

# Public: the Tax Collection Law requires periodic public announcement of tax arrears
# (Art. 45 para 3), for enterprises, individual businesses and individuals alike; document
# numbers of natural persons are masked in public output.
TAX_ARREARS: Final = ItemSpec(
    code="tax_arrears",
    name_zh="欠缴税款信息",
    name_en="tax arrears",
    scope_category=3,
    subject_kinds=ALL_KINDS,
    polarity=Polarity.NEGATIVE,
    disclosure_class=DisclosureClass.PUBLIC,
    inquiry_period=PERSON_INQUIRY_PERIOD_CONTINUING,
    publicity=(
        PublicityRule(
            applies_to=ALL_KINDS,
            public="until_ended",
            starts="decision_date",
            ended_by=("conduct_end",),
            citation=(
                "《中华人民共和国税收征收管理法》 Art. 45 para 3 (arrears announced periodically "
                "while they stand); 《欠税公告办法（试行）》; "
                f"{NDRC_ORDER_36} (unperformed obligations follow the sector's rules)"
            ),
        ),
    ),
    fields=(
        *_subject_fields(ALL_KINDS, legal_rep=True),
        *_basis_fields(
            "欠税公告（责令限期缴纳通知书）",
            "arrears announcement or payment order",
            "税务机关",
            "tax authority",
            "date the arrears were paid in full (end of the conduct; empty while unpaid)",
        ),
        _f("tax_type", "欠税税种", "tax type in arrears", required=True, max_length=200),
        _f(
            "arrears_balance",
            "欠税余额（元）",
            "arrears balance, in RMB yuan",
            FieldType.DECIMAL,
            required=True,
        ),
        _f(
            "new_arrears_amount",
            "当期新发生欠税金额（元）",
            "arrears newly arising in the period, in RMB yuan",
            FieldType.DECIMAL,
        ),
        _f("payment_deadline", "税款缴纳期限", "payment deadline", FieldType.DATE),
        _revocation_field(),
        *_source_fields(),
    ),
    legal_basis=(
        f"{REGULATIONS} Art. 18(3), Art. 21(3); {NATIONAL_CATALOG}; "
        "《中华人民共和国税收征收管理法》 Art. 45 para 3 (periodic announcement of arrears); "
        "《欠税公告办法》"
    ),
    description_zh="纳税人超过缴纳期限未缴纳依法应当缴纳的税款的信息。",
    description_en="Taxes due by law that the taxpayer has not paid after the payment deadline.",
)

# Public: employers (organisations only, no employee data) that fail to pay after an order to
# pay are subject to administrative enforcement; this is information about organisations'
# statutory duties, not about persons, so lawful disclosure is proportionate.
SOCIAL_INSURANCE_ARREARS: Final = ItemSpec(
    code="social_insurance_arrears",
    name_zh="欠缴社会保险费信息",
    name_en="social insurance contribution arrears",
    scope_category=3,
    subject_kinds=ENTITY_KINDS,
    polarity=Polarity.NEGATIVE,
    disclosure_class=DisclosureClass.PUBLIC,
    inquiry_period=PERSON_INQUIRY_PERIOD_CONTINUING,
    publicity=(
        PublicityRule(
            applies_to=ENTITY_KINDS,
            public="until_ended",
            starts="decision_date",
            ended_by=("conduct_end",),
            citation=(
                "《中华人民共和国社会保险法》 Art. 63, Art. 86 (order to pay; the arrears stand "
                f"until paid); {NDRC_ORDER_36} (unperformed obligations follow the sector's "
                "rules)"
            ),
        ),
    ),
    fields=(
        *_subject_fields(ENTITY_KINDS, legal_rep=True),
        *_basis_fields(
            "责令限期缴纳（补足）通知书",
            "order to pay",
            "社会保险费征收机构",
            "social insurance collection agency",
            "date the arrears were paid in full (end of the conduct; empty while unpaid)",
        ),
        _f("insurance_type", "险种", "insurance type", required=True, max_length=100),
        _f(
            "arrears_amount",
            "欠缴金额（元）",
            "amount in arrears, in RMB yuan",
            FieldType.DECIMAL,
            required=True,
        ),
        _f("arrears_period_from", "欠缴所属期起", "arrears period from", FieldType.DATE),
        _f("arrears_period_to", "欠缴所属期止", "arrears period to", FieldType.DATE),
        _f("payment_deadline", "限期缴纳期限", "deadline set by the order", FieldType.DATE),
        _revocation_field(),
        *_source_fields(),
    ),
    legal_basis=(
        f"{REGULATIONS} Art. 18(3), Art. 21(2); {NATIONAL_CATALOG}; "
        "《中华人民共和国社会保险法》 Art. 63, Art. 86 (order to pay, late fees, fines)"
    ),
    description_zh="用人单位未按时足额缴纳社会保险费，经责令限期缴纳仍未缴纳的信息。",
    description_en=(
        "Employers that have not paid social insurance contributions in full and on time after "
        "an order to pay."
    ),
)

# Public: the Supreme People's Court publishes the defaulter list to society; document numbers
# are masked in public output (personal=True).
COURT_JUDGMENT_DEFAULTER: Final = ItemSpec(
    code="court_judgment_defaulter",
    name_zh="失信被执行人信息",
    name_en="judgment defaulter (dishonest person subject to enforcement)",
    scope_category=4,
    subject_kinds=ALL_KINDS,
    polarity=Polarity.NEGATIVE,
    disclosure_class=DisclosureClass.PUBLIC,
    inquiry_period=PERSON_INQUIRY_PERIOD_CONTINUING,
    publicity=(
        PublicityRule(
            applies_to=ALL_KINDS,
            public="until_ended",
            starts="decision_date",
            ended_by=("ended_on", "conduct_end"),
            removal_ends_inquiries=True,
            citation=(
                "《最高人民法院关于公布失信被执行人名单信息的若干规定》 (法释〔2013〕17号, "
                "amended 2017-01-16) Art. 2 (a listing period of 2 years where one is set, "
                "extendable by 1-3 years), Art. 10 (the court deletes the information within "
                "3 working days once the obligations are performed, and when the period ends)"
            ),
        ),
    ),
    fields=(
        *_subject_fields(ALL_KINDS, legal_rep=True),
        _f(
            "case_number",
            "执行案号",
            "enforcement case number",
            required=True,
            max_length=128,
            role=FieldRole.BASIS_NUMBER,
        ),
        _f(
            "enforcement_court",
            "执行法院",
            "enforcement court",
            required=True,
            max_length=200,
            role=FieldRole.BASIS_ISSUER,
        ),
        _f(
            "enforcement_court_uscc",
            "执行法院统一社会信用代码",
            "enforcement court USCC",
            FieldType.USCC,
            max_length=18,
            role=FieldRole.BASIS_ISSUER_USCC,
        ),
        _f(
            "enforcement_basis_number",
            "执行依据文号",
            "enforcement basis (effective legal document) number",
            required=True,
            max_length=128,
        ),
        _f(
            "enforcement_basis_issuer",
            "做出执行依据单位",
            "body that made the enforcement basis",
            required=True,
            max_length=200,
        ),
        _f(
            "obligations",
            "生效法律文书确定的义务",
            "obligations set by the effective document",
            FieldType.TEXT,
            required=True,
            max_length=4000,
        ),
        _f(
            "performance_status",
            "被执行人的履行情况",
            "performance status (e.g. wholly unperformed, partly performed)",
            required=True,
            max_length=100,
        ),
        _f(
            "dishonest_conduct",
            "失信被执行人行为具体情形",
            "specific dishonest conduct",
            FieldType.TEXT,
            required=True,
            max_length=2000,
        ),
        _f(
            "filing_date",
            "立案时间",
            "date the enforcement case was filed",
            FieldType.DATE,
            required=True,
        ),
        _f(
            "publication_date",
            "发布时间",
            "date published on the defaulter list",
            FieldType.DATE,
            required=True,
            role=FieldRole.BASIS_DECISION_DATE,
        ),
        _f(
            "effective_date",
            "纳入决定生效日期",
            "date the listing decision took effect (empty: the publication date)",
            FieldType.DATE,
            role=FieldRole.BASIS_EFFECTIVE_DATE,
        ),
        _f(
            "listing_end_date",
            "名单有效期至（删除日期）",
            "end of the listing period or date of deletion from the list (not shown from that day)",
            FieldType.DATE,
            role=FieldRole.ENDED_ON,
        ),
        _f(
            "deletion_reason",
            "删除原因",
            "reason for deletion (e.g. obligations performed, period ended)",
            max_length=500,
            role=FieldRole.END_REASON,
        ),
        _revocation_field(),
        _f(
            "conduct_end_date",
            "义务履行完毕日期",
            "date the obligations were performed (end of the conduct; empty while unperformed)",
            FieldType.DATE,
            role=FieldRole.CONDUCT_END_DATE,
        ),
        *_source_fields(),
    ),
    legal_basis=(
        f"{REGULATIONS} Art. 18(4), Art. 21(1); {NATIONAL_CATALOG}: 司法裁判及执行信息; "
        "《最高人民法院关于公布失信被执行人名单信息的若干规定》"
    ),
    description_zh="人民法院依法纳入失信被执行人名单并向社会公布的被执行人信息。",
    description_en=(
        "Persons and organisations that the people's courts have placed on the published list "
        "of dishonest persons subject to enforcement."
    ),
)

# Public: these are administrative decisions (refusal or revocation of a licence, penalties)
# published like penalties; document numbers masked.
FALSE_MATERIALS: Final = ItemSpec(
    code="false_materials",
    name_zh="提供虚假材料、隐瞒真实情况信息",
    name_en="false materials or concealment of facts",
    scope_category=5,
    subject_kinds=ALL_KINDS,
    polarity=Polarity.NEGATIVE,
    disclosure_class=DisclosureClass.PUBLIC,
    severity_classes=RESTORATION_SEVERITY_CLASSES,
    default_severity=Severity.GENERAL,
    inquiry_period=PERSON_INQUIRY_PERIOD,
    publicity=_severity_rule(ALL_KINDS),
    fields=(
        *_subject_fields(ALL_KINDS, legal_rep=True),
        _severity_field(),
        _revocation_field(),
        *_basis_fields(
            "处理决定书",
            "handling decision",
            "作出决定机关",
            "deciding authority",
            "date the conduct ended (empty: the decision's effective date is used "
            "provisionally, D-6)",
        ),
        _f(
            "matter",
            "涉及事项",
            "administrative matter or service concerned",
            required=True,
            max_length=500,
        ),
        _f(
            "conduct_description",
            "提供虚假材料、隐瞒真实情况的具体情形",
            "what was falsified or concealed",
            FieldType.TEXT,
            required=True,
            max_length=4000,
        ),
        _f(
            "handling_result",
            "处理结果",
            "handling result (e.g. application refused, licence revoked, warning, fine)",
            FieldType.TEXT,
            required=True,
            max_length=2000,
        ),
        _f(
            "reapplication_barred_until",
            "不得再次申请截止日期",
            "date until which a new application is barred",
            FieldType.DATE,
        ),
        *_source_fields(),
    ),
    legal_basis=(
        f"{REGULATIONS} Art. 18(5), Art. 21(2); {NATIONAL_CATALOG}; "
        "《中华人民共和国行政许可法》 Art. 78, Art. 79; 《中华人民共和国行政处罚法》 Art. 48"
    ),
    description_zh="提供虚假材料、隐瞒事实真相，损害社会管理秩序和社会公共利益，经有权机关依法认定的信息。",
    description_en=(
        "Findings by a competent authority that a subject provided false materials or concealed "
        "facts, harming public order or the public interest."
    ),
)

# Public: commendations are announced publicly by the awarding body.
COMMENDATION: Final = ItemSpec(
    code="commendation",
    name_zh="表彰奖励信息",
    name_en="commendation or award",
    scope_category=7,
    subject_kinds=ALL_KINDS,
    polarity=Polarity.POSITIVE,
    disclosure_class=DisclosureClass.PUBLIC,
    fields=(
        *_subject_fields(ALL_KINDS),
        _f(
            "honour_name",
            "荣誉（奖励）名称",
            "name of the honour or award",
            required=True,
            max_length=200,
        ),
        _f(
            "honour_level",
            "表彰级别",
            "level (national, provincial, municipal, district)",
            max_length=50,
        ),
        _f(
            "award_document_number",
            "表彰文件文号",
            "award document number",
            max_length=128,
            role=FieldRole.BASIS_NUMBER,
        ),
        _f(
            "awarding_body",
            "授予单位",
            "awarding body",
            required=True,
            max_length=200,
            role=FieldRole.BASIS_ISSUER,
        ),
        _f(
            "awarding_body_uscc",
            "授予单位统一社会信用代码",
            "awarding body USCC",
            FieldType.USCC,
            max_length=18,
            role=FieldRole.BASIS_ISSUER_USCC,
        ),
        _f(
            "award_date",
            "授予日期",
            "award date",
            FieldType.DATE,
            required=True,
            role=FieldRole.BASIS_DECISION_DATE,
        ),
        _f(
            "valid_to",
            "有效期至",
            "valid to (empty: no expiry)",
            FieldType.DATE,
            role=FieldRole.VALID_TO,
        ),
        *_source_fields(),
    ),
    legal_basis=f"{REGULATIONS} Art. 18(7); {NATIONAL_CATALOG}",
    description_zh="信用主体获得各级人民政府及其部门表彰奖励的信息。",
    description_en=(
        "Commendations and awards granted to a subject by people's governments and their "
        "departments."
    ),
)

NATIONAL_BASIC: Final = CatalogSpec(
    code="national_basic",
    name_zh="全国公共信用信息基础目录",
    name_en="National Basic Catalog of Public Credit Information",
    # 2024.2: publicity periods per kind of subject, severity, end and revocation dates
    # (issue 14); a published version is never edited (Art. 17).
    version="2024.2",
    effective_from=date(2024, 1, 1),
    legal_basis=f"{NATIONAL_CATALOG}; {REGULATIONS} Art. 16",
    items=(
        REGISTRATION_INFO,
        ADMIN_PENALTY,
        ADMIN_LICENCE,
        ADMIN_INSPECTION,
        ABNORMAL_OPERATION_LIST,
        TAX_ARREARS,
        SOCIAL_INSURANCE_ARREARS,
        COURT_JUDGMENT_DEFAULTER,
        FALSE_MATERIALS,
        COMMENDATION,
    ),
)

# --------------------------------------------------------------------------------------------
# City supplemental catalog (Art. 17-18)
# --------------------------------------------------------------------------------------------

# Pledges are split in two: polarity is per item, and a breach is untrustworthiness information
# that needs an Art. 21 basis document and the Art. 43 period, which a neutral "performance
# record" would escape. ``pledge_made`` records the pledge and its neutral status;
# ``pledge_breach`` records a determined breach.

# Authorized: pledges of natural persons are personal; no rule requires publishing them.
PLEDGE_MADE: Final = ItemSpec(
    code="pledge_made",
    name_zh="信用承诺信息",
    name_en="credit pledge",
    scope_category=6,
    subject_kinds=ALL_KINDS,
    polarity=Polarity.NEUTRAL,
    disclosure_class=DisclosureClass.AUTHORIZED,
    fields=(
        *_subject_fields(ALL_KINDS),
        _f(
            "pledge_type",
            "承诺类型",
            "pledge type (e.g. notification-and-commitment approval, credit restoration, "
            "voluntary)",
            max_length=100,
        ),
        _f(
            "pledge_matter", "承诺事项", "matter the pledge concerns", required=True, max_length=500
        ),
        _f("pledge_content", "承诺内容", "pledge content", FieldType.TEXT, max_length=4000),
        _f(
            "pledge_number",
            "承诺书编号",
            "pledge document number",
            max_length=128,
            role=FieldRole.BASIS_NUMBER,
        ),
        _f(
            "pledge_date",
            "承诺日期",
            "date the pledge was made",
            FieldType.DATE,
            required=True,
            role=FieldRole.BASIS_DECISION_DATE,
        ),
        _f(
            "accepting_unit",
            "承诺受理单位",
            "unit that accepted the pledge",
            required=True,
            max_length=200,
        ),
        _f(
            "valid_from",
            "承诺有效期自",
            "pledge valid from",
            FieldType.DATE,
            role=FieldRole.VALID_FROM,
        ),
        _f("valid_to", "承诺有效期至", "pledge valid to", FieldType.DATE, role=FieldRole.VALID_TO),
        # A breach closes the pledge ("已终止") and is recorded as a pledge_breach record.
        _f(
            "fulfilment_status",
            "履约状态",
            "fulfilment status (in progress, fulfilled, closed)",
            FieldType.ENUM,
            required=True,
            choices=("履行中", "已履行", "已终止"),
        ),
        *_source_fields(),
    ),
    legal_basis=(
        f"{REGULATIONS} Art. 18(6), Art. 26; "
        "《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》"
    ),
    description_zh="信用主体在行政管理和公共服务中作出的信用承诺及其履约状态信息。",
    description_en=(
        "Credit pledges made by subjects in administrative management or public services and "
        "their fulfilment status."
    ),
)

# Authorized: the sanction for a breach (licence revoked, penalty) is published through its own
# item; the breach record itself often concerns natural persons.
PLEDGE_BREACH: Final = ItemSpec(
    code="pledge_breach",
    name_zh="违背信用承诺信息",
    name_en="breach of a credit pledge",
    scope_category=6,
    subject_kinds=ALL_KINDS,
    polarity=Polarity.NEGATIVE,
    disclosure_class=DisclosureClass.AUTHORIZED,
    severity_classes=RESTORATION_SEVERITY_CLASSES,
    default_severity=Severity.GENERAL,
    inquiry_period=PERSON_INQUIRY_PERIOD,
    publicity=_severity_rule(ALL_KINDS),
    fields=(
        *_subject_fields(ALL_KINDS, legal_rep=True),
        _severity_field(),
        _revocation_field(),
        *_basis_fields(
            "违诺认定（处理）决定书",
            "breach determination",
            "作出认定机关",
            "determining authority",
            "date the breach ended (e.g. corrected; empty: the determination's effective date "
            "is used provisionally, D-6)",
        ),
        _f(
            "pledge_matter",
            "承诺事项",
            "matter the pledge concerned",
            required=True,
            max_length=500,
        ),
        _f("pledge_date", "承诺日期", "date the pledge was made", FieldType.DATE),
        _f(
            "breach_description",
            "违诺情形",
            "how the pledge was breached",
            FieldType.TEXT,
            required=True,
            max_length=4000,
        ),
        _f("handling_result", "处理结果", "handling result", FieldType.TEXT, max_length=2000),
        *_source_fields(),
    ),
    legal_basis=(
        f"{REGULATIONS} Art. 18(6), Art. 21 (not fulfilling pledges); "
        "《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》"
    ),
    description_zh="信用主体违背在行政管理和公共服务中作出的信用承诺，经有权机关认定的信息。",
    description_en=(
        "Breaches of credit pledges made in administrative management or public services, as "
        "determined by a competent authority."
    ),
)

# Authorized: volunteers are natural persons and their records are personal information.
VOLUNTEERING: Final = ItemSpec(
    code="volunteering",
    name_zh="志愿服务信息",
    name_en="volunteer service",
    scope_category=7,
    subject_kinds=(SubjectKind.PERSON,),
    polarity=Polarity.POSITIVE,
    disclosure_class=DisclosureClass.AUTHORIZED,
    fields=(
        *_subject_fields((SubjectKind.PERSON,)),
        _f("volunteer_number", "志愿者编号", "volunteer registration number", max_length=64),
        _f(
            "record_number",
            "志愿服务记录证明编号",
            "volunteer service record certificate number",
            max_length=128,
            role=FieldRole.BASIS_NUMBER,
        ),
        _f(
            "service_organisation",
            "志愿服务组织",
            "volunteer service organisation",
            required=True,
            max_length=200,
            role=FieldRole.BASIS_ISSUER,
        ),
        _f(
            "service_organisation_uscc",
            "志愿服务组织统一社会信用代码",
            "volunteer service organisation USCC",
            FieldType.USCC,
            max_length=18,
            role=FieldRole.BASIS_ISSUER_USCC,
        ),
        _f(
            "service_hours",
            "志愿服务时长（小时）",
            "volunteer service hours",
            FieldType.DECIMAL,
            required=True,
        ),
        _f("service_from", "服务期间自", "service period from", FieldType.DATE),
        _f("service_to", "服务期间至", "service period to", FieldType.DATE),
        _f(
            "record_date",
            "记录日期",
            "date recorded",
            FieldType.DATE,
            required=True,
            role=FieldRole.BASIS_DECISION_DATE,
        ),
        *_source_fields(),
    ),
    legal_basis=f"{REGULATIONS} Art. 18(7); 《志愿服务条例》 Art. 19 (volunteer service records)",
    description_zh="自然人参加志愿服务的时长等记录信息。",
    description_en="Records of natural persons' volunteer service, such as service hours.",
)

# Authorized: donors, natural persons especially, may ask not to be named (Charity Law).
CHARITY_DONATION: Final = ItemSpec(
    code="charity_donation",
    name_zh="慈善捐赠信息",
    name_en="charitable donation",
    scope_category=7,
    subject_kinds=ALL_KINDS,
    polarity=Polarity.POSITIVE,
    disclosure_class=DisclosureClass.AUTHORIZED,
    fields=(
        *_subject_fields(ALL_KINDS),
        _f(
            "recipient",
            "受赠单位",
            "recipient organisation",
            required=True,
            max_length=200,
            role=FieldRole.BASIS_ISSUER,
        ),
        _f(
            "recipient_uscc",
            "受赠单位统一社会信用代码",
            "recipient organisation USCC",
            FieldType.USCC,
            max_length=18,
            role=FieldRole.BASIS_ISSUER_USCC,
        ),
        _f(
            "receipt_number",
            "捐赠票据号码",
            "donation receipt number",
            max_length=128,
            role=FieldRole.BASIS_NUMBER,
        ),
        _f(
            "donation_date",
            "捐赠日期",
            "donation date",
            FieldType.DATE,
            required=True,
            role=FieldRole.BASIS_DECISION_DATE,
        ),
        _f("donation_form", "捐赠形式", "form of donation (money, goods, other)", max_length=50),
        _f(
            "amount",
            "捐赠金额（元）",
            "amount or value, in RMB yuan",
            FieldType.DECIMAL,
            required=True,
        ),
        _f("purpose", "捐赠用途", "purpose", max_length=500),
        *_source_fields(),
    ),
    legal_basis=f"{REGULATIONS} Art. 18(7); 《中华人民共和国慈善法》",
    description_zh="信用主体向慈善组织等依法捐赠的信息。",
    description_en="Lawful donations made by a subject to charitable organisations.",
)

# Public: conduct of government bodies in their official capacity, no personal data; the
# Regulations set up government-integrity monitoring and accountability (Art. 8-10).
CQ_GOVERNMENT_PLEDGE_BREACH: Final = ItemSpec(
    code="cq_government_pledge_breach",
    name_zh="政务失信信息",
    name_en="government untrustworthiness (broken pledge or contract)",
    scope_category=8,
    subject_kinds=(SubjectKind.LEGAL_PERSON,),
    polarity=Polarity.NEGATIVE,
    disclosure_class=DisclosureClass.PUBLIC,
    severity_classes=RESTORATION_SEVERITY_CLASSES,
    default_severity=Severity.GENERAL,
    inquiry_period=PERSON_INQUIRY_PERIOD_CONTINUING,
    publicity=_severity_rule((SubjectKind.LEGAL_PERSON,)),
    fields=(
        _f(
            "subject_name",
            "政府机关名称",
            "name of the government body",
            required=True,
            max_length=200,
            role=FieldRole.SUBJECT_NAME,
        ),
        _f(
            "subject_category",
            "主体类别",
            "subject category",
            FieldType.ENUM,
            choices=(CAT_ORGANISATION,),
            role=FieldRole.SUBJECT_CATEGORY,
        ),
        _f(
            "uscc",
            "统一社会信用代码",
            "Unified Social Credit Code (organs: 11...)",
            FieldType.USCC,
            required=True,
            max_length=18,
            role=FieldRole.SUBJECT_USCC,
        ),
        *_basis_fields(
            "认定文书",
            "determination document",
            "作出认定机关",
            "determining authority or court",
            "date the breach was remedied (end of the conduct; empty while continuing)",
        ),
        _f(
            "breach_type",
            "失信类型",
            "type of breach",
            FieldType.ENUM,
            required=True,
            choices=("违背政策承诺", "违约毁约", "拒不履行生效法律文书"),
        ),
        _f(
            "key_area",
            "领域",
            "area (Art. 9)",
            FieldType.ENUM,
            choices=(
                "政府采购",
                "政府和社会资本合作",
                "招标投标",
                "招商引资",
                "地方政府债务",
                "其他",
            ),
        ),
        _f(
            "pledge_or_contract",
            "承诺或合同名称",
            "pledge or contract concerned",
            required=True,
            max_length=500,
        ),
        _f(
            "breach_description",
            "失信情形",
            "how the pledge or contract was broken",
            FieldType.TEXT,
            required=True,
            max_length=4000,
        ),
        _f(
            "accountability_case",
            "责任追究案件编号",
            "accountability case number (Art. 8)",
            max_length=128,
        ),
        _severity_field(),
        _revocation_field(),
        *_source_fields(),
    ),
    legal_basis=(
        f"{REGULATIONS} Art. 8-9, Art. 18(8) (a city local regulation setting the "
        "government-integrity record)"
    ),
    description_zh="各级人民政府及其有关部门违背依法作出的政策承诺、不履行依法订立的合同的信息。",
    description_en=(
        "Government bodies that broke policy pledges lawfully made or did not perform contracts "
        "lawfully signed."
    ),
)

CQ_SUPPLEMENT: Final = CatalogSpec(
    code="cq_supplement",
    name_zh="重庆市公共信用信息补充目录",
    name_en="Chongqing Supplemental Catalog of Public Credit Information",
    version="2021.2",
    effective_from=date(2021, 7, 1),
    legal_basis=(
        f"{REGULATIONS} Art. 17 (compiled by the municipal development and reform department, "
        "approved by the municipal people's government), Art. 18"
    ),
    items=(
        PLEDGE_MADE,
        PLEDGE_BREACH,
        VOLUNTEERING,
        CHARITY_DONATION,
        CQ_GOVERNMENT_PLEDGE_BREACH,
    ),
)

SEED_CATALOGS: Final[tuple[CatalogSpec, ...]] = (NATIONAL_BASIC, CQ_SUPPLEMENT)
