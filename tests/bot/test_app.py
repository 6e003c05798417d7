"""Services: each part built once, on first use, and closed in reverse order — only what was
opened here."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import Services, run_bot
from bot.commands import Caller
from bot.settings import Settings, SettingsError
from summaries.ingest import jobs
from summaries.ingest.jobs import passage_spans
from summaries.ingest.workers import Budget, InProcess, WorkerPool
from summaries.store import NewArticle, Store
from summaries.types import FetchError
from summaries.understand.embed import MiniLMEmbedder
from summaries.understand.summarize import LeadSummarizer
from tests.bot.fake_slack import SECRET, FakeSlackAPI


def _settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'app.db'}", summarizer="lead")


def test_each_part_is_built_once_and_shared_by_those_that_need_it(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with Services(_settings(tmp_path)) as s:
            assert s.store is s.store
            assert s.commands.pipeline is s.pipeline
            assert s.commands.answerer is s.answerer
            assert s.pipeline.fetcher is s.fetcher
            assert s.pipeline.store is s.store and s.answerer.store is s.store
            assert isinstance(s.summarizer, LeadSummarizer)  # what the settings ask for

    asyncio.run(scenario())


def test_the_limit_settings_reach_the_parts_that_enforce_them(tmp_path: Path) -> None:
    settings = replace(
        _settings(tmp_path),
        max_feeds_per_channel=3,
        max_feed_entries=7,
        pages_per_minute_per_host=9,
        vector_index_scan=0.35,
    )

    async def scenario() -> None:
        async with Services(settings) as s:
            assert s.store.vector_scan == 0.35
            assert s.commands.subscriptions.max_feeds == 3
            assert s.pipeline.max_feed_entries == 7
            assert s.pipeline.pacer.per_window == 9 and s.pipeline.pacer.window == 60.0

    asyncio.run(scenario())


@pytest.mark.usefixtures("shared_models")
def test_chat_reads_one_shared_library_only_when_the_setting_says_so(
    seeded_db: Path, embedder: MiniLMEmbedder
) -> None:
    slack = Caller("slack", "T1", "C1", "U1")  # the seed was the operator's ingest

    async def found(shared: bool) -> bool:
        settings = Settings(
            database_url=f"sqlite:///{seeded_db}", summarizer="lead", shared_library=shared
        )
        async with Services(settings, embedder=embedder) as s:
            reply = await s.commands.run(slack, "whosaid there is no military solution")
            return bool(reply.quotes)

    assert asyncio.run(found(shared=True)) is True
    assert asyncio.run(found(shared=False)) is False
    assert Settings.from_env({"NEWSBRIEF_SHARED_LIBRARY": "true"}, env_file=None).shared_library


def test_closing_shuts_what_was_opened_and_leaves_given_parts_open(tmp_path: Path) -> None:
    given = Store(f"sqlite:///{tmp_path / 'given.db'}")

    async def scenario() -> None:
        settings = replace(_settings(tmp_path), allow_private_urls=True)
        s = Services(settings, store=given)
        pipeline, fetcher = s.pipeline, s.fetcher
        await s.aclose()
        with pytest.raises(RuntimeError):  # its worker thread is gone
            await pipeline.ingest_text("A text that will not be stored after closing.")
        # Its connection pool is closed: it fails at once, without trying to connect.
        with pytest.raises(FetchError, match="unexpected error"):
            await fetcher.get("http://127.0.0.1:9/")
        await s.aclose()  # a second close has nothing left to do

    try:
        asyncio.run(scenario())
        assert given.count_articles() == 0  # the store that was given still answers
    finally:
        given.close()


def test_articles_are_read_in_worker_processes_with_the_settings_time_limit(
    tmp_path: Path,
) -> None:
    settings = replace(_settings(tmp_path), article_workers=2, article_timeout=7.5)

    async def scenario() -> WorkerPool:
        async with Services(settings) as s:
            pool = s.article_work
            assert isinstance(pool, WorkerPool)
            assert (pool.size, pool.timeout) == (2, 7.5)
            assert s.pipeline.executor is pool
            return pool

    pool = asyncio.run(scenario())
    with pytest.raises(RuntimeError, match="closed"):  # closed with the Services
        asyncio.run(pool.run(Budget(1), jobs.summarize, "Some text.", None))


def test_no_workers_or_given_models_read_articles_in_this_process(tmp_path: Path) -> None:
    async def scenario(s: Services) -> None:
        async with s:
            assert isinstance(s.article_work, InProcess)
            assert s.article_work.models.summarizer is s.summarizer

    asyncio.run(scenario(Services(replace(_settings(tmp_path), article_workers=0))))
    given = LeadSummarizer(max_sentences=1)
    asyncio.run(scenario(Services(_settings(tmp_path), summarizer=given)))


def test_a_command_that_reads_the_store_builds_nothing_else(tmp_path: Path) -> None:
    async def scenario() -> Services:
        async with Services(_settings(tmp_path)) as s:
            assert s.store.latest_articles(5) == []
            return s

    s = asyncio.run(scenario())
    parts = ("pipeline", "fetcher", "commands", "embedder", "article_work")
    built = {name for name in parts if name in vars(s)}
    assert built == set()


def test_run_bot_without_credentials_says_which_settings_to_give(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with Services(_settings(tmp_path)) as s:
            await run_bot(s, stop=asyncio.Event())

    with pytest.raises(SettingsError, match="SLACK_BOT_TOKEN"):
        asyncio.run(scenario())


def test_run_bot_embeds_in_the_background_the_sentences_an_upgrade_left_without_vectors(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    store = Store(f"sqlite:///{tmp_path / 'old.db'}")
    text = (
        "The harbour gates of Westmere will cost twelve million to build, the council said.\n\n"
        "Fishermen asked for the works to pause during the herring season next autumn."
    )
    store.save_article(NewArticle(text=text, sentence_spans=tuple(passage_spans(text))))

    async def scenario() -> None:
        fake = FakeSlackAPI()
        await fake.start()
        settings = replace(
            _settings(tmp_path),
            slack_bot_token="xoxb-test",
            slack_signing_secret=SECRET,
            slack_api_url=fake.url("/api/"),
            http_port=0,
        )
        stop = asyncio.Event()
        try:
            async with Services(settings, store=store, embedder=embedder) as s:
                running = asyncio.create_task(run_bot(s, stop=stop))
                for _ in range(300):  # up to 30 s
                    if len(store.vectors("sentence", embedder.name)[0]) == 2 or running.done():
                        break
                    await asyncio.sleep(0.1)
                stop.set()
                await asyncio.wait_for(running, 30)
        finally:
            await fake.stop()

    try:
        asyncio.run(scenario())
        assert len(store.vectors("sentence", embedder.name)[0]) == 2
    finally:
        store.close()


def test_make_summarizer_builds_what_the_setting_names() -> None:
    from bot.app import make_summarizer
    from bot.settings import Settings
    from summaries.understand.embed import MiniLMEmbedder
    from summaries.understand.summarize import ExtractiveSummarizer, LearnedSummarizer

    embedder = MiniLMEmbedder(model_dir="/nonexistent/model")  # nothing is loaded here
    assert isinstance(make_summarizer(Settings(), embedder), LearnedSummarizer)
    centrality = make_summarizer(Settings(summarizer="centrality"), embedder)
    assert isinstance(centrality, ExtractiveSummarizer)
    assert isinstance(make_summarizer(Settings(summarizer="lead"), embedder), LeadSummarizer)
    learned = make_summarizer(Settings(summary_headline=False), embedder)
    assert isinstance(learned, LearnedSummarizer) and not learned.use_headline
    assert make_summarizer(Settings(), embedder).use_headline  # type: ignore[attr-defined]


def test_the_thread_setting_reaches_the_encoder_and_spacy() -> None:
    from bot.app import article_models, make_embedder, make_quote_extractor

    chosen = Settings(torch_threads=1, encoder="torch", encoder_precision="fp32")
    assert make_embedder(chosen).num_threads == 1
    assert make_embedder(chosen, 3).num_threads == 3
    assert make_quote_extractor(chosen).threads == 1
    models = article_models(chosen)
    assert isinstance(models.embedder, MiniLMEmbedder)
    assert models.embedder.num_threads == 1 and models.embedder.runtime == "torch"
    assert models.quote_finder.threads == 1  # type: ignore[union-attr]


def test_article_workers_split_the_usable_cores_between_them() -> None:
    from bot.app import article_models
    from summaries.understand.threads import usable_cores

    for workers in (1, 2):
        settings = Settings(article_workers=workers, encoder="torch", encoder_precision="fp32")
        models = article_models(settings)
        share = max(1, min(4, usable_cores() // workers))
        assert models.embedder.num_threads == share  # type: ignore[union-attr]
        assert models.quote_finder.threads == share  # type: ignore[union-attr]
