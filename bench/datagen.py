"""The inquiry and search dataset: organisations, people and their credit records, in bulk.

Fast because it writes with ``COPY`` (every index but the primary keys is dropped during the
load, unique ones included, and rebuilt after on two connections side by side; the inquiry
log is written from the start, beside the subjects and records), and correct because every
record goes through the platform's own row interpretation
(``pcip.records.interpret.interpret``): the stored payload, the natural key, the content
digest, the basis document and the subject key are exactly what ingesting the same row would
store. ``tests/bench`` checks that: resubmitting generated rows through the real ingestion
finds every one of them ``unchanged``, and the inquiry modes read them.

What is made (every identifier valid; names from ``pcip.demo.generators``):

* ``organisations`` legal persons by USCC, ``persons`` natural persons (citizen ID encrypted,
  blind index, masked), every subject with its name history row; 5% of organisations also
  carry a former name (the public search finds them by it);
* ``records`` records spread over the subjects (1 to ~15 each, most 1-4), across four items:
  administrative licences and penalties (double publicity, public), tax arrears (public) and
  credit pledges (authorized class), each with version 1, its basis document and its batch;
* for the inquiry benchmark: three providing units, a unit API key, a bank (authorized third
  party) with its API key, real-name sessions and authorizations for sampled subjects.
* ``inquiries`` inquiry log entries (issue 22.4) over the three years before now, in time
  order, by COPY into the log's month partitions (PostgreSQL, migration 0018): 60% public
  disclosure, 20% authorized, 15% authority, 5% self inquiries, each naming one record.

``SCALES["city10"]`` is one tenth of Chongqing (3,200,000 persons, 350,000 organisations,
10,000,000 records, 100,000,000 log entries); ``python -m bench.datagen --scale city10
--fraction 0.01`` generates a fraction of it and prints each phase's rate and the time the whole
would take (``bench/run.py --scale city10`` generates all of it: 47 GB with indexes, measured).

Targets for the load generator are written as text files, one value per line.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import secrets
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from queue import Queue
from typing import Any

import psycopg

from bench.common import libpq
from pcip import clock
from pcip.auth import service as auth
from pcip.catalog.schemas import FieldRole, ItemSpec
from pcip.catalog.service import item_spec, items_in_force
from pcip.config import Settings
from pcip.demo.generators import (
    random_citizen_id,
    random_company_name,
    random_person_name,
    random_uscc,
)
from pcip.demo.generators.records import CAT_ORGANISATION, CAT_PERSON, Issuer, Party, make_row
from pcip.kernel.actors import Actor
from pcip.kernel.enums import SubjectKind
from pcip.kernel.platform import Platform
from pcip.kernel.tokens import new_session_token
from pcip.providers.service import add_provider, create_key
from pcip.records.ingest_subjects import subject_row
from pcip.records.interpret import Interpreted, interpret
from pcip.records.models import Batch
from pcip.records.service import open_batch
from pcip.subjects.service import key_ref, organisation_by_uscc, person_by_citizen_id

ACTOR = Actor.system("bench")
#: (unit name, items); the unit's USCC comes from the seed.
UNITS = (
    ("重庆市市场监督管理局", ("admin_penalty", "admin_licence")),
    ("国家税务总局重庆市税务局", ("tax_arrears",)),
    ("重庆市发展和改革委员会", ("pledge_made",)),
)
ORG_ITEMS = (("admin_licence", 35), ("admin_penalty", 30), ("tax_arrears", 15), ("pledge_made", 20))
PERSON_ITEMS = (("admin_penalty", 40), ("pledge_made", 40), ("tax_arrears", 20))
BANK_NAME = "重庆示例银行股份有限公司"
FORMER_NAME_SHARE = 0.05
TEMPLATES = 300
BLOCK = 20_000
#: Tables loaded here, whose plain (non-unique) indexes are rebuilt after the load.
LOADED = (
    "inquiry_log",
    "subject",
    "subject_name",
    "basis_document",
    "credit_record",
    "record_version",
    "auth_session",
    "subject_authorization",
)


@dataclass(frozen=True)
class Scale:
    organisations: int
    persons: int
    records: int
    seed: int = 2021
    sessions: int = 10_000
    authorizations: int = 10_000
    #: Processes generating records side by side.
    jobs: int = 2
    #: Keep every generated source row in ``Targets.rows`` (small datasets, for tests: one
    #: process).
    keep_rows: bool = False
    #: Inquiry log entries (issue 22.4), spread evenly over the ``inquiry_years`` before now.
    inquiries: int = 0
    inquiry_years: int = 3

    def fraction(self, part: float) -> Scale:
        """This scale times ``part`` (1/1000, 1/100: to measure rates without the whole)."""
        return replace(
            self,
            organisations=max(1, round(self.organisations * part)),
            persons=max(1, round(self.persons * part)),
            records=max(2, round(self.records * part)),
            inquiries=round(self.inquiries * part),
            sessions=min(self.sessions, max(1, round(self.persons * part))),
            authorizations=min(self.authorizations, max(1, round(self.persons * part))),
        )


#: Named dataset sizes. ``city10``: one tenth of Chongqing (issue 22.4): 3,200,000 persons,
#: 350,000 organisations, 10,000,000 records, 100,000,000 inquiry log entries over 3 years.
SCALES: dict[str, Scale] = {
    "city10": Scale(
        organisations=350_000, persons=3_200_000, records=10_000_000, inquiries=100_000_000
    ),
}


@dataclass
class Targets:
    """What the load generator asks for (sampled among subjects that hold records)."""

    organisations: list[str] = field(default_factory=list)  # USCCs
    self_tokens: list[str] = field(default_factory=list)  # session tokens of subjects
    authorization_ids: list[int] = field(default_factory=list)
    person_ids: list[str] = field(default_factory=list)  # citizen IDs (public person lookup)
    names: list[str] = field(default_factory=list)  # organisations' current names
    former_names: list[str] = field(default_factory=list)
    grantee_token: str = ""
    provider_token: str = ""
    #: The providing unit (USCC) that submits each item.
    units: dict[str, str] = field(default_factory=dict)
    #: With ``Scale.keep_rows``: the rows as each unit would submit them, by item.
    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def write(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        for name, values in (
            ("organisations", self.organisations),
            ("self_tokens", self.self_tokens),
            ("authorization_ids", self.authorization_ids),
            ("person_ids", self.person_ids),
        ):
            (out / f"{name}.txt").write_text("".join(f"{v}\n" for v in values))
        (out / "grantee_token.txt").write_text(self.grantee_token + "\n")
        (out / "provider_token.txt").write_text(self.provider_token + "\n")


@dataclass
class _Subject:
    id: int
    kind: SubjectKind
    name: str
    ref: str
    uscc: str | None = None
    citizen_id: str | None = None
    former: str | None = None
    records: int = 0


def log(msg: str) -> None:
    sys.stderr.write(f"[datagen {time.strftime('%H:%M:%S')}] {msg}\n")
    sys.stderr.flush()


def generate(settings: Settings, scale: Scale) -> Targets:
    rng = random.Random(scale.seed)
    today = clock.today()
    now = clock.now()
    platform = Platform.open(settings)
    targets = Targets()
    try:
        started = time.perf_counter()
        units, specs, item_ids, batches, grantee_id = _setup(platform, rng, targets)
        with psycopg.connect(libpq(settings.database_url)) as conn:
            conn.execute("SET session_replication_role = replica")  # no FK triggers (consistent)
            conn.execute("SET synchronous_commit = off")
            dropped = _drop_indexes(conn)
            conn.commit()
            first_subject = _next_id(platform, "subject")
            # The log needs nothing of the subjects but their id range: it is written by
            # processes of its own from the start, on the core the subjects leave idle.
            log_job = _start_inquiry_log(
                settings,
                platform,
                scale,
                first_subject,
                first_subject + scale.organisations + scale.persons - 1,
                now,
            )
            try:
                writer = _Writer(settings.database_url)
                subjects = _subjects(platform, rng, scale, writer, now, first_subject)
                writer.close()
                targets.seconds["subjects"] = time.perf_counter() - started
                t = time.perf_counter()
                _all_records(
                    settings,
                    platform,
                    rng,
                    scale,
                    subjects,
                    units,
                    specs,
                    item_ids,
                    batches,
                    now,
                    targets.rows if scale.keep_rows else None,
                )
                targets.seconds["records"] = time.perf_counter() - t
            except BaseException:
                if log_job is not None:  # no process left writing after a failed run
                    log_job.stop()
                raise
            if log_job is not None:
                t = time.perf_counter()
                targets.seconds["inquiry_log"] = log_job.wait()
                # What was left of the log once the records were written.
                targets.seconds["inquiry_log_after_records"] = time.perf_counter() - t
            t = time.perf_counter()
            _access(conn, rng, subjects, grantee_id, scale, targets, today, now)
            conn.commit()
            _rebuild(conn, dropped, settings.database_url)
            targets.seconds["indexes"] = time.perf_counter() - t
        _finish_batches(platform, batches)
        _sample(rng, subjects, targets)
        targets.counts = {
            "organisations": scale.organisations,
            "persons": scale.persons,
            "records": sum(s.records for s in subjects),
            "inquiries": scale.inquiries,
        }
        targets.seconds["total"] = time.perf_counter() - started
        return targets
    finally:
        platform.dispose()


# --- setup through the platform's own services (audited) -------------------------------------


def _setup(
    platform: Platform, rng: random.Random, targets: Targets
) -> tuple[dict[str, tuple[int, Issuer]], dict[str, ItemSpec], dict[str, int], dict[str, int], int]:
    with platform.transaction() as s:
        items = items_in_force(s)
        specs = {code: item_spec(items[code]) for _, codes in UNITS for code in codes}
        item_ids = {code: items[code].id for code in specs}
        units: dict[str, tuple[int, Issuer]] = {}
        batches: dict[str, int] = {}
        for i, (name, codes) in enumerate(UNITS):
            uscc = random_uscc(rng, authority="1", entity_type="1", region_prefix="50")
            provider = add_provider(s, ACTOR, uscc, name, list(codes)).provider
            if i == 0:
                targets.provider_token = create_key(s, ACTOR, provider, "bench").token
            for code in codes:
                units[code] = (provider.id, Issuer(name, provider.uscc))
                targets.units[code] = provider.uscc
                batch = open_batch(
                    s, provider, code, submitted_by=str(ACTOR), channel="demo", source_name=code
                )
                batches[code] = batch.id
        bank = auth.add_grantee(
            s, ACTOR, random_uscc(rng, authority="9", entity_type="1"), BANK_NAME
        )
        targets.grantee_token = auth.create_grantee_key(s, ACTOR, bank, "bench").token
        return units, specs, item_ids, batches, bank.id


def _finish_batches(platform: Platform, batches: dict[str, int]) -> None:
    with platform.transaction() as s:
        for batch_id in batches.values():
            batch = s.get(Batch, batch_id)
            assert batch is not None
            batch.status, batch.finished_at = "completed", clock.now()


# --- bulk writing ------------------------------------------------------------------------------


class _Writer:
    """COPY on its own connection and thread, one block at a time, while the next is built."""

    def __init__(self, url: str) -> None:
        self.conn = psycopg.connect(libpq(url))
        self.conn.execute("SET session_replication_role = replica")
        self.conn.execute("SET synchronous_commit = off")
        self.queue: Queue[tuple[str, Sequence[str], list[tuple[Any, ...]]] | None] = Queue(4)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="datagen-writer", daemon=True)
        self.thread.start()

    def put(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        if self.error is not None:
            raise RuntimeError("the COPY writer failed") from self.error
        if rows:
            self.queue.put((table, columns, rows))

    def _run(self) -> None:
        try:
            while (job := self.queue.get()) is not None:
                table, columns, rows = job
                with (
                    self.conn.cursor() as cur,
                    cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
                ):
                    for r in rows:
                        copy.write_row(r)
                self.conn.commit()
        except BaseException as exc:  # surfaced by put/close
            self.error = exc

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        self.conn.close()
        if self.error is not None:
            raise RuntimeError("the COPY writer failed") from self.error


@dataclass
class _Dropped:
    """What ``_drop_indexes`` took away, to be put back by ``_rebuild``."""

    #: ``CREATE [UNIQUE] INDEX`` statements: the plain indexes and the unique constraints' own.
    indexes: list[str] = field(default_factory=list)
    #: ``ALTER TABLE ... ADD CONSTRAINT ... USING INDEX``: each unique constraint, re-attached
    #: to its rebuilt index (a duplicate fails the index build, so uniqueness is still checked).
    constraints: list[str] = field(default_factory=list)


def _drop_indexes(conn: psycopg.Connection[Any]) -> _Dropped:
    """Drop the loaded tables' indexes but their primary keys (rising ids, cheap to keep).

    The unique constraints go too: their keys (blind indexes, natural-key digests) are random,
    so at city scale each row written would touch a random page of an index far larger than
    the server's buffers, while one sort after the load builds the same index at a fraction of
    the cost (PostgreSQL's "Populating a Database": remove indexes, load, recreate)."""
    rows = conn.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), "
        "t.oid::regclass::text, c.conname FROM pg_index i "
        "JOIN pg_class t ON t.oid = i.indrelid "
        "LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.contype = 'u' "
        "WHERE t.relname = ANY(%s) AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid "
        "AND k.contype <> 'u') ORDER BY 1",
        (list(LOADED),),
    ).fetchall()
    dropped = _Dropped()
    for index, definition, table, constraint in rows:
        dropped.indexes.append(definition)
        if constraint is None:
            conn.execute(f"DROP INDEX {index}")
        else:
            conn.execute(f"ALTER TABLE {table} DROP CONSTRAINT {constraint}")
            dropped.constraints.append(
                f"ALTER TABLE {table} ADD CONSTRAINT {constraint} UNIQUE USING INDEX {index}"
            )
    return dropped


