"""Many bot processes on one database: each built by its own `Services`, each with its own
scheduler, all due at once. The digest ledger and the feed-poll leases make every digest and
every poll happen once (the crash case is in test_scheduler.py): as threads of one test
with a barrier (both due at the same instant), and as `newsbrief run` processes."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import psycopg
import pytest

from bot.app import Services
from bot.polling import PollPolicy, PollResult
from bot.replies import Reply
from bot.settings import Settings
from summaries.answers.subscriptions import Channel, Schedule, Subscriptions
from summaries.store import Store
from summaries.understand.embed import MiniLMEmbedder
from summaries.understand.summarize import LeadSummarizer
from tests.bot.fake_discord import CHANNEL_ID, GUILD_ID, TOKEN, FakeDiscord
from tests.bot.processes import LoopThread, Newsbrief, free_port, shared_database
from tests.loopback import Route, Site, serve

T = TypeVar("T")
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CHANNELS = [Channel("slack", "T1", f"C{n}") for n in range(3)] + [Channel("discord", "G1", "D1")]


class Poster:
    def __init__(self) -> None:
        self.posts: list[tuple[str, Reply]] = []

    async def post(self, channel: str, reply: Reply) -> None:
        await asyncio.sleep(0.05)  # the other bot runs meanwhile
        self.posts.append((channel, reply))


def _feed(n: int) -> Route:
    words = " ".join(f"filler{i}" for i in range(50))
    items = "".join(
        f"<item><title>Feed {n} item {k}</title><link>https://nowhere.invalid/{n}/{k}</link>"
        f"<guid>f{n}-{k}</guid><description>Story {n}.{k}: {words}</description></item>"
        for k in range(2)
    )
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>F{n}</title>{items}'
    return Route((body + "</channel></rss>").encode(), content_type="application/rss+xml")


def _follow_feeds(
    site: Site,
    db: str,
    channels: list[Channel],
    at: clock_time,
    zone: str,
    stride: int,
) -> list[str]:
    """Six feeds served by `site`, channel n following every `stride`-th from the n-th, and a
    daily digest for each channel at `at` in `zone`; the feeds' addresses."""
    feeds = []
    for n in range(6):
        site.routes[f"/feed{n}"] = _feed(n)
        feeds.append(site.url(f"/feed{n}"))
    with Store(db) as setup:
        rules = Subscriptions(setup)
        for n, where in enumerate(channels):
            rules.set_schedule(Schedule(where, at, zone, EVERY_DAY))
            for url in feeds[n::stride]:
                rules.follow(where, url)
    return feeds


def _run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(asyncio.wait_for(coro, 120))


def test_two_bots_on_one_database_post_each_digest_once_and_poll_each_feed_once(
    shared_store_url: str, shared_models: None, embedder: MiniLMEmbedder
) -> None:
    settings = Settings(database_url=shared_store_url, allow_private_urls=True, fetch_timeout=5)
    morning = datetime(2026, 1, 12, 8, 0, tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)
    with serve() as site:
        feeds = _follow_feeds(
            site, shared_store_url, CHANNELS, clock_time(8, 0), "Europe/Paris", stride=2
        )
        start = threading.Barrier(2)
        done: list[tuple[Poster, list[PollResult]]] = []
        next_interval: list[list[PollResult]] = []
        # Past any feed's interval (at most 6 h, and a tenth of jitter): every feed due again.
        later = datetime.now(UTC) + timedelta(hours=7)

        def bot() -> None:
            async def serve_once() -> None:
                poster = Poster()
                async with Services(
                    settings,
                    summarizer=LeadSummarizer(),
                    embedder=embedder,
                    posters={"slack": poster, "discord": poster},
                ) as services:
                    scheduler = services.scheduler({"slack": poster, "discord": poster})
                    scheduler.poller.policy = PollPolicy(concurrency=2)  # type: ignore[union-attr]
                    start.wait(10)
                    polled, _ = await asyncio.gather(
                        scheduler.poll_due(), scheduler.digests.catch_up(now=morning)
                    )
                    done.append((poster, polled))
                    start.wait(30)  # both bots done with the first interval
                    next_interval.append(await scheduler.poll_due(now=later))

            _run(serve_once())

        bots = [threading.Thread(target=bot) for _ in range(2)]
        for t in bots:
            t.start()
        for t in bots:
            t.join(180)

    assert len(done) == 2
    posted = sorted(channel for poster, _ in done for channel, _ in poster.posts)
    assert posted == sorted(where.channel for where in CHANNELS)  # each digest once
    polled = sorted(result.url for _, results in done for result in results)
    assert polled == sorted(feeds)  # each feed polled by one bot
    assert all(site.hits[f"/feed{n}"] == 2 for n in range(6))  # once per interval
    assert sorted(r.url for results in next_interval for r in results) == sorted(feeds)
    with Store(shared_store_url) as store:
        assert {r.status for r in store.digest_runs()} == {"posted"}
        assert store.count_articles() == 12  # two entries per feed, stored once
        soon = datetime.now(UTC) + timedelta(minutes=1)
        assert store.claim_due_feeds(soon, first_interval=60, lease_until=soon) == []


