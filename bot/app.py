"""The composition root: builds the store, fetcher, summariser and pipeline from Settings."""

from __future__ import annotations

from bot.commands import Commands
from bot.settings import Settings
from summaries.embed import Embedder, MiniLMEmbedder
from summaries.fetch import DEFAULT_USER_AGENT, Fetcher
from summaries.pipeline import Pipeline, Progress
from summaries.quotes import QuoteExtractor
from summaries.store import Store
from summaries.summarize import (
    ExtractiveSummarizer,
    LeadSummarizer,
    Seq2SeqSummarizer,
    Summarizer,
)


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


def build_commands(settings: Settings, store: Store) -> Commands:
    """The chat command layer over `store`, sharing one embedder with its pipeline."""
    embedder = MiniLMEmbedder()
    pipeline = build_pipeline(settings, store, embedder=embedder)
    return Commands(store, pipeline, embedder=embedder)
