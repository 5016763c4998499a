"""What every inquiry reads (Art. 22, 39): one statement for records, versions, basis
documents, batches and providers, catalog items from a cache (issue #7). The result must be
exactly what reading each table on its own gave."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any, cast

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.catalog.models import CatalogItem
from pcip.catalog.service import item_entry, item_spec
from pcip.disclosure.service import (
    ROW_TYPES,
    HeldRecord,
    disclose,
    held_records,
    subject_and_records,
)
from pcip.kernel.enums import InquiryMode
from pcip.kernel.platform import Platform
from pcip.providers.models import Provider
from pcip.records.models import BasisDocument, Batch, CreditRecord, RecordEvent, RecordVersion
from pcip.subjects.models import Subject
from tests.inquiry.support import add_event, record_id, resubmit_pledge_a
from tests.world import NOW, TODAY, World, WorldData, reopen


@pytest.fixture
def world(platform: Platform, api_world_data: WorldData) -> Any:
    with clock.frozen(NOW):
        yield reopen(platform, api_world_data)


def _reference(s: Session, subject: Subject) -> list[tuple[Any, ...]]:
    """Every version of every record, read table by table (the plain way)."""
    out = []
    records = s.scalars(
        select(CreditRecord).where(CreditRecord.subject_id == subject.id).order_by(CreditRecord.id)
    )
    events: dict[int, list[int]] = defaultdict(list)
    for e in s.scalars(
        select(RecordEvent)
        .where(RecordEvent.subject_id == subject.id)
        .order_by(RecordEvent.effective_on, RecordEvent.id)
    ):
        events[e.record_id].append(e.id)
    for r in records:
        provider = s.get(Provider, r.provider_id)
        for v in s.scalars(
            select(RecordVersion)
            .where(RecordVersion.record_id == r.id)
            .order_by(RecordVersion.version)
        ):
            basis = s.get(BasisDocument, v.basis_id) if v.basis_id else None
            batch = s.get(Batch, v.batch_id) if v.batch_id else None
            item = s.get(CatalogItem, v.item_id)
            assert item is not None and provider is not None
            out.append(
                (
                    r.id,
                    provider.uscc,
                    v.id,
                    v.version,
                    basis.number if basis else None,
                    batch.id if batch else None,
                    item_spec(item).code,
                    tuple(events[r.id]),
                )
            )
    return out


def _flat(held: list[HeldRecord]) -> list[tuple[Any, ...]]:
    return [
        (
            h.record.id,
            h.provider.uscc,
            v.version.id,
            v.version.version,
            v.basis.number if v.basis else None,
            v.batch.id if v.batch else None,
            v.spec.code,
            tuple(e.id for e in h.events),
        )
        for h in held
        for v in h.versions
    ]


def test_art39_held_records_read_in_one_statement_equal_the_tables(world: World) -> None:
    platform = world.platform
    with clock.frozen(NOW):
        resubmit_pledge_a(world, remarks="更正后的承诺内容")  # a second version
        pledge = record_id(platform, world.subject_ids["subject_a"], "pledge_made")
        add_event(platform, pledge, "objection_label_on", date(2026, 11, 20))
        add_event(platform, pledge, "objection_label_off", date(2026, 11, 24))
    with platform.transaction() as s:
        for who in ("subject_a", "subject_b", "org"):
            subject = s.get(Subject, world.subject_ids[who])
            assert subject is not None
            assert _flat(held_records(s, subject)) == _reference(s, subject), who
        subject = s.get(Subject, world.subject_ids["subject_a"])
        assert subject is not None
        assert [v.version.version for h in held_records(s, subject) for v in h.versions].count(
            2
        ) == 1
        scoped = held_records(s, subject, categories=[6])
        assert {v.spec.code for h in scoped for v in h.versions} == {"pledge_made"}


def _same_columns(row: Any, entity: Any) -> bool:
    """A row of ``subject_and_records`` against the ORM object of the same table row."""
    fields = ROW_TYPES[type(entity)]._fields  # type: ignore[attr-defined]
    return type(row) is ROW_TYPES[type(entity)] and all(
        getattr(row, f) == getattr(entity, f) for f in fields
    )


def _every_column(held: list[HeldRecord]) -> list[tuple[Any, ...]]:
    """Every column of every entity of every version, as plain values."""

    def cols(x: Any) -> tuple[Any, ...] | None:
        if x is None:
            return None
        kind = type(x) if isinstance(x, tuple) else ROW_TYPES[type(x)]
        fields = kind._fields  # type: ignore[attr-defined]
        return tuple(getattr(x, f) for f in fields)

    return [
        (cols(h.record), cols(h.provider), cols(v.version), cols(v.basis), cols(v.batch), v.facts)
        for h in held
        for v in h.versions
    ]


def test_issue22_subject_and_records_gives_plain_rows_with_the_same_decisions_in_every_mode(
    world: World,
) -> None:
    """Issue 22 point 2: the inquiry doors' read builds no ORM object, and the rules decide
    exactly as on the ORM objects ``held_records`` gives, in every mode and purpose."""
    platform = world.platform
    with clock.frozen(NOW):
        resubmit_pledge_a(world, remarks="更正后的承诺内容")
        pledge = record_id(platform, world.subject_ids["subject_a"], "pledge_made")
        add_event(platform, pledge, "objection_label_on", date(2026, 11, 20))
    with platform.transaction() as s:
        for who in ("subject_a", "subject_b", "org"):
            subject = s.get(Subject, world.subject_ids[who])
            assert subject is not None
            found, rows = subject_and_records(s, subject_id=subject.id)
            assert not isinstance(found, Subject)
            assert rows and all(
                type(cast(Any, h.record)) is ROW_TYPES[CreditRecord]
                and type(cast(Any, v.version)) is ROW_TYPES[RecordVersion]
                for h in rows
                for v in h.versions
            ), who
            orm = held_records(s, subject)
            for mode in InquiryMode:
                for purpose in (None, "administrative_management", "credit_check"):
                    got = [
                        (d.held.record.id, d.version.version.version, d.decision)
                        for d in disclose(rows, mode, TODAY, purpose)
                    ]
                    want = [
                        (d.held.record.id, d.version.version.version, d.decision)
                        for d in disclose(orm, mode, TODAY, purpose)
                    ]
                    assert got == want, (who, mode, purpose)


def test_catalog_items_are_read_once_and_are_the_stored_ones(world: World) -> None:
    with world.platform.transaction() as s:
        item_id = s.scalar(select(CatalogItem.id).where(CatalogItem.code == "admin_penalty"))
        assert item_id is not None
        first = item_entry(s, item_id)
        assert item_entry(s, item_id) is first  # cached: no statement, no parsing
        stored = s.get(CatalogItem, item_id)
        assert stored is not None
        assert first[1] == item_spec(stored) and first[0].code == "admin_penalty"


def test_issue22_the_subject_and_its_records_in_one_statement_equal_the_tables(
    world: World,
) -> None:
    """Issue 22 point 2: ``subject_and_records`` (one round trip) finds the subject
    ``find_organisation`` / ``_subject`` found, and the records ``held_records`` gives."""
    platform = world.platform
    with clock.frozen(NOW):
        resubmit_pledge_a(world, remarks="更正后的承诺内容")  # a second version
        pledge = record_id(platform, world.subject_ids["subject_a"], "pledge_made")
        add_event(platform, pledge, "objection_label_on", date(2026, 11, 20))
    with platform.transaction() as s:
        for who in ("subject_a", "subject_b", "org"):
            subject = s.get(Subject, world.subject_ids[who])
            assert subject is not None
            found, held = subject_and_records(s, subject_id=subject.id)
            assert _same_columns(found, subject), who
            assert _flat(held) == _reference(s, subject) == _flat(held_records(s, subject)), who
            assert _every_column(held) == _every_column(held_records(s, subject)), who
            _, scoped = subject_and_records(s, subject_id=subject.id, categories=[6])
            assert _flat(scoped) == _flat(held_records(s, subject, categories=[6])), who
        org = s.get(Subject, world.subject_ids["org"])
        assert org is not None
        found, held = subject_and_records(s, organisation=(world.org_uscc, world.org_uscc))
        assert _same_columns(found, org) and _flat(held) == _reference(s, org)
        # A person is never found as an organisation; an unknown key finds nobody.
        person = s.get(Subject, world.subject_ids["subject_a"])
        assert person is not None and person.id_index is not None
        assert subject_and_records(s, organisation=(person.id_index, person.id_index)) == (None, [])
        assert subject_and_records(s, organisation=("NOSUCHCODE", "NOSUCHCODE")) == (None, [])
        assert subject_and_records(s, subject_id=2**62) == (None, [])
