"""Ingest: fetch -> parse -> extract -> dedupe -> summarise -> store, reporting what happened."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol

from summaries.ingest import extract, feeds
from summaries.ingest.fetch import Fetcher
from summaries.ingest.pacing import HostPacer
from summaries.store import NewArticle, Store, StoredArticle, Tenant
from summaries.types import (
    ExtractedArticle,
    FeedEntry,
    FeedError,
    FetchError,
    NewsbriefError,
    ParsedFeed,
    Quote,
)
from summaries.understand.embed import Embedder
from summaries.understand.summarize import Summarizer
from summaries.understand.text import normalize_whitespace, sentence_spans

log = logging.getLogger(__name__)

# Local files bigger than this are refused, like oversized downloads.
MAX_FILE_BYTES = 20_000_000
# Feed entries whose own text is at least this long are used when their page can't be fetched.
MIN_ENTRY_WORDS = 40
# Sentences kept per article for passage search: news says what matters first, and each one
# costs an embedding at ingest.
MAX_SENTENCES = 80
# Shorter sentences ("Read more.", datelines) say too little to answer a question.
MIN_SENTENCE_WORDS = 4
# Entries read from one fetch of a feed, newest first; older ones are not read, then or later.
MAX_FEED_ENTRIES = 50

Status = Literal["stored", "skipped", "failed"]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Outcome:
    """What happened to one article (or to a whole source that failed before any article)."""

    ref: str  # the URL, path or label of what was ingested
    status: Status
    article_id: int | None = None
    title: str | None = None
    url: str | None = None
    summary: str | None = None
    reason: str | None = None  # why it was skipped, or the error
    retry_after: float | None = None  # seconds the server asked us to wait (429/503)

    @classmethod
    def duplicate(cls, ref: str, article: StoredArticle, why: str) -> Outcome:
        """Skipped: the story is stored already, as `article`."""
        return cls(
            ref,
            "skipped",
            article_id=article.id,
            title=article.title,
            url=article.url,
            reason=why,
        )


@dataclass(frozen=True)
class IngestReport:
    """Everything one `ingest` call did, in order."""

    source: str
    outcomes: tuple[Outcome, ...]
    note: str | None = None  # e.g. "feed not modified since last fetch"

    def by_status(self, status: Status) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def stored(self) -> list[Outcome]:
        return self.by_status("stored")

    @property
    def skipped(self) -> list[Outcome]:
        return self.by_status("skipped")

    @property
    def failed(self) -> list[Outcome]:
        return self.by_status("failed")

    @property
    def failure(self) -> Outcome | None:
        """The failure that stopped the whole source (a feed, a page) before any article, or
        None: articles failing alone don't count."""
        if len(self.outcomes) == 1 and self.outcomes[0].ref == self.source:
            outcome = self.outcomes[0]
            if outcome.status == "failed":
                return outcome
        return None


def is_url(source: str) -> bool:
    head = source.strip()[:8].lower()
    return head.startswith(("http://", "https://")) and "\n" not in source.strip()


def _looks_like_path(source: str) -> bool:
    if "\n" in source or len(source) > 4096:
        return False
    return source.endswith((".html", ".htm", ".xml", ".rss", ".atom", ".json", ".txt")) or (
        "/" in source and " " not in source
    )


class QuoteFinder(Protocol):
    """Finds the quotes of an article (see summaries.understand.quotes.QuoteExtractor)."""

    def extract(self, text: str, title: str | None = None) -> list[Quote]: ...


