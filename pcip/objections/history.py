"""An objection's history as a person reads it, in one language (issue 19.3).

The case log keeps codes (``operator:account:3``, ``upheld``, ``{"207": true}``): the API's
JSON and the CLI's JSON lines give them as they are, for machines. A page gives each event as
words in the reader's language: who acted (a role from the vocabulary, with the account's or
the unit's name where the platform has one), and each detail under its label
(``event_detail``) with its value worded: codes through the vocabulary, ids in a phrase
(``pcip.kernel.messages``), and what a person typed (reasons, a statement, a name) as it was
given, marked as data so a page shows it untranslated.

Every detail key the objection events write has a wording here (``WORDED``);
``tests/objections/test_history.py`` renders every event kind with every key in both
languages and checks that no code reaches the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.models import Account
from pcip.errors import NotFound
from pcip.kernel import vocabulary
from pcip.kernel.messages import Message, Term, msg
from pcip.objections.effects import latest
from pcip.objections.models import ObjectionEvent
from pcip.providers.models import Provider

#: One piece of a worded value: its text, and whether it is data (shown as given).
Part = tuple[str, bool]


@dataclass(frozen=True)
class Detail:
    """One detail of an event: its label and its value, both in the reader's language."""

    key: str
    label: str
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class Line:
    """One event as its history shows it."""

    id: int
    kind: str
    #: The event's own words (``event``, in the console's ``staff`` form where asked).
    title: str
    at: datetime
    #: Who acted: the role in words, then the account's or the unit's name (data) if known.
    actor: tuple[Part, ...]
    details: tuple[Detail, ...]


@dataclass
class _Names:
    """Names the history looks up once per page: accounts, units, record field labels."""

    session: Session
    accounts: dict[int, str | None]
    units_by_id: dict[int, str | None]
    units_by_uscc: dict[str, str | None]
    fields: dict[tuple[int, str], tuple[str, str] | None]

    def account(self, account_id: int) -> str | None:
        if account_id not in self.accounts:
            row = self.session.get(Account, account_id)
            self.accounts[account_id] = row.display_name if row else None
        return self.accounts[account_id]

    def unit(self, provider_id: int) -> str | None:
        if provider_id not in self.units_by_id:
            row = self.session.get(Provider, provider_id)
            self.units_by_id[provider_id] = row.name if row else None
        return self.units_by_id[provider_id]

    def unit_by_uscc(self, uscc: str) -> str | None:
        if uscc not in self.units_by_uscc:
            self.units_by_uscc[uscc] = self.session.scalar(
                select(Provider.name).where(Provider.uscc == uscc)
            )
        return self.units_by_uscc[uscc]

    def field(self, record_id: int, name: str) -> tuple[str, str] | None:
        """A record field's label (zh, en) from the record's catalog item version."""
        key = (record_id, name)
        if key not in self.fields:
            self.fields[key] = self._label(record_id, name)
        return self.fields[key]

    def _label(self, record_id: int, name: str) -> tuple[str, str] | None:
        try:
            spec = latest(self.session, record_id).spec
        except NotFound:
            return None
        found = next((f for f in spec.fields if f.name == name), None)
        return (found.label_zh, found.label_en) if found else None


def _words(text: str) -> Part:
    return (text, False)


def _data(text: str) -> Part:
    return (text, True)


def _ids(value: Any) -> list[int]:
    if isinstance(value, Mapping):
        value = list(value)
    if not isinstance(value, list | tuple):
        value = [value]
    return [int(v) for v in value]


