"""Full-text search in the store: quotes and sentences found by their words, safely."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from summaries.store import NewArticle, Store
from summaries.store.search import fts5_query, tsquery
from summaries.types import Quote


def _quote(text: str, speaker: str) -> Quote:
    return Quote(text=text, spans=((0, len(text)),), speaker=speaker, cue="said", context=text)


def _article(store: Store, n: int, quotes: list[Quote], day: int) -> int:
    saved = store.save_article(
        NewArticle(
            text=f"Story {n}. The foreign ministers met in New York on Monday to talk, "
            f"number {n} in the series of reports about this.",
            url=f"https://news.example/{n}",
            title=f"Story {n}",
            published=datetime(2026, 11, day, 9, tzinfo=UTC),
            quotes=tuple(quotes),
        )
    )
    return saved.article.id


def test_query_builders_quote_every_word() -> None:
    assert fts5_query(["no", "near"]) == '"no" "near"'
    assert fts5_query(["a", "b"], any_word=True) == '"a" OR "b"'
    assert tsquery(["a", "b"]) == "a & b"
    assert tsquery(["a", "b"], any_word=True) == "a | b"


@pytest.mark.parametrize(
    "hostile",
    ['"', "NEAR(", "no AND OR NOT", "*", "a:b -c", "💥💥", "x" * 5000, "') DROP TABLE quotes;--"],
)
def test_search_quotes_is_safe_with_any_text(store: Store, hostile: str) -> None:
    _article(store, 1, [_quote("There is no military solution.", "Antony Blinken")], day=2)
    store.search_quotes(hostile)  # must not raise
    assert store.search_quotes("no military solution")[0].quote.speaker == "Antony Blinken"


def test_search_quotes_prefers_quotes_with_every_word(store: Store) -> None:
    _article(
        store,
        1,
        [
            _quote("There is no military solution to the conflict.", "Antony Blinken"),
            _quote("A military parade was held.", "Jeyhun Bayramov"),
        ],
        day=2,
    )
    found = store.search_quotes("no military solution")
    assert [q.quote.speaker for q in found] == ["Antony Blinken"]
    # With no quote holding every word, any word will do.
    loose = store.search_quotes("military budget")
    assert {q.quote.speaker for q in loose} == {"Antony Blinken", "Jeyhun Bayramov"}


def test_sentences_are_found_by_their_words_and_cited(store: Store) -> None:
    text = "The bridge opens in May. Traffic will be diverted for a week."
    saved = store.save_article(
        NewArticle(
            text=text,
            url="https://news.example/bridge",
            title="Bridge opening",
            sentence_spans=((0, 24), (25, len(text))),
        )
    )
    ids = store.search_sentences(["traffic", "diverted"], any_word=False)
    (sentence,) = store.sentences_by_ids(ids)
    assert sentence.text == "Traffic will be diverted for a week."
    assert (sentence.article.id, sentence.position) == (saved.article.id, 1)
    assert sentence.article.title == "Bridge opening"
    assert store.search_sentences(["bridge", "unicorn"], any_word=False) == []
    assert len(store.search_sentences(["bridge", "unicorn"], any_word=True)) == 1
