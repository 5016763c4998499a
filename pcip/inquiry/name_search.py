"""Finding organisations by name for lawful public disclosure (Art. 22): exact codes first,
then names containing the query, then names resembling it (a mistyped character), ranked by
the share of the query's name bigrams they hold. On PostgreSQL the trigram indexes answer;
on SQLite a bounded scan does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, or_, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from pcip.db import is_postgres
from pcip.errors import ValidationError
from pcip.identity.uscc import ALPHABET, Uscc, parse_uscc, uscc_check_character
from pcip.inquiry.schemas import (
    OrganisationHit,
)
from pcip.kernel.enums import SubjectKind
from pcip.kernel.messages import msg
from pcip.kernel.platform import replica_reads
from pcip.subjects.models import Subject, SubjectName

#: The most organisations one search lists.
SEARCH_LIMIT = 50
#: The portal shows this many per page.
PAGE_SIZE = 10
#: A query is cut at this many characters (no name is longer).
MAX_QUERY = 100

#: Fuzzy search: the share of a query's name bigrams a name must hold, in order, to be listed
#: ("word similarity" of ``name_grams``, pg_trgm's own default threshold; one mistyped
#: character in the middle of a seven-character name scores about 0.7).
FUZZY_THRESHOLD = 0.6
#: Organisations read first (the first registered, by id): a term common among them is answered
#: there.
COMMON_SCAN = 5000
#: Names containing a rarer term: at most this many per name source are read and the
#: shortest listed (every one when there are fewer; a term found in more names than this is
#: listed from the first found).
CONTAINING = 400
#: At most this many candidates are ranked by resemblance (bounded work for any query).
CANDIDATES = 150


def search_organisations(session: Session, q: str, limit: int = 20) -> list[OrganisationHit]:
    """Art. 22 public search: organisations by (part of) a name, or by USCC. Never persons.

    The exact name first, then names containing the query (current or former, shorter names
    first). Only when no name contains it, names that resemble it (a character or two mistyped
    or left out), most similar first: PostgreSQL by pg_trgm word similarity over the names'
    character bigrams (indexes of migration 0006), SQLite by the share of the query's bigrams
    a name holds.
    """
    limit = max(1, min(limit, SEARCH_LIMIT))
    with replica_reads(session) as reads:  # issue 22: public reads may lag (scaling.md)
        ids, _ = _find(reads, _normal(q), limit)
        return _load(reads, ids[:limit])


@dataclass(frozen=True)
class SearchAnswer:
    """One page of a public search, with what a person needs to read it right."""

    q: str  #: the query searched (cut at ``MAX_QUERY`` characters)
    hits: list[OrganisationHit]  #: this page's organisations
    total: int  #: organisations found, at most ``SEARCH_LIMIT``
    more: bool  #: more than ``SEARCH_LIMIT`` matched: the person should narrow the query
    page: int
    pages: int
    similar: bool  #: no name contains the query; these names resemble it
    truncated: bool  #: the query was longer than ``MAX_QUERY`` characters and was cut
    #: An 18-character code that is not a valid USCC: ``("check_character", expected)`` when
    #: only its check character is wrong, ``("invalid", None)`` otherwise.
    uscc_problem: tuple[str, str | None] | None


def search_page(
    session: Session, raw: str, page: int = 1, per_page: int = PAGE_SIZE
) -> SearchAnswer:
    """The portal's search: a page of ``search_organisations``' order, with the total found
    (bounded: at most ``SEARCH_LIMIT``, and says when more matched), whether the names only
    resemble the query, whether the query was cut, and why a mistyped USCC found nothing."""
    stripped = _normal(raw)
    q = stripped[:MAX_QUERY].strip()
    with replica_reads(session) as reads:  # issue 22: public reads may lag (scaling.md)
        ids, similar = _find(reads, q, SEARCH_LIMIT + 1)
        more, ids = len(ids) > SEARCH_LIMIT, ids[:SEARCH_LIMIT]
        pages = max(1, -(-len(ids) // per_page))
        page = min(max(1, page), pages)
        shown = ids[(page - 1) * per_page : page * per_page]
        hits = _load(reads, shown)
    return SearchAnswer(
        q=q,
        hits=hits,
        total=len(ids),
        more=more,
        page=page,
        pages=pages,
        similar=similar and bool(ids),
        truncated=len(stripped) > MAX_QUERY,
        uscc_problem=None if ids else _uscc_problem(q),
    )


def _normal(q: str) -> str:
    return " ".join(q.split())


def _looks_like_uscc(code: str) -> bool:
    # A USCC is 18 ASCII letters and digits (an 18-character Chinese name is not one).
    return len(code) == 18 and code.isascii() and code.isalnum()


def _uscc_problem(q: str) -> tuple[str, str | None] | None:
    """Why an 18-character code found nothing, when it is not a valid USCC (GB 32100-2015)."""
    code = q.upper()
    if not _looks_like_uscc(code) or isinstance(parse_uscc(code), Uscc):
        return None
    if all(ch in ALPHABET for ch in code):
        expected = uscc_check_character(code[:17])
        if code[17] != expected and isinstance(parse_uscc(code[:17] + expected), Uscc):
            return ("check_character", expected)
    return ("invalid", None)


def _find(session: Session, q: str, limit: int) -> tuple[list[int], bool]:
    """The ids found, in order, and whether they only resemble the query."""
    if len(q) < 2:
        raise ValidationError(msg("inquiry.query_too_short"), field="q")
    code = q.upper()
    if _looks_like_uscc(code):
        return list(
            session.scalars(select(Subject.id).where(_ORGANISATIONS, Subject.uscc == code))
        ), False
    pattern = "%" + q.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
    postgres = is_postgres(session)
    # Without letters that have a case (Chinese names), LIKE matches exactly what ILIKE does,
    # several times faster.
    cased = q.lower() != q.upper()
    ids = list(session.scalars(_EXACT, {"q": q}))
    literal = _common(session, pattern, limit, cased)
    if len(literal) < limit:  # a rarer term: the index finds all its names, shortest first
        containing = _containing_postgres if postgres else _containing
        literal = containing(session, q, pattern, limit, cased)
    ids += [i for i in literal if i not in ids]
    if ids:
        return ids, False
    return (_resembling_postgres if postgres else _resembling)(session, q, limit), True


def _load(session: Session, ids: list[int]) -> list[OrganisationHit]:
    by_id = {s.id: s for s in session.scalars(select(Subject).where(Subject.id.in_(ids)))}
    return _hits(session, [by_id[i] for i in ids if i in by_id])


def _contains(column: Any, pattern: Any, cased: bool = True) -> Any:
    if cased:
        return column.ilike(pattern, escape="\\")
    return column.like(pattern, escape="\\")


_ORGANISATIONS = Subject.kind != SubjectKind.PERSON.value


_EXACT = (
    select(Subject.id).where(_ORGANISATIONS, Subject.name == bindparam("q")).order_by(Subject.id)
)


#: By id, not "whatever a scan reads first": on PostgreSQL a sequential scan of a table larger
#: than a quarter of the shared buffers starts where the last one stopped
#: (``synchronize_seqscans``), so each search read the next organisations; once the scans
#: reached the pages of persons (3,200,000 after 350,000 organisations in the bench's city10
#: dataset) one search in about a hundred read them all (0.4-0.6 s), and the answer for a
#: common term changed from search to search. The primary key's index reads the first ones.
_SAMPLE = (
    select(Subject.id, Subject.name)
    .where(_ORGANISATIONS)
    .order_by(Subject.id)
    .limit(COMMON_SCAN)
    .subquery()
)


_COMMON = {
    cased: select(_SAMPLE.c.id)
    .where(_contains(_SAMPLE.c.name, bindparam("pattern"), cased))
    .order_by(func.length(_SAMPLE.c.name), _SAMPLE.c.id)
    .limit(bindparam("limit"))
    for cased in (True, False)
}


def _common(session: Session, pattern: str, limit: int, cased: bool) -> list[int]:
    """A common term (in ``limit`` of the first ``COMMON_SCAN`` organisations read, about one
    name in a few hundred or more) is answered from those, shortest first: finding and
    ordering every name that contains "有限公司" would read most of the register."""
    return list(session.scalars(_COMMON[cased], {"pattern": pattern, "limit": limit}))


def _containing(session: Session, q: str, pattern: str, limit: int, cased: bool) -> list[int]:
    """Organisations whose current or a former name contains the query, shorter names first."""
    former = select(SubjectName.subject_id).where(_contains(SubjectName.name, pattern, cased))
    return list(
        session.scalars(
            select(Subject.id)
            .where(
                _ORGANISATIONS,
                or_(_contains(Subject.name, pattern, cased), Subject.id.in_(former)),
            )
            .order_by(func.length(Subject.name), Subject.id)
            .limit(limit)
        )
    )


# PostgreSQL: the trigram indexes of migration 0006 find the names containing the query (all of
# its trigrams; for two characters, the bigram index) and the names resembling it.
_CONTAINING_SQL = """
    SELECT s.id FROM subject s
    WHERE s.kind <> 'person' AND s.id IN (
        (SELECT id FROM subject WHERE kind <> 'person' AND {match} LIMIT :cap)
        UNION
        (SELECT subject_id FROM subject_name WHERE {match} LIMIT :cap)
    )
    ORDER BY length(s.name), s.id
    LIMIT :limit
