"""Each channel's digest, posted exactly once per local day: the same code for the scheduled job,
the catch-up after a restart, retries, and `newsbrief digest --post`.

Exactly once: every digest goes through the store's digest ledger, one row per channel and local
date. A run claims the row atomically (insert if missing, then a conditional UPDATE to
"posting" that only one process can win), posts, then marks it "posted". A failed post is
marked "failed" and retried with backoff. The one window left is a crash after the platform
accepted the message but before "posted" was committed: a "posting" row older than
`DigestPolicy.stale_after` is taken to be dead and posted again. So delivery is at-least-once
in that window (milliseconds wide; the alternative, never retrying, would lose a whole digest
whenever the process dies mid-post) and exactly-once everywhere else: two runs of a job, a
restart, the CLI and a second bot process on the same database all find the claimed row.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger  # type: ignore[import-untyped]

from bot.polling import Clock, Poster
from bot.replies import Reply, digest_reply
from summaries.answers.digest import Digest, build_digest
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
    """The stable name of a channel's digest (its scheduler job id, and in logs)."""
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


class Digests:
    """Builds and posts channels' digests through the ledger.

    `posters` maps a platform name ("slack", "discord") to what posts there. `clock` gives
    the current time (tests pass a fake); every public method also takes `now`.
    """

    def __init__(
        self,
        store: Store,
        posters: Mapping[str, Poster],
        *,
        embedder: Embedder | None = None,
        clock: Clock | None = None,
        policy: DigestPolicy | None = None,
    ) -> None:
        self.store = store
        self.posters = dict(posters)
        self.embedder = embedder
        self.clock: Clock = clock or utcnow
        self.policy = policy or DigestPolicy()
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[-64:]

    async def catch_up(self, now: datetime | None = None) -> list[DigestOutcome]:
        """Run every digest whose time passed less than the grace time ago (after a restart)."""
        now = now or self.clock()
        outcomes = []
        for schedule in self.store.schedules():
            if due_run(schedule, now, self.policy.misfire_grace) is not None:
                outcomes.append(await self.run_digest(schedule, now=now))
        return outcomes

    async def run_digest(self, schedule: Schedule, *, now: datetime | None = None) -> DigestOutcome:
        """The scheduled run: posts the digest of the run due at `now`, once per local date."""
        now = now or self.clock()
        scheduled = due_run(schedule, now, self.policy.misfire_grace)
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
        run = self.store.claim_digest(where, day, now, owner=self.owner, policy=self.policy)
        if run is None:
            return DigestOutcome("already", day)
        return await self._deliver(run, quiet, now)

    async def retry_due(self, now: datetime | None = None) -> list[DigestOutcome]:
        """Retry failed posts whose wait is over, and posts whose process died mid-post."""
        now = now or self.clock()
        outcomes = []
        for due in self.store.digests_to_retry(now, self.policy):
            where = due.channel
            if self.posters.get(where.platform) is None:
                continue
            run = self.store.claim_digest(
                where, due.local_date, now, owner=self.owner, policy=self.policy
            )
            if run is not None:
                schedule = self.store.schedule(where)
                outcomes.append(await self._deliver(run, bool(schedule and schedule.quiet), now))
        return outcomes

    def preview(self, where: Channel, *, now: datetime | None = None) -> tuple[Digest, Reply]:
        """The digest the channel would get now, without claiming or posting anything."""
        now = now or self.clock()
        since = self.store.digest_window_start(where, now, self.policy)
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
            gives_up = run.attempts >= self.policy.max_attempts
            level = logging.ERROR if gives_up else logging.WARNING
            log.log(
                level, "digest for %s failed (attempt %d): %s", job_id(where), run.attempts, error
            )
            retry_at = now + timedelta(seconds=retry_wait(self.policy, run.attempts))
            self.store.finish_digest(
                run, "failed", now, owner=self.owner, error=error, retry_at=retry_at
            )
            return DigestOutcome("failed", run.local_date, error=error)
        self.store.finish_digest(
            run, "posted", self.clock(), owner=self.owner, stories=len(digest.stories)
        )
        return DigestOutcome("posted", run.local_date, stories=len(digest.stories))
