"""Scheduled digests and feed polling on APScheduler 3 (`AsyncIOScheduler`, the bot's one loop).

Schedules live in the store (`Store.schedules`); jobs are rebuilt from it on start and by
`Scheduler.sync_schedules()` (also run every minute, so changes made by another process or the
CLI are picked up). One job per channel, id ``digest:<platform>:<workspace>:<channel>``.

Exactly once: every digest goes through the store's digest ledger, one row per channel and local
date. A run claims the row atomically (insert if missing, then a conditional UPDATE to
"posting" that only one process can win), posts, then marks it "posted". A failed post is
marked "failed" and retried with backoff. The one window left is a crash after the platform
accepted the message but before "posted" was committed: a "posting" row older than
`DigestPolicy.stale_after` is taken to be dead and posted again. So delivery is at-least-once
in that window (milliseconds wide; the alternative, never retrying, would lose a whole digest
whenever the process dies mid-post) and exactly-once everywhere else: two runs of a job, a
restart, the CLI and a second bot process on the same database all find the claimed row.

Feeds are polled by a `bot.polling.FeedPoller` on a timer job.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
from apscheduler.triggers.cron import CronTrigger  # type: ignore[import-untyped]

from bot.polling import Clock, FeedPoller, PollPolicy, PollResult, Poster
from bot.replies import Reply, digest_reply
from summaries.answers.digest import Digest, build_digest
from summaries.ingest.pipeline import Pipeline
from summaries.store import Channel, DigestPolicy, DigestRun, Schedule, Store
from summaries.times import utcnow
from summaries.understand.embed import Embedder

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DigestOutcome:
    """What one digest run did."""

    status: Literal["posted", "skipped", "already", "not_due", "failed", "no_poster"]
    local_date: str | None = None
    stories: int = 0
    error: str | None = None


def job_id(where: Channel) -> str:
    """The stable APScheduler job id of a channel's digest."""
    return f"digest:{where.platform}:{where.workspace}:{where.channel}"


def digest_trigger(schedule: Schedule) -> CronTrigger:
    """The schedule as a cron trigger in its own timezone (DST-correct: local time is kept)."""
    return CronTrigger(
        day_of_week=",".join(schedule.weekdays),
        hour=schedule.time.hour,
        minute=schedule.time.minute,
        timezone=ZoneInfo(schedule.timezone),
    )


def due_run(schedule: Schedule, now: datetime, grace: timedelta) -> datetime | None:
    """The scheduled time this run stands for: the latest fire time in [now - grace, now]."""
    trigger = digest_trigger(schedule)
    fire = trigger.get_next_fire_time(None, now - grace)
    latest = None
    while fire is not None and fire <= now:
        latest = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    return latest


def local_date(when: datetime, timezone: str) -> str:
    return when.astimezone(ZoneInfo(timezone)).date().isoformat()


def retry_wait(policy: DigestPolicy, attempts: int) -> int:
    """Seconds before a digest that failed on attempt `attempts` (from 1) is tried again."""
    delays = policy.retry_delays
    return delays[min(attempts, len(delays)) - 1] if delays else 0


