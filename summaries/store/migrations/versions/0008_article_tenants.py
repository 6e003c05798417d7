"""A library per tenant: which workspaces (Slack teams, Discord guilds) each article reached.

Existing articles reach every tenant with a channel that follows a feed that brought them (the
feed they came from, or any feed entry pointing at them). The others (pasted links, command-line
ingests, feeds no channel follows) reach no tenant: they stay in the operator's library (the
CLI, the console, NEWSBRIEF_SHARED_LIBRARY), since nothing records who asked for them; the
operator can give one to a workspace with `newsbrief ingest --tenant PLATFORM:WORKSPACE <url>`.

Revision ID: 0008_article_tenants
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0008_article_tenants"
# Re-chained after 0007 (the sentences backfill) when both are merged.
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A channel outside any workspace ("dm": Discord's direct messages) is a tenant of its own, as
# summaries.store.records.Channel.tenant says.
_TENANT_WORKSPACE = (
    "CASE WHEN channel_feeds.workspace = 'dm' "
    "THEN 'dm:' || channel_feeds.channel ELSE channel_feeds.workspace END"
)
_BACKFILL = f"""
INSERT INTO article_tenants (platform, workspace, article_id, created_at)
SELECT DISTINCT channel_feeds.platform, {_TENANT_WORKSPACE}, brought.article_id, :now
FROM (
    SELECT id AS article_id, feed_id FROM articles WHERE feed_id IS NOT NULL
    UNION
    SELECT article_id, feed_id FROM feed_entries
) AS brought
JOIN channel_feeds ON channel_feeds.feed_id = brought.feed_id
"""


def upgrade() -> None:
    op.create_table(
        "article_tenants",
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace", sa.String(160), nullable=False),
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "workspace", "article_id", name="pk_article_tenants"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_article_tenants_article_id_articles",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_article_tenants_article_id", "article_tenants", ["article_id"])
    bind = op.get_bind()
    now = datetime.now(UTC)
    # SQLite keeps UTC as naive text, in SQLAlchemy's format (see schema.UtcDateTime).
    stamp = now if bind.dialect.name == "postgresql" else now.strftime("%Y-%m-%d %H:%M:%S.%f")
    bind.execute(sa.text(_BACKFILL), {"now": stamp})


def downgrade() -> None:
    op.drop_index("ix_article_tenants_article_id", "article_tenants")
    op.drop_table("article_tenants")
