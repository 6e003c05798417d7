"""Worker processes: a time budget per article, off the event loop, and a prompt shutdown.

These tests start real worker processes (spawned, so they import this module). Their models are
the lead summariser behind `Stalling`, which never returns on a text holding STALL: it stands in
for any input that takes too long, whatever the reason.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from summaries.ingest import jobs
from summaries.ingest.fetch import Fetcher
from summaries.ingest.jobs import ArticleModels, Source
from summaries.ingest.pipeline import Outcome, Pipeline
from summaries.ingest.workers import Budget, WorkerError, WorkerPool
from summaries.store import Store
from summaries.types import ExtractError, NewsbriefError, Summary
from summaries.understand.summarize import LeadSummarizer
from tests.loopback import Route, Site, serve

ROOT = Path(__file__).resolve().parents[3]
STALL = "STALL"
BUDGET = 2.0  # seconds per article in the shared pool
PARAGRAPHS = [
    "The town council of Westmere approved new harbour gates on Tuesday after a long debate "
    "about cost and the risk of winter storms flooding the old quay.",
    "The gates will cost 12 million and take three years to build, the council said, with most "
    "of the money coming from the regional government.",
    "Fishermen welcomed the decision but asked for the works to pause during the herring season "
    "so that boats can still reach the market.",
]
ARTICLE = "\n\n".join(PARAGRAPHS)
LOADS = 0  # model loads in this process (counted in the workers)
KEPT: list[object] = []  # what a worker keeps for its whole life


class Stalling:
    """The lead summariser, except that a text holding STALL keeps it busy for ever."""

    name = "lead"

    def summarize(self, text: str, *, title: str | None = None) -> Summary:
        while STALL in text:
            pass
        return LeadSummarizer().summarize(text, title=title)


def stalling_models() -> ArticleModels:
    global LOADS
    LOADS += 1
    return ArticleModels(Stalling())


def pid_and_loads(models: ArticleModels) -> tuple[int, int]:
    return os.getpid(), LOADS


def exit_now(models: ArticleModels) -> None:
    os._exit(3)


def make_semaphore(models: ArticleModels) -> str:
    """A multiprocessing lock kept for the worker's life, as tqdm makes one for its progress
    bars when a model loads: its file in /dev/shm is removed by the worker's exit handlers."""
    lock = multiprocessing.RLock()
    KEPT.append(lock)
    name = lock._semlock.name  # type: ignore[attr-defined]
    assert name  # spawned: a named semaphore, for the resource tracker to clean up
    return str(name)


def buggy(models: ArticleModels) -> None:
    raise ValueError("a bug in a job")


def page(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title}</title></head><body><nav>Home | News</nav>"
        f"<article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


def feed(site: Site, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>{path}</title><link>{site.url(path)}</link><guid>{path}</guid></item>"
        for path in paths
    )
    return (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Westmere Gazette</title>"
        f"<link>{site.base}/</link><description>Local news</description>{items}</channel></rss>"
    ).encode()


def workers_alive() -> list[multiprocessing.process.BaseProcess]:
    return [p for p in multiprocessing.active_children() if p.name == "newsbrief-worker"]


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    """One worker with the stalling models and a short budget, shared by this module's tests."""
    workers = WorkerPool(stalling_models, workers=1, timeout=BUDGET)
    yield workers
    workers.close()


