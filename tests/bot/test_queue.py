"""Articles as Celery jobs: real workers on the machine's Redis and RabbitMQ.

A worker runs in a thread of the test (celery.contrib.testing) or as `newsbrief worker`
processes; the brokers must be running (CI's are; elsewhere the tests skip, unless
NEWSBRIEF_REQUIRE_BROKERS is set).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import itertools
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

pytest.importorskip("celery")

from celery.contrib.testing.worker import start_worker

from bot.cli import main
from bot.queue import QueuedJobs, WorkerRuntime, celery_app, decode, encode
from bot.settings import Settings
from summaries.ingest.fetch import Fetcher
from summaries.ingest.jobs import ArticleModels, Source
from summaries.ingest.pipeline import ArticleJob, Outcome, Pipeline
from summaries.store import Store, Tenant
from summaries.types import FeedEntry
from summaries.understand.summarize import LeadSummarizer
from tests.bot.processes import Newsbrief, shared_database
from tests.loopback import Route, serve

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted(str(p) for p in (REPO / "bot" / "samples").iterdir())
BROKERS = {
    "redis": "redis://127.0.0.1:6379/0",
    "rabbitmq": "amqp://guest:guest@127.0.0.1:5672//",
}


def _answers(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "", parts.port or 0), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(params=sorted(BROKERS))
def broker(request: pytest.FixtureRequest) -> Iterator[Settings]:
    """Settings for a real broker, with a queue of the test's own (deleted after it)."""
    with _queue_on(str(request.param)) as settings:
        yield settings


@pytest.fixture
def redis_broker() -> Iterator[Settings]:
    with _queue_on("redis") as settings:
        yield settings


@pytest.fixture
def rabbitmq_broker() -> Iterator[Settings]:
    with _queue_on("rabbitmq") as settings:
        yield settings


@contextlib.contextmanager
def _queue_on(name: str) -> Iterator[Settings]:
    url = BROKERS[name]
    if not _answers(url):
        if os.environ.get("NEWSBRIEF_REQUIRE_BROKERS"):
            pytest.fail(f"{name} is not answering and NEWSBRIEF_REQUIRE_BROKERS is set")
        pytest.skip(f"{name} is not answering at {url}")
    settings = Settings(
        broker_url=url,
        broker_queue=f"newsbrief-test-{uuid.uuid4().hex[:10]}",
        broker_visibility_timeout=10,  # Redis gives a dead worker's job away after 10 s
        summarizer="lead",
        allow_private_urls=True,
        article_workers=0,
        fetch_timeout=10,
    )
    try:
        yield settings
    finally:
        app = celery_app(settings)
        try:
            with app.connection_for_write() as conn:
                conn.default_channel.queue_delete(settings.broker_queue)
        except Exception:  # already gone (Redis drops an empty list by itself)
            pass


def _env(settings: Settings, db: str) -> dict[str, str]:
    return {
        "NEWSBRIEF_BROKER_URL": settings.broker_url,
        "NEWSBRIEF_BROKER_QUEUE": settings.broker_queue,
        "NEWSBRIEF_BROKER_VISIBILITY_TIMEOUT": str(settings.broker_visibility_timeout),
        "NEWSBRIEF_SUMMARIZER": settings.summarizer,
        "NEWSBRIEF_ALLOW_PRIVATE_URLS": "true",
        "NEWSBRIEF_DATABASE_URL": db,
    }


def _stored(url: str) -> list[tuple[Any, ...]]:
    """Everything ingest stored that a reader sees: articles, summaries, quotes, sentences."""
    with Store(url) as store:
        articles = sorted(store.latest_articles(100), key=lambda a: a.id)
        rows = []
        for a in articles:
            quotes = [q.quote for q in store.quotes_for_article(a.id)]
            rows.append((a.id, a.title, a.url, a.summary, a.published, quotes))
        ids, vectors = store.vectors("sentence", "all-MiniLM-L6-v2")
        rows.append((len(ids), round(float(vectors.sum()), 3) if len(ids) else 0.0))
        return rows


