"""Art. 19: subjects are keyed by identifier only; Art. 27 identifiers encrypted; Art. 33 links."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from pcip.errors import ValidationError
from pcip.kernel.actors import Actor
from pcip.kernel.enums import IdType, ResponsibleRole, SubjectKind
from pcip.kernel.platform import Platform
from pcip.subjects import service as subjects
from pcip.subjects.models import ResponsibleLink, Subject
from tests.helpers import citizen_id, uscc

ACTOR = Actor.system("test")


def test_art19_same_uscc_new_name_is_one_subject_with_history(platform: Platform) -> None:
    code = uscc(3)
    with platform.transaction() as s:
        key = subjects.organisation_by_uscc(code)
        first = subjects.register(s, ACTOR, platform.keyring, key, "重庆甲公司", "test")
        second = subjects.register(s, ACTOR, platform.keyring, key, "重庆乙公司", "test")
        assert first.created and second.renamed and first.subject.id == second.subject.id
        history = [n.name for n in subjects.name_history(s, second.subject)]
        assert history == ["重庆甲公司", "重庆乙公司"]
        assert s.scalar(select(func.count()).select_from(Subject)) == 1


def test_art19_same_name_different_uscc_is_two_subjects(platform: Platform) -> None:
    with platform.transaction() as s:
        a = subjects.register(
            s, ACTOR, platform.keyring, subjects.organisation_by_uscc(uscc(4)), "同名公司", "test"
        )
        b = subjects.register(
            s, ACTOR, platform.keyring, subjects.organisation_by_uscc(uscc(5)), "同名公司", "test"
        )
        assert a.subject.id != b.subject.id


def test_art19_lowercase_x_matches_the_same_person(platform: Platform) -> None:
    number = "11010519491231002X"
    with platform.transaction() as s:
        a = subjects.ensure(
            s,
            platform.keyring,
            subjects.person_by_citizen_id(platform.keyring, number),
            "张三",
            "t",
        )
        b = subjects.ensure(
            s,
            platform.keyring,
            subjects.person_by_citizen_id(platform.keyring, number.lower()),
            "张三",
            "t",
        )
        assert a.subject.id == b.subject.id and not b.created


def test_art27_citizen_id_is_encrypted_and_masked_at_rest(platform: Platform) -> None:
    number = citizen_id(7, born=date(1990, 5, 17))
    with platform.transaction() as s:
        r = subjects.ensure(
            s,
            platform.keyring,
            subjects.person_by_citizen_id(platform.keyring, number),
            "李四",
            "t",
        )
        row = r.subject
        assert number not in (row.id_masked or "") and row.id_index != number
        assert row.id_cipher is not None and number.encode() not in row.id_cipher
        assert row.uscc is None and row.birth_date == date(1990, 5, 17)
        assert subjects.reveal_identifier(platform.keyring, row) == number
        # The clear number appears in no column of the table.
        raw = s.execute(select(Subject.__table__)).all()
        assert all(number not in str(v) for rec in raw for v in rec)


def test_art19_person_found_by_document_type_and_country(platform: Platform) -> None:
    with platform.transaction() as s:
        key = subjects.person_by_document(platform.keyring, "passport", "e1234567", "USA")
        assert key.id_type is IdType.DOCUMENT
        a = subjects.ensure(s, platform.keyring, key, "John Smith", "t")
        other_country = subjects.person_by_document(platform.keyring, "passport", "E1234567", "GBR")
        b = subjects.ensure(s, platform.keyring, other_country, "John Smith", "t")
        assert a.subject.id != b.subject.id  # same number, different issuing country


def test_art19_invalid_identifier_names_the_field(platform: Platform) -> None:
    with pytest.raises(ValidationError) as exc:
        subjects.person_by_citizen_id(platform.keyring, "110105194912310021", field="CF_XDR_ZJHM")
    assert exc.value.field == "CF_XDR_ZJHM" and "check" in exc.value.message
    with pytest.raises(ValidationError):
        subjects.organisation_by_uscc("91500000MA5U000000", field="CF_XDR_SHXYM")


def test_art56_kind_from_uscc_entity_type(platform: Platform) -> None:
    assert (
        subjects.organisation_by_uscc(uscc(1, authority="9", entity_type="1")).kind
        is SubjectKind.LEGAL_PERSON
    )
    assert (
        subjects.organisation_by_uscc(uscc(1, authority="9", entity_type="2")).kind
        is SubjectKind.ORGANISATION
    )
    organ = uscc(2, authority="1", entity_type="1")
    with platform.transaction() as s:
        r = subjects.ensure(
            s, platform.keyring, subjects.organisation_by_uscc(organ), "某区某局", "t"
        )
        assert r.subject.is_state_organ  # Art. 7-10: state organs are credit subjects too


def test_art33_responsible_person_link_is_idempotent_and_audited(platform: Platform) -> None:
    from pcip.kernel.audit.models import AuditEvent

    with platform.transaction() as s:
        org = subjects.ensure(
            s, platform.keyring, subjects.organisation_by_uscc(uscc(9)), "重庆丙公司", "t"
        ).subject
        rep = subjects.ensure(
            s,
            platform.keyring,
            subjects.person_by_citizen_id(platform.keyring, citizen_id(9)),
            "王五",
            "t",
        ).subject
        before = s.scalar(select(func.count()).select_from(AuditEvent))
        subjects.link_responsible(
            s, ACTOR, org, rep, ResponsibleRole.LEGAL_REPRESENTATIVE, source="t"
        )
        subjects.link_responsible(
            s, ACTOR, org, rep, ResponsibleRole.LEGAL_REPRESENTATIVE, source="t"
        )
        assert s.scalar(select(func.count()).select_from(ResponsibleLink)) == 1
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == (before or 0) + 1
        with pytest.raises(ValidationError, match="natural person"):
            subjects.link_responsible(s, ACTOR, org, org, ResponsibleRole.PRINCIPAL, source="t")
        with pytest.raises(ValidationError, match="organisation"):
            subjects.link_responsible(s, ACTOR, rep, rep, ResponsibleRole.PRINCIPAL, source="t")


def test_subject_key_repr_never_shows_a_citizen_id(platform: Platform) -> None:
    number = citizen_id(11)
    key = subjects.person_by_citizen_id(platform.keyring, number)
    assert number not in repr(key) and number not in str(key)
