"""The shape of a catalog item (Art. 16-18), validated before anything is stored.

Seed data, the catalog API and (later) the Art. 17 change-proposal workflow all describe items
with these models, so one set of rules guards every way an item can enter the platform.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pcip.kernel import vocabulary
from pcip.kernel.enums import DisclosureClass, InfoClass, Polarity, Severity, SubjectKind

ItemCode = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")]

#: Art. 18: the eight scope categories of the supplemental catalog, ``n -> (zh, en)``; their
#: words are in the one vocabulary (``pcip.kernel.vocabulary``, kind ``scope_category``).
SCOPE_CATEGORIES: dict[int, tuple[str, str]] = {
    int(n): vocabulary.both("scope_category", n) for n in vocabulary.codes("scope_category")
}


#: The words units use for the three severity classes (docs/facts.md#publicity-periods), as stored
#: in a record's severity field; codes and other spellings are read as these words
#: (FieldSpec.codes).
SEVERITY_WORDS: dict[str, Severity] = {
    "轻微": Severity.MINOR,
    "一般": Severity.GENERAL,
    "严重": Severity.SERIOUS,
}


#: A Chinese gloss inside an English label of the seeded catalogs: a parenthesised Chinese term
#: after the English that says it ("in units of 10,000 RMB (万元)"), or a Chinese word just
#: before its English ("轻微 minor"). Nothing else Chinese counts as a gloss.
_GLOSS = re.compile(r"\s*[(（]\s*[\u3400-\u9fff]+\s*[)）]|[\u3400-\u9fff]+\s+(?=[A-Za-z])")
#: A note for the providing units' systems inside a label: a bracketed remark naming a
#: column of the double-publicity layout ("(version-1 files have none: then the authority is
#: named by CF_CFJG only)"). A page shows the label without it; the column names are for the
#: file layout (docs/providers.md), not for a person reading a record.
_COLUMN_NOTE = re.compile(r"\s*[(（][^()（）]*\b(?:CF|XK)_[A-Z_]+\b[^()（）]*[)）]")


def without_glosses(label_en: str) -> str:
    """An English label as an English page shows it: without the Chinese glosses.

    The seeded catalogs' English labels quote some Chinese terms beside their English
    ("severity (轻微 minor / 一般 general / 严重 serious; ...)", "fine amount, in units of 10,000
    RMB (万元)"). The English next to each gloss already says it, the Chinese label says it in
    Chinese, and an enumerated value is shown in the page's language (``CHOICE_KINDS``), so an
    English page drops the gloss (issue 19.3). The published versions are not edited (Art. 17:
    a version never changes); the label is read, never rewritten. A bracketed note naming a
    file column (``_COLUMN_NOTE``) is left out the same way."""
    return _COLUMN_NOTE.sub("", _GLOSS.sub("", label_en))


#: Enumerated fields whose stored values have words in both languages in the one vocabulary
#: (``pcip.kernel.vocabulary``): field name -> vocabulary kind. A page shows such a value in
#: its own language; any other value is data, shown as the unit sent it (issue 19.3).
CHOICE_KINDS: dict[str, str] = {"severity": "severity", "breach_type": "breach_type"}


class FieldType(StrEnum):
    STRING = "string"
    TEXT = "text"
    DATE = "date"
    DECIMAL = "decimal"
    INTEGER = "integer"
    ENUM = "enum"
    CITIZEN_ID = "citizen_id"
    USCC = "uscc"


class FieldRole(StrEnum):
    """What a field means to the platform, so ingestion is generic over layouts."""

    SUBJECT_NAME = "subject.name"
    SUBJECT_CATEGORY = "subject.category"  # e.g. CF_XDR_LB
    SUBJECT_USCC = "subject.uscc"
    SUBJECT_LEGACY_CODE = "subject.legacy_code"  # registration number etc. (individual business)
    SUBJECT_DOC_TYPE = "subject.document_type"
    SUBJECT_DOC_NUMBER = "subject.document_number"
    SUBJECT_DOC_COUNTRY = "subject.document_country"
    LEGAL_REP_NAME = "legal_rep.name"
    LEGAL_REP_DOC_TYPE = "legal_rep.document_type"
    LEGAL_REP_DOC_NUMBER = "legal_rep.document_number"
    BASIS_NUMBER = "basis.number"
    BASIS_TITLE = "basis.title"
    BASIS_ISSUER = "basis.issuer"
    BASIS_ISSUER_USCC = "basis.issuer_uscc"
    BASIS_DECISION_DATE = "basis.decision_date"
    BASIS_EFFECTIVE_DATE = "basis.effective_date"
    CONDUCT_END_DATE = "conduct_end_date"
    VALID_FROM = "valid_from"
    VALID_TO = "valid_to"
    PUBLICITY_END = "publicity_end"
    SEVERITY = "severity"
    #: The unit's own end of the listing or record: removal from a list, deletion from the
    #: defaulter list, end of the listing period (docs/facts.md#publicity-periods: ends public
    #: disclosure that day).
    ENDED_ON = "ended_on"
    END_REASON = "end_reason"
    #: The unit revoked the record (or its basis decision): shown to no one from that day.
    REVOKED_ON = "revoked_on"
    #: A natural person's birth date as the unit sends it (persons without a citizen ID, Art. 3).
    SUBJECT_BIRTH_DATE = "subject.birth_date"
    SOURCE_UNIT = "source.name"
    SOURCE_UNIT_USCC = "source.uscc"


class FieldSpec(BaseModel):
    """One field of an item's record layout (Art. 23: fields outside the schema are dropped)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,63}$")]
    label_zh: str
    label_en: str
    type: FieldType = FieldType.STRING
    required: bool = False
    max_length: int | None = Field(default=None, ge=1)
    choices: tuple[str, ...] | None = None
    role: FieldRole | None = None
    #: Public output masks this field (e.g. a natural person's document number).
    personal: bool = False
    #: Codes and other spellings units send for a value, read as the word stored and shown
    #: (e.g. "01" -> "普通" for XK_XKLB, "3" -> "严重" for a severity).
    codes: dict[str, str] | None = None

    def label(self, locale: str) -> str:
        """The field's label in ``locale`` (Chinese, else English without glosses)."""
        return self.label_zh if locale.startswith("zh") else without_glosses(self.label_en)

    def worded(self, value: object) -> bool:
        """Whether the vocabulary words this field's ``value`` (``CHOICE_KINDS``)."""
        kind = CHOICE_KINDS.get(self.name)
        return kind is not None and vocabulary.has(kind, value)

    def value_words(self, value: object, locale: str) -> str:
        """A stored value in ``locale`` where the vocabulary words it, else as stored."""
        if not self.worded(value):
            return "" if value is None else str(value)
        return vocabulary.word(CHOICE_KINDS[self.name], value, locale)

    @model_validator(mode="after")
    def _enum_has_choices(self) -> FieldSpec:
        if self.type is FieldType.ENUM and not self.choices:
            raise ValueError(f"field {self.name}: an enum field needs choices")
        if self.codes and self.choices:
            wrong = sorted(v for v in self.codes.values() if v not in self.choices)
            if wrong:
                raise ValueError(f"field {self.name}: codes name values not in choices: {wrong}")
        return self


class SeverityClass(BaseModel):
    """A severity class with its publicity period (docs/facts.md#publicity-periods; Art. 43-45)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    severity: Severity
    #: Restoration may be requested only after this many months (0: unpublished / at once).
    min_months: int = Field(ge=0, le=120)
    #: Publication stops automatically after this many months, with no application.
    max_months: int = Field(ge=0, le=120)
    citation: str = Field(min_length=3)
    #: Not published unless the unit sets a publicity end (CF_GSJZQ); then at most
    #: ``max_months`` (docs/facts.md#publicity-periods: minor information "may stay unpublished; at
    #: most 3 months").
    unpublished_by_default: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> SeverityClass:
        if self.max_months < self.min_months:
            raise ValueError(f"{self.severity}: max_months is shorter than min_months")
        return self


class InquiryPeriod(BaseModel):
    """Art. 43: how long untrustworthiness information may be queried."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    years: int | None = Field(default=None, ge=1, le=100)  # None: not limited
    starts: Literal["conduct_end", "decision_date", "effective_date"] = "conduct_end"
    applies_to: tuple[SubjectKind, ...] = (SubjectKind.PERSON,)
    citation: str = Field(min_length=3)
    #: What an empty end date of the conduct means: "unknown" (counted provisionally from the
    #: decision, D-6) or "continuing" (e.g. arrears "while unpaid": no expiry until the unit
    #: sends the end, Art. 43).
    open_means: Literal["unknown", "continuing"] = "unknown"


#: Dates a unit sends that end public disclosure (PublicityRule.ended_by).
EndDate = Literal["publicity_end", "ended_on", "conduct_end"]


class PublicityRule(BaseModel):
    """How long an item's negative records are publicly disclosed, for some kinds of subject,
    what ends that early, and what authorities may still see afterwards
    (docs/facts.md#publicity-periods, D-6).

    ``public``: ``severity`` - the maximum period of the record's severity class (``severity``
    field of the record, else the item's ``default_severity``), counted from ``starts``;
    ``until_ended`` - from ``starts`` until a date in ``ended_by`` (no maximum: the listing or
    the arrears continue until the unit ends them).
    ``ended_by``: the unit's own dates that end public disclosure: ``publicity_end`` (the last
    day of publicity, e.g. CF_GSJZQ), ``ended_on`` (removal, deletion, end of listing: not
    shown from that day), ``conduct_end`` (e.g. arrears paid: not shown from that day).
    ``removal_ends_inquiries``: the item's own rule treats ``ended_on`` as restoration or
    deletion, so authority-based and authorized inquiries stop that day too; otherwise they
    still see the record (persons within the Art. 43 period).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    applies_to: tuple[SubjectKind, ...] = Field(min_length=1)
    public: Literal["severity", "until_ended"]
    starts: Literal["decision_date", "effective_date"] = "decision_date"
    ended_by: tuple[EndDate, ...] = ("publicity_end",)
    removal_ends_inquiries: bool = False
    #: The national rule in force the period comes from, with its version.
    citation: str = Field(min_length=3)


class ItemSpec(BaseModel):
    """A catalog item (Art. 16-18, 56) as proposed, seeded or published."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: ItemCode
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    scope_category: int = Field(ge=1, le=8)
    subject_kinds: tuple[SubjectKind, ...] = Field(min_length=1)
    polarity: Polarity
    info_class: InfoClass = InfoClass.PUBLIC
    disclosure_class: DisclosureClass
    severity_classes: tuple[SeverityClass, ...] = ()
    #: The severity assumed when a unit sends none (docs/facts.md#publicity-periods; Art. 43-45).
    default_severity: Severity | None = None
    inquiry_period: InquiryPeriod | None = None
    #: Publicity periods of negative records, one rule per kind of subject
    #: (docs/facts.md#publicity-periods, D-6).
    publicity: tuple[PublicityRule, ...] = ()
    fields: tuple[FieldSpec, ...] = Field(min_length=1)
    legal_basis: str = Field(min_length=3)
    #: Import layout this item accepts as-is ("cf" penalty, "xk" licence;
    #: docs/facts.md#double-publicity).
    layout: Literal["cf", "xk"] | None = None
    description_zh: str = ""
    description_en: str = ""

    @model_validator(mode="after")
    def _rules(self) -> ItemSpec:
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError(f"item {self.code}: duplicate field names")
        # Art. 18(8): a category-8 item must cite the city local regulation that sets it.
        if (
            self.scope_category == 8
            and "条例" not in self.legal_basis
            and ("regulation" not in self.legal_basis.lower())
        ):
            raise ValueError(f"item {self.code}: category 8 needs a local-regulation citation")
        # Art. 21 and 43: negative items carry a basis document and an inquiry period rule.
        roles = [f.role for f in self.fields if f.role is not None]
        if len(set(roles)) != len(roles):
            raise ValueError(f"item {self.code}: a field role appears twice")
        if self.severity_classes and self.polarity is not Polarity.NEGATIVE:
            raise ValueError(f"item {self.code}: severity classes apply to negative items only")
        if self.polarity is Polarity.NEGATIVE:
            basis = [f for f in self.fields if f.role is FieldRole.BASIS_NUMBER]
            if not basis or not basis[0].required:
                raise ValueError(
                    f"item {self.code}: negative items need a required basis.number field"
                )
            if self.inquiry_period is None:
                raise ValueError(f"item {self.code}: negative items need an inquiry period rule")
            covered = [k for r in self.publicity for k in r.applies_to]
            if sorted(covered) != sorted(self.subject_kinds):
                raise ValueError(
                    f"item {self.code}: negative items need one publicity rule for each kind "
                    "of subject they apply to"
                )
            if any(r.public == "severity" for r in self.publicity) and not self.severity_classes:
                raise ValueError(f"item {self.code}: severity periods need severity classes")
        if len({s.severity for s in self.severity_classes}) != len(self.severity_classes):
            raise ValueError(f"item {self.code}: a severity class appears twice")
        return self

    def publicity_for(self, kind: SubjectKind) -> PublicityRule | None:
        return next((r for r in self.publicity if kind in r.applies_to), None)


class CatalogSpec(BaseModel):
    """A catalog version with its items."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Literal["national_basic", "cq_supplement"]
    name_zh: str
    name_en: str
    version: str = Field(min_length=1, max_length=32)
    effective_from: date
    legal_basis: str
    items: tuple[ItemSpec, ...]