def _cli(args: list[str], monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> str:
    with monkeypatch.context() as m:
        for name in (*env, "NEWSBRIEF_BROKER_URL"):
            m.delenv(name, raising=False)
        for name, value in env.items():
            m.setenv(name, value)
        out = io.StringIO()
        assert main(args, out=out) == 0
    return out.getvalue()


def test_a_job_and_its_outcome_travel_as_json_and_come_back_equal() -> None:
    entry = FeedEntry(
        "guid-1",
        "https://example.org/a",
        "A title",
        "Ann Reed",
        datetime(2026, 3, 1, 8, 30, tzinfo=UTC),
        "Short text.",
    )
    job = ArticleJob(
        "source",
        "ref",
        source=Source(html=b"<p>caf\xc3\xa9</p>", url="https://example.org/a", entry=entry),
        feed_url="https://example.org/feed",
        entry_id="guid-1",
        tenant=Tenant("slack", "T1"),
    )
    outcome = Outcome("ref", "failed", reason="no text", retry_after=30.0)

    assert decode(json.loads(json.dumps(encode(job)))) == job
    assert decode(json.loads(json.dumps(encode(outcome)))) == outcome
    with pytest.raises(ValueError):  # a message names only the types a job is made of
        decode({"__type__": "Popen", "args": ["true"]})
    with pytest.raises(TypeError):
        encode(Path("/etc/passwd"))


def test_ingest_through_a_worker_prints_and_stores_what_ingest_in_process_does(
    broker: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_models: None
) -> None:
    lines = tmp_path / "lines.jsonl"
    records = [
        {
            "id": n,
            "title": f"Valley news {n}",
            "text": f"The valley council met on day {n} and agreed to repair road number {n}. "
            f'"We start on Monday," said the mayor, Ann Reed. Work will last {n + 2} weeks.',
        }
        for n in range(4)
    ]
    lines.write_text(
        "\n".join([json.dumps(r) for r in records] + ["not json", json.dumps(records[1])]) + "\n"
    )
    here = f"sqlite:///{tmp_path / 'here.db'}"
    queued = f"sqlite:///{tmp_path / 'queued.db'}"
    env = _env(broker, here)
    del env["NEWSBRIEF_BROKER_URL"]
    in_process = _cli(["ingest", *SAMPLES], monkeypatch, env)
    in_process += _cli(["ingest", "--jsonl", str(lines)], monkeypatch, env)

    settings = replace(broker, database_url=queued)
    runtime = WorkerRuntime(settings)
    app = celery_app(settings, runtime)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            env = _env(broker, queued)
            through_queue = _cli(["ingest", *SAMPLES], monkeypatch, env)
            through_queue += _cli(["ingest", "--jsonl", str(lines)], monkeypatch, env)
    finally:
        runtime.close()

    assert through_queue == in_process
    assert in_process.count("stored  #") == 4  # the samples
    assert in_process.count('"article_id"') == 5 and in_process.count('"skipped"') == 1
    assert in_process.count('"error"') == 1  # the line that is not JSON
    stored = _stored(queued)
    assert stored == _stored(here)
    assert sum(len(row[-1]) for row in stored[:-1]) > 4  # quotes found, and the same ones
    assert stored[-1][0] > 20  # sentences embedded, and the same vectors


def test_a_queued_job_for_a_known_story_links_it_to_the_new_tenant_and_stores_nothing(
    broker: Settings, tmp_path: Path, shared_models: None
) -> None:
    settings = replace(broker, database_url=f"sqlite:///{tmp_path / 'q.db'}")
    runtime = WorkerRuntime(settings)
    app = celery_app(settings, runtime)
    text = Path(SAMPLES[-1]).read_text()
    guild = Tenant("discord", "G1")

    async def ingest_twice() -> list[Outcome]:
        queue = QueuedJobs(app)
        with Store(settings.database_url) as store:
            pipeline = Pipeline(store, LeadSummarizer(), Fetcher(), dispatch=queue)
            try:
                first = await pipeline.ingest_text(text, ref="first")
                again = await pipeline.dispatch(
                    ArticleJob("source", "again", source=Source(text=text), tenant=guild)
                )
                return [first, again]
            finally:
                queue.close()
                pipeline.close()
                await pipeline.fetcher.aclose()

    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            first, again = asyncio.run(asyncio.wait_for(ingest_twice(), 120))
    finally:
        runtime.close()

    assert (first.status, again.status) == ("stored", "skipped")
    assert again.article_id == first.article_id
    with Store(settings.database_url) as store:
        assert store.count_articles() == 1
        assert first.article_id is not None
        assert store.in_library(first.article_id, guild)


# -- worker processes ---------------------------------------------------------------------------


class WorkerProcess(Newsbrief):
    """`newsbrief worker --concurrency 1` in its own process group, its log in a file."""

    def __init__(self, settings: Settings, db: str, log: Path) -> None:
        super().__init__(["worker", "--concurrency", "1"], _env(settings, db), log, REPO)


def test_a_worker_killed_mid_batch_loses_nothing_the_other_stores_each_article_once(
    rabbitmq_broker: Settings, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """RabbitMQ gives a dead worker's job away at once (Redis after its visibility timeout:
    the ingest test below)."""
    broker = rabbitmq_broker
    db = shared_database(request, tmp_path)
    with Store(db):
        pass  # migrated once, before two processes open it
    released = threading.Event()
    (page,) = [p for p in SAMPLES if p.endswith(".html")]
    body = Path(page).read_text()
    texts = [
        f"The harbour board met on day {n} and chose to dredge berth {n}. "
        f'"The ships are getting bigger," said the harbour master, Tom Veld. '
        f"Dredging berth {n} will take {n + 3} weeks and cost {n + 1} million."
        for n in range(10)
    ]
    workers = [WorkerProcess(broker, db, tmp_path / f"worker{n}.log") for n in range(2)]
    try:
        for worker in workers:
            worker.wait_for("ready in")  # its models are loaded
            worker.wait_for(" ready.")  # and it takes jobs
        with serve() as site:
            site.routes["/story"] = Route(body.encode(), hold=released)
            url = site.url("/story")
            app = celery_app(broker)

            async def batch() -> list[Outcome]:
                queue = QueuedJobs(app)
                try:
                    page_job = asyncio.ensure_future(queue(ArticleJob("page", url, url=url)))
                    while site.hits.get("/story", 0) < 1:  # the page's job goes out first
                        await asyncio.sleep(0.02)
                    jobs = [
                        queue(ArticleJob("source", f"text {n}", source=Source(text=text)))
                        for n, text in enumerate(texts)
                    ]
                    return list(await asyncio.gather(page_job, *jobs))
                finally:
                    queue.close()

            outcomes: list[list[Outcome]] = []
            caller = threading.Thread(target=lambda: outcomes.append(asyncio.run(batch())))
            caller.start()
            deadline = time.monotonic() + 90
            # One worker is mid-job (fetching the held page) while the other stores texts.
            while not any(" job " in w.text() for w in workers):
                assert time.monotonic() < deadline, "no worker finished a job"
                time.sleep(0.05)
            (holder,) = [w for w in workers if " job " not in w.text()]
            holder.kill()
            released.set()
            caller.join(120)

        (other,) = [w for w in workers if w is not holder]
        assert outcomes, "the batch did not finish"
        assert [o.status for o in outcomes[0]] == ["stored"] * 11
        assert site.hits["/story"] == 2  # fetched by the one killed, then again by the other
        assert f"stored {url}" in other.text() and other.text().count(": stored ") == 11
        assert len(re.findall(r"job [0-9a-f-]{36}: stored ", other.text())) == 11  # with ids
        with Store(db) as store:
            assert store.count_articles() == 11
            assert len({o.article_id for o in outcomes[0]}) == 11
    finally:
        for worker in workers:
            worker.stop()


# -- `newsbrief ingest --jsonl` shared by two worker processes ----------------------------------

TOWNS = ("Ashford", "Brinmoor", "Caldwick", "Dunhollow", "Eastmere", "Fernbrook", "Glenholt")
WORKS = (
    ("library", "a reading room and a children's corner", "the head librarian", "Mara Quist"),
    ("footbridge", "a footbridge over the canal", "the city engineer", "Olek Brand"),
    ("market hall", "a covered market hall", "the traders' spokesman", "Ines Albarran"),
    ("tram depot", "a depot for twelve new trams", "the transport director", "Piet Holm"),
    ("swimming pool", "an outdoor pool by the river", "the sports councillor", "Dana Wilde"),
    ("clinic", "a night clinic near the station", "the health officer", "Sol Ferreira"),
)


def _page(n: int) -> bytes:
    """An invented news page: furniture around an article of five paragraphs and a quote."""
    town, (work, what, role, person) = TOWNS[n % len(TOWNS)], WORKS[n % len(WORKS)]
    title = f"{town} approves {work} plan number {n}"
    body = [
        f"The council of {town} voted {n + 9} to {n % 5 + 2} on Thursday to build {what}, "
        f"after a debate that ran for {n % 4 + 2} hours and filled the public gallery.",
        f"The project, filed as plan {n}, will cost {n + 3}.{n % 10} million and should open "
        f"in {2027 + n % 3}, the council's finance committee said in its report.",
        f'"People have waited for this since {1990 + n}," said {person}, {role}. '
        f'"We will keep the works short and the streets open."',
        f"Opponents asked for a review of the costs of plan {n}; the council agreed to publish "
        f"them every {n % 6 + 2} months until the {work} opens.",
        f"Residents can see the designs for plan {n} at the town hall of {town} until the end "
        f"of the month, and comment on them online.",
    ]
    paragraphs = "".join(f"<p>{p}</p>" for p in body)
    return (
        f"<!doctype html><html><head><title>{title} | The {town} Courier</title>"
        f'<meta property="og:title" content="{title}"></head><body>'
        f'<nav><a href="/">Home</a> <a href="/local">Local</a></nav>'
        f"<article><h1>{title}</h1><p class=byline>By Lee Garner</p>{paragraphs}</article>"
        f"<footer>The {town} Courier. Subscribe for more local news.</footer></body></html>"
    ).encode()


def _ingest_lines(path: Path, site: Any, numbers: range) -> list[str]:
    urls = [site.url(f"/news/{n}") for n in numbers]
    path.write_text(
        "".join(json.dumps({"id": n, "url": u}) + "\n" for n, u in zip(numbers, urls, strict=True))
    )
    return urls


def _holder(site: Any, path: str, workers: list[WorkerProcess]) -> WorkerProcess:
    """The worker whose process holds the open connection that asked for `path`: the socket
    with that client port, found in /proc/net/tcp, then among the workers' open files."""
    (peer,) = site.peers[path]
    server_port = int(site.base.rsplit(":", 1)[1])
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        cols = line.split()
        local, remote = cols[1].split(":"), cols[2].split(":")
        if int(local[1], 16) == peer[1] and int(remote[1], 16) == server_port:
            inodes.add(f"socket:[{cols[9]}]")
    for worker in workers:
        for pid in (p.name for p in Path("/proc").iterdir() if p.name.isdigit()):
            try:
                if os.getpgid(int(pid)) != worker.proc.pid:
                    continue
                links = {os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()}
            except OSError:  # gone, or not ours to look at
                continue
            if links & inodes:
                return worker
    raise AssertionError(f"no worker holds the connection for {path} from port {peer[1]}")


def _run_ingest(settings: Settings, db: str, lines: Path, out: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, **_env(settings, db), "PYTHONPATH": str(REPO)}
    with open(out, "wb") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "ingest", "--jsonl", str(lines)],
            cwd=REPO,
            env=env,
            stdout=sink,
            stderr=subprocess.PIPE,
        )


