"""Art. 33 linked persons, and the subject's own view of its listings (Art. 39).

Listing an organisation gives each responsible person named in the decision (and each on
file as its legal representative, principal, actual controller or other directly responsible
person) a linked untrustworthiness record. It is natural persons' untrustworthiness
information, so D-7 applies: provided for 5 years from the end of the organisation's conduct
(Art. 43; the decision date provisionally when no end date is known, D-6), and earlier ended
by the organisation's removal, expiry or revocation (Art. 44, 45). Nothing is deleted: the
end follows from the listing's dates.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import BindParameter, bindparam, or_, select
from sqlalchemy.orm import Session

from pcip.calendar.service import work_calendar
from pcip.kernel.driver import DriverStatement, flushed_connection
from pcip.lists import types
from pcip.lists.designation import add_years
from pcip.lists.models import Designation, DesignationPerson
from pcip.lists.schemas import OwnListingOut
from pcip.lists.states import state_of
from pcip.subjects.models import Subject

#: Art. 43: natural persons' untrustworthiness information is provided for 5 years.
PERSON_YEARS = 5


def provided_until(d: Designation) -> date | None:
    """D-7: the linked record's last day under Art. 43 (before any earlier end)."""
    start = d.conduct_end_date or d.decided_on
    return add_years(start, PERSON_YEARS) if start else None


def linked_in_force(d: Designation, on: date) -> bool:
    """The linked record is provided on ``on``: the listing in force and Art. 43 not run out."""
    from pcip.lists.states import in_force

    until = provided_until(d)
    return in_force(d, on) and (until is None or on <= until)


def forget_linked_persons(session: Session, designation_id: int) -> list[tuple[int, str]]:
    """D-8 (Art. 45 para 3): after a restoration removes a listing, its responsible persons'
    linked records are removed from the active store and every output. Returns who they were
    (person id, role) for the one sealed audit entry the caller writes in the same
    transaction; nothing else keeps them."""
    rows = list(
        session.scalars(
            select(DesignationPerson).where(DesignationPerson.designation_id == designation_id)
        )
    )
    for row in rows:
        session.delete(row)
    session.flush()
    return [(row.person_id, row.role) for row in rows]


_SUBJECT: BindParameter[int] = bindparam("subject_id")
#: Built once (issue 22: it runs on every self inquiry; building it cost more than running it).
_OWN_WHERE = or_(
    (Designation.subject_id == _SUBJECT) & Designation.notice_served_on.is_not(None),
    Designation.id.in_(
        select(DesignationPerson.designation_id).where(DesignationPerson.person_id == _SUBJECT)
    )
    & Designation.listed_on.is_not(None),
)
#: Issue 22: which listings there are, on the driver's cursor (``pcip.kernel.driver``): most
#: subjects have none, and asking the ORM for no rows cost a self inquiry about 6% of its CPU.
_OWN_IDS = DriverStatement(select(Designation.id).where(_OWN_WHERE).order_by(Designation.id))
_OWN = select(Designation).where(_OWN_WHERE).order_by(Designation.id)


def own_listings(session: Session, subject_id: int, on: date) -> list[OwnListingOut]:
    """Everything the subject may know of its listings: as the listed party (from the notice
    on, with its whole path), and as a person named in an organisation's listing (the linked
    record, while provided, and ended ones marked as such)."""
    if not _OWN_IDS.rows(flushed_connection(session), {"subject_id": subject_id}):
        return []  # most subjects: no calendar to build, no roles to read (issue 22)
    # A subject with listings: read them whole (a second statement, with the same conditions).
    rows = session.scalars(_OWN, {"subject_id": subject_id}).all()
    calendar = work_calendar(session)
    roles = {
        (p.designation_id): p.role
        for p in session.scalars(
            select(DesignationPerson).where(DesignationPerson.person_id == subject_id)
        )
    }
    out: list[OwnListingOut] = []
    for d in rows:
        spec = types.get(d.list_type)
        decision = d.decision or {}
        own = d.subject_id == subject_id
        org = None if own else session.get(Subject, d.subject_id)
        state = state_of(d, spec, calendar, on).value
        if not own and state == "listed" and not linked_in_force(d, on):
            state = "no_longer_provided"  # D-6, D-7: Art. 43 ran out before the listing
        out.append(
            OwnListingOut(
                designation_id=d.id,
                list_type=spec.code,
                list_name=spec.name_zh,
                relation="listed" if own else roles.get(d.id, "other_direct"),
                organisation=org.name if org is not None else None,
                state=state,
                listed_on=d.listed_on,
                listed_until=d.listed_until,
                ended_on=d.ended_on,
                deciding_authority=d.deciding_authority,
                removal_conditions=spec.removal_conditions,
                removal_procedure=str(decision.get("removal") or spec.removal_procedure),
                remedies=str(decision.get("remedies") or spec.remedies),
                provided_until=None if own else provided_until(d),
            )
        )
    return out
