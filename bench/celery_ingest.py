"""Articles a minute through a Celery broker with 1 and 2 `newsbrief worker` processes, and the
queue's overhead per job.

    python bench/celery_ingest.py [--n 40] [--broker redis://127.0.0.1:6379/0] [--workers 1 2]

Each round starts the workers (`--concurrency 1` each) on a fresh SQLite file, waits until
their models are loaded, then times `newsbrief ingest --jsonl` of `--n` article texts from
../shared/eval/summarization (NEWSBRIEF_EVAL_DIR to point elsewhere) from the first line sent
to the last line printed. The overhead is the mean time from sending a job to reading its
outcome for jobs whose article is stored already (the worker only finds the duplicate): what
the queue adds to a job, beside a dedupe query. The machine's other load counts too: compare
rounds run together, not with other days.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ingest_speed import load_texts  # noqa: E402
from bot.queue import QueuedJobs, celery_app  # noqa: E402
from bot.settings import Settings  # noqa: E402
from summaries.ingest.jobs import Source  # noqa: E402
from summaries.ingest.pipeline import ArticleJob  # noqa: E402


def start_workers(count: int, env: dict[str, str], folder: Path) -> list[subprocess.Popen[bytes]]:
    procs = []
    for n in range(count):
        log = open(folder / f"worker{n}.log", "wb")  # noqa: SIM115 - closed with the process
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "bot", "worker", "--concurrency", "1"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    deadline = time.monotonic() + 300
    for n in range(count):
        log_path = folder / f"worker{n}.log"
        while "ready in" not in log_path.read_text(errors="replace"):
            if time.monotonic() > deadline or procs[n].poll() is not None:
                raise SystemExit(f"worker {n} did not start:\n{log_path.read_text()[-2000:]}")
            time.sleep(0.2)
    time.sleep(1.0)  # connected to the broker after loading
    return procs


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


async def overhead(settings: Settings, text: str, jobs: int) -> float:
    """Mean seconds from sending a job to reading its outcome, for a stored article's job."""
    queue = QueuedJobs(celery_app(settings), poll_interval=0.005)
    try:
        job = ArticleJob("source", "again", source=Source(text=text))
        await queue(job)  # stored (or found) once, untimed
        t0 = time.perf_counter()
        for _ in range(jobs):
            assert (await queue(job)).status == "skipped"
        return (time.perf_counter() - t0) / jobs
    finally:
        queue.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    texts = load_texts(args.n)
    for count in args.workers:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            db = f"sqlite:///{folder / 'bench.db'}"
            queue_name = f"newsbrief-bench-{uuid.uuid4().hex[:8]}"
            env = {
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "NEWSBRIEF_BROKER_URL": args.broker,
                "NEWSBRIEF_BROKER_QUEUE": queue_name,
                "NEWSBRIEF_DATABASE_URL": db,
            }
            lines = folder / "articles.jsonl"
            lines.write_text(
                "".join(json.dumps({"id": n, "text": t}) + "\n" for n, t in enumerate(texts))
            )
            procs = start_workers(count, env, folder)
            try:
                t0 = time.perf_counter()
                done = subprocess.run(
                    [sys.executable, "-m", "bot", "ingest", "--jsonl", str(lines)],
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                seconds = time.perf_counter() - t0
                results = [json.loads(line) for line in done.stdout.splitlines()]
                stored = sum(1 for r in results if "error" not in r)
                jobs_by = [
                    (folder / f"worker{n}.log").read_text(errors="replace").count(" job ")
                    for n in range(count)
                ]
                settings = Settings(broker_url=args.broker, broker_queue=queue_name)
                per_job = asyncio.run(overhead(settings, texts[0], 50))
            finally:
                stop(procs)
            print(
                f"{count} worker(s): {len(results)} lines, {stored} ingested in {seconds:.1f} s "
                f"= {60 * len(results) / seconds:.0f} articles/min; jobs per worker {jobs_by}; "
                f"queue overhead {1000 * per_job:.1f} ms per job (a stored article's job)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
