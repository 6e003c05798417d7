"""Scheduled digests and feed polling on APScheduler 3 (`AsyncIOScheduler`, the bot's one loop).

Schedules live in the store (`Store.schedules`); jobs are rebuilt from it on start and by
`Scheduler.sync_schedules()` (also run every minute, so changes made by another process or the
CLI are picked up). One job per channel, id ``digest:<platform>:<workspace>:<channel>``, runs
`bot.digests.Digests.run_digest`, the same code `newsbrief digest --post` runs; a timer job
polls feeds through a `bot.polling.FeedPoller`. This module is only that wiring.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]

from bot.digests import DigestOutcome, Digests, digest_trigger, job_id
from bot.polling import Clock, FeedPoller, PollPolicy, PollResult, Poster
from summaries.ingest.pipeline import Pipeline
from summaries.store import Channel, DigestPolicy, Schedule, Store
from summaries.times import utcnow
from summaries.understand.embed import Embedder

log = logging.getLogger(__name__)


class Scheduler:
    """Polls followed feeds and posts each channel's digest at its scheduled local time.

    `digests` posts through `posters`; feeds are polled only when a `pipeline` is given.
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
        clock = clock or utcnow
        self.digests = Digests(store, posters, embedder=embedder, clock=clock, policy=digest)
        self.poll_policy = poll or PollPolicy()
        self.poller = (
            FeedPoller(
                store,
                pipeline,
                self.digests.posters,
                embedder=embedder,
                clock=clock,
                policy=self.poll_policy,
                rng=rng,
            )
            if pipeline is not None
            else None
        )
        self._aps = AsyncIOScheduler(timezone=UTC)
        self._jobs: dict[str, Schedule] = {}

    async def start(self) -> None:
        """Build jobs from the database, post digests missed within the grace time, start."""
        self.sync_schedules()
        loop_jobs: dict[str, Any] = {"coalesce": True, "max_instances": 1, "replace_existing": True}
        if self.poller is not None:
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
        await self.digests.catch_up()

    async def stop(self) -> None:
        if self._aps.running:
            self._aps.shutdown(wait=False)

    async def housekeeping(self) -> None:
        """Pick up schedule changes, catch up missed runs, retry failed posts."""
        self.sync_schedules()
        await self.digests.catch_up()
        await self.digests.retry_due()

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
                misfire_grace_time=int(self.digests.policy.misfire_grace.total_seconds()),
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
        outcome: DigestOutcome = await self.digests.run_digest(schedule)
        log.info("digest for %s: %s", job_id(where), outcome.status)

    async def poll_due(self, now: datetime | None = None) -> list[PollResult]:
        """Poll every followed feed whose time has come (see `FeedPoller.poll_due`)."""
        if self.poller is None:
            raise RuntimeError("polling needs a pipeline")
        return await self.poller.poll_due(now)