"""


_LIKE = "name {like} :pattern ESCAPE '\\'"
#: Two characters have no trigram: the bigram index finds the candidates instead.
_SHORT = "pcip_name_grams(name) %> pcip_name_grams(:q) AND "
#: (three characters or more, has cased letters) -> statement
_CONTAINING = {
    (long, cased): text(
        _CONTAINING_SQL.format(
            match=("" if long else _SHORT) + _LIKE.format(like="ILIKE" if cased else "LIKE")
        )
    )
    for long in (True, False)
    for cased in (True, False)
}


# The candidates are materialised without a LIMIT: with one, the planner may bet on reading
# the table until enough rows match (it overestimates how many match), and read it all.
_RESEMBLING_SQL = """
    WITH qg AS MATERIALIZED (SELECT pcip_name_grams(:q) AS g),
    named AS MATERIALIZED (
        SELECT id, name FROM subject WHERE kind <> 'person' AND ({current})
        UNION ALL
        SELECT subject_id, name FROM subject_name WHERE ({former})
    ),
    scored AS (
        SELECT n.id, max(word_similarity(qg.g, pcip_name_grams(n.name))) AS score
        FROM (SELECT * FROM named LIMIT :cap) n, qg GROUP BY n.id
    )
    SELECT s.id FROM scored c JOIN subject s ON s.id = c.id
    WHERE s.kind <> 'person'
    ORDER BY c.score DESC, length(s.name), s.id
    LIMIT :limit
