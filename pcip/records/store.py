"""Set-based reads and batched writes for ingestion (one statement per chunk, never per row).

Ingestion decides every row's outcome in Python (``pcip.records.ingest``); this module only
finds what is stored and stores what was decided, in as few round trips as the database
allows:

* PostgreSQL: lookups probe the table's unique index once per key of an ``unnest``ed array
  (one statement whatever the number of keys; the same text every time, so psycopg prepares
  it), the array given as one text of the keys that ``string_to_array`` splits
  (``_texts``). The probe is a ``LATERAL`` subquery kept apart by ``OFFSET 0``: as a plain
  join, a table filled in this same transaction has no statistics yet, and the planner read
  every record of the unit (or every basis document) into a hash for each chunk, a cost
  that grew with the table (docs/performance.md). Rows are written with ``COPY``, and ids
  are reserved from the table's own sequence in one statement, so records, versions and
  basis documents can reference each other before they are written.
* SQLite (embedded, small deployments): ``IN`` lists and ``executemany``; new ids continue
  from ``max(id)``, which is safe because an ingesting writer holds the database's write lock
  from the start of its transaction (``BEGIN IMMEDIATE``, see ``pcip.db``).

Everything runs in the caller's transaction: nothing here commits.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any, cast

from sqlalchemy import JSON, Table, func, insert, select, tuple_, update
from sqlalchemy.orm import Session

from pcip.db import Base, is_postgres
from pcip.records.models import BasisDocument, CreditRecord, RecordVersion
from pcip.subjects.models import ResponsibleLink, Subject


@dataclass(frozen=True, slots=True)
class Encoded:
    """A JSON column's value with its JSON text already made (COPY writes the text as is)."""

    value: Any
    text: str


#: Keys per statement on SQLite (its default limit on bound parameters is 32,766).
_SQLITE_KEYS = 10_000


