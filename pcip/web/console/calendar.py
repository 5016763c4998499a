"""The working-day calendar (Art. 40-41): the stored years, loading a year's official
schedule (``pcip.calendar.schedule`` + ``pcip.flows.schedules.load_schedule``, as ``pcip calendar
load`` does) with the days it changed, and a deadline calculator."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from pcip.auth.permissions import require
from pcip.calendar.schedule import parse_schedule_bytes
from pcip.calendar.service import work_calendar
from pcip.calendar.workdays import DeadlineResult, Pause
from pcip.doors.http_guard import UPLOAD_BODY
from pcip.errors import Forbidden, PcipError, Unauthorized, ValidationError
from pcip.flows.schedules import load_schedule
from pcip.kernel.messages import msg
from pcip.web.console import data
from pcip.web.console.common import P, console_router, errors_of, render
from pcip.web.pages import Page, PageDep

router = console_router()
#: A schedule file is a few kilobytes; anything far larger is not one.
MAX_SCHEDULE_BYTES = 256 * 1024
MAX_WORKING_DAYS = 366


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(msg("console.not_a_date", value=repr(value)), field=field) from None


def _pauses(value: str) -> list[Pause]:
    out: list[Pause] = []
    for part in value.replace(",", "\n").splitlines():
        if not part.strip():
            continue
        first, sep, last = part.strip().partition(":")
        if not sep:
            raise ValidationError(
                msg("console.not_a_range", value=repr(part.strip())), field="pauses"
            )
        a, b = _day(first, "pauses"), _day(last, "pauses")
        if b < a:
            raise ValidationError(
                msg("console.range_reversed", value=repr(part.strip())), field="pauses"
            )
        out.append((a, b))
    return out


def _deadline(page: Page, values: dict[str, str]) -> DeadlineResult:
    start = _day(values.get("start", ""), "start")
    raw = values.get("working_days", "").strip()
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) <= MAX_WORKING_DAYS:
        raise ValidationError(msg("console.working_days", n=MAX_WORKING_DAYS), field="working_days")
    with page.platform.transaction() as s:
        return work_calendar(s).deadline(start, int(raw), _pauses(values.get("pauses", "")))


def _page(page: Page, status_code: int = 200, **context: Any) -> HTMLResponse:
    with page.platform.transaction() as s:
        years = data.calendar_years(s)
    context.setdefault("values", {"working_days": "5"})
    context.setdefault("errors", {})
    context.setdefault("loaded", None)
    context.setdefault("changed", [])
    context.setdefault("deadline", None)
    return render(page, "console/calendar.html", status_code=status_code, years=years, **context)


@router.get("/calendar")
def calendar(page: PageDep, request: Request) -> HTMLResponse:
    """The stored years; with ``start`` and ``working_days``, a computed deadline (D-1)."""
    require(page.principal, P.CALENDAR_MANAGE)
    q = request.query_params
    if "start" not in q:
        return _page(page)
    values = {k: q.get(k, "") for k in ("start", "working_days", "pauses")}
    try:
        result = _deadline(page, values)
    except ValidationError as exc:
        errors = errors_of(exc)
        if page.is_htmx:
            return render(
                page, "console/_deadline.html", status_code=422, deadline=None, errors=errors
            )
        return _page(page, status_code=422, values=values, errors=errors)
    if page.is_htmx:
        return render(page, "console/_deadline.html", deadline=result, errors={})
    return _page(page, values=values, deadline=result)


@router.post("/calendar", max_body_size=UPLOAD_BODY)
async def load_year(page: PageDep, request: Request) -> HTMLResponse:
    """Load a year's official schedule (a JSON file, docs/calendar.md); deadlines crossing
    it are recounted on it at their next reading, and the page lists the changed days."""
    require(page.principal, P.CALENDAR_MANAGE)
    form = await request.form()
    upload = form.get("file")
    raw = b""
    name = "schedule.json"
    if isinstance(upload, UploadFile) and upload.filename:
        name = upload.filename
        raw = await upload.read(MAX_SCHEDULE_BYTES + 1)

    def run() -> HTMLResponse:
        try:
            if not raw:
                raise ValidationError(msg("console.choose_schedule"), field="file")
            if len(raw) > MAX_SCHEDULE_BYTES:
                raise ValidationError(msg("console.schedule_too_large"), field="file")
            schedule = parse_schedule_bytes(raw, name)
            with page.platform.transaction() as s:
                result = load_schedule(s, page.principal.actor, schedule)
                changed = data.changed_days(result, work_calendar(s))
        except (Unauthorized, Forbidden):
            raise
        except PcipError as exc:
            # Errors inside the file name its key and index (holidays[3]): shown at the file.
            errors = {
                "file": f"{exc.field}: {exc.message}"
                if exc.field not in (None, "file")
                else exc.message
            }
            return _page(page, status_code=exc.http_status, errors=errors)
        return _page(page, loaded=result, changed=changed)

    return await run_in_threadpool(run)
