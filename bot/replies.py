"""What a command returns, before any platform renders it: plain data, no markup.

Every string here is raw text from people or feeds (titles, quotes, summaries): renderers must
escape it for their platform. Only `Reply.text` and `Reply.lines` are newsbrief's own words, and
they too are escaped, since they often repeat what a user typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal
from urllib.parse import urlsplit

from summaries.answers.digest import HANDFUL, Digest, DigestStory, sections
from summaries.ingest.pipeline import first_words
from summaries.types import Citation
from summaries.understand import language as languages
from summaries.understand.text import split_sentences

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
    image: str | None = None  # the lead image's URL: a thumbnail where the platform has one
    note: str | None = None  # e.g. "French — summary is the article's opening"


@dataclass(frozen=True)
class StorySection:
    """Stories under a short heading, shown compact: headline, source, time, a line of summary."""

    heading: str
    stories: tuple[StoryItem, ...]


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
    sections: tuple[StorySection, ...] = ()  # shown after `stories`, before `quotes`
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
    stories = tuple(_digest_story(s) for s in digest.stories)
    n = len(stories)
    grouped: tuple[StorySection, ...] = ()
    if n > HANDFUL:  # the lead story in full, the rest compact under topic headings
        rest = digest.stories[1:]
        found = sections([s.title for s in rest])
        grouped = tuple(
            StorySection(x.heading, tuple(stories[1 + i] for i in x.stories)) for x in found
        )
        stories = stories[:1]
    more = digest.articles - sum(len(s.article_ids) for s in digest.stories)
    said = ", then who said what" if digest.said else ""
    footer = None
    if digest.more > 0:
        footer = (
            f"{counted(digest.more, 'more story', 'more stories')} — `/brief today` to see them."
        )
    elif more > 0:
        footer = f"{counted(more, 'more article')} in this period."
    return Reply(
        text=f"Your briefing{on}: {counted(n, 'story', 'stories')}{said}.",
        kind="digest",
        stories=stories,
        sections=grouped,
        quotes=tuple(q.cite() for q in digest.said),
        footer=footer,
    )


def language_note(language: str | None) -> str | None:
    """What a story says about its language when newsbrief can't read it, else None."""
    return None if languages.reads(language) else languages.opening_note(language or "")


def _digest_story(s: DigestStory) -> StoryItem:
    return StoryItem(
        title=s.title,
        url=s.url,
        source=s.sources[0] if s.sources else source_of(None, s.url),
        published=s.published,
        summary=s.summary,
        quote=s.quote.cite() if s.quote else None,
        other_sources=s.sources[1:],
        image=s.image,
        note=language_note(s.language),
    )


PASTED = "pasted text"  # where a story or quote with neither site nor link came from


def source_of(site: str | None, url: str | None) -> str:
    """Where a story or quote came from, to cite it: its site's name, else its link's host
    ("gazette.example"), else PASTED (text given without a link)."""
    if site and site.strip():
        return site.strip()
    try:
        host = urlsplit(url or "").hostname or ""
    except ValueError:
        host = ""
    return host.removeprefix("www.") or PASTED


def first_sentence(text: str) -> str:
    """The first sentence of a summary, for a compact story (all of it if it is one)."""
    found = split_sentences(text)
    return found[0] if found else text


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
