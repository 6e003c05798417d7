"""Articles' lead image (a URL, never fetched) and language (ISO 639-1).

Both are nullable: articles stored before this version keep no image, and no language, which
the code reads as English, as it read them when they were stored.

Revision ID: 0009_article_image_language
Revises: 0008_article_tenants
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_article_image_language"
down_revision: str | None = "0008_article_tenants"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("image", sa.Text))
        batch.add_column(sa.Column("language", sa.String(16)))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("language")
        batch.drop_column("image")
