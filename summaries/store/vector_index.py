"""A nearest-neighbour index (faiss) over one kind of stored vectors, kept in a folder on disk.

The database holds every vector; this index is a copy built from it, so it can be thrown away
and rebuilt (`newsbrief reindex`) at any time. Up to `IVF_FROM` vectors it is exact (a flat
inner-product index); from there, an inverted-file index with 8-bit scalar quantisation
(IVF-SQ8): a question scans the share `SCAN` of its lists (a fifth; at least `NPROBE`) instead
of every vector, in a quarter of float32's memory. Its scores are then approximate (about ±0.01
of the cosine). Recall against exact search on real MiniLM vectors (bench/vector_recall.py; and
35,000 sentences of the eval corpora, 300 of them as questions): 8-bit quantisation loses almost
nothing (recall@60 0.996 over all lists), the inverted lists do, less the more lists there are:
scanning a tenth, recall@60 is 0.77 with 64 lists, 0.88 with 256, 0.92 with 1,024; scanning a
fifth, 0.90, 0.94, 0.965. The index turns IVF at 200,000 vectors with 1,788 lists (with them
over those 35,000, 19 a list: a tenth 0.934, a fifth 0.974; `bench/vector_recall.py --sentences
40000`, 23,000: 0.945 and 0.977; more vectors a list did not lower it: 1,024 lists over 17,000
and 35,000 gave a fifth 0.964 and 0.965), so a fifth keeps recall@60 above 0.95; it costs
about 16 ms of CPU a question over 1M vectors (a tenth: 8).

A saved IVF index is read mapped from its file: its lists stay on disk and are paged in as
questions scan them (file pages the kernel may drop, and that every process reading the index
shares), so a bot answering over 100,000 articles does not hold their vectors. Vectors added
after it was read wait in a small exact index in memory, searched beside it, until the next save
writes them into the file.

faiss (`faiss-cpu`) is optional: `available()` says whether it loads.
"""

from __future__ import annotations

import json
import logging
import math
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

__all__ = ["IVF_FROM", "NPROBE", "SCAN", "VectorIndex", "available"]

IVF_FROM = 200_000  # vectors from which the index is IVF-SQ8 rather than exact
NPROBE = 32  # IVF lists scanned per question, at least
SCAN = 0.2  # share of its IVF lists a question scans (NEWSBRIEF_VECTOR_INDEX_SCAN)
_TRAIN = 100_000  # vectors the IVF's centroids and quantiser are trained on, at most
_FORMAT = 1


def available() -> bool:
    """Whether faiss can be imported here."""
    try:
        import faiss  # noqa: F401
    except ImportError:
        return False
    return True


def _probes(lists: int, scan: float = SCAN) -> int:
    """IVF lists scanned per question: the share `scan` of them, at least NPROBE."""
    return min(lists, max(NPROBE, math.ceil(scan * lists)))


def _lists(n: int) -> int:
    """IVF lists for `n` vectors: about 4·√n, so each list holds a few hundred."""
    return max(64, min(16_384, int(4 * math.sqrt(n))))


