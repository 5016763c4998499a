"""What every step of an objection case shares: checking input, the SM-1 guard, the case
event and audit row a step writes, stored evidence, and the notices it issues.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.catalog.models import CatalogItem
from pcip.errors import ValidationError
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.messages import Term, msg
from pcip.objections import evidence as files
from pcip.objections import notices
from pcip.objections.deadlines import deadlines
from pcip.objections.log import events_of, get, position, record_ids
from pcip.objections.models import (
    Notice,
    Objection,
    ObjectionEvent,
)
from pcip.objections.states import Kind, Position, State
from pcip.records.models import RecordVersion

Changes = Mapping[int, Mapping[str, Any]]
"""Per record id, the fields to change and their new values (as a unit would send them)."""


def _text(value: str | None, field: str, *, limit: int | None = None) -> str:
    text = (value or "").strip()
    if not text:
        # The field's words are its label as a case's history shows it (reasons, statement...).
        label = Term("event_detail", field.rsplit(".", 1)[-1])
        raise ValidationError(msg("objections.required", field=field, label=label), field=field)
    if limit is not None and len(text) > limit:
        raise ValidationError(msg("objections.too_long", limit=limit, n=len(text)), field=field)
    return text


#: The vocabulary kind of each coded choice, by the field that carries it: a refusal names the
#: choices in the reader's words (the English keeps the codes, as the API always has).
_CHOICE_KINDS = {
    "withdrawal.ground": "withdrawal_ground",
    "outcome": "outcome",
    "basis": "decline_basis",
    "pause_type": "pause_type",
    "ground": "ground",
    "channel": "channel",
}


def _choice(value: str, allowed: Sequence[str], field: str) -> str:
    if value not in allowed:
        kind = _CHOICE_KINDS.get(field) or _CHOICE_KINDS.get(field.rsplit(".", 1)[-1])
        choices = [Term(kind, c) for c in allowed] if kind else list(allowed)
        raise ValidationError(
            msg("objections.not_one_of", value=value, allowed=", ".join(allowed), choices=choices),
            field=field,
        )
    return value


def _guard(
    session: Session, objection: Objection, kind: Kind, payload: Mapping[str, Any] | None = None
) -> Position:
    """The current position, once SM-1 allows ``kind`` from it (else Conflict)."""
    current = position(events_of(session, [objection.id])[objection.id])
    current.after(kind, payload)
    return current


def _event(
    session: Session, actor: Actor, objection: Objection, kind: Kind, payload: dict[str, Any]
) -> ObjectionEvent:
    event = ObjectionEvent(
        objection_id=objection.id,
        subject_id=objection.subject_id,
        kind=kind.value,
        at=clock.now(),
        actor=str(actor),
        payload=payload,
    )
    session.add(event)
    session.flush()
    return event


def _audit(
    session: Session,
    actor: Actor,
    objection: Objection,
    action: str,
    article: str,
    details: dict[str, Any],
) -> None:
    audit.record(
        session,
        actor,
        f"objection.{action}",
        object_type="objection",
        object_id=objection.id,
        article=article,
        details=details,
    )


def _store_evidence(
    session: Session,
    actor: Actor,
    objection: Objection,
    checked: Sequence[files.CheckedFile],
    files_dir: Path | None,
) -> list[int]:
    rows = files.store(session, actor, objection.id, objection.subject_id, checked, files_dir)
    return [r.id for r in rows]


def state(session: Session, objection_id: int) -> State:
    """Where the case stands, replayed from its log."""
    objection = get(session, objection_id)
    return position(events_of(session, [objection.id])[objection.id]).state


def _case_text(session: Session, objection: Objection) -> notices.CaseText:
    ids = record_ids(session, objection.id)
    names: dict[int, tuple[str, str]] = {}
    for rid in ids:
        version = session.scalars(
            select(RecordVersion)
            .where(RecordVersion.record_id == rid)
            .order_by(RecordVersion.version.desc())
            .limit(1)
        ).one()
        item = session.get(CatalogItem, version.item_id)
        names[rid] = (item.name_zh, item.name_en) if item else (str(version.item_id),) * 2
    return notices.CaseText(
        objection.id,
        objection.applicant,
        clock.legal_day(objection.received_at),
        objection.ground,
        [(rid, *names[rid]) for rid in ids],
    )


def _due(session: Session, objection: Objection, name: str) -> date | None:
    found = [d for d in deadlines(session, objection, clock.today()) if d.name == name]
    return found[0].due if found else None


def _notice(
    session: Session, actor: Actor, objection: Objection, kind: str, html: str, due: str
) -> Notice:
    notice = Notice(
        objection_id=objection.id,
        subject_id=objection.subject_id,
        kind=kind,
        html=html,
        issued_at=clock.now(),
        issued_by=str(actor),
        due_on=_due(session, objection, due),
    )
    session.add(notice)
    session.flush()
    return notice


def _changes_json(changes: Changes | None) -> dict[str, dict[str, Any]]:
    return {str(rid): {k: v for k, v in ch.items()} for rid, ch in (changes or {}).items()}


def _last(session: Session, objection: Objection, kind: Kind) -> ObjectionEvent:
    found = [e for e in events_of(session, [objection.id])[objection.id] if e.kind == kind.value]
    return found[-1]
