"""Issue 19.3: an objection's history speaks the page's language, with no code on it.

Every event kind, with every detail key an objection event writes, is worded in Chinese and in
English by ``pcip.objections.history``: who acted as a role (and the account's or unit's
name), each detail under its label, codes through the vocabulary, never the log's codes
(``subject:1``, ``operator:account:1``, ``upheld``, ``label_removed``) nor its JSON.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.models import Account
from pcip.kernel import vocabulary
from pcip.objections import history
from pcip.objections.effects import latest
from pcip.objections.models import ObjectionEvent
from pcip.objections.states import Kind
from pcip.providers.models import Provider
from tests.objections.builders import UNIT, World
from tests.objections.cases import case_in
from tests.web.one_language import foreign_text

#: What a code or a piece of JSON looks like: ``label_removed``, ``operator:account:1``,
#: braces and brackets, Python's or JSON's literals.
CODE = re.compile(r"[A-Za-z]+[_:][A-Za-z0-9_:]+|[{}\[\]]|\b(?:True|False|true|false|None|null)\b")


def _account(s: Session, name: str, role: str, provider_id: int | None = None) -> int:
    account = Account(
        username=f"u{abs(hash((name, role))) % 10**8}",
        display_name=name,
        role=role,
        provider_id=provider_id,
        password_hash="-",
        created_at=clock.now(),
    )
    s.add(account)
    s.flush()
    return account.id


def _payload(s: Session, world: World) -> dict[str, object]:
    """A value for every detail key the objection events write (pcip.objections intake,
    handling, decisions, reexamination), as they write it."""
    rid = world.company_records[0]
    field = latest(s, rid).spec.fields[0].name
    return {
        "records": list(world.company_records),
        "evidence": [1, 2],
        "provider_id": world.provider_id,
        "notice": "outcome",
        "notice_id": 5,
        "subject_id": world.company,
        "statement": "不服，申请复核",
        "repeat_of": 4,
        "reasons": "经核实无误",
        "reason": "送检",
        "note": "已归档",
        "applicant": "申请人",
        "late": True,
        "ground": "beyond_period",
        "channel": "credit_china",
        "basis": "no_legitimate_reason",
        "outcome": "provision_stopped",
        "type": "expert_review",
        "reexam": True,
        "received_at": datetime(2024, 10, 8, 2, 30, tzinfo=UTC).isoformat(),
        "changes": {str(rid): {field: "五千元"}},
        "versions": {str(rid): 2},
        "stopped": [rid],
        "label_removed": {str(rid): True, str(world.company_records[1]): False},
        "withdrawal": {
            "ground": "wrong_subject",
            "records": [rid],
            "refile_to": {"kind": "person", "identifier": "500101********1234", "name": "李五"},
            "filed_under_the_right_subject": True,
        },
        "from_unit_result": True,
        "unit": f"provider:{UNIT}/account:2",
        "done": [{"changed": rid, "outcome": "corrected", "version": 2}],
    }


#: What a person typed or a name: shown as given (data), in its own language.
DATA = {"不服，申请复核", "经核实无误", "送检", "已归档", "申请人", "五千元", "李五"}


def _actors(s: Session, world: World) -> list[str]:
    operator = _account(s, "王操作", "operator")
    unit_staff = _account(s, "赵核查", "provider", world.provider_id)
    return [
        f"subject:{world.company}",
        f"operator:account:{operator}",
        "operator:demo:operator",
        "operator:cli:root",
        f"provider:{UNIT}/account:{unit_staff}",
        f"provider:{UNIT}/demo",
        "drc:demo:drc",
        "system:objections.d2",
    ]


def _events(s: Session, world: World) -> list[ObjectionEvent]:
    payload = _payload(s, world)
    actors = _actors(s, world)
    return [
        ObjectionEvent(
            id=i,
            objection_id=1,
            kind=kind.value,
            at=clock.now(),
            actor=actors[i % len(actors)],
            payload=payload,
        )
        for i, kind in enumerate(Kind)
    ]


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_issue19_3_every_event_and_detail_is_worded_without_codes(
    world: World, locale: str
) -> None:
    with world.platform.transaction() as s:
        events = _events(s, world)
        payload = dict(events[0].payload)
        lines = history.lines(s, events, locale)
        unit_name = s.get(Provider, world.provider_id).name  # type: ignore[union-attr]
    assert [line.kind for line in lines] == [k.value for k in Kind]
    for line in lines:
        assert line.title == vocabulary.word("event", line.kind, locale, "staff")
        shown = {d.key for d in line.details}
        assert shown == set(payload) - history.NOT_LISTED, line.kind
        words = [line.title, *(t for t, data in line.actor if not data)]
        data = [t for t, is_data in line.actor if is_data]
        codes = {v for v in payload.values() if isinstance(v, str)} - DATA
        for d in line.details:
            words.append(d.label)
            words += [t for t, is_data in d.parts if not is_data]
            data += [t for t, is_data in d.parts if is_data]
        for text in words:
            assert not CODE.search(text), (line.kind, text)
            assert not foreign_text(text, locale), (line.kind, text)
            assert text not in codes, (line.kind, text)
        # Data is exactly what was given: names, typed text, a masked identifier.
        names = {"王操作", "赵核查", "root", unit_name, "500101********1234"}
        for text in data:
            assert text in DATA | names or text == "李五 500101********1234", text


def test_issue19_3_actors_are_a_role_and_a_name(world: World) -> None:
    with world.platform.transaction() as s:
        actors = _actors(s, world)
        names = history._Names(s, {}, {}, {}, {})
        zh = [history.actor(names, a, "zh_CN") for a in actors]
        en = [history.actor(names, a, "en") for a in actors]
    assert zh[0] == (("信用主体", False),)
    assert zh[1] == (("平台操作员", False), ("：", False), ("王操作", True))
    assert en[1] == (("Platform operator", False), (": ", False), ("王操作", True))
    assert zh[2] == (("平台操作员", False),)  # a demo actor has no name on record
    assert en[7] == (("The platform (automatic)", False),)


def test_issue19_3_every_key_the_real_steps_write_is_worded(world: World) -> None:
    """The keys of real cases' events (every path of tests.objections.cases) all have a
    wording: a key added to an event later fails here, not as a code on a page."""
    states = ("closed", "reexam_decided", "paused", "notified_transferred")
    ids = [
        case_in(world.platform, world.company, list(world.company_records[:1]), st) for st in states
    ]
    with world.platform.transaction() as s:
        keys = {
            k
            for e in s.query(ObjectionEvent).filter(ObjectionEvent.objection_id.in_(ids))
            for k in (e.payload or {})
        }
    assert keys - history.NOT_LISTED <= set(history.WORDED), keys - set(history.WORDED)
    assert all(vocabulary.has("event_detail", k) for k in history.WORDED)
