"""Subscriptions: the rules of a channel's settings (filter patterns and matching, weekdays and
times), and `Subscriptions`, which checks settings before the store keeps them.

A channel is named by (platform, workspace, channel), all opaque strings to the core.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import re2

from summaries.store import (
    WEEKDAYS,
    Channel,
    ChannelFilter,
    Mode,
    Schedule,
    Store,
    StoredArticle,
    StoredFeed,
    Tenant,
)
from summaries.types import NewsbriefError

MAX_FEEDS = 20  # feeds one channel may follow (each costs polls and page fetches)
MAX_FILTERS = 50
MAX_PATTERN = 200
# Memory RE2 may use for one filter's automaton: a pattern that needs more is refused as too
# complex (RE2's own default is 8 MB).
REGEX_MEMORY = 1 << 20


class SubscriptionError(NewsbriefError):
    """A channel setting that can't be used; the message says why."""


def is_regex(pattern: str) -> bool:
    return len(pattern) >= 3 and pattern.startswith("/") and pattern.endswith("/")


@functools.lru_cache(maxsize=1024)
def compile_regex(body: str) -> Any:
    """A filter's /regex/ body compiled by RE2, case-insensitive, or SubscriptionError.

    RE2 matches in time linear in the text whatever the pattern, so a filter can't stall the
    bot; its syntax has no lookaround or backreferences.
    """
    options = re2.Options()
    options.case_sensitive = False
    options.max_mem = REGEX_MEMORY
    options.log_errors = False
    try:
        body.encode("utf-8")
        return re2.compile(body, options)
    except UnicodeEncodeError:
        raise SubscriptionError("that regex holds a broken character") from None
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        reason = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        raise SubscriptionError(
            f"that regex can't be used ({reason}); filters take RE2 syntax: "
            "no lookaround, no backreferences"
        ) from None


def matches(rule: ChannelFilter, text: str) -> bool:
    """Whether a filter's keyword (a whole word) or /regex/ is in `text`, ignoring case."""
    if is_regex(rule.pattern):
        return compile_regex(rule.pattern[1:-1]).search(text) is not None
    return re.search(rf"\b{re.escape(rule.pattern)}\b", text, re.IGNORECASE) is not None


def usable(rule: ChannelFilter) -> bool:
    """Whether a stored filter can run: a /regex/ saved before RE2 checked filters may not."""
    if not is_regex(rule.pattern):
        return True
    try:
        compile_regex(rule.pattern[1:-1])
    except SubscriptionError:
        return False
    return True


def check_pattern(pattern: str) -> str:
    """A filter pattern, validated: a keyword or a /regex/ (RE2) that compiles and is short."""
    pattern = pattern.strip()
    if not pattern:
        raise SubscriptionError("a filter needs a keyword or a /regex/")
    if len(pattern) > MAX_PATTERN:
        raise SubscriptionError(f"a filter is at most {MAX_PATTERN} characters")
    if is_regex(pattern):
        compile_regex(pattern[1:-1])
    return pattern


def passes(filters: Sequence[ChannelFilter], text: str) -> bool:
    """Whether a story's text gets through: no mute filter matches, and a keep filter does
    (when the channel has any). A stored filter that can't run is left out, as if unset."""
    filters = [f for f in filters if usable(f)]
    if any(f.mode == "mute" and matches(f, text) for f in filters):
        return False
    keeps = [f for f in filters if f.mode == "keep"]
    return not keeps or any(matches(f, text) for f in keeps)


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


@functools.cache
def _zone_names() -> dict[str, str]:
    """Every IANA time zone name this system knows, by its lower-case spelling."""
    return {name.lower(): name for name in available_timezones()}


def is_timezone(word: str) -> bool:
    """Whether `word` names a time zone: an Area/Location name (any case), or one of the
    database's names without a slash (UTC, GMT, CET, EST5EDT, Japan...)."""
    return "/" in word or word.lower() in _zone_names()


