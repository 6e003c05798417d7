"""The CPU-heavy steps of ingest as pure job functions: plain data in, plain data out.

Each job is `job(models, *args)`: a module-level function, so it can be pickled by name and run
in a worker process (summaries.ingest.workers) as well as in this one; its arguments and result
are frozen dataclasses, bytes, strings and arrays. Nothing here touches the store or the network.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol

import numpy as np

from summaries.ingest import extract, feeds
from summaries.times import believable
from summaries.types import (
    ExtractedArticle,
    ExtractError,
    FeedEntry,
    NewsbriefError,
    ParsedFeed,
    Quote,
    Summary,
)
from summaries.understand import language as languages
from summaries.understand.embed import Embedder
from summaries.understand.summarize import LeadSummarizer, Summarizer
from summaries.understand.text import normalize_whitespace, sentence_spans, whole_unicode

# Feed entries whose own text is at least this long are used when their page can't be read.
MIN_ENTRY_WORDS = 40
# Sentences kept per article for passage search: news says what matters first, and each one
# costs an embedding at ingest.
MAX_SENTENCES = 80
# They are looked for in the first characters only, so a huge text costs no more than a long one.
MAX_PASSAGE_CHARS = 100_000
# A quotation longer than this is no quote anyone said (a quote mark left open over a page) and
# is not kept: PostgreSQL can't index a quote's words past 1 MB, and refused the whole article.
MAX_QUOTE_CHARS = 20_000
# Shorter sentences ("Read more.", datelines) say too little to answer a question.
MIN_SENTENCE_WORDS = 4
# An article newsbrief can't read is summarised by its opening: this many sentences.
OPENING_SENTENCES = 3


class QuoteFinder(Protocol):
    """Finds the quotes of an article (see summaries.understand.quotes.QuoteExtractor)."""

    def extract(self, text: str, title: str | None = None) -> list[Quote]: ...


@dataclass(frozen=True)
class ArticleModels:
    """The models the jobs use, loaded once per process that runs them."""

    summarizer: Summarizer
    quote_finder: QuoteFinder | None = None  # English quotes (the articles `languages.reads`)
    embedder: Embedder | None = None  # embeds quotes and sentences, for search by meaning
    # Quote rules for other languages, by ISO 639-1 code. None ship yet: French could have
    # them with spaCy's fr_core_news_sm (« … », a déclaré). A language without one gets none.
    quote_finders: Mapping[str, QuoteFinder] = field(default_factory=dict)

    def quotes_in(self, language: str | None) -> QuoteFinder | None:
        """The quote finder for text in `language` (None: unknown, read as English), if any."""
        if languages.reads(language):
            return self.quote_finder
        return self.quote_finders.get(language or "")


@dataclass(frozen=True)
class Source:
    """One article to read: a page (`html`), or plain `text`, and what is known of it already.

    `entry` is the feed item it came from: its title, author, date and link complete the page's,
    and its own content stands in when the page is missing (`page_error` says why) or has no
    article.
    """

    html: bytes | str | None = None  # a str is decoded already
    charset: str | None = None  # the charset the server named for `html`'s bytes
    text: str | None = None
    url: str | None = None
    title: str | None = None
    published: datetime | None = None
    entry: FeedEntry | None = None
    page_error: str | None = None


@dataclass(frozen=True)
class Understanding:
    """What the models make of one article's text: all the store needs besides the article."""

    summary: Summary
    quotes: tuple[Quote, ...] = ()
    quote_vectors: np.ndarray | None = None  # one row per quote
    sentence_spans: tuple[tuple[int, int], ...] = ()  # the sentences kept for passage search
    sentence_vectors: np.ndarray | None = None  # one row per kept sentence
    embedding_model: str | None = None
    quote_problem: str | None = None  # why the quotes could not be read, if they could not


# -- jobs ---------------------------------------------------------------------------------------


def read_article(models: ArticleModels, source: Source) -> ExtractedArticle:
    """The article in `source`: main text and metadata. Raises NewsbriefError when there is none."""
    source = _whole(source)
    if source.entry is not None:
        article = _read_entry(source, source.entry)
    elif source.html is not None:
        article = extract.extract_html(source.html, url=source.url, charset=source.charset)
    else:
        article = extract.from_text(
            source.text or "", title=source.title, url=source.url, published=source.published
        )
    published = believable(article.published)
    return article if published == article.published else replace(article, published=published)


def understand(
    models: ArticleModels, text: str, title: str | None, language: str | None = None
) -> Understanding:
    """Summary, quotes, searchable sentences and their vectors of one article's text.

    Raises NewsbriefError when the text can't be summarised; an article whose quotes can't be
    read keeps its summary (`quote_problem` says why). An article in a language the models
    can't read (`languages.reads`) is summarised by its opening, gets quotes only from that
    language's own rules (`ArticleModels.quote_finders`), and no sentences for search: the
    English encoder would place them by their look, not their meaning.
    """
    if not languages.reads(language):
        return _understand_unread(models, text, title, language or "")
    summary = models.summarizer.summarize(text, title=title)
    said: list[Quote] = []
    problem = None
    finder = models.quotes_in(language)
    if finder is not None:
        try:
            said = _kept(finder.extract(text, title=title))
        except NewsbriefError as exc:
            problem = str(exc)
    spans = passage_spans(text)
    embedder = models.embedder
    if embedder is None or not (said or spans):
        return Understanding(
            summary, tuple(said), sentence_spans=tuple(spans), quote_problem=problem
        )
    # One batch for quotes and sentences: fewer, fuller forward passes. Sentences as the
    # summariser split them, so the embedder's cache knows them.
    passages = [normalize_whitespace(text[a:b]) for a, b in spans]
    both = embedder.encode([q.text for q in said] + passages)
    return Understanding(
        summary,
        tuple(said),
        quote_vectors=both[: len(said)] if said else None,
        sentence_spans=tuple(spans),
        sentence_vectors=both[len(said) :] if spans else None,
        embedding_model=embedder.name,
        quote_problem=problem,
    )


