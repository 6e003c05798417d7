"""Generated articles for the store at scale: what bench/ask_latency.py stores to time answers
over 100k articles, and what tests/summaries/store/test_scale.py stores to check bulk loads and
query plans. Each article is made of given sentences, some of them quoted by a named person, so
its quotes, sentence spans and vectors are known without extraction or a model."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import numpy as np

from summaries.store.records import NewArticle
from summaries.types import Quote


def unit_vectors(n: int, dim: int, seed: int) -> np.ndarray:
    """`n` random unit vectors of `dim` dimensions (float32), the same for the same seed."""
    noise = np.random.default_rng(seed).normal(size=(n, dim))
    return (noise / np.linalg.norm(noise, axis=1, keepdims=True)).astype(np.float32)


def quoted_article(
    sentences: Sequence[str],
    quoted: Mapping[int, tuple[str, str]],
    *,
    sentence_vectors: np.ndarray,
    quote_vectors: np.ndarray,
    embedding_model: str,
    url: str,
    title: str,
    site: str,
    published: datetime,
    paragraph: int = 0,
) -> NewArticle:
    """An article of `sentences`; sentence `k` in `quoted`, as `(speaker, after)`, is spoken:
    “Words of the sentence,” Speaker said{after}. Sentences are joined by spaces, with a
    paragraph break after every `paragraph` of them (0: none). The quotes come in sentence
    order, `quote_vectors` holding one row each; `sentence_vectors` one row a sentence."""
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    quotes: list[Quote] = []
    at = 0
    for k, sentence in enumerate(sentences):
        if k:
            gap = "\n\n" if paragraph and k % paragraph == 0 else " "
            pieces.append(gap)
            at += len(gap)
        if k in quoted:
            who, after = quoted[k]
            body = sentence.rstrip(".") + ","
            sentence = f"“{body}” {who} said{after}."
            quotes.append(
                Quote(
                    text=body,
                    spans=((at + 1, at + 1 + len(body)),),
                    speaker=who,
                    speaker_mention=who,
                    cue="said",
                    context=sentence,
                )
            )
        spans.append((at, at + len(sentence)))
        pieces.append(sentence)
        at += len(sentence)
    return NewArticle(
        text="".join(pieces),
        url=url,
        title=title,
        site=site,
        published=published,
        quotes=tuple(quotes),
        quote_vectors=quote_vectors,
        sentence_spans=tuple(spans),
        sentence_vectors=sentence_vectors,
        embedding_model=embedding_model,
    )
