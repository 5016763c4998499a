"""Reading and checking a submission's rows, chunk by chunk (Art. 19-23), here or in a child
process while this one writes.

Reading the file and ``interpret`` (each row against the item's field schema) are most of
ingestion's Python time; writing is the database's. In one process all the Python work
takes turns on one interpreter lock, so on a machine with two cores the database waits for
Python about half of the time (docs/performance.md). With ``FileRows.apart`` a forked child
process reads and interprets the file and hands each chunk's results over a pipe, while
this process looks the previous chunk up and writes it (in the caller's transaction: the
child never touches the database).

What the child sends is what ``prepared`` yields in one process, in the same order, so the
outcomes do not depend on where the rows were checked (``tests/records/
test_ingest_prepare.py`` compares everything stored both ways). An error in the child (a
file problem: a line that does not decode, a quote left open) is raised here, as the same
exception, where one process would have raised it, so the batch fails and rolls back as it
would have; if this process stops first, the child is ended with it. Only the command-line
door forks: a server's worker process has threads, and forking one is not safe.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import struct
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import IO, Any

from pcip.catalog.schemas import ItemSpec
from pcip.kernel.enums import IdType, SubjectKind
from pcip.kernel.keys.keyring import Keyring
from pcip.records.interpret import Interpreted, RowProblem, interpret
from pcip.records.layouts import ColumnReport, Columns
from pcip.records.readers import FileFormat, ProgressFn, Row, open_rows
from pcip.records.service import BasisFacts, RecordFacts
from pcip.subjects.service import SubjectKey

#: One row and what checking it gave: the interpreted row, its problems, or None for a row
#: the reader found malformed (``row.problem`` says why).
Prepared = tuple[Row, Interpreted | list[RowProblem] | None]

#: Each message over the pipe: its length, then its pickle.
_LENGTH = struct.Struct("<Q")
#: Chunks between two collections of young objects in the child (as ``ingest`` does).
_CHUNKS_PER_COLLECTION = 4


def prepared(
    rows: Iterable[Row],
    spec: ItemSpec,
    columns: Columns,
    ring: Keyring,
    today: date,
    size: int,
) -> Iterator[list[Prepared]]:
    """The rows in chunks of ``size``, each row interpreted (version-1 column names read as
    current fields, every row's columns counted in ``columns``)."""
    read = columns.read
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield [
            (row, None if row.values is None else interpret(spec, read(row.values), ring, today))
            for row in chunk
        ]


@dataclass
class FileRows:
    """A file's rows, opened when the batch starts: by this process, or by a child process
    (``apart``) that checks them while this one writes."""

    path: Path
    kind: FileFormat
    progress: ProgressFn | None = None
    apart: bool = False
    #: The file's column names once it is open (a column with no value in any row, which
    #: XLSX omits, is still reported).
    header: list[tuple[str, ...]] = field(default_factory=list)

    def open(self, progress: ProgressFn | None) -> Iterable[Row]:
        info, rows = open_rows(self.path, self.kind, progress=progress)
        self.header.append(info.columns)
        return rows

    @contextmanager
    def chunks(
        self,
        spec: ItemSpec,
        columns: Columns,
        ring: Keyring,
        today: date,
        size: int,
        *,
        payloads: bool = True,
    ) -> Iterator[Iterator[list[Prepared]]]:
        """``prepared`` of the file's rows, from this process or from the child.

        ``payloads``: whether the writer reads ``Interpreted.payload`` (SQLite's inserts);
        PostgreSQL's COPY writes ``payload_json``, and without it the child does not send
        the dict (each row's payload is then empty here)."""
        if not self.apart:
            yield prepared(self.open(self.progress), spec, columns, ring, today, size)
            return
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns to the caller's stack
            status = 1
            try:
                os.close(read_end)
                with os.fdopen(write_end, "wb") as out:
                    self._child(out, spec, columns, ring, today, size, payloads)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        source = os.fdopen(read_end, "rb")
        try:
            yield self._received(source, columns)
        finally:
            source.close()  # a child still writing gets a broken pipe ...
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)  # ... and one still reading is ended
            os.waitpid(pid, 0)

    def _child(
        self,
        out: IO[bytes],
        spec: ItemSpec,
        columns: Columns,
        ring: Keyring,
        today: date,
        size: int,
        payloads: bool,
    ) -> None:
        # Progress is the parent's to show (its terminal, its threads): each chunk carries
        # the bytes read so far.
        consumed = [0]

        def note(n: int) -> None:
            consumed[0] = n

        try:
            rows = self.open(note)
            _send(out, ("header", self.header[-1]))
            for i, chunk in enumerate(prepared(rows, spec, columns, ring, today, size), 1):
                _send(out, ("rows", _packed(chunk, payloads), consumed[0]))
                del chunk
                if i % _CHUNKS_PER_COLLECTION == 0:
                    gc.collect(1)  # the collector may have been paused when this forked
        except BaseException as exc:  # the parent fails the batch with it, as it would have
            _send(out, ("error", _picklable(exc)))
            return
        _send(out, ("done", columns.report, consumed[0]))

    def _received(self, source: IO[bytes], columns: Columns) -> Iterator[list[Prepared]]:
        while True:
            message = _receive(source)
            kind = message[0]
            if kind == "header":
                self.header.append(message[1])
            elif kind == "rows":
                self._progressed(message[2])
                yield _unpacked(message[1])
            elif kind == "done":
                report: ColumnReport = message[1]
                columns.report = report
                self._progressed(message[2])
                return
            else:
                raise message[1]

    def _progressed(self, n: int) -> None:
        if self.progress is not None and n:
            self.progress(n)


