"""Indexes for the queries that inquiries and the public search make (issue #7).

PostgreSQL: fuzzy organisation-name search with pg_trgm. Chinese names have no spaces, so
pg_trgm would read a whole name as one word and pad a query's first and last characters,
and a query from the middle of a name could never score well. ``pcip_name_grams`` turns a
name into its character bigrams as words ("重庆市鑫源" -> "重庆 庆市 市鑫 鑫源"), so that
trigram word similarity measures how many of a query's bigrams a name holds, in order: a
substring scores 1, one mistyped character in a seven-character query about 0.6. GIN
indexes over it serve current names (organisations only: persons are never searched by
name, Art. 22) and every name in the history; plain trigram GIN indexes over the names serve
"contains" (ILIKE), which needs all of the query's trigrams and so stays selective.

Both databases: the exact-name lookup of former names, and organisations by name length (the
search lists shorter names first, so a common term is answered from the first rows read).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Letters and digits only, lower-case, without the city prefix and the legal form (they
#: say nothing about which organisation it is), as bigram "words". Kept in step with
#: ``pcip.inquiry.service.name_grams`` (tests compare the two).
NAME_GRAMS = """
CREATE OR REPLACE FUNCTION pcip_name_grams(name text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    s text := lower(regexp_replace(name, '[^[:alnum:]]+', '', 'g'));
    n int;
    out text := '';
BEGIN
    s := regexp_replace(s, '^重庆市?', '');
    s := regexp_replace(s, '(股份有限公司|有限责任公司|有限公司|公司)$', '');
    n := length(s);
    IF n < 2 THEN
        RETURN s;
    END IF;
    FOR i IN 1 .. n - 1 LOOP
        out := out || substr(s, i, 2) || ' ';
    END LOOP;
    RETURN rtrim(out);
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(NAME_GRAMS)
        op.execute(
            "CREATE INDEX ix_subject_name_grams ON subject "
            "USING gin (pcip_name_grams(name) gin_trgm_ops) WHERE kind <> 'person'"
        )
        op.execute(
            "CREATE INDEX ix_subject_name_name_grams ON subject_name "
            "USING gin (pcip_name_grams(name) gin_trgm_ops)"
        )
        # Names containing the query (ILIKE): every trigram of the query must be in the name.
        op.execute(
            "CREATE INDEX ix_subject_name_trgm ON subject "
            "USING gin (name gin_trgm_ops) WHERE kind <> 'person'"
        )
        op.execute(
            "CREATE INDEX ix_subject_name_name_trgm ON subject_name USING gin (name gin_trgm_ops)"
        )
    op.create_index(
        "ix_subject_organisation_length",
        "subject",
        [sa.text("length(name)"), "id"],
        postgresql_where=sa.text("kind <> 'person'"),
        sqlite_where=sa.text("kind <> 'person'"),
    )
    op.create_index("ix_subject_name_name", "subject_name", ["name"])


def downgrade() -> None:
    op.drop_index("ix_subject_name_name", table_name="subject_name")
    op.drop_index("ix_subject_organisation_length", table_name="subject")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_subject_name_name_trgm")
        op.execute("DROP INDEX IF EXISTS ix_subject_name_trgm")
        op.execute("DROP INDEX IF EXISTS ix_subject_name_name_grams")
        op.execute("DROP INDEX IF EXISTS ix_subject_name_grams")
        op.execute("DROP FUNCTION IF EXISTS pcip_name_grams(text)")
        # pg_trgm stays: other objects may use it, and it holds no data.
