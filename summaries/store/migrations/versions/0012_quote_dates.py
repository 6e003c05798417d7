"""A person's newest quotes read in index order.

"What did X say?" wants a person's newest quotes: sorting every quote of a common name by its
article's date (a join) cost ~240 ms at 100,000 articles. Each quote now keeps its article's
date (`article_date`: published, else stored, as `schema.article_date()`; an article's dates
never change). An index on (speaker_key, canonical_speaker, article_date, article_id) yields one
speaker's quotes newest first, one on (speaker_key, article_date, article_id) a name key's, so a
query with LIMIT reads only the rows it returns. They replace the indexes on
(speaker_key, canonical_speaker) and (speaker_key), their prefixes.

SQLite's quote full-text triggers fire on any UPDATE of quotes: they are set aside while the
dates are filled in (the indexed words do not change), then put back.

Revision ID: 0012_quote_dates
Revises: 0011_quote_topics
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_quote_dates"
down_revision: str | None = "0011_quote_topics"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FILL = (
    "UPDATE quotes SET article_date = (SELECT coalesce(articles.published, articles.created_at) "
    "FROM articles WHERE articles.id = quotes.article_id)"
)
_UPDATE_TRIGGERS = ("quotes_fts_update", "quote_topics_fts_update")


def upgrade() -> None:
    op.add_column("quotes", sa.Column("article_date", sa.DateTime(timezone=True)))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(_FILL)
    else:
        kept = []
        for name in _UPDATE_TRIGGERS:
            sql = bind.execute(
                sa.text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"),
                {"name": name},
            ).scalar()
            if sql is not None:
                kept.append(str(sql))
                op.execute(f"DROP TRIGGER {name}")
        op.execute(_FILL)
        for sql in kept:
            op.execute(sql)
    op.create_index(
        "ix_quotes_speaker_newest",
        "quotes",
        ["speaker_key", "canonical_speaker", "article_date", "article_id"],
    )
    op.create_index(
        "ix_quotes_speaker_key_newest", "quotes", ["speaker_key", "article_date", "article_id"]
    )
    op.drop_index("ix_quotes_speaker_key_canonical_speaker", "quotes")
    op.drop_index("ix_quotes_speaker_key", "quotes")
    op.execute("ANALYZE")


def downgrade() -> None:
    op.create_index("ix_quotes_speaker_key", "quotes", ["speaker_key"])
    op.drop_index("ix_quotes_speaker_key_newest", "quotes")
    op.create_index(
        "ix_quotes_speaker_key_canonical_speaker", "quotes", ["speaker_key", "canonical_speaker"]
    )
    op.drop_index("ix_quotes_speaker_newest", "quotes")
    # In place (SQLite 3.35+): a copy of the table, as batch mode makes, would lose its triggers.
    op.execute("ALTER TABLE quotes DROP COLUMN article_date")
