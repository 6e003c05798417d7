"""Every record the store takes or returns, in one place: plain frozen data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Literal

import numpy as np

from summaries.types import ArticleRef, Citation, Quote


@dataclass(frozen=True)
class NewArticle:
    """An article to save. `feed_url` and `entry_id` (used only together) name its feed item."""

    text: str
    url: str | None = None
    title: str | None = None
    byline: str | None = None
    published: datetime | None = None  # timezone-aware
    site: str | None = None
    image: str | None = None  # the lead image's URL
    language: str | None = None  # ISO 639-1 code; None: unknown (read as English)
    feed_url: str | None = None
    entry_id: str | None = None
    summary: str | None = None
    summary_method: str | None = None
    quotes: tuple[Quote, ...] = ()
    quote_vectors: np.ndarray | None = None  # one row per quote, from `embedding_model`
    embedding_model: str | None = None
    sentence_spans: tuple[tuple[int, int], ...] = ()  # character offsets into `text`
    sentence_vectors: np.ndarray | None = None  # one row per sentence, from `embedding_model`
    tenant: Tenant | None = None  # whose library it reached (None: the operator's alone)


@dataclass(frozen=True)
class StoredQuote:
    """A quote as stored: what extraction found, and the article it is cited from."""

    id: int
    quote: Quote
    article: ArticleRef

    def cite(
        self, text: str | None = None, *, context: str | None = None, score: float | None = None
    ) -> Citation:
        """This quote to show; `text` replaces its words with an exact excerpt of them."""
        q = self.quote
        return Citation(
            text=q.text if text is None else text,
            article=self.article,
            speaker=q.speaker,
            speaker_title=q.speaker_title,
            cue=q.cue,
            context=context,
            quote_id=self.id,
            score=score,
        )


@dataclass(frozen=True)
class StoredSentence:
    """A stored sentence of an article: its place in the text, and the article to cite."""

    id: int
    article: ArticleRef
    position: int
    start: int
    end: int
    text: str

    def cite(self) -> Citation:
        """This sentence to show: the article's own words, nobody's quote."""
        return Citation(text=self.text, article=self.article)


@dataclass(frozen=True)
class SentenceItem:
    """A stored sentence to embed: its article, its position there, and its words."""

    article_id: int
    position: int
    text: str


@dataclass(frozen=True)
class StoredArticle:
    """An article as stored. `content_hash` is None for texts too short to dedupe on."""

    id: int
    url: str | None
    canonical_url: str | None
    content_hash: str | None
    title: str | None
    byline: str | None
    published: datetime | None
    site: str | None
    text: str
    summary: str | None
    summary_method: str | None
    feed_id: int | None
    created_at: datetime
    image: str | None = None  # the lead image's URL
    language: str | None = None  # ISO 639-1 code; None: unknown (read as English)

    @property
    def when(self) -> datetime:
        """Its date: published, else when it was stored."""
        return self.published or self.created_at

    @property
    def ref(self) -> ArticleRef:
        """This article, to cite."""
        return ArticleRef(
            self.id, self.title, self.url, self.site, self.when, dated=self.published is not None
        )


@dataclass(frozen=True)
class StoredFeed:
    """A subscribed feed and what its last fetch left behind (validators, time, error)."""

    id: int
    url: str
    title: str | None
    etag: str | None
    last_modified: str | None
    last_checked: datetime | None
    last_success: datetime | None
    last_error: str | None
    created_at: datetime


@dataclass(frozen=True)
class SaveResult:
    """The outcome of a save: the stored article, and why nothing new was stored if so."""

    article: StoredArticle
    created: bool
    duplicate_reason: str | None  # "same feed entry", "same URL" or "same text"


Mode = Literal["keep", "mute"]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


# The workspace of a channel outside any workspace (Discord's direct messages): each such
# channel is a tenant of its own, not one tenant for every direct message on the platform.
NO_WORKSPACE = "dm"


@dataclass(frozen=True)
class Tenant:
    """Whose library an article is in: a Slack workspace or Discord guild, on its platform."""

    platform: str
    workspace: str


@dataclass(frozen=True)
class Channel:
    """Where a subscription lives."""

    platform: str
    workspace: str
    channel: str

    @property
    def tenant(self) -> Tenant:
        """The tenant the channel belongs to: its workspace, or itself outside any."""
        if self.workspace == NO_WORKSPACE:
            return Tenant(self.platform, f"{NO_WORKSPACE}:{self.channel}")
        return Tenant(self.platform, self.workspace)


@dataclass(frozen=True)
class ChannelFilter:
    """A channel's word filter: stories must match a "keep" one, and no "mute" one."""

    pattern: str  # a keyword, or a /regex/
    mode: Mode


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


def format_weekdays(days: Sequence[str]) -> str:
    """('mon', ..., 'fri') -> "Monday to Friday", for people."""
    if tuple(days) == WEEKDAYS:
        return "every day"
    if tuple(days) == WEEKDAYS[:5]:
        return "Monday to Friday"
    return ", ".join(d.capitalize() for d in days)


@dataclass(frozen=True)
class DigestArticle:
    """An article of a digest's window, with the feeds that carried it."""

    id: int
    title: str | None
    url: str | None
    site: str | None
    sources: tuple[str, ...]  # names of the channel's feeds that carried it
    published: datetime | None
    first_seen: datetime  # when one of the channel's feeds first listed it
    summary: str | None
    image: str | None = None
    language: str | None = None

    @property
    def when(self) -> datetime:
        return self.published or self.first_seen


DigestStatus = Literal["pending", "posting", "posted", "skipped", "failed"]


@dataclass(frozen=True)
class DigestPolicy:
    """When digests run and how failures are retried (the scheduler's and the ledger's rules)."""

    misfire_grace: timedelta = timedelta(hours=1)  # a late start still posts within this
    stale_after: timedelta = timedelta(minutes=10)  # a "posting" row this old died mid-post
    retry_delays: tuple[int, ...] = (60, 300, 900, 1800, 3600)  # seconds after each failure
    retry_for: timedelta = timedelta(hours=6)  # give up (the next digest takes its stories)
    first_window: timedelta = timedelta(days=1)  # a channel's first digest looks this far back
    max_window: timedelta = timedelta(days=7)

    @property
    def max_attempts(self) -> int:
        """How often a digest is tried at most: once, then once after each retry delay."""
        return len(self.retry_delays) + 1


@dataclass(frozen=True)
class DigestRun:
    """A row of the digest ledger."""

    channel: Channel
    local_date: str
    status: DigestStatus
    attempts: int
    window_start: datetime
    window_end: datetime
    stories: int | None
    posted_at: datetime | None
    error: str | None
    updated_at: datetime


@dataclass(frozen=True)
class FeedPoll:
    """A polled feed's state: when it is next due, and how its recent polls went."""

    feed_id: int
    interval_s: int  # current polling interval
    next_poll_at: datetime
    last_polled_at: datetime | None
    failures: int  # in a row
    failing_since: datetime | None  # first failure of the current run of failures
    notified_at: datetime | None  # channels were told the feed is failing
    # When the first poll finished: entries seen before are the back catalogue, not news.
    baseline_at: datetime | None
