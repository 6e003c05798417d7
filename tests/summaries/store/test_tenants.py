"""A library per tenant in the store: which workspaces each article reached, and reads that see
only one tenant's articles (None: all of them)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import sqlalchemy as sa

from summaries.store import Channel, NewArticle, Store, Tenant
from summaries.store.engine import engine_for, migrate
from summaries.types import Quote

TA = Tenant("slack", "TA")
TB = Tenant("discord", "GB")
MODEL = "test-model"
FEED = "https://feeds.example/world.xml"


def _text(topic: str) -> str:
    return (
        f"The {topic} was the talk of the town on Monday, as officials met to decide what "
        f"comes next for the {topic} and the people who depend on it."
    )


def _save(
    store: Store,
    topic: str,
    *,
    tenant: Tenant | None = None,
    url: str | None = None,
    feed_url: str | None = None,
    vector: np.ndarray | None = None,
) -> int:
    text = _text(topic)
    quote = Quote(text=f"the {topic} matters", spans=((0, 5),), speaker="Ann Reed", cue="said")
    new = NewArticle(
        text=text,
        url=url or f"https://news.example/{topic.replace(' ', '-')}",
        title=topic.capitalize(),
        published=datetime(2026, 11, 2, tzinfo=UTC),
        feed_url=feed_url,
        entry_id=topic if feed_url else None,
        quotes=(quote,),
        sentence_spans=((0, len(text)),),
        tenant=tenant,
        **(
            {
                "quote_vectors": vector[None, :],
                "sentence_vectors": vector[None, :],
                "embedding_model": MODEL,
            }
            if vector is not None
            else {}
        ),
    )
    return store.save_article(new).article.id


def test_an_article_two_tenants_bring_in_is_stored_once_and_reaches_both(store: Store) -> None:
    first = _save(store, "harbour gates", tenant=TA)
    again = _save(store, "harbour gates", tenant=TB, url="http://www.news.example/harbour-gates")
    assert again == first and store.count_articles() == 1
    assert store.article_tenants(first) == [TB, TA]  # by platform, then workspace
    operators = _save(store, "rail strike")
    assert store.article_tenants(operators) == []  # the operator's alone
    assert store.in_library(first, TA) and store.in_library(first, TB)
    assert not store.in_library(operators, TA) and store.in_library(operators, None)


def test_a_feed_entry_reaches_every_tenant_following_the_feed_and_only_them(store: Store) -> None:
    store.follow_feed(Channel("slack", "TA", "C1"), FEED)
    store.follow_feed(Channel("slack", "TA", "C2"), FEED)  # one tenant, two channels
    store.follow_feed(Channel("discord", "dm", "D1"), FEED)  # Discord DMs: a tenant each
    store.follow_feed(Channel("discord", "GB", "C3"), "https://other.example/feed.xml")
    article = _save(store, "glacier lake", feed_url=FEED)
    assert store.article_tenants(article) == [Tenant("discord", "dm:D1"), TA]
    assert Channel("discord", "dm", "D2").tenant != Channel("discord", "dm", "D1").tenant


def test_reaching_a_stored_article_again_links_the_feed_entry_and_its_followers(
    store: Store,
) -> None:
    pasted = _save(store, "library roof", tenant=TA)
    store.follow_feed(Channel("discord", "GB", "C3"), FEED)
    store.reach_article(pasted, feed_url=FEED, entry_id="e1")  # the feed lists it too
    store.reach_article(pasted, feed_url=FEED, entry_id="e1")  # again: nothing new
    assert store.article_tenants(pasted) == [TB, TA]
    found = store.find_duplicate(feed_url=FEED, entry_id="e1")
    assert found is not None and found[0].id == pasted and found[1] == "same feed entry"
    store.reach_article(pasted, tenant=Tenant("slack", "TC"))
    assert Tenant("slack", "TC") in store.article_tenants(pasted)


def test_every_search_sees_only_the_tenants_articles(store: Store) -> None:
    mine = _save(store, "harbour gates", tenant=TA)
    theirs = _save(store, "harbour tolls", tenant=TB)
    both = _save(store, "harbour lights", tenant=TA)
    store.reach_article(both, tenant=TB)

    def articles_of_sentences(ids: list[int]) -> set[int]:
        return {s.article.id for s in store.sentences_by_ids(ids)}

    def articles_of_quotes(ids: list[int]) -> set[int]:
        return {q.article.id for q in store.quotes_by_ids(ids)}

    words = ["harbour"]
    for tenant, seen in ((TA, {mine, both}), (TB, {theirs, both}), (None, {mine, theirs, both})):
        found = store.search_sentences(words, any_word=False, tenant=tenant)
        assert articles_of_sentences(found) == seen
        found = store.search_quote_ids(words, any_word=True, tenant=tenant)
        assert articles_of_quotes(found) == seen
        assert {q.article.id for q in store.search_quotes("harbour", tenant=tenant)} == seen
        quoted = store.quotes_by_person("Ann Reed", tenant=tenant)
        assert {q.article.id for q in quoted} == seen
    assert store.search_sentences(words, any_word=False, tenant=Tenant("slack", "TZ")) == []


def test_nearest_finds_the_tenants_best_match_past_closer_ones_it_may_not_read(
    store: Store,
) -> None:
    axis = np.eye(4, dtype=np.float32)
    close = _save(store, "harbour gates", tenant=TB, vector=axis[0])
    far = _save(store, "harbour tolls", tenant=TA, vector=(axis[0] + axis[1]) / np.sqrt(2))
    _save(store, "rail strike", tenant=TA, vector=axis[2])
    asked = axis[0]
    for kind, owner in (("sentence", store.sentences_by_ids), ("quote", store.quotes_by_ids)):
        (best,) = store.nearest(kind, asked, model=MODEL, limit=1)
        assert owner([best[0]])[0].article.id == close
        (best,) = store.nearest(kind, asked, model=MODEL, limit=1, tenant=TA)
        assert owner([best[0]])[0].article.id == far
        assert store.nearest(kind, asked, model=MODEL, tenant=Tenant("slack", "TZ")) == []
    (similar,) = store.similar_quotes(asked, model=MODEL, limit=1, tenant=TA)
    assert similar[0].article.id == far


def test_a_channels_articles_are_its_feeds_that_reached_its_tenant(store: Store) -> None:
    where = Channel("slack", "TA", "C1")
    old = _save(store, "harbour gates", feed_url=FEED)  # before anyone in TA followed the feed
    store.follow_feed(where, FEED)
    new = _save(store, "harbour lights", feed_url=FEED)
    listed = [a.id for a in store.channel_articles(where, tenant=where.tenant)]
    assert listed == [new]
    assert {a.id for a in store.channel_articles(where)} == {old, new}  # the operator's view


def test_upgrade_gives_old_articles_to_the_tenants_following_their_feeds(
    shared_store_url: str,
) -> None:
    engine = engine_for(shared_store_url)
    stamp = datetime(2026, 11, 2, tzinfo=UTC).replace(tzinfo=None)
    try:
        migrate(engine, "0006")
        with engine.begin() as conn:

            def insert(table: str, **values: object) -> int:
                names = ", ".join(values)
                marks = ", ".join(f":{k}" for k in values)
                sql = f"INSERT INTO {table} ({names}) VALUES ({marks}) RETURNING id"
                return int(conn.execute(sa.text(sql), values).scalar_one())

            followed = insert("feeds", url=FEED, created_at=stamp)
            other = insert("feeds", url="https://other.example/feed.xml", created_at=stamp)
            for platform, workspace, channel in (
                ("slack", "TA", "C1"),
                ("slack", "TA", "C2"),
                ("discord", "dm", "D1"),
            ):
                insert(
                    "channel_feeds",
                    platform=platform,
                    workspace=workspace,
                    channel=channel,
                    feed_id=followed,
                    created_at=stamp,
                )
            ids = {
                name: insert("articles", text=_text(name), feed_id=feed, created_at=stamp)
                for name, feed in (("feed", followed), ("listed", other), ("pasted", None))
            }
            # "listed" came through a feed nobody follows, and is listed by the followed one
            insert(
                "feed_entries",
                feed_id=followed,
                entry_id="x",
                article_id=ids["listed"],
                created_at=stamp,
            )
    finally:
        engine.dispose()
    with Store(shared_store_url) as store:
        followers = [Tenant("discord", "dm:D1"), Tenant("slack", "TA")]
        assert store.article_tenants(ids["feed"]) == followers
        assert store.article_tenants(ids["listed"]) == followers
        assert store.article_tenants(ids["pasted"]) == []