def _finished(proc: subprocess.Popen[bytes], out: Path) -> list[dict[str, Any]]:
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode(errors="replace")[-3000:]
    return [json.loads(line) for line in out.read_text().splitlines()]


def _jobs_done(worker: WorkerProcess) -> int:
    return len(re.findall(r"job [0-9a-f-]{36}: stored ", worker.text()))


@pytest.mark.postgres
def test_two_workers_share_an_ingest_of_40_pages_and_a_worker_killed_mid_batch_loses_none(
    redis_broker: Settings, tmp_path: Path, postgres_schema_url: str
) -> None:
    """`newsbrief ingest --jsonl` of 40 page URLs, twice, with two `newsbrief worker` processes
    on Redis and PostgreSQL: every line comes back stored, each page once, both workers work;
    the second time one worker is SIGKILLed while it fetches a page, and Redis gives its job to
    the other once the visibility timeout (10 s here) has passed."""
    db = postgres_schema_url
    with Store(db):
        pass  # migrated once, before the processes open it
    released = threading.Event()
    workers = [WorkerProcess(redis_broker, db, tmp_path / f"worker{n}.log") for n in range(2)]
    try:
        for worker in workers:
            worker.wait_for("ready in", timeout=300)  # its models are loaded
            worker.wait_for(" ready.", timeout=120)  # and it takes jobs
        with serve() as site:
            for n in range(80):
                site.routes[f"/news/{n}"] = Route(_page(n))
            site.routes["/news/50"].hold = released

            # Both workers alive.
            urls = _ingest_lines(tmp_path / "first.jsonl", site, range(40))
            ingest = _run_ingest(redis_broker, db, tmp_path / "first.jsonl", tmp_path / "1.out")
            first = _finished(ingest, tmp_path / "1.out")
            assert [row["id"] for row in first] == list(range(40))  # every line, in order
            assert all(isinstance(row.get("article_id"), int) for row in first), first
            assert len({row["article_id"] for row in first}) == 40
            assert all(site.hits[f"/news/{n}"] == 1 for n in range(40))
            done = [_jobs_done(w) for w in workers]
            assert sum(done) == 40 and min(done) > 0  # both did jobs, each job once

            # One worker killed while it fetches page 50 (held), ten lines into the batch.
            more = _ingest_lines(tmp_path / "second.jsonl", site, range(40, 80))
            ingest = _run_ingest(redis_broker, db, tmp_path / "second.jsonl", tmp_path / "2.out")
            deadline = time.monotonic() + 300
            while site.hits.get("/news/50", 0) < 1:
                assert ingest.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
            holder = _holder(site, "/news/50", workers)
            (other,) = [w for w in workers if w is not holder]
            holder.kill()
            released.set()
            second = _finished(ingest, tmp_path / "2.out")

        assert [row["id"] for row in second] == list(range(40, 80))
        assert all(isinstance(row.get("article_id"), int) for row in second), second
        assert site.hits["/news/50"] == 2  # fetched by the one killed, then by the other
        assert f"stored {site.url('/news/50')}" in other.text()
        assert sum(_jobs_done(w) for w in workers) == 80  # the killed job ended once, elsewhere
        with Store(db) as store:
            assert store.count_articles() == 80
            stored = store.latest_articles(200)
            assert sorted(a.url or "" for a in stored) == sorted(urls + more)  # each once
            assert {a.id for a in stored} == {r["article_id"] for r in first + second}
    finally:
        released.set()
        for worker in workers:
            worker.stop()


