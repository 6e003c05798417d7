from __future__ import annotations

from bot.polling import PollPolicy, backoff, interval_after_poll


def test_a_feed_is_polled_more_often_after_news_and_less_after_none() -> None:
    policy = PollPolicy(min_interval=300, max_interval=3600)

    assert interval_after_poll(policy, 1800, stored=2) == 900
    assert interval_after_poll(policy, 400, stored=1) == 300
    assert interval_after_poll(policy, 1800, stored=0) == 2700
    assert interval_after_poll(policy, 3000, stored=0) == 3600


def test_a_failing_feed_backs_off_but_honours_a_longer_retry_after() -> None:
    policy = PollPolicy(min_interval=300, max_backoff=3600, max_retry_after=7200)

    assert [backoff(policy, failures, None) for failures in (1, 2, 3, 4)] == [600, 1200, 2400, 3600]
    assert backoff(policy, 1, retry_after=5000) == 5000
    assert backoff(policy, 1, retry_after=99999) == 7200
    assert backoff(policy, 3, retry_after=10) == 2400
