"""The HTTP door onto measures and credit checks (Art. 31, 34-38)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import File, Form, UploadFile

from pcip import clock
from pcip.auth.api import ChannelDep, PrincipalDep
from pcip.auth.permissions import Permission, require
from pcip.doors.api_common import AUTH_RESPONSES, ERROR_RESPONSES, Router, SessionDep
from pcip.doors.http_guard import UPLOAD_BODY
from pcip.inquiry.api import PlatformDep
from pcip.measures import applications, catalogue, checks, incentives
from pcip.measures.catalogue import Matter, MeasureSpec
from pcip.measures.incentives import IncentiveSpec
from pcip.measures.schemas import ApplicationIn, ApplicationOut, CheckIn, CheckOut

RESPONSES = {**ERROR_RESPONSES, **AUTH_RESPONSES}
router = Router(tags=["measures"], responses=RESPONSES)


@router.get("/measures", response_model=list[MeasureSpec])
def measures(principal: PrincipalDep, session: SessionDep) -> list[MeasureSpec]:
    """Art. 34-36: the national basic list and the city supplement in force today."""
    require(principal, Permission.LIST_PUBLIC)
    return catalogue.in_force(clock.today(), session)


@router.get("/measures/incentives", response_model=list[IncentiveSpec])
def incentive_measures(principal: PrincipalDep) -> list[IncentiveSpec]:
    """Art. 31: the incentive measures in force today, each with its legal basis."""
    require(principal, Permission.LIST_PUBLIC)
    return incentives.in_force(clock.today())


@router.post("/measures/applications", response_model=ApplicationOut, status_code=201)
def apply(
    body: ApplicationIn, session: SessionDep, principal: PrincipalDep, platform: PlatformDep
) -> ApplicationOut:
    """Art. 34, 37: record a listed measure, or the mandatory waiver when the conduct was
    minor or incidental, promptly corrected and harmless."""
    return applications.out(applications.apply(session, platform.keyring, principal, body))


@router.post("/credit-checks", response_model=CheckOut)
def credit_check(
    body: CheckIn,
    session: SessionDep,
    principal: PrincipalDep,
    platform: PlatformDep,
    channel: ChannelDep,
) -> CheckOut:
    """Art. 31, 34: which measures apply to the subject for the matter, each with its reason;
    logged as an authority inquiry with the matter as its purpose."""
    return checks.check(session, platform.keyring, principal, body, channel)


@router.post("/credit-checks/batch", max_body_size=UPLOAD_BODY)
def credit_check_batch(
    session: SessionDep,
    principal: PrincipalDep,
    platform: PlatformDep,
    channel: ChannelDep,
    file: Annotated[UploadFile, File(description="CSV or XLSX: columns uscc and/or citizen_id")],
    matter: Annotated[Matter, Form(examples=["procurement"])],
    purpose: Annotated[str, Form(max_length=200)],
) -> dict[str, Any]:
    """Up to 100,000 subjects: the summary and the result file (CSV text)."""
    require(principal, Permission.CREDIT_CHECK)
    name = Path(file.filename or "batch.csv").name
    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp) / name, Path(tmp) / "result.csv"
        path.write_bytes(file.file.read())
        summary = checks.batch(
            session,
            platform.keyring,
            principal,
            path,
            matter=matter,
            purpose=purpose,
            result_path=out,
            channel=channel,
        )
        return {
            "summary": summary.model_dump(mode="json"),
            "result_csv": out.read_text("utf-8-sig"),
        }


routers = [router]