def check_timezone(name: str) -> str:
    """The IANA time zone `name` names, spelled as the database spells it ('europe/paris' and
    'utc' are Europe/Paris and UTC: ZoneInfo reads names case-sensitively from files);
    SubscriptionError for a name that is none."""
    known = _zone_names().get(name.lower())
    if known is not None:
        return known
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SubscriptionError(
            f"unknown timezone {name!r}: use an IANA name like Europe/Paris or UTC"
        ) from None
    return name


class Subscriptions:
    """Channel settings, checked, in the store's database."""

    def __init__(self, store: Store, *, max_feeds: int = MAX_FEEDS) -> None:
        self.store = store
        self.max_feeds = max_feeds

    # -- feeds ------------------------------------------------------------------------------------
    def follow(
        self, where: Channel, feed_url: str, *, title: str | None = None, user: str | None = None
    ) -> tuple[StoredFeed, bool]:
        """Make the channel follow a feed; returns the feed and whether it is newly followed.

        Raises SubscriptionError when the channel already follows `max_feeds` others."""
        self.check_room(where, feed_url)
        return self.store.follow_feed(where, feed_url, title=title, user=user)

    def check_room(self, where: Channel, feed_url: str | None = None) -> None:
        """Raise SubscriptionError if the channel can follow no more feeds (`feed_url`, when
        it already follows it, needs no room)."""
        followed = [f.url for f in self.feeds(where)]
        if len(followed) >= self.max_feeds and feed_url not in followed:
            raise SubscriptionError(
                f"this channel follows {len(followed)} feed{'' if len(followed) == 1 else 's'}, "
                "the most it may "
                f"(limit {self.max_feeds}): unfollow one first (`/brief sources` lists them)"
            )

    def unfollow(self, where: Channel, feed_url: str) -> bool:
        """Stop following; False when the channel did not follow that feed."""
        return self.store.unfollow_feed(where, feed_url)

    def feeds(self, where: Channel) -> list[StoredFeed]:
        """The feeds a channel follows, in the order it followed them."""
        return self.store.followed_feeds(where)

    def followers(self, feed_url: str) -> list[Channel]:
        """Every channel that follows a feed (for polling and digests)."""
        return self.store.followers(feed_url)

    def articles(
        self,
        where: Channel,
        *,
        limit: int = 10,
        since: datetime | None = None,
        tenant: Tenant | None = None,
    ) -> list[StoredArticle]:
        """The newest articles from the channel's feeds; with `tenant`, those that reached it."""
        return self.store.channel_articles(where, limit=limit, since=since, tenant=tenant)

    # -- filters ----------------------------------------------------------------------------------
    def add_filter(self, where: Channel, pattern: str, mode: Mode) -> bool:
        """Add a keep/mute filter; False if the channel already has it."""
        pattern = check_pattern(pattern)
        current = self.filters(where)
        if ChannelFilter(pattern, mode) in current:
            return False
        if len(current) >= MAX_FILTERS:
            raise SubscriptionError(f"a channel can have at most {MAX_FILTERS} filters")
        self.store.add_channel_filter(where, pattern, mode)
        return True

    def remove_filter(self, where: Channel, pattern: str) -> bool:
        """Remove a filter (keep or mute) by its pattern; False if there was none."""
        return self.store.remove_channel_filter(where, pattern.strip())

    def filters(self, where: Channel) -> list[ChannelFilter]:
        return self.store.channel_filters(where)

    # -- schedules --------------------------------------------------------------------------------
    def set_schedule(self, schedule: Schedule) -> None:
        check_timezone(schedule.timezone)
        self.store.set_schedule(schedule)

    def clear_schedule(self, where: Channel) -> bool:
        return self.store.clear_schedule(where)

    def schedule(self, where: Channel) -> Schedule | None:
        return self.store.schedule(where)

    def schedules(self, platform: str | None = None) -> list[Schedule]:
        return self.store.schedules(platform)
