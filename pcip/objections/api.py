"""The HTTP door onto objections (Art. 40-42), proactive corrections and the calendar.

Thin routes: every step is a service function declared in ``objections.steps``, which
checks the caller (case scope, the role that takes the step) before it writes its event and
audit row in the request's one transaction; deadlines in every answer are derived, never stored.
Uploads are ``multipart/form-data`` (evidence files); other steps take JSON.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import File, Form, Path, Query, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticError
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.api import ChannelDep, PrincipalDep
from pcip.auth.permissions import Permission, Principal, require
from pcip.doors.api_common import (
    AUTH_RESPONSES,
    ERROR_RESPONSES,
    MAX_ID,
    IdPath,
    Router,
    SessionDep,
)
from pcip.doors.http_guard import UPLOAD_BODY
from pcip.errors import ValidationError
from pcip.inquiry.api import PlatformDep
from pcip.kernel.messages import Either, msg
from pcip.objections import (
    access,
    alerts,
    archive,
    corrections,
    notices,
    present,
    service,
    tracking,
)
from pcip.objections.codes import CHANNELS
from pcip.objections.evidence import EvidenceFile, download_headers, read
from pcip.objections.schemas import (
    ChangesIn,
    CorrectionIn,
    CorrectionOut,
    DecisionIn,
    DeclineIn,
    ObjectionAlertOut,
    ObjectionOut,
    ObjectionSummary,
    OverdueOut,
    TransferIn,
    WithdrawalIn,
)
from pcip.objections.states import State

if TYPE_CHECKING:
    from pcip.objections.models import Objection, ObjectionAlert

RESPONSES = {**ERROR_RESPONSES, **AUTH_RESPONSES}
EvidenceUpload = Annotated[
    list[UploadFile],
    File(description="Evidence files (PDF, JPEG, PNG or UTF-8 text; 10 MB each, 20 at most)"),
]
#: What a notice page may do in a browser: show itself and print, nothing else.
NOTICE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _files(uploads: list[UploadFile] | None) -> list[EvidenceFile]:
    return [EvidenceFile(u.filename or "", u.file.read(), u.content_type) for u in uploads or []]


def _changes(text: str | None) -> ChangesIn | None:
    if text is None or not text.strip():
        return None
    try:
        return TypeAdapter(ChangesIn).validate_python(json.loads(text))
    except (json.JSONDecodeError, PydanticError):
        raise ValidationError(msg("objections.changes_json"), field="changes") from None


def _withdrawal(text: str | None) -> dict[str, Any] | None:
    if text is None or not text.strip():
        return None
    try:
        parsed = WithdrawalIn.model_validate(json.loads(text))
    except (json.JSONDecodeError, PydanticError):
        raise ValidationError(
            msg(
                "objections.withdrawal_json",
                ground="ground",
                grounds=Either(['"wrong_subject"', '"wrong_basis"']),
                refile_to="refile_to",
            ),
            field="withdrawal",
        ) from None
    return parsed.model_dump(exclude_none=True)


def _out(session: Session, principal: Principal, objection: Objection) -> ObjectionOut:
    return present.detail(session, principal, objection, clock.today())


def _case_out(session: Session, principal: Principal, objection_id: int) -> ObjectionOut:
    """The case after a step (the step has checked that the caller may see it)."""
    return _out(session, principal, access.case(session, principal, objection_id))


# --- the subject's own objections ----------------------------------------------------------

mine = Router(prefix="/me/objections", tags=["objections"], responses=RESPONSES)


@mine.get("", response_model=list[ObjectionSummary])
def my_objections(session: SessionDep, principal: PrincipalDep) -> list[ObjectionSummary]:
    """Art. 40: my objections, newest first, each with its next deadline."""
    require(principal, Permission.OBJECTION_FILE)
    found = archive.search(session, subject_id=principal.subject_id)
    cases = tracking.cases_of(session, [s.objection for s in found], clock.today())
    return present.summaries(session, cases)


@mine.post("", response_model=ObjectionOut, status_code=201, max_body_size=UPLOAD_BODY)
def file_objection(
    session: SessionDep,
    principal: PrincipalDep,
    platform: PlatformDep,
    channel: ChannelDep,
    record_ids: Annotated[
        list[int], Form(description="The disputed records (ids from /me/records)")
    ],
    ground: Annotated[
        str, Form(description="error, omission or beyond_period (Art. 40)", examples=["error"])
    ],
    statement: Annotated[str, Form(description="What is wrong, and what it should say")],
    evidence: EvidenceUpload = [],  # noqa: B006 - FastAPI reads the default, never mutates it
    agent: Annotated[str | None, Form(description="An agent's name and capacity")] = None,
) -> ObjectionOut:
    """Art. 40 para 1: object to my records. The label appears within one working day and
    the records stay disclosed with it (Art. 41 para 1); on "beyond_period", a record whose
    own dates prove it stops being provided at once (D-5)."""
    require(principal, Permission.OBJECTION_FILE)
    assert principal.subject_id is not None
    received = service.receive(
        session,
        principal,
        subject_id=principal.subject_id,
        record_ids=record_ids,
        ground=ground,
        statement=statement,
        applicant=principal.actor.display or "本人",
        agent=agent,
        channel=channel.value if channel.value in CHANNELS else "web",
        evidence=_files(evidence),
        files_dir=platform.settings.files_dir,
    )
    return _out(session, principal, received.objection)


# --- cases: archive, queues, the case file ---------------------------------------------------

cases = Router(prefix="/objections", tags=["objections"], responses=RESPONSES)


@cases.get("", response_model=list[ObjectionSummary])
def search_archive(
    session: SessionDep,
    principal: PrincipalDep,
    subject_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    record_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    provider_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    state: State | None = None,
    received_from: date | None = None,
    received_to: date | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[ObjectionSummary]:
    """Art. 41 para 3: the archive of objections, searchable by subject, record, unit, state
    and receipt dates (legal days, both ends included)."""
    require(principal, Permission.OBJECTION_ARCHIVE)
    found = archive.search(
        session,
        subject_id=subject_id,
        record_id=record_id,
        provider_id=provider_id,
        state=state,
        received_from=received_from,
        received_to=received_to,
        limit=limit,
    )
    today = clock.today()
    return present.summaries(
        session, tracking.cases_of(session, [s.objection for s in found], today)
    )


@cases.post("", response_model=ObjectionOut, status_code=201, max_body_size=UPLOAD_BODY)
def register_objection(
    session: SessionDep,
    principal: PrincipalDep,
    platform: PlatformDep,
    subject_id: Annotated[int, Form(ge=1, le=MAX_ID)],
    record_ids: Annotated[list[int], Form()],
    ground: Annotated[
        str, Form(description="error, omission or beyond_period", examples=["omission"])
    ],
    statement: Annotated[str, Form()],
    applicant: Annotated[str, Form(description="The applicant as they name themselves")],
    channel: Annotated[str, Form(description="desk, mail, credit_china or department")] = "desk",
    received_at: Annotated[
        str | None,
        Form(description="When it was received, if earlier than now (ISO time with zone)"),
    ] = None,
    agent: Annotated[str | None, Form()] = None,
    evidence: EvidenceUpload = [],  # noqa: B006
) -> ObjectionOut:
    """Art. 40 para 1: the operator registers an objection received at a service desk, by
    post or from another platform; its receipt time, not the registration, fixes deadlines."""
    received = service.register(
        session,
        principal,
        subject_id=subject_id,
        record_ids=record_ids,
        ground=ground,
        statement=statement,
        applicant=applicant,
        agent=agent,
        channel=channel,
        evidence=_files(evidence),
        received_at=_instant(received_at),
        files_dir=platform.settings.files_dir,
    )
    return _out(session, principal, received.objection)


def _instant(text: str | None) -> datetime | None:
    if text is None or not text.strip():
        return None
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            msg("objections.not_iso_time", value=text), field="received_at"
        ) from None


@cases.get("/queue", response_model=list[ObjectionSummary])
def operator_queue(session: SessionDep, principal: PrincipalDep) -> list[ObjectionSummary]:
    """Art. 40: open cases, the most urgent first, with days left and overdue marks."""
    require(principal, Permission.OBJECTION_HANDLE)
    return present.summaries(session, tracking.queue(session, clock.today()))


@cases.get("/transferred", response_model=list[ObjectionSummary])
def unit_inbox(session: SessionDep, principal: PrincipalDep) -> list[ObjectionSummary]:
    """Art. 40 para 2(2): open cases transferred to the caller's unit, most urgent first."""
    require(principal, Permission.OBJECTION_TRANSFERRED)
    cases = tracking.open_cases(session, clock.today())
    mine_only = tracking.transferred_to(cases, principal.provider_id)
    return present.summaries(session, mine_only)


