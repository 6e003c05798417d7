"""Answerers over the articles a test module lists in its ARTICLES: (text, url, published).

Answering only reads the store, so the tests of a module share one store per fixture.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from summaries.answers.answer import Answerer
from summaries.store import Store
from summaries.understand.embed import MiniLMEmbedder
from summaries.understand.quotes import QuoteExtractor
from tests.samples import ingest_texts


def _answerer(
    request: pytest.FixtureRequest,
    quote_extractor: QuoteExtractor,
    embedder: MiniLMEmbedder | None,
) -> Iterator[Answerer]:
    folder = request.getfixturevalue("tmp_path_factory").mktemp("answers")
    with Store(f"sqlite:///{folder / 'news.db'}") as store:
        ingest_texts(store, request.module.ARTICLES, quote_extractor, embedder)
        yield Answerer(store, embedder)


@pytest.fixture(scope="module")
def words_only(
    request: pytest.FixtureRequest, quote_extractor: QuoteExtractor
) -> Iterator[Answerer]:
    """An Answerer over the module's ARTICLES that searches by words alone."""
    yield from _answerer(request, quote_extractor, None)


@pytest.fixture(scope="module")
def hybrid(
    request: pytest.FixtureRequest, quote_extractor: QuoteExtractor, embedder: MiniLMEmbedder
) -> Iterator[Answerer]:
    """An Answerer over the module's ARTICLES, stored with their vectors: words and meaning."""
    yield from _answerer(request, quote_extractor, embedder)
