"""Ingest + summarise 100 article texts with the model loaded once: articles/minute, peak memory.

    python bench/ingest_speed.py [--n 100] [--db URL] [--concurrency N]

Articles come from ../shared/eval/summarization (NEWSBRIEF_EVAL_DIR to point elsewhere). The
settings come from the environment: NEWSBRIEF_ARTICLE_WORKERS=0 reads the articles in this
process, else in worker processes, whose peak memory is printed too. `--concurrency` articles
are in flight at once, as a feed's entries are (default: one per worker process, at least 2:
the next article is read while the last one is stored). CPU time is counted in this process
and its worker processes: on a machine shared with other work it says more than the wall
clock (300 articles a minute on 2 cores is 0.4 s of CPU per article); the load average is
printed beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
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
from summaries.understand.threads import usable_cores  # noqa: E402


def eval_dir() -> Path:
    return Path(os.environ.get("NEWSBRIEF_EVAL_DIR", ROOT.parent / "shared" / "eval"))


def load_texts(n: int) -> list[str]:
    texts: list[str] = []
    for name in ("cnn_dm_frank_100.jsonl", "bbc_news_summary_100.jsonl"):
        with open(eval_dir() / "summarization" / name, encoding="utf-8") as f:
            texts.extend(json.loads(line)["article"] for line in f if line.strip())
    return texts[:n]


def children_cpu() -> float:
    """CPU seconds used so far by this process's live worker processes (Linux; else 0)."""
    total = 0.0
    for child in multiprocessing.active_children():
        try:
            fields = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--concurrency", type=int, default=0, help="articles in flight at once")
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
                cpu0 = time.process_time() + children_cpu()
                t1 = time.perf_counter()
                gate = asyncio.Semaphore(concurrency)

                async def one(i: int, text: str) -> str:
                    async with gate:
                        return (await pipeline.ingest_text(text, ref=f"bench-{i}")).status

                statuses = await asyncio.gather(*(one(i, t) for i, t in enumerate(texts)))
                wall = time.perf_counter() - t1
                cpu = time.process_time() + children_cpu() - cpu0
                return list(statuses), load_s, wall, cpu, s.store.count_articles()

        concurrency = args.concurrency or max(2, settings.article_workers)
        statuses, load_s, wall, cpu, stored = asyncio.run(run())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"articles: {len(texts)}  stored: {stored}  statuses: "
        f"{ {s: statuses.count(s) for s in set(statuses)} }"
    )
    print(f"model load + warm-up: {load_s:.1f} s")
    print(
        f"ingest + summarise: {wall:.1f} s wall -> {len(texts) / wall * 60:.0f} articles/minute, "
        f"{concurrency} at a time; load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    per = cpu / len(texts)
    print(
        f"CPU (this process and its workers): {cpu:.1f} s, {per:.3f} s per article "
        f"-> ~{60 / per * usable_cores():.0f} articles/minute on {usable_cores()} idle cores"
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
