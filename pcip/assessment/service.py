"""One subject's assessment, for a department with an Art. 30 purpose (derived, never stored).

The inputs are the records the authority mode may read for that purpose on the day
(``pcip.disclosure``: the same rule function as every inquiry), public information only, and
the seriously untrustworthy listings in force (``pcip.lists``). The read is written to the
inquiry log (Art. 22) and audited; the answer names the model version and carries the
"administrative use only" watermark (D-22). No other mode, report or public page calls this.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy.orm import Session

from pcip import clock
from pcip.assessment import model
from pcip.assessment.schemas import WATERMARK, AssessmentOut, AssessmentRequest, ReasonOut
from pcip.auth.permissions import Permission, Principal, require
from pcip.disclosure.rules import ASSESSMENT_PURPOSES
from pcip.disclosure.service import disclose, held_records
from pcip.errors import NotFound, ValidationError
from pcip.inquiry import service as inquiry
from pcip.inquiry.purpose import require_meaningful
from pcip.inquiry.schemas import Channel
from pcip.kernel import audit
from pcip.kernel.enums import InfoClass, InquiryMode
from pcip.kernel.keys.keyring import Keyring
from pcip.kernel.messages import Term, msg
from pcip.lists.public import listed_on_day

ARTICLE = "Art. 30"


def assess(
    session: Session,
    ring: Keyring,
    principal: Principal,
    body: AssessmentRequest,
    channel: Channel,
) -> AssessmentOut:
    require(principal, Permission.ASSESSMENT_READ)
    code = body.purpose_code.value
    if code not in ASSESSMENT_PURPOSES:
        allowed = sorted(ASSESSMENT_PURPOSES)
        raise ValidationError(
            msg(
                "assessment.purpose_not_allowed",
                purposes=[Term("purpose", p) for p in allowed],
                purpose_codes=allowed,
                purpose=Term("purpose", code),
                code=code,
            ),
            field="purpose_code",
        )
    stated = require_meaningful(body.purpose, "purpose")
    subject = inquiry.find_subject(session, ring, body.subject)
    if subject is None:
        raise NotFound(msg("assessment.no_subject"), field="subject")
    on = clock.today()
    shown = disclose(held_records(session, subject), InquiryMode.AUTHORITY, on, code)
    used = [d for d in shown if d.held.record.info_class == InfoClass.PUBLIC.value]
    counts = Counter((d.version.spec.code, d.held.record.polarity) for d in used)
    listings = len(listed_on_day(session, subject.id, on))
    result = model.score(counts, listings)
    entry = inquiry.log(
        session,
        principal,
        InquiryMode.AUTHORITY,
        channel,
        subject,
        used,
        purpose=f"{code}: {stated} [Art. 30 assessment {result.model_version}]",
    )
    audit.record(
        session,
        principal.actor,
        "assessment.read",
        object_type="subject",
        object_id=subject.id,
        article=ARTICLE,
        details={
            "purpose_code": code,
            "model_version": result.model_version,
            "grade": result.grade,
            "inquiry_id": entry.id,
        },
    )
    band = next(g for g in model.current().grades if g.grade == result.grade)
    return AssessmentOut(
        subject_id=subject.id,
        subject_name=subject.name,
        model_version=result.model_version,
        computed_on=on,
        score=result.score,
        grade=result.grade,
        grade_meaning=f"{band.meaning_zh} ({band.meaning_en})",
        reasons=[
            ReasonOut(code=r.code, count=r.count, points=r.points, citation=r.citation)
            for r in result.reasons
        ],
        inquiry_id=entry.id,
        watermark=WATERMARK,
    )