class VectorIndex:
    """The vectors of one kind ("sentence" or "quote") made by one model: faiss ids are the
    items' ids; `owners` maps an item id to its article (for a tenant's filter). Not
    thread-safe by itself: the store holds a lock around it. `last` is the last `embeddings`
    row it holds; rows are added in that order."""

    def __init__(
        self, kind: str, model: str, dim: int, *, ivf_from: int = IVF_FROM, scan: float = SCAN
    ) -> None:
        faiss = _faiss()
        self.kind, self.model, self.dim = kind, model, dim
        self.ivf_from = ivf_from
        self.scan = scan  # share of the IVF lists a search scans
        self.index: Any = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        self.owners = np.full(0, -1, dtype=np.int64)  # article of item id i, -1: none
        # A saved IVF index is read mapped from its file (read-only, paged in as searched);
        # what is added to it then waits in `delta` (exact, in memory) until the next save.
        self.mapped = False
        self.delta: Any = None
        self.last = 0
        self.unsaved = 0  # vectors added since the last save
        self.lock = threading.Lock()

    @property
    def size(self) -> int:
        return int(self.index.ntotal) + (int(self.delta.ntotal) if self.delta is not None else 0)

    @property
    def is_ivf(self) -> bool:
        faiss = _faiss()
        return isinstance(faiss.downcast_index(self.index), faiss.IndexIVF)

    # -- building ---------------------------------------------------------------------------
    def add(self, ids: np.ndarray, articles: np.ndarray, vectors: np.ndarray, last: int) -> None:
        """Add items (ids, their articles, their unit vectors), the rows up to `last`; past
        `ivf_from` vectors the exact index is rebuilt as IVF-SQ8 (once)."""
        if len(ids):
            ids = np.asarray(ids, dtype=np.int64)
            top = int(ids.max()) + 1
            if top > len(self.owners):
                grown = np.full(max(top, 2 * len(self.owners)), -1, dtype=np.int64)
                grown[: len(self.owners)] = self.owners
                self.owners = grown
            self.owners[ids] = articles
            target = self.index
            if self.mapped:
                if self.delta is None:
                    self.delta = _faiss().IndexIDMap2(_faiss().IndexFlatIP(self.dim))
                target = self.delta
            target.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)
            self.unsaved += len(ids)
        self.last = max(self.last, last)
        if not self.is_ivf and self.size >= self.ivf_from:
            self._to_ivf()

    def _to_ivf(self) -> None:
        """Rebuild the exact index as IVF-SQ8, trained on (a sample of) what it holds."""
        faiss = _faiss()
        ids = faiss.vector_to_array(self.index.id_map).astype(np.int64)
        flat = faiss.downcast_index(self.index.index)
        vectors = faiss.rev_swig_ptr(flat.get_xb(), self.size * self.dim).reshape(-1, self.dim)
        vectors = np.array(vectors, dtype=np.float32)  # a copy: the old index goes
        self.index = self.ivf(ids, vectors, self.dim, self.scan)

    @staticmethod
    def ivf(
        ids: np.ndarray, vectors: np.ndarray, dim: int, scan: float = SCAN, lists: int = 0
    ) -> Any:
        """An IVF-SQ8 index (inner product) trained on `vectors` and holding them, in `lists`
        lists (0: as many as suit their number)."""
        faiss = _faiss()
        quantiser = faiss.IndexFlatIP(dim)
        ivf = faiss.IndexIVFScalarQuantizer(
            quantiser, dim, lists or _lists(len(vectors)), faiss.ScalarQuantizer.QT_8bit,
            faiss.METRIC_INNER_PRODUCT,
        )  # fmt: skip
        ivf.own_fields = True
        quantiser.this.disown()
        rng = np.random.default_rng(0)
        sample = vectors
        if len(vectors) > _TRAIN:
            sample = vectors[rng.choice(len(vectors), _TRAIN, replace=False)]
        ivf.train(np.ascontiguousarray(sample))
        ivf.add_with_ids(np.ascontiguousarray(vectors), np.asarray(ids, dtype=np.int64))
        ivf.nprobe = _probes(ivf.nlist, scan)
        return ivf

    # -- searching --------------------------------------------------------------------------
    def search(
        self, vector: np.ndarray, limit: int, articles: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """The `limit` items nearest `vector` (inner product), best first; with `articles`
        (article ids), only their items."""
        faiss = _faiss()
        if self.size == 0 or limit < 1:
            return []
        selector = None
        if articles is not None:
            if not len(articles) or not len(self.owners):
                return []
            readable = np.zeros(int(max(self.owners.max(), articles.max())) + 1, dtype=bool)
            readable[articles] = True
            allowed = (self.owners >= 0) & readable[np.maximum(self.owners, 0)]
            bits = np.packbits(allowed, bitorder="little")
            selector = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bits))
        query = np.ascontiguousarray(np.asarray(vector, dtype=np.float32).reshape(1, -1))
        if self.is_ivf:
            nprobe = _probes(faiss.downcast_index(self.index).nlist, self.scan)
            params: Any = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)
        else:
            params = faiss.SearchParameters(sel=selector) if selector is not None else None
        k = min(limit, int(self.index.ntotal)) if self.index.ntotal else 0
        hits: list[tuple[int, float]] = []
        if k:
            scores, ids = self.index.search(query, k, params=params)
            hits = [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
        if self.delta is not None and self.delta.ntotal:
            exact = faiss.SearchParameters(sel=selector) if selector is not None else None
            k = min(limit, int(self.delta.ntotal))
            scores, ids = self.delta.search(query, k, params=exact)
            hits += [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
            hits.sort(key=lambda hit: -hit[1])
        return hits[:limit]

    # -- on disk ----------------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """Write the index to `folder` (replacing any copy there at once, not in part)."""
        faiss = _faiss()
        folder.mkdir(parents=True, exist_ok=True)
        stem = _stem(self.kind, self.model)
        tmp = folder / f".{stem}.{os.getpid()}.tmp"
        index = self.index
        if self.mapped and self.delta is not None and self.delta.ntotal:
            # The mapped file can't grow: write a copy read in full, with the delta added.
            index = faiss.read_index(str(folder / f"{stem}.faiss"))
            flat = faiss.downcast_index(self.delta.index)
            held = faiss.rev_swig_ptr(flat.get_xb(), self.delta.ntotal * self.dim)
            index.add_with_ids(
                np.array(held, dtype=np.float32).reshape(-1, self.dim),
                faiss.vector_to_array(self.delta.id_map).astype(np.int64),
            )
        faiss.write_index(index, str(tmp.with_suffix(".faiss")))
        np.save(tmp.with_suffix(".npy"), self.owners)
        meta = {"format": _FORMAT, "kind": self.kind, "model": self.model, "dim": self.dim}
        ivf = isinstance(faiss.downcast_index(index), faiss.IndexIVF)
        tmp.with_suffix(".json").write_text(json.dumps({**meta, "last": self.last, "ivf": ivf}))
        for suffix in (".faiss", ".npy", ".json"):  # the .json last: it vouches for the rest
            os.replace(tmp.with_suffix(suffix), folder / f"{stem}{suffix}")
        self.unsaved = 0
        if index is not self.index:  # map the new file (the old mapping's file is unlinked)
            self.index, self.delta = _read(folder / f"{stem}.faiss", True), None
            self.index.nprobe = _probes(faiss.downcast_index(self.index).nlist, self.scan)

    @classmethod
    def load(
        cls, folder: Path, kind: str, model: str, dim: int, *, scan: float = SCAN
    ) -> VectorIndex | None:
        """The index saved in `folder` for `kind` and `model`, or None (absent, another
        format or dimension, or unreadable: it is rebuilt from the database). How much of it
        a search scans is `scan`'s, not the file's, so files saved before still read."""
        stem = _stem(kind, model)
        try:
            meta = json.loads((folder / f"{stem}.json").read_text())
            if (meta["format"], meta["kind"], meta["model"], meta["dim"]) != (
                _FORMAT, kind, model, dim,
            ):  # fmt: skip
                return None
            index = cls(kind, model, dim, scan=scan)
            index.mapped = bool(meta.get("ivf", False))
            index.index = _read(folder / f"{stem}.faiss", index.mapped)
            index.owners = np.load(folder / f"{stem}.npy")
            index.last = int(meta["last"])
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            if not isinstance(exc, FileNotFoundError):
                log.warning("vector index in %s not read (%s): rebuilding it", folder, exc)
            return None
        return index


def _faiss() -> Any:
    """The faiss module (untyped here: its bindings are SWIG's)."""
    import faiss

    return faiss


def _read(path: Path, mapped: bool) -> Any:
    """A saved index; `mapped` (an IVF one): mapped from its file, its lists left on disk and
    paged in as searched (shared by every process that reads them), else read into memory."""
    faiss = _faiss()
    if not mapped:
        return faiss.read_index(str(path))
    return faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY)


def _stem(kind: str, model: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in model)
    return f"{kind}-{safe}"
