"""Per-host pacing of page fetches: a host's fetches wait their turn, other hosts don't."""

from __future__ import annotations

import asyncio
import time

import pytest

from summaries.ingest.pacing import HostPacer


def _starts(pacer: HostPacer, urls: list[str]) -> dict[str, list[float]]:
    """When each call for `urls` (made together) was let through, by URL, from the start."""

    async def go() -> dict[str, list[float]]:
        begin = time.monotonic()
        times: dict[str, list[float]] = {}

        async def one(url: str) -> None:
            await pacer.wait(url)
            times.setdefault(url, []).append(time.monotonic() - begin)

        await asyncio.gather(*(one(u) for u in urls))
        return times

    return asyncio.run(go())


def test_one_host_gets_at_most_its_quota_per_window_and_others_are_not_held_up() -> None:
    pacer = HostPacer(2, window=0.4)
    times = _starts(pacer, ["https://a.example/1"] * 5 + ["https://B.example/x"] * 2)
    a = sorted(times["https://a.example/1"])
    assert a[1] < 0.2 and 0.35 < a[2] < 0.6 and 0.75 < a[4] < 1.2
    assert max(times["https://B.example/x"]) < 0.2  # another host: no wait


def test_hosts_are_compared_without_case_and_port_paths_or_schemes() -> None:
    pacer = HostPacer(1, window=0.3)
    times = _starts(pacer, ["https://News.example/a", "http://news.example:8080/b?x=1"])
    assert sorted(t for ts in times.values() for t in ts)[1] > 0.25


@pytest.mark.parametrize(("per_window", "window"), [(0, 60.0), (5, 0.0)])
def test_a_pacer_that_would_never_let_anything_through_is_refused(
    per_window: int, window: float
) -> None:
    with pytest.raises(ValueError):
        HostPacer(per_window, window=window)
