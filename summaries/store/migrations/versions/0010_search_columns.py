"""Full text and vectors that stay fast at 100,000 articles.

PostgreSQL: quotes and sentences gain a stored generated `tsv` column (the same document the
GIN indexes of 0003 and 0006 covered) with a GIN index on it, so a search ranks by the stored
vector instead of rebuilding one per row; the old expression indexes go. Both databases: an
index on embeddings(kind, model, id), for the vector index's top-up (the rows after the last it
read). Then ANALYZE, so the planner knows the tables' sizes.

Revision ID: 0010_search_columns
Revises: 0009_article_image_language
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010_search_columns"
down_revision: str | None = "0009_article_image_language"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DOCUMENTS = {
    "quotes": "text || ' ' || coalesce(canonical_speaker, '')",
    "sentences": "text",
}


def upgrade() -> None:
    op.create_index("ix_embeddings_kind_model_id", "embeddings", ["kind", "model", "id"])
    if op.get_bind().dialect.name != "postgresql":
        op.execute("ANALYZE")
        return
    for table, document in _DOCUMENTS.items():
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN tsv tsvector "
            f"GENERATED ALWAYS AS (to_tsvector('english', {document})) STORED"
        )
        op.execute(f"CREATE INDEX ix_{table}_tsv ON {table} USING gin (tsv)")
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_fts")
    op.execute("ANALYZE")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, document in _DOCUMENTS.items():
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_tsv")
            op.execute(f"ALTER TABLE {table} DROP COLUMN tsv")
            op.execute(
                f"CREATE INDEX ix_{table}_fts ON {table} USING gin "
                f"(to_tsvector('english', {document}))"
            )
    op.drop_index("ix_embeddings_kind_model_id", "embeddings")
