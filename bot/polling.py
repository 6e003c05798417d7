"""Feed polling: each followed feed fetched when it is due, more often while it publishes and
less while it is quiet, backing off while it fails.

The store hands out due feeds under a lease (`Store.claim_due_feeds`), so two processes never
poll one feed at once; a feed's state (interval, next poll, failures) lives in its `feed_polls`
row. The scheduler runs `FeedPoller.poll_due` on a timer.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from bot.replies import Reply
from summaries.answers.digest import article_vectors
from summaries.ingest.pipeline import IngestReport, Outcome, Pipeline
from summaries.store import FeedPoll, Store
from summaries.times import utcnow
from summaries.understand.embed import Embedder

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class Poster(Protocol):
    """Sends a Reply to a channel of one platform; raises on failure (any exception)."""

    async def post(self, channel: str, reply: Reply) -> None: ...


@dataclass(frozen=True)
class PollPolicy:
    """How often feeds are polled. Seconds throughout."""

    min_interval: int = 300  # a feed publishing constantly: every 5 minutes
    max_interval: int = 6 * 3600  # a quiet feed: every 6 hours
    first_interval: int = 1800
    max_backoff: int = 6 * 3600  # longest wait after errors (Retry-After may ask for more)
    max_retry_after: int = 24 * 3600
    jitter: float = 0.1  # spread polls so feeds don't all come due together
    concurrency: int = 20
    lease: int = 600  # a claimed poll that never finished may be taken again after this
    tick: int = 30  # how often due feeds are looked for
    failing_notice_after: timedelta = timedelta(days=1)


@dataclass(frozen=True)
class PollResult:
    """One feed poll: stored articles, or the error and the wait it caused."""

    url: str
    stored: int = 0
    not_modified: bool = False
    error: str | None = None
    next_poll_at: datetime | None = None


def interval_after_poll(policy: PollPolicy, interval: int, stored: int) -> int:
    """A feed's next polling interval: shorter after news, longer after none."""
    if stored:  # it publishes: look more often
        return max(policy.min_interval, interval // 2)
    return min(policy.max_interval, int(interval * 1.5))


def backoff(policy: PollPolicy, failures: int, retry_after: float | None) -> int:
    """Seconds to wait after `failures` failed polls in a row; never sooner than the server's
    Retry-After, within reason."""
    wait = min(policy.max_backoff, policy.min_interval * 2**failures)
    if retry_after is not None:
        wait = max(wait, min(policy.max_retry_after, int(retry_after)))
    return wait


class FeedPoller:
    """Polls the followed feeds that are due, stores and embeds what is new, plans each feed's
    next poll, and tells the following channels (through `posters`) when a feed keeps failing."""

    def __init__(
        self,
        store: Store,
        pipeline: Pipeline,
        posters: Mapping[str, Poster],
        *,
        embedder: Embedder | None = None,
        clock: Clock = utcnow,
        policy: PollPolicy | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.pipeline = pipeline
        self.posters = posters
        self.embedder = embedder
        self.clock = clock
        self.policy = policy or PollPolicy()
        self._rng = rng or random.Random()
        self._polling = False

    async def poll_due(self, now: datetime | None = None) -> list[PollResult]:
        """Poll every followed feed whose time has come, a bounded number at once."""
        if self._polling:  # a slow round is still going: its feeds are claimed anyway
            return []
        self._polling = True
        try:
            now = now or self.clock()
            due = self.store.claim_due_feeds(
                now,
                first_interval=self.policy.first_interval,
                lease_until=now + timedelta(seconds=self.policy.lease),
            )
            slots = asyncio.Semaphore(self.policy.concurrency)

            async def one(feed_id: int, url: str) -> PollResult:
                async with slots:
                    return await self.poll_feed(feed_id, url)

            return list(await asyncio.gather(*(one(i, u) for i, u in due)))
        finally:
            self._polling = False

    async def poll_feed(self, feed_id: int, url: str) -> PollResult:
        """Fetch one feed (conditional GET), store what is new, and plan its next poll."""
        report: IngestReport | None = None
        try:
            report = await self.pipeline.ingest_url(url)
            failed = report.failure
        except Exception as exc:  # a bug in one feed's ingest must not stop the others
            log.exception("polling %s failed", url)
            failed = Outcome(url, "failed", reason=f"{type(exc).__name__}: {exc}")
        now = self.clock()
        if failed is not None or report is None:
            error = (failed.reason if failed else None) or "failed"
            wait = failed.retry_after if failed else None
            result = self._plan_after_error(feed_id, url, error, now, retry_after=wait)
            await self._notice_if_failing(feed_id, url, error, now)
            return result
        stored = [o.article_id for o in report.stored if o.article_id is not None]
        if stored and self.embedder is not None:
            # Embedded now, off the loop, so the digest finds its vectors ready.
            try:
                await asyncio.to_thread(article_vectors, self.store, stored, self.embedder)
            except Exception:
                log.warning("could not embed new articles of %s", url, exc_info=True)
        return self._plan_after_success(feed_id, url, len(stored), now, report.outcomes == ())

    def _plan_after_success(
        self, feed_id: int, url: str, stored: int, now: datetime, not_modified: bool
    ) -> PollResult:
        def plan(poll: FeedPoll) -> FeedPoll:
            interval = interval_after_poll(self.policy, poll.interval_s, stored)
            return replace(
                poll,
                interval_s=interval,
                next_poll_at=now + timedelta(seconds=self._jittered(interval)),
                last_polled_at=now,
                failures=0,
                failing_since=None,
                notified_at=None,
                baseline_at=poll.baseline_at or now,
            )

        done = self.store.update_feed_poll(feed_id, plan)
        return PollResult(
            url, stored=stored, not_modified=not_modified, next_poll_at=done.next_poll_at
        )

    def _plan_after_error(
        self, feed_id: int, url: str, error: str, now: datetime, *, retry_after: float | None
    ) -> PollResult:
        def plan(poll: FeedPoll) -> FeedPoll:
            failures = poll.failures + 1
            wait = backoff(self.policy, failures, retry_after)
            return replace(
                poll,
                failures=failures,
                failing_since=poll.failing_since or now,
                next_poll_at=now + timedelta(seconds=wait),
                last_polled_at=now,
            )

        done = self.store.update_feed_poll(feed_id, plan)
        log.info(
            "feed %s failed (%d in a row), next try at %s: %s",
            url,
            done.failures,
            done.next_poll_at,
            error,
        )
        return PollResult(url, error=error, next_poll_at=done.next_poll_at)

    async def _notice_if_failing(self, feed_id: int, url: str, error: str, now: datetime) -> None:
        """Tell each following channel once when a feed has been failing for a day."""
        since = now - self.policy.failing_notice_after
        if not self.store.claim_failing_notice(feed_id, now, failing_before=since):
            return
        feed = self.store.get_feed(url)
        title = feed.title if feed else None
        reply = Reply(
            text=f"The feed {title or url} has been failing for over a day: {error}",
            kind="error",
            lines=(url, "`/brief sources` shows how each feed is doing."),
        )
        for where in self.store.followers(url):
            poster = self.posters.get(where.platform)
            if poster is None:
                continue
            try:
                await poster.post(where.channel, reply)
            except Exception:
                log.warning("could not tell %s that %s is failing", where, url, exc_info=True)

    def _jittered(self, seconds: int) -> int:
        spread = self.policy.jitter
        return max(1, int(seconds * (1 + self._rng.uniform(-spread, spread))))
