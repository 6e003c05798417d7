"""Recall of the faiss vector index against exact search, on real sentence vectors.

    python bench/vector_recall.py [--sentences 3000] [--queries 200] [--k 60]
                                  [--lists 64,256,1024,1788]

Sentences of the eval corpora (NEWSBRIEF_EVAL_DIR) are embedded with MiniLM; `--queries` of them
are held out as questions. The index (summaries.store.vector_index) is built over the rest as
the store builds it, forced to IVF-SQ8 (its form past 200,000 vectors) with lists scaled to the
size, scanning a tenth, a fifth, the default share (SCAN, NEWSBRIEF_VECTOR_INDEX_SCAN) and half
of its lists; recall@k is the share of the exact top k it returns, with the time per search.

Then recall@k by number of lists and share of them scanned (IVF-SQ8, as the index builds it):
recall at a given share rises with the lists, and the store's index has 1,788 (made at 200,000
vectors), so measure with enough sentences for them (`--sentences 40000` takes the whole pool,
PolNeAR train included, ~35,000: some 7 minutes to embed on 2 cores).

Then the codes an IVF index could keep per vector, on the same lists and scanning all of them
(so only the code differs): 8-bit (the index's), 6-bit and 4-bit scalar quantisers and float16,
with recall@k, the error of the scores they return (|approximate - exact cosine|; the answers
compare scores with thresholds such as 0.4 and 0.6) and the bytes each vector takes.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ask_latency import sentence_pool  # noqa: E402

from summaries.store.vector_index import SCAN, VectorIndex  # noqa: E402
from summaries.understand.embed import MiniLMEmbedder  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sentences", type=int, default=3000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--k", type=int, default=60)
    parser.add_argument("--lists", default="64,256,1024,1788", help="IVF list counts to compare")
    args = parser.parse_args()
    texts = sentence_pool(args.sentences + args.queries, random.Random(3), train=True)
    t0 = time.perf_counter()
    vectors = MiniLMEmbedder(cache_size=0).encode(texts, batch_size=32)
    print(f"{len(texts)} sentences embedded in {time.perf_counter() - t0:.0f} s")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    queries, stored = vectors[: args.queries], vectors[args.queries :]
    ids = np.arange(1, len(stored) + 1, dtype=np.int64)
    runs = [("exact (flat)", 10**9, SCAN)]
    runs += [(f"IVF-SQ8 scan {scan:.0%}", 1, scan) for scan in sorted({0.1, 0.2, SCAN, 0.5})]
    for name, ivf_from, scan in runs:
        index = VectorIndex("sentence", "m", stored.shape[1], ivf_from=ivf_from, scan=scan)
        index.add(ids, ids, stored, last=len(stored))
        recall, took = [], []
        for q in queries:
            exact = set(ids[np.argsort(-(stored @ q))[: args.k]].tolist())
            t = time.perf_counter()
            found = index.search(q, args.k)
            took.append(time.perf_counter() - t)
            recall.append(len(exact & {i for i, _ in found}) / args.k)
        print(
            f"{name:18s} recall@{args.k} mean {np.mean(recall):.3f} worst {min(recall):.3f}  "
            f"search p50 {np.median(took) * 1000:.2f} ms"
        )
    import faiss

    exact_scores = queries @ stored.T
    truth = np.argsort(-exact_scores, axis=1)[:, : args.k] + 1
    for lists in (int(x) for x in args.lists.split(",")):
        if lists * 10 > len(stored):
            print(f"{lists} lists: too many for {len(stored)} vectors (fewer than 10 a list)")
            continue
        ivf = VectorIndex.ivf(ids, stored, stored.shape[1], lists=lists)
        shares = []
        for share in (0.1, 0.15, 0.2, 0.3, 0.5):
            params = faiss.SearchParametersIVF(nprobe=max(1, round(share * lists)))
            _, found_ids = ivf.search(queries, args.k, params=params)
            recall = [len(set(t) & set(f)) / args.k for t, f in zip(truth, found_ids, strict=True)]
            shares.append(f"{share:.0%} {np.mean(recall):.3f}")
        print(f"{lists:5d} lists ({len(stored) // lists} vectors each): recall@{args.k} scanning "
              + ", ".join(shares))  # fmt: skip

    lists = max(16, int(4 * np.sqrt(len(stored))))
    for code in ("QT_8bit", "QT_6bit", "QT_4bit", "QT_fp16"):
        ivf = faiss.IndexIVFScalarQuantizer(
            faiss.IndexFlatIP(stored.shape[1]), stored.shape[1], lists,
            getattr(faiss.ScalarQuantizer, code), faiss.METRIC_INNER_PRODUCT,
        )  # fmt: skip
        ivf.train(stored)
        ivf.add_with_ids(stored, ids)
        ivf.nprobe = lists
        scores, found_ids = ivf.search(queries, args.k)
        recall = [len(set(t) & set(f)) / args.k for t, f in zip(truth, found_ids, strict=True)]
        rows = np.arange(len(queries))[:, None]
        error = np.abs(scores - exact_scores[rows, np.maximum(found_ids, 1) - 1])[found_ids > 0]
        print(
            f"{code[3:]:5s} codes, all {lists} lists: recall@{args.k} mean {np.mean(recall):.3f} "
            f"worst {min(recall):.3f}  score error mean {error.mean():.4f} "
            f"max {error.max():.4f}  {ivf.code_size + 8} bytes a vector"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
