"""Feed polling state: due followed feeds are claimed under a lease; notices go out once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from summaries.store import Channel, Store

HERE = Channel("slack", "T1", "C1")
NOW = datetime(2026, 1, 12, 7, tzinfo=UTC)
LEASE = timedelta(minutes=10)


def _claim(store: Store, now: datetime) -> list[str]:
    due = store.claim_due_feeds(now, first_interval=1800, lease_until=now + LEASE)
    return [url for _, url in due]


def test_followed_feeds_are_due_at_once_then_leased_to_the_claimer(store: Store) -> None:
    store.follow_feed(HERE, "https://a.example/feed")
    store.upsert_feed("https://unfollowed.example/feed")

    first = _claim(store, NOW)
    again = _claim(store, NOW + timedelta(minutes=1))
    after_lease = _claim(store, NOW + LEASE)

    assert first == ["https://a.example/feed"]
    assert again == []
    assert after_lease == ["https://a.example/feed"]
    (poll,) = store.feed_polls()
    assert (poll.interval_s, poll.failures, poll.baseline_at) == (1800, 0, None)
    assert poll.next_poll_at == NOW + 2 * LEASE


def test_a_poll_changes_every_field_it_is_given_in_one_go(store: Store) -> None:
    feed, _ = store.follow_feed(HERE, "https://a.example/feed")
    _claim(store, NOW)

    changed = store.update_feed_poll(
        feed.id,
        lambda poll: replace(
            poll,
            interval_s=900,
            next_poll_at=NOW + timedelta(minutes=15),
            last_polled_at=NOW,
            failures=2,
            failing_since=NOW - timedelta(hours=1),
            baseline_at=NOW,
        ),
    )

    assert store.feed_polls() == [changed]
    assert (changed.interval_s, changed.failures, changed.notified_at) == (900, 2, None)
    assert _claim(store, NOW + timedelta(minutes=15)) == ["https://a.example/feed"]


def test_a_failing_feed_is_noticed_once_and_only_after_long_enough(store: Store) -> None:
    feed, _ = store.follow_feed(HERE, "https://a.example/feed")
    _claim(store, NOW)
    store.update_feed_poll(feed.id, lambda poll: replace(poll, failing_since=NOW))
    day = timedelta(days=1)

    too_soon = store.claim_failing_notice(feed.id, NOW + day / 2, failing_before=NOW - day / 2)
    first = store.claim_failing_notice(feed.id, NOW + day, failing_before=NOW)
    second = store.claim_failing_notice(feed.id, NOW + 2 * day, failing_before=NOW + day)

    assert (too_soon, first, second) == (False, True, False)
    (poll,) = store.feed_polls()
    assert poll.notified_at == NOW + day
