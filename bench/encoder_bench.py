"""The sentence encoder's speed and its agreement with fp32, on real news sentences.

    python bench/encoder_bench.py [--articles 100] [--threads N] [--batch 32]

Sentences: those of the PolNeAR dev articles (NEWSBRIEF_EVAL_DIR, default ../shared/eval). For
each precision in summaries.understand.embed.PRECISIONS: sentences per second (every text run
through the model: no cache) and the cosine between each sentence's vector and fp32's, mean and
worst. A precision is fit to adopt when its worst cosine is >= 0.99 and the quality benches
(ask_whosaid_eval.py, summaries_eval.py) do not move.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summaries.understand.embed import PRECISIONS, MiniLMEmbedder  # noqa: E402
from summaries.understand.text import split_sentences  # noqa: E402
from summaries.understand.threads import default_threads  # noqa: E402


def sentences(articles: int) -> list[str]:
    folder = Path(os.environ.get("NEWSBRIEF_EVAL_DIR", ROOT.parent / "shared" / "eval"))
    found: list[str] = []
    with (folder / "quotes" / "polnear_dev.jsonl").open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= articles:
                break
            found.extend(split_sentences(json.loads(line)["text"]))
    return list(dict.fromkeys(s for s in found if s.strip()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--threads", type=int, default=default_threads())
    parser.add_argument("--batch", type=int, default=32)
    args = parser.parse_args()
    texts = sentences(args.articles)
    print(f"{len(texts)} sentences, {args.threads} torch threads, batch {args.batch}")
    print(f"load: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}")
    reference: np.ndarray | None = None
    for precision in PRECISIONS:
        embedder = MiniLMEmbedder(num_threads=args.threads, cache_size=0, precision=precision)
        embedder.encode(texts[:8])  # load and warm up
        t0 = time.perf_counter()
        vectors = embedder.encode(texts, batch_size=args.batch)
        took = time.perf_counter() - t0
        if reference is None:
            reference = vectors
        cosine = np.sum(vectors * reference, axis=1)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{precision:5s} {len(texts) / took:7.1f} sentences/s  cosine to fp32 mean "
            f"{cosine.mean():.4f} worst {cosine.min():.4f}  peak RSS {rss:.0f} MB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
