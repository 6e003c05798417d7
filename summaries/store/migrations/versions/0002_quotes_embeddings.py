"""Quotes and embeddings, both hanging off articles.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("speaker", sa.Text),
        sa.Column("canonical_speaker", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("spans", sa.JSON),
        sa.Column("cue", sa.Text),
        sa.Column("indirect", sa.Boolean, nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_quotes"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_quotes_article_id_articles",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_quotes_article_id", "quotes", ["article_id"])
    op.create_index("ix_quotes_canonical_speaker", "quotes", ["canonical_speaker"])
    op.create_table(
        "embeddings",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("item_index", sa.Integer, nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("dim", sa.Integer, nullable=False),
        sa.Column("vector", sa.LargeBinary, nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_embeddings"),
        sa.UniqueConstraint(
            "article_id",
            "kind",
            "item_index",
            "model",
            name="uq_embeddings_article_id_kind_item_index_model",
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_embeddings_article_id_articles",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_embeddings_article_id", "embeddings", ["article_id"])


def downgrade() -> None:
    op.drop_table("embeddings")
    op.drop_table("quotes")
