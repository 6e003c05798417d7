from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np

from summaries.answers.digest import (
    DigestArticle,
    article_vectors,
    build_digest,
    group_stories,
    key_quote,
    rank_stories,
    sections,
    story_key_quote,
)
from summaries.answers.subscriptions import Channel, Subscriptions
from summaries.store import NewArticle, Store, StoredQuote
from summaries.types import ArticleRef, Quote
from summaries.understand.embed import MiniLMEmbedder
from tests.samples import BRIDGE_QUOTE, last_day

HERE = Channel("slack", "T1", "C1")
ELSEWHERE = Channel("slack", "T1", "C2")

BRIDGE_A = (
    "Bridge vote passes",
    "The city council voted on Tuesday to build a new bridge across the river, ending a "
    "decade of arguments about traffic and cost. Construction starts next spring.",
)
BRIDGE_B = (
    "Council approves river bridge",
    "Councillors approved plans for a new bridge over the river on Tuesday after ten years of "
    "debate over traffic and costs. Work is due to begin in the spring.",
)
BAKERY = (
    "Old town bakery wins rye prize",
    "A small bakery in the old town won a national prize for its rye bread, the first award "
    "of its kind for the region, and queues formed before dawn.",
)


def _save(
    store: Store,
    feed: str,
    entry: str,
    story: tuple[str, str],
    *,
    quotes: tuple[Quote, ...] = (),
    published: datetime | None = None,
) -> int:
    title, text = story
    result = store.save_article(
        NewArticle(
            text=f"{text} ({feed} {entry})",  # each feed's copy is its own article
            url=f"{feed}/{entry}",
            title=title,
            feed_url=feed,
            entry_id=entry,
            summary=text,
            summary_method="lead",
            published=published,
            quotes=quotes,
        )
    )
    return result.article.id


def test_digest_groups_the_same_story_from_two_feeds_and_ranks_it_first(
    store: Store, embedder: MiniLMEmbedder
) -> None:
    subs = Subscriptions(store)
    subs.follow(HERE, "https://a.example/feed", title="Alpha News")
    subs.follow(HERE, "https://b.example/feed", title="Beta Times")
    _save(store, "https://a.example/feed", "1", BAKERY)
    _save(store, "https://a.example/feed", "2", BRIDGE_A, quotes=(BRIDGE_QUOTE,))
    _save(store, "https://b.example/feed", "9", BRIDGE_B)
    since, until = last_day()

    digest = build_digest(store, HERE, since, until, embedder=embedder)

    assert digest.articles == 3
    assert [s.title for s in digest.stories] == ["Bridge vote passes", BAKERY[0]]
    top = digest.stories[0]
    assert top.sources == ("Alpha News", "Beta Times")
    assert len(top.article_ids) == 2
    assert top.quote is not None and top.quote.quote.speaker == "Ann Reed"
    assert [q.quote.speaker for q in digest.said] == ["Ann Reed"]
    assert digest.stories[1].sources == ("Alpha News",)


def test_digest_applies_channel_filters(store: Store) -> None:
    subs = Subscriptions(store)
    subs.follow(HERE, "https://a.example/feed", title="Alpha")
    subs.add_filter(HERE, "bakery", "mute")
    _save(store, "https://a.example/feed", "1", BAKERY)
    _save(store, "https://a.example/feed", "2", BRIDGE_A)
    since, until = last_day()

    digest = build_digest(store, HERE, since, until)

    assert [s.title for s in digest.stories] == [BRIDGE_A[0]]


def test_digest_with_catastrophic_regex_filters_is_built_within_a_second(store: Store) -> None:
    subs = Subscriptions(store)
    subs.follow(HERE, "https://a.example/feed", title="Alpha")
    subs.add_filter(HERE, "/(a+)+$/", "keep")
    subs.add_filter(HERE, "/(\\w+\\s?)*$/", "keep")
    for n in range(5):  # a summary that makes a backtracking engine take seconds each
        _save(store, "https://a.example/feed", str(n), (f"Harbour {n}.", "a" * 22 + "!"))
    since, until = last_day()

    start = time.monotonic()
    digest = build_digest(store, HERE, since, until)

    assert time.monotonic() - start < 1.0
    assert digest.articles == 5  # the second filter matches (the empty end of the text)


def test_digest_only_includes_articles_first_seen_in_the_window(store: Store) -> None:
    subs = Subscriptions(store)
    subs.follow(HERE, "https://a.example/feed")
    _save(store, "https://a.example/feed", "1", BAKERY)
    cut = datetime.now(UTC)
    _save(store, "https://a.example/feed", "2", BRIDGE_A)

    before = build_digest(store, HERE, cut - timedelta(days=1), cut)
    after = build_digest(store, HERE, cut, cut + timedelta(minutes=1))

    assert [s.title for s in before.stories] == [BAKERY[0]]
    assert [s.title for s in after.stories] == [BRIDGE_A[0]]