"""


#: Ends of names users type in part ("…有限责") and trigrams found in most names: a pattern
#: whose literal text is only these would make the index read most of the register.
_TYPED_FORM = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|股份有限|有限责任|有限责|有限公|公司|有限)$"
)


_COMMON_TRIGRAMS = frozenset(
    {"重庆市", "有限公", "限公司", "有限责", "限责任", "责任公", "任公司", "股份有", "份有限"}
)


def typo_patterns(q: str) -> list[str]:
    """LIKE patterns for names containing ``q`` with one character mistyped, added or left
    out (the city and the legal form set aside). Only patterns with a literal run of three
    characters that is not in most names are kept: the trigram index finds those among a
    million names in a few index pages, without reading the table."""

    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")

    def selective(*runs: str) -> bool:
        return any(
            run[i : i + 3] not in _COMMON_TRIGRAMS for run in runs for i in range(len(run) - 2)
        )

    core = _TYPED_FORM.sub("", _NAME_PREFIX.sub("", q))
    out: dict[str, None] = {}
    n = len(core)
    for i in range(n):
        head, tail = core[:i], core[i + 1 :]
        if selective(head, tail):
            out[f"%{esc(head)}_{esc(tail)}%"] = None  # one character mistyped
        if selective(head + tail):
            out[f"%{esc(head)}{esc(tail)}%"] = None  # one character too many
    for i in range(1, n):
        head, tail = core[:i], core[i:]
        if selective(head, tail):
            out[f"%{esc(head)}_{esc(tail)}%"] = None  # one character left out
    return list(out)


def _containing_postgres(
    session: Session, q: str, pattern: str, limit: int, cased: bool
) -> list[int]:
    # The trigram index serves LIKE when the query holds a trigram (three characters): else
    # the bigram index finds the candidates.
    statement = _CONTAINING[(len(q) >= 3, cased)]
    params = {"q": q, "pattern": pattern, "limit": limit, "cap": CONTAINING}
    rows = session.execute(statement, params)
    return [int(r[0]) for r in rows]


#: The longest a search may spend on resembling names (milliseconds): when a typo pattern
#: still matches many names, the list of names resembling the query is given up, not waited
#: for (the search then finds nothing, as it did before it was fuzzy).
RESEMBLING_BUDGET_MS = 100
#: At most about this many names per typo pattern are taken from the trigram index (PostgreSQL's
#: ``gin_fuzzy_search_limit``, a random subset beyond it). A pattern made of words thousands of
#: names hold (an industry, a shop form) otherwise has every one of them read and rechecked,
#: and ran out of the budget above: with the limit it lists some of the resembling names,
#: well within it (docs/performance.md).
RESEMBLING_PER_PATTERN = 1000


def _resembling_postgres(session: Session, q: str, limit: int) -> list[int]:
    patterns = typo_patterns(q)
    if not patterns:
        return []
    like = "ILIKE" if q.lower() != q.upper() else "LIKE"
    match = " OR ".join(f"name {like} :p{i} ESCAPE '\\'" for i in range(len(patterns)))
    statement = text(_RESEMBLING_SQL.format(current=match, former=match))
    params: dict[str, Any] = {f"p{i}": p for i, p in enumerate(patterns)}
    params.update(q=q, cap=CANDIDATES, limit=limit)
    try:
        with session.begin_nested():
            session.execute(text(f"SET LOCAL statement_timeout = {RESEMBLING_BUDGET_MS}"))
            session.execute(text(f"SET LOCAL gin_fuzzy_search_limit = {RESEMBLING_PER_PATTERN}"))
            rows = [int(r[0]) for r in session.execute(statement, params)]
            session.execute(text("SET LOCAL statement_timeout = DEFAULT"))
            session.execute(text("SET LOCAL gin_fuzzy_search_limit = DEFAULT"))
    except OperationalError as exc:  # QueryCanceled: the budget ran out
        if getattr(exc.orig, "sqlstate", None) != "57014":
            raise
        return []
    return rows


def _resembling(session: Session, q: str, limit: int) -> list[int]:
    """SQLite has no trigram index: names sharing a bigram with the query, ranked here by the
    share of the query's bigrams they hold."""
    grams = name_grams(q).split()
    if not grams:
        return []
    likes = [f"%{g}%" for g in dict.fromkeys(grams)][:8]
    current = select(Subject.id, Subject.name).where(
        _ORGANISATIONS, or_(*(Subject.name.like(p) for p in likes))
    )
    history = (
        select(Subject.id, SubjectName.name)
        .join(SubjectName, SubjectName.subject_id == Subject.id)
        .where(_ORGANISATIONS, or_(*(SubjectName.name.like(p) for p in likes)))
    )
    best: dict[int, tuple[float, int]] = {}
    for query in (current, history):
        for sid, name in session.execute(query.limit(CANDIDATES)):
            score = gram_share(grams, name)
            if score >= FUZZY_THRESHOLD:
                best[sid] = max(best.get(sid, (0.0, 0)), (score, -len(name)))
    return sorted(best, key=lambda sid: (-best[sid][0], -best[sid][1], sid))[:limit]


