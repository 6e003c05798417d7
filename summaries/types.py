"""Domain types shared by the news core: frozen dataclasses, datetimes always timezone-aware UTC."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


class NewsbriefError(Exception):
    """Base of every error the news core raises on bad input; the message is fit to show a user."""


class FetchError(NewsbriefError):
    """A URL could not be fetched: network failure, HTTP error, too large, not allowed."""

    def __init__(
        self,
        url: str,
        reason: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"could not fetch {url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status  # the HTTP status, when the server answered with an error
        self.retry_after = retry_after  # seconds to wait, from Retry-After (429/503)


class BlockedURLError(FetchError):
    """The URL (or a redirect) points at an address the SSRF guard refuses."""


class FeedError(NewsbriefError):
    """A document is not a usable feed; the message names the problem."""


class ExtractError(NewsbriefError):
    """No article text could be extracted from a page."""


@dataclass(frozen=True)
class FetchResult:
    """What a GET returned. `status` is 200 or 304 (not modified: `content` is empty)."""

    url: str  # final URL, after redirects
    status: int
    content: bytes = b""
    content_type: str = ""
    encoding: str | None = None  # charset from the Content-Type header, if any
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def text(self) -> str:
        """The body decoded with the declared charset, else UTF-8 (undecodable bytes replaced)."""
        try:
            return self.content.decode(self.encoding or "utf-8", errors="replace")
        except (LookupError, UnicodeError):  # an unknown charset, or one that can't replace
            return self.content.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed."""

    id: str  # the entry's guid/id, or its link when it has none
    link: str | None
    title: str | None
    author: str | None
    published: datetime | None  # timezone-aware UTC
    summary: str | None  # plain text
    content_html: str | None = None  # full content when the feed carries it


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed. `warning` names what was sloppy in a feed that was still readable."""

    title: str | None
    link: str | None
    entries: tuple[FeedEntry, ...]
    warning: str | None = None


@dataclass(frozen=True)
class ExtractedArticle:
    """An article's main text and metadata, from an HTML page or plain text."""

    title: str | None
    byline: str | None
    published: datetime | None  # timezone-aware UTC
    site: str | None
    url: str | None
    paragraphs: tuple[str, ...] = field(default_factory=tuple)
    image: str | None = None  # the lead image's URL (http(s), public host), never fetched
    language: str | None = None  # ISO 639-1 code ("en", "fr"); None when it can't be told

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Summary:
    """A summary of one article and how it was made."""

    text: str
    sentences: tuple[str, ...]
    method: str  # e.g. "extractive:all-MiniLM-L6-v2", "seq2seq:<model>", "lead"


@dataclass(frozen=True)
class Quote:
    """One quotation in an article and who said it.

    `spans` are character offsets of the quoted words (marks excluded) in the text that was
    given, or in the title when `in_title` is true; a quote interrupted by its attribution
    (`"A," he said, "B."`) or running over paragraphs has several spans. `text` is the quoted
    words as written, pieces joined by a space.
    """

    text: str
    spans: tuple[tuple[int, int], ...]
    speaker: str | None  # canonical person: "Antony Blinken"; None when nobody is named
    speaker_title: str | None = None  # role the article gives: "U.S. Secretary of State"
    speaker_mention: str | None = None  # as written here: "he", "Secretary Blinken"
    cue: str | None = None  # "said", "told reporters", "according to"
    context: str = ""  # the sentence (or paragraph) around the quote
    indirect: bool = False  # reported speech found inside a quote, not a direct quote
    in_title: bool = False  # the quote is a headline's claim ("...: Blinken")


@dataclass(frozen=True)
class ArticleRef:
    """Which stored article a passage comes from, with what it takes to cite it."""

    id: int
    title: str | None
    url: str | None
    site: str | None
    published: datetime  # the article's publication date, else when it was stored
    dated: bool = True  # False: the article gives no date, `published` is when it was stored

    @property
    def date(self) -> datetime | None:
        """The publication date to show: None for an article that gives none."""
        return self.published if self.dated else None


@dataclass(frozen=True)
class Citation:
    """Words to show and where they are from: a quote (with who said it) or an article's own
    sentence or summary.

    `text` is always the source's exact words, or an exact excerpt of them with "…" at the
    cuts. `context` is the article's sentence around a quote, given when the words asked about
    are the reporter's there rather than the speaker's, so the reader sees whose words are whose.
    """

    text: str
    article: ArticleRef
    speaker: str | None = None  # canonical: "Antony Blinken"; None for the article's own words
    speaker_title: str | None = None
    cue: str | None = None  # "said", "told reporters"
    context: str | None = None
    quote_id: int | None = None  # the stored quote cited, when it is one
    score: float | None = None  # how fully the words asked about are said here, when asked

    @property
    def passage(self) -> bool:
        """Whether these are the article's own words (a sentence, its summary), nobody's quote:
        shown as from the article, never as an unattributed quote."""
        return self.speaker is None and self.quote_id is None
