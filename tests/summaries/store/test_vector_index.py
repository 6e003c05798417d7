"""The faiss index beside the database: exact when small, IVF-SQ8 past a size, kept on disk."""

from pathlib import Path

import numpy as np
import pytest

from summaries.store import NewArticle, Store
from summaries.store.vector_index import SCAN, VectorIndex, available
from summaries.types import Quote

pytestmark = pytest.mark.skipif(not available(), reason="faiss-cpu not installed")


def _clustered(n: int, dim: int, seed: int) -> np.ndarray:
    """Unit vectors around 40 centres, as sentence embeddings cluster by topic."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(40, dim))
    vectors = centres[rng.integers(0, 40, n)] + 0.6 * rng.normal(size=(n, dim))
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def test_past_its_threshold_the_index_turns_ivf_and_keeps_recall_and_tenant_filter() -> None:
    vectors = _clustered(3000, 32, seed=1)
    ids = np.arange(10, 3010, dtype=np.int64)
    articles = ids // 10  # ten items per article
    index = VectorIndex("sentence", "m", 32, ivf_from=2000)
    index.add(ids[:1500], articles[:1500], vectors[:1500], last=1500)
    assert not index.is_ivf
    index.add(ids[1500:], articles[1500:], vectors[1500:], last=3000)
    assert index.is_ivf and index.size == 3000 and index.last == 3000

    queries = _clustered(50, 32, seed=2)
    recall = []
    for q in queries:
        exact = set(ids[np.argsort(-(vectors @ q))[:10]].tolist())
        found = {i for i, _ in index.search(q, 10)}
        recall.append(len(exact & found) / 10)
    assert np.mean(recall) >= 0.9

    allowed = np.array([5, 77, 150])
    hits = index.search(queries[0], 10, allowed)
    assert hits and {i // 10 for i, _ in hits} <= {5, 77, 150}
    assert index.search(queries[0], 10, np.array([999_999])) == []


def test_with_the_default_scan_an_ivf_index_keeps_recall_at_60_on_diffuse_clusters() -> None:
    # Real MiniLM vectors cluster loosely (bench/vector_recall.py): many topics, much spread.
    # These are as hard: scanning a tenth of the lists loses about an eighth of the top 60.
    rng = np.random.default_rng(7)
    centres = rng.normal(size=(400, 32))

    def draw(n: int) -> np.ndarray:
        vectors = centres[rng.integers(0, 400, n)] + rng.normal(size=(n, 32))
        return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)

    vectors, queries = draw(12_000), draw(60)
    ids = np.arange(1, 12_001, dtype=np.int64)
    exact = [set(ids[np.argsort(-(vectors @ q))[:60]].tolist()) for q in queries]

    def recall(scan: float) -> float:
        index = VectorIndex("sentence", "m", 32, ivf_from=12_000, scan=scan)
        index.add(ids, ids, vectors, last=12_000)
        assert index.is_ivf
        found = [{i for i, _ in index.search(q, 60)} for q in queries]
        return float(np.mean([len(e & f) / 60 for e, f in zip(exact, found, strict=True)]))

    assert recall(SCAN) >= 0.95
    assert recall(0.1) < 0.95  # the old share, a tenth, falls short: these vectors tell them apart


def test_an_index_saved_to_disk_reads_back_the_same(tmp_path: Path) -> None:
    vectors = _clustered(100, 16, seed=3)
    ids = np.arange(1, 101, dtype=np.int64)
    index = VectorIndex("quote", "a/model", 16)
    index.add(ids, ids, vectors, last=100)
    index.save(tmp_path)

    again = VectorIndex.load(tmp_path, "quote", "a/model", 16)

    assert again is not None and again.size == 100 and again.last == 100
    assert again.search(vectors[7], 3) == index.search(vectors[7], 3)
    assert VectorIndex.load(tmp_path, "quote", "a/model", 8) is None  # another dimension
    assert VectorIndex.load(tmp_path, "sentence", "a/model", 16) is None
    (tmp_path / "quote-a_model.faiss").write_bytes(b"not an index")
    assert VectorIndex.load(tmp_path, "quote", "a/model", 16) is None


def test_a_saved_ivf_index_is_mapped_and_what_comes_after_is_searched_and_saved(
    tmp_path: Path,
) -> None:
    vectors = _clustered(2600, 16, seed=5)
    ids = np.arange(1, 2601, dtype=np.int64)
    index = VectorIndex("sentence", "m", 16, ivf_from=2000)
    index.add(ids[:2400], ids[:2400] // 4, vectors[:2400], last=2400)
    assert index.is_ivf
    index.save(tmp_path)

    mapped = VectorIndex.load(tmp_path, "sentence", "m", 16)
    assert mapped is not None and mapped.mapped and mapped.size == 2400
    assert mapped.search(vectors[5], 5) == index.search(vectors[5], 5)
    mapped.add(ids[2400:], ids[2400:] // 4, vectors[2400:], last=2600)
    assert mapped.size == 2600 and mapped.delta is not None
    assert mapped.search(vectors[2500], 1)[0][0] == 2501  # found in the delta
    assert {i // 4 for i, _ in mapped.search(vectors[2500], 5, np.array([625]))} == {625}
    mapped.save(tmp_path)
    assert mapped.delta is None and mapped.size == 2600  # written into the file, mapped again

    again = VectorIndex.load(tmp_path, "sentence", "m", 16)
    assert again is not None and again.size == 2600 and again.last == 2600
    assert again.search(vectors[2500], 1)[0][0] == 2501
    assert again.search(vectors[5], 3) == mapped.search(vectors[5], 3)

    # How much of it a search scans is the reader's choice, not the file's.
    every = VectorIndex.load(tmp_path, "sentence", "m", 16, scan=1.0)
    assert every is not None and every.scan == 1.0
    exact = set(ids[np.argsort(-(vectors @ vectors[9]))[:20]].tolist())
    assert len(exact & {i for i, _ in every.search(vectors[9], 20)}) >= 19


def _save(store: Store, n: int, vector: np.ndarray) -> None:
    words = f"Words number {n}."
    store.save_article(
        NewArticle(
            text=f"{words} Story {n} has enough words in it to be stored on its own.",
            quotes=(Quote(text=words, spans=((0, len(words)),), speaker="Ann Reed", cue="said"),),
            quote_vectors=vector[None, :],
            embedding_model="m",
        )
    )


def test_the_store_keeps_its_index_beside_a_sqlite_file_and_tops_it_up(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/news.db"
    vectors = _clustered(30, 8, seed=4)
    with Store(url) as store:
        for n in range(20):
            _save(store, n, vectors[n])
        first = store.nearest("quote", vectors[3], model="m", limit=3)
        store.close()  # writes the index
    assert (tmp_path / "news.db.vectors" / "quote-m.faiss").is_file()
    with Store(url, vector_scan=0.5) as wide:
        assert wide.nearest("quote", vectors[3], model="m", limit=3) == first
        assert [index.scan for index in wide._indexes.values()] == [0.5]
    with pytest.raises(ValueError, match="vector_scan"):
        Store(url, vector_scan=0)
    with Store(url) as store, Store(url, vector_index=False) as plain:
        assert store.nearest("quote", vectors[3], model="m", limit=3) == first
        for n in range(20, 30):
            _save(store, n, vectors[n])
        for q in vectors[20:30]:
            with_index = store.nearest("quote", q, model="m", limit=5)
            brute = plain.nearest("quote", q, model="m", limit=5)
            assert [i for i, _ in with_index] == [i for i, _ in brute]
            assert np.allclose([s for _, s in with_index], [s for _, s in brute], atol=1e-5)


def test_an_index_left_by_another_database_is_rebuilt(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/news.db"
    vectors = _clustered(10, 8, seed=5)
    with Store(url) as store:
        for n in range(10):
            _save(store, n, vectors[n])
        store.nearest("quote", vectors[0], model="m")
    (tmp_path / "news.db").unlink()  # a new database, the old index still beside it
    with Store(url) as store:
        _save(store, 0, vectors[5])
        hits = store.nearest("quote", vectors[5], model="m")
        assert len(hits) == 1 and hits[0][1] > 0.99
