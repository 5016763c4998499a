"""Imports every table so Alembic and ``create_all`` see the whole schema."""

from pcip.audit.models import AuditEvent
from pcip.catalog.models import Catalog, CatalogItem, CatalogVersion
from pcip.db import Base
from pcip.meta import PlatformMeta
from pcip.providers.models import Provider, ProviderItem
from pcip.records.models import Batch, BasisDocument, CreditRecord, RecordVersion
from pcip.subjects.models import ResponsibleLink, Subject, SubjectName

__all__ = [
    "AuditEvent",
    "BasisDocument",
    "Batch",
    "CreditRecord",
    "RecordVersion",
    "Base",
    "Catalog",
    "CatalogItem",
    "CatalogVersion",
    "PlatformMeta",
    "Provider",
    "ProviderItem",
    "ResponsibleLink",
    "Subject",
    "SubjectName",
]