def actor(names: _Names, code: str, locale: str) -> tuple[Part, ...]:
    """``kind:ref`` (``operator:account:3``, ``provider:<uscc>/account:5``, ``subject:12``,
    ``system:objections.d2``) as a role in words and, where the platform knows it, the name of
    the account or the unit (Art. 28: staff see who acted). A reference the platform has no
    name for (a demo or tool actor) is shown by its role alone: never as a code."""
    kind, _, ref = code.partition(":")
    role = vocabulary.word("actor", kind, locale) if vocabulary.has("actor", kind) else ""
    if not role:
        role = vocabulary.word("actor", "system", locale)
    name: str | None = None
    if "account:" in ref:
        tail = ref.rsplit("account:", 1)[1]
        name = names.account(int(tail)) if tail.isdigit() else None
    elif kind == "provider":
        name = names.unit_by_uscc(ref.split("/", 1)[0])
    elif ref.startswith("cli:"):
        name = ref[len("cli:") :]  # the server account that ran the command (data)
    if not name:
        return (_words(role),)
    return (_words(role), _words(": " if locale.lower().startswith("en") else "："), _data(name))


# --- each detail key's value --------------------------------------------------------------------

Worder = Callable[[_Names, Any, str], list[Part]]


def _m(message: Message, locale: str) -> Part:
    return _words(message.render(locale))


def _records(_n: _Names, v: Any, loc: str) -> list[Part]:
    return [_record_ids(_ids(v), loc)]


def _record_ids(ids: list[int], loc: str) -> Part:
    one = len(ids) == 1
    return _m(
        msg("objections.history.record" if one else "objections.history.records", ids=ids), loc
    )


def _files(_n: _Names, v: Any, loc: str) -> list[Part]:
    ids = _ids(v)
    one = len(ids) == 1
    return [_m(msg("objections.history.file" if one else "objections.history.files", ids=ids), loc)]


def _objection(_n: _Names, v: Any, loc: str) -> list[Part]:
    return [_m(msg("objections.history.objection", id=v), loc)]


def _subject(_n: _Names, v: Any, loc: str) -> list[Part]:
    return [_m(msg("objections.history.subject", id=v), loc)]


def _number(_n: _Names, v: Any, loc: str) -> list[Part]:
    return [_m(msg("objections.history.notice_no", id=v), loc)]


def _yes_no(_n: _Names, v: Any, loc: str) -> list[Part]:
    return [_m(msg("objections.history.yes" if v else "objections.history.no"), loc)]


def _as_given(_n: _Names, v: Any, _loc: str) -> list[Part]:
    return [_data(str(v))]


def _term(kind: str, form: vocabulary.Form | None = None) -> Worder:
    def worded(_n: _Names, v: Any, loc: str) -> list[Part]:
        return [_words(vocabulary.word(kind, v, loc, form))]

    return worded


def _unit(n: _Names, v: Any, loc: str) -> list[Part]:
    name = n.unit(int(v))
    return [_data(name)] if name else []


def _unit_actor(n: _Names, v: Any, loc: str) -> list[Part]:
    return list(actor(n, str(v), loc))


def _instant(_n: _Names, v: Any, _loc: str) -> list[Part]:
    at = datetime.fromisoformat(str(v))
    local = at.astimezone(clock.CST) if at.tzinfo else at
    return [_words(local.strftime("%Y-%m-%d %H:%M"))]


def _clock(_n: _Names, v: Any, loc: str) -> list[Part]:
    return [
        _m(
            msg("objections.history.reexam_clock" if v else "objections.history.handling_clock"),
            loc,
        )
    ]


def _versions(_n: _Names, v: Any, loc: str) -> list[Part]:
    out = [msg("objections.history.version", id=rid, version=n).render(loc) for rid, n in v.items()]
    return [_words(_sep(loc).join(out))]


def _sep(loc: str) -> str:
    return ", " if loc.lower().startswith("en") else "；"


def _changes(n: _Names, v: Any, loc: str) -> list[Part]:
    out: list[Part] = []
    for rid, fields in v.items():
        for name, value in fields.items():
            label = n.field(int(rid), name)
            field = (label[1] if loc.lower().startswith("en") else label[0]) if label else ""
            if out:
                out.append(_words(_sep(loc)))
            out.append(_m(msg("objections.history.change", id=rid, field=field), loc))
            out.append(_data("" if value is None else str(value)))
    return out


