"""Embeddings in the store: one byte encoding, articles' vectors, nearest items by meaning."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from summaries.store import NewArticle, Store
from summaries.store.vectors import decode_vector, encode_vector, item_embeddings
from summaries.types import Quote


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def _article(store: Store, n: int) -> int:
    text = f"Article number {n} has enough words in it to be stored on its own, {n}."
    return store.save_article(NewArticle(text=text, title=f"Title {n}")).article.id


def test_a_vector_is_stored_as_little_endian_float32_and_read_back_equal() -> None:
    vector = np.array([0.5, -1.25, 3.0], dtype=np.float64)

    data = encode_vector(vector)

    assert data == np.array([0.5, -1.25, 3.0], dtype="<f4").tobytes()
    assert decode_vector(data).tolist() == [0.5, -1.25, 3.0]


def test_article_vectors_are_kept_per_model_and_never_replaced(store: Store) -> None:
    first, second = _article(store, 1), _article(store, 2)
    store.add_article_vectors("model-a", {first: _unit(1, 0), second: _unit(0, 1)})
    store.add_article_vectors("model-a", {first: _unit(1, 1)})  # already stored: left alone
    store.add_article_vectors("model-b", {first: _unit(1, 1)})

    found = store.article_vectors([second, first, first, 999], "model-a")

    assert sorted(found) == [first, second]
    assert found[first].tolist() == _unit(1, 0).tolist()
    assert store.article_vectors([first], "model-b")[first].tolist() == _unit(1, 1).tolist()
    assert store.article_vectors([second], "model-c") == {}


def test_nearest_ranks_by_cosine_and_sees_quotes_saved_after_the_first_call(store: Store) -> None:
    def save(n: int, words: str, vector: np.ndarray) -> None:
        quote = Quote(text=words, spans=((0, len(words)),), speaker="Ann Reed", cue="said")
        store.save_article(
            NewArticle(
                text=f"{words} Story {n} has enough words in it to be stored on its own.",
                quotes=(quote,),
                quote_vectors=vector[None, :],
                embedding_model="m",
            )
        )

    save(1, "About peace.", _unit(1, 0, 0))
    save(2, "About war.", _unit(0, 1, 0))
    assert len(store.nearest("quote", _unit(1, 0.1, 0), model="m")) == 2
    save(3, "About peace talks.", _unit(1, 0.2, 0))

    found = store.nearest("quote", _unit(1, 0.1, 0), model="m", limit=2)
    close = store.nearest("quote", _unit(1, 0.1, 0), model="m", min_score=0.5)

    texts = {q.id: q.quote.text for q in store.quotes_by_ids(store.quote_vectors("m")[0])}
    assert [texts[i] for i, _ in found] == ["About peace talks.", "About peace."]
    assert found[0][1] > found[1][1] > 0.9
    assert [texts[i] for i, _ in close] == ["About peace talks.", "About peace."]
    assert store.nearest("quote", _unit(1, 0, 0), model="other") == []


def test_item_embeddings_are_one_row_per_item_and_refuse_a_mismatch() -> None:
    now = datetime.now(UTC)
    vectors = np.stack([_unit(1, 0), _unit(0, 1)])

    rows = item_embeddings(7, "sentence", 2, vectors, "m", now)

    assert [(r["article_id"], r["kind"], r["item_index"], r["model"]) for r in rows] == [
        (7, "sentence", 0, "m"),
        (7, "sentence", 1, "m"),
    ]
    assert decode_vector(rows[1]["vector"]).tolist() == [0.0, 1.0]
    assert item_embeddings(7, "quote", 2, None, None, now) == []
    with pytest.raises(ValueError, match="sentence_vectors need an embedding_model"):
        item_embeddings(7, "sentence", 2, vectors, None, now)
    with pytest.raises(ValueError, match="one row per quote"):
        item_embeddings(7, "quote", 3, vectors, "m", now)
