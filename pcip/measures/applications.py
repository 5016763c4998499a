"""Measure applications (Art. 34, 37): only listed measures; the waiver is mandatory.

A department records a measure against a subject for a matter. Art. 34: the measure must be an
item of the national basic list or the city supplement in force that day; free text is
refused. Art. 37 (D-23): the department records the conduct's nature, circumstances and
social impact, the chosen severity, and its findings on the three waiver conditions with
reasons. When the conduct was minor or incidental AND promptly corrected AND caused no harmful
outcome, the platform records the application as ``waived`` and no measure: the waiver is not
the department's choice.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, Principal, require
from pcip.errors import NotFound, ValidationError
from pcip.inquiry.service import find_subject
from pcip.kernel import audit
from pcip.kernel.keys.keyring import Keyring
from pcip.kernel.messages import msg
from pcip.lists.models import Designation
from pcip.measures import catalogue
from pcip.measures.models import MeasureApplication
from pcip.measures.schemas import ApplicationIn, ApplicationOut


def apply(
    session: Session, ring: Keyring, principal: Principal, body: ApplicationIn
) -> MeasureApplication:
    require(principal, Permission.MEASURE_APPLY)
    today = clock.today()
    spec = catalogue.get(body.measure, today, session=session)
    if spec.matters and body.matter not in spec.matters:
        raise ValidationError(
            msg(
                "measures.wrong_matter",
                code=repr(spec.code),
                matters=list(spec.matters),
                matter=body.matter,
            ),
            field="matter",
        )
    subject = find_subject(session, ring, body.subject)
    if subject is None:
        raise NotFound(msg("inquiry.no_subject_under_identifier"), field="subject")
    if body.designation_id is not None:
        d = session.get(Designation, body.designation_id)
        if d is None or d.subject_id != subject.id:
            raise NotFound(
                msg("measures.no_designation", id=body.designation_id), field="designation_id"
            )
    assert principal.provider_id is not None
    waived = body.minor_or_incidental and body.promptly_corrected and body.no_harmful_outcome
    row = MeasureApplication(
        subject_id=subject.id,
        provider_id=principal.provider_id,
        designation_id=body.designation_id,
        matter=body.matter,
        matter_ref=body.matter_ref,
        requested_measure=spec.code,
        status="waived" if waived else "applied",  # Art. 37: mandatory
        nature=body.nature,
        circumstances=body.circumstances,
        impact=body.impact,
        severity=body.severity,
        minor_or_incidental=body.minor_or_incidental,
        promptly_corrected=body.promptly_corrected,
        no_harmful_outcome=body.no_harmful_outcome,
        waiver_reasons=body.waiver_reasons,
        decided_on=today,
        recorded_at=clock.now(),
        recorded_by=str(principal.actor),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "measure.waived" if waived else "measure.applied",
        object_type="measure_application",
        object_id=row.id,
        article="Art. 37" if waived else "Art. 34, 37",
        details={"measure": spec.code, "matter": body.matter, "subject": subject.id},
    )
    return row


def out(row: MeasureApplication) -> ApplicationOut:
    spec = catalogue.spec_of(row.requested_measure)
    return ApplicationOut(
        id=row.id,
        subject_id=row.subject_id,
        status="waived" if row.status == "waived" else "applied",
        measure=None if row.status == "waived" else row.requested_measure,
        requested_measure=row.requested_measure,
        matter=row.matter,
        matter_ref=row.matter_ref,
        conditions={
            "minor_or_incidental": row.minor_or_incidental,
            "promptly_corrected": row.promptly_corrected,
            "no_harmful_outcome": row.no_harmful_outcome,
        },
        waiver_reasons=row.waiver_reasons,
        legal_basis=spec.legal_basis if spec else "",
        legal_basis_en=spec.legal_basis_en if spec else None,
        decided_on=row.decided_on,
    )


def recent(session: Session, principal: Principal, limit: int = 20) -> list[ApplicationOut]:
    """The unit's own applications and waivers, newest first (Art. 34, 37)."""
    require(principal, Permission.MEASURE_APPLY)
    if principal.provider_id is None:
        return []
    rows = session.scalars(
        select(MeasureApplication)
        .where(MeasureApplication.provider_id == principal.provider_id)
        .order_by(MeasureApplication.id.desc())
        .limit(limit)
    ).all()
    return [out(r) for r in rows]
