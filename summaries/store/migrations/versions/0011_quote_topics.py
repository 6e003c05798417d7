"""Quotes found by person and topic in one indexed query.

`quotes_by_person(name, about=topic)` keeps the quotes of one speaker key whose words or context
mention the topic. A quote's context is not in the quote search of 0003 (who-said ranks on
the quote's own words), so this adds a second full-text document per quote: its words and its
context, tokenised without stemming, so that a prefix query on the light stems of
`summaries.answers.search` finds every quote that Python's topic match would keep.

An index on (speaker_key, canonical_speaker) gives the people behind a name key without reading
their quotes. SQLite: an FTS5 index `quote_topics_fts` (speaker key, words, context) kept in step by
triggers: the speaker key and the topic meet inside the index. PostgreSQL: a stored generated
`topic_tsv` column ('simple' configuration), read on the speaker key's index rows.

Revision ID: 0011_quote_topics
Revises: 0010_search_columns
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011_quote_topics"
down_revision: str | None = "0010_search_columns"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ROW = "{0}.id, coalesce({0}.speaker_key, ''), {0}.text, coalesce({0}.context, '')"
_COLUMNS = "quote_topics_fts(rowid, speaker_key, text, context)"
_DELETE = "quote_topics_fts(quote_topics_fts, rowid, speaker_key, text, context)"
_SQLITE = [
    "CREATE VIRTUAL TABLE quote_topics_fts USING fts5("
    "speaker_key, text, context, content='quotes', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER quote_topics_fts_insert AFTER INSERT ON quotes BEGIN "
    f"INSERT INTO {_COLUMNS} VALUES ({_ROW.format('new')}); END",
    "CREATE TRIGGER quote_topics_fts_delete AFTER DELETE ON quotes BEGIN "
    f"INSERT INTO {_DELETE} VALUES ('delete', {_ROW.format('old')}); END",
    "CREATE TRIGGER quote_topics_fts_update AFTER UPDATE ON quotes BEGIN "
    f"INSERT INTO {_DELETE} VALUES ('delete', {_ROW.format('old')}); "
    f"INSERT INTO {_COLUMNS} VALUES ({_ROW.format('new')}); END",
    f"INSERT INTO {_COLUMNS} SELECT {_ROW.format('quotes')} FROM quotes",
]
_PG = (
    "ALTER TABLE quotes ADD COLUMN topic_tsv tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple', text || ' ' || coalesce(context, ''))) STORED"
)


def upgrade() -> None:
    op.create_index(
        "ix_quotes_speaker_key_canonical_speaker", "quotes", ["speaker_key", "canonical_speaker"]
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG)
    else:
        for statement in _SQLITE:
            op.execute(statement)
    op.execute("ANALYZE")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE quotes DROP COLUMN topic_tsv")
    else:
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS quote_topics_fts_{name}")
        op.execute("DROP TABLE IF EXISTS quote_topics_fts")
    op.drop_index("ix_quotes_speaker_key_canonical_speaker", "quotes")
