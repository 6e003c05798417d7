"""Past one machine: articles a minute through a Celery broker with 1 and 2 `newsbrief worker`
processes, and the queue's overhead per job.

    python bench/scale_ingest.py [--n 40] [--broker redis://127.0.0.1:6379/0] [--workers 1 2]
                                 [--db postgresql://...] [--noop 200]

Each round starts the workers (`--concurrency 1` each) on a fresh database (a temporary SQLite
file, or a scratch schema of `--db`'s PostgreSQL), waits until their models are loaded, then
times `newsbrief ingest --jsonl` of `--n` article texts from ../shared/eval/summarization
(NEWSBRIEF_EVAL_DIR to point elsewhere) from the first line sent to the last line printed.

The queue's overhead is timed on the same workers, one job at a time:
- a no-op task (`newsbrief.noop`): from sending it to reading its result, what the broker, a
  worker's dispatch and the result backend cost a job and nothing else;
- a stored article's job through `QueuedJobs`, as ingest sends it: the same, plus the worker's
  dedupe query and the wait for the sender's next look at the backend (4 ms after sending,
  then at steps doubling up to 0.1 s: FIRST_POLL, POLL_INTERVAL).
The machine's other load counts too: compare rounds run together, not with other days.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ingest_speed import load_texts  # noqa: E402
from bot.queue import NOOP, QueuedJobs, celery_app  # noqa: E402
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
        while not all(w in log_path.read_text(errors="replace") for w in ("ready in", " ready.")):
            if time.monotonic() > deadline or procs[n].poll() is not None:
                raise SystemExit(f"worker {n} did not start:\n{log_path.read_text()[-2000:]}")
            time.sleep(0.2)
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


@contextmanager
def scratch_database(db: str | None, folder: Path) -> Iterator[str]:
    """A temporary SQLite file, or a fresh schema of the PostgreSQL at `db` (dropped after)."""
    if not db:
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    import psycopg
    from psycopg import sql

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        separator = "&" if "?" in db else "?"
        yield f"{db}{separator}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(db, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def noop_overhead(settings: Settings, jobs: int) -> list[float]:
    """Seconds from sending a no-op task to reading its result, one job at a time."""
    app = celery_app(settings)
    app.send_task(NOOP, args=(0,)).get(timeout=60)  # connections made, untimed
    times = []
    for n in range(jobs):
        t0 = time.perf_counter()
        assert app.send_task(NOOP, args=(n,)).get(timeout=60, interval=0.001) == n
        times.append(time.perf_counter() - t0)
    return times


async def stored_job_overhead(settings: Settings, text: str, jobs: int) -> list[float]:
    """Seconds from sending a stored article's job to reading its outcome, through QueuedJobs."""
    queue = QueuedJobs(celery_app(settings))
    try:
        job = ArticleJob("source", "again", source=Source(text=text))
        await queue(job)  # stored (or found) once, untimed
        times = []
        for _ in range(jobs):
            t0 = time.perf_counter()
            assert (await queue(job)).status == "skipped"
            times.append(time.perf_counter() - t0)
        return times
    finally:
        queue.close()


def ms(times: list[float]) -> str:
    median, mean = 1000 * statistics.median(times), 1000 * statistics.mean(times)
    return f"median {median:.1f} ms, mean {mean:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=40, help="articles per round")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--db", help="a PostgreSQL URL for scratch schemas (default: SQLite)")
    parser.add_argument("--noop", type=int, default=200, help="no-op jobs timed per round")
    args = parser.parse_args()
    texts = load_texts(args.n)
    load = os.getloadavg()
    print(
        f"{len(texts)} articles, broker {args.broker.split('@')[-1]}, {os.cpu_count()} cores, "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} before the first round"
    )
    for count in args.workers:
        with tempfile.TemporaryDirectory() as tmp, scratch_database(args.db, Path(tmp)) as db:
            folder = Path(tmp)
            queue_name = f"newsbrief-bench-{uuid.uuid4().hex[:8]}"
            env = {
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "NEWSBRIEF_BROKER_URL": args.broker,
                "NEWSBRIEF_BROKER_QUEUE": queue_name,
                "NEWSBRIEF_DATABASE_URL": db,
            }
            env.pop("NEWSBRIEF_ARTICLE_WORKERS", None)
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
                noop = noop_overhead(settings, args.noop)
                again = asyncio.run(stored_job_overhead(settings, texts[0], 50))
            finally:
                stop(procs)
            print(
                f"{count} worker(s): {len(results)} lines, {stored} ingested in {seconds:.1f} s "
                f"= {60 * len(results) / seconds:.0f} articles/min; jobs per worker {jobs_by}"
            )
            print(f"  queue overhead, no-op task ({args.noop} jobs, one at a time): {ms(noop)}")
            print(f"  a stored article's job through QueuedJobs (50 jobs): {ms(again)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
