"""The composition root: one `Services` object builds the parts of a newsbrief process from
Settings, on first use, and closes what it opened, in reverse order.

Every entry point goes through it (`async with Services(settings) as s:`): `newsbrief run`,
`chat`, `digest --post` and the other CLI commands. So one place knows how the store, models,
fetcher, pipeline, commands and chat platforms fit together, and how they shut down.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from functools import cached_property
from types import TracebackType
from typing import Any, Protocol, Self

from bot.commands import Commands
from bot.digests import Digests
from bot.errors import PlatformError, PlatformUnreachable
from bot.health import Health, HealthServer
from bot.polling import Poster
from bot.replies import Reply
from bot.scheduler import Scheduler
from bot.settings import Settings, SettingsError
from summaries.answers.answer import Answerer
from summaries.ingest.fetch import DEFAULT_USER_AGENT, Fetcher
from summaries.ingest.jobs import ArticleModels
from summaries.ingest.pacing import HostPacer
from summaries.ingest.pipeline import Dispatch, Pipeline
from summaries.ingest.reindex import reindex
from summaries.ingest.workers import Executor, InProcess, WorkerPool
from summaries.store import Store, shown
from summaries.types import NewsbriefError
from summaries.understand.embed import Embedder, MiniLMEmbedder
from summaries.understand.quotes import QuoteExtractor, SpeakerModel
from summaries.understand.summarize import (
    ExtractiveSummarizer,
    LeadSummarizer,
    LearnedSummarizer,
    Seq2SeqSummarizer,
    Summarizer,
)
from summaries.understand.threads import worker_threads

log = logging.getLogger(__name__)

PLATFORMS = ("slack", "discord")
FIRST_RETRY = 1.0  # seconds before trying an unreachable platform again; doubles each time
LONGEST_RETRY = 60.0  # the longest wait between two tries


class ChatPlatform(Protocol):
    """A chat adapter: serves commands and mentions between start() and stop(), and can post
    a Reply to one of its channels unprompted (scheduled digests). start() returns once it is
    serving, or raises with a clear message."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def post(self, channel: str, reply: Reply) -> None: ...

    async def connected(self) -> bool: ...


