"""Threads for torch on a shared machine: how many, and how they wait.

torch's OpenMP threads spin while they wait for work: with another process busy on the same
cores, two spinning threads ran MiniLM 4-25× slower than one (bench/encoder_bench.py). So the
wait policy is made passive before torch loads (unless the user chose one), the thread count
follows the cores this process may use, and a question (one short text) runs on one thread.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = [
    "DEFAULT_CAP",
    "blas_threads",
    "default_threads",
    "few_threads",
    "quiet_waits",
    "set_threads",
    "usable_cores",
    "worker_threads",
]

DEFAULT_CAP = 4  # past four threads MiniLM's small matrices gain little


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


def default_threads(cap: int = DEFAULT_CAP) -> int:
    """torch's intra-op threads when no setting says: the usable cores, at most `cap`."""
    return max(1, min(cap, usable_cores()))


def worker_threads(workers: int, cores: int | None = None) -> int:
    """The threads of each of `workers` processes that share the `cores` (default: the usable
    ones) and are busy together: an equal share, at least 1, so that together they use every core
    and no more: threads beyond the cores only wait on each other. The bot's own process gets
    no core of its own: its work between articles is light, and one worker on one of 2 cores
    ingested 73 articles a minute where it read 128 on both (bench/ingest_speed.py, load 11)."""
    cores = usable_cores() if cores is None else cores
    return max(1, min(DEFAULT_CAP, cores // max(1, workers)))


def set_threads(threads: int) -> None:
    """torch's intra-op threads and numpy's BLAS threads (spaCy's matrix products) to `threads`."""
    import torch

    torch.set_num_threads(max(1, threads))
    blas_threads(threads)


def blas_threads(threads: int) -> None:
    """numpy's BLAS (OpenBLAS) on at most `threads` threads, process-wide; spaCy multiplies
    through it (summaries.understand.quotes.extractor). OpenBLAS's threads spin while they wait,
    like OpenMP's: on a busy machine more threads than cores run several times slower."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # then OpenBLAS keeps its own count (OPENBLAS_NUM_THREADS, or the cores)
        return
    threadpool_limits(limits=max(1, threads), user_api="blas")


def quiet_waits() -> None:
    """Make OpenMP threads sleep, not spin, while they wait (OMP_WAIT_POLICY=PASSIVE), unless
    the environment already sets a policy. OpenMP reads it once, when torch first loads: this
    runs when `summaries.understand` is imported, before anything here imports torch."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


@contextmanager
def few_threads(torch: Any, threads: int, after: int) -> Iterator[None]:
    """Run the body with torch on `threads` threads, then set `after` threads.

    torch keeps the count per thread once a thread has run an operation (and process-wide for
    threads yet to start one), so another thread's forward pass keeps its own count; `after`
    is given rather than read back, since a thread's first read may see another's lent count."""
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(after)