def test_an_article_past_its_budget_fails_once_and_the_feed_and_the_next_article_go_on(
    pool: WorkerPool, file_store: Store
) -> None:
    async def scenario(site: Site) -> tuple[list[Outcome], Outcome, float, int, int]:
        fetcher = Fetcher(allow_private=True, timeout=5)
        pipeline = Pipeline(file_store, None, fetcher, executor=pool)
        try:
            before, _ = await pool.run(Budget(30), pid_and_loads)
            started = time.monotonic()
            report = await pipeline.ingest(site.url("/feed.xml"))
            took = time.monotonic() - started
            started = time.monotonic()
            (again,) = (await pipeline.ingest(site.url("/stuck?v=2"))).outcomes
            assert time.monotonic() - started < BUDGET  # not tried again
            assert again.status == "failed" and again.reason
            assert again.reason.startswith(f"took longer than {BUDGET:g} s to process")
            after = await pipeline.ingest_text(ARTICLE, url="https://news.example/gates")
            now, _ = await pool.run(Budget(30), pid_and_loads)
            return list(report.outcomes), after, took, before, now
        finally:
            await fetcher.aclose()
            pipeline.close()

    with serve() as site:
        site.routes["/feed.xml"] = Route(
            feed(site, ["/stuck", "/fine"]), content_type="application/rss+xml"
        )
        stuck = page("Stuck", [*PARAGRAPHS[:2], f"{STALL} {PARAGRAPHS[2]}"])
        site.routes["/stuck"] = site.routes["/stuck?v=2"] = Route(stuck)
        site.routes["/fine"] = Route(page("Fine", PARAGRAPHS[1:] + PARAGRAPHS[:1]))
        outcomes, after, took, before, now = asyncio.run(scenario(site))

    by_ref = {o.ref.rsplit("/", 1)[-1]: o for o in outcomes}
    assert by_ref["stuck"].status == "failed"
    assert by_ref["stuck"].reason == f"took longer than {BUDGET:g} s to process"
    assert by_ref["stuck"].title == "Stuck"
    assert by_ref["fine"].status == "stored"
    assert after.status == "stored" and after.summary
    assert after.summary.startswith("The town council of Westmere")
    assert file_store.count_articles() == 2
    assert now != before  # the stuck worker was killed and replaced
    assert took < 60  # the budget, a worker start and the fetches; not for ever


def test_models_load_once_per_worker_process(pool: WorkerPool) -> None:
    async def scenario() -> list[tuple[int, int]]:
        return [await pool.run(Budget(30), pid_and_loads) for _ in range(3)]

    seen = asyncio.run(scenario())
    assert len({pid for pid, _ in seen}) == 1
    assert [loads for _, loads in seen] == [1, 1, 1]


def test_a_job_error_reaches_the_caller_with_its_message(pool: WorkerPool) -> None:
    async def read_empty() -> None:
        await pool.run(Budget(30), jobs.read_article, Source(html=b"   "))

    async def summarize_empty() -> None:
        await pool.run(Budget(30), jobs.summarize, "  ", None)

    with pytest.raises(ExtractError, match="the page is empty"):
        asyncio.run(read_empty())
    # An error class that can't be rebuilt from its message alone arrives as its message.
    with pytest.raises(NewsbriefError, match="cannot summarise an empty text"):
        asyncio.run(summarize_empty())


def test_a_worker_that_dies_or_a_bug_fails_the_job_and_the_next_one_runs(
    pool: WorkerPool,
) -> None:
    async def scenario() -> None:
        with pytest.raises(WorkerError, match="exit code 3"):
            await pool.run(Budget(30), exit_now)
        with pytest.raises(WorkerError, match="ValueError: a bug in a job"):
            await pool.run(Budget(30), buggy)
        summary = await pool.run(Budget(30), jobs.summarize, ARTICLE, None)
        assert summary.text.startswith("The town council of Westmere")

    asyncio.run(scenario())


def test_the_event_loop_keeps_ticking_while_a_big_page_is_ingested(
    file_store: Store, tmp_path: Path
) -> None:
    # Thousands of small blocks: seconds of extraction on one core.
    blocks = "".join(f"<div><p>Item {i} of a long list.</p></div>" for i in range(8_000))
    big = tmp_path / "big.html"
    big.write_text(f"<html><body><article>{blocks}</article></body></html>", encoding="utf-8")
    roomy = WorkerPool(stalling_models, workers=1, timeout=120)

    async def scenario() -> tuple[Outcome, float, float, int]:
        await roomy.start()
        pipeline = Pipeline(file_store, None, Fetcher(timeout=5), executor=roomy)
        gaps: list[float] = []
        stop = asyncio.Event()

        async def tick() -> None:
            last = time.monotonic()
            while not stop.is_set():
                await asyncio.sleep(0.01)
                now = time.monotonic()
                gaps.append(now - last)
                last = now

        ticker = asyncio.create_task(tick())
        await asyncio.sleep(0.05)  # ticking
        started = time.monotonic()
        report = await pipeline.ingest(str(big))
        took = time.monotonic() - started
        stop.set()
        await ticker
        await pipeline.fetcher.aclose()
        pipeline.close()
        return report.outcomes[0], took, max(gaps), len(gaps)

    try:
        outcome, took, worst, ticks = asyncio.run(scenario())
    finally:
        roomy.close()
    assert outcome.status == "stored"
    assert ticks > 20, f"{ticks} ticks in {took:.1f} s"
    assert worst < 0.5, f"the loop stalled {worst:.2f} s while a page took {took:.1f} s"


