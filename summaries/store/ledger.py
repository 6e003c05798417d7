"""The digest ledger: one row per channel and local date, so each digest is posted once.

A run claims its row atomically (insert if missing, then a conditional UPDATE to "posting"
that only one process can win), and finishes it as "posted", "skipped" or "failed"; a failed
row, or a "posting" row left stale by a dead process, can be claimed again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from summaries.store.engine import Database, insert_new
from summaries.store.records import Channel, DigestPolicy, DigestRun, DigestStatus
from summaries.store.schema import channel_values, digest_runs, in_channel, row_channel
from summaries.times import as_utc

_DONE = ("posted", "skipped")


class Ledger(Database):
    """Claims, outcomes and retries of channels' digests."""

    def digest_runs(self, where: Channel | None = None, *, limit: int = 50) -> list[DigestRun]:
        """Ledger rows, newest first; all channels, or one."""
        query = digest_runs.select().order_by(
            digest_runs.c.local_date.desc(), digest_runs.c.id.desc()
        )
        if where is not None:
            query = query.where(in_channel(digest_runs, where))
        with self.reading() as conn:
            rows = conn.execute(query.limit(limit)).all()
        return [_run(row) for row in rows]

    def digest_window_start(self, where: Channel, now: datetime, policy: DigestPolicy) -> datetime:
        """Where the channel's next digest starts: the end of the last one posted (or skipped),
        else `policy.first_window` ago; never more than `policy.max_window` ago."""
        with self.reading() as conn:
            return _window_start(conn, where, now, policy)

    def claim_digest(
        self, where: Channel, day: str, now: datetime, *, owner: str, policy: DigestPolicy
    ) -> DigestRun | None:
        """Take the (channel, day) row for posting, or None if it is not `owner`'s to post.

        Claimable: a new row, a failed one whose wait is over (while retries are left), and a
        "posting" one older than `policy.stale_after`. A new row's window is [window start, now).
        """
        c = digest_runs.c
        with self.writing() as conn:
            conn.execute(
                insert_new(
                    conn, digest_runs, ["platform", "workspace", "channel", "local_date"]
                ).values(
                    **channel_values(where),
                    local_date=day,
                    status="pending",
                    attempts=0,
                    window_start=_window_start(conn, where, now, policy),
                    window_end=now,
                    updated_at=now,
                )
            )
            claimable = sa.or_(
                c.status == "pending",
                sa.and_(
                    c.status == "failed",
                    c.attempts < policy.max_attempts,
                    sa.or_(c.next_attempt_at.is_(None), c.next_attempt_at <= now),
                ),
                sa.and_(c.status == "posting", c.updated_at < now - policy.stale_after),
            )
            won = conn.execute(
                digest_runs.update()
                .where(in_channel(digest_runs, where), c.local_date == day, claimable)
                .values(status="posting", attempts=c.attempts + 1, owner=owner, updated_at=now)
            ).rowcount
            if not won:
                return None
            row = conn.execute(
                digest_runs.select().where(in_channel(digest_runs, where), c.local_date == day)
            ).one()
        return _run(row)

    def finish_digest(
        self,
        run: DigestRun,
        status: DigestStatus,
        now: datetime,
        *,
        owner: str,
        stories: int | None = None,
        error: str | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        """Record how a claimed run ended; a row taken over by another owner meanwhile is left."""
        values: dict[str, Any] = {"status": status, "updated_at": now, "error": error}
        if status in _DONE:
            values.update(posted_at=now, stories=stories, next_attempt_at=None)
        else:
            values["next_attempt_at"] = retry_at
        with self.writing() as conn:
            conn.execute(
                digest_runs.update()
                .where(
                    in_channel(digest_runs, run.channel),
                    digest_runs.c.local_date == run.local_date,
                    digest_runs.c.owner == owner,
                )
                .values(**values)
            )

    def digests_to_retry(self, now: datetime, policy: DigestPolicy) -> list[DigestRun]:
        """Failed runs whose wait is over, and runs whose process died mid-post, of the last
        `policy.retry_for`."""
        c = digest_runs.c
        query = digest_runs.select().where(
            c.window_end >= now - policy.retry_for,
            sa.or_(
                sa.and_(
                    c.status == "failed",
                    c.attempts < policy.max_attempts,
                    c.next_attempt_at <= now,
                ),
                sa.and_(
                    c.status.in_(("posting", "pending")),
                    c.updated_at < now - policy.stale_after,
                ),
            ),
        )
        with self.reading() as conn:
            rows = conn.execute(query).all()
        return [_run(row) for row in rows]


def _window_start(
    conn: Connection, where: Channel, now: datetime, policy: DigestPolicy
) -> datetime:
    last = conn.execute(
        sa.select(sa.func.max(digest_runs.c.window_end)).where(
            in_channel(digest_runs, where), digest_runs.c.status.in_(_DONE)
        )
    ).scalar()
    since = as_utc(last) if last is not None else now - policy.first_window
    return max(since, now - policy.max_window)


def _run(row: Any) -> DigestRun:
    return DigestRun(
        channel=row_channel(row),
        local_date=row.local_date,
        status=row.status,
        attempts=row.attempts,
        window_start=row.window_start,
        window_end=row.window_end,
        stories=row.stories,
        posted_at=row.posted_at,
        error=row.error,
        updated_at=row.updated_at,
    )
