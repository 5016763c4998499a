"""Batch files uploaded in the console, applied in the background so the page can show progress.

The upload is written to ``PCIP_HOME/uploads/<job>/<file name>`` and handed to the same
pipeline as ``pcip ingest`` (``pcip.records.ingest.ingest_file``, channel ``console``); a
thread runs it and reports the bytes read, and the page polls the job (htmx) until the batch
is in the ledger. The job's state lives in the platform's shared state (issue 22: Redis with
``PCIP_REDIS_URL``), so whichever server process answers a poll sees the progress of the one
that applies the file. A running job's state expires ``RUNNING_TTL`` after its last progress
and a finished one after ``FINISHED_TTL``: if the server stops mid-way, the batch's own
transaction rolls back and the ledger shows nothing, so the unit simply uploads again
(resubmitting is safe: stored rows are ``unchanged``, Art. 20-23).

On SQLite every transaction takes the write lock when it begins, so while a large file is
applied other requests (this page's polls included) wait for it; on PostgreSQL the progress
moves while the batch runs.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import shutil
import threading
import time
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from pcip import clock
from pcip.errors import PcipError
from pcip.kernel.actors import Actor
from pcip.kernel.platform import Platform
from pcip.kernel.shared_state import MemoryState, SharedState
from pcip.records.ingest import ingest_file
from pcip.records.queries import ledger_entry_of_file
from pcip.records.readers import sha256_file

log = logging.getLogger("pcip.console")
#: Seconds a running job's state is kept after its last progress (a stopped server's job
#: then disappears: "no such upload").
RUNNING_TTL = 3600.0
#: Seconds a finished job's state is kept for its page (the ledger keeps every batch for good).
FINISHED_TTL = 24 * 3600.0
#: At most this often (seconds) does a running job write its progress to the shared state.
PROGRESS_EVERY = 0.5
_SAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


def safe_name(name: str) -> str:
    """The uploaded file's own name, without any directory part or unsafe character."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    cleaned = _SAFE.sub("_", base).strip("._") or "upload"
    return cleaned[-120:]


@dataclass
class UploadJob:
    id: str
    provider_id: int
    item: str
    file_name: str
    size: int
    started_at: datetime
    bytes_read: int = 0
    finished: bool = False
    finished_at: datetime | None = None
    batch_id: int | None = None
    summary: dict[str, Any] | None = None
    error: str | None = None
    done: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return min(99, int(100 * self.bytes_read / self.size)) if self.size else 0

    def to_json(self) -> str:
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "done"}
        for k in ("started_at", "finished_at"):
            out[k] = out[k].isoformat() if out[k] is not None else None
        return json.dumps(out, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> UploadJob:
        values = json.loads(text)
        for k in ("started_at", "finished_at"):
            if values[k] is not None:
                values[k] = datetime.fromisoformat(values[k])
        job = cls(**values)
        if job.finished:
            job.done.set()
        return job


def _key(job_id: str) -> str:
    return f"upload:{job_id}"


class UploadJobs:
    """The running and recently finished uploads of every server process (shared state)."""

    def __init__(self, root: Path, state: SharedState | None = None) -> None:
        self.root = root
        self.state: SharedState = state if state is not None else MemoryState()

    def get(self, job_id: str, provider_id: int) -> UploadJob | None:
        """A job, only for the unit that started it."""
        text = self.state.get_text(_key(job_id))
        job = UploadJob.from_json(text) if text is not None else None
        return job if job is not None and job.provider_id == provider_id else None

    def _publish(self, job: UploadJob) -> None:
        ttl = FINISHED_TTL if job.finished else RUNNING_TTL
        self.state.put_text(_key(job.id), job.to_json(), ttl)

    def start(
        self,
        platform: Platform,
        actor: Actor,
        *,
        provider_id: int,
        provider_uscc: str,
        item: str,
        file_name: str,
        data: Any,
        fmt: str | None = None,
    ) -> UploadJob:
        """Save the upload (``data``: a binary file object) and apply it in a thread."""
        job_id = secrets.token_urlsafe(12)
        folder = self.root / job_id
        folder.mkdir(parents=True, exist_ok=False)
        path = folder / safe_name(file_name)
        with path.open("wb") as out:
            shutil.copyfileobj(data, out, 1024 * 1024)
        job = UploadJob(
            id=job_id,
            provider_id=provider_id,
            item=item,
            file_name=path.name,
            size=path.stat().st_size,
            started_at=clock.now(),
        )
        self._publish(job)
        thread = threading.Thread(
            target=self._run,
            args=(platform, actor, job, path, provider_uscc, fmt),
            name=f"console-upload-{job_id}",
            daemon=True,
        )
        thread.start()
        return job

    def _run(
        self,
        platform: Platform,
        actor: Actor,
        job: UploadJob,
        path: Path,
        provider_uscc: str,
        fmt: str | None,
    ) -> None:
        published = [time.monotonic()]

        def progress(n: int) -> None:
            job.bytes_read = n
            if time.monotonic() - published[0] >= PROGRESS_EVERY:
                self._publish(job)
                published[0] = time.monotonic()

        try:
            summary = ingest_file(
                platform,
                actor,
                path,
                provider_uscc=provider_uscc,
                item_code=job.item,
                fmt=fmt or None,
                channel="console",
                progress=progress,
            )
            job.batch_id, job.summary = summary.batch_id, summary.as_json()
        except PcipError as exc:
            job.error = exc.message
            job.batch_id = self._ledgered(platform, job, path, actor)
        except Exception:  # a bug: the page says so, the log has the trace
            log.exception("console upload %s failed", job.id)
            job.error = "an unexpected error occurred; it has been logged"
        finally:
            job.finished_at = clock.now()
            job.finished = True
            shutil.rmtree(path.parent, ignore_errors=True)
            self._publish(job)
            job.done.set()

    @staticmethod
    def _ledgered(platform: Platform, job: UploadJob, path: Path, actor: Actor) -> int | None:
        """The ledger entry a refused, quarantined or failed upload left, if any."""
        try:
            digest = sha256_file(path)
            with platform.transaction() as s:
                return ledger_entry_of_file(s, job.provider_id, digest, str(actor))
        except PcipError:
            return None
