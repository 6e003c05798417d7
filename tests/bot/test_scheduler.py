from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Coroutine, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot.app import Services
from bot.cli import schedule as schedule_cli
from bot.digests import digest_trigger, due_run, job_id, retry_wait
from bot.polling import PollPolicy
from bot.replies import Reply
from bot.scheduler import Scheduler
from bot.settings import Settings
from summaries.answers.subscriptions import Channel, Schedule, Subscriptions
from summaries.ingest.fetch import Fetcher
from summaries.ingest.pipeline import Pipeline
from summaries.store import DigestPolicy, NewArticle, Store
from summaries.types import NewsbriefError
from summaries.understand.summarize import LeadSummarizer
from tests.loopback import Route, serve

PARIS = "Europe/Paris"
HERE = Channel("slack", "T1", "C1")
THERE = Channel("discord", "G1", "D1")
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
REPO = Path(__file__).resolve().parents[2]
T = TypeVar("T")


class RecordingPoster:
    """Records posts; fails the first `failures` of them."""

    def __init__(self, failures: int = 0, delay: float = 0.0) -> None:
        self.posts: list[tuple[str, Reply]] = []
        self.failures = failures
        self.delay = delay

    async def post(self, channel: str, reply: Reply) -> None:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.failures:
            self.failures -= 1
            raise ConnectionError("platform unavailable")
        self.posts.append((channel, reply))


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _paris(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(y, m, d, hh, mm, tzinfo=ZoneInfo(PARIS)).astimezone(UTC)


def _schedule(where: Channel = HERE, at: str = "08:00", *, quiet: bool = False) -> Schedule:
    hh, mm = (int(x) for x in at.split(":"))
    return Schedule(where, clock_time(hh, mm), PARIS, EVERY_DAY, quiet)


def _scheduler(store: Store, poster: RecordingPoster, **kwargs: Any) -> Scheduler:
    return Scheduler(store, {"slack": poster, "discord": poster}, **kwargs)


def _run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(asyncio.wait_for(coro, 30))


# -- timing -------------------------------------------------------------------------------------
def test_digest_fires_at_local_time_across_both_dst_changes() -> None:
    trigger = digest_trigger(_schedule())
    march = trigger.get_next_fire_time(None, _paris(2026, 3, 28, 0))
    after_spring = trigger.get_next_fire_time(march, march + timedelta(seconds=1))
    october = trigger.get_next_fire_time(None, _paris(2026, 10, 24, 0))
    after_autumn = trigger.get_next_fire_time(october, october + timedelta(seconds=1))

    assert march.astimezone(UTC) == datetime(2026, 3, 28, 7, tzinfo=UTC)  # CET, UTC+1
    assert after_spring.astimezone(UTC) == datetime(2026, 3, 29, 6, tzinfo=UTC)  # CEST, UTC+2
    assert october.astimezone(UTC) == datetime(2026, 10, 24, 6, tzinfo=UTC)
    assert after_autumn.astimezone(UTC) == datetime(2026, 10, 25, 7, tzinfo=UTC)


def test_digest_posts_at_the_chosen_local_time_on_a_dst_sunday(store: Store) -> None:
    Subscriptions(store).set_schedule(_schedule())
    poster = RecordingPoster()
    scheduler = _scheduler(store, poster)

    at_7_utc = _run(
        scheduler.digests.run_digest(_schedule(), now=datetime(2026, 3, 29, 5, tzinfo=UTC))
    )
    at_8_paris = _run(scheduler.digests.run_digest(_schedule(), now=_paris(2026, 3, 29, 8)))

    assert at_7_utc.status == "not_due"
    assert at_8_paris.status == "posted"
    assert at_8_paris.local_date == "2026-03-29"
    assert [channel for channel, _ in poster.posts] == ["C1"]
    assert poster.posts[0][1].kind == "digest"


def test_a_missed_run_within_the_grace_time_posts_once(store: Store) -> None:
    Subscriptions(store).set_schedule(_schedule())
    poster = RecordingPoster()
    scheduler = _scheduler(store, poster)

    first = _run(scheduler.digests.catch_up(now=_paris(2026, 1, 12, 8, 20)))
    again = _run(scheduler.digests.catch_up(now=_paris(2026, 1, 12, 8, 40)))

    assert [o.status for o in first] == ["posted"]
    assert [o.status for o in again] == ["already"]
    assert len(poster.posts) == 1


def test_a_run_missed_by_more_than_the_grace_time_posts_nothing(store: Store) -> None:
    Subscriptions(store).set_schedule(_schedule())
    poster = RecordingPoster()
    scheduler = _scheduler(store, poster)

    late = _run(scheduler.digests.catch_up(now=_paris(2026, 1, 12, 9, 30)))
    next_evening = _run(scheduler.digests.run_digest(_schedule(), now=_paris(2026, 1, 12, 20)))

    assert late == []
    assert next_evening.status == "not_due"
    assert poster.posts == []
    assert store.digest_runs() == []


def test_due_run_is_the_latest_fire_time_within_grace() -> None:
    grace = timedelta(hours=1)
    schedule = _schedule()

    assert due_run(schedule, _paris(2026, 1, 12, 8, 59), grace) == _paris(2026, 1, 12, 8)
    assert due_run(schedule, _paris(2026, 1, 12, 9, 1), grace) is None
    assert due_run(schedule, _paris(2026, 1, 12, 7, 59), grace) is None


def test_a_failed_digest_waits_longer_after_each_attempt_up_to_the_last_delay() -> None:
    policy = DigestPolicy(retry_delays=(60, 300))

    assert [retry_wait(policy, attempt) for attempt in (1, 2, 3)] == [60, 300, 300]
    assert retry_wait(DigestPolicy(retry_delays=()), 1) == 0


# -- persistence --------------------------------------------------------------------------------
def test_a_restart_rebuilds_every_schedule_from_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    with Store(url) as store:
        subs = Subscriptions(store)
        subs.set_schedule(_schedule(HERE, "08:00"))
        subs.set_schedule(replace(_schedule(THERE, "18:30"), timezone="America/New_York"))
        first = _scheduler(store, RecordingPoster())
        assert first.sync_schedules() == 2

    with Store(url) as store:
        restarted = _scheduler(store, RecordingPoster())
        assert restarted.sync_schedules() == 2
        jobs = restarted.jobs()
        assert set(jobs) == {job_id(HERE), job_id(THERE)}
        assert jobs[job_id(THERE)].timezone == "America/New_York"
        assert jobs[job_id(THERE)].time == clock_time(18, 30)
        # A changed schedule replaces its job; a cleared one removes it.
        Subscriptions(store).set_schedule(_schedule(HERE, "07:15"))
        Subscriptions(store).clear_schedule(THERE)
        assert restarted.sync_schedules() == 1
        assert restarted.jobs()[job_id(HERE)].time == clock_time(7, 15)
        aps_job = restarted._aps.get_job(job_id(HERE))
        assert aps_job is not None and aps_job.misfire_grace_time == 3600 and aps_job.coalesce


def test_the_started_scheduler_posts_a_digest_missed_minutes_ago(store: Store) -> None:
    now = datetime.now(UTC)
    due = (now - timedelta(minutes=20)).astimezone(UTC)
    Subscriptions(store).set_schedule(
        Schedule(HERE, clock_time(due.hour, due.minute), "UTC", EVERY_DAY)
    )
    poster = RecordingPoster()

    async def start_and_stop() -> None:
        scheduler = _scheduler(store, poster)
        await scheduler.start()
        assert scheduler._aps.get_job(job_id(HERE)) is not None
        await scheduler.stop()

    _run(start_and_stop())

    assert len(poster.posts) == 1


# -- exactly once -------------------------------------------------------------------------------
def test_running_a_digest_twice_posts_once(store: Store) -> None:
    Subscriptions(store).set_schedule(_schedule())
    poster = RecordingPoster()
    scheduler = _scheduler(store, poster)
    now = _paris(2026, 1, 12, 8)

    outcomes = [_run(scheduler.digests.run_digest(_schedule(), now=now)) for _ in range(2)]
    by_hand = _run(scheduler.digests.post_digest(HERE, now=now + timedelta(minutes=5)))

    assert [o.status for o in outcomes] == ["posted", "already"]
    assert by_hand.status == "already"
    assert len(poster.posts) == 1
    (run,) = store.digest_runs(HERE)
    assert (run.status, run.attempts, run.local_date) == ("posted", 1, "2026-01-12")


def test_two_schedulers_on_one_database_post_each_digest_once(shared_store_url: str) -> None:
    with Store(shared_store_url) as setup:
        Subscriptions(setup).set_schedule(_schedule(HERE))
        Subscriptions(setup).set_schedule(_schedule(THERE))
    now = _paris(2026, 1, 12, 8)
    posters = [RecordingPoster(delay=0.2), RecordingPoster(delay=0.2)]
    start = threading.Barrier(2)

    def bot(poster: RecordingPoster) -> None:
        with Store(shared_store_url) as store:
            scheduler = _scheduler(store, poster)
            start.wait(timeout=10)
            _run(scheduler.digests.catch_up(now=now))

    threads = [threading.Thread(target=bot, args=(p,)) for p in posters]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    channels = sorted(channel for p in posters for channel, _ in p.posts)
    assert channels == ["C1", "D1"]
    with Store(shared_store_url) as store:
        assert sorted((r.channel.channel, r.status) for r in store.digest_runs()) == [
            ("C1", "posted"),
            ("D1", "posted"),
        ]


def test_a_failed_post_is_retried_after_its_wait(store: Store) -> None:
    Subscriptions(store).set_schedule(_schedule())
    poster = RecordingPoster(failures=1)
    scheduler = _scheduler(store, poster)
    now = _paris(2026, 1, 12, 8)

    first = _run(scheduler.digests.run_digest(_schedule(), now=now))
    too_soon = _run(scheduler.digests.retry_due(now=now + timedelta(seconds=30)))
    retried = _run(scheduler.digests.retry_due(now=now + timedelta(seconds=61)))
    after = _run(scheduler.digests.retry_due(now=now + timedelta(minutes=30)))

    assert first.status == "failed"
    assert too_soon == []
    assert [o.status for o in retried] == ["posted"]
    assert after == []
    assert len(poster.posts) == 1
    (run,) = store.digest_runs(HERE)
    assert (run.status, run.attempts, run.error) == ("posted", 2, None)


def test_failed_posts_stop_being_retried_after_the_retry_limit(store: Store) -> None:
    Subscriptions(store).set_schedule(_schedule())
    poster = RecordingPoster(failures=100)
    policy = DigestPolicy(retry_delays=(60, 60))
    scheduler = _scheduler(store, poster, digest=policy)
    now = _paris(2026, 1, 12, 8)

    _run(scheduler.digests.run_digest(_schedule(), now=now))
    for minute in range(2, 12):
        _run(scheduler.digests.retry_due(now=now + timedelta(minutes=minute)))

    (run,) = store.digest_runs(HERE)
    assert (run.status, run.attempts) == ("failed", 3)
    assert "platform unavailable" in (run.error or "")


def test_a_post_left_mid_way_by_a_dead_process_is_retried_once_stale(store: Store) -> None:
    Subscriptions(store).set_schedule(_schedule())
    now = _paris(2026, 1, 12, 8)
    dead = _scheduler(store, RecordingPoster())
    claimed = store.claim_digest(
        HERE, "2026-01-12", now, owner=dead.digests.owner, policy=DigestPolicy()
    )
    assert claimed is not None  # then the process "dies"
    poster = RecordingPoster()
    alive = _scheduler(store, poster)

    while_fresh = _run(alive.digests.run_digest(_schedule(), now=now + timedelta(minutes=1)))
    stale = _run(alive.digests.retry_due(now=now + timedelta(minutes=11)))

    assert while_fresh.status == "already"
    assert [o.status for o in stale] == ["posted"]
    assert len(poster.posts) == 1


def test_a_quiet_channel_gets_nothing_on_a_day_without_news(store: Store) -> None:
    Subscriptions(store).follow(HERE, "https://a.example/feed")
    Subscriptions(store).set_schedule(_schedule(quiet=True))
    poster = RecordingPoster()
    scheduler = _scheduler(store, poster)

    outcome = _run(scheduler.digests.run_digest(_schedule(quiet=True), now=_paris(2026, 1, 12, 8)))

    assert outcome.status == "skipped"
    assert poster.posts == []


def test_a_day_without_news_says_so_briefly(store: Store) -> None:
    Subscriptions(store).follow(HERE, "https://a.example/feed")
    poster = RecordingPoster()
    scheduler = _scheduler(store, poster)

    _run(scheduler.digests.post_digest(HERE))

    ((_, reply),) = poster.posts
    assert "no new stories" in reply.text
    assert reply.stories == ()


def test_the_next_digest_starts_where_the_last_posted_one_ended(store: Store) -> None:
    subs = Subscriptions(store)
    subs.follow(HERE, "https://a.example/feed", title="Alpha")
    poster = RecordingPoster()
    scheduler = _scheduler(store, poster)
    _save(store, "https://a.example/feed", "1", "Bridge approved")
    _run(scheduler.digests.post_digest(HERE, day="2026-01-01"))
    _save(store, "https://a.example/feed", "2", "Bakery wins prize")

    _run(scheduler.digests.post_digest(HERE, day="2026-01-02"))

    titles = [[s.title for s in reply.stories] for _, reply in poster.posts]
    assert titles == [["Bridge approved"], ["Bakery wins prize"]]
    assert poster.posts[0][1].stories[0].source == "Alpha"


def _save(store: Store, feed: str, entry: str, title: str) -> None:
    store.save_article(
        NewArticle(
            text=f"{title}. " + " ".join(f"word{i}" for i in range(30)) + f" {entry}",
            url=f"{feed}/{entry}",
            title=title,
            feed_url=feed,
            entry_id=entry,
            summary=f"{title}.",
        )
    )


# -- crash --------------------------------------------------------------------------------------
CRASHING_BOT = """
import asyncio, sys
from bot.digests import Digests
from summaries.store import Store
from summaries.answers.subscriptions import Channel

class Hangs:
    async def post(self, channel, reply):
        with open(sys.argv[2], "a") as marker:
            marker.write(channel + "\\n")
        await asyncio.sleep(3600)  # killed here, after claiming, mid-post

async def main():
    store = Store(sys.argv[1])
    digests = Digests(store, {"slack": Hangs()})
    channels = [Channel("slack", "T1", c) for c in ("C1", "C2")]
    await asyncio.gather(*(digests.post_digest(c) for c in channels))

asyncio.run(main())
"""


def test_a_bot_killed_mid_digest_posts_each_digest_once_after_restart(
    tmp_path: Path, shared_store_url: str
) -> None:
    url = shared_store_url  # a SQLite file, and PostgreSQL as many bot processes share it
    channels = [Channel("slack", "T1", c) for c in ("C1", "C2")]
    titles = [f"Story {n}" for n in range(5)]
    with Store(url) as store:
        for where in channels:
            Subscriptions(store).follow(where, "https://a.example/feed")
        for n, title in enumerate(titles):
            _save(store, "https://a.example/feed", str(n), title)
        articles_before = store.count_articles()
    script = tmp_path / "crashing_newsbrief.py"
    script.write_text(CRASHING_BOT)
    marker = tmp_path / "posting"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, str(script), url, str(marker)], cwd=REPO, env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if marker.exists() and len(marker.read_text().split()) == 2:
                break
            assert proc.poll() is None, "the bot exited before posting"
            time.sleep(0.05)
        else:
            pytest.fail("the bot never started posting")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    with Store(url) as store:
        assert {r.status for r in store.digest_runs()} == {"posting"}
        other_bot = _scheduler(store, RecordingPoster())  # its claim is still fresh
        assert _run(other_bot.digests.retry_due()) == []
        poster = RecordingPoster()
        restarted = _scheduler(store, poster, digest=DigestPolicy(stale_after=timedelta(0)))
        later = datetime.now(UTC) + timedelta(seconds=1)
        _run(restarted.digests.retry_due(now=later))
        _run(restarted.digests.retry_due(now=later + timedelta(seconds=1)))
        for where in channels:
            assert _run(restarted.digests.post_digest(where)).status == "already"

        assert sorted(channel for channel, _ in poster.posts) == ["C1", "C2"]
        for _, reply in poster.posts:
            assert sorted(s.title for s in reply.stories) == titles
        runs = store.digest_runs()
        assert [(r.status, r.attempts) for r in runs] == [("posted", 2), ("posted", 2)]
        assert store.count_articles() == articles_before


