"""Ingest: fetch -> parse -> extract -> dedupe -> summarise -> store, reporting what happened."""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol, TypeVar

from summaries.ingest import extract, feeds, jobs
from summaries.ingest.binary import binary_kind
from summaries.ingest.fetch import Fetcher
from summaries.ingest.jobs import ArticleModels, QuoteFinder, Source
from summaries.ingest.pacing import HostPacer
from summaries.ingest.workers import Budget, DeadlineExceeded, Executor, InProcess, Overtime
from summaries.store import NewArticle, Store, StoredArticle, Tenant
from summaries.types import (
    ExtractedArticle,
    FeedEntry,
    FeedError,
    FetchError,
    NewsbriefError,
    ParsedFeed,
    Summary,
)
from summaries.understand.embed import Embedder
from summaries.understand.summarize import Summarizer

log = logging.getLogger(__name__)

# Local files bigger than this are refused, like oversized downloads.
MAX_FILE_BYTES = 20_000_000
# Entries read from one fetch of a feed, newest first; older ones are not read, then or later.
MAX_FEED_ENTRIES = 50
MAX_FEED_CANDIDATES = 3  # feeds a page links to that `find_feed` tries, all at once

Status = Literal["stored", "skipped", "failed"]
Progress = Callable[[int, int], None]
T = TypeVar("T")


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
    overtime: bool = False  # it ran past its time limit: not tried again for a while

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


@dataclass(frozen=True)
class ArticleJob:
    """One article's whole ingest as data — fetch its page, read, dedupe, summarise, quotes,
    embeddings, store — so that it runs here or, queued, in another process (bot.queue).

    `kind` says what there is to start from: a feed `entry` (its page is fetched), the `page`
    at `url` (a feed there is refused), or a `source` read already (a file, text, a page).
    Running a job twice stores its article once: the store's dedupe makes the rerun a skip.
    """

    kind: Literal["entry", "page", "source"]
    ref: str  # what the outcome names: the URL, path or label
    entry: FeedEntry | None = None
    url: str | None = None
    source: Source | None = None
    feed_url: str | None = None
    entry_id: str | None = None
    tenant: Tenant | None = None


EARLIER = " (on an earlier try; not retried within a day)"


def job_key(job: ArticleJob) -> str | None:
    """What makes two jobs the same work, for remembering the ones that ran out of time: a
    feed's entry, a page's URL, or a source's content."""
    if job.kind == "entry" and job.entry is not None:
        return f"entry {job.feed_url or ''} {job.entry.id} {job.entry.link or ''}"
    if job.kind == "page" and job.url is not None:
        return f"page {job.url}"
    if job.source is not None:
        return Overtime.key(job.source)
    return None


class Dispatch(Protocol):
    """Runs an ArticleJob to its Outcome: `Pipeline.run_job` itself, or a queue whose workers
    run it. Returns the outcome; a job that could not run at all is a "failed" outcome."""

    async def __call__(self, job: ArticleJob, /) -> Outcome: ...


def is_url(source: str) -> bool:
    head = source.strip()[:8].lower()
    return head.startswith(("http://", "https://")) and "\n" not in source.strip()


def _looks_like_path(source: str) -> bool:
    if "\n" in source or len(source) > 4096:
        return False
    return source.endswith((".html", ".htm", ".xml", ".rss", ".atom", ".json", ".txt")) or (
        "/" in source and " " not in source
    )