class Services:
    """The parts of one newsbrief process, each built from `settings` when first asked for.

    Models load lazily on first use too, so a command that needs only the store loads nothing
    else. Parts given to the constructor are used instead of building them (tests, benches) and
    are not closed by `aclose()`; `posters` replaces the chat platforms for posting.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        store: Store | None = None,
        embedder: Embedder | None = None,
        summarizer: Summarizer | None = None,
        posters: Mapping[str, Poster] | None = None,
    ) -> None:
        self.settings = settings
        self._store, self._embedder, self._summarizer = store, embedder, summarizer
        self._posters = dict(posters) if posters is not None else None
        self._closers: list[Callable[[], Any]] = []  # what was opened here, in order

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close everything this object opened, newest first; one failure does not stop the
        rest (it is logged)."""
        while self._closers:
            close = self._closers.pop()
            try:
                result = close()
                if asyncio.iscoroutine(result):
                    await result
            except Exception:
                log.exception("closing %r failed", close)

    # -- parts ----------------------------------------------------------------------------------
    @cached_property
    def store(self) -> Store:
        """The database named by the settings, migrated to the current schema."""
        if self._store is not None:
            return self._store
        store = Store(
            self.settings.database_url,
            vector_index=self.settings.vector_index,
            vector_dir=self.settings.vector_index_dir or None,
            vector_scan=self.settings.vector_index_scan,
        )
        self._closers.append(store.close)
        return store

    @cached_property
    def embedder(self) -> Embedder:
        """all-MiniLM-L6-v2, shared by the summariser, ingest and answers."""
        if self._embedder is not None:
            return self._embedder
        return make_embedder(self.settings)

    @cached_property
    def quote_extractor(self) -> QuoteExtractor:
        return make_quote_extractor(self.settings)

    @cached_property
    def summarizer(self) -> Summarizer:
        """The summariser the settings ask for; seq2seq falls back to the extractive one."""
        if self._summarizer is not None:
            return self._summarizer
        return make_summarizer(self.settings, self.embedder)

    @cached_property
    def fetcher(self) -> Fetcher:
        settings = self.settings
        fetcher = Fetcher(
            timeout=settings.fetch_timeout,
            max_bytes=settings.fetch_max_bytes,
            max_redirects=settings.fetch_max_redirects,
            allow_private=settings.allow_private_urls,
            user_agent=settings.user_agent or DEFAULT_USER_AGENT,
        )
        self._closers.append(fetcher.aclose)
        return fetcher

    @cached_property
    def article_work(self) -> Executor:
        """Where articles are read and understood: worker processes with a time limit per
        article, or this process (NEWSBRIEF_ARTICLE_WORKERS=0, or models given to Services)."""
        settings = self.settings
        executor: Executor
        given = self._summarizer is not None or self._embedder is not None
        if settings.article_workers == 0 or given:  # given models live in this process
            models = ArticleModels(self.summarizer, self.quote_extractor, self.embedder)
            executor = InProcess(models)
        else:
            executor = WorkerPool(
                functools.partial(article_models, settings),
                workers=settings.article_workers,
                timeout=settings.article_timeout,
            )
        self._closers.append(executor.close)
        return executor

    @cached_property
    def pipeline(self) -> Pipeline:
        """Source -> stored article, with summary, quotes and embeddings: each article's job
        run here, or queued for the workers (NEWSBRIEF_BROKER_URL)."""
        pipeline = self.build_pipeline(self.article_work, dispatch=self.article_queue)
        self._closers.append(pipeline.close)
        return pipeline

    def build_pipeline(self, executor: Executor, dispatch: Dispatch | None = None) -> Pipeline:
        """A pipeline over this process's store and fetcher, its jobs run by `executor` (not
        closed with it) and its articles' jobs by `dispatch` (None: here)."""
        return Pipeline(
            self.store,
            None,
            self.fetcher,
            executor=executor,
            max_feed_entries=self.settings.max_feed_entries,
            pacer=HostPacer(self.settings.pages_per_minute_per_host),
            dispatch=dispatch,
        )

    @cached_property
    def article_queue(self) -> Dispatch | None:
        """The Celery queue articles' jobs go to (NEWSBRIEF_BROKER_URL), or None: run here."""
        if not self.settings.broker_url:
            return None
        from bot.queue import QueuedJobs, celery_app

        queue = QueuedJobs(celery_app(self.settings))
        self._closers.append(queue.close)
        return queue

    @cached_property
    def answerer(self) -> Answerer:
        """Questions to the stored news, answered with citations."""
        return Answerer(self.store, self.embedder)

    @cached_property
    def commands(self) -> Commands:
        """The chat command layer, as every platform and the console see it."""
        return Commands(
            self.store,
            self.pipeline,
            answerer=self.answerer,
            max_feeds=self.settings.max_feeds_per_channel,
            shared_library=self.settings.shared_library,
        )

    @cached_property
    def platforms(self) -> dict[str, ChatPlatform]:
        """The chat platforms that have credentials in the settings (not started)."""
        settings = self.settings
        platforms: dict[str, ChatPlatform] = {}
        if settings.slack_bot_token and (settings.slack_signing_secret or settings.slack_app_token):
            from bot.slack_adapter import SlackAdapter

            platforms["slack"] = SlackAdapter(settings, self.commands)
        if settings.discord_token:
            from bot.discord_adapter import DiscordAdapter

            platforms["discord"] = DiscordAdapter(settings, self.commands)
        return platforms

    def digests(self, posters: Mapping[str, Poster] | None = None) -> Digests:
        """Channels' digests, posted through `posters` (default: those given to the
        constructor) — no scheduler, no feed polling."""
        chosen = posters if posters is not None else (self._posters or {})
        return Digests(self.store, chosen, embedder=self.embedder)

    def scheduler(self, posters: Mapping[str, Poster]) -> Scheduler:
        """The scheduled digests, posted through `posters`, and feed polling into the
        pipeline."""
        return Scheduler(self.store, posters, pipeline=self.pipeline, embedder=self.embedder)

    @asynccontextmanager
    async def poster(self, platform: str) -> AsyncIterator[Poster]:
        """What posts to `platform`, ready: Slack needs only its Web API; Discord its gateway,
        which is started here and stopped after."""
        if self._posters is not None:
            if platform not in self._posters:
                raise NewsbriefError(f"no poster for {platform}")
            yield self._posters[platform]
            return
        if platform == "slack":
            from bot.slack_adapter import SlackAdapter

            try:
                slack = SlackAdapter(self.settings, self.commands)
            except ValueError as exc:  # a token or URL the adapter can't use
                raise NewsbriefError(str(exc)) from None
            yield slack
            return
        from bot.discord_adapter import DiscordAdapter

        adapter = DiscordAdapter(self.settings, self.commands)
        await adapter.start()
        try:
            yield adapter
        finally:
            await adapter.stop()


def make_summarizer(settings: Settings, embedder: Embedder) -> Summarizer:
    """The summariser `settings` ask for; seq2seq falls back to the extractive one."""
    if settings.summarizer == "lead":
        return LeadSummarizer(max_sentences=settings.summary_sentences)
    if settings.summarizer == "centrality":
        return ExtractiveSummarizer(embedder, max_sentences=settings.summary_sentences)
    extractive = LearnedSummarizer(
        embedder,
        max_sentences=settings.summary_sentences,
        use_headline=settings.summary_headline,
    )
    if settings.summarizer == "seq2seq":
        return Seq2SeqSummarizer(
            settings.seq2seq_model,
            fallback=extractive,
            num_beams=settings.seq2seq_num_beams,
            min_length=settings.seq2seq_min_length,
            max_length=settings.seq2seq_max_length,
        )
    return extractive


def article_models(settings: Settings) -> ArticleModels:
    """The models of one article worker process, built from `settings` (picklable by name)."""
    threads = settings.torch_threads or worker_threads(settings.article_workers)
    embedder = make_embedder(settings, threads)
    return ArticleModels(
        make_summarizer(settings, embedder), make_quote_extractor(settings, threads), embedder
    )


