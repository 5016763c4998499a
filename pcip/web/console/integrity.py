"""Government integrity in the console (Art. 8-10): the dashboard per government body, the
register of pledges and contracts with their changes and compensation, the breaches with
their accountability cases, and the periodic evaluations with their reports and CSV export.
The development and reform department records; the operator reads. Every rule is
``pcip.integrity``'s."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar

from fastapi import Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from pydantic import ValidationError as PydanticError
from starlette.concurrency import run_in_threadpool

from pcip.auth.permissions import require
from pcip.errors import Collect, PcipError, ValidationError
from pcip.integrity import evaluation, rules, service
from pcip.integrity.schemas import (
    BREACH_TYPES,
    BreachIn,
    ChangeIn,
    CommitmentIn,
    CompensationIn,
    EvaluationIn,
)
from pcip.kernel.messages import msg
from pcip.web.console.common import (
    P,
    console_router,
    errors_of,
    form_values,
    render,
    schema_refusal,
)
from pcip.web.i18n import N_
from pcip.web.labels import Words
from pcip.web.pages import Page, PageDep

router = console_router()
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]

STATES = Words("commitment_state")
CASE_STATES = Words("accountability_state")
AREAS = {
    "procurement": N_("Government procurement"),
    "ppp": N_("Public-private partnership"),
    "bidding": N_("Bidding and tendering"),
    "investment": N_("Investment attraction"),
    "debt": N_("Local government debt"),
    "other": N_("Other"),
}
KINDS = {"pledge": N_("Pledge"), "contract": N_("Contract")}


def _page(page: Page, status_code: int = 200, **context: Any) -> HTMLResponse:
    with page.platform.transaction() as s:
        board = service.dashboard(s)
        commitments = service.commitments(s)
        changes = {c.id: service.changes(s, c.id) for c in commitments}
        breaches = service.breaches(s)
        evaluations = evaluation.evaluations(s)
        s.expunge_all()
    context.setdefault("values", {})
    context.setdefault("errors", {})
    return render(
        page,
        "console/integrity.html",
        status_code=status_code,
        board=board,
        commitments=commitments,
        changes=changes,
        breaches=breaches,
        evaluations=evaluations,
        reasons=rules.rules().reasons,
        STATES=STATES,
        CASE_STATES=CASE_STATES,
        AREAS=AREAS,
        KINDS=KINDS,
        BREACH_TYPES=BREACH_TYPES,
        **context,
    )


@router.get("/integrity")
def integrity(page: PageDep) -> HTMLResponse:
    require(page.principal, P.INTEGRITY_READ)
    return _page(page)


def _date(v: dict[str, Any], name: str, *, required: bool = True) -> date | None:
    raw = str(v.get(name, "")).strip()
    if not raw:
        if required:
            raise ValidationError(msg("console.enter_date"), field=name)
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(msg("console.not_a_date", value=repr(raw)), field=name) from None


def _amount(v: dict[str, Any], name: str) -> Decimal | None:
    raw = str(v.get(name, "")).strip()
    if not raw:
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise ValidationError(msg("console.not_an_amount", value=repr(raw)), field=name) from None


def _id(v: dict[str, Any], name: str) -> int:
    raw = str(v.get(name, "")).strip()
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) < 2**63:
        raise ValidationError(msg("console.which_one"), field=name)
    return int(raw)


M = TypeVar("M", bound=BaseModel)


class _Read:
    """The form's fields read for one action, every field checked before the action is
    refused (issue 19.8): each reader keeps its field's error and answers a stand-in."""

    def __init__(self, v: dict[str, Any]) -> None:
        self.v = v
        self.problems = Collect()

    def t(self, name: str) -> str:
        return str(self.v.get(name, "")).strip()

    def day(self, name: str, *, required: bool = True) -> date | None:
        with self.problems:
            return _date(self.v, name, required=required)
        return None

    def amount(self, name: str) -> Decimal | None:
        with self.problems:
            return _amount(self.v, name)
        return None

    def id(self, name: str) -> int:
        with self.problems:
            return _id(self.v, name)
        return 0

    def model(self, cls: type[M], raw: dict[str, Any]) -> M:
        """The schema's object; its errors join the fields' before ``done`` refuses them."""
        try:
            return cls.model_validate(raw)
        except PydanticError as exc:
            schema_refusal(exc, problems=self.problems)
            return cls.model_construct(**raw)

    def done(self) -> None:
        self.problems.raise_any()


