"""A library per tenant: which workspaces (Slack teams, Discord guilds) each article reached, and
reads confined to the articles of one.

An article reaches a tenant through a channel there that follows the feed it came from, a link
someone there asked about, or an ingest made for it; an article two tenants get is stored once,
with a row for each. Every read of the store takes `tenant`: a Tenant sees its own articles,
None sees them all (the operator: the command line, the console, or a shared library on
purpose). An article that reached no tenant is the operator's alone.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from summaries.store.engine import Database, insert_new
from summaries.store.records import Channel, Tenant
from summaries.store.schema import article_tenants, channel_feeds
from summaries.times import utcnow

# The article ids of one tenant, for the raw SQL of full-text search (as `reached_by`).
REACHED_SQL = (
    "SELECT article_id FROM article_tenants "
    "WHERE platform = :tenant_platform AND workspace = :tenant_workspace"
)


def reached_params(tenant: Tenant) -> dict[str, str]:
    """The parameters of `REACHED_SQL`."""
    return {"tenant_platform": tenant.platform, "tenant_workspace": tenant.workspace}


def reached_by(tenant: Tenant) -> sa.Select[tuple[int]]:
    """The ids of the articles that reached `tenant`."""
    return sa.select(article_tenants.c.article_id).where(
        article_tenants.c.platform == tenant.platform,
        article_tenants.c.workspace == tenant.workspace,
    )


def visible(article_id: sa.ColumnElement[int], tenant: Tenant | None) -> sa.ColumnElement[bool]:
    """Whether the article `article_id` names is in `tenant`'s library (None: every article)."""
    return sa.true() if tenant is None else article_id.in_(reached_by(tenant))


def feed_tenants(conn: Connection, feed_id: int) -> set[Tenant]:
    """The tenants with a channel that follows the feed."""
    rows = conn.execute(
        sa.select(channel_feeds.c.platform, channel_feeds.c.workspace, channel_feeds.c.channel)
        .where(channel_feeds.c.feed_id == feed_id)
        .distinct()
    )
    return {Channel(r.platform, r.workspace, r.channel).tenant for r in rows}


def reaching(conn: Connection, tenant: Tenant | None, feed_id: int | None) -> set[Tenant]:
    """The tenants an article reaches when it comes in for `tenant`, through feed `feed_id`."""
    found = {tenant} if tenant is not None else set()
    return (found | feed_tenants(conn, feed_id)) if feed_id is not None else found


def add_reach(conn: Connection, article_id: int, tenants: Iterable[Tenant]) -> None:
    """Record that an article reached these tenants (those it had reached already stay)."""
    rows = [  # in one order, so that two writers never wait on each other's rows crosswise
        {"platform": t.platform, "workspace": t.workspace, "article_id": article_id}
        for t in sorted(set(tenants), key=lambda t: (t.platform, t.workspace))
    ]
    if rows:
        now = utcnow()
        keys = ["platform", "workspace", "article_id"]
        conn.execute(
            insert_new(conn, article_tenants, keys), [{**r, "created_at": now} for r in rows]
        )


def tenants_of(conn: Connection, article_id: int) -> list[Tenant]:
    """The tenants an article reached, by platform and workspace."""
    query = (
        sa.select(article_tenants.c.platform, article_tenants.c.workspace)
        .where(article_tenants.c.article_id == article_id)
        .order_by(article_tenants.c.platform, article_tenants.c.workspace)
    )
    return [Tenant(r.platform, r.workspace) for r in conn.execute(query)]


class Tenants(Database):
    """Which tenants each article reached."""

    def article_tenants(self, article_id: int) -> list[Tenant]:
        """The tenants an article reached, by platform and workspace."""
        with self.reading() as conn:
            return tenants_of(conn, article_id)

    def in_library(self, article_id: int, tenant: Tenant | None) -> bool:
        """Whether `tenant` may read the article (None: the operator, who reads them all)."""
        if tenant is None:
            return True
        query = reached_by(tenant).where(article_tenants.c.article_id == article_id)
        with self.reading() as conn:
            return conn.execute(query).first() is not None

    def tenant_article_ids(self, tenant: Tenant) -> np.ndarray:
        """The ids of the articles that reached `tenant`, as an integer array."""
        with self.reading() as conn:
            ids = conn.execute(reached_by(tenant)).scalars().all()
        return np.fromiter(ids, dtype=np.int64, count=len(ids))