@pytest.mark.postgres
def test_a_feed_claimed_by_another_bot_while_this_one_waits_is_not_polled_twice(
    postgres_schema_url: str,
) -> None:
    now = datetime.now(UTC)
    with Store(postgres_schema_url) as store:
        Subscriptions(store).follow(CHANNELS[0], "https://a.example/feed")
        (claimed,) = store.claim_due_feeds(now, first_interval=60, lease_until=now)  # row made
        # The other bot holds the row, claiming it, while this one reads it as due and waits.
        other = psycopg.connect(postgres_schema_url)
        other.execute("UPDATE feed_polls SET next_poll_at = next_poll_at")  # takes the row lock
        got: list[list[tuple[int, str]]] = []
        lease = now + timedelta(minutes=10)
        waiter = threading.Thread(
            target=lambda: got.append(
                store.claim_due_feeds(now, first_interval=60, lease_until=lease)
            )
        )
        waiter.start()
        waiter.join(1.0)
        assert waiter.is_alive()  # blocked on the other bot's lock
        other.execute("UPDATE feed_polls SET next_poll_at = %s", (lease,))
        other.commit()
        other.close()
        waiter.join(10)

    assert claimed[1] == "https://a.example/feed"
    assert got == [[]]  # the other bot had it: not this one's to poll


def test_two_run_processes_on_one_database_post_each_digest_once_and_poll_each_feed_once(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The same as processes: `newsbrief run` twice on one database (PostgreSQL when it
    answers), both connected to one fake Discord, with three channels' digests due (five
    minutes ago) and six feeds never polled: each digest is posted once, each feed fetched
    once, whichever process gets to it."""
    db = shared_database(request, tmp_path)
    channels = [
        Channel("discord", GUILD_ID, str(int(CHANNEL_ID) + n)) for n in range(3)
    ]  # ids of the guild's channel and two more (posts go to any channel id)
    due = (datetime.now(UTC) - timedelta(minutes=5)).time().replace(second=0, microsecond=0)
    loop = LoopThread()
    fake = FakeDiscord()
    loop.run(fake.start())
    bots: list[Newsbrief] = []
    try:
        with serve() as site:
            _follow_feeds(site, db, channels, due, "UTC", stride=3)
            env = {
                "NEWSBRIEF_DATABASE_URL": db,
                "NEWSBRIEF_SUMMARIZER": "lead",
                "NEWSBRIEF_ARTICLE_WORKERS": "0",
                "NEWSBRIEF_ALLOW_PRIVATE_URLS": "true",
                "NEWSBRIEF_FETCH_TIMEOUT": "5",
                "DISCORD_TOKEN": TOKEN,
                "DISCORD_API_URL": fake.api_url,
                "DISCORD_GATEWAY_URL": fake.gateway_url,
            }
            for n in range(2):
                port = {"NEWSBRIEF_HTTP_PORT": str(free_port())}
                bots.append(Newsbrief(["run"], env | port, tmp_path / f"bot{n}.log", tmp_path))

            def posts(where: Channel) -> int:
                return len(fake.matching("POST", f"/channels/{where.channel}/messages"))

            deadline = time.monotonic() + 240
            while not (
                all("discord started" in bot.text() for bot in bots)
                and all(site.hits.get(f"/feed{n}", 0) for n in range(6))
                and all(posts(where) for where in channels)
            ):
                for bot in bots:
                    assert bot.proc.poll() is None, bot.text()[-3000:]
                assert time.monotonic() < deadline, [b.text()[-2000:] for b in bots]
                time.sleep(0.2)
            time.sleep(2.0)  # time for a second post or poll, were there one
            assert [posts(where) for where in channels] == [1, 1, 1]
            assert [site.hits[f"/feed{n}"] for n in range(6)] == [1] * 6
    finally:
        codes = [bot.stop() for bot in bots]
        loop.run(fake.close())
        loop.close()
    assert codes == [0, 0]
    with Store(db) as store:
        runs = store.digest_runs()
        assert sorted(r.channel.channel for r in runs) == sorted(c.channel for c in channels)
        assert {r.status for r in runs} == {"posted"}
