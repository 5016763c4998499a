"""Issue 19.8: a form reports every error of a submission at once, each next to its field
(``aria-invalid``, ``aria-describedby``), and keeps what the visitor typed: the objection form
(Art. 40), the authorization (Art. 22, 39), the complaint (Art. 46), the restoration
application (Art. 45) and the console's upload (Art. 20)."""

from __future__ import annotations

import re

import pytest

from pcip.errors import Collect, FieldErrors, ValidationError
from tests.web.support import person_a
from tests.world import World


def _at_field(html: str, name: str) -> None:
    """The field ``name`` is marked invalid and described by its own error message."""
    assert f'id="{name}-error"' in html, name
    control = re.search(rf'<(input|select|textarea|fieldset)[^>]*id="{name}"[^>]*>', html)
    assert control is not None, name
    assert 'aria-invalid="true"' in control.group(0), control.group(0)
    assert f"{name}-error" in control.group(0), control.group(0)


def test_issue19_8_collect_keeps_one_error_per_field_and_raises_them_together() -> None:
    problems = Collect()
    with problems:
        raise ValidationError("a", field="x")
    with problems:
        raise ValidationError("again", field="x")
    with problems:
        raise ValidationError("b", field="y")
    with pytest.raises(FieldErrors) as caught:
        problems.raise_any()
    assert [(e.field, e.message) for e in caught.value.errors] == [("x", "a"), ("y", "b")]
    assert caught.value.as_dict()["errors"][1] == {"code": "invalid", "message": "b", "field": "y"}
    one = Collect()
    with one:
        raise ValidationError("only", field="z")
    with pytest.raises(ValidationError) as single:
        one.raise_any()
    assert not isinstance(single.value, FieldErrors)


def test_issue19_8_art40_objection_form_names_the_records_and_the_statement(site: World) -> None:
    b = person_a(site)
    r = b.post(
        "/me/objections",
        {"ground": "error", "statement": "  ", "agent": "李四"},
        form="/me/objections/new",
    )
    assert r.status_code == 422
    _at_field(r.text, "statement")
    assert 'id="record_ids-error"' in r.text
    assert 'value="李四"' in r.text  # the input is kept


def test_issue19_8_art39_authorization_form_names_every_wrong_field(site: World) -> None:
    b = person_a(site)
    r = b.post(
        "/me/authorizations",
        {"grantee_uscc": "", "purpose": "ab", "valid_to": "2027-13-40"},
        form="/me/authorizations",
    )
    assert r.status_code == 422
    for name in ("grantee_uscc", "purpose", "channels", "valid_to"):
        _at_field(r.text, name)
    assert 'value="ab"' in r.text


def test_issue19_8_art46_complaint_form_names_every_missing_field(site: World) -> None:
    b = person_a(site)
    r = b.post("/me/complaints", {"category": "", "against": "", "description": ""})
    assert r.status_code == 422
    for name in ("category", "against", "description"):
        _at_field(r.text, name)


def test_issue19_8_art45_restoration_form_names_the_pledge_and_the_statement(site: World) -> None:
    b = person_a(site)
    r = b.post(
        "/me/restorations",
        {"record_id": "", "correction": "短", "pledge": ""},
        form="/me/restorations/new",
    )
    assert r.status_code == 422
    for name in ("correction", "pledge"):
        _at_field(r.text, name)
    assert 'id="record_id-error"' in r.text