def test_closing_with_a_stuck_worker_returns_promptly(file_store: Store) -> None:
    others = set(workers_alive())
    stuck_pool = WorkerPool(stalling_models, workers=1, timeout=600)

    async def scenario() -> tuple[float, Outcome]:
        await stuck_pool.start()
        pipeline = Pipeline(file_store, None, Fetcher(timeout=5), executor=stuck_pool)
        task = asyncio.create_task(pipeline.ingest_text(f"{ARTICLE} {STALL}"))
        await asyncio.sleep(0.5)  # the worker is busy with it
        assert not task.done()
        started = time.monotonic()
        stuck_pool.close()
        took = time.monotonic() - started
        outcome = await asyncio.wait_for(task, 10)
        await pipeline.fetcher.aclose()
        pipeline.close()
        return took, outcome

    try:
        took, outcome = asyncio.run(scenario())
    finally:
        stuck_pool.close()
    assert took < 5
    assert outcome.status == "failed" and outcome.reason
    assert "worker stopped" in outcome.reason
    assert set(workers_alive()) <= others  # its worker is gone


@pytest.mark.skipif(not Path("/dev/shm").is_dir(), reason="named semaphores in /dev/shm")
def test_closing_lets_idle_workers_run_their_exit_handlers() -> None:
    # The kernel's parent-death signal follows the thread that started a worker: pool threads
    # ending before their workers had them SIGKILLed mid-exit, their exit handlers unrun, so
    # a semaphore one made stayed behind (the demo's "leaked semaphore objects" warning).
    # Time enough to exit on a loaded machine: the bug killed them at once, whatever the grace.
    two = WorkerPool(stalling_models, workers=2, timeout=60, stop_grace=30)

    async def scenario() -> set[str]:
        await two.start()
        return set(await asyncio.gather(*(two.run(Budget(30), make_semaphore) for _ in "ab")))

    try:
        names = asyncio.run(scenario())
        files = [Path("/dev/shm") / f"sem.{name.lstrip('/')}" for name in names]
        assert len(files) == 2 and all(f.exists() for f in files)
    finally:
        two.close()
    assert [f for f in files if f.exists()] == []


ORPHANED = f"""
import asyncio
from summaries.ingest import jobs
from summaries.ingest.workers import Budget, WorkerPool
from tests.summaries.ingest.test_workers import pid_and_loads, stalling_models

async def main():
    pool = WorkerPool(stalling_models, timeout=600)
    pid, _ = await pool.run(Budget(60), pid_and_loads)
    print(pid, flush=True)
    await pool.run(Budget(600), jobs.summarize, "{STALL} for ever", None)

asyncio.run(main())
"""


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has stopped; nobody may be left to reap it


@pytest.mark.skipif(sys.platform != "linux", reason="the kernel's parent-death signal")
def test_a_busy_worker_dies_with_its_parent_even_on_kill_9() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen(
        [sys.executable, "-c", ORPHANED], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    try:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())
        time.sleep(0.3)  # busy with the endless job now
        assert running(worker)
    finally:
        parent.kill()
        parent.wait(10)
    deadline = time.monotonic() + 10
    while running(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    orphaned = running(worker)
    if orphaned:  # leave no endless job behind
        os.kill(worker, signal.SIGKILL)
    assert not orphaned
