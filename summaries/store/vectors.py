"""Embeddings: the one vector encoding, the in-memory vector cache, and nearest by meaning."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

import numpy as np
import sqlalchemy as sa

from summaries.store.engine import insert_new
from summaries.store.records import Tenant
from summaries.store.schema import embeddings, quotes, sentences
from summaries.store.tenants import Tenants
from summaries.times import utcnow

ARTICLE_VECTOR = "article"  # embeddings.kind of an article's title-and-summary vector
_CHUNK = 500  # ids per IN (...) list
_NO_IDS = np.zeros(0, dtype=np.int64)


def encode_vector(vector: np.ndarray) -> bytes:
    """A vector as stored: float32, little-endian."""
    return np.asarray(vector, dtype="<f4").tobytes()


def decode_vector(data: bytes) -> np.ndarray:
    """A stored vector (read-only: it shares the bytes)."""
    return np.frombuffer(data, dtype="<f4")


def embedding_row(
    article_id: int, kind: str, index: int, model: str, vector: np.ndarray, now: datetime
) -> dict[str, Any]:
    """An `embeddings` row for item `index` of an article."""
    return {
        "article_id": article_id,
        "kind": kind,
        "item_index": index,
        "model": model,
        "dim": int(vector.shape[0]),
        "vector": encode_vector(vector),
        "created_at": now,
    }


def item_embeddings(
    article_id: int,
    kind: str,
    items: int,
    vectors: np.ndarray | None,
    model: str | None,
    now: datetime,
) -> list[dict[str, Any]]:
    """The `embeddings` rows of an article's `items` quotes or sentences (`kind`), row i for
    item i; none without vectors. Raises ValueError for vectors without their model, or not one
    row per item."""
    if vectors is None:
        return []
    if model is None or len(vectors) != items:
        raise ValueError(f"{kind}_vectors need an embedding_model and one row per {kind}")
    return [embedding_row(article_id, kind, i, model, v, now) for i, v in enumerate(vectors)]


class _Cached(NamedTuple):
    """The stored vectors of one kind and model, as read so far."""

    ids: list[int]  # item (quote or sentence) ids
    matrix: np.ndarray  # their unit vectors, row i for ids[i]
    articles: np.ndarray  # the article of each row
    last: int  # the last embeddings row read


class Vectors(Tenants):
    """Stored embeddings of quotes, sentences and articles."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self._vectors: dict[tuple[str, str], _Cached] = {}
        self._vectors_lock = threading.Lock()

    def quote_vectors(self, model: str) -> tuple[list[int], np.ndarray]:
        """Every stored quote embedding made by `model`: quote ids and a (n, dim) matrix."""
        return self.vectors("quote", model)

    def vectors(self, kind: str, model: str) -> tuple[list[int], np.ndarray]:
        """Every stored embedding of `kind` ("quote" or "sentence") made by `model`: the item
        ids (quote or sentence ids) and a (n, dim) matrix, row i for ids[i]."""
        cached = self._cached(kind, model)
        return cached.ids, cached.matrix

    def nearest(
        self,
        kind: str,
        vector: np.ndarray,
        *,
        model: str,
        limit: int = 10,
        min_score: float = 0.0,
        tenant: Tenant | None = None,
    ) -> list[tuple[int, float]]:
        """Ids of the `kind` items closest in meaning to `vector` (cosine), best first; with
        `tenant`, only items of the articles in its library."""
        ids, matrix, owners, _ = self._cached(kind, model)
        if not ids or limit < 1:
            return []
        scores = matrix @ np.asarray(vector, dtype=np.float32)
        if tenant is not None:
            # A lookup table by article id: one pass over the rows, whatever the library's size.
            allowed = self.tenant_article_ids(tenant)
            if not allowed.size:
                return []
            readable = np.zeros(int(max(owners.max(), allowed.max())) + 1, dtype=bool)
            readable[allowed] = True
            scores = np.where(readable[owners], scores, -np.inf)
        k = min(limit, len(ids))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(ids[i], float(scores[i])) for i in top if scores[i] >= min_score]

    def _cached(self, kind: str, model: str) -> _Cached:
        """The vectors of `kind` by `model`, kept in memory and topped up with the rows stored
        since the last call, so a question costs one small query, not a read of every vector."""
        table = quotes if kind == "quote" else sentences
        with self._vectors_lock:
            cached = self._vectors.get(
                (kind, model), _Cached([], np.zeros((0, 0), dtype=np.float32), _NO_IDS, 0)
            )
            query = (
                sa.select(
                    table.c.id,
                    table.c.article_id,
                    embeddings.c.id.label("eid"),
                    embeddings.c.vector,
                )
                .join(
                    embeddings,
                    (embeddings.c.article_id == table.c.article_id)
                    & (embeddings.c.item_index == table.c.position)
                    & (embeddings.c.kind == kind),
                )
                .where(embeddings.c.model == model, embeddings.c.id > cached.last)
                .order_by(embeddings.c.id)
            )
            with self.reading() as conn:
                rows = conn.execute(query).all()
            if rows:
                fresh = np.stack([decode_vector(row.vector) for row in rows])
                owners = np.fromiter((row.article_id for row in rows), np.int64, len(rows))
                cached = _Cached(
                    cached.ids + [int(row.id) for row in rows],
                    fresh if not cached.ids else np.concatenate([cached.matrix, fresh]),
                    np.concatenate([cached.articles, owners]),
                    max(int(row.eid) for row in rows),
                )
                self._vectors[(kind, model)] = cached
        return cached

    def article_vectors(self, ids: Sequence[int], model: str) -> dict[int, np.ndarray]:
        """The stored title-and-summary vectors `model` made of these articles, by article id."""
        found: dict[int, np.ndarray] = {}
        wanted = list(dict.fromkeys(ids))
        with self.reading() as conn:
            for start in range(0, len(wanted), _CHUNK):
                rows = conn.execute(
                    sa.select(embeddings.c.article_id, embeddings.c.vector).where(
                        embeddings.c.article_id.in_(wanted[start : start + _CHUNK]),
                        embeddings.c.kind == ARTICLE_VECTOR,
                        embeddings.c.item_index == 0,
                        embeddings.c.model == model,
                    )
                ).all()
                found.update((int(r.article_id), decode_vector(r.vector)) for r in rows)
        return found

    def add_article_vectors(self, model: str, vectors: Mapping[int, np.ndarray]) -> None:
        """Store articles' title-and-summary vectors; one already stored is left as it was."""
        if not vectors:
            return
        now = utcnow()
        with self.writing() as conn:
            conn.execute(
                insert_new(conn, embeddings, ["article_id", "kind", "item_index", "model"]),
                [embedding_row(i, ARTICLE_VECTOR, 0, model, v, now) for i, v in vectors.items()],
            )
