"""The digest ledger: one claim per channel and day, outcomes, retries and windows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from summaries.store import Channel, DigestPolicy, Store

HERE = Channel("slack", "T1", "C1")
THERE = Channel("slack", "T1", "C2")
NOW = datetime(2026, 1, 12, 7, tzinfo=UTC)
POLICY = DigestPolicy(retry_delays=(60, 300))


def test_a_day_is_claimed_once_whoever_asks(store: Store) -> None:
    run = store.claim_digest(HERE, "2026-01-12", NOW, owner="a", policy=POLICY)

    assert run is not None
    assert (run.status, run.attempts, run.local_date) == ("posting", 1, "2026-01-12")
    assert (run.window_start, run.window_end) == (NOW - POLICY.first_window, NOW)
    assert store.claim_digest(HERE, "2026-01-12", NOW, owner="b", policy=POLICY) is None
    assert store.claim_digest(THERE, "2026-01-12", NOW, owner="b", policy=POLICY) is not None


def test_only_the_owner_finishes_a_run(store: Store) -> None:
    run = store.claim_digest(HERE, "2026-01-12", NOW, owner="a", policy=POLICY)
    assert run is not None

    store.finish_digest(run, "failed", NOW, owner="b", error="not mine")
    store.finish_digest(run, "posted", NOW, owner="a", stories=4)

    (done,) = store.digest_runs(HERE)
    assert (done.status, done.stories, done.error, done.posted_at) == ("posted", 4, None, NOW)


def test_a_failed_run_is_due_again_after_its_wait_until_retries_run_out(store: Store) -> None:
    retry_at = NOW + timedelta(seconds=60)
    for attempt in range(1, 4):
        run = store.claim_digest(HERE, "2026-01-12", retry_at, owner="a", policy=POLICY)
        assert run is not None and run.attempts == attempt
        store.finish_digest(run, "failed", NOW, owner="a", error="down", retry_at=retry_at)
        due = store.digests_to_retry(retry_at, POLICY)
        early = store.digests_to_retry(retry_at - timedelta(seconds=1), POLICY)
        assert early == []
        assert len(due) == (1 if attempt <= len(POLICY.retry_delays) else 0)

    assert store.claim_digest(HERE, "2026-01-12", retry_at, owner="a", policy=POLICY) is None
    assert POLICY.max_attempts == 3  # once, then after each of its two delays


def test_a_run_left_posting_is_due_again_once_stale(store: Store) -> None:
    assert store.claim_digest(HERE, "2026-01-12", NOW, owner="dead", policy=POLICY)

    fresh = store.digests_to_retry(NOW + POLICY.stale_after, POLICY)
    stale = store.digests_to_retry(NOW + POLICY.stale_after + timedelta(seconds=1), POLICY)

    assert fresh == []
    assert [r.channel for r in stale] == [HERE]


def test_the_next_window_starts_where_the_last_posted_one_ended_within_the_maximum(
    store: Store,
) -> None:
    run = store.claim_digest(HERE, "2026-01-12", NOW, owner="a", policy=POLICY)
    assert run is not None
    next_day = NOW + timedelta(days=2)
    # A run still posting does not count: the window is the first one.
    assert store.digest_window_start(HERE, next_day, POLICY) == next_day - POLICY.first_window
    store.finish_digest(run, "posted", NOW, owner="a", stories=1)

    assert store.digest_window_start(HERE, next_day, POLICY) == NOW
    later = NOW + timedelta(days=30)
    assert store.digest_window_start(HERE, later, POLICY) == later - POLICY.max_window
    after = store.claim_digest(HERE, "2026-02-11", later, owner="a", policy=POLICY)
    assert after is not None and after.window_start == later - POLICY.max_window