def _act(page: Page, action: str, v: dict[str, Any]) -> None:
    who, platform = page.principal, page.platform
    r = _Read(v)
    t = r.t
    if action == "register":
        commitment = r.model(
            CommitmentIn,
            {
                **{k: t(k) for k in ("body_uscc", "body_name", "kind", "area", "title")},
                **{k: t(k) for k in ("counterparty", "reference")},
                "amount": r.amount("amount"),
                "made_on": r.day("made_on"),
                "due_on": r.day("due_on", required=False),
            },
        )
        r.done()
        service.register(platform, who, commitment)
    elif action == "perform":
        commitment_id = r.id("commitment_id")
        r.done()
        with platform.transaction() as s:
            service.perform(s, who, commitment_id)
    elif action == "change":
        commitment_id = r.id("commitment_id")
        body = r.model(
            ChangeIn, {k: t(k) for k in ("action", "reason", "authority_ref", "description")}
        )
        r.done()
        service.change(platform, who, commitment_id, body, unit_uscc=t("unit_uscc"))
    elif action == "compensate":
        change_id = r.id("change_id")
        comp = r.model(
            CompensationIn,
            {
                "beneficiary": t("beneficiary"),
                "amount": r.amount("amount"),
                "paid_on": r.day("paid_on"),
                "document": t("document"),
            },
        )
        r.done()
        with platform.transaction() as s:
            service.add_compensation(s, who, change_id, comp)
    elif action == "close_change":
        change_id = r.id("change_id")
        r.done()
        with platform.transaction() as s:
            service.close_change(s, who, change_id)
    elif action == "breach":
        breach = r.model(
            BreachIn,
            {
                **{k: t(k) for k in ("breach_type", "description", "basis_number")},
                **{k: t(k) for k in ("basis_issuer", "unit_uscc")},
                "commitment_id": r.id("commitment_id"),
                "determined_on": r.day("determined_on"),
            },
        )
        r.done()
        service.record_breach(platform, who, breach)
    elif action == "case":
        case_id = r.id("case_id")
        service.check_case_step(t("state"), t("outcome"), r.problems)
        with platform.transaction() as s:
            service.advance_case(s, who, case_id, state=t("state"), outcome=t("outcome"))
    elif action == "evaluate":
        period = r.model(
            EvaluationIn,
            {"period_start": r.day("period_start"), "period_end": r.day("period_end")},
        )
        r.done()
        with platform.transaction() as s:
            evaluation.run(s, who, period)
    else:
        raise ValidationError(msg("console.unknown_action", action=repr(action)), field="action")


@router.post("/integrity/{action}")
async def act(
    page: PageDep,
    request: Request,
    action: Annotated[str, Path(max_length=16, pattern=r"^[a-z_]+$")],
) -> Response:
    require(page.principal, P.INTEGRITY_MANAGE)
    values = form_values(await request.form())

    def run() -> Response:
        try:
            _act(page, action, values)
        except PcipError as exc:
            if exc.http_status in (401, 403):
                raise
            return _page(page, status_code=422, values=values, errors=errors_of(exc), failed=action)
        return RedirectResponse("/console/integrity", status_code=303)

    return await run_in_threadpool(run)


@router.get("/integrity/evaluations/{evaluation_id}")
def report(page: PageDep, evaluation_id: Id) -> HTMLResponse:
    require(page.principal, P.INTEGRITY_READ)
    with page.platform.transaction() as s:
        ev = evaluation.get(s, evaluation_id)
        s.expunge(ev)
    return render(page, "console/integrity_report.html", ev=ev, weights=rules.rules())


@router.get("/integrity/evaluations/{evaluation_id}/export")
def export(page: PageDep, evaluation_id: Id) -> Response:
    """Art. 10: the report for the performance-evaluation system, as CSV."""
    require(page.principal, P.INTEGRITY_READ)
    with page.platform.transaction() as s:
        text = evaluation.export_csv(evaluation.get(s, evaluation_id))
    return Response(
        text.encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="gov-integrity-{evaluation_id}.csv"'
        },
    )
