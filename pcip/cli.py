"""The command-line door: ``pcip init | serve | demo | id | provider | catalog | audit ...``.

Every command calls the same services as the API. A user error prints one line on stderr
and exits 2; nothing prints a traceback unless ``PCIP_DEBUG=1``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from pcip import cli_access, cli_objections, cli_ops
from pcip.actors import Actor
from pcip.cli_scope import scope_app
from pcip.config import get_settings
from pcip.errors import ValidationError
from pcip.lists.cli import lists_app
from pcip.measures.cli import measures_app

app = typer.Typer(
    help="pcip: Public Credit Information Platform (Chongqing Social Credit Regulations 2021).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
id_app = typer.Typer(help="Check identifiers (Art. 19).", no_args_is_help=True)
provider_app = typer.Typer(help="Providing units (Art. 20).", no_args_is_help=True)
catalog_app = typer.Typer(help="Catalogs in force (Art. 16-18).", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log (Art. 27-28).", no_args_is_help=True)
batch_app = typer.Typer(help="The batch ledger of submissions (Art. 20).", no_args_is_help=True)
calendar_app = typer.Typer(
    help="The statutory working-day calendar (Art. 40).", no_args_is_help=True
)
key_app = typer.Typer(help="API keys of providing units.", no_args_is_help=True)
provider_app.add_typer(key_app, name="key")
provider_app.add_typer(scope_app, name="scope")
app.add_typer(id_app, name="id")
app.add_typer(provider_app, name="provider")
app.add_typer(catalog_app, name="catalog")
app.add_typer(audit_app, name="audit")
app.add_typer(batch_app, name="batch")
app.add_typer(calendar_app, name="calendar")

err = Console(stderr=True)
out = Console()


def _emit(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")


@app.command()
def init(
    demo_if_empty: Annotated[
        bool, typer.Option(help="Also load demo data when the database holds no subjects.")
    ] = False,
) -> None:
    """Create or upgrade the database, create keys, seed reference data. Safe to repeat."""
    from pcip.bootstrap import init_platform

    summary = init_platform(demo_if_empty=demo_if_empty, progress=True)
    # Plain writes: rich would wrap long lines (keys, commands) that users copy and paste.
    sys.stdout.write("\n".join(summary) + "\n")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (PCIP_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (PCIP_PORT, default 8000).")] = None,
) -> None:
    """Serve the API and pages (uvicorn, one process)."""
    import uvicorn

    from pcip.app import create_app
    from pcip.config import refuse_unsafe_start
    from pcip.platform import Platform

    settings = get_settings()
    bind_host, bind_port = host or settings.host, port or settings.port
    refuse_unsafe_start(settings, bind_host)
    platform = Platform.open(settings)  # fail here, with one line, before binding the port
    from pcip.logredact import UVICORN_LOG_CONFIG, configure_logging

    configure_logging(settings.log_level)  # Art. 27: no identifier reaches a log line
    out.print(f"pcip serving on http://{bind_host}:{bind_port}  (API docs: /docs)")
    if settings.uses_dev_idp:
        err.print(
            "[yellow]real-name sign-in uses the built-in DEVELOPMENT identity provider: it "
            "verifies nobody. Set PCIP_IDP_JWKS_URL and PCIP_IDP_ISSUER in production.[/]"
        )
    from pcip.audit.anchor import Checkpointer

    # Art. 28: a signed checkpoint of the audit chain now, then every N entries (docs/audit.md).
    Checkpointer(platform, settings.audit_checkpoint_every).start()
    from pcip.objections import watch

    app = create_app(platform)
    watch.start(platform)  # D-2: overdue steps and first-day transfer alerts, in background
    uvicorn.run(
        app,
        host=bind_host,
        port=bind_port,
        log_level="warning",
        log_config=UVICORN_LOG_CONFIG,
    )


@app.command()
def demo(
    subjects: Annotated[int, typer.Option(min=1, help="Subjects to generate.")] = 200,
    records: Annotated[int, typer.Option(min=0, help="Credit records to generate.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same data).")] = 2021,
) -> None:
    """Generate synthetic subjects and records across the seeded catalog items."""
    from pcip.config import refuse_demo_in_production
    from pcip.demo import generate_demo
    from pcip.platform import Platform

    refuse_demo_in_production(get_settings())
    platform = Platform.open()
    result = generate_demo(platform, subjects=subjects, records=records, seed=seed, progress=True)
    out.print(result.summary())


@id_app.command("check")
def id_check(values: Annotated[list[str], typer.Argument(help="Values to check.")]) -> None:
    """Print one JSON object per value, in order: kind, validity, reason, warnings, parts."""
    from pcip import clock
    from pcip.identity import check_identifier

    today = clock.today()
    for v in values:
        _emit(check_identifier(v, today=today))


@provider_app.command("add")
def provider_add(
    uscc: Annotated[str, typer.Argument(help="The unit's USCC.")],
    name: Annotated[str, typer.Argument(help="The unit's name.")],
    items: Annotated[
        list[str], typer.Option("--items", help="Catalog item codes (comma separated).")
    ],
    level: Annotated[str, typer.Option(help="city or district.")] = "city",
) -> None:
    """Register a providing unit and the catalog items it may submit (Art. 20)."""
    from pcip.platform import Platform
    from pcip.providers.service import add_provider, provider_items

    platform = Platform.open()
    with platform.transaction() as s:
        r = add_provider(s, Actor.cli(), uscc, name, items, level)
        codes = provider_items(s, r.provider)
        verb = (
            "registered"
            if r.created
            else ("updated" if r.items_added or r.name_changed else "unchanged")
        )
        _emit(
            {
                "uscc": r.provider.uscc,
                "name": r.provider.name,
                "status": verb,
                "items": codes,
                "items_added": list(r.items_added),
            }
        )


@provider_app.command("list")
def provider_list() -> None:
    """List providing units and their items."""
    from sqlalchemy import select

    from pcip.platform import Platform
    from pcip.providers.models import Provider
    from pcip.providers.service import provider_items

    platform = Platform.open()
    with platform.transaction() as s:
        table = Table("USCC", "name", "level", "items")
        for p in s.scalars(select(Provider).order_by(Provider.name)):
            table.add_row(p.uscc, p.name, p.level, ", ".join(provider_items(s, p)))
        out.print(table)


@catalog_app.command("list")
def catalog_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the catalog items in force today."""
    from pcip import clock
    from pcip.catalog.service import describe, items_in_force
    from pcip.platform import Platform

    platform = Platform.open()
    with platform.transaction() as s:
        items = items_in_force(s)
        if as_json:
            for code in sorted(items):
                _emit(describe(items[code]))
            return
        table = Table(title=f"catalog items in force on {clock.today()}")
        table.add_column("code", no_wrap=True)
        table.add_column("名称", no_wrap=True, overflow="ellipsis", max_width=20)
        table.add_column("cat.", justify="right")
        table.add_column("polarity")
        table.add_column("disclosure")
        for code in sorted(items):
            i = items[code]
            table.add_row(code, i.name_zh, str(i.scope_category), i.polarity, i.disclosure_class)
        out.print(table)


