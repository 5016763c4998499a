"""``pcip backup`` and ``pcip restore``: database, files and keys as one procedure (Art. 27).

A backup is a directory::

    manifest.json          what was taken, with digests (checked before anything is restored)
    database.pgdump        PostgreSQL: pg_dump --format=custom of one consistent snapshot
    database.sqlite3       SQLite: an online copy (the sqlite3 backup API)
    files/...              the files directory (evidence), copied after the database snapshot
    anchor/checkpoints.jsonl  the audit checkpoints, copied before the snapshot
    keys/                  the key file and the audit anchor key (or elsewhere: --keys-to)

Order matters. The checkpoint file is copied first (after writing a fresh checkpoint), so no
checkpoint in the backup records more entries than its database holds. The database snapshot
comes next, and the files last: a file is written before the row that refers to it commits
and is never deleted, so every file the snapshot refers to is in the copy.

``restore`` checks the manifest's digests and that the keys are the ones the backup's data is
under, installs everything into an empty database and an empty ``PCIP_HOME``, opens the
platform (its start-up key check), verifies the audit chain against the restored checkpoints,
and records the restore in the chain.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import make_url

from pcip import __version__, clock
from pcip.config import Settings
from pcip.db import check_connection, display_url, make_engine
from pcip.errors import ConfigError, PcipError
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.audit.anchor import read_anchor
from pcip.kernel.audit.checkpoints import checkpoint
from pcip.kernel.audit.service import HEAD_KEY
from pcip.kernel.keys.check import KEYS_KEY
from pcip.kernel.keys.keyring import keyring_path, load_keyring
from pcip.kernel.platform import Platform, current_revision

FORMAT = "pcip-backup/1"
MANIFEST = "manifest.json"
Say = Callable[[str], None]
#: Tables whose row counts the manifest records (what a restore is compared with).
COUNTED = (
    "subject",
    "credit_record",
    "record_version",
    "batch",
    "objection",
    "objection_evidence",
    "inquiry_log",
    "audit_event",
)


def _quiet(_: str) -> None:
    pass


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _empty_dir(path: Path, what: str) -> None:
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise ConfigError(f"{what} {path} is not an empty directory; choose a new one")
    path.mkdir(parents=True, exist_ok=True, mode=0o700)


def _libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _run(cmd: list[str], what: str) -> None:
    tool = shutil.which(cmd[0])
    if tool is None:
        raise ConfigError(
            f"{cmd[0]} is not installed: {what} of a PostgreSQL database needs the PostgreSQL "
            "client tools (Debian: postgresql-client)"
        )
    done = subprocess.run([tool, *cmd[1:]], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise ConfigError(f"{cmd[0]} failed ({done.returncode}): {lines[-1] if lines else ''}")


def _facts(conn: Connection) -> dict[str, Any]:
    """What the manifest records about the database, read in the snapshot being saved."""
    meta = {
        str(k): str(v)
        for k, v in conn.execute(
            text("SELECT key, value FROM platform_meta WHERE key IN (:a, :b)"),
            {"a": HEAD_KEY, "b": KEYS_KEY},
        )
    }
    head = str(meta.get(HEAD_KEY) or "")
    seq, _, digest = head.partition(":")
    tables = set(inspect(conn).get_table_names())
    counts = {
        t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() or 0)
        for t in COUNTED
        if t in tables
    }
    return {
        "schema_revision": current_revision(conn),
        "audit_head": {
            "seq": int(seq) if seq.isascii() and seq.isdigit() else None,
            "hash": digest or None,
        },
        "key_generation": meta.get(KEYS_KEY),
        "counts": counts,
    }


def _dump(platform: Platform, dest: Path) -> dict[str, Any]:
    engine = platform.engine
    if engine.dialect.name == "postgresql":
        out = dest / "database.pgdump"
        with engine.connect() as raw:
            conn = raw.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar()
                facts = _facts(conn)
                _run(
                    [
                        "pg_dump",
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        f"--file={out}",
                        f"--dbname={_libpq_url(str(engine.url))}",
                    ],
                    "a backup",
                )
        kind = "postgresql"
    else:
        out = dest / "database.sqlite3"
        source = make_url(str(engine.url)).database or ""
        src = sqlite3.connect(source)
        try:
            dst = sqlite3.connect(out)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        copy = make_engine(f"sqlite:///{out}")
        try:
            with copy.connect() as conn:
                facts = _facts(conn)
        finally:
            copy.dispose()
        kind = "sqlite"
    os.chmod(out, 0o600)
    return {
        "kind": kind,
        "file": out.name,
        "size": out.stat().st_size,
        "sha256": _sha256(out),
        **facts,
    }


def _walk_files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.name.startswith(".upload-"):
                yield path


def _copy_files(source: Path, target: Path) -> list[dict[str, Any]]:
    entries = []
    for path in _walk_files(source):
        rel = path.relative_to(source)
        out = target / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, out)
        entries.append({"path": rel.as_posix(), "size": out.stat().st_size, "sha256": _sha256(out)})
    return entries


def _key_files(settings: Settings) -> dict[str, Path]:
    return {
        "keyring.json": keyring_path(settings.keys_dir),
        "audit-anchor.key": settings.anchor_key_path,
        "audit-anchor.pub": settings.anchor_public_key_path,
        # Art. 29: issued credit reports verify only with this key (docs/reports.md).
        "report-signing.key": settings.keys_dir / "report-signing.key",
    }


@dataclass
class BackupReport:
    path: Path
    keys_path: Path
    manifest: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        m = self.manifest
        return {
            "backup": str(self.path),
            "keys": str(self.keys_path),
            "database": m["database"]["kind"],
            "audit_head": m["database"]["audit_head"]["seq"],
            "checkpoints": m["anchor"]["checkpoints"],
            "files": m["files"]["count"],
            "counts": m["database"]["counts"],
        }


def backup(
    settings: Settings,
    dest: Path,
    *,
    keys_dest: Path | None = None,
    actor: Actor | None = None,
    say: Say = _quiet,
) -> BackupReport:
    """Take a backup while the platform may keep running (see the module's docstring)."""
    actor = actor or Actor.cli()
    platform = Platform.open(settings)  # the key file must match the data being saved
    try:
        _empty_dir(dest, "backup directory")
        keys_dest = keys_dest or dest / "keys"
        _empty_dir(keys_dest, "key backup directory")
        note = None
        try:
            with platform.transaction() as s:
                written = checkpoint(s, settings)
            say(f"audit checkpoint {written.line}: entry {written.seq}")
        except PcipError as exc:
            note = exc.message
            say(f"warning: no fresh audit checkpoint: {exc.message}")
        anchor_out = dest / "anchor" / "checkpoints.jsonl"
        if settings.checkpoints_path.exists():
            anchor_out.parent.mkdir(mode=0o700)
            shutil.copy2(settings.checkpoints_path, anchor_out)
        anchor = read_anchor(settings)
        say(f"checkpoints: {len(anchor.checkpoints)} copied from {settings.checkpoints_path}")
        database = _dump(platform, dest)
        say(
            f"database: {database['kind']} snapshot, {database['size']:,} bytes, audit entry "
            f"{database['audit_head']['seq']}, schema {database['schema_revision']}"
        )
        files = _copy_files(settings.files_dir, dest / "files")
        say(f"files: {len(files)} file(s) copied from {settings.files_dir}")
        ring = load_keyring(settings.keys_dir)
        copied = []
        for name, path in _key_files(settings).items():
            if not path.exists():
                continue
            try:
                shutil.copy2(path, keys_dest / name)
            except PermissionError:  # e.g. the anchor key, readable only by its own account
                say(f"warning: {path} is not readable by this account: back it up where it is")
                continue
            os.chmod(keys_dest / name, 0o644 if name.endswith(".pub") else 0o600)
            copied.append(name)
        say(f"keys: {', '.join(copied)} copied to {keys_dest}")
        manifest = {
            "format": FORMAT,
            "created_at": clock.now().isoformat(timespec="seconds"),
            "pcip_version": __version__,
            "source": display_url(str(platform.engine.url)),
            "database": database,
            "anchor": {
                "file": "anchor/checkpoints.jsonl" if anchor_out.exists() else None,
                "checkpoints": len(anchor.checkpoints),
                "latest_seq": anchor.latest.seq if anchor.latest else None,
                "problem": note,
            },
            "files": {
                "count": len(files),
                "bytes": sum(f["size"] for f in files),
                "entries": files,
            },
            "keys": {
                "inside": keys_dest == dest / "keys",
                "files": copied,
                "generation": ring.generation,
                "fingerprints": {f"{k}:{i}": fp for (k, i), fp in ring.key_fingerprints().items()},
            },
        }
        (dest / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        with platform.transaction() as s:
            audit.record(
                s,
                actor,
                "platform.backup",
                object_type="backup",
                object_id=str(dest)[:128],
                article="Art. 27",
                details={
                    "audit_head": database["audit_head"]["seq"],
                    "database_sha256": database["sha256"],
                    "files": len(files),
                    "keys_apart": keys_dest != dest / "keys",
                },
            )
    finally:
        platform.dispose()
    return BackupReport(dest, keys_dest, manifest)


# --- restore --------------------------------------------------------------------------------


def read_manifest(src: Path) -> dict[str, Any]:
    path = src / MANIFEST
    try:
        manifest: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        raise ConfigError(f"{src} is not a pcip backup: it has no {MANIFEST}") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path} cannot be read: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise ConfigError(f"{path} is not a pcip backup manifest ({FORMAT})")
    return manifest


def _check_backup(src: Path, manifest: dict[str, Any], say: Say) -> None:
    db = manifest["database"]
    path = src / db["file"]
    if not path.exists():
        raise ConfigError(f"the backup's database file {path} is missing")
    if _sha256(path) != db["sha256"]:
        raise ConfigError(f"the backup's database file {path} does not match its manifest digest")
    for entry in manifest["files"]["entries"]:
        f = src / "files" / entry["path"]
        if not f.exists():
            raise ConfigError(f"the backup's file {f} is missing")
        if _sha256(f) != entry["sha256"]:
            raise ConfigError(f"the backup's file {f} does not match its manifest digest")
    say(f"backup checked: database and {manifest['files']['count']} file(s) match the manifest")


def _check_keys(keys_src: Path, manifest: dict[str, Any], say: Say) -> None:
    """The keys must be exactly those the backup's data is under, before anything is written."""
    ring = load_keyring(keys_src)
    wanted: dict[str, str] = manifest["keys"]["fingerprints"]
    mine = {f"{k}:{i}": fp for (k, i), fp in ring.key_fingerprints().items()}
    for name, fp in sorted(wanted.items()):
        kind, _, key_id = name.partition(":")
        if name not in mine:
            raise ConfigError(
                f"key file {keyring_path(keys_src)} lacks the {kind} key '{key_id}' the backup's "
                "data is under (keys from before a rotation?); use the keys saved with this backup"
            )
        if mine[name] != fp:
            raise ConfigError(
                f"key file {keyring_path(keys_src)}: the {kind} key '{key_id}' is not the one "
                "the backup's data is under (another installation's keys?)"
            )
    if ring.generation != manifest["keys"]["generation"]:
        raise ConfigError(
            f"key file {keyring_path(keys_src)} writes with keys {ring.generation}, the backup's "
            f"data is under {manifest['keys']['generation']} (keys from after a rotation?); "
            "use the keys saved with this backup"
        )
    say(f"keys checked: {ring.generation}, fingerprints match the backup's")


def _check_target(settings: Settings, kind: str) -> None:
    url = settings.effective_database_url
    backend = make_url(url).get_backend_name()
    if (backend == "postgresql") != (kind == "postgresql"):
        raise ConfigError(
            f"the backup holds a {kind} database but PCIP_DATABASE_URL is {display_url(url)}"
        )
    for path, what in (
        (keyring_path(settings.keys_dir), "key file"),
        (settings.anchor_key_path, "audit anchor key"),
        (settings.checkpoints_path, "checkpoint file"),
    ):
        if path.exists():
            raise ConfigError(
                f"{what} {path} already exists: restore into an empty PCIP_HOME (keep the "
                "existing files: a later checkpoint file shows which entries a restore loses)"
            )
    if any(_walk_files(settings.files_dir)):
        raise ConfigError(f"files directory {settings.files_dir} is not empty")
    if kind == "sqlite":
        target = Path(make_url(url).database or "")
        if target.exists() and target.stat().st_size > 0:
            raise ConfigError(f"database file {target} already exists: restore into a new one")
        return
    engine = make_engine(url)
    try:
        check_connection(engine)
        if inspect(engine).get_table_names():
            raise ConfigError(
                f"database {display_url(url)} is not empty: restore into a newly created one"
            )
    finally:
        engine.dispose()


def _install_keys(settings: Settings, keys_src: Path, files: list[str]) -> None:
    targets = _key_files(settings)
    for name in files:
        target = targets[name]
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.copy2(keys_src / name, target)
        os.chmod(target, 0o644 if name.endswith(".pub") else 0o600)


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    verified: audit.VerifyResult
    counts: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {
            "backup_created_at": self.manifest["created_at"],
            "database": self.manifest["database"]["kind"],
            "audit_head": self.manifest["database"]["audit_head"]["seq"],
            "audit_verified": self.verified.ok,
            "audit_checked": self.verified.checked,
            "checkpoints": self.verified.checkpoints,
            "files": self.manifest["files"]["count"],
            "counts": self.counts,
        }


def restore(
    settings: Settings,
    src: Path,
    *,
    keys_src: Path | None = None,
    actor: Actor | None = None,
    say: Say = _quiet,
) -> RestoreReport:
    """Restore a backup into an empty database and PCIP_HOME, then prove it opens and verifies."""
    actor = actor or Actor.cli()
    manifest = read_manifest(src)
    keys_src = keys_src or src / "keys"
    _check_backup(src, manifest, say)
    _check_keys(keys_src, manifest, say)
    db = manifest["database"]
    _check_target(settings, db["kind"])
    _install_keys(settings, keys_src, manifest["keys"]["files"])
    url = settings.effective_database_url
    if db["kind"] == "postgresql":
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--dbname={_libpq_url(url)}",
                str(src / db["file"]),
            ],
            "a restore",
        )
    else:
        target = Path(make_url(url).database or "")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src / db["file"], target)
        os.chmod(target, 0o600)
    say(f"database restored into {display_url(url)}")
    copied = _copy_files(src / "files", settings.files_dir)
    say(f"files: {len(copied)} file(s) restored into {settings.files_dir}")
    if manifest["anchor"]["file"]:
        settings.checkpoints_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src / manifest["anchor"]["file"], settings.checkpoints_path)
        say(f"checkpoints: {manifest['anchor']['checkpoints']} restored")
    platform = Platform.open(settings)  # the start-up key check, on the restored data
    try:
        with platform.engine.connect() as conn:
            facts = _facts(conn)
        if facts["audit_head"] != db["audit_head"] or facts["counts"] != db["counts"]:
            raise ConfigError(
                "the restored database differs from the backup's manifest (audit head "
                f"{facts['audit_head']['seq']} against {db['audit_head']['seq']})"
            )
        with platform.transaction() as s:
            verified = audit.verify(s)
        if not verified.ok:
            raise ConfigError(f"the restored audit chain does not verify: {verified.problem}")
        say(
            f"audit chain verified: {verified.checked} entries, {verified.checkpoints} "
            "checkpoints agree"
        )
        with platform.transaction() as s:
            audit.record(
                s,
                actor,
                "platform.restore",
                object_type="backup",
                object_id=str(src)[:128],
                article="Art. 27",
                details={
                    "backup_created_at": manifest["created_at"],
                    "audit_head_at_backup": db["audit_head"]["seq"],
                    "database_sha256": db["sha256"],
                    "files": len(copied),
                },
            )
        if settings.anchor_key_path.exists():
            with platform.transaction() as s:
                checkpoint(s, settings)
    finally:
        platform.dispose()
    return RestoreReport(manifest, verified, facts["counts"])
