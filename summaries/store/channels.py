"""Channels' settings: the feeds each follows, its word filters, its digest schedule, and the
articles of its digest window.

A channel is named by (platform, workspace, channel), all opaque strings; every query is
confined to one channel or one workspace, so no workspace sees another's settings.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa

from summaries.store.articles import Articles, article_record, feed_record, newest_articles
from summaries.store.records import (
    Channel,
    ChannelFilter,
    DigestArticle,
    Mode,
    Schedule,
    StoredArticle,
    StoredFeed,
    Tenant,
)
from summaries.store.schema import (
    articles,
    channel_feeds,
    channel_filters,
    channel_schedules,
    channel_values,
    feed_entries,
    feed_polls,
    feeds,
    in_channel,
    row_channel,
)
from summaries.store.tenants import visible
from summaries.times import as_utc, utcnow


class Channels(Articles):
    """What each channel follows, filters and schedules."""

    # Feeds

    def follow_feed(
        self, where: Channel, feed_url: str, *, title: str | None = None, user: str | None = None
    ) -> tuple[StoredFeed, bool]:
        """Make the channel follow a feed; returns the feed and whether it is newly followed."""
        feed = self.upsert_feed(feed_url, title)
        with self.writing() as conn:
            exists = conn.execute(
                sa.select(channel_feeds.c.id).where(
                    in_channel(channel_feeds, where), channel_feeds.c.feed_id == feed.id
                )
            ).first()
            if exists is None:
                conn.execute(
                    channel_feeds.insert().values(
                        **channel_values(where),
                        feed_id=feed.id,
                        created_by=user[:128] if user else user,  # who, for the record
                        created_at=utcnow(),
                    )
                )
        return feed, exists is None

    def unfollow_feed(self, where: Channel, feed_url: str) -> bool:
        """Stop following; False when the channel did not follow that feed."""
        feed = self.get_feed(feed_url)
        if feed is None:
            return False
        with self.writing() as conn:
            result = conn.execute(
                channel_feeds.delete().where(
                    in_channel(channel_feeds, where), channel_feeds.c.feed_id == feed.id
                )
            )
        return bool(result.rowcount)

    def followed_feeds(self, where: Channel) -> list[StoredFeed]:
        """The feeds a channel follows, in the order it followed them."""
        query = (
            sa.select(feeds)
            .join(channel_feeds, channel_feeds.c.feed_id == feeds.c.id)
            .where(in_channel(channel_feeds, where))
            .order_by(channel_feeds.c.id)
        )
        with self.reading() as conn:
            return [feed_record(row) for row in conn.execute(query)]

    def followers(self, feed_url: str) -> list[Channel]:
        """Every channel that follows a feed."""
        query = (
            sa.select(channel_feeds.c.platform, channel_feeds.c.workspace, channel_feeds.c.channel)
            .join(feeds, feeds.c.id == channel_feeds.c.feed_id)
            .where(feeds.c.url == feed_url)
        )
        with self.reading() as conn:
            return [row_channel(r) for r in conn.execute(query)]

    def channel_workspaces(self, platform: str, channel: str) -> set[str]:
        """The workspaces in which a channel of this id follows a feed or has a schedule."""
        found: set[str] = set()
        with self.reading() as conn:
            for table in (channel_feeds, channel_schedules):
                query = sa.select(table.c.workspace).where(
                    table.c.platform == platform, table.c.channel == channel
                )
                found.update(str(row.workspace) for row in conn.execute(query))
        return found

    def channel_articles(
        self,
        where: Channel,
        *,
        limit: int = 10,
        since: datetime | None = None,
        tenant: Tenant | None = None,
    ) -> list[StoredArticle]:
        """The newest articles from the channel's feeds (the feed that brought each first, or
        any other that lists it too); with `tenant`, only those that reached it (a feed's back
        catalogue from before the tenant followed it does not)."""
        feed_ids = sa.select(channel_feeds.c.feed_id).where(in_channel(channel_feeds, where))
        listed = sa.select(feed_entries.c.article_id).where(feed_entries.c.feed_id.in_(feed_ids))
        query = newest_articles(limit, since).where(
            sa.or_(articles.c.feed_id.in_(feed_ids), articles.c.id.in_(listed)),
            visible(articles.c.id, tenant),
        )
        with self.reading() as conn:
            return [article_record(row) for row in conn.execute(query)]

    # Filters

    def add_channel_filter(self, where: Channel, pattern: str, mode: Mode) -> None:
        """Add a keep/mute filter (checked by the caller)."""
        with self.writing() as conn:
            conn.execute(
                channel_filters.insert().values(
                    **channel_values(where),
                    pattern=pattern,
                    mode=mode,
                    created_at=utcnow(),
                )
            )

    def remove_channel_filter(self, where: Channel, pattern: str) -> bool:
        """Remove a filter (keep or mute) by its pattern; False if there was none."""
        with self.writing() as conn:
            result = conn.execute(
                channel_filters.delete().where(
                    in_channel(channel_filters, where), channel_filters.c.pattern == pattern
                )
            )
        return bool(result.rowcount)

    def channel_filters(self, where: Channel) -> list[ChannelFilter]:
        """A channel's filters, in the order they were added."""
        query = (
            sa.select(channel_filters.c.pattern, channel_filters.c.mode)
            .where(in_channel(channel_filters, where))
            .order_by(channel_filters.c.id)
        )
        with self.reading() as conn:
            return [ChannelFilter(r.pattern, r.mode) for r in conn.execute(query)]

    # Schedules

    def set_schedule(self, schedule: Schedule) -> None:
        """Set a channel's daily digest, replacing the one it had."""
        where = schedule.channel
        values = {
            "time": schedule.time.strftime("%H:%M"),
            "timezone": schedule.timezone,
            "weekdays": ",".join(schedule.weekdays),
            "quiet": schedule.quiet,
            "updated_at": utcnow(),
        }
        with self.writing() as conn:
            updated = conn.execute(
                channel_schedules.update()
                .where(in_channel(channel_schedules, where))
                .values(**values)
            )
            if not updated.rowcount:
                conn.execute(channel_schedules.insert().values(**channel_values(where), **values))

    def clear_schedule(self, where: Channel) -> bool:
        """Turn a channel's daily digest off; False if it had none."""
        with self.writing() as conn:
            result = conn.execute(
                channel_schedules.delete().where(in_channel(channel_schedules, where))
            )
        return bool(result.rowcount)

    def schedule(self, where: Channel) -> Schedule | None:
        """A channel's daily digest, or None."""
        with self.reading() as conn:
            row = conn.execute(
                channel_schedules.select().where(in_channel(channel_schedules, where))
            ).first()
        return _schedule(row) if row else None

    def schedules(self, platform: str | None = None) -> list[Schedule]:
        """Every channel's daily digest (on one platform, if given), ordered by channel."""
        query = channel_schedules.select().order_by(
            channel_schedules.c.platform, channel_schedules.c.workspace, channel_schedules.c.channel
        )
        if platform is not None:
            query = query.where(channel_schedules.c.platform == platform)
        with self.reading() as conn:
            return [_schedule(row) for row in conn.execute(query)]

    # The digest's window

    def digest_articles(
        self, where: Channel, since: datetime, until: datetime, *, limit: int
    ) -> list[DigestArticle]:
        """Articles of the channel's feeds first seen in [since, until), oldest first; at most
        `limit`, the newest, when there are more.

        A feed's back catalogue is left out: an entry counts only if it was first seen after the
        channel followed the feed, and after the feed's first poll (its `baseline_at`) when the
        scheduler has polled it. Only articles that reached the channel's tenant count (new
        entries of its feeds always have).
        """
        seen = feed_entries.c.created_at
        query = (
            sa.select(
                articles.c.id,
                articles.c.title,
                articles.c.url,
                articles.c.site,
                articles.c.published,
                articles.c.summary,
                articles.c.image,
                articles.c.language,
                seen.label("first_seen"),
                feeds.c.title.label("feed_title"),
                feeds.c.url.label("feed_url"),
            )
            .select_from(feed_entries)
            .join(articles, articles.c.id == feed_entries.c.article_id)
            .join(feeds, feeds.c.id == feed_entries.c.feed_id)
            .join(channel_feeds, channel_feeds.c.feed_id == feed_entries.c.feed_id)
            .outerjoin(feed_polls, feed_polls.c.feed_id == feed_entries.c.feed_id)
            .where(
                in_channel(channel_feeds, where),
                visible(articles.c.id, where.tenant),
                seen >= since,
                seen < until,
                seen > channel_feeds.c.created_at,
                sa.or_(feed_polls.c.baseline_at.is_(None), seen > feed_polls.c.baseline_at),
            )
            .order_by(seen.desc(), articles.c.id.desc())
            .limit(limit * 3)  # an article may come through several feeds
        )
        with self.reading() as conn:
            rows = conn.execute(query).all()
        found: dict[int, dict[str, Any]] = {}
        for row in rows:
            source = row.feed_title or row.site or _host(row.feed_url)
            item = found.get(row.id)
            if item is None:
                if len(found) >= limit:
                    continue
                found[row.id] = item = {
                    "id": row.id,
                    "title": row.title,
                    "url": row.url,
                    "site": row.site,
                    "sources": [],
                    "published": row.published,
                    "first_seen": as_utc(row.first_seen),
                    "summary": row.summary,
                    "image": row.image,
                    "language": row.language,
                }
            else:
                item["first_seen"] = min(item["first_seen"], as_utc(row.first_seen))
            if source not in item["sources"]:
                item["sources"].append(source)
        result = [DigestArticle(**{**v, "sources": tuple(v["sources"])}) for v in found.values()]
        result.sort(key=lambda a: (a.first_seen, a.id))
        return result


def _schedule(row: Any) -> Schedule:
    hour, minute = (int(x) for x in str(row.time).split(":"))
    return Schedule(
        channel=row_channel(row),
        time=time(hour, minute),
        timezone=str(row.timezone),
        weekdays=tuple(str(row.weekdays).split(",")),
        quiet=bool(row.quiet),
    )


def _host(url: str | None) -> str:
    return (urlsplit(url).hostname or url or "?") if url else "?"
