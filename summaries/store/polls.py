"""Feed polling state: which followed feeds are due, leases on them, and how their polls went."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from summaries.store.engine import Database, insert_new, row_record
from summaries.store.records import FeedPoll
from summaries.store.schema import channel_feeds, feed_polls, feeds


class Polls(Database):
    """One `feed_polls` row per followed feed, made on its first claim."""

    def claim_due_feeds(
        self, now: datetime, *, first_interval: int, lease_until: datetime
    ) -> list[tuple[int, str]]:
        """The followed feeds due at `now` (id, url), most overdue first, each claimed by pushing
        its next poll to `lease_until` so that another process skips it. A feed never polled
        is due now, at `first_interval` seconds."""
        followed = sa.select(channel_feeds.c.feed_id).distinct()
        with self.writing() as conn:
            known = sa.select(feed_polls.c.feed_id)
            missing = conn.execute(
                sa.select(feeds.c.id).where(feeds.c.id.in_(followed), feeds.c.id.not_in(known))
            ).all()
            if missing:  # another process may add the same rows meanwhile: theirs stand
                conn.execute(
                    insert_new(conn, feed_polls, ["feed_id"]),
                    [
                        {
                            "feed_id": row.id,
                            "interval_s": first_interval,
                            "next_poll_at": now,
                            "failures": 0,
                        }
                        for row in missing
                    ],
                )
            rows = conn.execute(
                sa.select(feeds.c.id, feeds.c.url)
                .join(feed_polls, feed_polls.c.feed_id == feeds.c.id)
                .where(feeds.c.id.in_(followed), feed_polls.c.next_poll_at <= now)
                .order_by(feed_polls.c.next_poll_at)
            ).all()
            if not rows:
                return []
            # Only the feeds this UPDATE moved are ours: another process that read the same
            # rows first and claimed them meanwhile leaves them failing `next_poll_at <= now`.
            won = set(
                conn.execute(
                    feed_polls.update()
                    .where(
                        feed_polls.c.feed_id.in_([r.id for r in rows]),
                        feed_polls.c.next_poll_at <= now,
                    )
                    .values(next_poll_at=lease_until)
                    .returning(feed_polls.c.feed_id)
                ).scalars()
            )
        return [(int(r.id), str(r.url)) for r in rows if r.id in won]

    def feed_polls(self) -> list[FeedPoll]:
        """Every polled feed's state, by feed id."""
        with self.reading() as conn:
            rows = conn.execute(feed_polls.select().order_by(feed_polls.c.feed_id)).all()
        return [_poll(row) for row in rows]

    def update_feed_poll(self, feed_id: int, change: Callable[[FeedPoll], FeedPoll]) -> FeedPoll:
        """Replace a feed's polling state by `change` of it, in one transaction; returns it."""
        with self.writing() as conn:
            row = conn.execute(feed_polls.select().where(feed_polls.c.feed_id == feed_id)).one()
            changed = change(_poll(row))
            values = asdict(changed)
            del values["feed_id"]
            conn.execute(feed_polls.update().where(feed_polls.c.feed_id == feed_id).values(values))
        return changed

    def claim_failing_notice(
        self, feed_id: int, now: datetime, *, failing_before: datetime
    ) -> bool:
        """Whether the channels following a feed failing since `failing_before` or earlier are
        still to be told; True once per run of failures (it is recorded as told at `now`)."""
        with self.writing() as conn:
            claimed = conn.execute(
                feed_polls.update()
                .where(
                    feed_polls.c.feed_id == feed_id,
                    feed_polls.c.failing_since <= failing_before,
                    feed_polls.c.notified_at.is_(None),
                )
                .values(notified_at=now)
            ).rowcount
        return bool(claimed)


def _poll(row: Any) -> FeedPoll:
    return row_record(FeedPoll, row)
