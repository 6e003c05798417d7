"""Subscriptions: the feeds a channel follows, its word filters and its digest schedule.

A channel is named by (platform, workspace, channel), all opaque strings to the core; every
query is confined to one channel or one workspace, so no workspace sees another's settings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa

from summaries.store import (
    Store,
    StoredArticle,
    StoredFeed,
    articles,
    channel_feeds,
    channel_filters,
    channel_schedules,
    feeds,
)
from summaries.types import NewsbriefError

Mode = Literal["keep", "mute"]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_FILTERS = 50
MAX_PATTERN = 200


class SubscriptionError(NewsbriefError):
    """A channel setting that can't be used; the message says why."""


@dataclass(frozen=True)
class Channel:
    """Where a subscription lives."""

    platform: str
    workspace: str
    channel: str


@dataclass(frozen=True)
class ChannelFilter:
    pattern: str  # a keyword, or a /regex/
    mode: Mode

    def matches(self, text: str) -> bool:
        if is_regex(self.pattern):
            return re.search(self.pattern[1:-1], text, re.IGNORECASE) is not None
        return re.search(rf"\b{re.escape(self.pattern)}\b", text, re.IGNORECASE) is not None


@dataclass(frozen=True)
class Schedule:
    """A channel's daily digest: local time, IANA timezone, weekdays."""

    channel: Channel
    time: time
    timezone: str
    weekdays: tuple[str, ...]
    quiet: bool = False  # post nothing on a day with no news

    def describe(self) -> str:
        days = format_weekdays(self.weekdays)
        return f"{self.time.strftime('%H:%M')} {self.timezone}, {days}"


def is_regex(pattern: str) -> bool:
    return len(pattern) >= 3 and pattern.startswith("/") and pattern.endswith("/")


def check_pattern(pattern: str) -> str:
    """A filter pattern, validated: a keyword or a /regex/ that compiles and is short."""
    pattern = pattern.strip()
    if not pattern:
        raise SubscriptionError("a filter needs a keyword or a /regex/")
    if len(pattern) > MAX_PATTERN:
        raise SubscriptionError(f"a filter is at most {MAX_PATTERN} characters")
    if is_regex(pattern):
        try:
            re.compile(pattern[1:-1])
        except re.error as exc:
            raise SubscriptionError(f"that regex does not compile: {exc}") from None
    return pattern


def passes(filters: Sequence[ChannelFilter], text: str) -> bool:
    """Whether a story's text gets through: no mute filter matches, and a keep filter does
    (when the channel has any)."""
    if any(f.mode == "mute" and f.matches(text) for f in filters):
        return False
    keeps = [f for f in filters if f.mode == "keep"]
    return not keeps or any(f.matches(text) for f in keeps)


def parse_weekdays(spec: str) -> tuple[str, ...]:
    """'mon-fri', 'sat,sun', 'daily', 'weekdays', 'weekends' -> ('mon', ...)."""
    spec = spec.strip().lower()
    named = {
        "daily": "mon-sun",
        "everyday": "mon-sun",
        "weekdays": "mon-fri",
        "weekends": "sat,sun",
    }
    spec = named.get(spec, spec)
    days: list[str] = []
    for part in spec.split(","):
        part = part.strip()[:3] if "-" not in part else part.strip()
        if "-" in part:
            lo, hi = (p.strip()[:3] for p in part.split("-", 1))
            if lo not in WEEKDAYS or hi not in WEEKDAYS:
                raise SubscriptionError(f"unknown weekday range {part!r} (try mon-fri)")
            i, j = WEEKDAYS.index(lo), WEEKDAYS.index(hi)
            span = WEEKDAYS[i : j + 1] if i <= j else WEEKDAYS[i:] + WEEKDAYS[: j + 1]
            days.extend(span)
        elif part in WEEKDAYS:
            days.append(part)
        else:
            raise SubscriptionError(f"unknown weekday {part!r} (try mon-fri or sat,sun)")
    return tuple(d for d in WEEKDAYS if d in days)


