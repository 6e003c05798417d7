"""Articles as Celery jobs, past one machine (NEWSBRIEF_BROKER_URL: Redis or RabbitMQ).

The cut is the pipeline's own: each article's whole ingest is one `ArticleJob` (fetch its
page, read, dedupe, summarise, quotes, embeddings, store), and a worker runs it with
`Pipeline.run_job` — the same code that runs it in one process without a broker. So the worker
stores the article itself, in the shared database, with the tenant and the feed entry the job
names (a known story is linked, not stored again), and sends back only the small `Outcome`.
What is not one article stays with the caller: fetching and parsing feeds, their validators and
poll plans, and the quick dedupe that keeps known entries off the queue.

A job is acknowledged once it is done (acks_late): a worker killed mid-job leaves it on the
broker, and another worker runs it again from the start; the store's dedupe makes the second
run of a stored article a skip. A job past its time limit has its process killed by Celery and
fails (`Outcome.overtime`), without being retried; the sender's pipeline then fails the same job
at once for a day, rather than queue it again at each poll of its feed. Jobs and outcomes
travel as JSON (`encode`, `decode`): a worker builds only the few types a job is made of,
whatever a message says.

This module is the only one that imports Celery.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import os
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import fields, is_dataclass, replace
from datetime import datetime
from typing import Any

from celery import Celery
from celery.exceptions import TimeLimitExceeded
from celery.result import AsyncResult

from bot.settings import Settings
from summaries.ingest.jobs import ArticleModels, Source, warm_up
from summaries.ingest.pipeline import ArticleJob, Outcome, Pipeline
from summaries.ingest.workers import InProcess
from summaries.store import Tenant
from summaries.times import iso, parse_iso
from summaries.types import FeedEntry

log = logging.getLogger(__name__)

TASK = "newsbrief.ingest_article"
NOOP = "newsbrief.noop"  # does nothing: what a job costs the queue alone (bench/scale_ingest.py)
# Seconds a caller waits for a queued job before giving up on it (the job stays queued, and
# its article is stored when a worker gets to it).
WAIT_LIMIT = 900.0
# Seconds between looks at the result backend for a job a caller waits on: the first look
# FIRST_POLL after sending it, then at steps doubling up to POLL_INTERVAL. A quick job (a
# known article's) is seen done within a few ms of its end; a long one costs five looks more
# than looking every POLL_INTERVAL from the start.
FIRST_POLL = 0.004
POLL_INTERVAL = 0.1


# The types a job or its outcome is made of: the only ones a message can make a worker build.
MESSAGE_TYPES: dict[str, type] = {
    cls.__name__: cls for cls in (ArticleJob, Source, FeedEntry, Tenant, Outcome)
}


def encode(value: Any) -> Any:
    """A job, an outcome or a part of one as JSON-ready data (dataclasses tagged by type)."""
    if is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if MESSAGE_TYPES.get(name) is not type(value):
            raise TypeError(f"{name} does not travel in a job")
        data = {f.name: encode(getattr(value, f.name)) for f in fields(value)}
        return {"__type__": name, **data}
    if isinstance(value, datetime):
        return {"__datetime__": iso(value)}
    if isinstance(value, bytes):
        return {"__bytes__": base64.b64encode(value).decode("ascii")}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"{type(value).__name__} does not travel in a job")


def decode(data: Any) -> Any:
    """What `encode` made, back as the value it was; ValueError on anything else."""
    if isinstance(data, list):
        return tuple(decode(v) for v in data)
    if not isinstance(data, dict):
        return data
    if "__datetime__" in data:
        return parse_iso(str(data["__datetime__"]))
    if "__bytes__" in data:
        return base64.b64decode(str(data["__bytes__"]))
    cls = MESSAGE_TYPES.get(str(data.get("__type__")))
    if cls is None:
        raise ValueError(f"not a newsbrief job: {str(data.get('__type__'))[:40]!r}")
    try:
        return cls(**{k: decode(v) for k, v in data.items() if k != "__type__"})
    except TypeError as exc:
        raise ValueError(f"a malformed {cls.__name__}: {exc}") from None


def result_backend(settings: Settings) -> str:
    """Where job outcomes go: the setting, else the Redis broker itself, else rpc:// (replies
    over RabbitMQ to the process that sent the job)."""
    if settings.result_backend:
        return settings.result_backend
    if settings.broker_url.startswith(("redis://", "rediss://")):
        return settings.broker_url
    return "rpc://"


def time_limit(settings: Settings) -> float:
    """Seconds one job may take on a worker: the article's budget, its page fetch, storing."""
    return settings.article_timeout + settings.fetch_timeout + 30.0


def visibility_timeout(settings: Settings) -> float:
    """Redis: seconds after which a job taken but not acknowledged (its worker died) is given
    to another worker. Longer than any job may run, else a slow job would run twice."""
    if settings.broker_visibility_timeout > 0:
        return settings.broker_visibility_timeout
    return 2 * time_limit(settings) + 60.0