class Scheduler:
    """Polls followed feeds and posts each channel's digest at its scheduled local time.

    `posters` maps a platform name ("slack", "discord") to what posts there. `clock` gives
    the current time (tests pass a fake); every public method also takes `now`.
    """

    def __init__(
        self,
        store: Store,
        posters: Mapping[str, Poster],
        *,
        pipeline: Pipeline | None = None,
        embedder: Embedder | None = None,
        clock: Clock | None = None,
        poll: PollPolicy | None = None,
        digest: DigestPolicy | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.posters = dict(posters)
        self.pipeline = pipeline
        self.embedder = embedder
        self.clock: Clock = clock or utcnow
        self.poll_policy = poll or PollPolicy()
        self.digest_policy = digest or DigestPolicy()
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[-64:]
        self.poller = (
            FeedPoller(
                store,
                pipeline,
                self.posters,
                embedder=embedder,
                clock=self.clock,
                policy=self.poll_policy,
                rng=rng,
            )
            if pipeline is not None
            else None
        )
        self._aps = AsyncIOScheduler(timezone=UTC)
        self._jobs: dict[str, Schedule] = {}

    # -- lifecycle --------------------------------------------------------------------------------
    async def start(self) -> None:
        """Build jobs from the database, post digests missed within the grace time, start."""
        self.sync_schedules()
        loop_jobs: dict[str, Any] = {"coalesce": True, "max_instances": 1, "replace_existing": True}
        if self.pipeline is not None:
            self._aps.add_job(
                self.poll_due,
                "interval",
                seconds=self.poll_policy.tick,
                id="poll-feeds",
                next_run_time=utcnow(),
                misfire_grace_time=self.poll_policy.tick,
                **loop_jobs,
            )
        self._aps.add_job(self.housekeeping, "interval", seconds=60, id="housekeeping", **loop_jobs)
        self._aps.start()
        await self.catch_up()

    async def stop(self) -> None:
        if self._aps.running:
            self._aps.shutdown(wait=False)

    async def housekeeping(self) -> None:
        """Pick up schedule changes, catch up missed runs, retry failed posts."""
        self.sync_schedules()
        await self.catch_up()
        await self.retry_due()

    # -- schedules --------------------------------------------------------------------------------
    def sync_schedules(self) -> int:
        """Make the digest jobs match the stored schedules; returns how many jobs there are."""
        wanted = {job_id(s.channel): s for s in self.store.schedules()}
        for jid in set(self._jobs) - set(wanted):
            if self._aps.get_job(jid) is not None:
                self._aps.remove_job(jid)
            del self._jobs[jid]
        for jid, schedule in wanted.items():
            if self._jobs.get(jid) == schedule:
                continue
            self._aps.add_job(
                self._digest_job,
                digest_trigger(schedule),
                args=[schedule.channel],
                id=jid,
                name=f"digest {schedule.describe()}",
                replace_existing=True,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=int(self.digest_policy.misfire_grace.total_seconds()),
            )
            self._jobs[jid] = schedule
        return len(self._jobs)

    def jobs(self) -> dict[str, Schedule]:
        """The digest jobs by id, as last synced."""
        return dict(self._jobs)

    async def _digest_job(self, where: Channel) -> None:
        schedule = self.store.schedule(where)
        if schedule is None:
            return
        outcome = await self.run_digest(schedule)
        log.info("digest for %s: %s", job_id(where), outcome.status)

    async def catch_up(self, now: datetime | None = None) -> list[DigestOutcome]:
        """Run every digest whose time passed less than the grace time ago (after a restart)."""
        now = now or self.clock()
        outcomes = []
        for schedule in self.store.schedules():
            if due_run(schedule, now, self.digest_policy.misfire_grace) is not None:
                outcomes.append(await self.run_digest(schedule, now=now))
        return outcomes

    # -- digests ----------------------------------------------------------------------------------
    async def run_digest(self, schedule: Schedule, *, now: datetime | None = None) -> DigestOutcome:
        """The scheduled run: posts the digest of the run due at `now`, once per local date."""
        now = now or self.clock()
        scheduled = due_run(schedule, now, self.digest_policy.misfire_grace)
        if scheduled is None:
            return DigestOutcome("not_due")
        day = local_date(scheduled, schedule.timezone)
        return await self.post_digest(schedule.channel, day=day, quiet=schedule.quiet, now=now)

    async def post_digest(
        self,
        where: Channel,
        *,
        day: str | None = None,
        quiet: bool | None = None,
        now: datetime | None = None,
    ) -> DigestOutcome:
        """Post the channel's digest for `day` (default: today in its schedule's zone) unless
        the ledger says it was posted, or is being posted, already."""
        now = now or self.clock()
        schedule = self.store.schedule(where)
        if day is None:
            day = local_date(now, schedule.timezone if schedule else "UTC")
        if quiet is None:
            quiet = schedule.quiet if schedule else False
        if self.posters.get(where.platform) is None:
            return DigestOutcome("no_poster", day, error=f"no poster for {where.platform}")
        run = self.store.claim_digest(where, day, now, owner=self.owner, policy=self.digest_policy)
        if run is None:
            return DigestOutcome("already", day)
        return await self._deliver(run, quiet, now)

    async def retry_due(self, now: datetime | None = None) -> list[DigestOutcome]:
        """Retry failed posts whose wait is over, and posts whose process died mid-post."""
        now = now or self.clock()
        outcomes = []
        for due in self.store.digests_to_retry(now, self.digest_policy):
            where = due.channel
            if self.posters.get(where.platform) is None:
                continue
            run = self.store.claim_digest(
                where, due.local_date, now, owner=self.owner, policy=self.digest_policy
            )
            if run is not None:
                schedule = self.store.schedule(where)
                outcomes.append(await self._deliver(run, bool(schedule and schedule.quiet), now))
        return outcomes

    def preview(self, where: Channel, *, now: datetime | None = None) -> tuple[Digest, Reply]:
        """The digest the channel would get now, without claiming or posting anything."""
        now = now or self.clock()
        since = self.store.digest_window_start(where, now, self.digest_policy)
        digest = build_digest(self.store, where, since, now, embedder=self.embedder)
        return digest, digest_reply(digest)

    async def _deliver(self, run: DigestRun, quiet: bool, now: datetime) -> DigestOutcome:
        where = run.channel
        try:
            digest = await asyncio.to_thread(
                build_digest,
                self.store,
                where,
                run.window_start,
                run.window_end,
                embedder=self.embedder,
            )
            if digest.empty and quiet:
                self.store.finish_digest(run, "skipped", now, owner=self.owner, stories=0)
                return DigestOutcome("skipped", run.local_date)
            poster = self.posters[where.platform]
            await poster.post(where.channel, digest_reply(digest, run.local_date))
        except Exception as exc:  # the platform's errors are many; each one is retried
            error = f"{type(exc).__name__}: {exc}"[:500]
            policy = self.digest_policy
            gives_up = run.attempts >= policy.max_attempts
            level = logging.ERROR if gives_up else logging.WARNING
            log.log(
                level, "digest for %s failed (attempt %d): %s", job_id(where), run.attempts, error
            )
            retry_at = now + timedelta(seconds=retry_wait(policy, run.attempts))
            self.store.finish_digest(
                run, "failed", now, owner=self.owner, error=error, retry_at=retry_at
            )
            return DigestOutcome("failed", run.local_date, error=error)
        self.store.finish_digest(
            run, "posted", self.clock(), owner=self.owner, stories=len(digest.stories)
        )
        return DigestOutcome("posted", run.local_date, stories=len(digest.stories))

    # -- polling ----------------------------------------------------------------------------------
    async def poll_due(self, now: datetime | None = None) -> list[PollResult]:
        """Poll every followed feed whose time has come (see `FeedPoller.poll_due`)."""
        return await self._poller().poll_due(now)

    async def poll_feed(self, feed_id: int, url: str) -> PollResult:
        """Fetch one feed, store what is new, and plan its next poll."""
        return await self._poller().poll_feed(feed_id, url)

    def _poller(self) -> FeedPoller:
        if self.poller is None:
            raise RuntimeError("polling needs a pipeline")
        return self.poller
