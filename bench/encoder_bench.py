"""The sentence encoder's speed and its agreement with torch fp32, on real news sentences.

    python bench/encoder_bench.py [--articles 100] [--threads N] [--batch 16] [--summaries 200]
                                  [--only torch:fp32,onnx:fp32,onnx:int8,torch:int8]

Sentences: those of the PolNeAR dev articles (NEWSBRIEF_EVAL_DIR, default ../shared/eval). For
each encoder (runtime:precision, see summaries.understand.embed): sentences per second by the
wall clock and per CPU second (the CPU figure says more on a machine shared with other work),
and the cosine between each sentence's vector and torch fp32's, mean and worst; then the
median time to embed one short text (a question); with --summaries N, how many of the first
N summarisation dev articles get the very summary torch fp32 gives them. Every text runs
through the model (no cache), in batches sorted by length over the whole call;
`torch:fp32:unsorted` cuts them first into chunks of 32 in text order (each then sorted alone),
to show what sorting over more texts saves. An encoder is fit to adopt when its worst cosine
is >= 0.99 and the quality benches (ask_whosaid_eval.py, summaries_eval.py, quotes_eval.py) do
not move. The load average is printed: other work on the machine slows every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from summaries.understand.embed import DEFAULT_BATCH, MiniLMEmbedder  # noqa: E402
from summaries.understand.summarize import LearnedSummarizer  # noqa: E402
from summaries.understand.text import split_sentences  # noqa: E402
from summaries.understand.threads import default_threads  # noqa: E402

ENCODERS = "torch:fp32:unsorted,torch:fp32,onnx:fp32,onnx:int8,torch:int8"


def sentences(articles: int) -> list[str]:
    folder = Path(os.environ.get("NEWSBRIEF_EVAL_DIR", ROOT.parent / "shared" / "eval"))
    found: list[str] = []
    with (folder / "quotes" / "polnear_dev.jsonl").open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= articles:
                break
            found.extend(split_sentences(json.loads(line)["text"]))
    return list(dict.fromkeys(s for s in found if s.strip()))


def summary_texts(n: int) -> list[tuple[str | None, str]]:
    """(title, text) of the first n summarisation dev articles, as summaries_eval serves them."""
    if n <= 0:
        return []
    from train_summary_model import SETS, as_served, load

    rows = [(name, row) for name in SETS for row in load(name)]
    return [as_served(name, row["article"]) for name, row in rows][:n]


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--threads", type=int, default=default_threads())
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH)
    parser.add_argument("--only", default=ENCODERS, help="comma-separated runtime:precision")
    parser.add_argument(
        "--summaries", type=int, default=0, help="also summarise this many dev articles with each"
    )
    args = parser.parse_args()
    texts = sentences(args.articles)
    print(f"{len(texts)} sentences, {args.threads} threads, batch {args.batch}, load {load()}")
    reference: np.ndarray | None = None
    base_speed = None
    articles = summary_texts(args.summaries)
    base_summaries: list[str] = []
    for spec in ["torch:fp32", *[s for s in args.only.split(",") if s != "torch:fp32"]]:
        runtime, precision, *how = spec.split(":")
        embedder = MiniLMEmbedder(
            num_threads=args.threads, cache_size=0, precision=precision, runtime=runtime
        )
        before = rss_mb()
        embedder.encode(texts[:8])  # load and warm up
        if (embedder.runtime, embedder.precision) != (runtime, precision):
            print(f"{spec:20s} not available: {embedder.runtime} {embedder.precision} ran")
            continue
        grown = rss_mb() - before
        t0, c0 = time.perf_counter(), time.process_time()
        if how == ["unsorted"]:
            parts = [embedder._encode(texts[b : b + 32], 32) for b in range(0, len(texts), 32)]
            vectors = np.concatenate(parts)
        else:
            vectors = embedder.encode(texts, batch_size=args.batch)
        took, cpu = time.perf_counter() - t0, time.process_time() - c0
        if reference is None:
            reference, base_speed = vectors, len(texts) / took
        cosine = np.sum(vectors * reference, axis=1)
        speed = len(texts) / took
        one = []
        for text in texts[:: max(1, len(texts) // 40)][:40]:  # a question: one short text
            q0 = time.perf_counter()
            embedder.encode([text[:80]])
            one.append(time.perf_counter() - q0)
        print(
            f"{spec:20s} {speed:7.1f} sentences/s ({speed / base_speed:.2f}x), "
            f"{len(texts) / cpu:7.1f} per CPU s; cosine to torch fp32 mean {cosine.mean():.4f} "
            f"worst {cosine.min():.4f}; one text p50 {np.median(one) * 1000:.0f} ms; "
            f"model +{grown:.0f} MB; load {load()}",
            flush=True,
        )
        if articles:
            summarizer = LearnedSummarizer(embedder)
            made = [summarizer.summarize(t, title=title).text for title, t in articles]
            base_summaries = base_summaries or made
            same = sum(a == b for a, b in zip(made, base_summaries, strict=True))
            print(f"{'':20s} summaries the same as torch fp32's: {same}/{len(made)}", flush=True)
        del embedder
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