@cases.get("/reexaminations", response_model=list[ObjectionSummary])
def reexam_queue(session: SessionDep, principal: PrincipalDep) -> list[ObjectionSummary]:
    """Art. 40 para 4: re-examinations waiting for the department, most urgent first."""
    require(principal, Permission.OBJECTION_REEXAMINE)
    waiting = tracking.in_reexamination(tracking.open_cases(session, clock.today()))
    return present.summaries(session, waiting)


@cases.get("/alerts", response_model=list[ObjectionAlertOut])
def list_alerts(
    session: SessionDep, principal: PrincipalDep, open_only: bool = False
) -> list[ObjectionAlertOut]:
    """D-2: what the operator is told without looking: a unit's result turned into a notice,
    a case not transferred on its first working day. Newest first."""
    require(principal, Permission.OBJECTION_HANDLE)
    return [_alert_out(a) for a in alerts.list_alerts(session, open_only=open_only)]


@cases.post("/alerts/{alert_id}/acknowledge", response_model=ObjectionAlertOut)
def acknowledge_alert(
    alert_id: IdPath, session: SessionDep, principal: PrincipalDep
) -> ObjectionAlertOut:
    """D-2: the operator records that it saw the alert (who and when; audited)."""
    require(principal, Permission.OBJECTION_HANDLE)
    return _alert_out(alerts.acknowledge(session, principal, alert_id))


