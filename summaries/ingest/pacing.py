"""Politeness: at most so many page fetches per minute to one host; more wait their turn."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from urllib.parse import urlsplit

PAGES_PER_MINUTE = 30  # page fetches one host gets from us in any minute
_FORGET_AFTER = 1000  # hosts remembered before the idle ones are forgotten


class HostPacer:
    """Spaces page fetches per host: at most `per_window` start in any `window` seconds.

    Each call reserves the next free start time for its host and sleeps until then, so the
    callers of one host go in turn and other hosts are not held up. Only asyncio.
    """

    def __init__(
        self,
        per_window: int = PAGES_PER_MINUTE,
        *,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_window < 1 or window <= 0:
            raise ValueError("per_window must be at least 1 and window positive")
        self.per_window = per_window
        self.window = window
        self._clock = clock
        self._starts: dict[str, deque[float]] = {}  # host -> its latest reserved start times

    async def wait(self, url: str) -> None:
        """Return when a fetch of `url` may start."""
        now = self._clock()
        if len(self._starts) >= _FORGET_AFTER:
            self._forget_idle(now)
        starts = self._starts.setdefault(_host(url), deque(maxlen=self.per_window))
        start = now
        if len(starts) == self.per_window:  # the window is full: go one window after the oldest
            start = max(now, starts[0] + self.window)
        starts.append(start)
        if start > now:
            await asyncio.sleep(start - now)

    def _forget_idle(self, now: float) -> None:
        idle = [h for h, s in self._starts.items() if not s or s[-1] <= now - self.window]
        for host in idle:
            del self._starts[host]


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
