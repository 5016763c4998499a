"""Lists decided elsewhere (courts' defaulter lists, national lists) imported as files.

Each row carries its own deciding authority and dates: the platform records what another
authority decided, it does not decide. Like the ingestion pipeline (``pcip.records.ingest``):

* files are read by ``pcip.records.readers`` (CSV in UTF-8 or GB18030, XLSX, JSONL), and a
  problem with the file as a whole stores nothing;
* every bad row is reported with its line, the field and the reason, and the good rows are
  kept (one row's fault never loses the others);
* idempotent: the same file (same SHA-256) for the same list is recognised and answered with
  the earlier summary; a row already held (same list, case number and subject) is left
  unchanged, and a row that now carries a removal date ends the listing (removed, never
  deleted, Art. 44).

Columns: ``name``, ``uscc`` or ``citizen_id``, ``case_ref`` (the authority's case or document
number), ``deciding_authority``, ``decided_on``, optional ``decision_number``, ``listed_on``
(default: decided_on), ``listed_until`` (default: the list rule's period), ``removed_on``,
``conduct_end_date``. Dates are YYYY-MM-DD.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, Principal, require
from pcip.errors import PcipError, TooLarge, ValidationError
from pcip.kernel import audit
from pcip.kernel.keys.keyring import Keyring
from pcip.kernel.messages import Both, Either, msg
from pcip.lists import types
from pcip.lists.designation import add_years
from pcip.lists.models import Designation, DesignationEvent, ListImport
from pcip.lists.schemas import ImportSummary, ListTypeSpec
from pcip.records.readers import detect_format, open_rows, sha256_file
from pcip.subjects import service as subjects

MAX_ROWS = 100_000
#: Reported errors are capped (the counts stay exact).
MAX_ERRORS = 1000
REQUIRED = ("name", "case_ref", "deciding_authority", "decided_on")


class RowError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def _date(values: dict[str, str], name: str, *, required: bool = False) -> date | None:
    text = values.get(name, "").strip()
    if not text:
        if required:
            raise RowError(name, "is required")
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise RowError(name, f"'{text}' is not a date (YYYY-MM-DD)") from None
    if day > clock.today():
        raise RowError(name, "cannot be in the future")
    return day


def import_file(
    session: Session,
    ring: Keyring,
    principal: Principal,
    list_type: str,
    path: Path,
    *,
    file_name: str,
    declared_format: str | None = None,
) -> ImportSummary:
    require(principal, Permission.LIST_IMPORT)
    spec = types.get(list_type)
    if spec.origin != "imported":
        raise ValidationError(
            msg(
                "lists.designated_here", list=Both(spec.name_zh, spec.name_en), list_code=spec.code
            ),
            field="list_type",
        )
    digest = sha256_file(path)
    earlier = session.scalar(
        select(ListImport).where(ListImport.list_type == spec.code, ListImport.sha256 == digest)
    )
    if earlier is not None:
        return ImportSummary(
            import_id=earlier.id,
            list_type=spec.code,
            file_name=earlier.file_name,
            already_imported=True,
            accepted=earlier.accepted,
            unchanged=earlier.unchanged,
            ended=earlier.ended,
            rejected=earlier.rejected,
            errors=list(earlier.errors),
        )
    fmt = detect_format(path, declared_format)
    info, rows = open_rows(path, fmt)
    missing = [c for c in REQUIRED if c not in info.columns] if info.columns else []
    if missing or (info.columns and not {"uscc", "citizen_id"} & set(info.columns)):
        rows.close()
        need: list[Any] = list(missing) or [Either(["uscc", "citizen_id"])]
        raise ValidationError(msg("lists.file_missing_columns", columns=need), field="file")
    batch = ListImport(
        list_type=spec.code,
        file_name=file_name[:200],
        sha256=digest,
        received_at=clock.now(),
        by=str(principal.actor),
        accepted=0,
        unchanged=0,
        ended=0,
        rejected=0,
        errors=[],
    )
    session.add(batch)
    session.flush()
    errors: list[dict[str, Any]] = []
    counts = {"accepted": 0, "unchanged": 0, "ended": 0, "rejected": 0}
    seen = 0
    with rows:
        for row in rows:
            seen += 1
            if seen > MAX_ROWS:
                raise TooLarge(msg("lists.file_too_many_rows", max=MAX_ROWS), field="file")
            try:
                if row.values is None:
                    raise RowError("row", row.problem or "malformed row")
                outcome = _row(session, ring, principal, spec, batch, row.values)
                counts[outcome] += 1
            except RowError as exc:
                counts["rejected"] += 1
                if len(errors) < MAX_ERRORS:
                    errors.append({"line": row.line, "field": exc.field, "message": exc.message})
            except PcipError as exc:
                counts["rejected"] += 1
                if len(errors) < MAX_ERRORS:
                    errors.append(
                        {"line": row.line, "field": exc.field or "row", "message": exc.message}
                    )
    batch.accepted, batch.unchanged = counts["accepted"], counts["unchanged"]
    batch.ended, batch.rejected, batch.errors = counts["ended"], counts["rejected"], errors
    audit.record(
        session,
        principal.actor,
        "list.import",
        object_type="list_import",
        object_id=batch.id,
        article="Art. 32, 33",
        details={"list_type": spec.code, "file": batch.file_name, "sha256": digest, **counts},
    )
    return ImportSummary(
        import_id=batch.id,
        list_type=spec.code,
        file_name=batch.file_name,
        already_imported=False,
        errors=errors,
        **counts,
    )


def _row(
    session: Session,
    ring: Keyring,
    principal: Principal,
    spec: ListTypeSpec,
    batch: ListImport,
    values: dict[str, str],
) -> str:
    for name in REQUIRED:
        if not values.get(name, "").strip():
            raise RowError(name, "is required")
    uscc, cid = values.get("uscc", "").strip(), values.get("citizen_id", "").strip()
    if bool(uscc) == bool(cid):
        raise RowError("uscc", "give exactly one of uscc or citizen_id")
    if cid and spec.organisations_only:
        raise RowError("citizen_id", f"'{spec.code}' lists organisations only")
    try:
        key = (
            subjects.organisation_by_uscc(uscc, field="uscc")
            if uscc
            else subjects.person_by_citizen_id(ring, cid, field="citizen_id")
        )
    except ValidationError as exc:
        raise RowError(exc.field or "uscc", exc.message) from None
    decided = _date(values, "decided_on", required=True)
    assert decided is not None
    listed = _date(values, "listed_on") or decided
    if listed < decided:
        raise RowError("listed_on", "is before decided_on")
    until_text = values.get("listed_until", "").strip()
    until = date.fromisoformat(until_text) if until_text and _valid(until_text) else None
    if until_text and until is None:
        raise RowError("listed_until", f"'{until_text}' is not a date (YYYY-MM-DD)")
    if until is None and spec.listing_years:
        until = add_years(listed, spec.listing_years)
    if until is not None and until < listed:
        raise RowError("listed_until", "is before listed_on")
    removed = _date(values, "removed_on")
    if removed is not None and removed < listed:
        raise RowError("removed_on", "is before listed_on")
    conduct_end = _date(values, "conduct_end_date")
    case_ref = values["case_ref"].strip()[:100]
    subject = subjects.ensure(session, ring, key, values["name"], f"list:{spec.code}").subject
    existing = session.scalar(
        select(Designation).where(
            Designation.list_type == spec.code,
            Designation.case_ref == case_ref,
            Designation.subject_id == subject.id,
        )
    )
    now, today = clock.now(), clock.today()
    if existing is not None:
        if removed is not None and existing.ended_on is None:
            existing.ended_on, existing.end_kind = removed, "removed"
            existing.end_reason = f"removed by {values['deciding_authority'].strip()[:150]}"
            session.add(
                DesignationEvent(
                    designation_id=existing.id,
                    kind="removed",
                    on=removed,
                    at=now,
                    by=str(principal.actor),
                    details={"import_id": batch.id},
                )
            )
            return "ended"
        return "unchanged"
    authority = values["deciding_authority"].strip()[:200]
    d = Designation(
        list_type=spec.code,
        subject_id=subject.id,
        origin="imported",
        provider_id=principal.provider_id,
        deciding_authority=authority,
        case_ref=case_ref,
        facts=values.get("facts", "").strip(),
        grounds=values.get("grounds", "").strip(),
        basis=values.get("basis", "").strip(),
        conduct_end_date=conduct_end,
        created_at=now,
        decided_on=decided,
        decision_number=values.get("decision_number", "").strip()[:100] or None,
        listed_on=listed,
        listed_until=until,
        ended_on=removed,
        end_kind="removed" if removed else None,
        end_reason=f"removed by {authority}" if removed else None,
        import_id=batch.id,
    )
    session.add(d)
    session.flush()
    session.add(
        DesignationEvent(
            designation_id=d.id,
            kind="imported",
            on=today,
            at=now,
            by=str(principal.actor),
            details={"import_id": batch.id, "authority": authority},
        )
    )
    return "accepted"


def _valid(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