def _label_removed(_n: _Names, v: Any, loc: str) -> list[Part]:
    removed = [int(rid) for rid, off in v.items() if off]
    held = [int(rid) for rid, off in v.items() if not off]
    out: list[Part] = []
    if removed:
        out.append(_record_ids(removed, loc))
    for rid in held:
        if out:
            out.append(_words(_sep(loc)))
        out.append(_m(msg("objections.history.label_held", id=rid), loc))
    return out


def _withdrawal(n: _Names, v: Any, loc: str) -> list[Part]:
    ground = Term("withdrawal_ground", str(v.get("ground", "")))
    ids = _ids(v.get("records", []))
    out = [_m(msg("objections.history.withdrawn", ground=ground, ids=ids), loc)]
    target = v.get("refile_to")
    if isinstance(target, Mapping):
        label = vocabulary.word("event_detail", "refile_to", loc)
        out += [_words(_sep(loc) + label + ("：" if not loc.startswith("en") else ": "))]
        out.append(_data(" ".join(str(target.get(k) or "") for k in ("name", "identifier"))))
    if v.get("filed_under_the_right_subject"):
        out += [_words(_sep(loc)), _m(msg("objections.history.filed_right"), loc)]
    return out


#: key -> how its value is worded. Keys written by pcip.objections (intake, handling,
#: decisions, reexamination); a key missing here is a test failure, not a code on a page.
WORDED: dict[str, Worder] = {
    "records": _records,
    "evidence": _files,
    "provider_id": _unit,
    "notice": _term("notice", "staff"),
    "notice_id": _number,
    "subject_id": _subject,
    "statement": _as_given,
    "repeat_of": _objection,
    "reasons": _as_given,
    "reason": _as_given,
    "note": _as_given,
    "applicant": _as_given,
    "late": _yes_no,
    "ground": _term("ground", "staff"),
    "channel": _term("channel", "staff"),
    "basis": _term("decline_basis"),
    "outcome": _term("outcome", "staff"),
    "type": _term("pause_type"),
    "reexam": _clock,
    "received_at": _instant,
    "changes": _changes,
    "versions": _versions,
    "stopped": _records,
    "label_removed": _label_removed,
    "withdrawal": _withdrawal,
    "from_unit_result": _yes_no,
    "unit": _unit_actor,
}
#: Keys kept for other readers, not listed: ``done`` is the notice's lines (pcip.objections.
#: notices words them for the applicant), the same facts ``versions``, ``stopped`` and
#: ``withdrawal`` give here.
NOT_LISTED = frozenset({"done"})


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {} or value == ""


def details(names: _Names, payload: Mapping[str, Any], locale: str) -> tuple[Detail, ...]:
    out: list[Detail] = []
    for key, value in payload.items():
        if key in NOT_LISTED or _empty(value):
            continue
        worder = WORDED.get(key)
        if worder is None:  # a key written after this table: its label only, never a code
            continue
        parts = tuple(p for p in worder(names, value, locale) if p[0])
        if parts:
            label = vocabulary.word("event_detail", key, locale, "staff")
            out.append(Detail(key, label, parts))
    return tuple(out)


def actors(session: Session, codes: Iterable[str], locale: str) -> dict[str, tuple[Part, ...]]:
    """Each actor code (an evidence file's uploader) as :func:`actor` words it."""
    names = _Names(session, {}, {}, {}, {})
    return {code: actor(names, code, locale) for code in set(codes)}


def lines(
    session: Session,
    events: Iterable[ObjectionEvent],
    locale: str,
    form: vocabulary.Form | None = "staff",
) -> list[Line]:
    """The events as a page shows them, in ``locale``."""
    names = _Names(session, {}, {}, {}, {})
    return [
        Line(
            id=e.id,
            kind=e.kind,
            title=vocabulary.word("event", e.kind, locale, form),
            at=e.at,
            actor=actor(names, e.actor, locale),
            details=details(names, e.payload or {}, locale),
        )
        for e in events
    ]