# -- polling ------------------------------------------------------------------------------------
def _rss(items: int, etag: str = '"v1"') -> Route:
    words = " ".join(f"filler{i}" for i in range(50))
    entries = "".join(
        f"<item><title>Item {n}</title><link>https://nowhere.invalid/{n}</link>"
        f"<guid>item-{n}</guid><description>Story {n} text: {words}</description></item>"
        for n in range(items)
    )
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Loop</title>{entries}'
    body += "</channel></rss>"
    return Route(body.encode(), content_type="application/rss+xml", headers={"ETag": etag})


@pytest.fixture
def site() -> Iterator[object]:
    with serve() as s:
        yield s


def _poller(store: Store, clock: Clock, poster: RecordingPoster) -> Scheduler:
    fetcher = Fetcher(allow_private=True, timeout=5)
    pipeline = Pipeline(store, LeadSummarizer(), fetcher)
    policy = PollPolicy(jitter=0.0)
    return _scheduler(store, poster, pipeline=pipeline, clock=clock, poll=policy)


async def _close(scheduler: Scheduler) -> None:
    assert scheduler.poller is not None
    await scheduler.poller.pipeline.fetcher.aclose()
    scheduler.poller.pipeline.close()


def test_polling_adapts_its_interval_and_honours_retry_after(tmp_path: Path) -> None:
    with serve() as site, Store(f"sqlite:///{tmp_path / 'p.db'}") as store:
        site.routes["/feed"] = _rss(3)
        feed_url = site.url("/feed")
        Subscriptions(store).follow(HERE, feed_url)
        clock = Clock(datetime.now(UTC))
        scheduler = _poller(store, clock, RecordingPoster())

        async def scenario() -> None:
            try:
                (first,) = await scheduler.poll_due()
                assert first.stored == 3
                assert await scheduler.poll_due() == []  # not due yet
                clock.now += timedelta(hours=1)
                (second,) = await scheduler.poll_due()
                assert second.not_modified and second.stored == 0
                site.routes["/feed"] = Route(
                    b"slow down", status=429, headers={"Retry-After": "7200"}
                )
                clock.now += timedelta(hours=2)
                (third,) = await scheduler.poll_due()
                assert third.error is not None and "429" in third.error
                assert third.next_poll_at == clock.now + timedelta(seconds=7200)
            finally:
                await _close(scheduler)

        _run(scenario())
        (state,) = store.feed_polls()
        assert state.interval_s == 1350  # 1800 halved after news, then x1.5 after a 304
        assert state.failures == 1
        assert state.baseline_at is not None
        assert site.hits["/feed"] == 3


