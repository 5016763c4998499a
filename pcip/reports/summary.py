"""What an organisation's public page opens with (Art. 22; issue 19.6): counts per section of
the credit report (the same sections, ``data/sections.yaml``), the badges a reader must see
first, and the records newest first. Computed from the disclosure answer the page shows and the
public lists in force; nothing is stored."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy.orm import Session

from pcip.inquiry.schemas import RecordOut
from pcip.lists import types as list_types
from pcip.lists.public import listed_on_day
from pcip.reports.sections import layout, section_of

#: The sections the summary counts, in the report's order (the rest are counted as "other").
SUMMARY_SECTIONS = ("licences", "penalties", "lists", "anomalies", "honours")


@dataclass(frozen=True)
class SectionCount:
    key: str
    title_zh: str
    title_en: str
    count: int


@dataclass(frozen=True)
class PublicSummary:
    counts: list[SectionCount]
    #: "listed" (on a seriously untrustworthy list in force, Art. 32-33) and "anomaly" (in the
    #: operating anomaly list): what a reader must see before any record.
    badges: list[str]
    #: The records, newest first (by the decision date, else the date received).
    records: list[RecordOut]


def _when(r: RecordOut) -> datetime:
    if r.basis is not None:
        return datetime.combine(r.basis.decision_date, time.min)
    received = r.provenance.received_at or r.provenance.recorded_at
    return received.replace(tzinfo=None)


def public_summary(
    session: Session, subject_id: int, records: list[RecordOut], on: date
) -> PublicSummary:
    by_section = Counter(section_of(r.item_code) for r in records)
    # Listings in force: a serious list (Art. 32) counts under "lists"; an anomaly list (the
    # lists area's "anomaly" kind, e.g. SAIC Order 68) with the operating anomalies.
    for d in listed_on_day(session, subject_id, on):
        by_section["anomalies" if list_types.get(d.list_type).kind == "anomaly" else "lists"] += 1
    titles = {s.key: s for s in layout().sections}
    counts = [
        SectionCount(key, titles[key].title_zh, titles[key].title_en, by_section.get(key, 0))
        for key in SUMMARY_SECTIONS
    ]
    badges = [b for b, key in (("listed", "lists"), ("anomaly", "anomalies")) if by_section[key]]
    ordered = sorted(records, key=lambda r: (_when(r), r.record_id), reverse=True)
    return PublicSummary(counts=counts, badges=badges, records=ordered)