@dataclass(frozen=True)
class _Step:
    table: str
    #: 0 VACUUM, 1 an index build, 2 ANALYZE: a table's steps run in this order (VACUUM and
    #: ANALYZE lock out CREATE INDEX on the same table); index builds of one table side by side.
    stage: int
    sql: str


def _in_lanes(dsn: str, steps: Sequence[_Step], lanes: int = 2) -> None:
    """Run ``steps`` on ``lanes`` connections side by side, each lane taking the first step in
    ``steps`` whose table has no earlier stage left. A VACUUM, an ANALYZE and a GIN build keep
    one core busy at most, so two lanes keep both busy. Stops at the first failure, raises it."""
    todo = list(steps)
    running: list[_Step] = []
    errors: list[BaseException] = []
    ready = threading.Condition()

    def runnable(step: _Step) -> bool:
        return not any(o.table == step.table and o.stage < step.stage for o in (*todo, *running))

    def take() -> _Step | None:
        with ready:
            while todo and not errors:
                step = next((st for st in todo if runnable(st)), None)
                if step is not None:
                    todo.remove(step)
                    running.append(step)
                    return step
                ready.wait()
            return None

    def lane() -> None:
        try:
            with psycopg.connect(dsn, autocommit=True) as c:
                c.execute("SET maintenance_work_mem = '512MB'")
                while (step := take()) is not None:
                    t = time.perf_counter()
                    c.execute(step.sql)
                    log(f"  {time.perf_counter() - t:7.1f} s  {step.sql.split(' USING ')[0]}")
                    with ready:
                        running.remove(step)
                        ready.notify_all()
        except BaseException as exc:
            with ready:
                errors.append(exc)
                ready.notify_all()

    threads = [threading.Thread(target=lane, name=f"datagen-lane-{i}") for i in range(lanes)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    if errors:
        raise errors[0]


def _rebuild(conn: psycopg.Connection[Any], dropped: _Dropped, url: str) -> None:
    """Put back what ``_drop_indexes`` took, with VACUUM and ANALYZE, on two connections to
    ``url`` beside ``conn``: the largest tables first."""
    conn.commit()
    sizes = dict(
        conn.execute(
            "SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relname = ANY(%s)",
            (list(LOADED),),
        ).fetchall()
    )
    sizes["inquiry_log"] = _partition_bytes(conn)

    def table_of(sql: str) -> str:
        return sql.split(" ON ")[1].split()[0].split(".")[-1]

    # A partitioned table's index is defined "ON ONLY" the parent: built on every partition.
    builds = [d.replace(" ON ONLY ", " ON ") for d in dropped.indexes]

    steps = [
        # The log is only appended to and read by index: ANALYZE is enough (a VACUUM of
        # 100,000,000 entries would take longer than generating them). The other tables are
        # vacuumed before their indexes exist, so the VACUUM reads the heap alone.
        *(_Step(t, 0, f"VACUUM {t}") for t in LOADED if t != "inquiry_log"),
        *(_Step(table_of(d), 1, d) for d in builds),
        # After the indexes, so that expression indexes get their statistics.
        *(_Step(t, 2, f"ANALYZE {t}") for t in LOADED),
    ]
    log(f"vacuum, {len(dropped.indexes)} indexes, analyze")
    _in_lanes(libpq(url), sorted(steps, key=lambda st: (-int(sizes.get(st.table) or 0), st.stage)))
    for sql in dropped.constraints:
        conn.execute(sql)
    for table in LOADED:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
        )
    conn.commit()