# -- a job past its time limit --------------------------------------------------------------------

STALL = "STALL"


class Stalling:
    """The lead summariser, except that a text holding STALL keeps it busy for ever."""

    name = "lead"

    def summarize(self, text: str, *, title: str | None = None) -> Any:
        while STALL in text:
            pass
        return LeadSummarizer().summarize(text, title=title)


def test_a_job_past_its_time_limit_fails_once_and_is_not_queued_again_at_the_next_poll(
    redis_broker: Settings, tmp_path: Path
) -> None:
    """Celery kills a job's process at its time limit (3 s here); the entry fails, and polling
    the feed again fails it at once, without queueing it for a worker to be killed again."""
    settings = replace(redis_broker, database_url=f"sqlite:///{tmp_path / 'q.db'}")
    runtime = WorkerRuntime(settings, models=ArticleModels(Stalling()))  # type: ignore[arg-type]
    app = celery_app(settings, runtime)
    app.conf.task_time_limit = 3
    paragraphs = [
        "The ferry company of Westmere cut its winter timetable to four crossings a day on "
        "Monday, after fuel costs rose for the third month running.",
        '"We had no choice," said the director of the company, Nell Carrow.',
        "Islanders said the change leaves them without an evening boat to the mainland.",
    ]

    def page(title: str, stall: bool) -> bytes:
        body = "".join(f"<p>{STALL if stall else ''} {p}</p>" for p in paragraphs)
        head = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        return f"{head}{body}</article></body></html>".encode()

    async def poll_twice(feed: str) -> list[list[Outcome]]:
        queue = QueuedJobs(app)
        with Store(settings.database_url) as store:
            fetcher = Fetcher(allow_private=True, timeout=10)
            pipeline = Pipeline(store, LeadSummarizer(), fetcher, dispatch=queue)
            try:
                return [list((await pipeline.ingest_url(feed)).outcomes) for _ in range(2)]
            finally:
                queue.close()
                pipeline.close()
                await fetcher.aclose()

    with serve() as site:
        items = "".join(
            f"<item><title>{p}</title><link>{site.url('/' + p)}</link><guid>{p}</guid></item>"
            for p in ("stuck", "fine")
        )
        site.routes["/feed"] = Route(
            f"<?xml version='1.0'?><rss version='2.0'><channel><title>Ferries</title>{items}"
            "</channel></rss>".encode(),
            content_type="application/rss+xml",
        )
        site.routes["/stuck"] = Route(page("Ferry cuts", stall=True))
        site.routes["/fine"] = Route(page("Ferry timetable", stall=False))
        try:
            with start_worker(
                app, pool="prefork", concurrency=1, perform_ping_check=False, shutdown_timeout=30
            ):
                first, second = asyncio.run(asyncio.wait_for(poll_twice(site.url("/feed")), 180))
        finally:
            runtime.close()

    by_ref = [{o.ref.rsplit("/", 1)[-1]: o for o in poll} for poll in (first, second)]
    stuck, again = by_ref[0]["stuck"], by_ref[1]["stuck"]
    assert (stuck.status, stuck.reason, stuck.overtime) == (
        "failed",
        "took longer than 3 s to process",
        True,
    )
    assert again.status == "failed" and again.overtime
    assert again.reason == f"{stuck.reason} (on an earlier try; not retried within a day)"
    assert site.hits["/stuck"] == 1  # the second poll queued no job for it
    assert by_ref[0]["fine"].status == "stored" and by_ref[1]["fine"].status == "skipped"


