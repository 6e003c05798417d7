"""Sentences for the articles stored before 0006, so passage search (`ask`) finds them too.

Only the sentence rows (and through them the full-text index) are built here: no model is
loaded inside a migration. Their embeddings are made by `newsbrief reindex`, which
`newsbrief run` starts in the background.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 200  # articles read and split at a time

# The tables as this revision knows them: later schema changes must not change this step.
_articles = sa.table("articles", sa.column("id", sa.Integer), sa.column("text", sa.Text))
_sentences = sa.table(
    "sentences",
    sa.column("article_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("start", sa.Integer),
    sa.column("end", sa.Integer),
    sa.column("text", sa.Text),
)


def upgrade() -> None:
    # Sentences exactly as ingest makes them: the same split, the same filter, the same cap.
    from summaries.ingest.jobs import passage_spans

    conn = op.get_bind()
    has_sentences = sa.exists().where(_sentences.c.article_id == _articles.c.id)
    missing = conn.execute(
        sa.select(_articles.c.id).where(~has_sentences).order_by(_articles.c.id)
    ).scalars()
    ids = list(missing)
    for start in range(0, len(ids), _BATCH):
        rows = conn.execute(
            sa.select(_articles.c.id, _articles.c.text).where(
                _articles.c.id.in_(ids[start : start + _BATCH])
            )
        ).all()
        values = [
            {"article_id": row.id, "position": i, "start": a, "end": b, "text": row.text[a:b]}
            for row in rows
            for i, (a, b) in enumerate(passage_spans(row.text))
        ]
        if values:
            conn.execute(_sentences.insert(), values)


def downgrade() -> None:
    """Nothing to undo: the sentences stay until 0006's downgrade drops their table."""
