"""Feeds and articles in the store: each story stored once, whatever link or feed brings it."""

from __future__ import annotations

import random
import string
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from summaries.ingest.feeds.entries import entry_id
from summaries.store import NewArticle, SaveResult, Store, StoredArticle, content_hash
from summaries.types import NewsbriefError

STORY = (
    "The city council voted on Tuesday to build a new bridge across the river, "
    "ending a decade of arguments about traffic and cost."
)
OTHER_STORY = (
    "A small bakery in the old town won a national prize for its rye bread, "
    "the first award of its kind for the region."
)


def test_content_hash_ignores_case_whitespace_and_punctuation() -> None:
    reformatted = (
        "  the CITY council voted on tuesday -- to build a new bridge\n\nacross the river "
    )
    assert content_hash(
        "The city council voted on Tuesday, to build a new bridge across the river."
    ) == content_hash(reformatted)
    assert content_hash("It’s “done”") == content_hash('it\'s "done"')
    assert content_hash(STORY) != content_hash(OTHER_STORY)


def test_save_article_stores_a_new_story(store: Store) -> None:
    published = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
    result = store.save_article(
        NewArticle(
            text=STORY,
            url="https://news.example/bridge?utm_source=rss",
            title="Bridge approved",
            byline="Ann Writer",
            published=published,
            site="News Example",
            summary="Council approves bridge.",
            summary_method="lead",
        )
    )
    assert result.created
    assert result.duplicate_reason is None
    stored = store.get_article(result.article.id)
    assert stored == result.article
    assert stored is not None
    assert stored.canonical_url == "https://news.example/bridge"
    assert stored.url == "https://news.example/bridge?utm_source=rss"
    assert stored.content_hash == content_hash(STORY)
    assert (stored.title, stored.byline, stored.site) == (
        "Bridge approved",
        "Ann Writer",
        "News Example",
    )
    assert stored.published == published
    assert (stored.summary, stored.summary_method) == ("Council approves bridge.", "lead")
    assert stored.feed_id is None
    assert store.count_articles() == 1


def test_save_article_dedupes_by_url_with_tracking_params(store: Store) -> None:
    first = store.save_article(NewArticle(text=STORY, url="https://news.example/bridge"))
    again = store.save_article(
        NewArticle(
            text=OTHER_STORY,  # an updated body: the link still says it is the same story
            url="https://news.example/bridge?utm_source=twitter&utm_medium=social&fbclid=zz#top",
        )
    )
    assert not again.created
    assert again.duplicate_reason == "same URL"
    assert again.article == first.article
    assert store.count_articles() == 1


def test_save_article_dedupes_across_http_https_and_www(store: Store) -> None:
    first = store.save_article(NewArticle(text=STORY, url="http://www.news.example/bridge/"))
    again = store.save_article(NewArticle(text=OTHER_STORY, url="https://news.example/bridge"))
    assert again.duplicate_reason == "same URL"
    assert again.article.id == first.article.id
    assert store.count_articles() == 1


def test_save_article_dedupes_reformatted_text_from_another_url(store: Store) -> None:
    first = store.save_article(NewArticle(text=STORY, url="https://news.example/bridge"))
    copy = "\n\n  " + STORY.upper().replace(" ", "   \n").replace(",", " ;")
    again = store.save_article(NewArticle(text=copy, url="https://aggregator.example/item/7"))
    assert again.duplicate_reason == "same text"
    assert again.article.id == first.article.id
    assert store.count_articles() == 1


def test_save_article_does_not_dedupe_short_generic_texts(store: Store) -> None:
    first = store.save_article(NewArticle(text="Read more.", url="https://a.example/1"))
    second = store.save_article(NewArticle(text="Read more.", url="https://a.example/2"))
    assert first.created and second.created
    assert first.article.content_hash is None
    assert store.count_articles() == 2


def test_save_article_dedupes_by_feed_entry_id(store: Store) -> None:
    feed = "https://news.example/feed.xml"
    first = store.save_article(
        NewArticle(text=STORY, url="https://news.example/a", feed_url=feed, entry_id="guid-1")
    )
    # Same entry re-sent with a new link and rewritten body: the entry id still ties it.
    again = store.save_article(
        NewArticle(text=OTHER_STORY, url="https://news.example/b", feed_url=feed, entry_id="guid-1")
    )
    assert again.duplicate_reason == "same feed entry"
    assert again.article.id == first.article.id
    stored_feed = store.get_feed(feed)
    assert stored_feed is not None
    assert first.article.feed_id == stored_feed.id
    assert store.count_articles() == 1