def test_a_feed_failing_for_a_day_notifies_each_channel_once(tmp_path: Path) -> None:
    with serve() as site, Store(f"sqlite:///{tmp_path / 'p.db'}") as store:
        site.routes["/feed"] = Route(b"gone", status=500)
        feed_url = site.url("/feed")
        for where in (HERE, THERE):
            Subscriptions(store).follow(where, feed_url, title="Flaky Feed")
        clock = Clock(datetime.now(UTC))
        poster = RecordingPoster()
        scheduler = _poller(store, clock, poster)
        feed_id = store.upsert_feed(feed_url).id

        async def scenario() -> None:
            try:
                for _ in range(12):  # a poll every 3 hours for 36 hours
                    await scheduler.poll_due()
                    clock.now += timedelta(hours=3)
                    # Due again, whatever the backoff says.
                    store.update_feed_poll(feed_id, lambda p: replace(p, next_poll_at=clock.now))
            finally:
                await _close(scheduler)

        _run(scenario())
        assert sorted(channel for channel, _ in poster.posts) == ["C1", "D1"]
        assert all("Flaky Feed" in reply.text for _, reply in poster.posts)
        feed = store.get_feed(feed_url)
        assert feed is not None and feed.last_error is not None and "500" in feed.last_error


# -- operator CLI ----------------------------------------------------------------------------------
def _cli(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="newsbrief")
    sub = parser.add_subparsers(dest="command", required=True)
    schedule_cli.add_commands(sub)
    digest = sub.add_parser("digest")
    digest.add_argument("--json", action="store_true")
    schedule_cli.add_digest_arguments(digest)
    digest.set_defaults(func=schedule_cli.digest_for_channel)
    return parser.parse_args(argv)


