"""Making credit pledges, registering voluntary information, tracking performance (Art. 26,
18(6), 45).

* A subject pledges with the standard text of a matter (``pcip.pledges.texts``); staff at a
  service window may register a pledge signed on paper for it (restoration at a window).
* Voluntary information (Art. 26) is registered with its pledge of lawfulness, veracity and
  completeness; it is self-declared: every output that shows it says so (``SELF_DECLARED``),
  and it never enters public credit information (Art. 23).
* The unit a pledge was made to records whether it was kept or broken. A broken pledge
  becomes a record only through the unit's normal submission of a basis document (Art. 20):
  the finding names that record's basis document number, and the record itself arrives with
  the unit's batch like any other (docs/pledges.md).

Every change writes its audit row in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, Principal, allowed, require
from pcip.errors import Collect, Conflict, Forbidden, NotFound, ValidationError
from pcip.kernel import audit
from pcip.kernel.enums import ActorKind
from pcip.kernel.messages import msg
from pcip.pledges.models import (
    CHANNELS,
    DECLARATION_KINDS,
    CreditPledge,
    PledgePerformance,
    SelfDeclaration,
)
from pcip.pledges.texts import text_for
from pcip.subjects.models import Subject

#: How voluntary information is labelled wherever it is shown (Art. 26): never as a unit's
#: record.
SELF_DECLARED = "self_declared"
#: Art. 26: the kinds of voluntary information (for the doors, which do not read the tables).
KINDS: tuple[str, ...] = DECLARATION_KINDS


@dataclass(frozen=True)
class PledgeView:
    pledge: CreditPledge
    #: "open" until the unit records an outcome, then "kept" or "broken".
    status: str
    performance: PledgePerformance | None


def _subject(session: Session, subject_id: int) -> Subject:
    subject = session.get(Subject, subject_id)
    if subject is None:
        raise NotFound(msg("common.no_subject", id=subject_id), field="subject_id")
    return subject


def _may_act_for(principal: Principal, subject_id: int, channel: str) -> None:
    """The subject itself online or through the API; staff only at a service window."""
    if channel not in CHANNELS:
        raise ValidationError(
            msg("pledges.unknown_channel", channel=repr(channel)), field="channel"
        )
    if principal.role is ActorKind.SUBJECT:
        require(principal, Permission.PLEDGE_MAKE)
        if principal.subject_id != subject_id:
            raise Forbidden(msg("pledges.own_only"))
        if channel == "window":
            raise ValidationError(msg("pledges.subject_channel"), field="channel")
        return
    require(principal, Permission.RESTORATION_REGISTER)
    if channel != "window":
        raise ValidationError(msg("pledges.staff_window_only"), field="channel")


def make_pledge(
    session: Session,
    principal: Principal,
    *,
    subject_id: int,
    matter: str,
    concerning: str | None = None,
    provider_id: int | None = None,
    channel: str = "online",
) -> CreditPledge:
    """Art. 26, 45: the subject pledges with the standard text of ``matter`` as it stands."""
    _may_act_for(principal, subject_id, channel)
    _subject(session, subject_id)
    text = text_for(matter)
    if concerning is not None and len(concerning) > 2000:
        raise ValidationError(msg("common.at_most_chars", n=2000), field="concerning")
    pledge = CreditPledge(
        subject_id=subject_id,
        matter=matter,
        text_version=text.version,
        text_zh=text.text_zh,
        text_en=text.text_en,
        citation=text.citation,
        concerning=(concerning or "").strip() or None,
        provider_id=provider_id,
        channel=channel,
        made_on=clock.today(),
        made_at=clock.now(),
        made_by=str(principal.actor),
    )
    session.add(pledge)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "pledge.make",
        object_type="credit_pledge",
        object_id=pledge.id,
        article="Art. 26" if matter != "restoration" else "Art. 26, 45",
        details={
            "subject_id": subject_id,
            "matter": matter,
            "text_version": text.version,
            "channel": channel,
            "provider_id": provider_id,
        },
    )
    return pledge


def get_pledge(session: Session, principal: Principal, pledge_id: int) -> CreditPledge:
    """A pledge its subject, the unit it was made to, or the platform may read."""
    pledge = session.get(CreditPledge, pledge_id)
    hidden = NotFound(msg("pledges.no_pledge", id=pledge_id), field="pledge_id")
    if pledge is None:
        raise hidden
    if principal.role is ActorKind.SUBJECT and principal.subject_id == pledge.subject_id:
        return pledge
    if allowed(principal, Permission.PLEDGE_TRACK) and principal.provider_id == pledge.provider_id:
        return pledge
    if principal.role is ActorKind.OPERATOR and allowed(principal, Permission.RESTORATION_HANDLE):
        return pledge
    if principal.anonymous:
        require(principal, Permission.PLEDGE_MAKE)  # 401
    raise hidden


def performance_of(session: Session, pledge_id: int) -> PledgePerformance | None:
    return session.scalar(
        select(PledgePerformance)
        .where(PledgePerformance.pledge_id == pledge_id)
        .order_by(PledgePerformance.id)
        .limit(1)
    )


def view(session: Session, pledge: CreditPledge) -> PledgeView:
    found = performance_of(session, pledge.id)
    return PledgeView(pledge, found.outcome if found else "open", found)


def record_performance(
    session: Session,
    principal: Principal,
    pledge_id: int,
    *,
    outcome: str,
    finding: str,
    record_reference: str | None = None,
    on: date | None = None,
) -> PledgePerformance:
    """The unit the pledge was made to finds it kept or broken (Art. 26).

    A broken pledge names ``record_reference``: the basis document number of the record the
    unit submits for the breach through its normal submission (Art. 20); the platform never
    makes a record out of the finding by itself.
    """
    require(principal, Permission.PLEDGE_TRACK)
    pledge = session.get(CreditPledge, pledge_id)
    if pledge is None or pledge.provider_id is None or pledge.provider_id != principal.provider_id:
        raise NotFound(msg("pledges.not_made_to_unit", id=pledge_id), field="pledge_id")
    # Issue 19.8: every field is checked before the finding is refused.
    problems = Collect()
    if outcome not in ("kept", "broken"):
        with problems:
            raise ValidationError(msg("pledges.kept_or_broken"), field="outcome")
    if not finding.strip():
        with problems:
            raise ValidationError(msg("pledges.state_finding"), field="finding")
    reference = (record_reference or "").strip() or None
    if outcome == "broken" and reference is None:
        with problems:
            raise ValidationError(msg("pledges.broken_needs_number"), field="record_reference")
    problems.raise_any()
    day = on or clock.today()
    if day < pledge.made_on or day > clock.today():
        raise ValidationError(
            msg("pledges.finding_day", day=pledge.made_on.isoformat()), field="on"
        )
    if performance_of(session, pledge.id) is not None:
        raise Conflict(msg("pledges.already_found", id=pledge_id), field="pledge_id")
    row = PledgePerformance(
        pledge_id=pledge.id,
        outcome=outcome,
        on=day,
        finding=finding.strip(),
        record_reference=reference,
        provider_id=principal.provider_id,
        at=clock.now(),
        by=str(principal.actor),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal.actor,
        f"pledge.{outcome}",
        object_type="credit_pledge",
        object_id=pledge.id,
        article="Art. 26",
        details={"on": day.isoformat(), "record_reference": reference, "matter": pledge.matter},
    )
    return row


def pledges_of(session: Session, subject_id: int) -> list[PledgeView]:
    rows = session.scalars(
        select(CreditPledge)
        .where(CreditPledge.subject_id == subject_id)
        .order_by(CreditPledge.id.desc())
    )
    return [view(session, p) for p in rows]


def my_pledges(session: Session, principal: Principal) -> list[PledgeView]:
    require(principal, Permission.PLEDGE_MAKE)
    if principal.subject_id is None:
        raise Forbidden(msg("common.sign_in_as_subject"))
    return pledges_of(session, principal.subject_id)


def unit_pledges(session: Session, principal: Principal) -> list[PledgeView]:
    """The pledges made to the caller's unit, newest first (for tracking)."""
    require(principal, Permission.PLEDGE_TRACK)
    rows = session.scalars(
        select(CreditPledge)
        .where(CreditPledge.provider_id == principal.provider_id)
        .order_by(CreditPledge.id.desc())
        .limit(500)
    )
    return [view(session, p) for p in rows]