@app.command()
def ingest(
    file: Annotated[Path, typer.Argument(help="CSV (UTF-8 or GBK), JSONL or XLSX file.")],
    item: Annotated[str, typer.Option(help="Catalog item code, e.g. admin_penalty.")],
    provider: Annotated[str, typer.Option(help="The providing unit's USCC.")],
    fmt: Annotated[
        str | None, typer.Option("--format", help="csv, jsonl or xlsx (default: by extension).")
    ] = None,
    report: Annotated[
        Path | None, typer.Option(help="Write rejected rows here (.csv or .jsonl) to fix them.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON summary.")] = False,
) -> None:
    """Submit a file of credit records for a providing unit (Art. 16, 19-23).

    Exit status: 0 all rows accepted (or unchanged), 1 some rows rejected, 2 nothing stored.
    """
    from pcip.platform import Platform
    from pcip.records.ingest import ingest_file

    if not file.is_file():
        raise ValidationError(f"{file}: no such file", field="FILE")
    if report is not None and report.suffix.lower() not in (".csv", ".jsonl"):
        raise ValidationError("the report file must end in .csv or .jsonl", field="--report")
    platform = Platform.open()
    with _bytes_progress(file.stat().st_size, quiet=as_json) as advance:
        summary = ingest_file(
            platform,
            Actor.cli(),
            file,
            provider_uscc=provider,
            item_code=item,
            fmt=fmt,
            progress=advance,
        )
    if report is not None and summary.batch_id is not None:
        _write_report(platform, summary.batch_id, report)
    if as_json:
        _emit(summary.as_json())
    else:
        _print_summary(summary, report)
    raise typer.Exit(1 if summary.rejected else 0)


