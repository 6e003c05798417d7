"""Quote details (speaker title, mention, name key, context) and full-text search on quotes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite: an FTS5 index kept in step with `quotes` by triggers. PostgreSQL: a GIN index on the
# English tsvector of the quote and its speaker.
_SQLITE_FTS = [
    "CREATE VIRTUAL TABLE quotes_fts USING fts5("
    "text, speaker, content='quotes', content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN "
    "INSERT INTO quotes_fts(rowid, text, speaker) "
    "VALUES (new.id, new.text, coalesce(new.canonical_speaker, '')); END",
    "CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN "
    "INSERT INTO quotes_fts(quotes_fts, rowid, text, speaker) "
    "VALUES ('delete', old.id, old.text, coalesce(old.canonical_speaker, '')); END",
    "CREATE TRIGGER quotes_fts_update AFTER UPDATE ON quotes BEGIN "
    "INSERT INTO quotes_fts(quotes_fts, rowid, text, speaker) "
    "VALUES ('delete', old.id, old.text, coalesce(old.canonical_speaker, '')); "
    "INSERT INTO quotes_fts(rowid, text, speaker) "
    "VALUES (new.id, new.text, coalesce(new.canonical_speaker, '')); END",
    "INSERT INTO quotes_fts(quotes_fts) VALUES ('rebuild')",
]
_PG_FTS = (
    "CREATE INDEX ix_quotes_fts ON quotes USING gin "
    "(to_tsvector('english', text || ' ' || coalesce(canonical_speaker, '')))"
)


def upgrade() -> None:
    with op.batch_alter_table("quotes") as batch:
        batch.add_column(sa.Column("speaker_title", sa.Text))
        batch.add_column(sa.Column("speaker_key", sa.Text))
        batch.add_column(sa.Column("context", sa.Text))
        batch.add_column(
            sa.Column("in_title", sa.Boolean, nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("position", sa.Integer, nullable=False, server_default="0"))
    op.create_index("ix_quotes_speaker_key", "quotes", ["speaker_key"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FTS)
    else:
        for statement in _SQLITE_FTS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_quotes_fts")
    else:
        for name in ("quotes_fts_insert", "quotes_fts_delete", "quotes_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS quotes_fts")
    op.drop_index("ix_quotes_speaker_key", "quotes")
    with op.batch_alter_table("quotes") as batch:
        for column in ("position", "in_title", "context", "speaker_key", "speaker_title"):
            batch.drop_column(column)