def format_weekdays(days: Sequence[str]) -> str:
    if tuple(days) == WEEKDAYS:
        return "every day"
    if tuple(days) == WEEKDAYS[:5]:
        return "Monday to Friday"
    return ", ".join(d.capitalize() for d in days)


def parse_time(spec: str) -> time:
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", spec.strip().lower())
    if not match:
        raise SubscriptionError(f"{spec!r} is not a time: use HH:MM, e.g. 08:00")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if match.group(3):
        if not 1 <= hour <= 12:
            raise SubscriptionError(f"{spec!r} is not a time")
        hour = hour % 12 + (12 if match.group(3) == "pm" else 0)
    if hour > 23 or minute > 59:
        raise SubscriptionError(f"{spec!r} is not a time of day")
    return time(hour, minute)


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SubscriptionError(
            f"unknown timezone {name!r}: use an IANA name like Europe/Paris or UTC"
        ) from None
    return name


class Subscriptions:
    """Channel settings in the store's database."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- feeds ------------------------------------------------------------------------------------
    def follow(
        self, where: Channel, feed_url: str, *, title: str | None = None, user: str | None = None
    ) -> tuple[StoredFeed, bool]:
        """Make the channel follow a feed; returns the feed and whether it is newly followed."""
        feed = self.store.upsert_feed(feed_url, title)
        with self.store.writing() as conn:
            exists = conn.execute(
                sa.select(channel_feeds.c.id).where(
                    _in(channel_feeds, where), channel_feeds.c.feed_id == feed.id
                )
            ).first()
            if exists is None:
                conn.execute(
                    channel_feeds.insert().values(
                        platform=where.platform,
                        workspace=where.workspace,
                        channel=where.channel,
                        feed_id=feed.id,
                        created_by=user,
                        created_at=datetime.now(UTC),
                    )
                )
        return feed, exists is None

    def unfollow(self, where: Channel, feed_url: str) -> bool:
        """Stop following; False when the channel did not follow that feed."""
        feed = self.store.get_feed(feed_url)
        if feed is None:
            return False
        with self.store.writing() as conn:
            result = conn.execute(
                channel_feeds.delete().where(
                    _in(channel_feeds, where), channel_feeds.c.feed_id == feed.id
                )
            )
        return bool(result.rowcount)

    def feeds(self, where: Channel) -> list[StoredFeed]:
        """The feeds a channel follows, in the order it followed them."""
        query = (
            sa.select(feeds.c.url)
            .join(channel_feeds, channel_feeds.c.feed_id == feeds.c.id)
            .where(_in(channel_feeds, where))
            .order_by(channel_feeds.c.id)
        )
        with self.store.reading() as conn:
            urls = [row.url for row in conn.execute(query)]
        found = [self.store.get_feed(url) for url in urls]
        return [f for f in found if f is not None]

    def followers(self, feed_url: str) -> list[Channel]:
        """Every channel that follows a feed (for polling and digests)."""
        query = (
            sa.select(channel_feeds.c.platform, channel_feeds.c.workspace, channel_feeds.c.channel)
            .join(feeds, feeds.c.id == channel_feeds.c.feed_id)
            .where(feeds.c.url == feed_url)
        )
        with self.store.reading() as conn:
            return [Channel(r.platform, r.workspace, r.channel) for r in conn.execute(query)]

    def all_followed_feed_urls(self) -> list[str]:
        query = (
            sa.select(feeds.c.url)
            .join(channel_feeds, channel_feeds.c.feed_id == feeds.c.id)
            .distinct()
            .order_by(feeds.c.url)
        )
        with self.store.reading() as conn:
            return [row.url for row in conn.execute(query)]

    def articles(
        self, where: Channel, *, limit: int = 10, since: datetime | None = None
    ) -> list[StoredArticle]:
        """The newest articles from the channel's feeds."""
        feed_ids = sa.select(channel_feeds.c.feed_id).where(_in(channel_feeds, where))
        when = sa.func.coalesce(articles.c.published, articles.c.created_at)
        query = (
            sa.select(articles.c.id)
            .where(articles.c.feed_id.in_(feed_ids))
            .order_by(when.desc(), articles.c.id.desc())
            .limit(limit)
        )
        if since is not None:
            query = query.where(when >= since)
        with self.store.reading() as conn:
            ids = [row.id for row in conn.execute(query)]
        found = [self.store.get_article(i) for i in ids]
        return [a for a in found if a is not None]

    # -- filters ----------------------------------------------------------------------------------
    def add_filter(self, where: Channel, pattern: str, mode: Mode) -> bool:
        """Add a keep/mute filter; False if the channel already has it."""
        pattern = check_pattern(pattern)
        current = self.filters(where)
        if ChannelFilter(pattern, mode) in current:
            return False
        if len(current) >= MAX_FILTERS:
            raise SubscriptionError(f"a channel can have at most {MAX_FILTERS} filters")
        with self.store.writing() as conn:
            conn.execute(
                channel_filters.insert().values(
                    platform=where.platform,
                    workspace=where.workspace,
                    channel=where.channel,
                    pattern=pattern,
                    mode=mode,
                    created_at=datetime.now(UTC),
                )
            )
        return True

    def remove_filter(self, where: Channel, pattern: str) -> bool:
        """Remove a filter (keep or mute) by its pattern; False if there was none."""
        with self.store.writing() as conn:
            result = conn.execute(
                channel_filters.delete().where(
                    _in(channel_filters, where), channel_filters.c.pattern == pattern.strip()
                )
            )
        return bool(result.rowcount)

    def filters(self, where: Channel) -> list[ChannelFilter]:
        query = (
            sa.select(channel_filters.c.pattern, channel_filters.c.mode)
            .where(_in(channel_filters, where))
            .order_by(channel_filters.c.id)
        )
        with self.store.reading() as conn:
            return [ChannelFilter(r.pattern, r.mode) for r in conn.execute(query)]

    # -- schedules --------------------------------------------------------------------------------
    def set_schedule(self, schedule: Schedule) -> None:
        check_timezone(schedule.timezone)
        where = schedule.channel
        values = {
            "time": schedule.time.strftime("%H:%M"),
            "timezone": schedule.timezone,
            "weekdays": ",".join(schedule.weekdays),
            "quiet": schedule.quiet,
            "updated_at": datetime.now(UTC),
        }
        with self.store.writing() as conn:
            updated = conn.execute(
                channel_schedules.update().where(_in(channel_schedules, where)).values(**values)
            )
            if not updated.rowcount:
                conn.execute(
                    channel_schedules.insert().values(
                        platform=where.platform,
                        workspace=where.workspace,
                        channel=where.channel,
                        **values,
                    )
                )

    def clear_schedule(self, where: Channel) -> bool:
        with self.store.writing() as conn:
            result = conn.execute(channel_schedules.delete().where(_in(channel_schedules, where)))
        return bool(result.rowcount)

    def schedule(self, where: Channel) -> Schedule | None:
        with self.store.reading() as conn:
            row = conn.execute(
                channel_schedules.select().where(_in(channel_schedules, where))
            ).first()
        return _schedule(row) if row else None

    def schedules(self, platform: str | None = None) -> list[Schedule]:
        query = channel_schedules.select().order_by(
            channel_schedules.c.platform, channel_schedules.c.workspace, channel_schedules.c.channel
        )
        if platform is not None:
            query = query.where(channel_schedules.c.platform == platform)
        with self.store.reading() as conn:
            return [_schedule(row) for row in conn.execute(query)]


def _in(table: sa.Table, where: Channel) -> sa.ColumnElement[bool]:
    return sa.and_(
        table.c.platform == where.platform,
        table.c.workspace == where.workspace,
        table.c.channel == where.channel,
    )


def _schedule(row: sa.Row[tuple[object, ...]]) -> Schedule:
    hour, minute = (int(x) for x in str(row.time).split(":"))
    return Schedule(
        channel=Channel(str(row.platform), str(row.workspace), str(row.channel)),
        time=time(hour, minute),
        timezone=str(row.timezone),
        weekdays=tuple(str(row.weekdays).split(",")),
        quiet=bool(row.quiet),
    )
