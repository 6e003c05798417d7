"""Quotes in the store: saved with their article, found by person, by words and by meaning."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from summaries.store import NewArticle, Store
from summaries.types import Quote
from tests.samples import TinyEmbedder

BODY = (
    "The foreign ministers met in New York on Monday to discuss the border. "
    "Officials said the talks were constructive and would continue next month."
)


def _quote(text: str, speaker: str | None, title: str | None = None, **kw: object) -> Quote:
    return Quote(
        text=text,
        spans=((0, len(text)),),
        speaker=speaker,
        speaker_title=title,
        speaker_mention=kw.pop("mention", speaker),  # type: ignore[arg-type]
        cue=kw.pop("cue", "said"),  # type: ignore[arg-type]
        context=kw.pop("context", text),  # type: ignore[arg-type]
    )


def _article(store: Store, n: int, quotes: list[Quote], day: int, **kw: object) -> int:
    saved = store.save_article(
        NewArticle(
            text=f"Story {n}. {BODY} Number {n} in the series of reports about this.",
            url=f"https://news.example/{n}",
            title=f"Story {n}",
            published=datetime(2026, 11, day, 9, tzinfo=UTC),
            quotes=tuple(quotes),
            **kw,  # type: ignore[arg-type]
        )
    )
    assert saved.created
    return saved.article.id


def test_quotes_are_saved_with_their_article_in_order(store: Store) -> None:
    article_id = _article(
        store,
        1,
        [
            _quote("There is no military solution.", "Antony Blinken", "U.S. Secretary of State"),
            _quote("We are ready for peace.", "Antony Blinken", mention="he"),
        ],
        day=2,
    )
    stored = store.quotes_for_article(article_id)
    assert [q.quote.text for q in stored] == [
        "There is no military solution.",
        "We are ready for peace.",
    ]
    first = stored[0]
    assert first.quote.speaker == "Antony Blinken"
    assert first.quote.speaker_title == "U.S. Secretary of State"
    assert stored[1].quote.speaker_mention == "he"
    assert first.article.url == "https://news.example/1"
    assert first.article.title == "Story 1"
    assert first.article.published == datetime(2026, 11, 2, 9, tzinfo=UTC)
    assert first.quote.spans == ((0, len(first.quote.text)),)


@pytest.mark.parametrize("asked", ["Blinken", "Antony Blinken", "Secretary Blinken", "blinken"])
def test_quotes_by_person_match_any_form_of_the_name_newest_first(store: Store, asked: str) -> None:
    _article(store, 1, [_quote("Old words on the border.", "Antony Blinken")], day=1)
    _article(store, 2, [_quote("New words on Russia.", "Antony Blinken")], day=5)
    _article(store, 4, [_quote("Unrelated words.", "Ararat Mirzoyan")], day=7)
    found = store.quotes_by_person(asked)
    assert [q.quote.text for q in found] == ["New words on Russia.", "Old words on the border."]


def test_a_full_name_does_not_match_another_person_with_the_same_surname(store: Store) -> None:
    _article(store, 1, [_quote("Words by Antony.", "Antony Blinken")], day=1)
    _article(store, 2, [_quote("Words by Donald.", "Donald Blinken")], day=2)
    assert [q.quote.text for q in store.quotes_by_person("Antony Blinken")] == ["Words by Antony."]
    assert len(store.quotes_by_person("Blinken")) == 2


def test_quotes_by_person_about_a_topic_keep_only_matching_quotes(store: Store) -> None:
    _article(
        store,
        1,
        [
            _quote(
                "Whether Russia tries to stir the pot, we are concerned.",
                "Antony Blinken",
            ),
            _quote("Diplomacy is the best path for everyone.", "Antony Blinken"),
        ],
        day=3,
    )
    found = store.quotes_by_person("Blinken", about="Russia")
    assert [q.quote.text for q in found] == [
        "Whether Russia tries to stir the pot, we are concerned."
    ]
    assert store.quotes_by_person("Blinken", about="unicorns") == []


def test_a_quote_naming_the_topic_comes_before_one_whose_sentence_does(store: Store) -> None:
    beside = _quote(
        "We will not wait for them.",
        "Antony Blinken",
        context="On the border talks with Russia, Blinken said: We will not wait for them.",
    )
    named = _quote("Russia has to choose now.", "Antony Blinken")
    # The sentence-only match is the newer one: newest first would put it ahead.
    _article(store, 1, [named], day=2)
    _article(store, 2, [beside], day=5)
    found = store.quotes_by_person("Blinken", about="Russia")
    assert [q.quote.text for q in found] == [named.text, beside.text]
    assert store.quotes_by_person("Nobody At All") == []


def test_quote_vectors_are_stored_and_searched_by_meaning(store: Store) -> None:
    embedder = TinyEmbedder()
    said = [
        _quote("Both sides are ready for peace talks.", "Antony Blinken"),
        _quote("The budget is balanced.", "Janet Yellen"),
    ]
    _article(
        store,
        1,
        said,
        day=2,
        quote_vectors=embedder.encode([q.text for q in said]),
        embedding_model=embedder.name,
    )
    ids, matrix = store.quote_vectors(embedder.name)
    assert len(ids) == 2 and matrix.shape == (2, 8)
    (best, score), *_ = store.similar_quotes(
        embedder.encode(["peace ready"])[0], model=embedder.name
    )
    assert best.quote.speaker == "Antony Blinken" and score > 0.5
    assert store.similar_quotes(embedder.encode(["peace"])[0], model="other-model") == []


def test_replace_quotes_swaps_an_articles_quotes(store: Store) -> None:
    article_id = _article(store, 1, [_quote("First version.", "Ann Reed")], day=2)
    store.replace_quotes(article_id, [_quote("Second version.", "Ann Reed")])
    assert [q.quote.text for q in store.quotes_for_article(article_id)] == ["Second version."]
    assert [q.quote.text for q in store.search_quotes("version")] == ["Second version."]
    with pytest.raises(KeyError):
        store.replace_quotes(999_999, [])


def test_vectors_must_match_the_quotes(store: Store) -> None:
    with pytest.raises(ValueError, match="one row per quote"):
        _article(
            store,
            1,
            [_quote("One quote.", "Ann Reed")],
            day=2,
            quote_vectors=np.zeros((2, 8), dtype=np.float32),
            embedding_model="m",
        )
    assert store.count_articles() == 0
