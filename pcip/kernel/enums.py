"""Vocabulary shared across the regulation's areas (docs/design.md#words)."""

from __future__ import annotations

from enum import StrEnum


class SubjectKind(StrEnum):
    """Art. 56: natural persons, legal persons and unincorporated organisations."""

    PERSON = "person"
    LEGAL_PERSON = "legal_person"
    ORGANISATION = "organisation"


class IdType(StrEnum):
    """Art. 19: how a subject is identified (and matched)."""

    CITIZEN_ID = "citizen_id"
    USCC = "uscc"
    DOCUMENT = "document"  # passport or other valid document: type + number (+ issuing country)
    #: Individual businesses reported with the all-zero placeholder USCC
    #: (docs/facts.md#identifiers).
    REGISTRATION_NO = "registration_no"


class Polarity(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"  # "untrustworthiness information" (Art. 21, 43)


class InfoClass(StrEnum):
    """Art. 56: public credit information vs market credit information; Art. 26 self-declared."""

    PUBLIC = "public"
    MARKET = "market"
    SELF_DECLARED = "self_declared"


class DisclosureClass(StrEnum):
    """Which Art. 22 inquiry modes may see an item's records (the subject always sees its own).

    ``public``: lawful public disclosure, and every other mode.
    ``authorized``: not public; authority-based and authorized inquiries.
    ``authority``: only authority-based inquiries (e.g. Art. 30 administrative use).
    """

    PUBLIC = "public"
    AUTHORIZED = "authorized"
    AUTHORITY = "authority"


class InquiryMode(StrEnum):
    """Art. 22: the four lawful inquiry modes."""

    PUBLIC_DISCLOSURE = "public_disclosure"
    AUTHORITY = "authority"
    SELF = "self"
    AUTHORIZED = "authorized"


class Severity(StrEnum):
    """Severity classes of untrustworthiness (docs/facts.md#publicity-periods)."""

    MINOR = "minor"
    GENERAL = "general"
    SERIOUS = "serious"


class ResponsibleRole(StrEnum):
    """Art. 33: persons linked to an organisation's untrustworthiness."""

    LEGAL_REPRESENTATIVE = "legal_representative"
    PRINCIPAL = "principal"
    ACTUAL_CONTROLLER = "actual_controller"
    OTHER_DIRECT = "other_direct"


class ActorKind(StrEnum):
    """docs/design.md#actors: who acts."""

    PUBLIC = "public"
    SUBJECT = "subject"
    GRANTEE = "grantee"
    PROVIDER = "provider"
    OPERATOR = "operator"
    DRC = "drc"
    SYSTEM = "system"
