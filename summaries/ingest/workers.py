"""Where ingest's jobs (summaries.ingest.jobs) run: in this process, or in worker processes that
are killed when an article takes longer than its time budget.

`Executor` is the seam: `await executor.run(budget, job, *args)`. `InProcess` runs jobs on one
thread of this process with the models it is given (tests, small uses; no deadline, since a
thread can't be stopped). `WorkerPool` runs them in worker processes that each build their
models once, from a picklable factory; a job past its budget has its process killed and
replaced, and fails with DeadlineExceeded while every other job goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import functools
import hashlib
import logging
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from summaries.ingest.jobs import ArticleModels, Source, warm_up
from summaries.types import NewsbriefError

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")
Job = Callable[Concatenate[ArticleModels, P], T]

# Seconds a new worker process may take to import and load its models before it counts as
# broken: spaCy and MiniLM take 5-15 s on a busy small machine.
START_TIMEOUT = 300.0
# Seconds an idle worker is given to exit on its own at shutdown before it is killed.
STOP_GRACE = 2.0
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies


class DeadlineExceeded(NewsbriefError):
    """An article took longer than its time budget; its worker process was killed."""


class WorkerError(NewsbriefError):
    """A job could not run: its worker failed to start, died, or hit a bug (logged)."""


class Budget:
    """Seconds of work one article may take across its jobs; None: no limit."""

    def __init__(self, seconds: float | None) -> None:
        self.total = seconds
        self.left = seconds

    def spend(self, seconds: float) -> None:
        if self.left is not None:
            self.left -= seconds

    def exceeded(self) -> DeadlineExceeded:
        return DeadlineExceeded(f"took longer than {self.total:g} s to process")


class Overtime:
    """Sources that ran past their budget lately, known by their content, so that the same page
    or text — under any URL — fails at once for a while instead of holding a worker again."""

    def __init__(self, *, size: int = 1024, hours: float = 24.0) -> None:
        self.size = size
        self.seconds = hours * 3600
        self._known: OrderedDict[str, tuple[str, float]] = OrderedDict()

    @staticmethod
    def key(source: Source) -> str | None:
        content = source.html if source.html is not None else source.text
        if content is None:
            return None
        data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
        return hashlib.sha256(data).hexdigest()

    def reason(self, key: str | None) -> str | None:
        """Why the source with this key failed lately, or None."""
        known = self._known.get(key) if key is not None else None
        if key is None or known is None:
            return None
        reason, until = known
        if time.monotonic() > until:
            del self._known[key]
            return None
        return reason

    def remember(self, key: str | None, reason: str) -> None:
        if key is None:
            return
        self._known[key] = (reason, time.monotonic() + self.seconds)
        self._known.move_to_end(key)
        while len(self._known) > self.size:
            self._known.popitem(last=False)


class Executor(Protocol):
    """Runs jobs: `job(models, *args)` with the executor's models, off the event loop."""

    timeout: float | None  # the budget of one article, in seconds; None: no limit

    async def run(
        self, budget: Budget, job: Job[P, T], /, *args: P.args, **kwargs: P.kwargs
    ) -> T: ...

    def close(self) -> None: ...