def test_same_entry_id_in_another_feed_is_a_different_story(store: Store) -> None:
    store.save_article(NewArticle(text=STORY, feed_url="https://a.example/feed", entry_id="1"))
    other = store.save_article(
        NewArticle(text=OTHER_STORY, feed_url="https://b.example/feed", entry_id="1")
    )
    assert other.created
    assert store.count_articles() == 2


def test_feed_changing_entry_id_but_keeping_link_is_recognised_and_mapped(store: Store) -> None:
    feed = "https://news.example/feed.xml"
    first = store.save_article(
        NewArticle(
            text=STORY,
            url="https://news.example/bridge",
            feed_url=feed,
            entry_id="guid-1",
            published=datetime(2024, 5, 1, tzinfo=UTC),
        )
    )
    again = store.save_article(
        NewArticle(
            text=STORY + " Updated at noon.",
            url="https://news.example/bridge",
            feed_url=feed,
            entry_id="guid-1-v2",
            published=datetime(2024, 5, 2, tzinfo=UTC),
        )
    )
    assert again.duplicate_reason == "same URL"
    assert again.article.id == first.article.id
    # The new entry id now points at the stored article, so the next re-send is an entry match.
    found = store.find_duplicate(feed_url=feed, entry_id="guid-1-v2")
    assert found is not None
    assert found[0].id == first.article.id
    assert found[1] == "same feed entry"


def test_feed_changing_entry_id_and_date_but_keeping_text_is_recognised(store: Store) -> None:
    feed = "https://news.example/feed.xml"
    first = store.save_article(NewArticle(text=STORY, feed_url=feed, entry_id="x1"))
    again = store.save_article(
        NewArticle(
            text=STORY,
            feed_url=feed,
            entry_id="x2",
            published=datetime(2030, 1, 1, tzinfo=UTC),
        )
    )
    assert again.duplicate_reason == "same text"
    assert again.article.id == first.article.id
    assert again.article.published is None  # the stored article is left as it was
    assert store.count_articles() == 1


def test_find_duplicate_returns_none_for_a_new_story(store: Store) -> None:
    store.save_article(NewArticle(text=STORY, url="https://news.example/bridge"))
    assert store.find_duplicate(url="https://news.example/bakery", text=OTHER_STORY) is None
    assert store.find_duplicate(feed_url="https://unknown.example/feed", entry_id="1") is None
    found = store.find_duplicate(url="http://www.news.example/bridge?utm_campaign=x")
    assert found is not None
    assert found[1] == "same URL"


def test_save_article_stores_nothing_when_it_fails(store: Store) -> None:
    naive = datetime(2024, 5, 1, 9, 30)
    with pytest.raises(ValueError, match="naive"):
        store.save_article(
            NewArticle(text=STORY, published=naive, feed_url="https://f.example/feed", entry_id="1")
        )
    assert store.count_articles() == 0
    assert store.list_feeds() == []  # the feed added in the same transaction was rolled back


def test_latest_articles_are_newest_first_falling_back_to_stored_time(store: Store) -> None:
    def save(n: int, published: datetime | None) -> StoredArticle:
        text = f"Story number {n} has enough words in it to be hashed for dedupe, {n}."
        return store.save_article(NewArticle(text=text, published=published)).article

    old = save(1, datetime(2020, 1, 1, tzinfo=UTC))
    middle = save(2, datetime(2022, 1, 1, tzinfo=timezone(timedelta(hours=-5))))
    undated = save(3, None)  # counts as stored now, so newest
    future = save(4, datetime.now(UTC) + timedelta(days=1))

    latest = store.latest_articles()
    assert [a.id for a in latest] == [future.id, undated.id, middle.id, old.id]
    assert [a.when for a in latest] == [
        future.published,
        undated.created_at,
        middle.published,
        old.published,
    ]
    assert [a.id for a in store.latest_articles(limit=2)] == [future.id, undated.id]
    since = store.latest_articles(since=datetime(2021, 6, 1, tzinfo=UTC))
    assert [a.id for a in since] == [future.id, undated.id, middle.id]