def _alert_out(a: ObjectionAlert) -> ObjectionAlertOut:
    return ObjectionAlertOut(
        alert_id=a.id,
        objection_id=a.objection_id,
        kind=a.kind,
        raised_at=a.raised_at,
        details=a.details,
        acknowledged_by=a.acknowledged_by,
        acknowledged_at=a.acknowledged_at,
    )


@cases.post("/overdue-check", response_model=list[OverdueOut])
def overdue_check(session: SessionDep, principal: PrincipalDep) -> list[OverdueOut]:
    """Art. 40 limits; D-2: report each step newly past its deadline (once, audited)."""
    require(principal, Permission.OBJECTION_HANDLE)
    return [
        OverdueOut(
            objection_id=o.objection_id,
            step=o.deadline.name,
            due=o.deadline.due,
            article=o.deadline.article,
        )
        for o in tracking.overdue_check(session, principal.actor, clock.today())
    ]


@cases.get("/{objection_id}", response_model=ObjectionOut)
def get_case(objection_id: IdPath, session: SessionDep, principal: PrincipalDep) -> ObjectionOut:
    """One case with its records, events, evidence, notices, deadlines and the caller's next
    steps. Subjects see their own; a providing unit, those transferred to it."""
    return _out(session, principal, access.case(session, principal, objection_id))


