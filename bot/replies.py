"""What a command returns, before any platform renders it: plain data, no markup.

Every string here is raw text from people or feeds (titles, quotes, summaries): renderers must
escape it for their platform. Only `Reply.text` and `Reply.lines` are newsbrief's own words, and
they too are escaped, since they often repeat what a user typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from summaries.answers.answer import Citation
from summaries.answers.digest import Digest
from summaries.store.records import StoredQuote

Kind = Literal["info", "error", "help", "stories", "quotes", "sources", "digest"]


@dataclass(frozen=True)
class QuoteItem:
    """A quote to show, with everything needed to cite it."""

    text: str  # the exact words (or an exact excerpt with "…" at the cuts)
    speaker: str | None
    speaker_title: str | None
    cue: str | None
    article_title: str | None
    article_url: str | None
    published: datetime | None
    source: str | None = None  # site name
    # The article's sentence around the quote, shown when the words asked about are in it
    # rather than in the quote itself (so the reader sees whose words are whose).
    context: str | None = None


def quote_item(q: StoredQuote, text: str | None = None) -> QuoteItem:
    """A stored quote to show; `text` replaces its words with an exact excerpt of them."""
    return QuoteItem(
        text=q.text if text is None else text,
        speaker=q.speaker,
        speaker_title=q.speaker_title,
        cue=q.cue,
        article_title=q.article_title,
        article_url=q.article_url,
        published=q.published,
        source=q.site,
    )


def citation_item(c: Citation) -> QuoteItem:
    """A passage an answer cites (a quote, or an article's sentence), to show."""
    return QuoteItem(
        text=c.quote,
        speaker=c.speaker,
        speaker_title=c.speaker_title,
        cue=c.cue,
        article_title=c.title,
        article_url=c.url,
        published=c.published,
        source=c.source,
        context=c.context,
    )


@dataclass(frozen=True)
class StoryItem:
    """A story: headline link, source, time, summary and its key quote."""

    title: str
    url: str | None
    source: str | None
    published: datetime | None
    summary: str | None
    quote: QuoteItem | None = None
    other_sources: tuple[str, ...] = ()  # other feeds carrying the same story


@dataclass(frozen=True)
class Reply:
    """A platform-neutral answer.

    `text` is the lead line (always present: it is also the notification text and the
    fallback where rich content can't be shown). `lines` are extra plain lines (help entries,
    a list of feeds). `private` asks the platform to show it to the caller only where it can
    (Slack ephemeral, Discord ephemeral); errors about the caller's own input use it.
    """

    text: str
    kind: Kind = "info"
    stories: tuple[StoryItem, ...] = ()
    quotes: tuple[QuoteItem, ...] = ()
    lines: tuple[str, ...] = ()
    private: bool = False
    footer: str | None = None

    @classmethod
    def error(cls, text: str) -> Reply:
        return cls(text=text, kind="error", private=True)


def digest_reply(digest: Digest, day: str | None = None) -> Reply:
    """The digest as a neutral Reply (kind "digest"): stories, then who said what."""
    on = f" for {_day_name(day)}" if day else ""
    if digest.feeds == 0:
        return Reply(
            text=f"Your briefing{on}: this channel follows no feeds yet. "
            "Add one with `/brief follow <url>`.",
            kind="digest",
        )
    if digest.empty:
        return Reply(text=f"Your briefing{on}: no new stories today.", kind="digest")
    stories = tuple(
        StoryItem(
            title=s.title,
            url=s.url,
            source=s.sources[0] if s.sources else None,
            published=s.published,
            summary=s.summary,
            quote=quote_item(s.quote) if s.quote else None,
            other_sources=s.sources[1:],
        )
        for s in digest.stories
    )
    n = len(stories)
    more = digest.articles - sum(len(s.article_ids) for s in digest.stories)
    said = ", then who said what" if digest.said else ""
    return Reply(
        text=f"Your briefing{on}: {n} {'story' if n == 1 else 'stories'}{said}.",
        kind="digest",
        stories=stories,
        quotes=tuple(quote_item(q) for q in digest.said),
        footer=f"{more} more articles in this period." if more > 0 else None,
    )


def _day_name(day: str) -> str:
    try:
        return date.fromisoformat(day).strftime("%A %d %B %Y").replace(" 0", " ")
    except ValueError:
        return day