def celery_app(settings: Settings, runtime: WorkerRuntime | None = None) -> Celery:
    """The Celery app of newsbrief's jobs on `settings.broker_url`. Its task runs jobs with
    `runtime` (default: one built from `settings` in each worker process, on first use)."""
    if not settings.broker_url:
        raise ValueError("the job queue needs NEWSBRIEF_BROKER_URL")
    app = Celery("newsbrief", broker=settings.broker_url, backend=result_backend(settings))
    hidden = visibility_timeout(settings)
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_accept_content=["json"],
        task_default_queue=settings.broker_queue or "newsbrief",
        task_acks_late=True,  # a worker that dies mid-job leaves the job to another
        worker_prefetch_multiplier=1,  # a busy worker holds no jobs another could run
        task_time_limit=time_limit(settings),
        result_expires=3600,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": hidden,
            # Look for the jobs of dead workers often enough to find them soon after they are due.
            "unacked_restore_interval": max(1, min(30, int(hidden // 5))),
            "unacked_restore_throttle": 1,
        },
        worker_hijack_root_logger=False,
    )
    runner = runtime or WorkerRuntime(settings)

    @app.task(name=TASK, bind=True, shared=False)  # this app's alone: its runtime differs
    def ingest_article(task: Any, message: Any) -> Any:
        """One article's job, run to its stored (or skipped, or failed) outcome."""
        started = time.monotonic()
        job = decode(message)
        if not isinstance(job, ArticleJob):
            raise ValueError(f"not an article's job: {type(job).__name__}")
        outcome = runner.run(job)
        log.info(
            "job %s: %s %s in %.1f s%s",
            task.request.id,
            outcome.status,
            job.ref,
            time.monotonic() - started,
            f" ({outcome.reason})" if outcome.reason and outcome.status != "stored" else "",
        )
        return encode(outcome)

    @app.task(name=NOOP, shared=False)
    def noop(value: Any = None) -> Any:
        """Nothing: sent to time a round trip through the broker and the result backend."""
        return value

    return app


class WorkerRuntime:
    """What a worker process runs jobs with: its own pipeline over the shared database, and the
    models, loaded once per process (on `start()` or the first job)."""

    def __init__(
        self, settings: Settings, *, models: ArticleModels | None = None, concurrency: int = 1
    ) -> None:
        # The worker runs each job here: a worker never queues jobs of its own.
        self.settings = replace(settings, broker_url="", article_workers=0)
        self.models = models
        self.concurrency = concurrency
        self._loop: asyncio.AbstractEventLoop | None = None
        self._services: Any = None
        self._pipeline: Pipeline | None = None
        self._pid = 0

    def start(self) -> Pipeline:
        """The pipeline of this process, built and its models loaded on the first call."""
        if self._pipeline is not None and self._pid == os.getpid():
            return self._pipeline
        from bot.app import Services, article_models

        started = time.monotonic()
        models = self.models
        if models is None:  # threads shared out among the processes of this worker
            models = article_models(replace(self.settings, article_workers=self.concurrency))
            warm_up(models)
        self._loop = asyncio.new_event_loop()
        self._services = Services(self.settings)
        executor = InProcess(models)  # Celery's time limit is the deadline, per process
        pipeline = self._services.build_pipeline(executor)
        self._pipeline, self._pid = pipeline, os.getpid()
        log.info("worker process %d ready in %.1f s", os.getpid(), time.monotonic() - started)
        return pipeline

    def run(self, job: ArticleJob) -> Outcome:
        pipeline = self.start()
        assert self._loop is not None
        return self._loop.run_until_complete(pipeline.run_job(job))

    def close(self) -> None:
        if self._loop is not None and self._services is not None and self._pid == os.getpid():
            if self._pipeline is not None:
                self._pipeline.close()
                self._pipeline.executor.close()
            self._loop.run_until_complete(self._services.aclose())
            self._loop.close()
        self._pipeline = self._services = self._loop = None


class QueuedJobs:
    """A pipeline's `dispatch` through the broker: each job is sent to the workers and its
    outcome awaited. Every Celery call is made on one thread of its own (Celery's clients are
    not thread-safe), so the event loop only awaits."""

    def __init__(
        self,
        app: Celery,
        *,
        wait_limit: float = WAIT_LIMIT,
        poll_interval: float = POLL_INTERVAL,
        job_limit: float | None = None,
    ) -> None:
        self.app = app
        self.wait_limit = wait_limit
        self.poll_interval = poll_interval
        self.job_limit = job_limit or float(app.conf.task_time_limit or 0) or None
        self._client = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsbrief-queue")
        self._waiting: dict[str, tuple[AsyncResult, asyncio.Future[Outcome], str, float]] = {}
        self._next_look: dict[str, tuple[float, float]] = {}  # when, and the step after it
        self._sent: asyncio.Event | None = None  # set when a job is sent, for its first look
        self._watcher: asyncio.Task[None] | None = None

    async def __call__(self, job: ArticleJob) -> Outcome:
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(self._client, self._send, job)
        except Exception as exc:  # the broker is down or refuses us: this job fails alone
            log.warning("could not queue %s: %s", job.ref, exc)
            return Outcome(job.ref, "failed", reason=f"the job queue is unreachable: {exc}")
        log.debug("queued %s as job %s", job.ref, result.id)
        future: asyncio.Future[Outcome] = loop.create_future()
        now = time.monotonic()
        self._waiting[result.id] = (result, future, job.ref, now + self.wait_limit)
        first = min(FIRST_POLL, self.poll_interval)
        self._next_look[result.id] = (now + first, first)
        if self._watcher is None or self._watcher.done():
            self._sent = asyncio.Event()
            self._watcher = loop.create_task(self._watch())
        assert self._sent is not None
        self._sent.set()
        try:
            return await future
        finally:
            self._waiting.pop(result.id, None)
            self._next_look.pop(result.id, None)

    def close(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
        self._client.shutdown(wait=True)

    # -- on the client thread -------------------------------------------------------------------
    def _send(self, job: ArticleJob) -> AsyncResult:
        return self.app.send_task(TASK, args=(encode(job),))

    def _collect(
        self, waiting: list[tuple[str, AsyncResult, str, float]]
    ) -> list[tuple[str, Outcome]]:
        done = []
        now = time.monotonic()
        for task_id, result, ref, give_up_at in waiting:
            if result.ready():
                done.append((task_id, self._outcome(result, ref)))
                with contextlib.suppress(Exception):  # rpc:// keeps nothing to forget
                    result.forget()
            elif now > give_up_at:
                reason = (
                    f"no worker finished it within {self.wait_limit:g} s (it stays queued, "
                    "and is stored once a worker gets to it)"
                )
                done.append((task_id, Outcome(ref, "failed", reason=reason)))
        return done

    def _outcome(self, result: AsyncResult, ref: str) -> Outcome:
        value = result.result
        if result.successful():
            with contextlib.suppress(ValueError):
                outcome = decode(value)
                if isinstance(outcome, Outcome):
                    return outcome
            return Outcome(ref, "failed", reason="the worker's answer could not be read")
        if isinstance(value, TimeLimitExceeded):
            limit = f" {self.job_limit:g} s" if self.job_limit else " its time limit"
            reason = f"took longer than{limit} to process"
            return Outcome(ref, "failed", reason=reason, overtime=True)
        log.warning("job %s for %s failed: %r", result.id, ref, value)
        return Outcome(ref, "failed", reason=f"the worker failed: {type(value).__name__}: {value}")

    # -- on the event loop ----------------------------------------------------------------------
    async def _watch(self) -> None:
        """Hand each finished job's outcome to its waiter, until none is waiting: each job is
        looked at when its next look is due (FIRST_POLL after it was sent, then at steps
        doubling up to `poll_interval`), the jobs due together in one call."""
        loop = asyncio.get_running_loop()
        while self._waiting:
            now = time.monotonic()
            due = [
                (i, r, ref, until)
                for i, (r, _, ref, until) in self._waiting.items()
                if self._next_look[i][0] <= now
            ]
            done: list[tuple[str, Outcome]] = []
            if due:
                try:
                    done = await loop.run_in_executor(self._client, self._collect, due)
                except Exception as exc:  # the backend is away: look again shortly
                    log.warning("could not read job results: %s", exc)
            for task_id, outcome in done:
                waiter = self._waiting.pop(task_id, None)
                if waiter is not None and not waiter[1].done():
                    waiter[1].set_result(outcome)
            looked = time.monotonic()
            for task_id, *_ in due:
                if task_id in self._next_look:
                    step = self._next_look[task_id][1]
                    self._next_look[task_id] = (looked + step, min(2 * step, self.poll_interval))
            if not self._waiting:
                break
            assert self._sent is not None
            self._sent.clear()
            soonest = min(self._next_look[i][0] for i in self._waiting)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._sent.wait(), max(0.0, soonest - time.monotonic()))


def run_worker(settings: Settings, *, concurrency: int, loglevel: str = "INFO") -> None:
    """Run a worker until it is stopped (Ctrl-C, SIGTERM): `concurrency` processes, each
    loading the models once, then taking jobs one at a time."""
    from celery.signals import worker_process_init, worker_process_shutdown

    runtime = WorkerRuntime(settings, concurrency=concurrency)
    app = celery_app(settings, runtime)

    def load(**_: Any) -> None:
        runtime.start()

    def unload(**_: Any) -> None:
        runtime.close()

    # Our own line per finished job says what the article became; Celery's repeats its summary.
    logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
    worker_process_init.connect(load, weak=False)
    worker_process_shutdown.connect(unload, weak=False)
    node = f"newsbrief-{os.getpid()}@{socket.gethostname()}"
    worker = app.Worker(
        concurrency=concurrency,
        loglevel=loglevel,
        queues=[app.conf.task_default_queue],
        hostname=node,
        pool="prefork",
    )
    worker.start()
    code = worker.exitcode
    if code:
        raise SystemExit(code)
