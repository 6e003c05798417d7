"""Ingest + summarise 100 article texts with the model loaded once: articles/minute, peak memory.

    python bench/ingest_speed.py [--n 100] [--db URL]

Articles come from ../shared/eval/summarization (NEWSBRIEF_EVAL_DIR to point elsewhere). The
settings come from the environment: NEWSBRIEF_ARTICLE_WORKERS=0 reads the articles in this
process, else in worker processes, whose peak memory is printed too.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import Services  # noqa: E402
from bot.settings import Settings  # noqa: E402
from summaries.ingest.jobs import Source  # noqa: E402


def eval_dir() -> Path:
    return Path(os.environ.get("NEWSBRIEF_EVAL_DIR", ROOT.parent / "shared" / "eval"))


def load_texts(n: int) -> list[str]:
    texts: list[str] = []
    for name in ("cnn_dm_frank_100.jsonl", "bbc_news_summary_100.jsonl"):
        with open(eval_dir() / "summarization" / name, encoding="utf-8") as f:
            texts.extend(json.loads(line)["article"] for line in f if line.strip())
    return texts[:n]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    texts = load_texts(args.n)
    settings = Settings.from_env(env_file=None)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        settings = replace(settings, database_url=url)

        async def run() -> tuple[list[str], float, float, float, int]:
            async with Services(settings) as s:
                pipeline = s.pipeline
                t0 = time.perf_counter()
                await pipeline.summarize(Source(text=texts[0]))  # the models load, untimed
                load_s = time.perf_counter() - t0
                cpu0 = time.process_time()
                t1 = time.perf_counter()
                statuses = []
                for i, text in enumerate(texts):
                    outcome = await pipeline.ingest_text(text, ref=f"bench-{i}")
                    statuses.append(outcome.status)
                wall = time.perf_counter() - t1
                cpu = time.process_time() - cpu0
                return statuses, load_s, wall, cpu, s.store.count_articles()

        statuses, load_s, wall, cpu, stored = asyncio.run(run())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"articles: {len(texts)}  stored: {stored}  statuses: "
        f"{ {s: statuses.count(s) for s in set(statuses)} }"
    )
    print(f"model load + warm-up: {load_s:.1f} s")
    print(
        f"ingest + summarise: {wall:.1f} s wall, {cpu:.1f} s CPU in this process "
        f"-> {len(texts) / wall * 60:.0f} articles/minute"
    )
    where = (
        f"{settings.article_workers} worker process(es)"
        if settings.article_workers
        else "this process"
    )
    print(f"articles read in {where}")
    print(f"peak RSS: {peak_mb:.0f} MB; of a worker process: {worker_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
