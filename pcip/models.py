"""Imports every table so Alembic and ``create_all`` see the whole schema."""

from pcip.audit.models import AuditEvent
from pcip.calendar.models import CalendarYear
from pcip.catalog.models import Catalog, CatalogItem, CatalogVersion
from pcip.db import Base
from pcip.meta import PlatformMeta
from pcip.providers.models import Provider, ProviderItem, ProviderKey
from pcip.records.models import BasisDocument, Batch, CreditRecord, RecordVersion, RejectedRow
from pcip.subjects.models import ResponsibleLink, Subject, SubjectName

__all__ = [
    "AuditEvent",
    "Base",
    "BasisDocument",
    "Batch",
    "CalendarYear",
    "Catalog",
    "CatalogItem",
    "CatalogVersion",
    "CreditRecord",
    "PlatformMeta",
    "Provider",
    "ProviderItem",
    "ProviderKey",
    "RecordVersion",
    "RejectedRow",
    "ResponsibleLink",
    "Subject",
    "SubjectName",
]
