"""A report's content from the inquiry answer in its mode (Art. 29, 22).

The records of a report are the records the inquiry in the same mode returned, in the same
form (``pcip.inquiry.service``: one disclosure rule function, ``pcip.disclosure.rules.decide``,
decides both); this module only sorts them into the report's sections and adds the sections
that are not records: the summary, the lists (``pcip.lists``) and what the subject can do.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pcip.disclosure import rules
from pcip.disclosure.service import held_records
from pcip.kernel.enums import InquiryMode, SubjectKind
from pcip.lists import types as list_types
from pcip.lists.linked import own_listings
from pcip.lists.public import listed_on_day
from pcip.reports import sections
from pcip.reports.sections import ReportContext
from pcip.restoration.service import openings_for
from pcip.subjects.models import Subject

#: Printed with every report (Art. 57).
REGULATION = "Regulations 2021, effective 2021-07-01 (重庆市社会信用条例)"
#: Art. 40-41: the objection steps the "what you can do" section states.
OBJECTION_STEPS = {
    "label_wd": 1,
    "decide_wd": 5,
    "article": "Art. 40-42",
}


def build_sections(ctx: ReportContext) -> list[dict[str, Any]]:
    """Every section in the file's order: records by item code, or a provider's entries."""
    out: list[dict[str, Any]] = []
    for spec in sections.layout().sections:
        if spec.provider is not None:
            fill = sections.provider(spec.provider)
            entries = fill(ctx) if fill is not None else []
            indexes: list[int] = []
        else:
            entries = []
            indexes = [
                i
                for i, r in enumerate(ctx.records)
                if sections.section_of(str(r["item_code"])) == spec.key
            ]
        out.append(
            {
                "key": spec.key,
                "title_zh": spec.title_zh,
                "title_en": spec.title_en,
                "records": indexes,
                "entries": entries,
                "empty": not indexes and not entries,
            }
        )
    return out


# --- the providers of this package ----------------------------------------------------------


def _summary(ctx: ReportContext) -> list[dict[str, Any]]:
    """Counts per record section (the summary never counts itself)."""
    out = []
    for spec in sections.layout().sections:
        if spec.provider is not None:
            continue
        n = sum(1 for r in ctx.records if sections.section_of(str(r["item_code"])) == spec.key)
        out.append(
            {"section": spec.key, "title_zh": spec.title_zh, "title_en": spec.title_en, "count": n}
        )
    listings = _lists(ctx)
    out.append(
        {
            "section": "lists",
            "title_zh": "严重失信主体名单信息",
            "title_en": "Seriously untrustworthy lists",
            "count": len(listings),
        }
    )
    return out


def _lists(ctx: ReportContext) -> list[dict[str, Any]]:
    """Art. 32-33: in a self report the subject's own listings and linked records (Art. 39, as
    the self inquiry shows them); in an authorized report the listings in force on the day,
    as the public lists show them (persons only where the list's rule publishes them)."""
    if ctx.mode == InquiryMode.SELF.value:
        return [
            x.model_dump(mode="json") for x in own_listings(ctx.session, ctx.subject_id, ctx.on)
        ]
    subject = ctx.session.get(Subject, ctx.subject_id)
    out = []
    for d in listed_on_day(ctx.session, ctx.subject_id, ctx.on):
        spec = list_types.get(d.list_type)
        if (
            subject is not None
            and subject.kind == SubjectKind.PERSON.value
            and not spec.persons_public
        ):
            continue
        out.append(
            {
                "designation_id": d.id,
                "list_type": spec.code,
                "list_name": spec.name_zh,
                "relation": "listed",
                "state": "listed",
                "listed_on": d.listed_on.isoformat() if d.listed_on else None,
                "listed_until": d.listed_until.isoformat() if d.listed_until else None,
                "deciding_authority": d.deciding_authority,
                "decision_number": d.decision_number,
            }
        )
    return out


def _improve(ctx: ReportContext) -> list[dict[str, Any]]:
    """What the subject can do, with dates: an objection for any record (Art. 40-42), and for
    each negative record the day it stops being provided (Art. 43) and restoration (Art. 45)
    where a restoration provider is registered, otherwise "not yet"."""
    negative = [r for r in ctx.records if r.get("polarity") == "negative"]
    out: list[dict[str, Any]] = [
        {
            "kind": "objection",
            "article": OBJECTION_STEPS["article"],
            "label_working_days": OBJECTION_STEPS["label_wd"],
            "decide_working_days": OBJECTION_STEPS["decide_wd"],
        }
    ]
    ends = _inquiry_ends(ctx, {int(r["record_id"]) for r in negative})
    restoration = sections.provider("restoration")
    for r in negative:
        out.append(
            {
                "kind": "record",
                "record_id": r["record_id"],
                "item_name_zh": r["item_name_zh"],
                "item_name_en": r["item_name_en"],
                "provided_until": ends.get(int(r["record_id"])),
                "article": "Art. 43",
            }
        )
    if restoration is not None:
        out.extend(restoration(ctx))
    else:
        out.append({"kind": "restoration", "available": False, "article": "Art. 45"})
    return out


def _inquiry_ends(ctx: ReportContext, record_ids: set[int]) -> dict[int, str | None]:
    """Art. 43: the last day each negative record is provided (None: no end is set)."""
    if not record_ids:
        return {}
    subject = ctx.session.get(Subject, ctx.subject_id)
    out: dict[int, str | None] = {}
    for h in held_records(ctx.session, subject):
        if h.record.id not in record_ids:
            continue
        v = h.version_on(ctx.on)
        if v is None:
            continue
        end, _ = rules.inquiry_end(v.facts)
        out[h.record.id] = end.isoformat() if end else None
    return out


sections.register_provider("summary", _summary)
sections.register_provider("lists", _lists)
sections.register_provider("improve", _improve)


def _restoration(ctx: ReportContext) -> list[dict[str, Any]]:
    """Art. 45: for each negative record of the report that can be restored, the first day
    restoration may be requested (None: already), from pcip.restoration's own rule; free."""
    opens = openings_for(ctx.session, ctx.subject_id)
    out: list[dict[str, Any]] = []
    for r in ctx.records:
        if r.get("polarity") != "negative":
            continue
        o = opens.get(int(r["record_id"]))
        if o is None or o.basis in ("not untrustworthiness information", "not held"):
            continue
        out.append(
            {
                "kind": "restoration",
                "available": True,
                "record_id": r["record_id"],
                "item_name_zh": r["item_name_zh"],
                "item_name_en": r["item_name_en"],
                "possible_from": o.on.isoformat() if o.on and o.on > ctx.on else None,
                "article": "Art. 45",
            }
        )
    return out or [{"kind": "restoration", "available": True, "record_id": None}]


sections.register_provider("restoration", _restoration)


def period_of(records: list[dict[str, Any]], on: date) -> tuple[date, date]:
    """The period a report covers: from its oldest record's recording day to the issue day."""
    days = [
        date.fromisoformat(str(r["provenance"]["recorded_at"])[:10])
        for r in records
        if r.get("provenance")
    ]
    return (min(days) if days else on), on
