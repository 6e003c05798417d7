"""Channels in the store: which workspaces a channel id lives in, and a digest's window."""

from __future__ import annotations

from datetime import time

from summaries.store import Channel, NewArticle, Schedule, Store
from tests.samples import last_day

HERE = Channel("slack", "T1", "C1")
SAME_ID_ELSEWHERE = Channel("slack", "T2", "C1")
TEXT = "A story with enough words in it to be told apart from the others, number {}."


def _save(store: Store, feed: str, entry: str, n: int, site: str | None = None) -> int:
    saved = store.save_article(
        NewArticle(
            text=TEXT.format(n),
            url=f"https://news.example/{n}",
            title=f"Story {n}",
            feed_url=feed,
            entry_id=entry,
            site=site,
        )
    )
    return saved.article.id


def test_a_channel_id_is_found_in_every_workspace_that_uses_it(store: Store) -> None:
    store.follow_feed(HERE, "https://a.example/feed")
    store.set_schedule(Schedule(SAME_ID_ELSEWHERE, time(8, 0), "UTC", ("mon",)))

    assert store.channel_workspaces("slack", "C1") == {"T1", "T2"}
    assert store.channel_workspaces("discord", "C1") == set()


def test_a_digest_article_names_each_feed_that_carried_it_and_when_first_seen(
    store: Store,
) -> None:
    store.follow_feed(HERE, "https://a.example/feed", title="Alpha")
    store.follow_feed(HERE, "https://b.example/feed")  # no title: the site, else the host
    first = _save(store, "https://a.example/feed", "1", 1)
    _save(store, "https://b.example/feed", "x", 1)  # the same story through another feed
    lone = _save(store, "https://b.example/feed", "2", 2)
    since, until = last_day()

    found = store.digest_articles(HERE, since, until, limit=10)

    assert [(a.id, a.sources) for a in found] == [
        (first, ("b.example", "Alpha")),  # latest sighting first
        (lone, ("b.example",)),
    ]
    assert found[0].first_seen.tzinfo is not None and found[0].first_seen <= found[1].first_seen


def test_a_digest_window_over_its_limit_keeps_the_newest_articles(store: Store) -> None:
    store.follow_feed(HERE, "https://a.example/feed")
    ids = [_save(store, "https://a.example/feed", str(n), n, site="Alpha") for n in range(5)]
    since, until = last_day()

    found = store.digest_articles(HERE, since, until, limit=2)

    assert [a.id for a in found] == ids[-2:]
    assert {a.sources for a in found} == {("Alpha",)}
