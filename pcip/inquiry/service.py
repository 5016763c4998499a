"""The four inquiry modes of Art. 22, each logged in the transaction that reads.

* ``public_disclosure``: anyone; organisations by name or USCC, natural persons only by their
  exact identifier (never browsable by name); only what the rules disclose publicly.
* ``authority``: providing-unit staff, for a stated duty purpose; ``as_of`` answers what was
  disclosable on a past day.
* ``self``: the real-name verified subject sees everything held about them (Art. 39).
* ``authorized``: a third party within a subject's authorization (scope, purpose, channel,
  validity).

Who may call which is decided by ``pcip.auth.permissions``; what each sees by
``pcip.disclosure.rules`` via ``pcip.disclosure.service``. This module only wires the two and
writes the log (Art. 22, D-18); finding organisations by name is ``name_search``.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, insert, or_, select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, Principal, require
from pcip.config import get_settings
from pcip.disclosure.service import (
    Disclosed,
    HeldRecord,
    disclose,
    held_records,
    subject_and_records,
)
from pcip.errors import NotFound, ValidationError
from pcip.inquiry import alerts, authorizations, confidential, scope
from pcip.inquiry.models import InquiryLog

# Finding organisations by name lives in ``name_search``; these names stay importable here.
from pcip.inquiry.name_search import SEARCH_LIMIT as SEARCH_LIMIT
from pcip.inquiry.name_search import gram_share as gram_share
from pcip.inquiry.name_search import name_grams as name_grams
from pcip.inquiry.name_search import search_organisations as search_organisations
from pcip.inquiry.name_search import typo_patterns as typo_patterns
from pcip.inquiry.present import own_record_tree, record_tree, subject_tree
from pcip.inquiry.purpose import require_meaningful
from pcip.inquiry.schemas import (
    AuthorityInquiry,
    Channel,
    InquiryResult,
    OwnInquiryResult,
    PersonLookup,
    SubjectRef,
)
from pcip.kernel.answers import Answer
from pcip.kernel.driver import DriverStatement
from pcip.kernel.enums import InquiryMode, SubjectKind
from pcip.kernel.keys.keyring import Keyring
from pcip.kernel.messages import msg
from pcip.kernel.platform import replica_reads
from pcip.subjects import service as subjects
from pcip.subjects.models import Subject

PUBLIC_INQUIRER = "public:anonymous"
PUBLIC_DISPLAY = "社会公众"
#: How a subject's own inquiry is listed in its history (pages name it in their language).
SELF_DISPLAY = "本人"
# --- finding subjects ------------------------------------------------------------------------


def find_subject(
    session: Session, ring: Keyring, ref: SubjectRef, *, prefix: str = "subject."
) -> Subject | None:
    """The subject a reference names (errors name the request field, under ``prefix``)."""
    if ref.uscc:
        key = subjects.organisation_by_uscc(ref.uscc, field=f"{prefix}uscc")
    elif ref.registration_no:
        return session.scalar(
            select(Subject).where(Subject.registration_no == ref.registration_no.strip())
        )
    elif ref.citizen_id:
        key = subjects.person_by_citizen_id(ring, ref.citizen_id, field=f"{prefix}citizen_id")
    else:
        key = subjects.person_by_document(
            ring, ref.document_type or "", ref.document_number or "", ref.document_country
        )
    return subjects.find(session, key)


# Statements on every inquiry's path are built once: building them cost more than running them.
_ORGANISATION = select(Subject).where(
    Subject.kind != SubjectKind.PERSON.value,
    or_(Subject.uscc == bindparam("code"), Subject.registration_no == bindparam("registration_no")),
)


_SUBJECT = select(Subject).where(Subject.id == bindparam("subject_id"))
_LOG_TABLE = cast(Table, InquiryLog.__table__)
#: The log entry's columns, every one given by ``_write_log`` (none has a default).
_LOG_COLUMNS = tuple(c.key for c in _LOG_TABLE.c if c.key != "id")
#: Issue 22: one INSERT returning the new id, run on the driver (``pcip.kernel.driver``).
_LOG = DriverStatement(
    insert(_LOG_TABLE)
    .values({key: bindparam(key) for key in _LOG_COLUMNS})
    .returning(_LOG_TABLE.c.id)
)


class LogEntry(NamedTuple):
    """The log entry an inquiry just wrote: what its answer and the volume alert read of it.

    Issue 22: a plain tuple, not an ``InquiryLog`` object (making one was 3% of a public
    inquiry server's py-spy samples); the row itself is in the table, written by ``_write_log``.
    """

    id: int
    at: datetime


def _subject(session: Session, subject_id: int) -> Subject:
    subject = session.scalar(_SUBJECT, {"subject_id": subject_id})
    if subject is None:
        raise NotFound(msg("common.no_subject", id=subject_id), field="subject")
    return subject


def _subject_and_records(
    session: Session,
    subject_id: int,
    *,
    items: Collection[str] | None = None,
    categories: Collection[int] | None = None,
) -> tuple[Subject, list[HeldRecord]]:
    """The subject and its records in one round trip (issue 22); NotFound as ``_subject``."""
    subject, held = subject_and_records(
        session, subject_id=subject_id, items=items, categories=categories
    )
    if subject is None:
        raise NotFound(msg("common.no_subject", id=subject_id), field="subject")
    return subject, held


def find_organisation(session: Session, key: str) -> Subject:
    """An organisation by USCC or registration number (public pages name them so)."""
    code = key.strip().upper()
    subject = session.scalar(_ORGANISATION, {"code": code, "registration_no": key.strip()})
    if subject is None:
        raise NotFound(msg("inquiry.no_organisation", code=code), field="uscc")
    return subject


# --- the four modes --------------------------------------------------------------------------


def public_organisation(
    session: Session, principal: Principal, key: str, channel: Channel
) -> InquiryResult:
    """Art. 22: an organisation's public records (logged), as a model."""
    return public_organisation_answer(session, principal, key, channel).model()


def public_organisation_answer(
    session: Session, principal: Principal, key: str, channel: Channel
) -> Answer[InquiryResult]:
    """Art. 22: an organisation's public records, as the API writes them (``Answer``)."""
    require(principal, Permission.PUBLIC_DISCLOSURE)
    code = key.strip().upper()
    with replica_reads(session) as reads:  # issue 22: public disclosure may lag (scaling.md)
        # Issue 22: the organisation and its records in one round trip (find_organisation's).
        subject, held = subject_and_records(reads, organisation=(code, key.strip()))
        if subject is None:
            raise NotFound(msg("inquiry.no_organisation", code=code), field="uscc")
        return _public(session, principal, subject, channel, held)


def public_person(
    session: Session, ring: Keyring, principal: Principal, body: PersonLookup, channel: Channel
) -> InquiryResult:
    """Art. 22: a natural person only by the exact identifier.

    Whether the person is on file is not revealed: an unknown identifier answers exactly like
    a person with nothing public, so the endpoint cannot be used to test who is registered.
    """
    require(principal, Permission.PUBLIC_DISCLOSURE)
    ref = SubjectRef(
        citizen_id=body.citizen_id,
        document_type=body.document_type,
        document_number=body.document_number,
        document_country=body.document_country,
    )
    with replica_reads(session) as reads:  # issue 22: public disclosure may lag (scaling.md)
        subject = find_subject(reads, ring, ref, prefix="")
        result = (
            None
            if subject is None
            else _public(session, principal, subject, channel, held_records(reads, subject)).model()
        )
    if result is None:
        return InquiryResult(
            inquiry_id=None,
            mode=InquiryMode.PUBLIC_DISCLOSURE,
            on=clock.today(),
            subject=None,
            records=[],
        )
    if not result.records:
        # Nothing public: answer exactly as for an unknown identifier, so the answer does not
        # confirm the person is on file. The lookup is still in their inquiry history.
        result.subject, result.inquiry_id = None, None
    return result


def _public(
    session: Session,
    principal: Principal,
    subject: Subject,
    channel: Channel,
    held: list[HeldRecord],
) -> Answer[InquiryResult]:
    """``held`` was read on the replica's session (or ``session``); the log is on ``session``."""
    on = clock.today()
    mode = InquiryMode.PUBLIC_DISCLOSURE
    shown = disclose(held, mode, on)
    entry = log(session, principal, mode, channel, subject, shown, purpose=None)
    return _answer(entry, mode, on, subject, shown)


def authority(
    session: Session,
    ring: Keyring,
    principal: Principal,
    body: AuthorityInquiry,
    channel: Channel,
) -> InquiryResult:
    """Art. 22(2): a unit's staff, for a stated duty purpose, within the items its duties need.

    The purpose must say something (``purpose.require_meaningful``); the items read are the
    unit's inquiry scope (``scope.resolve``), narrowed by ``items`` / ``categories`` and
    never wider; a confidential inquiry names a reason from the fixed list (D-26).
    """
    require(principal, Permission.AUTHORITY_INQUIRY)
    today = clock.today()
    on = body.as_of or today
    if on > today:
        raise ValidationError(msg("inquiry.as_of_future"), field="as_of")
    stated = require_meaningful(body.purpose, "purpose")
    secret = confidential.reason(body.confidential_reason)
    codes = scope.resolve(session, principal.provider_id, body.items, body.categories)
    subject = find_subject(session, ring, body.subject)
    if subject is None:
        raise NotFound(msg("inquiry.no_subject_under_identifier"), field="subject")
    mode = InquiryMode.AUTHORITY
    held = held_records(session, subject, items=codes)
    shown = disclose(held, mode, on, body.purpose_code.value)
    entry = log(
        session,
        principal,
        mode,
        channel,
        subject,
        shown,
        purpose=f"{body.purpose_code.value}: {stated}",
        as_of=body.as_of,
        confidential_basis=secret.citation if secret else None,
        confidential_reason=secret.code if secret else None,
    )
    return _result(entry, mode, on, subject, shown)


def own(session: Session, principal: Principal, channel: Channel) -> OwnInquiryResult:
    """Art. 22 and 39: the verified subject sees every record, its status and its history."""
    return own_answer(session, principal, channel).model()


def own_answer(
    session: Session, principal: Principal, channel: Channel
) -> Answer[OwnInquiryResult]:
    """:func:`own`, as the API writes it (``Answer``)."""
    require(principal, Permission.SELF_INQUIRY)
    assert principal.subject_id is not None
    subject, held = _subject_and_records(session, principal.subject_id)
    on = clock.today()
    mode = InquiryMode.SELF
    records = [r for r in (own_record_tree(h, on) for h in held) if r is not None]
    returned = [(r["record_id"], r["version"]) for r in records]
    entry = _write_log(session, principal, mode, channel, subject, returned, purpose=None)
    from pcip.lists.linked import own_listings  # Art. 33: listings, linked records (issue 16)

    listings = own_listings(session, subject.id, on)
    return Answer(
        OwnInquiryResult,
        {
            "inquiry_id": entry.id,
            "mode": mode,
            "on": on,
            "subject": subject_tree(subject, mode),
            "records": records,
            "listings": [x.model_dump() for x in listings],
        },
    )


def authorized(
    session: Session, principal: Principal, authorization_id: int, channel: Channel
) -> InquiryResult:
    """Art. 22: within the authorization's scope, purpose, channel and validity."""
    return authorized_answer(session, principal, authorization_id, channel).model()


def authorized_answer(
    session: Session, principal: Principal, authorization_id: int, channel: Channel
) -> Answer[InquiryResult]:
    """:func:`authorized`, as the API writes it (``Answer``)."""
    require(principal, Permission.AUTHORIZED_INQUIRY)
    grant = authorizations.usable(session, principal, authorization_id, channel)
    subject, held = _subject_and_records(
        session, grant.subject_id, items=grant.scope_items, categories=grant.scope_categories
    )
    on = clock.today()
    mode = InquiryMode.AUTHORIZED
    shown = disclose(held, mode, on, grant.purpose)
    entry = log(
        session, principal, mode, channel, subject, shown, purpose=grant.purpose, grant=grant.id
    )
    return _answer(entry, mode, on, subject, shown)


def _answer(
    entry: LogEntry, mode: InquiryMode, on: date, subject: Subject, shown: list[Disclosed]
) -> Answer[InquiryResult]:
    return Answer(
        InquiryResult,
        {
            "inquiry_id": entry.id,
            "mode": mode,
            "on": on,
            "subject": subject_tree(subject, mode),
            "records": [record_tree(d) for d in shown],
        },
    )


def _result(
    entry: LogEntry, mode: InquiryMode, on: date, subject: Subject, shown: list[Disclosed]
) -> InquiryResult:
    return _answer(entry, mode, on, subject, shown).model()


# --- the log ---------------------------------------------------------------------------------


def log(
    session: Session,
    principal: Principal,
    mode: InquiryMode,
    channel: Channel,
    subject: Subject,
    shown: list[Disclosed],
    *,
    purpose: str | None,
    grant: int | None = None,
    as_of: date | None = None,
    confidential_basis: str | None = None,
    confidential_reason: str | None = None,
) -> LogEntry:
    returned = [(d.held.record.id, d.version.version.version) for d in shown]
    return _write_log(
        session,
        principal,
        mode,
        channel,
        subject,
        returned,
        purpose=purpose,
        grant=grant,
        as_of=as_of,
        confidential_basis=confidential_basis,
        confidential_reason=confidential_reason,
    )


def _write_log(
    session: Session,
    principal: Principal,
    mode: InquiryMode,
    channel: Channel,
    subject: Subject,
    returned: list[tuple[int, int]],
    *,
    purpose: str | None,
    grant: int | None = None,
    as_of: date | None = None,
    confidential_basis: str | None = None,
    confidential_reason: str | None = None,
) -> LogEntry:
    """Art. 22: who, mode, channel, purpose, subject, records and versions, authorization."""
    anonymous = principal.anonymous
    inquirer = PUBLIC_INQUIRER if anonymous else str(principal.actor)
    # Art. 39: a subject learns which organisation inquired; a member of the public (signed in
    # as a subject or not) appears only as "the public", never by name.
    display = principal.organisation or PUBLIC_DISPLAY
    if mode is InquiryMode.SELF:
        display = SELF_DISPLAY
    values: dict[str, Any] = {
        "at": clock.now(),
        "mode": mode.value,
        "channel": channel.value,
        "purpose": purpose,
        "inquirer": inquirer,
        "inquirer_display": display[:200],
        "subject_id": subject.id,
        "authorization_id": grant,
        "as_of": as_of,
        "confidential_basis": confidential_basis,
        "confidential_reason": confidential_reason,
        "returned": [list(r) for r in returned],
        "returned_count": len(returned),
    }
    # One INSERT in the inquiry's transaction (no unit of work: nothing else is pending).
    [(inserted,)] = _LOG.rows(session.connection(), values)
    entry = LogEntry(inserted, values["at"])
    if not anonymous and mode is not InquiryMode.SELF:
        threshold = get_settings().inquiry_alert_per_hour
        alerts.check_volume(session, inquirer, display, entry.at, threshold)
    return entry