def read_capped(path: Path | None, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the file at `path` (None: standard input), never more than `limit` of them
    read: a file that grows, a device like /dev/zero or an endless pipe can't fill the memory.
    Raises NewsbriefError when there are more, OSError when it can't be read."""
    if path is None:
        data = sys.stdin.buffer.read(limit + 1)
    else:
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    if len(data) > limit:
        raise NewsbriefError(f"file larger than {limit // 1_000_000} MB")
    return data


def _existing_path(source: str) -> bool:
    """Whether `source` names something on disk (`photo.png`, `notes`): such a name is a file
    to read (or to refuse), not a one-word text to store."""
    if "\n" in source or len(source) > 4096 or not source.strip():
        return False
    try:
        return Path(source).expanduser().exists()
    except (OSError, ValueError):  # a name too long, a NUL byte in it
        return False


def _no_file(path: Path) -> str:
    """Why `path` can't be read as a file: it is missing, a folder, or a device or pipe."""
    try:
        if path.is_dir():
            return f"{path} is a folder, not a file"
        if path.exists():
            return f"{path} is not a regular file (a device, a pipe or a socket)"
    except (OSError, ValueError):
        pass
    return f"no such file: {path}"


def first_words(text: str, words: int = 8, max_chars: int = 60) -> str:
    """The first words of a text, "…" after them when there is more: how to name an article
    that has no title."""
    found = " ".join(text.split()[: words + 1])
    cut = " ".join(found.split()[:words])[:max_chars].rstrip(" ,;:.-")
    return cut + "…" if cut != " ".join(text.split()) else cut


class Pipeline:
    """Turns sources into stored, summarised articles.

    Network I/O is async. The CPU-heavy steps — feed parsing, extraction, summary, quotes,
    embeddings — are jobs (summaries.ingest.jobs) run by `executor`: by default in one thread
    of this process with `summarizer`, `quote_finder` and `embedder`; given a WorkerPool, in
    worker processes with a time budget per article. Storing stays here, on its own thread.

    Each article is one ArticleJob, handed to `dispatch`: by default `run_job`, here; given a
    queue (bot.queue), the job runs on a worker process anywhere, through this same class.

    Every entry point takes `tenant`: the workspace whose library what it ingests reaches,
    stored already or not (None: the operator's; see summaries.store.tenants). A feed's
    entries also reach every tenant with a channel that follows the feed.
    """

    def __init__(
        self,
        store: Store,
        summarizer: Summarizer | None,
        fetcher: Fetcher,
        *,
        fetch_concurrency: int = 4,
        progress: Progress | None = None,
        quote_finder: QuoteFinder | None = None,
        embedder: Embedder | None = None,
        executor: Executor | None = None,
        max_feed_entries: int = MAX_FEED_ENTRIES,
        pacer: HostPacer | None = None,
        dispatch: Dispatch | None = None,
    ) -> None:
        self.store = store
        self._dispatch: Dispatch = dispatch or self.run_job
        self.fetcher = fetcher
        if executor is None:
            if summarizer is None:
                raise ValueError("a pipeline needs a summarizer or an executor")
            executor = InProcess(ArticleModels(summarizer, quote_finder, embedder))
            self._own_executor = True
        elif any(part is not None for part in (summarizer, quote_finder, embedder)):
            raise ValueError("an executor brings its own models: give no summarizer with it")
        else:
            self._own_executor = False  # its owner closes it
        self.executor = executor
        self._fetch_slots = asyncio.Semaphore(fetch_concurrency)
        self.max_feed_entries = max_feed_entries
        self.pacer = pacer or HostPacer()  # entry pages per minute per host
        self._storing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsbrief-store")
        self._overtime = Overtime()  # what ran out of time lately is not tried again at once
        self.progress = progress  # called with (done, total) as sources are worked through
        self._done = 0
        self._total = 0

    def close(self) -> None:
        self._storing.shutdown(wait=True)
        if self._own_executor:
            self.executor.close()

    # -- progress -----------------------------------------------------------------------------
    def _add_work(self, n: int) -> None:
        self._total += n
        if self.progress:
            self.progress(self._done, self._total)

    def _finish_work(self, n: int = 1) -> None:
        self._done += n
        if self.progress:
            self.progress(self._done, self._total)

    def _budget(self) -> Budget:
        """The time one article (or one feed document) may take, across its jobs."""
        return Budget(self.executor.timeout)

    async def _in_store(self, call: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._storing, call)

    # -- entry points -------------------------------------------------------------------------
    async def ingest(self, source: str, *, tenant: Tenant | None = None) -> IngestReport:
        """Ingest a feed URL, an article URL, a local HTML/feed/text file, or text itself."""
        self._add_work(1)
        try:
            if is_url(source):
                return await self.ingest_url(source.strip(), tenant=tenant)
            if _looks_like_path(source) or _existing_path(source):
                path = Path(source).expanduser()
                if not path.is_file():
                    return IngestReport(source, (Outcome(source, "failed", reason=_no_file(path)),))
                return await self.ingest_file(path, tenant=tenant)
            label = first_words(source)  # what the user pasted, recognisably
            outcome = await self.ingest_text(source, ref=label, tenant=tenant)
            return IngestReport(label, (outcome,))
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
        source = Source(text=text, title=title, url=url, published=published)
        return await self.dispatch(ArticleJob("source", ref, source=source, tenant=tenant))

    async def ingest_file(self, path: Path, *, tenant: Tenant | None = None) -> IngestReport:
        ref = str(path)
        try:
            data = read_capped(path)
        except OSError as exc:
            return IngestReport(ref, (Outcome(ref, "failed", reason=f"cannot read file: {exc}"),))
        except NewsbriefError as exc:
            return IngestReport(ref, (Outcome(ref, "failed", reason=str(exc)),))
        return await self._ingest_data(data, ref=ref, tenant=tenant)

    async def ingest_data(
        self, data: bytes, *, ref: str, tenant: Tenant | None = None
    ) -> IngestReport:
        """Ingest a text, HTML page or feed given as bytes (standard input's, say), as a file
        of them would be; `ref` names it in the report."""
        self._add_work(1)
        try:
            return await self._ingest_data(data, ref=ref, tenant=tenant)
        finally:
            self._finish_work()

    async def _ingest_data(
        self, data: bytes, *, ref: str, tenant: Tenant | None = None
    ) -> IngestReport:
        if (kind := binary_kind(data)) is not None:
            reason = f"not a text, HTML or feed file: it is {kind}"
            return IngestReport(ref, (Outcome(ref, "failed", reason=reason),))
        if feeds.looks_like_feed(data):
            return await self._ingest_feed_document(ref, data, feed_url=None, tenant=tenant)
        if extract.looks_like_html(data):
            job = ArticleJob("source", ref, source=Source(html=data), tenant=tenant)
            return IngestReport(ref, (await self.dispatch(job),))
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
        page = Source(html=result.content, url=result.url, charset=result.encoding)
        outcome = await self.dispatch(ArticleJob("source", url, source=page, tenant=tenant))
        return IngestReport(url, (outcome,))

    async def ingest_article(self, url: str, *, tenant: Tenant | None = None) -> Outcome:
        """Store the one article at `url` (a feed is refused: it is followed, not summarised)."""
        found = self.store.find_duplicate(url=url)
        if found is not None:
            return self._known(url, found, tenant)
        return await self.dispatch(ArticleJob("page", url, url=url, tenant=tenant))

    async def find_feed(self, url: str) -> tuple[str, ParsedFeed]:
        """The feed at `url`, or the first feed a web page at `url` links to.

        Raises NewsbriefError (a FeedError when neither is there) with the reason.
        """
        result = await self.fetcher.get(url)
        if feeds.looks_like_feed(result.content, result.content_type):
            return url, await self._parse_feed(result.content, result.url, result.encoding)
        candidates = await self.executor.run(
            self._budget(), jobs.discover_feeds, result.text, result.url
        )
        if not candidates:
            raise FeedError("no feed there: the page links to no RSS, Atom or JSON feed")
        # Fetched together, so slow feeds cost one fetch timeout, not one each in a row; the
        # first the page lists that reads as a feed wins, and the others are dropped then.
        chosen = candidates[:MAX_FEED_CANDIDATES]
        fetches = [asyncio.ensure_future(self.fetcher.get(candidate)) for candidate in chosen]
        errors = []
        try:
            for candidate, fetch in zip(chosen, fetches, strict=True):
                try:
                    found = await fetch
                    parsed = await self._parse_feed(found.content, found.url, found.encoding)
                    return candidate, parsed
                except NewsbriefError as exc:
                    errors.append(str(exc))
        finally:
            for fetch in fetches:
                fetch.cancel()
            await asyncio.gather(*fetches, return_exceptions=True)
        raise FeedError(f"the page's feed could not be read: {errors[0]}")

    async def read(self, source: Source) -> ExtractedArticle:
        """The article in `source`, within one article's time budget; nothing is stored."""
        return await self.executor.run(self._budget(), jobs.read_article, source)

    async def summarize(self, source: Source) -> tuple[ExtractedArticle, Summary]:
        """The article in `source` and its summary, within one article's time budget; nothing
        is stored."""
        budget = self._budget()
        article = await self.executor.run(budget, jobs.read_article, source)
        summary = await self.executor.run(
            budget, jobs.summarize, article.text, article.title, article.language
        )
        return article, summary

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
            parsed = await self._parse_feed(data, final_url or feed_url, charset)
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

    async def _parse_feed(self, data: bytes, url: str | None, charset: str | None) -> ParsedFeed:
        return await self.executor.run(self._budget(), jobs.parse_feed, data, url, charset)

    async def _ingest_entry(
        self, entry: FeedEntry, *, feed_url: str | None, tenant: Tenant | None
    ) -> Outcome:
        ref = entry.link or entry.id
        found = self.store.find_duplicate(url=entry.link, feed_url=feed_url, entry_id=entry.id)
        if found is not None:  # known: nothing to fetch, nothing to queue
            return self._known(ref, found, tenant, feed_url=feed_url, entry_id=entry.id)
        job = ArticleJob(
            "entry", ref, entry=entry, feed_url=feed_url, entry_id=entry.id, tenant=tenant
        )
        return await self.dispatch(job)

    # -- one article's job ------------------------------------------------------------------
    async def dispatch(self, job: ArticleJob) -> Outcome:
        """Run `job` here or on a queue's worker, unless the same job ran out of time lately:
        then it fails at once, so that a feed entry too slow to read is not run again at each
        poll (on a queue, Celery kills the job's process at its time limit, where this
        process's memory of it is all that is left)."""
        key = job_key(job)
        earlier = self._overtime.reason(key)
        if earlier is not None:
            entry, source = job.entry, job.source
            title = entry.title if entry else source.title if source else None
            url = job.url or (entry.link if entry else source.url if source else None)
            reason = earlier + EARLIER
            return Outcome(job.ref, "failed", title=title, url=url, reason=reason, overtime=True)
        outcome = await self._dispatch(job)
        if outcome.overtime and outcome.reason:
            self._overtime.remember(key, outcome.reason.removesuffix(EARLIER))
        return outcome

    async def run_job(self, job: ArticleJob) -> Outcome:
        """Run one article's job in this process: what `dispatch` does without a queue, and
        what a queue's worker does with each job it takes."""
        if job.kind == "source" and job.source is not None:
            return await self._read_and_store(
                job.source,
                ref=job.ref,
                feed_url=job.feed_url,
                entry_id=job.entry_id,
                tenant=job.tenant,
            )
        if job.kind == "entry" and job.entry is not None:
            return await self._fetch_entry(job.entry, feed_url=job.feed_url, tenant=job.tenant)
        if job.kind == "page" and job.url is not None:
            return await self._fetch_article(job.url, tenant=job.tenant)
        return Outcome(job.ref, "failed", reason=f"nothing to ingest in a {job.kind} job")

    async def _fetch_article(self, url: str, *, tenant: Tenant | None) -> Outcome:
        found = self.store.find_duplicate(url=url)  # a job run again finds its article here
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
        page = Source(html=result.content, url=result.url, charset=result.encoding)
        return await self._read_and_store(page, ref=url, tenant=tenant)

    async def _fetch_entry(
        self, entry: FeedEntry, *, feed_url: str | None, tenant: Tenant | None
    ) -> Outcome:
        ref = entry.link or entry.id
        found = self.store.find_duplicate(url=entry.link, feed_url=feed_url, entry_id=entry.id)
        if found is not None:  # a job run again, or a twin entry stored meanwhile
            return self._known(ref, found, tenant, feed_url=feed_url, entry_id=entry.id)
        source = Source(entry=entry)
        if entry.link and is_url(entry.link):
            try:
                await self.pacer.wait(entry.link)
                async with self._fetch_slots:
                    result = await self.fetcher.get(entry.link)
                source = Source(
                    html=result.content, url=result.url, charset=result.encoding, entry=entry
                )
            except NewsbriefError as exc:
                source = Source(entry=entry, page_error=str(exc))
        return await self._read_and_store(
            source, ref=ref, feed_url=feed_url, entry_id=entry.id, tenant=tenant
        )

    # -- articles -----------------------------------------------------------------------------
    async def _read_and_store(
        self,
        source: Source,
        *,
        ref: str,
        feed_url: str | None = None,
        entry_id: str | None = None,
        tenant: Tenant | None = None,
    ) -> Outcome:
        """Read, dedupe, understand and save one article, within one time budget."""
        key = Overtime.key(source)
        title = source.entry.title if source.entry else source.title
        earlier = self._overtime.reason(key)
        if earlier is not None:
            reason = earlier + EARLIER
            return Outcome(ref, "failed", title=title, url=source.url, reason=reason, overtime=True)
        budget = self._budget()
        try:
            article = await self.executor.run(budget, jobs.read_article, source)
        except NewsbriefError as exc:
            return self._failed(ref, exc, key, title=title, url=source.url)
        text = article.text
        found = await self._in_store(
            lambda: self.store.find_duplicate(
                url=article.url, text=text, feed_url=feed_url, entry_id=entry_id
            )
        )
        if found is not None:  # known already: no summarising
            return await self._in_store(
                functools.partial(
                    self._known, ref, found, tenant, feed_url=feed_url, entry_id=entry_id
                )
            )
        try:
            understood = await self.executor.run(
                budget, jobs.understand, text, article.title, article.language
            )
        except NewsbriefError as exc:
            return self._failed(ref, exc, key, title=article.title, url=article.url)
        if understood.quote_problem:  # the article is still stored, without quotes
            log.warning("no quotes for %s: %s", ref, understood.quote_problem)
        new = NewArticle(
            text=text,
            url=article.url,
            title=article.title,
            byline=article.byline,
            published=article.published,
            site=article.site,
            image=article.image,
            language=article.language,
            feed_url=feed_url,
            entry_id=entry_id,
            summary=understood.summary.text,
            summary_method=understood.summary.method,
            quotes=understood.quotes,
            quote_vectors=understood.quote_vectors,
            embedding_model=understood.embedding_model,
            sentence_spans=understood.sentence_spans,
            sentence_vectors=understood.sentence_vectors,
            tenant=tenant,
        )
        saved = await self._in_store(lambda: self.store.save_article(new))
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

    def _failed(
        self, ref: str, exc: NewsbriefError, key: str | None, *, title: str | None, url: str | None
    ) -> Outcome:
        overtime = isinstance(exc, DeadlineExceeded)
        if overtime:
            log.warning("gave up on %s: it %s", ref, exc)
            self._overtime.remember(key, str(exc))
        return Outcome(ref, "failed", title=title, url=url, reason=str(exc), overtime=overtime)