def _call(
    args: argparse.Namespace,
    settings: Settings,
    out: io.StringIO,
    posters: dict[str, RecordingPoster] | None = None,
) -> int:
    """Run a parsed operator command the way `newsbrief` does, inside its own Services."""

    async def main() -> int:
        async with Services(settings, posters=posters) as services:
            return int(await args.func(args, services, out))

    return asyncio.run(main())


def test_cli_schedule_add_list_remove(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'cli.db'}")
    with Store(settings.database_url) as store:
        Subscriptions(store).follow(HERE, "https://a.example/feed")
    out = io.StringIO()

    add = _cli(["schedule", "add", "--platform", "slack", "--channel", "C1", "07:30",
                "--timezone", PARIS, "--days", "mon-fri"])  # fmt: skip
    assert _call(add, settings, out) == 0
    listed = _cli(["schedule", "list", "--json"])
    assert _call(listed, settings, out) == 0
    rows = json.loads(out.getvalue().split("\n", 1)[1])
    assert rows[0]["workspace"] == "T1" and rows[0]["time"] == "07:30"
    assert rows[0]["weekdays"] == ["mon", "tue", "wed", "thu", "fri"]
    remove = _cli(["schedule", "remove", "--platform", "slack", "--channel", "C1"])
    assert _call(remove, settings, out) == 0
    with Store(settings.database_url) as store:
        assert Subscriptions(store).schedules() == []