def test_a_job_no_worker_takes_fails_at_the_wait_limit_looked_at_soon_then_steadily(
    broker: Settings,
) -> None:
    """No worker runs: each job fails once the caller has waited `wait_limit`, and stays
    queued. Meanwhile its result was looked for soon after it was sent (a quick job is seen
    done within a few ms), then at growing steps up to `poll_interval`: not in a busy loop."""
    looks: dict[str, list[float]] = {}

    class Counted(QueuedJobs):
        def _collect(self, waiting: Any) -> Any:
            for task_id, *_ in waiting:
                looks.setdefault(task_id, []).append(time.monotonic())
            return super()._collect(waiting)

    async def two_jobs(queue: QueuedJobs) -> list[Outcome]:
        jobs = [
            ArticleJob("source", f"t{n}", source=Source(text="Nobody takes this job."))
            for n in (1, 2)
        ]
        first = asyncio.ensure_future(queue(jobs[0]))
        await asyncio.sleep(0.3)  # the second is sent while the first is waited on
        return [await first, await queue(jobs[1])]

    queue = Counted(celery_app(broker), wait_limit=0.8, poll_interval=0.1)
    try:
        outcomes = asyncio.run(asyncio.wait_for(two_jobs(queue), 30))
    finally:
        queue.close()
    for outcome in outcomes:
        assert outcome.status == "failed" and not outcome.overtime
        assert outcome.reason.startswith("no worker finished it within 0.8 s (it stays queued")
    assert len(looks) == 2
    for times in looks.values():
        gaps = [b - a for a, b in itertools.pairwise(times)]
        # Looks 4, 8, 16, 32, 64 ms after sending, then every 0.1 s: about 13 in 0.8 s.
        assert 9 <= len(times) <= 16, gaps
        assert gaps[0] < 0.075, gaps  # a steady 0.1 s would wait the whole step first
        assert min(gaps[-4:]) > 0.08, gaps
