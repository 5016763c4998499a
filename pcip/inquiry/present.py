"""Turn disclosure decisions into answers: masked fields, labels, provenance, history.

Every answer is built here once, as a tree of plain values in the answer model's field order
(``*_tree``): the services validate the models from it for the web pages, reports and the
command line (``own_record_out`` for one record), and the API's inquiry endpoints write it out
as JSON without building the models at all (``pcip.kernel.answers``).

Issue 22: with one pydantic model per record, reason and version, the records' part of a self
answer (decisions, models, JSON) was about a quarter of its server's CPU under load; as plain
trees written by orjson, a self inquiry's server CPU fell by about a tenth (docs/performance.md,
eighth pass). ``tests/conftest.py`` checks every answer the suite writes against its model.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pcip.disclosure import rules
from pcip.disclosure.service import Disclosed, HeldRecord, HeldVersion, masked_payload
from pcip.inquiry.schemas import OwnRecordOut
from pcip.kernel import vocabulary
from pcip.kernel.enums import InquiryMode, SubjectKind
from pcip.kernel.masking import mask_name
from pcip.records.models import RecordEvent
from pcip.records.reasons import reason_code, reason_text
from pcip.subjects.models import Subject
from pcip.subjects.service import display_identifier

#: An answer's content as plain values (dicts, lists, strings, numbers, dates), keyed and
#: ordered as the fields of its model.
Tree = dict[str, Any]

#: The modes other people inquire in, reported to the subject for each record (Art. 39).
OTHER_MODES = (InquiryMode.PUBLIC_DISCLOSURE, InquiryMode.AUTHORIZED, InquiryMode.AUTHORITY)
#: The subject's own view first, then the others: decided together (``rules.decide_modes``).
_ALL_MODES = (InquiryMode.SELF, *OTHER_MODES)


def subject_tree(subject: Subject, mode: InquiryMode) -> Tree:
    person = subject.kind == SubjectKind.PERSON.value
    name = (
        mask_name(subject.name)
        if person and mode is InquiryMode.PUBLIC_DISCLOSURE
        else subject.name
    )
    return {
        "subject_id": subject.id,
        "kind": subject.kind,
        "name": name,
        "identifier": display_identifier(subject),
    }


def reasons(rs: tuple[rules.Reason, ...]) -> list[Tree]:
    """``ReasonOut`` trees."""
    return [
        {
            "code": r.code,
            "article": r.article,
            "message": r.message,
            "day": r.day,
            "detail": r.detail,
        }
        for r in rs
    ]


def record_tree(d: Disclosed) -> Tree:
    """A ``RecordOut``: the record as ``d``'s mode may see it."""
    return _common(d.held, d.version, d.decision, masked_payload(d))


def _common(
    h: HeldRecord, v: HeldVersion, decision: rules.Decision, fields: dict[str, object]
) -> Tree:
    rv = v.version
    basis = v.basis
    batch = v.batch
    return {
        "record_id": h.record.id,
        "version": rv.version,
        "item_code": v.spec.code,
        "item_name_zh": v.spec.name_zh,
        "item_name_en": v.spec.name_en,
        "scope_category": v.spec.scope_category,
        "polarity": h.record.polarity,
        "info_class": h.record.info_class,
        "fields": fields,
        "labels": list(decision.labels),
        "notes": reasons(decision.reasons),
        "basis": (
            {
                "doc_type": basis.doc_type,
                "number": basis.number,
                "issuer": basis.issuer,
                "decision_date": basis.decision_date,
                "effective_date": basis.effective_date,
            }
            if basis
            else None
        ),
        "provenance": {
            "provider_uscc": h.provider.uscc,
            "provider_name": h.provider.name,
            "batch_id": rv.batch_id,
            "received_at": batch.received_at if batch else None,
            "source_sha256": batch.source_sha256 if batch else None,
            "catalog_version": v.catalog_version,
            "recorded_at": rv.recorded_at,
        },
    }


