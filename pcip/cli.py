"""The command-line door: ``pcip init | serve | demo | id | provider | catalog | audit ...``.

This module assembles the command and keeps only ``serve`` (it starts the app, which sits
above every area): each area keeps its commands in its own ``cli.py`` (``pcip/<area>/cli.py``;
operations in ``pcip/ops/cli.py``), and every command calls the same services as the API.
A user error prints one line on stderr and exits 2; nothing prints a traceback unless
``PCIP_DEBUG=1``.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any, NoReturn

import typer

from pcip.assessment.cli import assessment_app
from pcip.auth import cli as auth_cli
from pcip.calendar.cli import calendar_app
from pcip.catalog.cli import catalog_app
from pcip.config import get_settings
from pcip.doors import terminal
from pcip.establishments.cli import establishments_app
from pcip.exchange.cli import exchange_app
from pcip.governance.cli import proposals_app
from pcip.inquiry import cli as inquiry_cli
from pcip.integrity.cli import integrity_app
from pcip.lists.cli import lists_app
from pcip.measures.cli import measures_app
from pcip.objections.cli import objections_app
from pcip.ops import cli as ops_cli
from pcip.providers.cli import provider_app
from pcip.records import cli as records_cli
from pcip.reports.cli import reports_app
from pcip.restoration.cli import restoration_app
from pcip.revocation.cli import revocation_app
from pcip.subjects.cli import id_app

app = typer.Typer(
    help="pcip: Public Credit Information Platform (Chongqing Social Credit Regulations 2021).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (PCIP_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (PCIP_PORT, default 8000).")] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            help="Server processes on the one port (PCIP_WORKERS; default: one per core). "
            "More than one needs PCIP_REDIS_URL (docs/operations.md).",
        ),
    ] = None,
) -> None:
    """Serve the API and pages (uvicorn; one process per core with PCIP_REDIS_URL)."""
    import uvicorn

    from pcip.app import create_app
    from pcip.config import refuse_unsafe_start, server_processes
    from pcip.errors import ConfigError
    from pcip.kernel.platform import Platform
    from pcip.kernel.shared_state import open_shared_state

    settings = get_settings()
    bind_host, bind_port = host or settings.host, port or settings.port
    refuse_unsafe_start(settings, bind_host)
    processes, note = server_processes(settings, workers)
    # Fail here, with one line, before binding the port: the database, the keys and Redis.
    platform = Platform.open(settings)
    try:
        open_shared_state(settings.redis_url, settings.redis_prefix)  # Redis answers
    except ConfigError:
        platform.dispose()
        raise
    from pcip.kernel.logredact import UVICORN_LOG_CONFIG, configure_logging

    configure_logging(settings.log_level)  # Art. 27: no identifier reaches a log line
    plural = "es" if processes > 1 else ""
    terminal.out.print(
        f"pcip serving on http://{bind_host}:{bind_port}  (API docs: /docs; "
        f"{processes} process{plural})"
    )
    if note:
        terminal.err.print(f"[yellow]{note}[/]")
    if settings.uses_dev_idp:
        terminal.err.print(
            "[yellow]real-name sign-in uses the built-in DEVELOPMENT identity provider: it "
            "verifies nobody. Set PCIP_IDP_JWKS_URL and PCIP_IDP_ISSUER in production.[/]"
        )
    # One process answers (it is given this platform), or N worker processes each open their
    # own (pcip.app:create_worker_app); either way the app is checked here, before binding.
    app = create_app(platform, serving=True)
    from pcip.kernel.audit.checkpoints import Checkpointer

    # The background rounds run once, in this process, however many processes serve
    # (issue 22): Art. 28's signed checkpoints of the audit chain (docs/audit.md) ...
    checkpointer = Checkpointer(platform, settings.audit_checkpoint_every)
    checkpointer.start()
    from pcip.inquiry.partitions import PartitionKeeper

    # ... the inquiry log's coming month partitions, at start and daily (PostgreSQL) ...
    keeper = PartitionKeeper(platform)
    keeper.start()
    from pcip.objections import watch
    from pcip.restoration.service import overdue_check as restoration_overdue

    # ... D-2: overdue steps and first-day transfer alerts; Art. 45: restoration's ...
    watcher = watch.start(platform, also=(restoration_overdue,))
    from pcip.exchange import worker

    exchange = worker.start(platform)  # ... and the exchange (PCIP_EXCHANGE auto/on)
    if exchange is not None:
        terminal.out.print(f"exchange on: NATS {settings.exchange_url}")
    try:
        if processes == 1:
            uvicorn.run(
                app,
                host=bind_host,
                port=bind_port,
                log_level="warning",
                log_config=UVICORN_LOG_CONFIG,
            )
        else:
            # uvicorn binds the port here and starts N processes (spawned, not forked: no
            # thread of this process is copied into them); this process supervises them.
            uvicorn.run(
                "pcip.app:create_worker_app",
                factory=True,
                workers=processes,
                host=bind_host,
                port=bind_port,
                log_level="warning",
                log_config=UVICORN_LOG_CONFIG,
            )
    finally:
        # The background rounds end with the server: none may outlive its database.
        if watcher is not None:
            watcher.stop()
            watcher.join(timeout=30)
        if exchange is not None:
            exchange.stop()
        checkpointer.stop()
        keeper.stop()
        platform.dispose()


# The order below is the order of ``pcip --help``: commands first, then groups.
app.command("init")(ops_cli.init)
app.command("serve")(serve)
app.command("demo")(ops_cli.demo)
app.command("ingest")(records_cli.ingest)
app.command("purge")(inquiry_cli.purge)
app.command("backup")(ops_cli.backup_command)
app.command("restore")(ops_cli.restore_command)
app.command("words")(ops_cli.words)
provider_app.add_typer(inquiry_cli.scope_app, name="scope")
app.add_typer(id_app, name="id")
app.add_typer(provider_app, name="provider")
app.add_typer(catalog_app, name="catalog")
app.add_typer(ops_cli.audit_app, name="audit")
app.add_typer(records_cli.batch_app, name="batch")
app.add_typer(calendar_app, name="calendar")
app.add_typer(reports_app, name="reports")
app.add_typer(assessment_app, name="assessment")
app.add_typer(auth_cli.account_app, name="account")
app.add_typer(auth_cli.grantee_app, name="grantee")
app.add_typer(inquiry_cli.hold_app, name="hold")
app.add_typer(inquiry_cli.alerts_app, name="alerts")
app.add_typer(auth_cli.dev_idp_app, name="dev-idp")
app.add_typer(objections_app, name="objections")
app.add_typer(lists_app, name="lists")  # Art. 32-33, 44
app.add_typer(measures_app, name="measures")  # Art. 31, 34-38
app.add_typer(restoration_app, name="restoration")  # Art. 26, 45
app.add_typer(revocation_app, name="revocation")  # Art. 44
app.add_typer(establishments_app, name="establishments")  # Art. 47-55
app.add_typer(exchange_app, name="exchange")  # Art. 6, 20, 24-25
app.add_typer(proposals_app, name="proposals")  # Art. 17, 35 (SM-4, SM-5)
app.add_typer(integrity_app, name="integrity")  # Art. 8-10
app.add_typer(ops_cli.keys_app, name="keys")


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