def test_digest_leaves_out_the_back_catalogue_of_a_newly_polled_feed(store: Store) -> None:
    subs = Subscriptions(store)
    feed, _ = subs.follow(HERE, "https://a.example/feed")
    _save(store, "https://a.example/feed", "old", BAKERY)  # stored by the first poll
    now = datetime.now(UTC)
    assert store.claim_due_feeds(now, first_interval=1800, lease_until=now) == [(feed.id, feed.url)]
    store.update_feed_poll(feed.id, lambda poll: replace(poll, baseline_at=datetime.now(UTC)))
    _save(store, "https://a.example/feed", "new", BRIDGE_A)
    since, until = last_day()

    digest = build_digest(store, HERE, since, until)

    assert [s.title for s in digest.stories] == [BRIDGE_A[0]]


def test_digest_leaves_out_articles_seen_before_the_channel_followed(store: Store) -> None:
    subs = Subscriptions(store)
    subs.follow(ELSEWHERE, "https://a.example/feed")
    _save(store, "https://a.example/feed", "1", BAKERY)
    subs.follow(HERE, "https://a.example/feed")
    _save(store, "https://a.example/feed", "2", BRIDGE_A)
    since, until = last_day()

    assert [s.title for s in build_digest(store, HERE, since, until).stories] == [BRIDGE_A[0]]
    assert len(build_digest(store, ELSEWHERE, since, until).stories) == 2


def test_digest_of_a_quiet_day_is_empty_and_counts_the_feeds(store: Store) -> None:
    Subscriptions(store).follow(HERE, "https://a.example/feed")
    since, until = last_day()

    digest = build_digest(store, HERE, since, until)

    assert digest.empty
    assert digest.feeds == 1
    assert digest.said == ()


class _CountingEmbedder:
    """Embeds each text as its length, and remembers what it was asked."""

    name = "counting"
    dim = 2

    def __init__(self) -> None:
        self.asked: list[str] = []

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        self.asked.extend(texts)
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)


def test_article_vectors_embed_title_and_summary_once_then_reuse_them(store: Store) -> None:
    Subscriptions(store).follow(HERE, "https://a.example/feed")
    bridge = _save(store, "https://a.example/feed", "1", BRIDGE_A)
    bakery = _save(store, "https://a.example/feed", "2", BAKERY)
    embedder = _CountingEmbedder()

    first = article_vectors(store, [bridge], embedder)
    both = article_vectors(store, [bakery, bridge, 999], embedder)

    assert embedder.asked == [  # headline and summary, without the final full stop
        f"{BRIDGE_A[0]}. {BRIDGE_A[1]}".rstrip("."),
        f"{BAKERY[0]}. {BAKERY[1]}".rstrip("."),
    ]
    assert sorted(both) == [bridge, bakery]
    assert both[bridge].tolist() == first[bridge].tolist()


def test_an_undated_story_shows_no_date_and_ranks_by_when_it_was_seen(store: Store) -> None:
    subs = Subscriptions(store)
    subs.follow(HERE, "https://a.example/feed", title="Alpha")
    since, until = last_day()
    _save(store, "https://a.example/feed", "1", BAKERY)  # no date of its own
    # Dated before the window opened, but seen in it: the undated story was seen as late.
    _save(store, "https://a.example/feed", "2", BRIDGE_A, published=since - timedelta(days=3))

    digest = build_digest(store, HERE, since, until)

    # Published, else seen: the undated story is the newer; its seen time is no date of its own.
    assert [(s.title, s.published) for s in digest.stories] == [
        (BAKERY[0], None),
        (BRIDGE_A[0], since - timedelta(days=3)),
    ]


def _article(n: int, title: str, sources: tuple[str, ...], hours_ago: float) -> DigestArticle:
    when = datetime(2026, 1, 10, 12, tzinfo=UTC) - timedelta(hours=hours_ago)
    return DigestArticle(n, title, None, None, sources, None, when, "text")


def test_rank_puts_widely_carried_stories_first_then_the_newest() -> None:
    lone_new = [_article(1, "a", ("X",), 0)]
    lone_old = [_article(2, "b", ("X",), 5)]
    wide = [_article(3, "c", ("X",), 9), _article(4, "c", ("Y",), 8)]

    ranked = rank_stories([lone_old, lone_new, wide])

    assert [g[0].id for g in ranked] == [3, 1, 2]


def test_grouping_by_headline_words_without_an_embedder() -> None:
    items = [
        _article(1, "Rail strike halts Northline trains", ("X",), 3),
        _article(2, "Northline rail strike halts trains", ("Y",), 2),
        _article(3, "Coral reef shows recovery", ("Y",), 1),
    ]

    groups = group_stories(items)

    assert [[a.id for a in g] for g in groups] == [[1, 2], [3]]


def test_grouping_many_distinct_articles_keeps_them_apart() -> None:
    count = 200
    items = [_article(i, f"Story number {i} about topic{i}", ("X",), i) for i in range(count)]

    groups = group_stories(items)

    assert len(groups) == count


