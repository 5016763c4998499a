"""What the public may see of each list (Art. 22, 32): entries in force on the day, with the
deciding authority and dates; organisations always, natural persons only on list types whose
rule publishes them (``persons_public``), and then only with a masked identifier."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, Principal, require
from pcip.kernel.enums import SubjectKind
from pcip.lists import types
from pcip.lists.models import Designation
from pcip.lists.schemas import PublicEntryOut, PublicListOut
from pcip.subjects import service as subjects
from pcip.subjects.models import Subject

PAGE = 50


def in_force(on: date) -> list[Any]:
    """The conditions of a listing in force on ``on`` (Art. 32-33), for queries over listings."""
    return [
        Designation.listed_on.is_not(None),
        Designation.listed_on <= on,
        or_(Designation.ended_on.is_(None), Designation.ended_on > on),
        or_(Designation.listed_until.is_(None), Designation.listed_until >= on),
    ]


def entries(
    session: Session, principal: Principal, code: str, q: str = "", offset: int = 0
) -> PublicListOut:
    require(principal, Permission.LIST_PUBLIC)
    spec = types.get(code)
    on = clock.today()
    where: list[Any] = [Designation.list_type == spec.code, *in_force(on)]
    if not spec.persons_public:
        where.append(Subject.kind != SubjectKind.PERSON.value)
    q = " ".join(q.split())[:100]
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
        where.append(or_(Subject.name.like(pattern, escape="\\"), Subject.uscc == q.upper()))
    base = select(Designation, Subject).join(Subject, Subject.id == Designation.subject_id)
    total = session.scalar(
        select(func.count())
        .select_from(Designation)
        .join(Subject, Subject.id == Designation.subject_id)
        .where(*where)
    )
    rows = session.execute(
        base.where(*where)
        .order_by(Designation.listed_on.desc(), Designation.id.desc())
        .offset(max(0, offset))
        .limit(PAGE)
    ).all()
    return PublicListOut(
        list_type=types.out(spec),
        on=on,
        total=total or 0,
        entries=[
            PublicEntryOut(
                designation_id=d.id,
                name=s.name,
                identifier=subjects.display_identifier(s),
                deciding_authority=d.deciding_authority,
                decision_number=d.decision_number,
                listed_on=d.listed_on,
                listed_until=d.listed_until,
            )
            for d, s in rows
        ],
    )


def listed_on_day(session: Session, subject_id: int, on: date) -> list[Designation]:
    """The listings of a subject in force on ``on`` (any list)."""
    return list(
        session.scalars(
            select(Designation).where(Designation.subject_id == subject_id, *in_force(on))
        )
    )