class Pipeline:
    """Turns sources into stored, summarised articles.

    Network I/O is async; parsing, summarising and storing run in one worker thread so the event
    loop stays free and the model is never used by two threads at once.

    Every entry point takes `tenant`: the workspace whose library what it ingests reaches,
    stored already or not (None: the operator's; see summaries.store.tenants). A feed's
    entries also reach every tenant with a channel that follows the feed.
    """

    def __init__(
        self,
        store: Store,
        summarizer: Summarizer,
        fetcher: Fetcher,
        *,
        fetch_concurrency: int = 4,
        progress: Progress | None = None,
        quote_finder: QuoteFinder | None = None,
        embedder: Embedder | None = None,
        max_feed_entries: int = MAX_FEED_ENTRIES,
        pacer: HostPacer | None = None,
    ) -> None:
        self.store = store
        self.summarizer = summarizer
        self.fetcher = fetcher
        self.quote_finder = quote_finder
        self.embedder = embedder  # embeds quotes at ingest, for search by meaning
        self._fetch_slots = asyncio.Semaphore(fetch_concurrency)
        self.max_feed_entries = max_feed_entries
        self.pacer = pacer or HostPacer()  # entry pages per minute per host
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsbrief-ingest")
        self.progress = progress  # called with (done, total) as sources are worked through
        self._done = 0
        self._total = 0

    def close(self) -> None:
        self._worker.shutdown(wait=True)

    # -- progress -----------------------------------------------------------------------------
    def _add_work(self, n: int) -> None:
        self._total += n
        if self.progress:
            self.progress(self._done, self._total)

    def _finish_work(self, n: int = 1) -> None:
        self._done += n
        if self.progress:
            self.progress(self._done, self._total)

    async def _in_worker(self, fn: Callable[[], Outcome]) -> Outcome:
        return await asyncio.get_running_loop().run_in_executor(self._worker, fn)

    # -- entry points -------------------------------------------------------------------------
    async def ingest(self, source: str, *, tenant: Tenant | None = None) -> IngestReport:
        """Ingest a feed URL, an article URL, a local HTML/feed/text file, or text itself."""
        self._add_work(1)
        try:
            if is_url(source):
                return await self.ingest_url(source.strip(), tenant=tenant)
            if _looks_like_path(source):
                path = Path(source).expanduser()
                if not path.is_file():
                    return IngestReport(
                        source, (Outcome(source, "failed", reason=f"no such file: {source}"),)
                    )
                return await self.ingest_file(path, tenant=tenant)
            outcome = await self.ingest_text(source, tenant=tenant)
            return IngestReport("text", (outcome,))
        finally:
            self._finish_work()

    async def ingest_text(
        self,
        text: str,
        *,
        title: str | None = None,
        url: str | None = None,
        published: datetime | None = None,
        ref: str = "text",
        tenant: Tenant | None = None,
    ) -> Outcome:
        """Store one article given as plain text."""
        try:
            article = extract.from_text(text, title=title, url=url, published=published)
        except NewsbriefError as exc:
            return Outcome(ref, "failed", reason=str(exc))
        return await self._in_worker(lambda: self._store_article(article, ref=ref, tenant=tenant))

    async def ingest_file(self, path: Path, *, tenant: Tenant | None = None) -> IngestReport:
        ref = str(path)
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise NewsbriefError(f"file larger than {MAX_FILE_BYTES // 1_000_000} MB")
            data = path.read_bytes()
        except OSError as exc:
            return IngestReport(ref, (Outcome(ref, "failed", reason=f"cannot read file: {exc}"),))
        except NewsbriefError as exc:
            return IngestReport(ref, (Outcome(ref, "failed", reason=str(exc)),))
        if feeds.looks_like_feed(data):
            return await self._ingest_feed_document(ref, data, feed_url=None, tenant=tenant)
        if extract.looks_like_html(data):
            outcome = await self._extract_and_store(data, url=None, ref=ref, tenant=tenant)
            return IngestReport(ref, (outcome,))
        if b"\x00" in data[:4096]:
            return IngestReport(
                ref, (Outcome(ref, "failed", reason="not a text, HTML or feed file"),)
            )
        text = data.decode("utf-8", errors="replace")
        return IngestReport(ref, (await self.ingest_text(text, ref=ref, tenant=tenant),))

    async def ingest_url(self, url: str, *, tenant: Tenant | None = None) -> IngestReport:
        """Ingest a feed or an article at `url`. With a `tenant` (someone asked for it now) a
        known feed is read in full, so the entries it lists reach them even when unchanged."""
        known = self.store.get_feed(url)
        if known is None:
            found = self.store.find_duplicate(url=url)
            if found is not None:  # an article we have: don't fetch it again
                return IngestReport(url, (self._known(url, found, tenant),))
        validators = known if known and tenant is None else None
        try:
            result = await self.fetcher.get(
                url,
                etag=validators.etag if validators else None,
                last_modified=validators.last_modified if validators else None,
            )
        except NewsbriefError as exc:
            if known:
                self.store.record_feed_fetch(known.id, error=str(exc))
            wait = exc.retry_after if isinstance(exc, FetchError) else None
            return IngestReport(url, (Outcome(url, "failed", reason=str(exc), retry_after=wait),))
        if result.not_modified:
            if known:
                self.store.record_feed_fetch(
                    known.id, etag=result.etag, last_modified=result.last_modified
                )
            return IngestReport(url, (), note="feed not modified since the last fetch")
        if known or feeds.looks_like_feed(result.content, result.content_type):
            report = await self._ingest_feed_document(
                url,
                result.content,
                feed_url=url,
                final_url=result.url,
                charset=result.encoding,
                tenant=tenant,
            )
            feed = self.store.get_feed(url)
            if feed is not None:
                failed = report.failure
                self.store.record_feed_fetch(
                    feed.id,
                    etag=result.etag,
                    last_modified=result.last_modified,
                    error=failed.reason if failed else None,
                )
            return report
        outcome = await self._extract_and_store(
            result.content, url=result.url, ref=url, tenant=tenant
        )
        return IngestReport(url, (outcome,))

    async def ingest_article(self, url: str, *, tenant: Tenant | None = None) -> Outcome:
        """Store the one article at `url` (a feed is refused: it is followed, not summarised)."""
        found = self.store.find_duplicate(url=url)
        if found is not None:
            return self._known(url, found, tenant)
        try:
            result = await self.fetcher.get(url)
        except NewsbriefError as exc:
            return Outcome(url, "failed", reason=str(exc))
        if feeds.looks_like_feed(result.content, result.content_type):
            return Outcome(
                url, "failed", reason="that is a feed, not an article: follow it instead"
            )
        return await self._extract_and_store(result.content, url=result.url, ref=url, tenant=tenant)

    async def find_feed(self, url: str) -> tuple[str, ParsedFeed]:
        """The feed at `url`, or the first feed a web page at `url` links to.

        Raises NewsbriefError (a FeedError when neither is there) with the reason.
        """
        result = await self.fetcher.get(url)
        if feeds.looks_like_feed(result.content, result.content_type):
            return url, feeds.parse(result.content, url=result.url, charset=result.encoding)
        candidates = feeds.discover(result.text, base_url=result.url)
        if not candidates:
            raise FeedError("no feed there: the page links to no RSS, Atom or JSON feed")
        errors = []
        for candidate in candidates[:3]:
            try:
                found = await self.fetcher.get(candidate)
                return candidate, feeds.parse(found.content, url=found.url, charset=found.encoding)
            except NewsbriefError as exc:
                errors.append(str(exc))
        raise FeedError(f"the page's feed could not be read: {errors[0]}")

    # -- feeds --------------------------------------------------------------------------------
    async def _ingest_feed_document(
        self,
        ref: str,
        data: bytes,
        *,
        feed_url: str | None,
        final_url: str | None = None,
        charset: str | None = None,
        tenant: Tenant | None = None,
    ) -> IngestReport:
        try:
            parsed = feeds.parse(data, url=final_url or feed_url, charset=charset)
        except NewsbriefError as exc:
            return IngestReport(ref, (Outcome(ref, "failed", reason=str(exc)),))
        if feed_url is not None:
            self.store.upsert_feed(feed_url, parsed.title)
        parsed = feeds.newest(parsed, self.max_feed_entries)
        self._add_work(len(parsed.entries))

        async def one(entry: FeedEntry) -> Outcome:
            try:
                return await self._ingest_entry(entry, feed_url=feed_url, tenant=tenant)
            finally:
                self._finish_work()

        outcomes = await asyncio.gather(*(one(e) for e in parsed.entries))
        return IngestReport(ref, tuple(outcomes), note=parsed.warning)

    async def _ingest_entry(
        self, entry: FeedEntry, *, feed_url: str | None, tenant: Tenant | None
    ) -> Outcome:
        ref = entry.link or entry.id
        found = self.store.find_duplicate(url=entry.link, feed_url=feed_url, entry_id=entry.id)
        if found is not None:
            return self._known(ref, found, tenant, feed_url=feed_url, entry_id=entry.id)
        page_error: str | None = None
        article: ExtractedArticle | None = None
        if entry.link and is_url(entry.link):
            try:
                await self.pacer.wait(entry.link)
                async with self._fetch_slots:
                    result = await self.fetcher.get(entry.link)
                article = extract.extract_html(result.content, url=result.url)
            except NewsbriefError as exc:
                page_error = str(exc)
        if article is None:
            article = _article_from_entry(entry)
        if article is None:
            return Outcome(
                ref, "failed", title=entry.title, reason=page_error or "entry has no article text"
            )
        merged = ExtractedArticle(
            title=article.title or entry.title,
            byline=article.byline or entry.author,
            published=article.published or entry.published,
            site=article.site,
            url=entry.link or article.url,
            paragraphs=article.paragraphs,
        )
        return await self._in_worker(
            lambda: self._store_article(
                merged, ref=ref, feed_url=feed_url, entry_id=entry.id, tenant=tenant
            )
        )

    # -- articles -----------------------------------------------------------------------------
    async def _extract_and_store(
        self, html: bytes, *, url: str | None, ref: str, tenant: Tenant | None
    ) -> Outcome:
        try:
            article = extract.extract_html(html, url=url)
        except NewsbriefError as exc:
            return Outcome(ref, "failed", url=url, reason=str(exc))
        return await self._in_worker(lambda: self._store_article(article, ref=ref, tenant=tenant))

    def _known(
        self,
        ref: str,
        found: tuple[StoredArticle, str],
        tenant: Tenant | None,
        *,
        feed_url: str | None = None,
        entry_id: str | None = None,
    ) -> Outcome:
        """Skipped, stored already: it reaches `tenant`, and the feed's followers through its
        entry, all the same."""
        article, why = found
        self.store.reach_article(article.id, tenant=tenant, feed_url=feed_url, entry_id=entry_id)
        return Outcome.duplicate(ref, article, why)

    def _store_article(
        self,
        article: ExtractedArticle,
        *,
        ref: str,
        feed_url: str | None = None,
        entry_id: str | None = None,
        tenant: Tenant | None = None,
    ) -> Outcome:
        """Dedupe, summarise and save one article (runs in the worker thread)."""
        text = article.text
        found = self.store.find_duplicate(
            url=article.url, text=text, feed_url=feed_url, entry_id=entry_id
        )
        if found is not None:
            return self._known(ref, found, tenant, feed_url=feed_url, entry_id=entry_id)
        try:
            summary = self.summarizer.summarize(text, title=article.title)
        except NewsbriefError as exc:
            return Outcome(ref, "failed", title=article.title, reason=str(exc))
        said = self._quotes(text, article.title, ref)
        spans = passage_spans(text)
        vectors = sentence_vectors = None
        if self.embedder is not None and (said or spans):
            # One batch for quotes and sentences: fewer, fuller forward passes.
            # Sentences as the summariser split them, so the embedder's cache knows them.
            passages = [normalize_whitespace(text[a:b]) for a, b in spans]
            both = self.embedder.encode([q.text for q in said] + passages)
            vectors = both[: len(said)] if said else None
            sentence_vectors = both[len(said) :] if spans else None
        saved = self.store.save_article(
            NewArticle(
                text=text,
                url=article.url,
                title=article.title,
                byline=article.byline,
                published=article.published,
                site=article.site,
                feed_url=feed_url,
                entry_id=entry_id,
                summary=summary.text,
                summary_method=summary.method,
                quotes=tuple(said),
                quote_vectors=vectors,
                embedding_model=self.embedder.name if self.embedder else None,
                sentence_spans=tuple(spans),
                sentence_vectors=sentence_vectors,
                tenant=tenant,
            )
        )
        stored = saved.article
        if not saved.created:
            return Outcome.duplicate(ref, stored, saved.duplicate_reason or "already stored")
        return Outcome(
            ref,
            "stored",
            article_id=stored.id,
            title=stored.title,
            url=stored.url,
            summary=stored.summary,
        )

    def _quotes(self, text: str, title: str | None, ref: str) -> list[Quote]:
        """The article's quotes; an article whose quotes can't be read is still stored."""
        if self.quote_finder is None:
            return []
        try:
            return self.quote_finder.extract(text, title=title)
        except NewsbriefError as exc:
            log.warning("no quotes for %s: %s", ref, exc)
            return []


def passage_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of `text` worth searching, as character offsets, at most MAX_SENTENCES."""
    spans = [
        (a, b) for a, b in sentence_spans(text) if len(text[a:b].split()) >= MIN_SENTENCE_WORDS
    ]
    return spans[:MAX_SENTENCES]


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