@cases.get(
    "/{objection_id}/notices/{notice_id}",
    response_class=HTMLResponse,
    responses={200: {"content": {"text/html": {}}, "description": "The notice as issued"}},
)
def get_notice(
    objection_id: IdPath,
    notice_id: IdPath,
    session: SessionDep,
    principal: PrincipalDep,
    lang: Annotated[
        Literal["zh_CN", "en"],
        Query(description="The notice's language: it is issued in Chinese and in English."),
    ] = "zh_CN",
) -> HTMLResponse:
    """Art. 40 para 3-4, Art. 41 para 3: a written notice, exactly as issued (HTML), in one
    language."""
    _case, notice = access.case_notice(session, principal, objection_id, notice_id)
    return HTMLResponse(
        notices.document(notice.html, lang),
        headers={"Content-Security-Policy": NOTICE_CSP, "X-Content-Type-Options": "nosniff"},
    )


@cases.get(
    "/{objection_id}/evidence/{evidence_id}",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}, "description": "The file"}},
)
def get_evidence(
    objection_id: IdPath,
    evidence_id: IdPath,
    session: SessionDep,
    principal: PrincipalDep,
    platform: PlatformDep,
) -> Response:
    """An evidence file of the case, byte for byte (checked against its SHA-256)."""
    row = access.case_evidence(session, principal, objection_id, evidence_id)
    return Response(
        read(row, platform.settings.files_dir),
        media_type=row.content_type,
        headers=download_headers(row),
    )


# --- the steps of SM-1 -------------------------------------------------------------------------


@cases.post("/{objection_id}/label", response_model=ObjectionOut)
def label(objection_id: IdPath, session: SessionDep, principal: PrincipalDep) -> ObjectionOut:
    """Art. 40 para 2: label the disputed records within one working day of receipt; they
    stay disclosed with the label (Art. 41 para 1)."""
    service.apply_label(session, principal, objection_id)
    return _case_out(session, principal, objection_id)


@cases.post("/{objection_id}/decline", response_model=ObjectionOut)
def decline(
    objection_id: IdPath, body: DeclineIn, session: SessionDep, principal: PrincipalDep
) -> ObjectionOut:
    """Art. 41 para 3: refuse a repeated objection without new evidence, or one without a
    legitimate reason, with a reasoned written notice."""
    service.decline(session, principal, objection_id, basis=body.basis, reasons=body.reasons)
    return _case_out(session, principal, objection_id)


@cases.post("/{objection_id}/self-review", response_model=ObjectionOut)
def self_review(objection_id: IdPath, session: SessionDep, principal: PrincipalDep) -> ObjectionOut:
    """Art. 40 para 2(1): the platform verifies and handles it itself within 3 working days."""
    service.start_self_review(session, principal, objection_id)
    return _case_out(session, principal, objection_id)


@cases.post("/{objection_id}/transfer", response_model=ObjectionOut)
def transfer(
    objection_id: IdPath, body: TransferIn, session: SessionDep, principal: PrincipalDep
) -> ObjectionOut:
    """Art. 40 para 2(2): transfer to the providing unit within 2 working days of receipt."""
    service.transfer(session, principal, objection_id, body.provider_id)
    return _case_out(session, principal, objection_id)


@cases.post("/{objection_id}/unit-receipt", response_model=ObjectionOut)
def unit_receipt(
    objection_id: IdPath, session: SessionDep, principal: PrincipalDep
) -> ObjectionOut:
    """Art. 40 para 2(2): the unit records its receipt; its 3 working days run from here."""
    service.pu_receive(session, principal, objection_id)
    return _case_out(session, principal, objection_id)


