"""Quote extraction speed on one core: articles per second over the PolNeAR dev texts.

Run: python bench/quotes_speed.py [--rules]   (NEWSBRIEF_EVAL_DIR overrides ../shared/eval)
With the shipped speaker model, as the bot runs (`--rules`: the rules alone).
Torch/BLAS threads are pinned to 1 before anything loads; the spaCy model is loaded and warmed
first, so only extraction is timed.
"""

from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[var] = "1"

import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from summaries.understand.quotes import QuoteExtractor, SpeakerModel  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = Path(os.environ.get("NEWSBRIEF_EVAL_DIR", ROOT / ".." / "shared" / "eval"))


def main() -> int:
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    path = EVAL_DIR / "quotes" / "polnear_dev.jsonl"
    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8") if line.strip()]
    started = time.perf_counter()
    extractor = QuoteExtractor(speaker_model=None if "--rules" in sys.argv else SpeakerModel.load())
    extractor.extract(texts[0])
    print(f"model load + warm-up: {time.perf_counter() - started:.2f} s")
    rounds = 3
    n_quotes = 0
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for text in texts:
            n_quotes += len(extractor.extract(text))
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    n = rounds * len(texts)
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(
        f"{n} articles (mean {words:.0f} words), {n_quotes} quotes in {elapsed:.2f} s on one core: "
        f"{n / elapsed:.1f} articles/s, {1000 * elapsed / n:.1f} ms/article   (target >= 20/s)"
    )
    # On a shared machine the wall clock counts other processes' turns; the CPU time does not.
    print(f"CPU time {cpu:.2f} s: {n / cpu:.1f} articles per CPU-second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
