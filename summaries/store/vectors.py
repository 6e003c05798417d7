"""Embeddings: the one vector encoding, the in-memory vector cache, and nearest by meaning."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import sqlalchemy as sa

from summaries.store.engine import insert_new
from summaries.store.records import SentenceItem, Tenant
from summaries.store.schema import embeddings, quotes, sentences
from summaries.store.tenants import Tenants
from summaries.store.vector_index import SCAN, VectorIndex, available
from summaries.times import utcnow

log = logging.getLogger(__name__)

ARTICLE_VECTOR = "article"  # embeddings.kind of an article's title-and-summary vector
_CHUNK = 500  # ids per IN (...) list
_NO_IDS = np.zeros(0, dtype=np.int64)
_READ = 20_000  # stored vectors read into the index at a time
SAVE_EVERY = 20_000  # vectors added to an index before it is written to disk again


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


def _embedding_of(table: sa.Table, kind: str) -> sa.ColumnElement[bool]:
    """Which embeddings row is that of a quote or sentence (`kind`) of `table`: its article's,
    at its position."""
    return (
        (embeddings.c.article_id == table.c.article_id)
        & (embeddings.c.item_index == table.c.position)
        & (embeddings.c.kind == kind)
    )


class _Cached(NamedTuple):
    """The stored vectors of one kind and model, as read so far."""

    ids: list[int]  # item (quote or sentence) ids
    matrix: np.ndarray  # their unit vectors, row i for ids[i]
    articles: np.ndarray  # the article of each row
    last: int  # the last embeddings row read


class Vectors(Tenants):
    """Stored embeddings of quotes, sentences and articles.

    `nearest` searches a faiss index (summaries.store.vector_index) when faiss is installed and
    `vector_index` is true: kept in `vector_dir` (default: beside a SQLite database file, in
    `<file>.vectors/`; none: in memory only), read at the first question, topped up from the
    database with the vectors stored since, and written back every `SAVE_EVERY` new vectors and
    at `close()`; an IVF index's searches scan the share `vector_scan` of its lists. Otherwise
    every stored vector is read into one matrix and searched exactly.
    """

    def __init__(
        self,
        url: str,
        *,
        vector_index: bool = True,
        vector_dir: str | Path | None = None,
        vector_scan: float = SCAN,
    ) -> None:
        if not 0 < vector_scan <= 1:
            raise ValueError(f"vector_scan must be in (0, 1], not {vector_scan}")
        super().__init__(url)
        self.vector_scan = vector_scan  # share of an IVF index's lists a search scans
        self._vectors: dict[tuple[str, str], _Cached] = {}
        self._vectors_lock = threading.Lock()
        self._indexes: dict[tuple[str, str], VectorIndex] = {}
        self.vector_index = vector_index and available()
        if vector_dir is None and self._is_sqlite:
            database = self.engine.url.database
            if database and database != ":memory:" and not database.startswith("file:"):
                vector_dir = f"{database}.vectors"
        self.vector_dir = Path(vector_dir) if vector_dir is not None else None

    def close(self) -> None:
        """Write the vector indexes' unsaved additions, then release the connections."""
        if self.vector_dir is not None:
            for index in list(self._indexes.values()):
                with index.lock:
                    if index.unsaved:
                        try:
                            index.save(self.vector_dir)
                        except (OSError, RuntimeError) as exc:  # rebuilt from the database
                            log.warning("vector index not saved: %s", exc)
        super().close()

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
        if self.vector_index:
            index = self._index(kind, model, int(np.asarray(vector).shape[-1]))
            allowed = self.tenant_article_ids(tenant) if tenant is not None else None
            with index.lock:
                hits = index.search(vector, limit, allowed)
            return [(i, score) for i, score in hits if score >= min_score]
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

    def _vector_rows(self, kind: str, model: str, after: int, limit: int | None = None) -> Any:
        """The stored vectors of `kind` by `model` in `embeddings` rows after `after`, in row
        order: item id, article id, row id (eid), vector."""
        table = quotes if kind == "quote" else sentences
        query = (
            sa.select(
                table.c.id, table.c.article_id, embeddings.c.id.label("eid"), embeddings.c.vector
            )
            .join(embeddings, _embedding_of(table, kind))
            .where(embeddings.c.model == model, embeddings.c.id > after)
            .order_by(embeddings.c.id)
        )
        if limit is not None:
            query = query.limit(limit)
        with self.reading() as conn:
            return conn.execute(query).all()

    def _index(self, kind: str, model: str, dim: int) -> VectorIndex:
        """The index of `kind` by `model`, read from disk or built at first use, then topped up
        with the vectors stored since."""
        with self._vectors_lock:
            index = self._indexes.get((kind, model))
            if index is None or index.dim != dim:
                index = self._open_index(kind, model, dim)
                self._indexes[(kind, model)] = index
        with index.lock:
            self._top_up(index)
        return index

    def _open_index(self, kind: str, model: str, dim: int) -> VectorIndex:
        if self.vector_dir is not None:
            saved = VectorIndex.load(self.vector_dir, kind, model, dim, scan=self.vector_scan)
            if saved is not None and self._holds_row(saved):
                return saved
        return VectorIndex(kind, model, dim, scan=self.vector_scan)

    def _holds_row(self, index: VectorIndex) -> bool:
        """Whether the database has the last row a saved index read (else it is another
        database's, or this one was recreated)."""
        if index.last == 0:
            return True
        query = sa.select(embeddings.c.id).where(
            embeddings.c.id == index.last,
            embeddings.c.kind == index.kind,
            embeddings.c.model == index.model,
        )
        with self.reading() as conn:
            return conn.execute(query).first() is not None

    def _top_up(self, index: VectorIndex) -> None:
        """Add the vectors stored since the index's last row (the caller holds its lock)."""
        while True:
            rows = self._vector_rows(index.kind, index.model, index.last, _READ)
            if not rows:
                break
            fit = [row for row in rows if len(row.vector) == 4 * index.dim]  # one model, one dim
            index.add(
                np.fromiter((row.id for row in fit), np.int64, len(fit)),
                np.fromiter((row.article_id for row in fit), np.int64, len(fit)),
                np.stack([decode_vector(row.vector) for row in fit])
                if fit
                else np.zeros((0, index.dim), dtype=np.float32),
                max(int(row.eid) for row in rows),
            )
            if len(rows) < _READ:
                break
        if self.vector_dir is not None and index.unsaved >= SAVE_EVERY:
            try:
                index.save(self.vector_dir)
            except (OSError, RuntimeError) as exc:
                log.warning("vector index not saved: %s", exc)

    def rebuild_vector_index(self, kind: str, model: str, dim: int) -> int:
        """Build the index of `kind` by `model` anew from the database (and save it); returns
        how many vectors it holds (0 without faiss or with the index off)."""
        if not self.vector_index:
            return 0
        index = VectorIndex(kind, model, dim, scan=self.vector_scan)
        with index.lock:
            self._top_up(index)
            if self.vector_dir is not None:
                index.save(self.vector_dir)
        with self._vectors_lock:
            self._indexes[(kind, model)] = index
        return index.size

    def _cached(self, kind: str, model: str) -> _Cached:
        """The vectors of `kind` by `model`, kept in memory and topped up with the rows stored
        since the last call, so a question costs one small query, not a read of every vector."""
        with self._vectors_lock:
            cached = self._vectors.get(
                (kind, model), _Cached([], np.zeros((0, 0), dtype=np.float32), _NO_IDS, 0)
            )
            rows = self._vector_rows(kind, model, cached.last)
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

    def item_vectors(self, kind: str, ids: Sequence[int], model: str) -> dict[int, np.ndarray]:
        """The stored vectors `model` made of these quotes or sentences (`kind`), by item id."""
        table = quotes if kind == "quote" else sentences
        found: dict[int, np.ndarray] = {}
        wanted = list(dict.fromkeys(ids))
        with self.reading() as conn:
            for start in range(0, len(wanted), _CHUNK):
                rows = conn.execute(
                    sa.select(table.c.id, embeddings.c.vector)
                    .join(embeddings, _embedding_of(table, kind))
                    .where(
                        table.c.id.in_(wanted[start : start + _CHUNK]),
                        embeddings.c.model == model,
                    )
                ).all()
                found.update((int(r.id), decode_vector(r.vector)) for r in rows)
        return found

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

    def sentences_without_vectors(self, model: str, *, limit: int = 256) -> list[SentenceItem]:
        """Up to `limit` stored sentences that have no embedding by `model` yet (sentences
        stored before embeddings were made of them, or by another model), in article order."""
        embedded = sa.exists().where(
            embeddings.c.article_id == sentences.c.article_id,
            embeddings.c.kind == "sentence",
            embeddings.c.item_index == sentences.c.position,
            embeddings.c.model == model,
        )
        query = (
            sa.select(sentences.c.article_id, sentences.c.position, sentences.c.text)
            .where(~embedded)
            .order_by(sentences.c.article_id, sentences.c.position)
            .limit(limit)
        )
        with self.reading() as conn:
            rows = conn.execute(query).all()
        return [SentenceItem(int(r.article_id), int(r.position), str(r.text)) for r in rows]

    def add_sentence_vectors(
        self, model: str, items: Sequence[SentenceItem], vectors: np.ndarray
    ) -> None:
        """Store sentences' embeddings by `model`, row i for items[i]; one already stored (by a
        concurrent writer) is left as it was. Raises ValueError unless one row per item."""
        if len(items) != len(vectors):
            raise ValueError("one vector per sentence")
        if not items:
            return
        now = utcnow()
        rows = [
            embedding_row(item.article_id, "sentence", item.position, model, vector, now)
            for item, vector in zip(items, vectors, strict=True)
        ]
        with self.writing() as conn:
            conn.execute(
                insert_new(conn, embeddings, ["article_id", "kind", "item_index", "model"]), rows
            )

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