@cases.post("/{objection_id}/unit-result", response_model=ObjectionOut, max_body_size=UPLOAD_BODY)
def unit_result(
    objection_id: IdPath,
    session: SessionDep,
    principal: PrincipalDep,
    platform: PlatformDep,
    outcome: Annotated[
        str,
        Form(
            description="corrected, supplemented, provision_stopped or upheld",
            examples=["upheld"],
        ),
    ],
    reasons: Annotated[str, Form()],
    changes: Annotated[
        str | None,
        Form(description='JSON {"<record id>": {"<field>": value}} for corrected/supplemented'),
    ] = None,
    withdrawal: Annotated[
        str | None,
        Form(
            description='For withdrawn: JSON {"ground": "wrong_subject" | "wrong_basis", '
            '"refile_to": {"uscc" | "citizen_id" | "document_type"+"document_number": ..., '
            '"name": ...}}'
        ),
    ] = None,
    evidence: EvidenceUpload = [],  # noqa: B006
) -> ObjectionOut:
    """Art. 40 para 2(2): the unit returns its verification result. D-2: the platform applies
    it, issues the written notice and tells the operator, in the same transaction."""
    service.pu_return(
        session,
        principal,
        objection_id,
        outcome=outcome,
        reasons=reasons,
        changes=_changes(changes),
        withdrawal=_withdrawal(withdrawal),
        evidence=_files(evidence),
        files_dir=platform.settings.files_dir,
    )
    return _case_out(session, principal, objection_id)


@cases.post("/{objection_id}/pause", response_model=ObjectionOut, max_body_size=UPLOAD_BODY)
def pause(
    objection_id: IdPath,
    session: SessionDep,
    principal: PrincipalDep,
    platform: PlatformDep,
    pause_type: Annotated[
        str,
        Form(description="inspection, testing, evaluation or expert_review", examples=["testing"]),
    ],
    reason: Annotated[str, Form()],
    evidence: EvidenceUpload = [],  # noqa: B006
) -> ObjectionOut:
    """Art. 41 para 2; D-3: stop the handling clock for inspection, testing, evaluation or
    expert review, with a reason and supporting evidence. The stage's handler pauses it."""
    service.pause(
        session,
        principal,
        objection_id,
        pause_type=pause_type,
        reason=reason,
        evidence=_files(evidence),
        files_dir=platform.settings.files_dir,
    )
    return _case_out(session, principal, objection_id)


@cases.post("/{objection_id}/resume", response_model=ObjectionOut)
def resume(objection_id: IdPath, session: SessionDep, principal: PrincipalDep) -> ObjectionOut:
    """Art. 41 para 2: the clock runs again from the day after the pause ends."""
    service.resume(session, principal, objection_id)
    return _case_out(session, principal, objection_id)


@cases.post("/{objection_id}/decision", response_model=ObjectionOut)
def decide(
    objection_id: IdPath, body: DecisionIn, session: SessionDep, principal: PrincipalDep
) -> ObjectionOut:
    """Art. 42: correct, supplement, stop providing, or uphold. A correction is a new record
    version citing the objection, and the label comes off in the same transaction."""
    service.decide(
        session,
        principal,
        objection_id,
        outcome=body.outcome,
        reasons=body.reasons,
        changes=body.changes,
        withdrawal=body.withdrawal_dict(),
    )
    return _case_out(session, principal, objection_id)


@cases.post("/{objection_id}/notice", response_model=ObjectionOut)
def notify(objection_id: IdPath, session: SessionDep, principal: PrincipalDep) -> ObjectionOut:
    """Art. 40 para 3-4: the written notice of the outcome (or of the re-examination), with
    the reasons and how to ask for re-examination."""
    service.notify(session, principal, objection_id)
    return _case_out(session, principal, objection_id)


@cases.post("/{objection_id}/status-notice", response_model=ObjectionOut)
def status_notice(
    objection_id: IdPath, session: SessionDep, principal: PrincipalDep
) -> ObjectionOut:
    """D-2: by the 5-working-day notice deadline, a written notice of where the case stands
    when it is not decided yet (naming any step that is late)."""
    service.notify_status(session, principal, objection_id)
    return _case_out(session, principal, objection_id)


