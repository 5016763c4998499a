"""Credit pledges and voluntary information (Art. 26, 18(6); issue 20 point 3)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pcip.errors import Conflict, Forbidden, NotFound, ValidationError
from pcip.pledges import service, texts
from pcip.pledges.service import SELF_DECLARED
from tests.objections.builders import AS_OPERATOR, World, as_subject, as_unit, on


def test_art26_a_pledge_keeps_the_standard_text_of_its_matter(world: World) -> None:
    with on("2024-12-02"), world.platform.transaction() as s:
        p = service.make_pledge(
            s,
            as_subject(world.company),
            subject_id=world.company,
            matter="administrative_matter",
            concerning="食品经营许可告知承诺",
            provider_id=world.provider_id,
        )
        standard = texts.text_for("administrative_matter")
        assert (p.text_zh, p.text_version, p.citation) == (
            standard.text_zh,
            standard.version,
            standard.citation,
        )
        assert service.view(s, p).status == "open"
        with pytest.raises(NotFound) as err:
            service.make_pledge(
                s, as_subject(world.company), subject_id=world.company, matter="lottery"
            )
        assert err.value.field == "matter"
        with pytest.raises(Forbidden):
            service.make_pledge(
                s, as_subject(world.person), subject_id=world.company, matter="restoration"
            )
        with pytest.raises(ValidationError) as verr:  # staff only at a window
            service.make_pledge(
                s, AS_OPERATOR, subject_id=world.company, matter="restoration", channel="online"
            )
        assert verr.value.field == "channel"


def test_art26_performance_kept_or_broken_with_the_units_record_reference(world: World) -> None:
    with on("2024-12-02"), world.platform.transaction() as s:
        kept = service.make_pledge(
            s,
            as_subject(world.company),
            subject_id=world.company,
            matter="administrative_matter",
            provider_id=world.provider_id,
        ).id
        broken = service.make_pledge(
            s,
            as_subject(world.company),
            subject_id=world.company,
            matter="administrative_matter",
            provider_id=world.provider_id,
        ).id
    unit = as_unit(world.provider_id)
    with on("2025-03-03"), world.platform.transaction() as s:
        service.record_performance(s, unit, kept, outcome="kept", finding="按期补齐材料")
        with pytest.raises(ValidationError) as err:
            service.record_performance(s, unit, broken, outcome="broken", finding="未按期补正")
        assert err.value.field == "record_reference"
    with on("2025-03-03"), world.platform.transaction() as s:
        service.record_performance(
            s,
            unit,
            broken,
            outcome="broken",
            finding="承诺期限内未补正材料",
            record_reference="渝市监罚〔2025〕088号",
        )
        with pytest.raises(Conflict):
            service.record_performance(
                s, unit, kept, outcome="broken", finding="x", record_reference="y"
            )
        statuses = {v.pledge.id: v.status for v in service.unit_pledges(s, unit)}
        assert statuses == {kept: "kept", broken: "broken"}
        mine = service.my_pledges(s, as_subject(world.company))
        refs = [v.performance.record_reference for v in mine if v.performance]
        assert "渝市监罚〔2025〕088号" in refs


def test_art26_only_the_unit_the_pledge_was_made_to_tracks_it(world: World) -> None:
    with on("2024-12-02"), world.platform.transaction() as s:
        pid = service.make_pledge(
            s, as_subject(world.company), subject_id=world.company, matter="administrative_matter"
        ).id
        with pytest.raises(NotFound):
            service.record_performance(
                s, as_unit(world.provider_id), pid, outcome="kept", finding="ok"
            )


def test_art26_voluntary_information_is_self_declared_with_its_pledge(world: World) -> None:
    me = as_subject(world.company)
    with on("2024-12-02"), world.platform.transaction() as s:
        d = service.declare(
            s, me, kind="credential", title="ISO 9001 质量管理体系认证", content="证书编号 01234"
        )
        pledge = service.get_pledge(s, me, d.pledge_id)
        assert pledge.matter == "self_declaration"
        assert [x.id for x in service.declarations_of(s, world.company)] == [d.id]
        with pytest.raises(ValidationError) as err:
            service.declare(s, me, kind="rumour", title="xx", content="yy")
        assert err.value.field == "kind"
    with on("2024-12-03"), world.platform.transaction() as s:
        service.withdraw_declaration(s, me, d.id)
        assert service.declarations_of(s, world.company) == []
        assert len(service.my_declarations(s, me)) == 1
    assert SELF_DECLARED == "self_declared"


def test_art26_the_texts_file_is_checked(tmp_path: Path) -> None:
    raw = yaml.safe_load(texts.DATA_FILE.read_text(encoding="utf-8"))
    raw["texts"].append(dict(raw["texts"][0]))
    path = tmp_path / "texts.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        texts.load(path)
    assert err.value.field == "texts"
    raw["texts"].pop()
    raw["texts"][0]["citation"] = "x"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        texts.load(path)
    assert err.value.field == "texts.0.citation"
