"""Feeds, articles and the feed entries that point at them.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Migrations spell out their types instead of importing the live schema, which moves on.
UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("last_checked", UTC_DATETIME),
        sa.Column("last_success", UTC_DATETIME),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_feeds"),
        sa.UniqueConstraint("url", name="uq_feeds_url"),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("canonical_url", sa.Text),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("title", sa.Text),
        sa.Column("byline", sa.Text),
        sa.Column("published", UTC_DATETIME),
        sa.Column("site", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("summary", sa.Text),
        sa.Column("summary_method", sa.Text),
        sa.Column("feed_id", sa.Integer),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.UniqueConstraint("canonical_url", name="uq_articles_canonical_url"),
        sa.UniqueConstraint("content_hash", name="uq_articles_content_hash"),
        sa.ForeignKeyConstraint(
            ["feed_id"], ["feeds.id"], name="fk_articles_feed_id_feeds", ondelete="SET NULL"
        ),
    )
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_created_at", "articles", ["created_at"])
    op.create_table(
        "feed_entries",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("feed_id", sa.Integer, nullable=False),
        sa.Column("entry_id", sa.Text, nullable=False),
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_feed_entries"),
        sa.UniqueConstraint("feed_id", "entry_id", name="uq_feed_entries_feed_id_entry_id"),
        sa.ForeignKeyConstraint(
            ["feed_id"], ["feeds.id"], name="fk_feed_entries_feed_id_feeds", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_feed_entries_article_id_articles",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_feed_entries_article_id", "feed_entries", ["article_id"])


def downgrade() -> None:
    op.drop_table("feed_entries")
    op.drop_table("articles")
    op.drop_table("feeds")