# --- voluntary information (Art. 26, 18(6)) ----------------------------------------------------


def declare(
    session: Session,
    principal: Principal,
    *,
    kind: str,
    title: str,
    content: str,
    channel: str = "online",
) -> SelfDeclaration:
    """Art. 26: the subject registers information of its own will, with the pledge on its
    lawfulness, veracity and completeness; it is shown as self-declared."""
    require(principal, Permission.PLEDGE_MAKE)
    if principal.subject_id is None:
        raise Forbidden(msg("common.sign_in_as_subject"))
    # Issue 19.8: every field is checked before the declaration is refused.
    problems = Collect()
    if kind not in DECLARATION_KINDS:
        with problems:
            raise ValidationError(
                msg("pledges.declaration_kind", kinds=list(DECLARATION_KINDS)), field="kind"
            )
    title, content = title.strip(), content.strip()
    if not 2 <= len(title) <= 200:
        with problems:
            raise ValidationError(msg("common.length_between", low=2, high=200), field="title")
    if not 2 <= len(content) <= 4000:
        with problems:
            raise ValidationError(msg("common.length_between", low=2, high=4000), field="content")
    problems.raise_any()
    pledge = make_pledge(
        session,
        principal,
        subject_id=principal.subject_id,
        matter="self_declaration",
        concerning=title,
        channel=channel,
    )
    row = SelfDeclaration(
        subject_id=principal.subject_id,
        kind=kind,
        title=title,
        content=content,
        pledge_id=pledge.id,
        declared_on=clock.today(),
        declared_at=clock.now(),
        declared_by=str(principal.actor),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "self_declaration.register",
        object_type="self_declaration",
        object_id=row.id,
        article="Art. 26; Art. 18(6)",
        details={"kind": kind, "pledge_id": pledge.id},
    )
    return row


