"""Credit checks (Art. 31, 34, 38): before an administrative matter (a licence, procurement, a
subsidy, an award selection, an appointment) a department asks which measures apply to a
subject for that matter, and on which basis. Every answer explains itself: the list and the
listing (deciding authority, decision, dates) or the recorded measure application, the
measure, its legal basis.

Each subject checked is logged as an authority inquiry (Art. 22) with the matter and the
stated purpose as its purpose, so the subject sees who checked it (Art. 39). A batch (CSV or
XLSX of up to 100,000 USCCs and citizen IDs, read by ``pcip.records.readers``) is answered
with a result file and a summary, in a few set-based queries rather than one check per row.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import String, Table, any_, insert, or_, select
from sqlalchemy.dialects.postgresql import ARRAY, BIGINT
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from pcip import clock
from pcip.auth.permissions import Permission, Principal, require
from pcip.db import is_postgres
from pcip.errors import PcipError, TooLarge, ValidationError
from pcip.inquiry import service as inquiry
from pcip.inquiry.models import InquiryLog
from pcip.inquiry.purpose import require_meaningful
from pcip.inquiry.schemas import Channel
from pcip.kernel.enums import InquiryMode
from pcip.kernel.keys.keyring import Keyring
from pcip.lists.models import Designation
from pcip.measures import catalogue
from pcip.measures.models import MeasureApplication
from pcip.measures.schemas import BatchSummary, CheckIn, CheckOut, Reason
from pcip.records.readers import detect_format, open_rows
from pcip.subjects import service as subjects
from pcip.subjects.models import Subject

MAX_ROWS = 100_000
CHUNK = 5000
MAX_ERRORS = 1000


def _in_force(on: date) -> list[Any]:
    return [
        Designation.listed_on.is_not(None),
        Designation.listed_on <= on,
        or_(Designation.ended_on.is_(None), Designation.ended_on > on),
        or_(Designation.listed_until.is_(None), Designation.listed_until >= on),
    ]


def _reasons(
    listings: Iterable[Designation],
    applications: Iterable[MeasureApplication],
    matter: str,
    on: date,
) -> list[Reason]:
    out: list[Reason] = []
    for d in listings:
        for m in catalogue.triggered(d.list_type, matter, on):
            out.append(
                Reason(
                    measure=m.code,
                    measure_name=m.name_zh,
                    measure_list=m.measure_list,
                    legal_basis=m.legal_basis,
                    because="listing",
                    list_type=d.list_type,
                    designation_id=d.id,
                    deciding_authority=d.deciding_authority,
                    decision_number=d.decision_number,
                    listed_on=d.listed_on,
                    listed_until=d.listed_until,
                )
            )
    for a in applications:
        spec = catalogue._all().get(a.requested_measure)
        out.append(
            Reason(
                measure=a.requested_measure,
                measure_name=spec.name_zh if spec else a.requested_measure,
                measure_list=spec.measure_list if spec else "",
                legal_basis=spec.legal_basis if spec else "",
                because="application",
                application_id=a.id,
            )
        )
    return out


def _purpose(matter: str, purpose: str) -> str:
    return f"credit_check:{matter}: {purpose}"


def check(
    session: Session, ring: Keyring, principal: Principal, body: CheckIn, channel: Channel
) -> CheckOut:
    """One subject: the measures that apply for the matter, each with its reason (logged)."""
    require(principal, Permission.CREDIT_CHECK)
    purpose = require_meaningful(body.purpose, "purpose")
    on = clock.today()
    subject = inquiry.find_subject(session, ring, body.subject)
    if subject is None:
        return CheckOut(
            inquiry_id=None,
            on=on,
            matter=body.matter,
            found=False,
            subject_id=None,
            subject_name=None,
            listed=False,
            measures=[],
        )
    listings = session.scalars(
        select(Designation).where(Designation.subject_id == subject.id, *_in_force(on))
    ).all()
    applications = session.scalars(
        select(MeasureApplication).where(
            MeasureApplication.subject_id == subject.id,
            MeasureApplication.matter == body.matter,
            MeasureApplication.status == "applied",
        )
    ).all()
    entry = inquiry._write_log(
        session,
        principal,
        InquiryMode.AUTHORITY,
        channel,
        subject,
        [],
        purpose=_purpose(body.matter, purpose),
    )
    return CheckOut(
        inquiry_id=entry.id,
        on=on,
        matter=body.matter,
        found=True,
        subject_id=subject.id,
        subject_name=subject.name,
        listed=bool(listings),
        measures=_reasons(listings, applications, body.matter, on),
    )


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _member(column: Any, values: Sequence[Any], postgres: bool, ints: bool = False) -> Any:
    """``column IN values``: on PostgreSQL one array parameter (``= ANY``), which plans and
    binds in constant time, rather than thousands of parameters."""
    if postgres:
        kind = ARRAY(BIGINT if ints else String)
        from sqlalchemy import cast, literal

        array: ColumnElement[Any] = cast(literal(list(values), kind), kind)
        return column == any_(array)
    return column.in_(values)


def _copy_log(session: Session, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: the log entries by COPY, in the session's transaction."""
    raw: Any = session.connection().connection.driver_connection
    columns = list(rows[0])
    with raw.cursor().copy(f"COPY inquiry_log ({', '.join(columns)}) FROM STDIN") as cp:
        for r in rows:
            cp.write_row([("[]" if c == "returned" else r[c]) for c in columns])


