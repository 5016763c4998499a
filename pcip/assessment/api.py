"""The HTTP door onto the assessment (Art. 30): departments only, with a stated purpose."""

from __future__ import annotations

from pcip.assessment import batch, service
from pcip.assessment.schemas import AssessmentOut, AssessmentRequest, RunOut
from pcip.auth.api import ChannelDep, PrincipalDep
from pcip.auth.permissions import Permission, require
from pcip.doors.api_common import AUTH_RESPONSES, ERROR_RESPONSES, Router, SessionDep
from pcip.inquiry.api import PlatformDep

RESPONSES = {**ERROR_RESPONSES, **AUTH_RESPONSES}
router = Router(prefix="/assessments", tags=["assessment (departments only)"], responses=RESPONSES)


@router.post("", response_model=AssessmentOut)
def assess(
    body: AssessmentRequest,
    session: SessionDep,
    principal: PrincipalDep,
    channel: ChannelDep,
    platform: PlatformDep,
) -> AssessmentOut:
    """Art. 30: a subject's comprehensive assessment for administrative management, public
    services, sector assessments or tiered supervision (logged; administrative use only)."""
    return service.assess(session, platform.keyring, principal, body, channel)


@router.get("/distribution", response_model=RunOut | None)
def distribution(session: SessionDep, principal: PrincipalDep) -> RunOut | None:
    """Art. 30, 53: the grade distribution of the latest batch run (no subject named);
    null before the first run (``pcip assessment run``)."""
    require(principal, Permission.DASHBOARD_READ)
    r = batch.latest(session)
    return batch.out(r) if r is not None else None


routers = [router]