def _partition_bytes(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute(
        "SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0) FROM pg_inherits "
        "WHERE inhparent = 'inquiry_log'::regclass"
    ).fetchone()
    return int(row[0]) if row else 0


# --- subjects ----------------------------------------------------------------------------------

_SUBJECT_COLUMNS = (
    "id",
    "kind",
    "id_type",
    "uscc",
    "registration_no",
    "id_index",
    "id_cipher",
    "id_key",
    "id_masked",
    "document_type",
    "document_country",
    "birth_date",
    "region_code",
    "name",
    "created_at",
)
_NAME_COLUMNS = ("subject_id", "name", "recorded_at", "source")


def _subjects(
    platform: Platform,
    rng: random.Random,
    scale: Scale,
    writer: _Writer,
    now: datetime,
    first: int,
) -> list[_Subject]:
    ring = platform.keyring
    out: list[_Subject] = []
    usccs: set[str] = set()
    cids: set[str] = set()
    adults_to = clock.today() - timedelta(days=19 * 365)
    rows: list[tuple[Any, ...]] = []
    names: list[tuple[Any, ...]] = []
    total = scale.organisations + scale.persons
    earlier = now - timedelta(days=400)
    for i in range(total):
        sid = first + i
        if i < scale.organisations:
            uscc = random_uscc(rng)
            while uscc in usccs:
                uscc = random_uscc(rng)
            usccs.add(uscc)
            key = organisation_by_uscc(uscc)
            name = random_company_name(rng)
            subject = _Subject(sid, key.kind, name, key_ref(key), uscc=uscc)
            if rng.random() < FORMER_NAME_SHARE:
                subject.former = random_company_name(rng)
                names.append((sid, subject.former, earlier, "registration"))
        else:
            cid = random_citizen_id(rng, birth_from=date(1950, 1, 1), birth_to=adults_to)
            while cid in cids:
                cid = random_citizen_id(rng, birth_from=date(1950, 1, 1), birth_to=adults_to)
            cids.add(cid)
            key = person_by_citizen_id(ring, cid)
            name = random_person_name(rng)
            subject = _Subject(sid, SubjectKind.PERSON, name, key_ref(key), citizen_id=cid)
        row = subject_row(ring, key, sid, name, now)
        rows.append(tuple(row[c] for c in _SUBJECT_COLUMNS))
        names.append((sid, name, now, "registration"))
        out.append(subject)
        if len(rows) >= BLOCK:
            writer.put("subject", _SUBJECT_COLUMNS, rows)
            writer.put("subject_name", _NAME_COLUMNS, names)
            rows, names = [], []
        if (i + 1) % 200_000 == 0:
            log(f"subjects {i + 1:,}/{total:,}")
    writer.put("subject", _SUBJECT_COLUMNS, rows)
    writer.put("subject_name", _NAME_COLUMNS, names)
    return out


def _next_id(platform: Platform, table: str) -> int:
    from sqlalchemy import text

    with platform.transaction() as s:
        return int(s.scalar(text(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")) or 1)


# --- records -----------------------------------------------------------------------------------

_BASIS_COLUMNS = (
    "id",
    "doc_type",
    "number",
    "issuer",
    "issuer_uscc",
    "title",
    "decision_date",
    "effective_date",
    "recorded_at",
)
_RECORD_COLUMNS = (
    "id",
    "subject_id",
    "item_code",
    "provider_id",
    "polarity",
    "info_class",
    "natural_key",
    "created_at",
)
_VERSION_COLUMNS = (
    "record_id",
    "subject_id",
    "version",
    "item_id",
    "payload",
    "basis_id",
    "severity",
    "conduct_end_date",
    "valid_from",
    "valid_to",
    "publicity_end",
    "batch_id",
    "content_sha256",
    "reason",
    "recorded_at",
    "recorded_by",
)


def record_counts(rng: random.Random, subjects: int, records: int) -> list[int]:
    """Records per subject: every subject at least one, a long tail (some hold many)."""
    if subjects <= 0:
        return []
    counts = [1] * subjects
    extra = max(0, records - subjects)
    mean_extra = extra / subjects
    # A geometric number of extra records with the right mean, capped at 14 extra.
    p = 1 / (1 + mean_extra) if mean_extra > 0 else 1.0
    left = extra
    for i in range(subjects):
        if left <= 0:
            break
        k = 0
        while k < 14 and rng.random() > p:
            k += 1
        k = min(k, left)
        counts[i] += k
        left -= k
    i = 0
    while left > 0:  # whatever the draw left over, round-robin
        counts[i % subjects] += 1
        left -= 1
        i += 1
    return counts


def _templates(
    rng: random.Random, specs: dict[str, ItemSpec], units: dict[str, tuple[int, Issuer]]
) -> dict[tuple[str, SubjectKind], list[dict[str, str]]]:
    today = clock.today()
    org = Party(SubjectKind.LEGAL_PERSON, "重庆示例商贸有限公司", uscc=random_uscc(rng))
    adults_to = today - timedelta(days=19 * 365)
    person = Party(
        SubjectKind.PERSON,
        "张三",
        citizen_id=random_citizen_id(rng, birth_from=date(1960, 1, 1), birth_to=adults_to),
    )
    out: dict[tuple[str, SubjectKind], list[dict[str, str]]] = {}
    for code, spec in specs.items():
        for kind, party in ((SubjectKind.LEGAL_PERSON, org), (SubjectKind.PERSON, person)):
            out[(code, kind)] = [
                make_row(rng, spec, party, units[code][1], today) for _ in range(TEMPLATES)
            ]
    return out


@dataclass(frozen=True)
class _Layout:
    """Where an item's row puts the party and the document number."""

    spec: ItemSpec
    roles: dict[FieldRole, str]
    number: str | None
    decided: str | None
    category_choices: tuple[str, ...] | None

    @classmethod
    def of(cls, spec: ItemSpec) -> _Layout:
        roles = {f.role: f.name for f in spec.fields if f.role is not None}
        category = next((f for f in spec.fields if f.role is FieldRole.SUBJECT_CATEGORY), None)
        return cls(
            spec,
            roles,
            roles.get(FieldRole.BASIS_NUMBER),
            roles.get(FieldRole.BASIS_DECISION_DATE),
            category.choices if category is not None else None,
        )

    def party(self, s: _Subject) -> dict[str, str]:
        person = s.kind is SubjectKind.PERSON
        category = CAT_PERSON if person else CAT_ORGANISATION
        if self.category_choices and category not in self.category_choices:
            category = self.category_choices[0]
        values = {
            FieldRole.SUBJECT_NAME: s.name,
            FieldRole.SUBJECT_CATEGORY: category,
            FieldRole.SUBJECT_USCC: s.uscc or "",
            FieldRole.SUBJECT_DOC_TYPE: "身份证" if person else "",
            FieldRole.SUBJECT_DOC_NUMBER: s.citizen_id or "",
            FieldRole.LEGAL_REP_NAME: "",
            FieldRole.LEGAL_REP_DOC_TYPE: "",
            FieldRole.LEGAL_REP_DOC_NUMBER: "",
        }
        return {self.roles[r]: v for r, v in values.items() if r in self.roles}


def source_row(
    rng: random.Random, layout: _Layout, templates: list[dict[str, str]], s: _Subject, serial: int
) -> dict[str, str]:
    """One generated row, as the unit would submit it (unique document number)."""
    row = dict(templates[int(rng.random() * len(templates))])
    row.update(layout.party(s))
    if layout.number is not None:
        decided = row.get(layout.decided, "") if layout.decided else ""
        year = decided[:4] or "2026"
        row[layout.number] = f"渝{layout.spec.scope_category}字〔{year}〕{serial:09d}号"
    return row


def _all_records(
    settings: Settings,
    platform: Platform,
    rng: random.Random,
    scale: Scale,
    subjects: list[_Subject],
    units: dict[str, tuple[int, Issuer]],
    specs: dict[str, ItemSpec],
    item_ids: dict[str, int],
    batches: dict[str, int],
    now: datetime,
    keep: dict[str, list[dict[str, str]]] | None = None,
) -> None:
    """Records for every subject, made by ``scale.jobs`` forked processes side by side (each
    a contiguous range of subjects, record ids and basis ids, with its own COPY connection)."""
    counts = record_counts(rng, len(subjects), scale.records)
    for s, n in zip(subjects, counts, strict=True):
        s.records = n
    first = max(_next_id(platform, "credit_record"), _next_id(platform, "basis_document"))
    templates = _templates(rng, specs, units)
    jobs = max(1, min(scale.jobs, len(subjects)))
    bounds = [len(subjects) * j // jobs for j in range(jobs + 1)]
    starts = [first + sum(counts[: bounds[j]]) for j in range(jobs)]
    work = _Work(platform, specs, item_ids, batches, units, templates, now, scale.records)
    if jobs == 1 or keep is not None:
        first_id, rng_records = starts[0], random.Random(scale.seed + 1)
        _records(work, settings.database_url, subjects, first_id, rng_records, keep)
        return
    ctx = multiprocessing.get_context("fork")
    procs = []
    for j in range(jobs):
        part = subjects[bounds[j] : bounds[j + 1]]
        args = (work, settings.database_url, part, starts[j], scale.seed + 1 + j)
        procs.append(ctx.Process(target=_records_child, args=args, name=f"datagen-{j}"))
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    failed = [p.name for p in procs if p.exitcode != 0]
    if failed:
        raise RuntimeError(f"record generation failed in {', '.join(failed)}")


@dataclass
class _Work:
    platform: Platform
    specs: dict[str, ItemSpec]
    item_ids: dict[str, int]
    batches: dict[str, int]
    units: dict[str, tuple[int, Issuer]]
    templates: dict[tuple[str, SubjectKind], list[dict[str, str]]]
    now: datetime
    total: int


def _records_child(work: _Work, url: str, subjects: list[_Subject], first: int, seed: int) -> None:
    # A forked child shares its parent's database sockets: it must never close them, so it
    # leaves with os._exit (no finalizers) whatever happens.
    code = 1
    try:
        _records(work, url, subjects, first, random.Random(seed))
        code = 0
    except BaseException as exc:
        log(f"record generation failed: {exc!r}")
    finally:
        os._exit(code)


def _records(
    work: _Work,
    url: str,
    subjects: list[_Subject],
    first: int,
    rng: random.Random,
    keep: dict[str, list[dict[str, str]]] | None = None,
) -> None:
    """Records for ``subjects`` (their ``records`` counts), ids from ``first`` (record ids and
    basis ids share the numbering; document numbers too, so they are unique)."""
    ring = work.platform.keyring
    today = clock.today()
    specs, item_ids, batches, units = work.specs, work.item_ids, work.batches, work.units
    layouts = {code: _Layout.of(spec) for code, spec in specs.items()}
    writer = _Writer(url)
    org_codes, org_weights = zip(*ORG_ITEMS, strict=True)
    person_codes, person_weights = zip(*PERSON_ITEMS, strict=True)
    basis_rows: list[tuple[Any, ...]] = []
    record_rows: list[tuple[Any, ...]] = []
    version_rows: list[tuple[Any, ...]] = []
    recorded = work.now - timedelta(days=1)
    rid = first
    done = 0
    for s in subjects:
        person = s.kind is SubjectKind.PERSON
        codes = rng.choices(
            person_codes if person else org_codes,
            weights=person_weights if person else org_weights,
            k=s.records,
        )
        kind = SubjectKind.PERSON if person else SubjectKind.LEGAL_PERSON
        for code in codes:
            spec = specs[code]
            row = source_row(rng, layouts[code], work.templates[(code, kind)], s, rid)
            if keep is not None:
                keep.setdefault(code, []).append(row)
            g = interpret(spec, row, ring, today)
            if not isinstance(g, Interpreted):
                raise RuntimeError(f"generated {code} row rejected: {g}")
            if key_ref(g.key) != s.ref:
                raise RuntimeError(f"generated {code} row names another subject than {s.id}")
            basis_id = None
            if g.basis is not None:
                b = g.basis
                basis_id = rid
                basis_rows.append(
                    (
                        basis_id,
                        b.doc_type,
                        b.number,
                        b.issuer,
                        b.issuer_uscc,
                        b.title,
                        b.decision_date,
                        b.effective_date,
                        recorded,
                    )
                )
            record_rows.append(
                (
                    rid,
                    s.id,
                    code,
                    units[code][0],
                    spec.polarity.value,
                    spec.info_class.value,
                    g.natural_key,
                    recorded,
                )
            )
            f = g.facts
            version_rows.append(
                (
                    rid,
                    s.id,
                    1,
                    item_ids[code],
                    g.payload_json,
                    basis_id,
                    f.severity,
                    f.conduct_end_date,
                    f.valid_from,
                    f.valid_to,
                    f.publicity_end,
                    batches[code],
                    g.digest,
                    "submitted",
                    recorded,
                    f"provider:{units[code][1].uscc}",
                )
            )
            rid += 1
        if len(record_rows) >= BLOCK:
            done += len(record_rows)
            _flush(writer, basis_rows, record_rows, version_rows)
            basis_rows, record_rows, version_rows = [], [], []
            if done % 200_000 < BLOCK:
                log(f"records: {done:,} in this process ({work.total:,} in all)")
    _flush(writer, basis_rows, record_rows, version_rows)
    writer.close()


def _flush(
    writer: _Writer,
    basis_rows: list[tuple[Any, ...]],
    record_rows: list[tuple[Any, ...]],
    version_rows: list[tuple[Any, ...]],
) -> None:
    writer.put("basis_document", _BASIS_COLUMNS, basis_rows)
    writer.put("credit_record", _RECORD_COLUMNS, record_rows)
    writer.put("record_version", _VERSION_COLUMNS, version_rows)


# --- the inquiry log (issue 22.4) --------------------------------------------------------------

_LOG_COLUMNS = (
    "id",
    "at",
    "mode",
    "channel",
    "purpose",
    "inquirer",
    "inquirer_display",
    "subject_id",
    "authorization_id",
    "as_of",
    "confidential_basis",
    "confidential_reason",
    "returned",
    "returned_count",
)
#: (share, mode, channel, purpose, inquirer, display); "{sid}" is the subject's own id.
_LOG_KINDS = (
    (60, "public_disclosure", "web", None, "public:anonymous", "社会公众"),
    (20, "authorized", "api", "经营贷款审批", "grantee:{bank}", BANK_NAME),
    (15, "authority", "api", "行政审批", "provider:{unit}/account:1", UNITS[0][0]),
    (5, "self", "web", None, "subject:{sid}", "本人"),
)
LOG_BLOCK = 50_000


def _copy_field(value: str | None) -> str:
    return "\\N" if value is None else value


@dataclass
class _LogJob:
    """The inquiry log being written: by forked processes, or (one job) on ``wait``."""

    args: list[tuple[Any, ...]]
    procs: list[Any]
    started: float

    def stop(self) -> None:
        """End the processes still writing (a failed run)."""
        for p in self.procs:
            if p.is_alive():
                p.terminate()
        for p in self.procs:
            p.join()

    def wait(self) -> float:
        """Wait for the whole log; the seconds since it was started."""
        if not self.procs:
            _log_rows(*self.args[0])
        for p in self.procs:
            p.join()
        failed = [p.name for p in self.procs if p.exitcode != 0]
        if failed:
            raise RuntimeError(f"inquiry log generation failed in {', '.join(failed)}")
        return time.perf_counter() - self.started


def _start_inquiry_log(
    settings: Settings, platform: Platform, scale: Scale, lo: int, hi: int, now: datetime
) -> _LogJob | None:
    """``scale.inquiries`` log entries over the ``inquiry_years`` before ``now`` about subjects
    ``lo`` to ``hi``, in time order (ids rise with ``at``, as the platform writes them), by
    ``scale.jobs`` forked processes each COPYing a contiguous stretch of time into the
    partitioned log, started now (with one job: written by ``wait``)."""
    if not scale.inquiries:
        return None
    from pcip.inquiry import partitions

    start = now - timedelta(days=365 * scale.inquiry_years)
    with platform.transaction() as s:
        made = partitions.ensure(s, since=start.astimezone(clock.CST).date())
    log(f"inquiry log: {len(made)} partitions created; {scale.inquiries:,} entries")
    first = _next_id(platform, "inquiry_log")
    jobs = max(1, scale.jobs)
    cut = [scale.inquiries * j // jobs for j in range(jobs + 1)]
    args: list[tuple[Any, ...]] = [
        (settings.database_url, first + cut[j], cut[j + 1] - cut[j], cut[j], scale, start, lo, hi)
        for j in range(jobs)
    ]
    job = _LogJob(args, [], time.perf_counter())
    if jobs == 1:
        return job
    ctx = multiprocessing.get_context("fork")
    job.procs = [
        ctx.Process(target=_log_child, args=a, name=f"datagen-log-{i}") for i, a in enumerate(args)
    ]
    for p in job.procs:
        p.start()
    return job


def _log_child(*args: Any) -> None:
    code = 1
    try:
        _log_rows(*args)
        code = 0
    except BaseException as exc:
        log(f"inquiry log generation failed: {exc!r}")
    finally:
        os._exit(code)


def _log_rows(
    url: str,
    first_id: int,
    count: int,
    offset: int,
    scale: Scale,
    start: datetime,
    lo: int,
    hi: int,
    span_s: float | None = None,
) -> None:
    """``count`` entries with ids from ``first_id``: entry ``offset + i`` of the whole log is
    made at ``start + (offset + i) * step`` (plus a jitter below one step), the entries spread
    over ``span_s`` seconds (default: ``scale.inquiry_years`` of 365 days)."""
    rng = random.Random(scale.seed + 7919 + offset)
    span = span_s if span_s is not None else 365 * scale.inquiry_years * 86_400
    step = span / max(1, scale.inquiries)
    base = start.timestamp()
    bank, unit = "91500000MA5U000001", "11500000MB1234567X"
    weights = [k[0] for k in _LOG_KINDS]
    kinds = [
        (
            f"{mode}\t{channel}\t{_copy_field(purpose)}\t",
            inquirer.replace("{bank}", bank).replace("{unit}", unit),
            display,
        )
        for _, mode, channel, purpose, inquirer, display in _LOG_KINDS
    ]
    picks = rng.choices(range(len(kinds)), weights=weights, k=4096)
    minute, prefix = -1, ""
    columns = ", ".join(_LOG_COLUMNS)
    with psycopg.connect(libpq(url)) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET synchronous_commit = off")
        done = 0
        while done < count:
            n = min(LOG_BLOCK, count - done)
            lines = []
            rand = rng.random
            for i in range(done, done + n):
                ts = int(base + (offset + i + rand()) * step)
                if ts // 60 != minute:
                    minute = ts // 60
                    prefix = time.strftime("%Y-%m-%d %H:%M:", time.gmtime(ts))
                sid = lo + int(rand() * (hi - lo + 1))
                head, inquirer, display = kinds[picks[i & 4095]]
                if inquirer == "subject:{sid}":
                    inquirer = f"subject:{sid}"
                lines.append(
                    f"{first_id + i}\t{prefix}{ts % 60:02d}+00\t{head}{inquirer}\t{display}\t"
                    f"{sid}\t\\N\t\\N\t\\N\t\\N\t[[{first_id + i}, 1]]\t1\n"
                )
            with conn.cursor() as cur, cur.copy(f"COPY inquiry_log ({columns}) FROM STDIN") as cp:
                cp.write("".join(lines))
            conn.commit()
            done += n
            if done % 2_000_000 < LOG_BLOCK:
                log(f"inquiry log: {done:,}/{count:,} in this process")


# --- access: sessions and authorizations -------------------------------------------------------


def _access(
    conn: psycopg.Connection[Any],
    rng: random.Random,
    subjects: list[_Subject],
    grantee_id: int,
    scale: Scale,
    targets: Targets,
    today: date,
    now: datetime,
) -> None:
    """Signed-in subjects (as the real-name sign-in leaves them) and authorizations to the
    bank, for subjects that hold records."""
    holding = [s for s in subjects if s.records]
    chosen = rng.sample(holding, min(scale.sessions, len(holding)))
    with conn.cursor() as cur:
        with cur.copy(
            "COPY auth_session (token_sha256, csrf_token, subject_id, assertion_issuer, "
            "assertion_id, development, created_at, expires_at) FROM STDIN"
        ) as copy:
            for i, s in enumerate(chosen):
                token, digest = new_session_token()
                targets.self_tokens.append(token)
                copy.write_row(
                    (
                        digest,
                        secrets.token_urlsafe(24),
                        s.id,
                        "bench",
                        f"bench-{i}",
                        True,
                        now,
                        now + timedelta(days=2),
                    )
                )
        granted = rng.sample(holding, min(scale.authorizations, len(holding)))
        first = int(
            cur.execute("SELECT coalesce(max(id), 0) + 1 FROM subject_authorization").fetchone()[0]
        )
        with cur.copy(
            "COPY subject_authorization (id, subject_id, grantee_id, purpose, channels, "
            "scope_items, scope_categories, valid_from, valid_to, granted_at, granted_via) "
            "FROM STDIN"
        ) as copy:
            for i, s in enumerate(granted):
                copy.write_row(
                    (
                        first + i,
                        s.id,
                        grantee_id,
                        "经营贷款审批",
                        '["api"]',
                        "[]",
                        "[1, 2, 3, 4, 5, 6, 7, 8]",
                        today,
                        today + timedelta(days=365),
                        now,
                        "web",
                    )
                )
                targets.authorization_ids.append(first + i)


def _sample(rng: random.Random, subjects: list[_Subject], targets: Targets) -> None:
    orgs = [s for s in subjects if s.uscc and s.records]
    people = [s for s in subjects if s.citizen_id and s.records]
    targets.organisations = [s.uscc or "" for s in rng.sample(orgs, min(20_000, len(orgs)))]
    targets.person_ids = [s.citizen_id or "" for s in rng.sample(people, min(5_000, len(people)))]
    targets.names = [s.name for s in rng.sample(orgs, min(5_000, len(orgs)))]
    former = [s.former for s in subjects if s.former]
    targets.former_names = rng.sample(former, min(1_000, len(former)))


# --- command line: measure the generator at a fraction of a named scale ----------------------


def _cpu() -> float:
    import resource

    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        r = resource.getrusage(who)
        total += r.ru_utime + r.ru_stime
    return total


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.datagen --scale city10 --fraction 0.01``: generate a fraction of a named
    dataset into a fresh bench database, print the time of each phase, its rate, and the time
    the whole scale would take at those rates (linear: every phase is a stream of COPY rows)."""
    import argparse
    import json
    import tempfile

    from bench.common import bench_database, load

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("--scale", choices=SCALES, default="city10")
    ap.add_argument("--fraction", type=float, default=0.001, help="of the scale (1 = all)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep-db", action="store_true")
    args = ap.parse_args(argv)
    whole = replace(SCALES[args.scale], jobs=args.jobs)
    scale = whole.fraction(args.fraction)
    before = load()
    cpu0 = _cpu()
    with (
        tempfile.TemporaryDirectory() as work,
        bench_database("datagen", Path(work), keep=args.keep_db) as db,
    ):
        targets = generate(Settings(database_url=db.url, home=db.home), scale)
    rows = {
        "subjects": scale.organisations + scale.persons,
        "records": scale.records,
        "inquiry_log": scale.inquiries,
    }
    out: dict[str, Any] = {
        "scale": args.scale,
        "fraction": args.fraction,
        "counts": targets.counts,
        "seconds": {k: round(v, 1) for k, v in targets.seconds.items()},
        "rows_per_s": {
            k: round(n / targets.seconds[k]) for k, n in rows.items() if targets.seconds.get(k)
        },
        # This process and its forked generators (user + system); PostgreSQL's not included.
        "python_cpu_s": round(_cpu() - cpu0, 1),
        "load_before": before,
        "load_after": load(),
    }
    # The whole scale: each phase's rows at its measured rate; the fixed part (set-up, index
    # rebuild) scaled linearly too (index builds are n log n: a slight underestimate).
    out["extrapolated_whole_s"] = round(targets.seconds["total"] / args.fraction)
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
