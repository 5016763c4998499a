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
import re
import time
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Integer, Table, insert, or_, select, text
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, Principal, require
from pcip.config import get_settings
from pcip.db import is_postgres
from pcip.errors import Collect, PcipError, TooLarge, ValidationError
from pcip.identity.uscc import AUTHORITIES, INDIVIDUAL_BUSINESS_PLACEHOLDER, uscc_check_character
from pcip.inquiry import alerts
from pcip.inquiry import service as inquiry
from pcip.inquiry.models import InquiryLog
from pcip.inquiry.purpose import require_meaningful
from pcip.inquiry.schemas import Channel
from pcip.kernel.enums import InquiryMode
from pcip.kernel.keys.keyring import Keyring
from pcip.kernel.messages import msg
from pcip.lists.models import Designation
from pcip.measures import catalogue
from pcip.measures.models import MeasureApplication, MeasureSuspension
from pcip.measures.schemas import BatchSummary, CheckIn, CheckOut, Reason
from pcip.measures.suspensions import suspended as suspended_on
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
    suspended: dict[tuple[str, int], MeasureSuspension] | None = None,
    session: Session | None = None,
) -> list[Reason]:
    out: list[Reason] = []
    held = suspended or {}
    for d in listings:
        for m in catalogue.triggered(d.list_type, matter, on, session):
            out.append(
                Reason(
                    **_suspension(held.get(("designation", d.id))),
                    measure=m.code,
                    measure_name=m.name_zh,
                    measure_name_en=m.name_en,
                    measure_list=m.measure_list,
                    legal_basis=m.legal_basis,
                    legal_basis_en=m.legal_basis_en,
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
        spec = catalogue.spec_of(a.requested_measure)
        out.append(
            Reason(
                **_suspension(held.get(("application", a.id))),
                measure=a.requested_measure,
                measure_name=spec.name_zh if spec else a.requested_measure,
                measure_name_en=spec.name_en if spec else None,
                measure_list=spec.measure_list if spec else "",
                legal_basis=spec.legal_basis if spec else "",
                legal_basis_en=spec.legal_basis_en if spec else None,
                because="application",
                application_id=a.id,
            )
        )
    return out


def _suspension(s: MeasureSuspension | None) -> dict[str, Any]:
    """Art. 46: a measure a decision suspended is shown as suspended, with the document."""
    if s is None:
        return {}
    return {
        "suspended": True,
        "suspended_on": s.effective_on,
        "suspended_by": f"{s.document_issuer} {s.document_number}",
    }


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
        measures=_reasons(
            listings,
            applications,
            body.matter,
            on,
            suspended_on(
                session,
                on,
                applications=[a.id for a in applications],
                designations=[d.id for d in listings],
            ),
            session,
        ),
    )


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


#: A USCC already in normal form: 18 characters of the GB 32100-2015 alphabet. Anything else
#: goes through ``subjects.organisation_by_uscc``, which normalises it or names the reason.
_USCC_FORM = re.compile(r"[0-9A-HJ-NP-RTUW-Y]{18}")


def _uscc_key(code: str) -> str:
    """The normalised USCC (GB 32100-2015, Art. 19), or ValidationError with the reason.

    The common case (a well-formed code, right check character, defined authority) is decided
    here in a few operations per row; every other value, valid after normalisation or not,
    takes the full validator, so the accepted set and the reasons are exactly the same."""
    if (
        _USCC_FORM.fullmatch(code)
        and code[0] in AUTHORITIES
        and code != INDIVIDUAL_BUSINESS_PLACEHOLDER
        and uscc_check_character(code[:17]) == code[17]
    ):
        return code
    return subjects.organisation_by_uscc(code).uscc or ""


#: Fast path for plain CSV files: at most this size, read whole.
_FAST_CSV_BYTES = 32 * 1024 * 1024


def _plain_csv_rows(path: Path) -> tuple[tuple[str, ...], list[tuple[int, list[str]]]] | None:
    """A UTF-8 CSV without quotes, NULs or carriage returns inside lines (what a list of
    codes is): the header and the records with their line numbers, split by the csv module in
    one pass. ``None`` for anything else, which the general reader handles (encodings,
    quoting, XLSX); the header is still checked by that reader (see ``batch``)."""
    if path.stat().st_size > _FAST_CSV_BYTES:
        return None
    data = path.read_bytes()
    if b'"' in data or b"\0" in data:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    if any("\r" in line for line in lines):
        return None
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None
    delimiter = "\t" if "\t" in lines[first] and "," not in lines[first] else ","
    records = list(csv.reader(lines, delimiter=delimiter, strict=True, skipinitialspace=True))
    header = tuple(name.strip() for name in records[first])
    body = [(i + 1, records[i]) for i in range(first + 1, len(records))]
    return header, body


def _plain_records(
    header: tuple[str, ...], body: list[tuple[int, list[str]]]
) -> Iterable[tuple[int, dict[str, str] | None, str | None]]:
    """The rows as the general CSV reader yields them (blank ones skipped, short or long
    ones reported with the number of fields)."""
    width = len(header)
    for line, record in body:
        if len(record) != width:
            if any(v.strip() for v in record):
                n = len(record)
                fields = f"{n} field" if n == 1 else f"{n} fields"
                yield line, None, f"row has {fields}, the header has {width}"
            continue
        values = dict(zip(header, map(str.strip, record), strict=True))
        if any(values.values()):
            yield line, values, None


def _array_literal(values: Iterable[str]) -> str:
    """A PostgreSQL text[] literal; one parameter whatever the count (binding a Python list
    of 100,000 strings cost more than the query). Values are validated codes and digests."""
    out = []
    for v in values:
        if '"' in v or "\\" in v:
            raise ValueError("unexpected character in a lookup key")
        out.append(f'"{v}"')
    return "{" + ",".join(out) + "}"


def _copy_text(value: object) -> str:
    if value is None:
        return "\\N"
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_log(session: Session, template: dict[str, Any], subject_ids: Sequence[int]) -> None:
    """PostgreSQL: one log entry per subject by COPY, in the session's transaction. The
    entries differ only in the subject, so each line is the same text around its id."""
    raw: Any = session.connection().connection.driver_connection
    columns = [c for c in template if c != "subject_id"] + ["subject_id"]
    head = "\t".join("[]" if c == "returned" else _copy_text(template[c]) for c in columns[:-1])
    with raw.cursor().copy(f"COPY inquiry_log ({', '.join(columns)}) FROM STDIN") as cp:
        for part in _chunks(subject_ids, 20_000):
            cp.write("".join([f"{head}\t{sid}\n" for sid in part]))


def check_batch_fields(matter: str, purpose: str, problems: Collect | None = None) -> str:
    """A batch check's matter and purpose, both checked before either is refused (issue
    19.8; ``problems`` holds the form's other errors): the purpose as stated."""
    problems = Collect() if problems is None else problems
    stated = ""
    with problems:
        stated = require_meaningful(purpose, "purpose")
    if problems.failed and matter not in catalogue.MATTERS:
        # Named with the others; alone, an unknown matter stays the NotFound it always was.
        with problems:
            raise ValidationError(msg("forms.choose_from_list"), field="matter")
    problems.raise_any()
    catalogue.check_matter(matter)
    return stated


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
    stated = check_batch_fields(matter, purpose)
    on = clock.today()
    fmt = detect_format(path, declared_format)
    info, rows = open_rows(path, fmt)  # the header, checked by the general reader
    if info.columns and not {"uscc", "citizen_id"} & set(info.columns):
        rows.close()
        raise ValidationError(msg("measures.no_key_column", a="uscc", b="citizen_id"), field="file")
    plain = _plain_csv_rows(path) if fmt == "csv" else None
    if plain is not None and plain[0] == tuple(info.columns):
        rows.close()
        records: Iterable[tuple[int, dict[str, str] | None, str | None]] = _plain_records(
            plain[0], plain[1]
        )
    else:
        records = ((r.line, r.values, r.problem) for r in rows)
    keys: list[tuple[int, str, str, str]] = []  # (line, kind, lookup key, shown)
    errors: list[dict[str, object]] = []
    rejected = 0
    with rows:
        for line, values, problem in records:
            if len(keys) + rejected >= MAX_ROWS:
                raise TooLarge(msg("measures.batch_too_large", n=MAX_ROWS), field="file")
            got = values or {}
            code, cid = got.get("uscc", "").strip(), got.get("citizen_id", "").strip()
            try:
                if values is None:
                    raise ValidationError(problem or "malformed row", field="row")
                if bool(code) == bool(cid):
                    raise ValidationError(
                        msg("measures.one_key", a="uscc", b="citizen_id"), field="uscc"
                    )
                if code:
                    uscc = _uscc_key(code)
                    keys.append((line, "uscc", uscc, uscc))
                else:
                    key = subjects.person_by_citizen_id(ring, cid)
                    keys.append((line, "id", key.index or "", key.masked or ""))
            except PcipError as exc:
                rejected += 1
                if len(errors) < MAX_ERRORS:
                    errors.append(
                        {"line": line, "field": exc.field or "row", "message": exc.message}
                    )
    postgres = is_postgres(session)
    found: dict[tuple[str, str], tuple[int, str]] = {}
    usccs = sorted({k for _, kind, k, _ in keys if kind == "uscc"})
    indexes = sorted({k for _, kind, k, _ in keys if kind == "id"})
    listings: dict[int, list[Designation]] = {}
    applications: dict[int, list[MeasureApplication]] = {}
    if postgres:
        # One text[] parameter per kind of key, and the subjects resolved once: the listings
        # and applications are selected through the same subquery, not by a list of ids.
        # The arrays are unnested once into a join (a ``= ANY(CAST(:p AS text[]))`` filter
        # re-parsed the 100,000-element literal for every row of the table).
        params = {"u": _array_literal(usccs), "x": _array_literal(indexes)}
        # Through the driver: 100,000 plain tuples rather than ORM rows.
        raw: Any = session.connection().connection.driver_connection
        for sid, key, kind, name in raw.execute(
            "SELECT s.id, s.uscc, 'uscc', s.name FROM unnest(CAST(%(u)s AS text[])) AS k(key) "
            "JOIN subject s ON s.uscc = k.key "
            "UNION ALL SELECT s.id, s.id_index, 'id', s.name "
            "FROM unnest(CAST(%(x)s AS text[])) AS k(key) JOIN subject s ON s.id_index = k.key",
            params,
        ).fetchall():
            found[(kind, str(key))] = (sid, name)
        checked = (
            text(
                "SELECT s.id FROM unnest(CAST(:u AS text[])) AS k(key) "
                "JOIN subject s ON s.uscc = k.key UNION ALL SELECT s.id "
                "FROM unnest(CAST(:x AS text[])) AS k(key) JOIN subject s ON s.id_index = k.key"
            )
            .bindparams(**params)
            .columns(id=Integer)
        )
        for d in session.scalars(
            select(Designation).where(Designation.subject_id.in_(checked), *_in_force(on))
        ):
            listings.setdefault(d.subject_id, []).append(d)
        for a in session.scalars(
            select(MeasureApplication).where(
                MeasureApplication.subject_id.in_(checked),
                MeasureApplication.matter == matter,
                MeasureApplication.status == "applied",
            )
        ):
            applications.setdefault(a.subject_id, []).append(a)
    else:
        for part in _chunks(usccs):
            for sid, got_uscc, name in session.execute(
                select(Subject.id, Subject.uscc, Subject.name).where(Subject.uscc.in_(part))
            ):
                found[("uscc", str(got_uscc))] = (sid, name)
        for part in _chunks(indexes):
            for sid, index, name in session.execute(
                select(Subject.id, Subject.id_index, Subject.name).where(Subject.id_index.in_(part))
            ):
                found[("id", str(index))] = (sid, name)
        for part in _chunks(sorted({sid for sid, _ in found.values()})):
            for d in session.scalars(
                select(Designation).where(Designation.subject_id.in_(part), *_in_force(on))
            ):
                listings.setdefault(d.subject_id, []).append(d)
            for a in session.scalars(
                select(MeasureApplication).where(
                    MeasureApplication.subject_id.in_(part),
                    MeasureApplication.matter == matter,
                    MeasureApplication.status == "applied",
                )
            ):
                applications.setdefault(a.subject_id, []).append(a)
    ids = sorted({sid for sid, _ in found.values()})
    # Art. 22: one authority-inquiry entry per subject checked, in this transaction.
    now = clock.now()
    inquirer = str(principal.actor)
    display = (principal.organisation or inquirer)[:200]
    template: dict[str, Any] = {
        "at": now,
        "mode": InquiryMode.AUTHORITY.value,
        "channel": channel.value,
        "purpose": _purpose(matter, stated),
        "inquirer": inquirer,
        "inquirer_display": display,
        "subject_id": None,
        "authorization_id": None,
        "as_of": None,
        "confidential_basis": None,
        "confidential_reason": None,
        "returned": [],
        "returned_count": 0,
    }
    if postgres and ids:
        _copy_log(session, template, ids)
    elif ids:
        table = InquiryLog.__table__
        assert isinstance(table, Table)
        for part in _chunks(ids):
            session.execute(insert(table), [{**template, "subject_id": sid} for sid in part])
    if ids:
        # Art. 28: a batch counts as many inquiries as subjects it checked.
        alerts.check_volume(
            session,
            inquirer,
            display,
            now,
            get_settings().inquiry_alert_per_hour,
            added=len(ids),
        )
    listed = with_measures = 0
    held = suspended_on(
        session,
        on,
        applications=[a.id for apps in applications.values() for a in apps],
        designations=[d.id for ls in listings.values() for d in ls],
    )
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
            apps = applications.get(sid, [])
            if not ls and not apps:  # nothing applies: nothing to explain
                w.writerow([line, shown, "yes", name, "no", "", "", ""])
                continue
            reasons = _reasons(ls, apps, matter, on, held, session)
            listed += bool(ls)
            with_measures += bool(reasons)
            w.writerow(
                [
                    line,
                    shown,
                    "yes",
                    name,
                    "yes" if ls else "no",
                    ";".join(
                        dict.fromkeys(
                            r.measure + (" (suspended)" if r.suspended else "") for r in reasons
                        )
                    ),
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
