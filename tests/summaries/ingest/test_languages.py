"""Ingest in languages newsbrief can't read: stored, deduplicated and listed, summarised by their
opening, never read for quotes by the English rules; English articles as before. And the lead
image, stored with the article."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from summaries.ingest.fetch import Fetcher
from summaries.ingest.jobs import ArticleModels
from summaries.ingest.pipeline import Outcome, Pipeline
from summaries.ingest.workers import InProcess
from summaries.store import Store
from summaries.types import Quote
from summaries.understand.quotes import QuoteExtractor
from summaries.understand.summarize import LeadSummarizer
from tests.foreign import ENGLISH, FRENCH, FRENCH_OPENING, GERMAN, GERMAN_OPENING


def _ingest(pipeline: Pipeline, text: str, url: str) -> Outcome:
    return asyncio.run(pipeline.ingest_text(text, url=url))


@pytest.fixture
def pipeline(store: Store, quote_extractor: QuoteExtractor) -> Iterator[Pipeline]:
    made = Pipeline(store, LeadSummarizer(), Fetcher(timeout=5), quote_finder=quote_extractor)
    yield made
    made.close()


@pytest.mark.parametrize(
    ("text", "code", "opening"), [(FRENCH, "fr", FRENCH_OPENING), (GERMAN, "de", GERMAN_OPENING)]
)
def test_a_foreign_article_is_stored_with_its_language_and_its_opening_as_summary(
    store: Store, pipeline: Pipeline, text: str, code: str, opening: str
) -> None:
    outcome = _ingest(pipeline, text, f"https://presse.example/{code}/1")
    assert outcome.status == "stored" and outcome.article_id is not None
    article = store.get_article(outcome.article_id)
    assert article is not None
    assert article.language == code
    assert article.summary_method == f"opening:{code}"
    assert article.summary is not None and article.summary.startswith(opening)
    # Not read by the English rules: no quote (not even the English sentence in the French
    # one), and no sentence for search by the English encoder.
    assert store.quotes_for_article(article.id) == []
    assert store.search_sentences(["pêcheurs", "fähre", "harbour"], any_word=True) == []
    assert [a.id for a in store.latest_articles(5)] == [article.id]  # listed


def test_a_foreign_article_is_deduplicated_like_any_other(store: Store, pipeline: Pipeline) -> None:
    first = _ingest(pipeline, FRENCH, "https://presse.example/fr/1")
    again = _ingest(pipeline, FRENCH, "https://autre.example/copie")
    assert (again.status, again.article_id, again.reason) == (
        "skipped",
        first.article_id,
        "same text",
    )
    assert store.count_articles() == 1


def test_an_english_article_is_read_as_before(store: Store, pipeline: Pipeline) -> None:
    outcome = _ingest(pipeline, ENGLISH, "https://news.example/quays")
    assert outcome.article_id is not None
    article = store.get_article(outcome.article_id)
    assert article is not None
    assert (article.language, article.summary_method) == ("en", "lead")
    said = store.quotes_for_article(article.id)
    assert [q.quote.speaker for q in said] == ["Ann Reed"]
    assert store.search_sentences(["fishermen"], any_word=False)


class _Marks:
    """Quote rules for French: the words between « and » (a stand-in for real French rules)."""

    def extract(self, text: str, title: str | None = None) -> list[Quote]:
        start = text.index("«") + 1
        end = text.index("»", start)
        return [Quote(text=text[start:end].strip(), spans=((start, end),), speaker=None)]


def test_a_language_with_quote_rules_of_its_own_gets_its_quotes_from_them(
    store: Store, quote_extractor: QuoteExtractor
) -> None:
    models = ArticleModels(LeadSummarizer(), quote_extractor, quote_finders={"fr": _Marks()})
    executor = InProcess(models)
    pipeline = Pipeline(store, None, Fetcher(timeout=5), executor=executor)
    try:
        french = _ingest(pipeline, FRENCH, "https://presse.example/fr/1")
        german = _ingest(pipeline, GERMAN, "https://presse.example/de/1")
    finally:
        pipeline.close()
        executor.close()
    assert french.article_id is not None and german.article_id is not None
    (quote,) = store.quotes_for_article(french.article_id)
    assert quote.quote.text == "Nous rendons le port aux pêcheurs et aux habitants"
    assert store.quotes_for_article(german.article_id) == []


def test_the_lead_image_is_stored_with_the_article(
    store: Store, pipeline: Pipeline, tmp_path: Path
) -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in ENGLISH.split("\n\n")[1:])
    page = tmp_path / "quays.html"
    page.write_text(
        "<html><head><title>Harbour quays reopen</title>"
        "<meta property='og:image' content='https://img.news.example/quays.jpg'>"
        f"</head><body><article><h1>Harbour quays reopen</h1>{paragraphs}</article></body></html>",
        encoding="utf-8",
    )
    report = asyncio.run(pipeline.ingest_file(page))
    (outcome,) = report.stored
    assert outcome.article_id is not None
    article = store.get_article(outcome.article_id)
    assert article is not None and article.image == "https://img.news.example/quays.jpg"
    assert _ingest(pipeline, FRENCH, "https://presse.example/fr/1").article_id is not None
    assert store.latest_articles(1)[0].image is None  # text has no picture
