"""What a command returns, before any platform renders it: plain data, no markup.

Every string here is raw text from people or feeds (titles, quotes, summaries): renderers must
escape it for their platform. Only `Reply.text` and `Reply.lines` are newsbrief's own words, and
they too are escaped, since they often repeat what a user typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from summaries.answers.digest import Digest
from summaries.ingest.pipeline import first_words
from summaries.types import Citation

Kind = Literal["info", "error", "help", "stories", "quotes", "sources", "digest"]


@dataclass(frozen=True)
class StoryItem:
    """A story: headline link, source, time, summary and its key quote."""

    title: str
    url: str | None
    source: str | None
    published: datetime | None
    summary: str | None
    quote: Citation | None = None  # the key quote
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
    quotes: tuple[Citation, ...] = ()  # quotes and passages, each cited
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
            quote=s.quote.cite() if s.quote else None,
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
        quotes=tuple(q.cite() for q in digest.said),
        footer=f"{counted(more, 'more article')} in this period." if more > 0 else None,
    )


def headline(title: str | None, text: str) -> str:
    """An article's title to show: its own, else its first words (never "(untitled)")."""
    return title or first_words(text) or "(untitled)"


def counted(n: int, noun: str, nouns: str | None = None) -> str:
    """`n` and the noun in the number it takes: "1 story", "2 stories", "0 feeds"."""
    return f"{n} {noun if n == 1 else (nouns or noun + 's')}"


def _day_name(day: str) -> str:
    try:
        return date.fromisoformat(day).strftime("%A %d %B %Y").replace(" 0", " ")
    except ValueError:
        return day
