"""Recall of the faiss vector index against exact search, on real sentence vectors.

    python bench/vector_recall.py [--sentences 3000] [--queries 200] [--k 60]

Sentences of the eval corpora (NEWSBRIEF_EVAL_DIR) are embedded with MiniLM; `--queries` of them
are held out as questions. The index (summaries.store.vector_index) is built over the rest as
the store builds it, forced to IVF-SQ8 (its form past 50,000 vectors) with lists scaled to the
size, and recall@k is the share of the exact top k it returns, with the time per search.
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

from summaries.store.vector_index import VectorIndex  # noqa: E402
from summaries.understand.embed import MiniLMEmbedder  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sentences", type=int, default=3000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--k", type=int, default=60)
    args = parser.parse_args()
    texts = sentence_pool(args.sentences + args.queries, random.Random(3))
    t0 = time.perf_counter()
    vectors = MiniLMEmbedder(cache_size=0).encode(texts, batch_size=32)
    print(f"{len(texts)} sentences embedded in {time.perf_counter() - t0:.0f} s")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    queries, stored = vectors[: args.queries], vectors[args.queries :]
    ids = np.arange(1, len(stored) + 1, dtype=np.int64)
    for name, ivf_from in (("exact (flat)", 10**9), ("IVF-SQ8", 1)):
        index = VectorIndex("sentence", "m", stored.shape[1], ivf_from=ivf_from)
        index.add(ids, ids, stored, last=len(stored))
        recall, took = [], []
        for q in queries:
            exact = set(ids[np.argsort(-(stored @ q))[: args.k]].tolist())
            t = time.perf_counter()
            found = index.search(q, args.k)
            took.append(time.perf_counter() - t)
            recall.append(len(exact & {i for i, _ in found}) / args.k)
        print(
            f"{name:13s} recall@{args.k} mean {np.mean(recall):.3f} worst {min(recall):.3f}  "
            f"search p50 {np.median(took) * 1000:.2f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
