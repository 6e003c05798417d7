"""Who said it: find the stored quotes that match a phrase, by words first, then by meaning."""

from __future__ import annotations

from summaries.answers import search
from summaries.store import Store, StoredQuote
from summaries.understand.embed import Embedder

# Below this cosine similarity a quote is not taken to say the same thing as the phrase.
MIN_SIMILARITY = 0.55
# A quote must hold at least this share of the phrase's words to count as a word match.
MIN_COVERAGE = 0.6


def who_said(
    store: Store, phrase: str, *, embedder: Embedder | None = None, limit: int = 5
) -> list[tuple[StoredQuote, float]]:
    """Quotes that say `phrase`, best first, with a score in [0, 1]; empty when none do.

    Word matches come first (the quote holds most of the phrase's words); with an embedder,
    quotes close in meaning are added when the words find too few. Nothing weaker is
    returned: an empty list means "nobody in the stored news said that".
    """
    if not search.terms(phrase):
        return []
    found: dict[int, tuple[StoredQuote, float]] = {}
    for quote in store.search_quotes(phrase, limit=limit * 4):
        score = search.coverage(phrase, quote.text)
        if score >= MIN_COVERAGE:
            found[quote.id] = (quote, score)
    if embedder is not None and len(found) < limit:
        vector = embedder.encode([phrase])[0]
        for quote, similarity in store.similar_quotes(
            vector, model=embedder.name, limit=limit, min_score=MIN_SIMILARITY
        ):
            if quote.id not in found:
                found[quote.id] = (quote, similarity)
    ranked = sorted(found.values(), key=lambda pair: (-pair[1], -pair[0].published.timestamp()))
    return ranked[:limit]
