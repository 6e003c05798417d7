"""Scheduler state: per-feed polling state and the digest ledger.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "feed_polls",
        sa.Column("feed_id", sa.Integer, nullable=False),
        sa.Column("interval_s", sa.Integer, nullable=False),
        sa.Column("next_poll_at", UTC_DATETIME, nullable=False),
        sa.Column("last_polled_at", UTC_DATETIME),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("failing_since", UTC_DATETIME),
        sa.Column("notified_at", UTC_DATETIME),
        sa.Column("baseline_at", UTC_DATETIME),
        sa.PrimaryKeyConstraint("feed_id", name="pk_feed_polls"),
        sa.ForeignKeyConstraint(
            ["feed_id"], ["feeds.id"], name="fk_feed_polls_feed_id_feeds", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_feed_polls_next_poll_at", "feed_polls", ["next_poll_at"])
    op.create_table(
        "digest_runs",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(128), nullable=False),
        sa.Column("local_date", sa.String(10), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("window_start", UTC_DATETIME, nullable=False),
        sa.Column("window_end", UTC_DATETIME, nullable=False),
        sa.Column("owner", sa.String(64)),
        sa.Column("next_attempt_at", UTC_DATETIME),
        sa.Column("error", sa.Text),
        sa.Column("stories", sa.Integer),
        sa.Column("posted_at", UTC_DATETIME),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_digest_runs"),
        sa.UniqueConstraint(
            "platform", "workspace", "channel", "local_date", name="uq_digest_runs"
        ),
    )


def downgrade() -> None:
    op.drop_table("digest_runs")
    op.drop_index("ix_feed_polls_next_poll_at", table_name="feed_polls")
    op.drop_table("feed_polls")
