"""Resident memory of one newsbrief process as each part loads, and its peak during ingest.

    python bench/memory.py [--n 100] [--db URL]

One process does everything (NEWSBRIEF_ARTICLE_WORKERS=0), so each figure is that process's
resident set (RSS) after: the imports, the encoder (NEWSBRIEF_ENCODER, NEWSBRIEF_ENCODER_PRECISION),
spaCy (the quote extractor), the summariser, the store (a temporary SQLite file unless --db),
and then ingesting --n article texts from ../shared/eval/summarization (NEWSBRIEF_EVAL_DIR),
with the peak over the whole run. The goal is a peak <= 700 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ingest_speed import load_texts  # noqa: E402

from bot.app import Services  # noqa: E402
from bot.settings import Settings  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    texts = load_texts(args.n)
    print(f"imports: {rss_mb():.0f} MB")
    settings = replace(Settings.from_env(env_file=None), article_workers=0)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        settings = replace(settings, database_url=url)

        async def run() -> None:
            async with Services(settings) as s:
                s.embedder.encode(["The council voted to repair the bridge."])
                embedder = s.embedder
                what = f"{getattr(embedder, 'runtime', '?')} {getattr(embedder, 'precision', '')}"
                print(f"+ encoder ({what}): {rss_mb():.0f} MB")
                s.quote_extractor.extract(texts[0])
                model = getattr(s.quote_extractor, "model", None)
                if callable(model):  # loaded at the first quote mark; a text may have none
                    model()
                print(f"+ spaCy (quotes): {rss_mb():.0f} MB")
                s.summarizer.summarize(texts[1])
                print(f"+ summariser: {rss_mb():.0f} MB")
                s.store.count_articles()
                print(f"+ store: {rss_mb():.0f} MB")
                t0 = time.perf_counter()
                for i, text in enumerate(texts):
                    await s.pipeline.ingest_text(text, ref=f"memory-{i}")
                took = time.perf_counter() - t0
                print(
                    f"after ingesting {len(texts)} articles ({len(texts) / took * 60:.0f}/min): "
                    f"{rss_mb():.0f} MB; stored {s.store.count_articles()}"
                )

        asyncio.run(run())
    print(f"peak RSS: {peak_mb():.0f} MB (goal <= 700 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
