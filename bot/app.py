"""The composition root: builds the store, fetcher, summariser and pipeline from Settings."""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from bot.commands import Commands
from bot.replies import Reply
from bot.scheduler import Scheduler
from bot.settings import Settings, SettingsError
from summaries.ingest.fetch import DEFAULT_USER_AGENT, Fetcher
from summaries.ingest.pipeline import Pipeline, Progress
from summaries.store import Store
from summaries.understand.embed import Embedder, MiniLMEmbedder
from summaries.understand.quotes import QuoteExtractor
from summaries.understand.summarize import (
    ExtractiveSummarizer,
    LeadSummarizer,
    Seq2SeqSummarizer,
    Summarizer,
)

log = logging.getLogger(__name__)


class ChatPlatform(Protocol):
    """A chat adapter: serves commands and mentions between start() and stop(), and can post
    a Reply to one of its channels unprompted (scheduled digests). start() returns once it is
    serving, or raises with a clear message."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def post(self, channel: str, reply: Reply) -> None: ...


def build_summarizer(settings: Settings, embedder: Embedder | None = None) -> Summarizer:
    """The summariser the settings ask for; seq2seq falls back to the extractive one."""
    if settings.summarizer == "lead":
        return LeadSummarizer(max_sentences=settings.summary_sentences)
    extractive = ExtractiveSummarizer(
        embedder or MiniLMEmbedder(), max_sentences=settings.summary_sentences
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


def build_fetcher(settings: Settings) -> Fetcher:
    return Fetcher(
        timeout=settings.fetch_timeout,
        max_bytes=settings.fetch_max_bytes,
        max_redirects=settings.fetch_max_redirects,
        allow_private=settings.allow_private_urls,
        user_agent=settings.user_agent or DEFAULT_USER_AGENT,
    )


def build_pipeline(
    settings: Settings,
    store: Store,
    *,
    summarizer: Summarizer | None = None,
    progress: Progress | None = None,
    embedder: Embedder | None = None,
) -> Pipeline:
    embedder = embedder or MiniLMEmbedder()  # loads lazily; shared with quote search
    return Pipeline(
        store,
        summarizer or build_summarizer(settings, embedder),
        build_fetcher(settings),
        progress=progress,
        quote_finder=QuoteExtractor(),
        embedder=embedder,
    )


def build_commands(
    settings: Settings, store: Store, *, embedder: Embedder | None = None
) -> Commands:
    """The chat command layer over `store`, sharing one embedder with its pipeline."""
    embedder = embedder or MiniLMEmbedder()
    pipeline = build_pipeline(settings, store, embedder=embedder)
    return Commands(store, pipeline, embedder=embedder)


async def run_bot(settings: Settings, *, stop: asyncio.Event | None = None) -> None:
    """Serve every platform that has credentials, in this one event loop, until `stop` is set
    (or the process is interrupted). Raises SettingsError when no platform is configured."""
    platforms: dict[str, ChatPlatform] = {}
    store = Store(settings.database_url)
    embedder = MiniLMEmbedder()
    commands = build_commands(settings, store, embedder=embedder)
    if settings.slack_bot_token and (settings.slack_signing_secret or settings.slack_app_token):
        from bot.slack_adapter import SlackAdapter

        platforms["slack"] = SlackAdapter(settings, commands)
    if settings.discord_token:
        from bot.discord_adapter import DiscordAdapter

        platforms["discord"] = DiscordAdapter(settings, commands)
    if not platforms:
        store.close()
        raise SettingsError(
            "no chat platform configured: set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET "
            "(or SLACK_APP_TOKEN), and/or DISCORD_TOKEN; or try `newsbrief chat`"
        )
    stop = stop or asyncio.Event()
    started: list[ChatPlatform] = []
    scheduler = Scheduler(store, platforms, pipeline=commands.pipeline, embedder=embedder)
    try:
        for name, platform in platforms.items():
            await platform.start()
            started.append(platform)
            log.info("%s started", name)
        await scheduler.start()  # feed polling and the channels' daily digests
        await stop.wait()
    finally:
        try:
            await scheduler.stop()
        except Exception:
            log.exception("stopping the scheduler failed")
        for platform in reversed(started):
            try:
                await platform.stop()
            except Exception:
                log.exception("stopping %s failed", type(platform).__name__)
        await commands.pipeline.fetcher.aclose()
        commands.pipeline.close()
        store.close()
