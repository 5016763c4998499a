"""Imports every table so Alembic and ``create_all`` see the whole schema."""

from pcip.auth.models import Account, AuthSession, Grantee, GranteeKey
from pcip.calendar.models import CalendarYear
from pcip.catalog.models import Catalog, CatalogItem, CatalogVersion
from pcip.db import Base
from pcip.governance.models import (
    ChangeProposal,
    ProposalComment,
    ProposalEvent,
)
from pcip.inquiry.models import (
    Authorization,
    InquiryAlert,
    InquiryLog,
    InquiryScopeGrant,
    LegalHold,
)
from pcip.integrity.models import (
    AccountabilityCase,
    GovBreach,
    GovChange,
    GovCommitment,
    GovCompensation,
    GovEvaluation,
)
from pcip.kernel.audit.models import AuditEvent
from pcip.kernel.keys.models import KeyFingerprint
from pcip.kernel.meta import PlatformMeta
from pcip.lists.models import Designation, DesignationEvent, DesignationPerson, ListImport
from pcip.measures.models import MeasureApplication, MeasureListVersion
from pcip.objections.models import (
    Correction,
    Evidence,
    Notice,
    Objection,
    ObjectionAlert,
    ObjectionEvent,
    ObjectionRecord,
)
from pcip.providers.models import Provider, ProviderItem, ProviderKey
from pcip.records.models import (
    BasisDocument,
    Batch,
    CreditRecord,
    RecordEvent,
    RecordVersion,
    RejectedRow,
)
from pcip.subjects.models import ResponsibleLink, Subject, SubjectName

__all__ = [
    "Account",
    "AccountabilityCase",
    "AuditEvent",
    "AuthSession",
    "Authorization",
    "Base",
    "BasisDocument",
    "Batch",
    "CalendarYear",
    "Catalog",
    "CatalogItem",
    "CatalogVersion",
    "ChangeProposal",
    "Correction",
    "CreditRecord",
    "Designation",
    "DesignationEvent",
    "DesignationPerson",
    "Evidence",
    "GovBreach",
    "GovChange",
    "GovCommitment",
    "GovCompensation",
    "GovEvaluation",
    "Grantee",
    "GranteeKey",
    "InquiryAlert",
    "InquiryLog",
    "InquiryScopeGrant",
    "KeyFingerprint",
    "LegalHold",
    "ListImport",
    "MeasureApplication",
    "MeasureListVersion",
    "Notice",
    "Objection",
    "ObjectionAlert",
    "ObjectionEvent",
    "ObjectionRecord",
    "PlatformMeta",
    "ProposalComment",
    "ProposalEvent",
    "Provider",
    "ProviderItem",
    "ProviderKey",
    "RecordEvent",
    "RecordVersion",
    "RejectedRow",
    "ResponsibleLink",
    "Subject",
    "SubjectName",
]
