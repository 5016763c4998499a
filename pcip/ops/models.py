"""Imports every table so Alembic and ``create_all`` see the whole schema."""

from pcip.assessment.models import AssessmentRun
from pcip.auth.models import Account, AuthSession, Grantee, GranteeKey
from pcip.calendar.models import CalendarYear
from pcip.catalog.models import Catalog, CatalogItem, CatalogVersion
from pcip.complaints.models import (
    Complaint,
    ComplaintEvent,
    ConcernLink,
    LegalCase,
    LegalCaseEvent,
)
from pcip.db import Base
from pcip.establishments.models import (
    CorrectionOrder,
    Establishment,
    Fine,
    OversightOrder,
    SupervisionRecord,
)
from pcip.exchange.models import Change, DeadLetter, Delivery, IntakeBatch, Receiver, Watermark
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
from pcip.measures.models import MeasureApplication, MeasureListVersion, MeasureSuspension
from pcip.objections.models import (
    Correction,
    Evidence,
    Notice,
    Objection,
    ObjectionAlert,
    ObjectionEvent,
    ObjectionRecord,
)
from pcip.pledges.models import CreditPledge, PledgePerformance, SelfDeclaration
from pcip.providers.models import Provider, ProviderItem, ProviderKey
from pcip.records.models import (
    BasisDocument,
    Batch,
    CreditRecord,
    RecordEvent,
    RecordVersion,
    RejectedRow,
)
from pcip.reports.models import CreditReport
from pcip.restoration.models import (
    RestorationAlert,
    RestorationApplication,
    RestorationEvent,
    RestorationProof,
)
from pcip.revocation.models import BasisChange, BasisChangeItem
from pcip.subjects.models import ResponsibleLink, Subject, SubjectName

__all__ = [
    "Account",
    "AccountabilityCase",
    "AssessmentRun",
    "AuditEvent",
    "AuthSession",
    "Authorization",
    "Base",
    "BasisChange",
    "BasisChangeItem",
    "BasisDocument",
    "Batch",
    "CalendarYear",
    "Catalog",
    "CatalogItem",
    "CatalogVersion",
    "Change",
    "ChangeProposal",
    "Complaint",
    "ComplaintEvent",
    "ConcernLink",
    "Correction",
    "CorrectionOrder",
    "CreditPledge",
    "CreditRecord",
    "CreditReport",
    "DeadLetter",
    "Delivery",
    "Designation",
    "DesignationEvent",
    "DesignationPerson",
    "Establishment",
    "Evidence",
    "Fine",
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
    "IntakeBatch",
    "KeyFingerprint",
    "LegalCase",
    "LegalCaseEvent",
    "LegalHold",
    "ListImport",
    "MeasureApplication",
    "MeasureListVersion",
    "MeasureSuspension",
    "Notice",
    "Objection",
    "ObjectionAlert",
    "ObjectionEvent",
    "ObjectionRecord",
    "OversightOrder",
    "PlatformMeta",
    "PledgePerformance",
    "ProposalComment",
    "ProposalEvent",
    "Provider",
    "ProviderItem",
    "ProviderKey",
    "Receiver",
    "RecordEvent",
    "RecordVersion",
    "RejectedRow",
    "ResponsibleLink",
    "RestorationAlert",
    "RestorationApplication",
    "RestorationEvent",
    "RestorationProof",
    "SelfDeclaration",
    "Subject",
    "SubjectName",
    "SupervisionRecord",
    "Watermark",
]
