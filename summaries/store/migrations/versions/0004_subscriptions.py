"""Subscriptions: which feeds a channel follows, its word filters and its digest schedule.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def _where() -> list[sa.Column[str]]:
    return [
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(128), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "channel_feeds",
        sa.Column("id", sa.Integer, nullable=False),
        *_where(),
        sa.Column("feed_id", sa.Integer, nullable=False),
        sa.Column("created_by", sa.String(128)),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_channel_feeds"),
        sa.ForeignKeyConstraint(
            ["feed_id"], ["feeds.id"], name="fk_channel_feeds_feed_id_feeds", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("platform", "workspace", "channel", "feed_id", name="uq_channel_feeds"),
    )
    op.create_index("ix_channel_feeds_feed_id", "channel_feeds", ["feed_id"])
    op.create_table(
        "channel_filters",
        sa.Column("id", sa.Integer, nullable=False),
        *_where(),
        sa.Column("pattern", sa.Text, nullable=False),
        sa.Column("mode", sa.String(8), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_channel_filters"),
        sa.UniqueConstraint(
            "platform", "workspace", "channel", "pattern", "mode", name="uq_channel_filters"
        ),
    )
    op.create_table(
        "channel_schedules",
        *_where(),
        sa.Column("time", sa.String(5), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("weekdays", sa.String(32), nullable=False),
        sa.Column("quiet", sa.Boolean, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("platform", "workspace", "channel", name="pk_channel_schedules"),
    )


def downgrade() -> None:
    op.drop_table("channel_schedules")
    op.drop_table("channel_filters")
    op.drop_table("channel_feeds")
