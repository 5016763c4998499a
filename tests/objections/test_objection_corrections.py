"""Art. 42 para 3: proactive corrections by the platform or a providing unit, no objection."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from pcip import clock
from pcip.demo.generators.records import Party
from pcip.errors import Conflict, ValidationError
from pcip.kernel.audit.models import AuditEvent
from pcip.kernel.enums import SubjectKind
from pcip.objections.corrections import proactive_correct
from pcip.objections.models import Objection
from pcip.records.ingest import Source, ingest, rows_from_json
from pcip.records.models import RecordEvent, RecordVersion
from tests.helpers import citizen_id
from tests.objections.builders import (
    AS_OPERATOR,
    SYSTEM,
    UNIT,
    World,
    _row,
    as_unit,
    on,
    public_view,
)


def test_art42_unit_proactively_corrects_a_date_without_any_objection(world: World) -> None:
    rid = world.person_recent
    with on("2024-09-20"), world.platform.transaction() as s:
        case = proactive_correct(
            s,
            as_unit(world.provider_id),
            rid,
            outcome="corrected",
            reasons="违法行为终止日期录入错误。",
            changes={"conduct_end_date": "2024-08-05"},
        )
        v2 = s.scalars(
            select(RecordVersion).where(RecordVersion.record_id == rid, RecordVersion.version == 2)
        ).one()
        assert s.scalar(select(func.count()).select_from(Objection)) == 0
        row = s.scalars(select(AuditEvent).where(AuditEvent.action == "correction.apply")).one()
    assert (v2.cause_type, v2.cause_id) == ("correction", case.id)
    # The dated fact the disclosure rules read is recomputed from the corrected payload.
    assert (
        v2.conduct_end_date == date(2024, 8, 5) and v2.payload["conduct_end_date"] == "2024-08-05"
    )
    assert row.article == "Art. 42 para 3" and row.details["version"] == 2


def test_art42_unit_corrects_only_its_own_information(world: World) -> None:
    with on("2024-09-20"), world.platform.transaction() as s:
        with pytest.raises(ValidationError) as exc:
            proactive_correct(
                s,
                as_unit(world.provider_id + 1),
                world.person_recent,
                outcome="corrected",
                reasons="x",
                changes={"BZ": "y"},
            )
        assert exc.value.field == "provider_id"
        with pytest.raises(ValidationError) as exc:
            proactive_correct(s, AS_OPERATOR, world.person_recent, outcome="upheld", reasons="x")
        assert exc.value.field == "outcome"
        with pytest.raises(ValidationError) as exc:
            proactive_correct(s, AS_OPERATOR, world.person_recent, outcome="corrected", reasons="x")
        assert exc.value.field == "changes"


def test_art42_platform_proactively_stops_provision(world: World) -> None:
    rid = world.company_records[1]
    with on("2024-09-20"), world.platform.transaction() as s:
        assert public_view(s, world.company, rid, date(2024, 9, 20)) is not None
        case = proactive_correct(
            s, AS_OPERATOR, rid, outcome="provision_stopped", reasons="超期提供。"
        )
        event = s.scalars(select(RecordEvent).where(RecordEvent.record_id == rid)).one()
        assert public_view(s, world.company, rid, date(2024, 9, 20)) is None
        with pytest.raises(Conflict):
            proactive_correct(s, AS_OPERATOR, rid, outcome="provision_stopped", reasons="again")
    assert (event.kind, event.cause_type, event.cause_id) == (
        "provision_stopped",
        "correction",
        case.id,
    )


def test_art42_resubmitting_the_pre_correction_row_does_not_undo_the_correction(
    world: World,
) -> None:
    person = Party(SubjectKind.PERSON, "张三", citizen_id=citizen_id(11, born=date(1985, 4, 2)))
    number = "渝市监罚〔2024〕003号"
    rid = world.person_recent
    with on("2024-09-20"), world.platform.transaction() as s:
        proactive_correct(
            s,
            as_unit(world.provider_id),
            rid,
            outcome="corrected",
            reasons="违法行为终止日期录入错误。",
            changes={"conduct_end_date": "2024-08-05"},
        )

    def resubmit(row: dict[str, str]) -> dict[str, Any]:
        with clock.frozen("2024-09-23T10:00:00"):
            summary = ingest(
                world.platform,
                SYSTEM,
                provider_uscc=UNIT,
                item_code="admin_penalty",
                rows=rows_from_json([row]),
                source=Source("test", None, None, "json"),
            )
        return summary.as_json()

    stale = _row(world.platform, person, number, "2024-08-20", "2024-08-01")
    out = resubmit(stale)
    assert out["unchanged"] == 1 and out["updated"] == 0, out
    reissued = _row(world.platform, person, number, "2024-08-20", "2024-08-03")
    assert resubmit(reissued)["updated"] == 1  # new content from the unit is still taken
    with world.platform.transaction() as s:
        versions = s.scalars(
            select(RecordVersion.version).where(RecordVersion.record_id == rid)
        ).all()
    assert sorted(versions) == [1, 2, 3]