def test_articles_by_ids_come_in_the_order_asked_leaving_unknown_ids_out(store: Store) -> None:
    first, second = (
        store.save_article(NewArticle(text=f"{STORY} Part {n}.")).article for n in ("one", "two")
    )

    found = store.articles_by_ids([second.id, 999_999, first.id])

    assert [a.id for a in found] == [second.id, first.id]
    assert store.articles_by_ids([]) == []


def test_set_summary_replaces_the_summary(store: Store) -> None:
    saved = store.save_article(NewArticle(text=STORY, summary="old", summary_method="lead"))
    store.set_summary(saved.article.id, "Council approves bridge.", "extractive:test")
    stored = store.get_article(saved.article.id)
    assert stored is not None
    assert (stored.summary, stored.summary_method) == (
        "Council approves bridge.",
        "extractive:test",
    )
    with pytest.raises(KeyError):
        store.set_summary(saved.article.id + 1000, "x", "y")


def test_get_article_returns_none_for_unknown_id(store: Store) -> None:
    assert store.get_article(12345) is None


def test_upsert_feed_adds_once_and_updates_title(store: Store) -> None:
    first = store.upsert_feed("https://news.example/feed.xml")
    assert first.title is None
    again = store.upsert_feed("https://news.example/feed.xml", title="News Example")
    assert again.id == first.id
    assert again.title == "News Example"
    untouched = store.upsert_feed("https://news.example/feed.xml")
    assert untouched.title == "News Example"
    store.upsert_feed("https://other.example/rss")
    assert [f.url for f in store.list_feeds()] == [
        "https://news.example/feed.xml",
        "https://other.example/rss",
    ]
    assert store.get_feed("https://news.example/feed.xml") == untouched
    assert store.get_feed("https://missing.example/feed") is None


def test_record_feed_fetch_keeps_validators_on_error_and_clears_error_on_success(
    store: Store,
) -> None:
    feed = store.upsert_feed("https://news.example/feed.xml")
    assert feed.last_checked is None and feed.last_success is None

    store.record_feed_fetch(feed.id, etag='"v1"', last_modified="Wed, 01 May 2024 09:00:00 GMT")
    ok = store.get_feed(feed.url)
    assert ok is not None
    assert (ok.etag, ok.last_modified) == ('"v1"', "Wed, 01 May 2024 09:00:00 GMT")
    assert ok.last_success is not None and ok.last_success == ok.last_checked
    assert ok.last_success.utcoffset() == timedelta(0)
    assert ok.last_error is None

    store.record_feed_fetch(feed.id, error="HTTP 503")
    failed = store.get_feed(feed.url)
    assert failed is not None
    assert failed.last_error == "HTTP 503"
    assert (failed.etag, failed.last_modified) == ('"v1"', "Wed, 01 May 2024 09:00:00 GMT")
    assert failed.last_success == ok.last_success
    assert failed.last_checked is not None and failed.last_checked >= ok.last_success

    store.record_feed_fetch(feed.id, etag='"v2"')
    recovered = store.get_feed(feed.url)
    assert recovered is not None
    assert recovered.last_error is None
    assert (recovered.etag, recovered.last_modified) == ('"v2"', None)

    with pytest.raises(KeyError):
        store.record_feed_fetch(feed.id + 1000)


def test_save_retries_after_losing_a_race_and_returns_the_winner(store_url: str) -> None:
    class StaleFirstLookup(Store):
        """Its first duplicate check misses, as when another writer commits in between."""

        stale = False

        def _find_duplicate(self, *args: Any, **kwargs: Any) -> tuple[StoredArticle, str] | None:
            if self.stale:
                self.stale = False
                return None
            return super()._find_duplicate(*args, **kwargs)

    with StaleFirstLookup(store_url) as racing:
        winner = racing.save_article(NewArticle(text=STORY, url="https://news.example/bridge"))
        racing.stale = True  # the second save misses the first, so its insert conflicts
        loser = racing.save_article(NewArticle(text=STORY, url="https://news.example/bridge"))
        assert winner.created
        assert not loser.created
        assert loser.article.id == winner.article.id
        assert racing.count_articles() == 1


