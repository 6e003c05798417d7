"""Reindex: sentences stored without vectors (by an older version) get them, once."""

from __future__ import annotations

import numpy as np

from summaries.ingest.jobs import passage_spans
from summaries.ingest.reindex import reindex
from summaries.store import NewArticle, Store
from summaries.understand.embed import MiniLMEmbedder
from summaries.understand.text import normalize_whitespace

CARROW = (
    "Engineers closed the old stone bridge at Carrow to lorries on Monday after finding cracks "
    "in two of its arches.\n\nCars and bicycles can still cross, but heavy traffic must take a\n"
    "diversion of eleven miles through the valley. Shop owners fear for their trade this winter."
)


def _store_without_vectors(store: Store) -> list[str]:
    """The Carrow article saved with its sentences but no vectors; its sentences' texts."""
    spans = passage_spans(CARROW)
    store.save_article(NewArticle(text=CARROW, sentence_spans=tuple(spans)))
    return [CARROW[a:b] for a, b in spans]


def test_reindex_embeds_each_sentence_stored_without_a_vector_once(
    store: Store, embedder: MiniLMEmbedder
) -> None:
    texts = _store_without_vectors(store)
    assert store.vectors("sentence", embedder.name)[0] == []

    assert reindex(store, embedder, batch=2) == len(texts) == 3
    assert reindex(store, embedder) == 0  # nothing left to do

    ids, matrix = store.vectors("sentence", embedder.name)
    assert len(ids) == 3
    # the vectors ingest would have made: of the sentence with its whitespace normalised
    expected = embedder.encode([normalize_whitespace(t) for t in texts])
    found = dict(zip(ids, matrix, strict=True))
    by_text = {s.text: found[s.id] for s in store.sentences_by_ids(ids)}
    for text, vector in zip(texts, expected, strict=True):
        np.testing.assert_allclose(by_text[text], vector, atol=1e-5)
    query = embedder.encode(["a long detour for lorries"])[0]
    best, _ = store.nearest("sentence", query, model=embedder.name, limit=1)[0]
    assert "diversion" in store.sentences_by_ids([best])[0].text


def test_reindex_stops_when_asked_and_the_next_run_finishes(
    store: Store, embedder: MiniLMEmbedder
) -> None:
    _store_without_vectors(store)
    asked: list[int] = []

    def stop_after_one_batch() -> bool:
        asked.append(1)
        return len(asked) > 1

    assert reindex(store, embedder, batch=2, stop=stop_after_one_batch) == 2
    assert reindex(store, embedder, batch=2) == 1
    assert len(store.vectors("sentence", embedder.name)[0]) == 3
