"""CLI for operating the platform: initialising it, the demo data, the audit log, key
rotation, backup and restore.

``pcip init``, ``pcip demo``, ``pcip audit verify``, ``pcip audit checkpoint``,
``pcip keys rotate``, ``pcip keys status``, ``pcip backup`` and ``pcip restore``
(docs/audit.md, docs/operations.md). The operations commands print, on stderr, what it does
step by step, and one JSON object with the outcome on stdout.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from pcip.config import get_settings
from pcip.doors import terminal
from pcip.doors.terminal import emit, say
from pcip.kernel.actors import Actor

audit_app = typer.Typer(help="The hash-chained audit log (Art. 27-28).", no_args_is_help=True)
keys_app = typer.Typer(
    help="The encryption and blind-index keys (Art. 27): status and rotation.",
    no_args_is_help=True,
)


def init(
    demo_if_empty: Annotated[
        bool, typer.Option(help="Also load demo data when the database holds no subjects.")
    ] = False,
) -> None:
    """Create or upgrade the database, create keys, seed reference data. Safe to repeat."""
    from pcip.ops.bootstrap import init_platform

    summary = init_platform(demo_if_empty=demo_if_empty, progress=True)
    # Plain writes: rich would wrap long lines (keys, commands) that users copy and paste.
    sys.stdout.write("\n".join(summary) + "\n")


def demo(
    subjects: Annotated[int, typer.Option(min=1, help="Subjects to generate.")] = 200,
    records: Annotated[int, typer.Option(min=0, help="Credit records to generate.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same data).")] = 2021,
) -> None:
    """Generate synthetic subjects and records across the seeded catalog items."""
    from pcip.config import refuse_demo_in_production
    from pcip.demo import generate_demo
    from pcip.kernel.platform import Platform

    refuse_demo_in_production(get_settings())
    platform = Platform.open()
    result = generate_demo(platform, subjects=subjects, records=records, seed=seed, progress=True)
    terminal.out.print(result.summary())


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
    from pcip.kernel import audit
    from pcip.kernel.audit.anchor import read_anchor
    from pcip.kernel.platform import Platform

    platform = Platform.open()
    settings = platform.settings
    if checkpoints is not None:
        settings = settings.model_copy(update={"audit_checkpoints": checkpoints})
    with platform.transaction() as s:
        result = audit.verify(s, anchor=read_anchor(settings))
    platform.dispose()
    terminal.emit(result.as_dict())
    if not result.ok:
        sys.stderr.write(f"audit chain broken: {'; '.join(result.problems)}\n")
        raise typer.Exit(1)


@audit_app.command("checkpoint")
def audit_checkpoint(
    force: Annotated[
        bool, typer.Option(help="Write a checkpoint even if the head has not moved.")
    ] = False,
) -> None:
    """Verify the entries added since the last checkpoint, then sign the chain's head and
    append it to the checkpoint file (run it from a timer; docs/audit.md)."""
    from pcip.kernel.audit.anchor import AuditBroken
    from pcip.kernel.audit.checkpoints import checkpoint
    from pcip.kernel.platform import Platform

    platform = Platform.open()
    try:
        with platform.transaction() as s:
            result = checkpoint(s, platform.settings, force=force)
    except AuditBroken as exc:
        sys.stderr.write(f"audit chain broken: {exc.message}\n")
        raise typer.Exit(1) from None
    finally:
        platform.dispose()
    emit(result.as_dict())


@keys_app.command("status")
def keys_status() -> None:
    """The keys this database knows (id, state, fingerprint) and whether a rotation is open."""
    from pcip.kernel.keys.check import known_keys, rotation_state
    from pcip.kernel.platform import Platform

    platform = Platform.open(maintenance=True)
    try:
        with platform.transaction() as s:
            rows = known_keys(s)
            emit(
                {
                    "keys": [
                        {
                            "kind": r.kind,
                            "id": r.key_id,
                            "state": r.state,
                            "fingerprint": r.fingerprint,
                            "added_at": r.added_at,
                            "retired_at": r.retired_at,
                        }
                        for r in rows
                    ],
                    "rotation_under_way": rotation_state(s),
                }
            )
    finally:
        platform.dispose()


@keys_app.command("rotate")
def keys_rotate(
    batch_size: Annotated[int, typer.Option(min=1, help="Rows per transaction.")] = 500,
    force: Annotated[
        bool,
        typer.Option(help="Rotate even though other connections to the database are open."),
    ] = False,
) -> None:
    """New data and index keys; every person's identifier re-encrypted and re-indexed, every
    rejected row sealed again, in batches. Stop the server first. Interrupted, it resumes when
    run again. Audited (keys.rotate_start, keys.rotate)."""
    from pcip.config import get_settings
    from pcip.ops.rotation import rotate

    seen: dict[str, tuple[int, int]] = {}

    def progress(step: str, done: int, total: int) -> None:
        before = seen.get(step, (0, 0))[0]
        seen[step] = (done, total)
        if total and (done == total or done * 10 // total != before * 10 // total):
            say(f"{step}: {done:,} of {total:,}")

    try:
        report = rotate(
            get_settings(), Actor.cli(), batch=batch_size, force=force, progress=progress
        )
    except KeyboardInterrupt:
        done = ", ".join(f"{k} {d:,} of {t:,}" for k, (d, t) in seen.items()) or "nothing yet"
        sys.stderr.write(
            f"error: interrupted ({done}); the rotation is kept as it stands: run "
            "'pcip keys rotate' again to resume it\n"
        )
        raise typer.Exit(130) from None
    say(
        f"rotated: data key {report.data_from} -> {report.data_to}, index key "
        f"{report.index_from} -> {report.index_to}" + (" (resumed)" if report.resumed else "")
    )
    emit(report.as_dict())


def backup_command(
    to: Annotated[Path, typer.Option("--to", help="A new, empty directory for the backup.")],
    keys_to: Annotated[
        Path | None,
        typer.Option(
            "--keys-to", help="Put the keys here instead of <backup>/keys (store them apart)."
        ),
    ] = None,
) -> None:
    """Back up the database, the files directory, the audit checkpoints and the keys, as one
    consistent set; the platform may keep running (docs/operations.md)."""
    from pcip.config import get_settings
    from pcip.ops.backup import backup

    report = backup(get_settings(), to, keys_dest=keys_to, say=say)
    if keys_to is None:
        say(f"the keys are in {report.keys_path}: store them apart from the rest of the backup")
    emit(report.as_dict())


def restore_command(
    from_: Annotated[Path, typer.Option("--from", help="The backup directory.")],
    keys_from: Annotated[
        Path | None,
        typer.Option("--keys-from", help="Where the backup's keys are (default <backup>/keys)."),
    ] = None,
) -> None:
    """Restore a backup into an empty database (PCIP_DATABASE_URL) and an empty PCIP_HOME;
    checks the keys against the backup first, verifies the audit chain afterwards."""
    from pcip.config import get_settings
    from pcip.ops.backup import restore

    report = restore(get_settings(), from_, keys_src=keys_from, say=say)
    emit(report.as_dict())


def words(
    kind: Annotated[
        str | None, typer.Argument(help="state, event, ground, outcome, channel, mode, step...")
    ] = None,
) -> None:
    """The words for the codes the platform uses, Chinese and English (one JSON line each)."""
    from pcip.errors import ValidationError
    from pcip.kernel import vocabulary

    if kind is not None and kind not in vocabulary.VOCABULARY:
        raise ValidationError(
            f"'{kind}' is not one of: {', '.join(vocabulary.VOCABULARY)}", field="kind"
        )
    for k, entries in vocabulary.VOCABULARY.items():
        if kind is None or k == kind:
            for code, w in entries.items():
                forms = {
                    f: dict(zip(("zh", "en"), w.form(f), strict=True))
                    for f in vocabulary.FORMS
                    if getattr(w, f)
                }
                emit({"kind": k, "code": code, "zh": w.zh, "en": w.en, **forms})