@cases.post("/{objection_id}/reexamination", response_model=ObjectionOut, max_body_size=UPLOAD_BODY)
def request_reexam(
    objection_id: IdPath,
    session: SessionDep,
    principal: PrincipalDep,
    platform: PlatformDep,
    statement: Annotated[
        str, Form(description="Why the outcome is wrong", examples=["罚款已缴清，处理结果有误。"])
    ],
    evidence: EvidenceUpload = [],  # noqa: B006
) -> ObjectionOut:
    """Art. 40 para 4: the applicant asks the development and reform department to
    re-examine the outcome (or the refusal)."""
    service.request_reexam(
        session,
        principal,
        objection_id,
        statement=statement,
        evidence=_files(evidence),
        files_dir=platform.settings.files_dir,
    )
    return _case_out(session, principal, objection_id)


@cases.post("/{objection_id}/reexamination/paper", response_model=ObjectionOut)
def register_paper_reexam(
    objection_id: IdPath,
    session: SessionDep,
    principal: PrincipalDep,
    platform: PlatformDep,
    applicant: Annotated[
        str,
        Form(description="The applicant as they name themselves", examples=["张三"]),
    ],
    statement: Annotated[
        str,
        Form(description="What the application says", examples=["对处理结果不服，申请复核。"]),
    ],
    channel: Annotated[
        str, Form(description="desk (the window) or mail", examples=["desk"])
    ] = "desk",
    received_at: Annotated[
        str | None,
        Form(description="When the department received it, if earlier than now (ISO time)"),
    ] = None,
    evidence: EvidenceUpload = [],  # noqa: B006
) -> ObjectionOut:
    """Art. 40 para 4: the department's staff register a paper application for
    re-examination received at its window or by post; its 3 working days run from the day
    it arrived. No time limit for applying: a closed case can be re-examined, once."""
    service.register_reexam(
        session,
        principal,
        objection_id,
        applicant=applicant,
        channel=channel,
        statement=statement,
        received_at=_instant(received_at),
        evidence=_files(evidence),
        files_dir=platform.settings.files_dir,
    )
    return _case_out(session, principal, objection_id)


@cases.post("/{objection_id}/reexamination-decision", response_model=ObjectionOut)
def decide_reexam(
    objection_id: IdPath, body: DecisionIn, session: SessionDep, principal: PrincipalDep
) -> ObjectionOut:
    """Art. 40 para 4: the department's re-examination decision, within 3 working days."""
    service.decide_reexam(
        session,
        principal,
        objection_id,
        outcome=body.outcome,
        reasons=body.reasons,
        changes=body.changes,
        withdrawal=body.withdrawal_dict(),
    )
    return _case_out(session, principal, objection_id)


@cases.post("/{objection_id}/close", response_model=ObjectionOut)
def close(objection_id: IdPath, session: SessionDep, principal: PrincipalDep) -> ObjectionOut:
    """Art. 41 para 3: archive the concluded case."""
    service.close(session, principal, objection_id)
    return _case_out(session, principal, objection_id)


# --- proactive corrections (Art. 42 para 3) --------------------------------------------------

records = Router(prefix="/records", tags=["objections"], responses=RESPONSES)


@records.post("/{record_id}/corrections", response_model=CorrectionOut, status_code=201)
def correct(
    record_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    body: CorrectionIn,
    session: SessionDep,
    principal: PrincipalDep,
) -> CorrectionOut:
    """Art. 42 para 3: the providing unit (its own records only) or the operator corrects,
    supplements or stops providing a record without an objection."""
    done = corrections.proactive_correct(
        session,
        principal,
        record_id,
        outcome=body.outcome,
        reasons=body.reasons,
        changes=body.changes,
        withdrawal=body.withdrawal.model_dump(exclude_none=True) if body.withdrawal else None,
    )
    return CorrectionOut(
        id=done.id,
        record_id=done.record_id,
        provider_id=done.provider_id,
        outcome=done.outcome,
        reasons=done.reasons,
        recorded_at=done.recorded_at,
    )


routers = (mine, cases, records)