class InProcess:
    """Jobs on one thread of this process, with `models` (tests, small uses): no deadline."""

    timeout: float | None = None

    def __init__(self, models: ArticleModels) -> None:
        self.models = models
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsbrief-job")

    async def run(self, budget: Budget, job: Job[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        call = functools.partial(job, self.models, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._thread, call)

    def close(self) -> None:
        self._thread.shutdown(wait=True)


class WorkerPool:
    """Jobs in `workers` processes, each building its models once with `factory` (a picklable
    callable, e.g. a module-level function or a partial of one).

    A job gets what is left of its budget (`timeout` seconds per article) counted from when a
    worker starts it, not from when it was queued; past it, the worker is killed and a new one
    started. Workers start on first use; `close()` stops them, killing busy ones, and returns
    within a few seconds whatever they are doing.
    """

    def __init__(
        self,
        factory: Callable[[], ArticleModels],
        *,
        workers: int = 1,
        timeout: float = 60.0,
        start_timeout: float = START_TIMEOUT,
        stop_grace: float = STOP_GRACE,
    ) -> None:
        if workers < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.factory = factory
        self.size = workers
        self.timeout: float | None = timeout
        self.start_timeout = start_timeout
        self.stop_grace = stop_grace  # seconds idle workers get to exit at close
        self._context = multiprocessing.get_context("spawn")  # no forked copy of our threads
        # One thread per worker process hands it jobs and waits for the answer, so the event
        # loop only awaits; jobs queue in this executor, first come first served.
        self._threads = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="newsbrief-pool")
        self._mine = threading.local()  # the worker process of the current thread
        self._lock = threading.Lock()
        self._workers: set[_Worker] = set()
        self._closed = False

    async def run(self, budget: Budget, job: Job[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        if self._closed:
            raise RuntimeError("the worker pool is closed")
        call = functools.partial(self._call, budget, job, args, kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._threads, call)

    async def start(self) -> None:
        """Start every worker now and wait until each has loaded its models (else they start
        on first use). Raises WorkerError when one can't."""
        together = threading.Barrier(self.size)  # one worker per pool thread
        loop = asyncio.get_running_loop()
        await asyncio.gather(
            *(loop.run_in_executor(self._threads, self._warm, together) for _ in range(self.size))
        )

    def close(self) -> None:
        """Stop every worker: idle ones are asked to exit, busy or stuck ones are killed."""
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.stop()
        deadline = time.monotonic() + self.stop_grace
        for worker in workers:  # a pool thread waiting on one wakes as its process goes
            worker.join(max(0.0, deadline - time.monotonic()))
        # Only now may the pool threads end: the kernel's parent-death signal (see
        # _die_with_parent) follows the thread that started a worker, not its process, so a
        # thread ending first SIGKILLs a worker that was exiting on its own (its exit
        # handlers unrun: a semaphore it made, e.g. tqdm's lock, is reported leaked).
        self._threads.shutdown(wait=False, cancel_futures=True)

    # -- in a pool thread ---------------------------------------------------------------------
    def _call(self, budget: Budget, job: Job[P, T], args: Any, kwargs: Any) -> T:
        worker = self._ready_worker()
        seconds = budget.left
        if seconds is not None and seconds <= 0:
            raise budget.exceeded()
        started = time.monotonic()
        try:
            worker.send((job, args, kwargs))
            reply = worker.receive(seconds)
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            raise WorkerError(f"the article worker stopped ({worker.exit_status()})") from None
        finally:
            budget.spend(time.monotonic() - started)
        if reply is None:
            log.warning(
                "%s took longer than %.1f s: killing worker %s", job.__name__, seconds, worker.pid
            )
            self._replace(worker)
            raise budget.exceeded()
        status, value = reply
        if status == "ok":
            return value
        if status == "error":
            raise value
        log.error("%s failed in worker %s:\n%s", job.__name__, worker.pid, value[1])
        raise WorkerError(f"processing failed: {value[0]}")

    def _warm(self, together: threading.Barrier) -> None:
        self._worker()  # its process starts loading now, beside the others
        together.wait(self.start_timeout)
        self._ready_worker()

    def _ready_worker(self) -> _Worker:
        """This thread's worker, once it has loaded its models."""
        worker = self._worker()
        problem = worker.wait_ready(self.start_timeout)
        if problem is not None:
            self._replace(worker)
            raise WorkerError(f"the article worker could not start: {problem}")
        return worker

    def _worker(self) -> _Worker:
        worker: _Worker | None = getattr(self._mine, "worker", None)
        if worker is None or not worker.alive():
            worker = self._start()
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill `worker` and start its successor, which loads its models while jobs wait."""
        worker.kill()
        worker.conn.close()
        with self._lock:
            self._workers.discard(worker)
        self._mine.worker = None
        with contextlib.suppress(RuntimeError):  # closed meanwhile: no successor
            self._start()

    def _start(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise RuntimeError("the worker pool is closed")
            worker = _Worker(self._context, self.factory)
            self._workers.add(worker)
        self._mine.worker = worker
        return worker


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context: Any, factory: Callable[[], ArticleModels]) -> None:
        parent, child = context.Pipe()
        self.conn: Connection = parent
        self.process: BaseProcess = context.Process(
            target=serve,
            args=(child, factory, logging.getLogger().getEffectiveLevel(), os.getpid()),
            name="newsbrief-worker",
            daemon=True,
        )
        self.process.start()
        child.close()  # only the worker holds it now: its death reads as EOF here
        self.ready = False
        self.busy = False

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.is_alive()

    def wait_ready(self, timeout: float) -> str | None:
        """None once the worker has loaded its models, else what went wrong."""
        if self.ready:
            return None
        try:
            reply = self.receive(timeout)
        except (EOFError, OSError):
            return f"it exited while loading ({self.exit_status()})"
        if reply is None:
            return f"it took over {timeout:g} s to load the models"
        status, value = reply
        if status != "ready":
            return str(value)
        self.ready = True
        return None

    def send(self, message: object) -> None:
        self.conn.send(message)
        self.busy = True

    def receive(self, timeout: float | None) -> Any:
        """The worker's next message, or None when `timeout` seconds pass first."""
        if not self.conn.poll(timeout):
            return None
        message = self.conn.recv()
        self.busy = False
        return message

    def exit_status(self) -> str:
        self.process.join(0.5)
        code = self.process.exitcode
        if code is None:
            return "still running"
        if code < 0:
            return f"killed by signal {-code}"
        return f"exit code {code}"

    def stop(self) -> None:
        """Ask an idle worker to exit; kill a busy one (or one still loading)."""
        if self.busy or not self.ready:
            self.kill()
            return
        try:
            self.conn.send(None)
        except OSError:
            self.kill()

    def kill(self) -> None:
        # The pipe stays open: a pool thread may be reading it, and reads EOF now.
        if self.process.is_alive():
            self.process.kill()
        self.process.join(STOP_GRACE)

    def join(self, timeout: float) -> None:
        self.process.join(timeout)
        if self.process.is_alive():
            self.kill()


# -- in the worker process --------------------------------------------------------------------


def serve(
    conn: Connection, factory: Callable[[], ArticleModels], log_level: int, parent: int
) -> None:
    """A worker process: build the models, say ready, then run jobs until told to stop."""
    # Ctrl-C reaches the whole process group; the parent decides when workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)
    logging.basicConfig(
        level=log_level, format=f"%(levelname)s %(name)s [worker {os.getpid()}]: %(message)s"
    )
    try:
        models = factory()
        warm_up(models)
    except Exception as exc:
        log.exception("the worker could not load its models")
        conn.send(("broken", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        except Exception as exc:  # a job this process can't unpickle
            message = (_unreadable, (f"{type(exc).__name__}: {exc}",), {})
        if message is None:
            return
        job, args, kwargs = message
        try:
            conn.send(_outcome(job, models, args, kwargs))
        except OSError:  # the parent is gone
            return


def _die_with_parent(parent: int) -> None:
    """On Linux, have the kernel kill this worker when the parent goes, even by kill -9, rather
    than leave it running a long job for no one. (The kernel's "parent" is the thread that
    started the worker: WorkerPool.close keeps its threads until the workers are gone.)"""
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # gone already
        os._exit(0)


def _outcome(job: Callable[..., Any], models: ArticleModels, args: Any, kwargs: Any) -> object:
    """("ok", result), ("error", a NewsbriefError to raise) or ("bug", (summary, traceback))."""
    try:
        result = job(models, *args, **kwargs)
        reply: tuple[str, object] = ("ok", result)
    except NewsbriefError as exc:
        reply = ("error", _portable(exc))
    except Exception as exc:
        reply = ("bug", (f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    try:
        pickle.dumps(reply)
    except Exception as exc:
        return ("bug", (f"unpicklable result: {exc}", traceback.format_exc()))
    return reply


def _unreadable(models: ArticleModels, problem: str) -> None:
    raise RuntimeError(f"the job could not be read: {problem}")


def _portable(exc: NewsbriefError) -> NewsbriefError:
    """`exc` if it survives a pickle round trip, else a plain NewsbriefError with its message."""
    try:
        copy = pickle.loads(pickle.dumps(exc))
    except Exception:
        return NewsbriefError(str(exc))
    return copy if isinstance(copy, NewsbriefError) else NewsbriefError(str(exc))