#: Parts of organisation names that say nothing about which organisation it is: left out of
#: the bigrams, so that resemblance is judged on the distinctive part (and the index is not
#: dominated by them). Kept in step with ``pcip_name_grams`` (migration 0006).
_NAME_PREFIX = re.compile(r"^重庆市?")
_NAME_SUFFIX = re.compile(r"(股份有限公司|有限责任公司|有限公司|公司)$")


def name_grams(name: str) -> str:
    """A name's character bigrams as words: lower-case, letters and digits only, without the
    city prefix and the legal form (the Python statement of the database function
    ``pcip_name_grams``, migration 0006)."""
    s = "".join(ch for ch in name.lower() if ch.isalnum())
    s = _NAME_SUFFIX.sub("", _NAME_PREFIX.sub("", s))
    if len(s) < 2:
        return s
    return " ".join(s[i : i + 2] for i in range(len(s) - 1))


def gram_share(grams: list[str], name: str) -> float:
    """The share of ``grams`` (a query's bigrams) that ``name`` holds."""
    held = set(name_grams(name).split())
    return sum(g in held for g in grams) / len(grams) if grams else 0.0


def _hits(session: Session, found: list[Subject]) -> list[OrganisationHit]:
    """The hits with their former names (one statement for all of them)."""
    names: dict[int, set[str]] = {s.id: set() for s in found}
    if found:
        for sid, name in session.execute(
            select(SubjectName.subject_id, SubjectName.name).where(
                SubjectName.subject_id.in_(list(names))
            )
        ):
            names[sid].add(name)
    return [
        OrganisationHit(
            subject_id=s.id,
            kind=s.kind,
            name=s.name,
            uscc=s.uscc,
            registration_no=s.registration_no,
            former_names=sorted(names[s.id] - {s.name}),
        )
        for s in found
    ]