class BulkStore:
    """The lookups and writes of one ingestion transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- reading ------------------------------------------------------------------------------
    def subjects(self, column: str, values: Sequence[str]) -> list[tuple[str, int, str, str]]:
        """(key value, id, kind, name) of the subjects whose ``column`` is one of ``values``."""
        col = Subject.__table__.c[column]
        out: list[tuple[str, int, str, str]] = []
        for part in _parts(values):
            rows = self.session.execute(
                select(col, Subject.id, Subject.kind, Subject.name).where(col.in_(part))
            )
            out += [(r[0], r[1], r[2], r[3]) for r in rows]
        return out

    def records(
        self, provider_id: int, item_code: str, keys: Sequence[str]
    ) -> list[tuple[str, int, int]]:
        """(natural key, id, subject id) of the unit's stored records of the item."""
        out: list[tuple[str, int, int]] = []
        for part in _parts(keys):
            rows = self.session.execute(
                select(CreditRecord.natural_key, CreditRecord.id, CreditRecord.subject_id).where(
                    CreditRecord.provider_id == provider_id,
                    CreditRecord.item_code == item_code,
                    CreditRecord.natural_key.in_(part),
                )
            )
            out += [(r[0], r[1], r[2]) for r in rows]
        return out

    def versions(
        self, record_ids: Sequence[int]
    ) -> list[tuple[int, int, str, int | None, str | None]]:
        """(record id, version, content digest, batch id, cause type) of every version of the
        records, oldest first within each record."""
        out: list[tuple[int, int, str, int | None, str | None]] = []
        for part in _parts(record_ids):
            rows = self.session.execute(
                select(
                    RecordVersion.record_id,
                    RecordVersion.version,
                    RecordVersion.content_sha256,
                    RecordVersion.batch_id,
                    RecordVersion.cause_type,
                )
                .where(RecordVersion.record_id.in_(part))
                .order_by(RecordVersion.record_id, RecordVersion.version)
            )
            out += [(r[0], r[1], r[2], r[3], r[4]) for r in rows]
        return out

    def basis_ids(self, keys: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """Ids of stored basis documents, by (issuer, number).

        Filtered by issuer IN and number IN (both columns of the unique index, usually one
        issuer per batch), then matched exactly here: a tuple IN of thousands of pairs plans
        badly on SQLite.
        """
        issuers = sorted({i for i, _ in keys})
        out: dict[tuple[str, str], int] = {}
        for part in _parts(sorted({n for _, n in keys})):
            rows = self.session.execute(
                select(BasisDocument.issuer, BasisDocument.number, BasisDocument.id).where(
                    BasisDocument.issuer.in_(issuers), BasisDocument.number.in_(part)
                )
            )
            out.update({(i, n): d for i, n, d in rows if (i, n) in keys})
        return out

    def open_links(self, pairs: Sequence[tuple[int, int]], role: str) -> set[tuple[int, int]]:
        """The (organisation, person) pairs that already have an open link in ``role``."""
        out: set[tuple[int, int]] = set()
        for part in _parts(pairs):
            rows = self.session.execute(
                select(ResponsibleLink.subject_id, ResponsibleLink.person_id).where(
                    tuple_(ResponsibleLink.subject_id, ResponsibleLink.person_id).in_(part),
                    ResponsibleLink.role == role,
                    ResponsibleLink.valid_to.is_(None),
                )
            )
            out.update((r[0], r[1]) for r in rows)
        return out

    # -- writing ------------------------------------------------------------------------------
    def reserve(self, model: type[Base], n: int) -> list[int]:
        """``n`` new ids for ``table``, to be inserted before anything else writes to it."""
        if n <= 0:
            return []
        table = _table(model)
        first = int(self.session.scalar(select(func.max(table.c.id))) or 0) + 1
        return list(range(first, first + n))

    def insert(
        self, model: type[Base], columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Insert ``rows`` (values in ``columns`` order; JSON columns as Python values or
        ``Encoded``)."""
        if rows:
            self.session.execute(
                insert(_table(model)),
                [{c: _plain(v) for c, v in zip(columns, r, strict=True)} for r in rows],
            )

    def finish(self) -> None:
        """Wait until every write is done; raises the first write error."""

    def abandon(self) -> None:
        """Wait for writes in progress, ignoring their errors (the transaction rolls back)."""

    def rename(self, names: dict[int, str]) -> None:
        """Set subjects' current names (id -> name)."""
        if names:
            self.session.execute(
                update(Subject),
                [{"id": subject_id, "name": name} for subject_id, name in names.items()],
            )

    def set_birth_dates(self, dates: dict[int, date]) -> None:
        """Art. 3: a person's birth date where none is known yet (the first one is kept)."""
        if dates:
            self._set_birth_dates(list(dates), list(dates.values()))

    def _set_birth_dates(self, ids: list[int], days: list[date]) -> None:
        for subject_id, day in zip(ids, days, strict=True):
            self.session.execute(
                update(Subject)
                .where(Subject.id == subject_id, Subject.birth_date.is_(None))
                .values(birth_date=day)
            )


class PostgresStore(BulkStore):
    """The same operations with arrays, COPY and sequences (see the module docstring).

    Each write is handed to one writer thread as soon as it is issued, and they run in order
    while the caller builds the next rows and interprets the next chunk: PostgreSQL inserting
    (parsing JSONB, maintaining indexes) and Python validating then use the machine's cores at
    the same time. Every read first waits for every write handed over, so it sees them, and
    the connection is never used by two threads at once. A caller that reads a chunk's stored
    rows before it writes any of the chunk's (``pcip.records.ingest``) keeps the writer busy
    while it builds the chunk's rows: the writes wait only for the reads, never for Python.
    """

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        session.flush()  # ORM changes first: COPY and raw statements go around the ORM
        raw = session.connection().connection.driver_connection
        assert raw is not None
        self.conn: Any = raw
        # Lookups probe an index a few thousand times: JIT compiling them (chosen when the
        # planner, without statistics on rows written in this transaction, overestimates the
        # rows per probe) cost 0.2 s a statement and never pays. Until the transaction ends.
        with raw.cursor() as cur:
            cur.execute("SET LOCAL jit = off")
        self._sequences: dict[str, str] = {}
        self._writer: ThreadPoolExecutor | None = None
        #: Writes handed to the writer thread and not yet seen to be done, oldest first.
        self._pending: deque[Future[None]] = deque()

    def finish(self) -> None:
        try:
            self._wait_writes()
        finally:
            self._shutdown()

    def abandon(self) -> None:
        pending, self._pending = list(self._pending), deque()
        wait(pending)  # their errors are the transaction's, which rolls back
        self._shutdown()

    def _submit(self, job: Callable[[], None]) -> None:
        if self._writer is None:
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="pcip-ingest-writer")
        self._pending.append(self._writer.submit(job))

    def _shutdown(self) -> None:
        if self._writer is not None:
            self._writer.shutdown()
            self._writer = None

    def _wait_writes(self) -> None:
        """Wait for every write handed over; raise the first one's error. A write that failed
        stays pending, with those after it, until ``abandon`` waits for them all."""
        while self._pending:
            self._pending[0].result()
            self._pending.popleft()

    def _all(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        self._wait_writes()
        with self.conn.cursor() as cur:
            cur.execute(sql, params)
            rows: list[tuple[Any, ...]] = cur.fetchall()
            return rows

    def subjects(self, column: str, values: Sequence[str]) -> list[tuple[str, int, str, str]]:
        if column not in ("uscc", "registration_no", "id_index"):
            raise ValueError(column)
        keys, given = _texts(values)
        return [
            (r[0], r[1], r[2], r[3])
            for r in self._all(
                f"SELECT s.{column}, s.id, s.kind, s.name FROM unnest({keys}) AS k(v) "
                f"CROSS JOIN LATERAL (SELECT * FROM subject WHERE {column} = k.v OFFSET 0) s",
                given,
            )
        ]

    def records(
        self, provider_id: int, item_code: str, keys: Sequence[str]
    ) -> list[tuple[str, int, int]]:
        wanted, given = _texts(keys)
        return [
            (r[0], r[1], r[2])
            for r in self._all(
                f"SELECT r.natural_key, r.id, r.subject_id FROM unnest({wanted}) AS k(nk) "
                "CROSS JOIN LATERAL (SELECT * FROM credit_record WHERE provider_id = %s "
                "AND item_code = %s AND natural_key = k.nk OFFSET 0) r",
                (*given, provider_id, item_code),
            )
        ]

    def versions(
        self, record_ids: Sequence[int]
    ) -> list[tuple[int, int, str, int | None, str | None]]:
        return [
            (r[0], r[1], r[2], r[3], r[4])
            for r in self._all(
                "SELECT v.record_id, v.version, v.content_sha256, v.batch_id, v.cause_type "
                f"FROM unnest({_IDS}) AS k(id) CROSS JOIN LATERAL "
                "(SELECT * FROM record_version WHERE record_id = k.id OFFSET 0) v "
                "ORDER BY v.record_id, v.version",
                (_joined_ids(record_ids),),
            )
        ]

    def basis_ids(self, keys: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
        issuers, numbers = zip(*keys, strict=True) if keys else ((), ())
        by_issuer, given_issuers = _texts(issuers)
        by_number, given_numbers = _texts(numbers)
        rows = self._all(
            f"SELECT b.issuer, b.number, b.id FROM unnest({by_issuer}, {by_number}) "
            "AS k(issuer, number) CROSS JOIN LATERAL (SELECT * FROM basis_document "
            "WHERE issuer = k.issuer AND number = k.number OFFSET 0) b",
            (*given_issuers, *given_numbers),
        )
        return {(r[0], r[1]): r[2] for r in rows}

    def open_links(self, pairs: Sequence[tuple[int, int]], role: str) -> set[tuple[int, int]]:
        orgs, persons = zip(*pairs, strict=True) if pairs else ((), ())
        rows = self._all(
            f"SELECT l.subject_id, l.person_id FROM unnest({_IDS}, {_IDS}) "
            "AS k(o, p) CROSS JOIN LATERAL (SELECT * FROM responsible_link "
            "WHERE subject_id = k.o AND person_id = k.p AND role = %s "
            "AND valid_to IS NULL OFFSET 0) l",
            (_joined_ids(orgs), _joined_ids(persons), role),
        )
        return {(r[0], r[1]) for r in rows}

    def reserve(self, model: type[Base], n: int) -> list[int]:
        if n <= 0:
            return []
        table = _table(model)
        seq = self._sequences.get(table.name)
        if seq is None:
            got = self._all("SELECT pg_get_serial_sequence(%s, 'id')", (table.name,))
            seq = self._sequences[table.name] = str(got[0][0])
        return [r[0] for r in self._all("SELECT nextval(%s) FROM generate_series(1, %s)", (seq, n))]

    def insert(
        self, model: type[Base], columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        if rows:
            self._submit(partial(self._copy, _table(model), columns, rows))

    def _copy(self, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        json_at = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, JSON)]
        names = ", ".join(columns)
        with (
            self.conn.cursor() as cur,
            cur.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy,
        ):
            if not json_at:
                for r in rows:
                    copy.write_row(r)
                return
            for r in rows:
                values = list(r)
                for i in json_at:
                    v = values[i]
                    if isinstance(v, Encoded):
                        values[i] = v.text
                    elif v is not None:
                        values[i] = json.dumps(v, ensure_ascii=False)
                copy.write_row(values)

    def rename(self, names: dict[int, str]) -> None:
        if names:
            self._submit(partial(self._rename, list(names), list(names.values())))

    def set_birth_dates(self, dates: dict[int, date]) -> None:
        if dates:
            self._submit(partial(self._pg_birth_dates, list(dates), list(dates.values())))

    def _pg_birth_dates(self, ids: list[int], days: list[date]) -> None:
        with self.conn.cursor() as cur:
            cur.execute(
                "UPDATE subject SET birth_date = b.day "
                "FROM unnest(%s::bigint[], %s::date[]) AS b(id, day) "
                "WHERE subject.id = b.id AND subject.birth_date IS NULL",
                (ids, days),
            )

    def _rename(self, ids: list[int], names: list[str]) -> None:
        with self.conn.cursor() as cur:
            cur.execute(
                "UPDATE subject SET name = n.name "
                "FROM unnest(%s::bigint[], %s::text[]) AS n(id, name) WHERE subject.id = n.id",
                (ids, names),
            )


#: Separators for ``_texts``, tried in turn: ASCII's own (unit, record, group, file
#: separators), which no submitted key is expected to hold.
_SEPARATORS = ("\x1f", "\x1e", "\x1d", "\x1c")


def _texts(values: Sequence[str]) -> tuple[str, tuple[Any, ...]]:
    """A ``text[]`` parameter of ``values``: the SQL that makes it and its parameters.

    The keys are joined into one text split by ``string_to_array`` in the database: psycopg
    dumps a list parameter element by element in Python (a call and a regular expression
    each, several keys a row). A separator that some key contains is not used; if every one
    is (or a key is empty, which ``string_to_array`` would drop), the list is passed as an
    array after all.
    """
    items = list(values)
    if items and "" not in items:
        for sep in _SEPARATORS:
            joined = sep.join(items)
            if joined.count(sep) == len(items) - 1:
                return "string_to_array(%s, %s)", (joined, sep)
    return "%s::text[]", (items,)


#: A ``bigint[]`` parameter given as ``_joined_ids`` (the reason is ``_texts``').
_IDS = "string_to_array(%s, ',')::bigint[]"


def _joined_ids(ids: Iterable[int]) -> str:
    return ",".join(map(str, ids))


def bulk_store(session: Session) -> BulkStore:
    return PostgresStore(session) if is_postgres(session) else BulkStore(session)


def _parts(values: Iterable[Any]) -> Iterable[list[Any]]:
    items = list(values)
    for start in range(0, len(items), _SQLITE_KEYS):
        yield items[start : start + _SQLITE_KEYS]


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Encoded) else value


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)
