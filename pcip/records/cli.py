"""CLI for submissions (Art. 16, 19-23): ``pcip ingest`` and ``pcip batch list | rejected``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from pcip.doors import terminal
from pcip.errors import ValidationError
from pcip.kernel.actors import Actor

batch_app = typer.Typer(help="The batch ledger of submissions (Art. 20).", no_args_is_help=True)


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
    from pcip.kernel.platform import Platform
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
        terminal.emit(summary.as_json())
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
        console=terminal.err,
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
    terminal.out.print(
        f"batch {summary.batch_id} ({summary.item}, {summary.provider}): "
        f"{summary.accepted} accepted, {summary.updated} updated, "
        f"{summary.unchanged} unchanged, {summary.rejected} rejected",
        highlight=False,
    )
    for w in summary.warnings:
        terminal.out.print(f"warning: {w}", highlight=False, markup=False)
    for e in summary.errors[:20]:
        where = f"line {e.line}" + (f", {e.field}" if e.field else "")
        terminal.out.print(f"rejected {where}: {e.message}", highlight=False, markup=False)
    if summary.rejected > 20:
        terminal.out.print(f"... {summary.rejected - 20} more rejected rows", highlight=False)
    if summary.rejected:
        terminal.out.print(
            f"rejected rows written to {report}"
            if report
            else f"download them with: pcip batch rejected {summary.batch_id} --out rejected.csv",
            highlight=False,
            markup=False,
        )
    terminal.out.print(
        f"{summary.rows} rows in {summary.seconds:.1f} s ({summary.rows_per_second:,.0f} rows/s)",
        highlight=False,
    )


@batch_app.command("list")
def batch_list(
    provider: Annotated[str | None, typer.Option(help="Only this unit's batches (USCC).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10000)] = 50,
) -> None:
    """The most recent batches: who, when, item, file hash and counts."""
    from pcip.clock import CST
    from pcip.kernel.platform import Platform
    from pcip.providers.service import get_provider
    from pcip.records.queries import recent_batches

    platform = Platform.open()
    with platform.transaction() as s:
        provider_id = get_provider(s, provider).id if provider else None
        table = Table(title="batches (times in China Standard Time)")
        for name in ("id", "received", "provider", "item", "status"):
            table.add_column(name, no_wrap=True)
        for name in ("acc.", "upd.", "unch.", "rej."):
            table.add_column(name, justify="right")
        for b, uscc in recent_batches(s, provider_id=provider_id, limit=limit):
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
        terminal.out.print(table)


@batch_app.command("rejected")
def batch_rejected(
    batch_id: Annotated[int, typer.Argument(help="Batch id.")],
    out_path: Annotated[Path, typer.Option("--out", help="Output file (.csv or .jsonl).")],
) -> None:
    """Download a batch's rejected rows with their line numbers and reasons."""
    from pcip.kernel.platform import Platform
    from pcip.records.reports import get_batch

    if out_path.suffix.lower() not in (".csv", ".jsonl"):
        raise ValidationError("the output file must end in .csv or .jsonl", field="--out")
    platform = Platform.open()
    with platform.transaction() as s:
        batch = get_batch(s, batch_id)
        count = batch.rejected
    _write_report(platform, batch_id, out_path)
    terminal.emit({"batch_id": batch_id, "rejected": count, "file": str(out_path)})