def withdraw_declaration(
    session: Session, principal: Principal, declaration_id: int
) -> SelfDeclaration:
    """The subject stops showing what it declared (the row and its pledge are kept)."""
    require(principal, Permission.PLEDGE_MAKE)
    row = session.get(SelfDeclaration, declaration_id)
    if row is None or row.subject_id != principal.subject_id:
        raise NotFound(msg("pledges.no_declaration", id=declaration_id), field="declaration_id")
    if row.withdrawn_on is not None:
        raise Conflict(msg("pledges.declaration_withdrawn", id=declaration_id))
    row.withdrawn_on = clock.today()
    audit.record(
        session,
        principal.actor,
        "self_declaration.withdraw",
        object_type="self_declaration",
        object_id=row.id,
        article="Art. 26",
        details={"on": row.withdrawn_on.isoformat()},
    )
    return row


def declarations_of(
    session: Session, subject_id: int, *, include_withdrawn: bool = False
) -> list[SelfDeclaration]:
    """A subject's voluntary information (each shown labelled ``SELF_DECLARED``)."""
    query = select(SelfDeclaration).where(SelfDeclaration.subject_id == subject_id)
    if not include_withdrawn:
        query = query.where(SelfDeclaration.withdrawn_on.is_(None))
    return list(session.scalars(query.order_by(SelfDeclaration.id.desc())))


def my_declarations(session: Session, principal: Principal) -> list[SelfDeclaration]:
    require(principal, Permission.PLEDGE_MAKE)
    if principal.subject_id is None:
        raise Forbidden(msg("common.sign_in_as_subject"))
    return declarations_of(session, principal.subject_id, include_withdrawn=True)