# -- the wire ------------------------------------------------------------------------------
#
# ``pickle`` of the chunk as it is cost about 60 us a row (dumps in the child, loads here:
# dataclasses are pickled through Python code), a third of what the child saves. An
# interpreted row travels as a tuple of plain values instead (dates as ordinals, subject keys
# once per chunk, the payload only when the writer needs the dict), which pickle reads and
# writes in C.


def _packed(chunk: list[Prepared], payloads: bool) -> tuple[list[Any], list[Any]]:
    keys: dict[int, int] = {}
    table: list[Any] = []
    out: list[Any] = []

    def key_at(key: SubjectKey) -> int:
        at = keys.get(id(key))
        if at is None:
            at = keys[id(key)] = len(table)
            table.append(_key_wire(key))
        return at

    for row, got in chunk:
        if type(got) is not Interpreted:
            out.append((row, got))  # rejected or malformed: rare, pickled as they are
            continue
        b = got.basis
        rep = got.legal_rep
        out.append(
            (
                row.line,
                row.values,
                key_at(got.key),
                got.subject_name,
                got.payload if payloads else None,
                None
                if b is None
                else (
                    b.doc_type,
                    b.number,
                    b.issuer,
                    b.decision_date.toordinal(),
                    _day(b.effective_date),
                    b.issuer_uscc,
                    b.title,
                    b.designation_citation,
                ),
                _facts_wire(got.facts),
                got.natural_key,
                got.digest,
                got.dropped_fields,
                None if rep is None else (rep[0], key_at(rep[1])),
                got.payload_json,
                _day(got.birth_date),
            )
        )
    return table, out


def _unpacked(packed: tuple[list[Any], list[Any]]) -> list[Prepared]:
    table, rows = packed
    keys = [_key_of(k) for k in table]
    out: list[Prepared] = []
    for r in rows:
        if len(r) == 2:
            out.append(r)
            continue
        line, values, key, name, payload, b, facts, nk, digest, dropped, rep, text, born = r
        out.append(
            (
                Row(line, values, None),
                Interpreted(
                    keys[key],
                    name,
                    {} if payload is None else payload,
                    None
                    if b is None
                    else BasisFacts(
                        doc_type=b[0],
                        number=b[1],
                        issuer=b[2],
                        decision_date=_FROM_ORDINAL(b[3]),
                        effective_date=_date(b[4]),
                        issuer_uscc=b[5],
                        title=b[6],
                        designation_citation=b[7],
                    ),
                    _facts_of(facts),
                    nk,
                    digest,
                    dropped,
                    None if rep is None else (rep[0], keys[rep[1]]),
                    text,
                    _date(born),
                ),
            )
        )
    return out


_FROM_ORDINAL = date.fromordinal


def _day(day: date | None) -> int | None:
    return None if day is None else day.toordinal()


def _date(ordinal: int | None) -> date | None:
    return None if ordinal is None else _FROM_ORDINAL(ordinal)


_KINDS = {kind.value: kind for kind in SubjectKind}
_ID_TYPES = {id_type.value: id_type for id_type in IdType}


def _key_wire(k: SubjectKey) -> tuple[Any, ...]:
    return (
        k.kind.value,
        k.id_type.value,
        k.uscc,
        k.registration_no,
        k.index,
        k.secret,
        k.masked,
        k.document_type,
        k.document_country,
        _day(k.birth_date),
        k.region_code,
        k.record_ref,
    )


def _key_of(w: tuple[Any, ...]) -> SubjectKey:
    return SubjectKey(
        kind=_KINDS[w[0]],
        id_type=_ID_TYPES[w[1]],
        uscc=w[2],
        registration_no=w[3],
        index=w[4],
        secret=w[5],
        masked=w[6],
        document_type=w[7],
        document_country=w[8],
        birth_date=_date(w[9]),
        region_code=w[10],
        record_ref=w[11],
    )


def _facts_wire(f: RecordFacts) -> tuple[Any, ...]:
    return (
        f.severity,
        _day(f.conduct_end_date),
        _day(f.valid_from),
        _day(f.valid_to),
        _day(f.publicity_end),
    )


def _facts_of(w: tuple[Any, ...]) -> RecordFacts:
    return RecordFacts(
        severity=w[0],
        conduct_end_date=_date(w[1]),
        valid_from=_date(w[2]),
        valid_to=_date(w[3]),
        publicity_end=_date(w[4]),
    )


def _send(out: IO[bytes], message: tuple[Any, ...]) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_LENGTH.pack(len(data)))
    out.write(data)
    out.flush()  # the parent works on each chunk as soon as it is complete


def _picklable(exc: BaseException) -> BaseException:
    """``exc`` if it survives the pipe (PcipError and its subclasses do, with their field
    and line), else a RuntimeError naming it."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _receive(source: IO[bytes]) -> tuple[Any, ...]:
    head = source.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        raise RuntimeError("the process reading the file ended before its end")
    (length,) = _LENGTH.unpack(head)
    data = source.read(length)
    if len(data) < length:
        raise RuntimeError("the process reading the file ended before its end")
    message: tuple[Any, ...] = pickle.loads(data)
    return message
