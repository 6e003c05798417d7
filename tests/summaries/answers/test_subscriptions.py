"""Channel subscriptions: feeds, filters, schedules; each channel and workspace apart."""

from __future__ import annotations

import time as time_module
from datetime import UTC, datetime, time

import pytest

from summaries.answers.subscriptions import (
    Channel,
    ChannelFilter,
    Schedule,
    SubscriptionError,
    Subscriptions,
    check_pattern,
    parse_time,
    parse_weekdays,
    passes,
)
from summaries.store import NewArticle, Store

HERE = Channel("slack", "T1", "C1")
NEIGHBOUR = Channel("slack", "T1", "C2")
OTHER_WORKSPACE = Channel("slack", "T2", "C1")
FEED = "https://news.example/feed.xml"


def test_follow_is_per_channel_and_idempotent(store: Store) -> None:
    subs = Subscriptions(store)
    feed, created = subs.follow(HERE, FEED, title="Example News", user="U1")
    assert created and feed.title == "Example News"
    assert subs.follow(HERE, FEED) == (feed, False)
    assert [f.url for f in subs.feeds(HERE)] == [FEED]
    assert subs.feeds(NEIGHBOUR) == [] and subs.feeds(OTHER_WORKSPACE) == []
    assert subs.followers(FEED) == [HERE]
    assert subs.unfollow(OTHER_WORKSPACE, FEED) is False
    assert subs.unfollow(HERE, FEED) is True
    assert subs.feeds(HERE) == []
    assert subs.unfollow(HERE, "https://never.example/") is False


def test_a_channel_follows_at_most_its_limit_of_feeds(store: Store) -> None:
    subs = Subscriptions(store, max_feeds=2)
    subs.follow(HERE, "https://a.example/feed")
    subs.follow(HERE, "https://b.example/feed")
    with pytest.raises(SubscriptionError, match=r"follows 2 feeds.*limit 2.*unfollow one"):
        subs.follow(HERE, "https://c.example/feed")
    assert subs.follow(HERE, "https://b.example/feed")[1] is False  # already followed: fine
    subs.follow(NEIGHBOUR, "https://c.example/feed")  # the limit is per channel
    subs.unfollow(HERE, "https://a.example/feed")
    assert subs.follow(HERE, "https://c.example/feed")[1] is True


def test_channel_articles_come_from_its_feeds_newest_first(store: Store) -> None:
    subs = Subscriptions(store)
    subs.follow(HERE, FEED)
    for n, day in ((1, 3), (2, 5)):
        store.save_article(
            NewArticle(
                text=f"Story number {n} has enough words in it to be stored as text {n}.",
                url=f"https://news.example/{n}",
                feed_url=FEED,
                entry_id=str(n),
                published=datetime(2026, 11, day, tzinfo=UTC),
            )
        )
    store.save_article(
        NewArticle(text="An article from nowhere in particular, pasted by hand today.")
    )
    found = subs.articles(HERE)
    assert [a.url for a in found] == ["https://news.example/2", "https://news.example/1"]
    assert subs.articles(NEIGHBOUR) == []
    since = subs.articles(HERE, since=datetime(2026, 11, 4, tzinfo=UTC))
    assert [a.url for a in since] == ["https://news.example/2"]


def test_filters_keep_and_mute(store: Store) -> None:
    subs = Subscriptions(store)
    assert subs.add_filter(HERE, "election", "keep")
    assert not subs.add_filter(HERE, "election", "keep")
    assert subs.add_filter(HERE, "/foot(ball)?/", "mute")
    filters = subs.filters(HERE)
    assert filters == [ChannelFilter("election", "keep"), ChannelFilter("/foot(ball)?/", "mute")]
    assert subs.filters(OTHER_WORKSPACE) == []
    assert passes(filters, "Election results are in")
    assert not passes(filters, "Football and the election")
    assert not passes(filters, "Weather today")
    assert passes([], "anything")
    assert subs.remove_filter(HERE, "election") and not subs.remove_filter(HERE, "election")


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("", "keyword"),
        ("/(/", "can't be used"),
        ("x" * 300, "at most"),
        ("/(?=bridge)b/", "no lookaround"),  # syntax RE2 does not run
        ("/(a)\\1/", "no backreferences"),
        ("/((((a{100}){100}){100}){100})/", "can't be used"),  # an automaton too big
        ("/caf\udce9/", "broken character"),  # a lone surrogate
    ],
)
def test_bad_filters_are_refused_clearly(store: Store, pattern: str, message: str) -> None:
    with pytest.raises(SubscriptionError, match=message):
        Subscriptions(store).add_filter(HERE, pattern, "keep")


@pytest.mark.parametrize(
    ("pattern", "run", "found"),
    # each short text takes a backtracking engine seconds; the long one, forever
    [("/(a+)+$/", 24, False), ("/(\\w+\\s?)*$/", 22, True), ("/(a|aa)*b/", 32, False)],
)
def test_catastrophic_regexes_run_in_linear_time(pattern: str, run: int, found: bool) -> None:
    rule = ChannelFilter(check_pattern(pattern), "keep")
    start = time_module.monotonic()
    for hostile in ("a" * run + "!", "a" * 50_000 + "!"):
        assert passes([rule], hostile) is found
        assert time_module.monotonic() - start < 1.0


def test_regex_filters_ignore_case_and_keep_unicode() -> None:
    assert passes([ChannelFilter("/café (au )?lait/", "keep")], "CAFÉ AU LAIT prices")
    assert not passes([ChannelFilter("/^bridge/", "keep")], "A bridge")


def test_a_stored_filter_re2_cannot_run_is_left_out() -> None:
    # saved before filters were checked with RE2: it must neither match nor stall anything
    old = ChannelFilter("/(?=x)y/", "keep")
    assert passes([old], "anything at all")
    assert not passes([old, ChannelFilter("-", "keep")], "no dash here")


def test_schedule_round_trip_and_isolation(store: Store) -> None:
    subs = Subscriptions(store)
    schedule = Schedule(HERE, time(8, 0), "Europe/Paris", parse_weekdays("mon-fri"))
    subs.set_schedule(schedule)
    assert subs.schedule(HERE) == schedule
    assert subs.schedule(OTHER_WORKSPACE) is None
    later = Schedule(HERE, time(9, 30), "UTC", ("sat", "sun"), quiet=True)
    subs.set_schedule(later)
    assert subs.schedules() == [later]
    assert later.describe() == "09:30 UTC, Sat, Sun"
    assert subs.clear_schedule(HERE) and subs.schedule(HERE) is None
    with pytest.raises(SubscriptionError, match="timezone"):
        subs.set_schedule(Schedule(HERE, time(8, 0), "Mars/Olympus", ("mon",)))


def test_time_and_weekday_parsing() -> None:
    assert parse_time("08:00") == time(8, 0)
    assert parse_time("7pm") == time(19, 0)
    assert parse_weekdays("weekdays") == ("mon", "tue", "wed", "thu", "fri")
    assert parse_weekdays("fri-mon") == ("mon", "fri", "sat", "sun")
    assert parse_weekdays("Monday,Wednesday") == ("mon", "wed")
    for bad in ("25:00", "noon", "8:75"):
        with pytest.raises(SubscriptionError):
            parse_time(bad)
    with pytest.raises(SubscriptionError):
        parse_weekdays("someday")