@pytest.mark.usefixtures("shared_models")
def test_cli_digest_post_twice_posts_once(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'cli.db'}")
    with Store(settings.database_url) as store:
        Subscriptions(store).follow(HERE, "https://a.example/feed")
        _save(store, "https://a.example/feed", "1", "Bridge approved")
    poster = RecordingPoster()
    args = _cli(["digest", "--platform", "slack", "--channel", "C1", "--post", "--json"])
    outputs = []
    for _ in range(2):
        out = io.StringIO()
        assert _call(args, settings, out, {"slack": poster}) == 0
        outputs.append(json.loads(out.getvalue())["status"])

    preview_out = io.StringIO()
    preview = _cli(["digest", "--platform", "slack", "--channel", "C1"])
    assert _call(preview, settings, preview_out) == 0

    assert outputs == ["posted", "already"]
    assert len(poster.posts) == 1
    assert [s.title for s in poster.posts[0][1].stories] == ["Bridge approved"]
    assert "no new stories" in preview_out.getvalue()  # the posted story is not news again


def test_cli_refuses_an_unknown_channel_without_a_workspace(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'cli.db'}")
    args = _cli(["schedule", "remove", "--platform", "discord", "--channel", "404"])

    with pytest.raises(NewsbriefError, match="--workspace"):
        _call(args, settings, io.StringIO())