def summarize(
    models: ArticleModels, text: str, title: str | None, language: str | None = None
) -> Summary:
    """The summary of one article's text alone (nothing stored, no quotes); its opening when
    the models can't read its language."""
    if not languages.reads(language):
        return opening(text, title, language or "")
    return models.summarizer.summarize(text, title=title)


def opening(text: str, title: str | None, language: str) -> Summary:
    """The article's first sentences, as the summary of an article the models can't read;
    `method` is "opening:<language>"."""
    lead = LeadSummarizer(max_sentences=OPENING_SENTENCES).summarize(text, title=title)
    return replace(lead, method=f"opening:{language}")


def parse_feed(
    models: ArticleModels, data: bytes, url: str | None, charset: str | None = None
) -> ParsedFeed:
    """A feed document, parsed (see summaries.ingest.feeds.parse)."""
    return feeds.parse(data, url=url, charset=charset)


def discover_feeds(models: ArticleModels, html: str, base_url: str | None) -> list[str]:
    """The feeds a web page advertises (see summaries.ingest.feeds.discover)."""
    return feeds.discover(html, base_url=base_url)


def warm_up(models: ArticleModels) -> None:
    """Load every model now, on a short made-up article, rather than in a real article's time."""
    text = (
        '"We will open the bridge again in the spring," said Mayor Ann Reed on Tuesday.\n\n'
        "The council voted to repair the old stone bridge after engineers found cracks in it."
    )
    languages.detect(text, "Bridge to reopen")  # loads the language model
    with contextlib.suppress(NewsbriefError):
        understand(models, text, "Bridge to reopen")


# -- helpers ------------------------------------------------------------------------------------


def _understand_unread(
    models: ArticleModels, text: str, title: str | None, language: str
) -> Understanding:
    """`understand` for an article in a language the English models can't read."""
    summary = opening(text, title, language)
    finder = models.quotes_in(language)
    if finder is None:
        return Understanding(summary)
    try:
        said = _kept(finder.extract(text, title=title))
    except NewsbriefError as exc:
        return Understanding(summary, quote_problem=str(exc))
    # Quotes are kept unembedded: the English encoder can't place their meaning.
    return Understanding(summary, tuple(said))


def _kept(quotes: list[Quote]) -> list[Quote]:
    """The quotes stored: each of at most MAX_QUOTE_CHARS."""
    return [q for q in quotes if len(q.text) <= MAX_QUOTE_CHARS]


def _whole(source: Source) -> Source:
    """`source` with no lone surrogate in its text, title or decoded page (text pasted from a
    client that cut a UTF-16 pair, an argument Python could not decode): every character of
    an article must be storable and sendable."""
    html = source.html
    return replace(
        source,
        html=whole_unicode(html) if isinstance(html, str) else html,
        text=whole_unicode(source.text) if source.text is not None else None,
        title=whole_unicode(source.title) if source.title is not None else None,
    )


def passage_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of `text` worth searching, as character offsets, at most MAX_SENTENCES
    from its first MAX_PASSAGE_CHARS characters."""
    spans = []
    for a, b in sentence_spans(text[:MAX_PASSAGE_CHARS]):
        if len(text[a:b].split()) >= MIN_SENTENCE_WORDS:
            spans.append((a, b))
            if len(spans) == MAX_SENTENCES:
                break
    return spans


def _read_entry(source: Source, entry: FeedEntry) -> ExtractedArticle:
    """A feed item's article: its page, else its own content, with the item's metadata."""
    article: ExtractedArticle | None = None
    problem = source.page_error
    if source.html is not None:
        try:
            article = extract.extract_html(source.html, url=source.url, charset=source.charset)
        except NewsbriefError as exc:
            problem = str(exc)
    article = article or _article_from_entry(entry)
    if article is None:
        raise ExtractError(problem or "entry has no article text")
    return replace(
        article,
        title=article.title or entry.title,
        byline=article.byline or entry.author,
        published=believable(article.published) or believable(entry.published),
        url=entry.link or article.url,
    )


def _article_from_entry(entry: FeedEntry) -> ExtractedArticle | None:
    """The entry's own content, when it carries enough text to stand as the article."""
    candidates: list[ExtractedArticle] = []
    if entry.content_html:
        with contextlib.suppress(NewsbriefError):
            candidates.append(extract.extract_html(entry.content_html, url=entry.link))
    if entry.summary:
        with contextlib.suppress(NewsbriefError):
            candidates.append(extract.from_text(entry.summary, title=entry.title, url=entry.link))
    for article in candidates:
        if len(article.text.split()) >= MIN_ENTRY_WORDS:
            return article
    return None