def test_a_full_window_of_distinct_articles_is_grouped_by_meaning_in_bounded_time() -> None:
    """A digest reads at most MAX_ARTICLES articles; 1,000 unrelated ones (a channel of busy
    feeds) took 1.4 s of CPU to group when each was compared with each story in turn."""
    count = 1000
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((count, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    twins = vectors.copy()  # each article once more, from a second feed: one story each
    items = [_article(i, f"Story {i}", ("X",), i) for i in range(count)]
    again = [_article(count + i, f"Story {i}", ("Y",), i) for i in range(count // 2)]
    started = time.process_time()
    groups = group_stories(items + again, vectors=np.vstack([vectors, twins[: count // 2]]))
    assert time.process_time() - started < 0.5
    assert len(groups) == count
    assert all(len(g) == 2 and g[0].title == g[1].title for g in groups[: count // 2])


def test_a_digest_counts_the_stories_past_its_limit_and_keeps_pictures_and_languages(
    store: Store,
) -> None:
    Subscriptions(store).follow(HERE, "https://a.example/feed", title="Alpha News")
    feed = "https://a.example/feed"
    bridge = _save(store, feed, "1", BRIDGE_A)
    _save(store, feed, "2", BAKERY)
    store.save_article(
        NewArticle(
            text="Le conseil municipal a voté mardi la réouverture des quais du vieux port.",
            url=f"{feed}/3",
            title="Le port rouvre ses quais",
            feed_url=feed,
            entry_id="3",
            summary="Le conseil municipal a voté mardi la réouverture des quais.",
            image="https://img.a.example/port.jpg",
            language="fr",
        )
    )
    since, until = last_day()

    digest = build_digest(store, HERE, since, until, max_stories=2)

    assert len(digest.stories) == 2 and digest.more == 1
    whole = build_digest(store, HERE, since, until)
    assert whole.more == 0
    port = next(s for s in whole.stories if s.title.startswith("Le port"))
    assert (port.image, port.language) == ("https://img.a.example/port.jpg", "fr")
    other = next(s for s in whole.stories if s.article_ids == (bridge,))
    assert (other.image, other.language) == (None, None)


def test_sections_group_headlines_by_the_topic_words_they_share() -> None:
    titles = [
        "Rail strike stops trains in the north",
        "Bakery wins rye prize",
        "Rail strike talks collapse",
        "Harbour gates open",
        "Flood barrier tested at the harbour",
        "Museum returns carved stone",
    ]
    found = sections(titles)
    assert [(s.heading, s.stories) for s in found] == [
        ("Rail strike", (0, 2)),
        ("Harbour", (3, 4)),
        ("Also today", (1, 5)),
    ]


def test_a_word_most_headlines_share_is_no_topic_and_nothing_shared_makes_one_section() -> None:
    titles = [f"Westmere {topic}" for topic in ("bakery prize", "bridge vote", "ferry returns")]
    assert [(s.heading, s.stories) for s in sections(titles)] == [("Also today", (0, 1, 2))]
    assert sections([]) == []
    assert [s.heading for s in sections(["Bridge vote", "Rye prize"])] == ["Also today"]


def _said(i: int, text: str, speaker: str | None = "Ada Brennan", **kw: bool) -> StoredQuote:
    ref = ArticleRef(1, "Marlow votes", None, None, datetime(2031, 5, 1, tzinfo=UTC))
    return StoredQuote(i, Quote(text, ((0, len(text)),), speaker, **kw), ref)


def test_key_quote_is_the_named_speakers_direct_words_most_central_to_the_story() -> None:
    about = "Marlow votes for a bridge. The council approved a new bridge across the river."
    quotes = [
        _said(1, "It was a long evening and I am glad to be going home now."),
        _said(2, "The bridge across the river is a turning point for Marlow.", speaker=None),
        _said(3, "This bridge will change how Marlow crosses the river.", indirect=True),
        _said(4, "This bridge is what Marlow has needed for a decade."),
        _said(5, "The vote on the bridge passed", in_title=True),
    ]
    assert key_quote(quotes, about) is quotes[3]
    assert key_quote(quotes) is quotes[0]  # nothing to compare with: the first direct quote
    assert key_quote(quotes[1:2], about) is None  # nobody named


def test_a_fragment_quoted_inside_the_reporters_sentence_yields_to_whole_words() -> None:
    about = "Marlow votes for a bridge across the river after a decade of debate."
    fragment = _said(1, "a bridge for the whole river")  # `called it "a bridge for …"`
    whole = _said(2, "We argued for a decade, and now the bridge is ours to build.")
    assert key_quote([fragment, whole], about) is whole
    # A fragment is still chosen when nothing whole is as central.
    aside = _said(3, "It was a long evening and I am glad to be going home now.")
    assert key_quote([fragment, aside], about) is fragment


def test_a_storys_key_quote_is_central_to_its_title_or_its_summary() -> None:
    quotes = [
        _said(1, "The ferry timetable changes on Monday for the winter."),
        _said(2, "This bridge is what Marlow has needed for a decade."),
    ]
    assert story_key_quote(quotes, "Marlow bridge approved", None) is quotes[1]
    assert story_key_quote(quotes, None, "The winter ferry timetable changes.") is quotes[0]
    assert story_key_quote(quotes, None, None) is quotes[0]