def _at_once(
    workers: int, save: Callable[[int], SaveResult]
) -> list[SaveResult | Exception | None]:
    """Call save(0) ... save(workers - 1), each in a thread of its own, all released at once;
    what each returned or raised (a thread would swallow it), by worker."""
    barrier = threading.Barrier(workers)
    results: list[SaveResult | Exception | None] = [None] * workers

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = save(i)
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_saves_of_one_story_store_one_row(shared_store_url: str) -> None:
    workers = 6
    stores = [Store(shared_store_url) for _ in range(workers)]
    results = _at_once(
        workers,
        lambda i: stores[i].save_article(
            NewArticle(
                text=STORY,
                url=f"https://news.example/bridge?utm_source=worker{i}",
                feed_url="https://news.example/feed.xml",
                entry_id=f"guid-{i}",
            )
        ),
    )
    try:
        errors = [r for r in results if isinstance(r, Exception)]
        assert errors == []
        saved = [r for r in results if isinstance(r, SaveResult)]
        assert len(saved) == workers
        ids = {r.article.id for r in saved}
        assert len(ids) == 1
        assert sum(r.created for r in saved) == 1
        assert stores[0].count_articles() == 1
        assert len(stores[0].list_feeds()) == 1
        # Every worker's entry id was recorded against the one article.
        for i in range(workers):
            found = stores[0].find_duplicate(
                feed_url="https://news.example/feed.xml", entry_id=f"guid-{i}"
            )
            assert found is not None and found[0].id in ids
    finally:
        for opened in stores:
            opened.close()


def test_threads_sharing_one_store_save_one_row(store: Store) -> None:
    workers = 5
    results = _at_once(
        workers, lambda i: store.save_article(NewArticle(text=STORY, url=f"https://x.example/{i}"))
    )
    saved = [r for r in results if isinstance(r, SaveResult)]
    assert len(saved) == workers
    assert len({r.article.id for r in saved}) == 1
    assert store.count_articles() == 1


def _incompressible(n: int, seed: int = 1) -> str:
    """`n` letters and digits that no compression shrinks (PostgreSQL compresses index rows)."""
    rnd = random.Random(seed)
    return "".join(rnd.choice(string.ascii_letters + string.digits) for _ in range(n))


def test_an_article_with_a_url_of_10000_characters_is_saved_and_deduped_by_it(
    store: Store,
) -> None:
    # Its canonical URL is a key of a unique index: PostgreSQL refused the row ("index row
    # requires 10040 bytes") and the article was not saved.
    url = "https://news.example/" + _incompressible(10_000)
    first = store.save_article(NewArticle(text=STORY, url=url, title="Bridge"))
    again = store.save_article(NewArticle(text=OTHER_STORY, url=url + "?utm_source=x"))
    other = store.save_article(NewArticle(text=OTHER_STORY, url=url + "b"))

    assert first.created and first.article.url == url
    assert again.duplicate_reason == "same URL" and again.article.id == first.article.id
    assert other.created
    assert store.count_articles() == 2


def test_a_feed_entry_whose_id_is_10000_characters_is_saved_and_recognised(store: Store) -> None:
    feed = "https://news.example/feed.xml"
    guid = entry_id(_incompressible(10_000), None, None, None, None)
    first = store.save_article(
        NewArticle(text=STORY, url="https://news.example/a", feed_url=feed, entry_id=guid)
    )
    again = store.save_article(
        NewArticle(text=OTHER_STORY, url="https://news.example/b", feed_url=feed, entry_id=guid)
    )

    assert len(guid) < 100
    assert guid != entry_id(_incompressible(10_000, seed=2), None, None, None, None)
    assert again.duplicate_reason == "same feed entry" and again.article.id == first.article.id


def test_a_feed_url_too_long_to_keep_is_refused_with_a_clear_error(store: Store) -> None:
    url = "https://news.example/" + _incompressible(10_000)
    with pytest.raises(NewsbriefError, match="a feed URL of 10,021 characters is too long"):
        store.upsert_feed(url)
    assert store.get_feed(url) is None
    assert store.save_article(NewArticle(text=STORY, url="https://news.example/a")).created
