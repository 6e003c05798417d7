from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.replies import digest_reply
from summaries.answers.digest import Digest, DigestStory, build_digest
from summaries.answers.subscriptions import Channel, Subscriptions
from summaries.store import NewArticle, Store
from summaries.types import Quote

HERE = Channel("slack", "T1", "C1")
NOON = datetime(2026, 1, 5, 12, tzinfo=UTC)


def _story(title: str, sources: tuple[str, ...], ids: tuple[int, ...]) -> DigestStory:
    return DigestStory(
        title=title,
        url=f"https://a.example/{ids[0]}",
        sources=sources,
        published=NOON,
        summary=f"{title}.",
        article_ids=ids,
    )


def _digest(*stories: DigestStory, articles: int = 0, feeds: int = 1) -> Digest:
    return Digest(HERE, NOON - timedelta(days=1), NOON, stories, (), articles, feeds)


def test_a_digest_reply_names_the_day_and_counts_the_articles_it_leaves_out() -> None:
    digest = _digest(
        _story("Bridge approved", ("Alpha", "Beta"), (1, 2)),
        _story("Bakery wins prize", ("Alpha",), (3,)),
        articles=5,
    )

    reply = digest_reply(digest, "2026-01-05")

    assert reply.kind == "digest"
    assert reply.text == "Your briefing for Monday 5 January 2026: 2 stories."
    assert reply.footer == "2 more articles in this period."
    first, second = reply.stories
    assert (first.title, first.source) == ("Bridge approved", "Alpha")
    assert first.other_sources == ("Beta",)
    assert (second.source, second.other_sources, second.quote) == ("Alpha", (), None)


def test_a_digest_reply_of_one_story_has_no_footer_when_nothing_is_left_out() -> None:
    reply = digest_reply(_digest(_story("Bridge approved", ("Alpha",), (1,)), articles=1))

    assert reply.text == "Your briefing: 1 story."
    assert reply.footer is None


def test_a_digest_reply_shows_a_day_that_is_not_a_date_as_given() -> None:
    reply = digest_reply(_digest(), "tomorrow")

    assert reply.text == "Your briefing for tomorrow: no new stories today."
    assert reply.stories == ()


def test_a_digest_reply_for_a_channel_without_feeds_says_how_to_follow_one() -> None:
    reply = digest_reply(_digest(feeds=0))

    assert reply.text.startswith("Your briefing: this channel follows no feeds yet.")
    assert "/brief follow" in reply.text


def test_a_digest_reply_ends_with_who_said_what() -> None:
    said = Quote(
        text="This bridge will change how the whole city moves",
        spans=((0, 10),),
        speaker="Ann Reed",
        speaker_title="Mayor",
        cue="said",
    )
    with Store("sqlite://") as store:
        Subscriptions(store).follow(HERE, "https://a.example/feed", title="Alpha")
        store.save_article(
            NewArticle(
                text="The council voted to build a bridge. " * 3,
                url="https://a.example/feed/1",
                title="Bridge approved",
                feed_url="https://a.example/feed",
                entry_id="1",
                summary="The council voted to build a bridge.",
                quotes=(said,),
            )
        )
        now = datetime.now(UTC)
        digest = build_digest(store, HERE, now - timedelta(days=1), now + timedelta(seconds=5))

    reply = digest_reply(digest)

    assert reply.text == "Your briefing: 1 story, then who said what."
    assert [(q.speaker, q.text, q.article.site) for q in reply.quotes] == [
        ("Ann Reed", said.text, None)
    ]
    assert reply.stories[0].quote is not None and reply.stories[0].quote.speaker == "Ann Reed"