@contextmanager
def _bytes_progress(total: int, *, quiet: bool) -> Iterator[Callable[[int], None]]:
    if quiet:
        yield lambda _n: None
        return
    progress = Progress(
        TextColumn("reading"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=err,
    )
    task = progress.add_task("file", total=total)
    with progress:
        yield lambda n: progress.update(task, completed=n)
        progress.update(task, completed=total)


def _write_report(platform: Any, batch_id: int, path: Path) -> None:
    from pcip.records.reports import write_rejected

    with platform.transaction() as s, path.open("w", encoding="utf-8-sig", newline="") as fh:
        write_rejected(s, batch_id, fh, "jsonl" if path.suffix.lower() == ".jsonl" else "csv")


def _print_summary(summary: Any, report: Path | None) -> None:
    out.print(
        f"batch {summary.batch_id} ({summary.item}, {summary.provider}): "
        f"{summary.accepted} accepted, {summary.updated} updated, "
        f"{summary.unchanged} unchanged, {summary.rejected} rejected",
        highlight=False,
    )
    for w in summary.warnings:
        out.print(f"warning: {w}", highlight=False, markup=False)
    for e in summary.errors[:20]:
        where = f"line {e.line}" + (f", {e.field}" if e.field else "")
        out.print(f"rejected {where}: {e.message}", highlight=False, markup=False)
    if summary.rejected > 20:
        out.print(f"... {summary.rejected - 20} more rejected rows", highlight=False)
    if summary.rejected:
        out.print(
            f"rejected rows written to {report}"
            if report
            else f"download them with: pcip batch rejected {summary.batch_id} --out rejected.csv",
            highlight=False,
            markup=False,
        )
    out.print(
        f"{summary.rows} rows in {summary.seconds:.1f} s ({summary.rows_per_second:,.0f} rows/s)",
        highlight=False,
    )


@batch_app.command("list")
def batch_list(
    provider: Annotated[str | None, typer.Option(help="Only this unit's batches (USCC).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10000)] = 50,
) -> None:
    """The most recent batches: who, when, item, file hash and counts."""
    from sqlalchemy import select

    from pcip.clock import CST
    from pcip.platform import Platform
    from pcip.providers.models import Provider
    from pcip.providers.service import get_provider
    from pcip.records.models import Batch

    platform = Platform.open()
    with platform.transaction() as s:
        q = select(Batch, Provider.uscc).join(Provider, Batch.provider_id == Provider.id)
        if provider:
            q = q.where(Batch.provider_id == get_provider(s, provider).id)
        table = Table(title="batches (times in China Standard Time)")
        for name in ("id", "received", "provider", "item", "status"):
            table.add_column(name, no_wrap=True)
        for name in ("acc.", "upd.", "unch.", "rej."):
            table.add_column(name, justify="right")
        for b, uscc in s.execute(q.order_by(Batch.id.desc()).limit(limit)):
            table.add_row(
                str(b.id),
                f"{b.received_at.astimezone(CST):%Y-%m-%d %H:%M}",
                uscc,
                b.item_code,
                b.status,
                str(b.accepted),
                str(b.updated),
                str(b.unchanged),
                str(b.rejected),
            )
        out.print(table)


@batch_app.command("rejected")
def batch_rejected(
    batch_id: Annotated[int, typer.Argument(help="Batch id.")],
    out_path: Annotated[Path, typer.Option("--out", help="Output file (.csv or .jsonl).")],
) -> None:
    """Download a batch's rejected rows with their line numbers and reasons."""
    from pcip.platform import Platform
    from pcip.records.reports import get_batch

    if out_path.suffix.lower() not in (".csv", ".jsonl"):
        raise ValidationError("the output file must end in .csv or .jsonl", field="--out")
    platform = Platform.open()
    with platform.transaction() as s:
        batch = get_batch(s, batch_id)
        count = batch.rejected
    _write_report(platform, batch_id, out_path)
    _emit({"batch_id": batch_id, "rejected": count, "file": str(out_path)})


@key_app.command("create")
def key_create(
    uscc: Annotated[str, typer.Argument(help="The unit's USCC.")],
    label: Annotated[str, typer.Option(help="What the key is for.")] = "default",
) -> None:
    """Issue an API key for a unit's systems. The token is shown once: store it safely."""
    from pcip.platform import Platform
    from pcip.providers.service import create_key, get_provider

    platform = Platform.open()
    with platform.transaction() as s:
        issued = create_key(s, Actor.cli(), get_provider(s, uscc), label)
    _emit(
        {
            "key_id": issued.key_id,
            "token": issued.token,
            "note": "shown once; send it as 'Authorization: Bearer <token>'",
        }
    )


@key_app.command("revoke")
def key_revoke(key_id: Annotated[str, typer.Argument(help="The key id.")]) -> None:
    """Revoke an API key at once."""
    from pcip.platform import Platform
    from pcip.providers.service import revoke_key

    platform = Platform.open()
    with platform.transaction() as s:
        key = revoke_key(s, Actor.cli(), key_id)
        _emit({"key_id": key.key_id, "revoked_at": key.revoked_at})


@calendar_app.command("deadline")
def calendar_deadline(
    start: Annotated[str, typer.Argument(help="Receipt date, YYYY-MM-DD (not counted, D-1).")],
    working_days: Annotated[int, typer.Argument(help="Number of working days.")],
    pause: Annotated[
        list[str] | None,
        typer.Option(help="A pause FROM:TO (inclusive dates) excluded from the count (D-3)."),
    ] = None,
) -> None:
    """Print the due date of N working days after START as one JSON object."""
    from pcip.calendar.service import work_calendar
    from pcip.platform import Platform

    day = _iso_date(start, "START")
    pauses = [_pause(p) for p in pause or []]
    platform = Platform.open()
    with platform.transaction() as s:
        result = work_calendar(s).deadline(day, working_days, pauses)
    _emit(result.as_json())


def _iso_date(value: str, field: str) -> Any:
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"'{value}' is not a date (YYYY-MM-DD)", field=field) from None


def _pause(value: str) -> tuple[Any, Any]:
    first, sep, last = value.partition(":")
    if not sep:
        raise ValidationError(f"'{value}' is not FROM:TO", field="--pause")
    return _iso_date(first, "--pause"), _iso_date(last, "--pause")


@calendar_app.command("load")
def calendar_load(
    file: Annotated[Path, typer.Argument(help="A year's official schedule (JSON).")],
) -> None:
    """Load a year's official holiday schedule; deadlines crossing it are recounted on it."""
    from pcip.calendar.schedule import parse_schedule_file
    from pcip.calendar.service import load
    from pcip.platform import Platform

    schedule = parse_schedule_file(file)
    platform = Platform.open()
    with platform.transaction() as s:
        result = load(s, Actor.cli(), schedule)
    _emit(result.as_json())


@calendar_app.command("list")
def calendar_list() -> None:
    """The stored official years and their sources; other years are computed (provisional)."""
    from sqlalchemy import select

    from pcip.calendar.models import CalendarYear
    from pcip.platform import Platform

    platform = Platform.open()
    with platform.transaction() as s:
        for row in s.scalars(select(CalendarYear).order_by(CalendarYear.year)):
            _emit(
                {
                    "year": row.year,
                    "source": row.source,
                    "holidays": len(row.holidays),
                    "makeup_workdays": len(row.makeup_workdays),
                    "loaded_at": row.loaded_at.isoformat(),
                    "loaded_by": row.loaded_by,
                }
            )


@audit_app.command("verify")
def audit_verify(
    checkpoints: Annotated[
        Path | None,
        typer.Option(
            help="Compare with this checkpoint file (e.g. the remote copy) instead of "
            "PCIP_AUDIT_CHECKPOINTS."
        ),
    ] = None,
) -> None:
    """Check the whole chain and compare it with the signed checkpoints; name what is wrong
    (an entry altered, removed, reordered or out of range; the end cut off; the chain wiped or
    re-sealed)."""
    from pcip import audit
    from pcip.audit.anchor import read_anchor
    from pcip.platform import Platform

    platform = Platform.open()
    settings = platform.settings
    if checkpoints is not None:
        settings = settings.model_copy(update={"audit_checkpoints": checkpoints})
    with platform.transaction() as s:
        result = audit.verify(s, anchor=read_anchor(settings))
    platform.dispose()
    _emit(result.as_dict())
    if not result.ok:
        sys.stderr.write(f"audit chain broken: {'; '.join(result.problems)}\n")
        raise typer.Exit(1)


cli_access.register(app)  # after this module's commands, so the help lists them first
cli_objections.register(app)
app.add_typer(lists_app, name="lists")  # issue 16: Art. 32-33, 44
app.add_typer(measures_app, name="measures")  # issue 16: Art. 31, 34-38
cli_ops.register(app, audit_app)


def _fail(message: str, status: int) -> NoReturn:
    # Plain write, not rich: rich wraps at 80 columns when stderr is not a terminal,
    # and the contract is one line per error.
    one_line = " ".join(message.split())
    sys.stderr.write(f"error: {one_line}\n")
    sys.exit(status)


def _is_usage_error(exc: Exception) -> bool:
    # Typer ships its own copy of click, so match click's exceptions by their interface.
    return hasattr(exc, "format_message") and isinstance(getattr(exc, "exit_code", None), int)


def _usage(exc: Any) -> NoReturn:
    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError":
        sys.exit(0)  # "pcip" or "pcip id" alone: Typer has already printed the help
    path = getattr(ctx, "command_path", "pcip") if ctx is not None else "pcip"
    _fail(f"{exc.format_message()} (see '{path} --help')", int(exc.exit_code))


def main() -> None:
    """Console entry point: turn every known failure into one clear line."""
    from sqlalchemy.exc import SQLAlchemyError

    from pcip.errors import PcipError

    debug = os.environ.get("PCIP_DEBUG") == "1"
    try:
        code = app(standalone_mode=False)
    except PcipError as exc:
        _fail(str(exc), 2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        _fail("aborted; nothing partial was committed", 130)
    except SQLAlchemyError as exc:
        if debug:
            raise
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        _fail(f"database: {reason}", 2)
    except KeyboardInterrupt:
        _fail("interrupted; nothing partial was committed", 130)
    except Exception as exc:
        if _is_usage_error(exc):
            _usage(exc)
        if debug:
            raise
        _fail(f"unexpected {type(exc).__name__}: {exc} (set PCIP_DEBUG=1 for details)", 3)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
