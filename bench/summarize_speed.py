"""Throughput and peak memory of the default summariser on 100 real article texts.

Run: python bench/summarize_speed.py [--threads N] [--set cnn_dm_frank_100|bbc_news_summary_100]
(NEWSBRIEF_EVAL_DIR overrides ../shared/eval; NEWSBRIEF_ENCODER and NEWSBRIEF_ENCODER_PRECISION
choose the encoder). The model is loaded once, before the clock starts; the target is >= 300
articles/minute on 2 cores. The load average is printed: other work slows the wall clock.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

from summaries.understand.embed import MiniLMEmbedder
from summaries.understand.summarize import LearnedSummarizer

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = Path(os.environ.get("NEWSBRIEF_EVAL_DIR", ROOT / ".." / "shared" / "eval"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: as is)")
    parser.add_argument("--set", default="cnn_dm_frank_100", help="which summarization set")
    parser.add_argument("-n", type=int, default=100, help="how many articles")
    args = parser.parse_args()

    import torch

    path = EVAL_DIR / "summarization" / f"{args.set}.jsonl"
    with path.open(encoding="utf-8") as f:
        texts = [json.loads(line)["article"] for line in f if line.strip()][: args.n]
    embedder = MiniLMEmbedder(num_threads=args.threads)
    summarizer = LearnedSummarizer(embedder)

    start = time.perf_counter()
    summarizer.summarize(texts[0])  # loads the model
    load_s = time.perf_counter() - start

    start, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        summarizer.summarize(text)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"summariser: {summarizer.name}")
    print(f"set: {args.set}, {len(texts)} articles, {words:.0f} words each on average")
    print(
        f"encoder: {embedder.runtime} {embedder.precision}, {embedder.num_threads} threads "
        f"(torch {torch.get_num_threads()}), usable cores: {len(os.sched_getaffinity(0))}, "
        f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    print(f"model load + first article: {load_s:.1f} s")
    print(f"summarised in {elapsed:.1f} s: {len(texts) / elapsed * 60:.0f} articles/minute")
    # On a machine shared with other work the wall clock says little; CPU time says what the
    # summaries cost (use --threads 1 there: threads waiting on busy cores burn CPU too).
    per = cpu / len(texts)
    print(f"CPU time: {per:.2f} s per article: ~{60 / per:.0f} articles/minute per idle core")
    print(f"peak RSS: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