def batch(
    session: Session,
    ring: Keyring,
    principal: Principal,
    path: Path,
    *,
    matter: str,
    purpose: str,
    result_path: Path,
    channel: Channel = Channel.API,
    declared_format: str | None = None,
) -> BatchSummary:
    """A file of USCCs and citizen IDs (columns ``uscc`` and/or ``citizen_id``, one key a row)
    -> ``result_path`` (CSV, one line per row) and a summary. Each subject found is logged."""
    require(principal, Permission.CREDIT_CHECK)
    started = time.perf_counter()
    catalogue.check_matter(matter)
    stated = require_meaningful(purpose, "purpose")
    on = clock.today()
    info, rows = open_rows(path, detect_format(path, declared_format))
    if info.columns and not {"uscc", "citizen_id"} & set(info.columns):
        rows.close()
        raise ValidationError("the file has no column uscc or citizen_id", field="file")
    keys: list[tuple[int, str, str, str]] = []  # (line, kind, lookup key, shown)
    errors: list[dict[str, object]] = []
    rejected = 0
    with rows:
        for row in rows:
            if len(keys) + rejected >= MAX_ROWS:
                raise TooLarge(f"a batch check holds at most {MAX_ROWS} rows", field="file")
            values = row.values or {}
            code, cid = values.get("uscc", "").strip(), values.get("citizen_id", "").strip()
            try:
                if row.values is None:
                    raise ValidationError(row.problem or "malformed row", field="row")
                if bool(code) == bool(cid):
                    raise ValidationError("give exactly one of uscc or citizen_id", field="uscc")
                if code:
                    key = subjects.organisation_by_uscc(code)
                    keys.append((row.line, "uscc", key.uscc or "", key.uscc or ""))
                else:
                    key = subjects.person_by_citizen_id(ring, cid)
                    keys.append((row.line, "id", key.index or "", key.masked or ""))
            except PcipError as exc:
                rejected += 1
                if len(errors) < MAX_ERRORS:
                    errors.append(
                        {"line": row.line, "field": exc.field or "row", "message": exc.message}
                    )
    postgres = is_postgres(session)
    size = 50_000 if postgres else CHUNK
    found: dict[tuple[str, str], tuple[int, str]] = {}
    usccs = sorted({k for _, kind, k, _ in keys if kind == "uscc"})
    indexes = sorted({k for _, kind, k, _ in keys if kind == "id"})
    for part in _chunks(usccs, size):
        for sid, got, name in session.execute(
            select(Subject.id, Subject.uscc, Subject.name).where(
                _member(Subject.uscc, part, postgres)
            )
        ):
            found[("uscc", str(got))] = (sid, name)
    for part in _chunks(indexes, size):
        for sid, index, name in session.execute(
            select(Subject.id, Subject.id_index, Subject.name).where(
                _member(Subject.id_index, part, postgres)
            )
        ):
            found[("id", str(index))] = (sid, name)
    ids = sorted({sid for sid, _ in found.values()})
    listings: dict[int, list[Designation]] = {}
    applications: dict[int, list[MeasureApplication]] = {}
    for part in _chunks(ids, size):
        for d in session.scalars(
            select(Designation).where(
                _member(Designation.subject_id, part, postgres, ints=True), *_in_force(on)
            )
        ):
            listings.setdefault(d.subject_id, []).append(d)
        for a in session.scalars(
            select(MeasureApplication).where(
                _member(MeasureApplication.subject_id, part, postgres, ints=True),
                MeasureApplication.matter == matter,
                MeasureApplication.status == "applied",
            )
        ):
            applications.setdefault(a.subject_id, []).append(a)
    # Art. 22: one authority-inquiry entry per subject checked, in this transaction.
    now = clock.now()
    inquirer = str(principal.actor)
    display = (principal.organisation or inquirer)[:200]
    log: list[dict[str, Any]] = [
        {
            "at": now,
            "mode": InquiryMode.AUTHORITY.value,
            "channel": channel.value,
            "purpose": _purpose(matter, stated),
            "inquirer": inquirer,
            "inquirer_display": display,
            "subject_id": sid,
            "authorization_id": None,
            "as_of": None,
            "confidential_basis": None,
            "confidential_reason": None,
            "returned": [],
            "returned_count": 0,
        }
        for sid in ids
    ]
    if postgres and log:
        _copy_log(session, log)
    else:
        table = InquiryLog.__table__
        assert isinstance(table, Table)
        for part in _chunks(log):
            session.execute(insert(table), list(part))
    listed = with_measures = 0
    with result_path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["line", "key", "found", "name", "listed", "measures", "lists", "legal_basis"])
        for line, kind, k, shown in keys:
            hit = found.get((kind, k))
            if hit is None:
                w.writerow([line, shown, "no", "", "", "", "", ""])
                continue
            sid, name = hit
            ls = listings.get(sid, [])
            reasons = _reasons(ls, applications.get(sid, []), matter, on)
            listed += bool(ls)
            with_measures += bool(reasons)
            w.writerow(
                [
                    line,
                    shown,
                    "yes",
                    name,
                    "yes" if ls else "no",
                    ";".join(dict.fromkeys(r.measure for r in reasons)),
                    ";".join(f"{d.list_type}#{d.id}" for d in ls),
                    ";".join(dict.fromkeys(r.legal_basis for r in reasons)),
                ]
            )
    return BatchSummary(
        matter=matter,
        rows=len(keys) + rejected,
        found=sum(1 for _, kind, k, _ in keys if (kind, k) in found),
        listed=listed,
        with_measures=with_measures,
        rejected=rejected,
        errors=errors,
        seconds=round(time.perf_counter() - started, 3),
    )