def own_record_tree(h: HeldRecord, on: date) -> Tree | None:
    """An ``OwnRecordOut`` (Art. 39, D-6): the subject's record as of ``on`` with its status
    in every other mode; None where the subject holds nothing (not yet held, or removed)."""
    v = h.version_on(on)
    if v is None:
        return None
    # An authority inquiry is judged with a generic duty purpose: the subject is told whether
    # departments can read the record at all, not for which purpose codes (the subject's own
    # view reads no purpose).
    mine, *others = rules.decide_modes(v.facts, _ALL_MODES, on, "administrative_management")
    if not mine.visible:  # removed (Art. 45(3), D-8): not held any more, for anyone
        return None
    status = {
        mode.value: {"visible": d.visible, "reasons": reasons(d.reasons)}
        for mode, d in zip(OTHER_MODES, others, strict=True)
    }
    withdrawn = next((e for e in h.events if e.kind == "withdrawn" and e.effective_on <= on), None)
    if withdrawn is not None:
        return _withdrawn_tree(h, v, mine, status, withdrawn.effective_on, withdrawn)
    out = _common(h, v, mine, dict(v.version.payload))
    out["disclosure"] = status
    out["history"] = history(h, upto=v.version.version)
    return out


def own_record_out(h: HeldRecord, on: date) -> OwnRecordOut | None:
    tree = own_record_tree(h, on)
    return None if tree is None else OwnRecordOut.model_validate(tree)


def _withdrawn_tree(
    h: HeldRecord,
    v: HeldVersion,
    mine: rules.Decision,
    status: dict[str, Tree],
    on: date,
    event: RecordEvent,
) -> Tree:
    """Art. 39: the subject sees that the record was withdrawn, when and by which case.

    A record filed against the wrong subject is about someone else: its content is not shown
    (neither fields, basis nor the changes of its versions), only that it was held and
    withdrawn. One withdrawn for a wrong basis is about the subject: shown as it was.
    """
    ground = (event.note or "").split(":", 1)[0]
    cause = f"{event.cause_type} {event.cause_id}" if event.cause_type else "a correction"
    why = (
        vocabulary.word("withdrawal_ground", ground, "en", "answer")
        if vocabulary.has("withdrawal_ground", ground)
        else "withdrawn"
    )  # Art. 19, 21, 42(1), as the subject reads it
    note = rules.Reason(
        "withdrawn",
        "Art. 19, 21, 42(1)",
        f"{why} on {on.isoformat()} ({cause}); no one is provided it",
    )
    # The stop of provision is the withdrawal's own effect: "withdrawn" says why.
    decision = rules.Decision(
        True,
        labels=(*(x for x in mine.labels if x != "provision_stopped"), "withdrawn"),
        reasons=(*(r for r in mine.reasons if r.code != "provision_stopped"), note),
    )
    steps = history(h, upto=v.version.version)
    if ground != "wrong_subject":
        out = _common(h, v, decision, dict(v.version.payload))
    else:
        out = _common(h, v, decision, {})
        out["basis"] = None
        steps = [{**step, "changes": []} for step in steps]
    out["disclosure"] = status
    out["history"] = steps
    return out


def history(h: HeldRecord, *, upto: int) -> list[Tree]:
    """``VersionOut`` trees: every version up to ``upto`` with its reason, cause and what
    changed (Art. 39, 42)."""
    out: list[Tree] = []
    previous: dict[str, object] = {}
    for v in h.versions:
        rv = v.version
        if rv.version > upto:
            break
        # The first version changes nothing: no list of every field built to be thrown away
        # (issue 22: building it was about 7% of a self inquiry's CPU in py-spy).
        changes = (
            [
                {"field": k, "old": previous.get(k), "new": rv.payload.get(k)}
                for k in sorted(set(previous) | set(rv.payload))
                if previous.get(k) != rv.payload.get(k)
            ]
            if previous
            else []
        )
        out.append(
            {
                "version": rv.version,
                "recorded_at": rv.recorded_at,
                "reason": reason_text(rv.reason),
                "reason_code": reason_code(rv.reason),
                "cause_type": rv.cause_type,
                "cause_id": rv.cause_id,
                "batch_id": rv.batch_id,
                "changes": changes,
            }
        )
        previous = dict(rv.payload)
    return out