def make_embedder(settings: Settings, threads: int | None = None) -> MiniLMEmbedder:
    """MiniLM as the settings ask (NEWSBRIEF_ENCODER, NEWSBRIEF_ENCODER_PRECISION), on
    `threads` threads (None: NEWSBRIEF_TORCH_THREADS, else the usable cores, capped)."""
    return MiniLMEmbedder(
        num_threads=threads or settings.torch_threads or None,
        precision=settings.encoder_precision,
        runtime=settings.encoder,
        cache_dir=settings.encoder_cache or None,
    )


def make_quote_extractor(settings: Settings, threads: int | None = None) -> QuoteExtractor:
    """The quote extractor, with the shipped speaker model unless NEWSBRIEF_SPEAKER_MODEL=off;
    spaCy's BLAS on `threads` threads (None: NEWSBRIEF_TORCH_THREADS, else the usable cores)."""
    return QuoteExtractor(
        speaker_model=SpeakerModel.load() if settings.speaker_model else None,
        threads=threads or settings.torch_threads or None,
    )


async def run_bot(s: Services, *, stop: asyncio.Event | None = None) -> None:
    """Serve every platform that has credentials, in this one event loop, with feed polling and
    the channels' digests, until `stop` is set; meanwhile embed, in the background, the sentences
    an upgrade left without vectors, and answer `/healthz`. A platform that can't be reached is
    tried again, with backoff, for NEWSBRIEF_START_TIMEOUT seconds. Raises SettingsError when no
    platform is configured, PlatformError when one refuses to start or stays unreachable."""
    platforms = s.platforms
    if not platforms:
        raise SettingsError(
            "no chat platform configured: set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET "
            "(or SLACK_APP_TOKEN), and/or DISCORD_TOKEN; or try `newsbrief chat`"
        )
    settings = s.settings
    log.info("database: %s", shown(settings.database_url))
    stop = stop or asyncio.Event()
    halt = threading.Event()
    reindexing: asyncio.Task[None] | None = None
    started: list[ChatPlatform] = []
    scheduler = s.scheduler(platforms)
    health = Health(s.store.ping, platforms)
    server: HealthServer | None = None
    slack = platforms.get("slack")
    try:
        if slack is not None and getattr(slack, "serves_http", False):
            slack.health = health.status  # type: ignore[attr-defined]  # its server has /healthz
        else:
            server = HealthServer(health.status, read_timeout=settings.http_read_timeout)
            host = settings.http_host or "127.0.0.1"
            try:
                await server.start(host, settings.http_port)
            except OSError as exc:
                raise PlatformError(
                    f"can't serve /healthz on {host}:{settings.http_port}: {exc.strerror or exc}"
                ) from exc
        for name, platform in platforms.items():
            if not await start_platform(name, platform, timeout=settings.start_timeout, stop=stop):
                return  # stopped while waiting to try again
            started.append(platform)
            health.started.add(name)
            log.info("%s started", name)
        await scheduler.start()  # feed polling and the channels' daily digests
        reindexing = asyncio.create_task(_reindex(s, halt))
        await stop.wait()
    finally:
        halt.set()
        if reindexing is not None:
            await reindexing  # it stops after the batch in hand
        try:
            await scheduler.stop()
        except Exception:
            log.exception("stopping the scheduler failed")
        for platform in reversed(started):
            try:
                await platform.stop()
            except Exception:
                log.exception("stopping %s failed", type(platform).__name__)
        if server is not None:
            await server.stop()


async def start_platform(
    name: str,
    platform: ChatPlatform,
    *,
    timeout: float,
    stop: asyncio.Event,
    first_wait: float = FIRST_RETRY,
    longest_wait: float = LONGEST_RETRY,
) -> bool:
    """Start `platform`, trying again while it is unreachable — waiting `first_wait` seconds,
    doubling up to `longest_wait` — for `timeout` seconds in all. True once started; False if
    `stop` was set meanwhile. A refusal (PlatformError) is raised at once; unreachable past the
    timeout, the last PlatformUnreachable is raised."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    wait = first_wait
    while True:
        try:
            await platform.start()
            return True
        except PlatformUnreachable as exc:
            left = deadline - loop.time()
            if left <= 0:
                if timeout > 0:
                    raise PlatformUnreachable(f"{exc} (gave up after {timeout:.0f} s)") from exc
                raise
            pause = min(wait, left)
            log.warning("%s: %s; trying again in %.0f s", name, exc, pause)
            try:
                await asyncio.wait_for(stop.wait(), pause)
                return False
            except TimeoutError:
                pass
            wait = min(wait * 2, longest_wait)


async def _reindex(s: Services, halt: threading.Event) -> None:
    """Embed, in the background, the sentences an upgrade left without vectors."""
    try:
        done = await asyncio.to_thread(reindex, s.store, s.embedder, stop=halt.is_set)
    except Exception:  # search by words still finds them; the next start tries again
        log.exception("reindex failed")
        return
    if done:
        log.info("reindex: embedded %d stored sentences that had no vectors", done)
