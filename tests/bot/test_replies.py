from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.replies import digest_reply
from summaries.answers.digest import HANDFUL, Digest, DigestStory, build_digest
from summaries.answers.subscriptions import Channel, Subscriptions
from summaries.store import NewArticle, Store
from tests.bot.digest_sample import HEADLINES, LEAD_IMAGE, twenty_stories
from tests.samples import BRIDGE_QUOTE, last_day

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
                quotes=(BRIDGE_QUOTE,),
            )
        )
        digest = build_digest(store, HERE, *last_day())

    reply = digest_reply(digest)

    assert reply.text == "Your briefing: 1 story, then who said what."
    assert [(q.speaker, q.text, q.article.site) for q in reply.quotes] == [
        ("Ann Reed", BRIDGE_QUOTE.text, None)
    ]
    assert reply.stories[0].quote is not None and reply.stories[0].quote.speaker == "Ann Reed"


# -- a long digest: the lead story, then sections --------------------------------------------------


def test_a_long_digest_leads_with_one_story_then_groups_the_rest_under_topic_headings() -> None:
    digest = twenty_stories(more=8)

    reply = digest_reply(digest)

    (lead,) = reply.stories
    assert lead.title == HEADLINES[0]
    assert lead.image == LEAD_IMAGE
    assert lead.quote is not None and lead.quote.speaker == "Mara Quist"
    headings = [s.heading for s in reply.sections]
    assert headings == ["Rail strike", "Harbour", "Council election", "Repairs", "Also today"]
    shown = [story.title for part in reply.sections for story in part.stories]
    assert sorted(shown) == sorted(HEADLINES[1:])  # every other story, once
    assert [s.title for s in reply.sections[0].stories] == [HEADLINES[1], HEADLINES[2]]
    assert reply.footer == "8 more stories — `/brief today` to see them."
    french = next(s for part in reply.sections for s in part.stories if s.title.startswith("Le"))
    assert french.note == "French — summary is the article's opening"
    assert all(s.note is None for p in reply.sections for s in p.stories if s is not french)


def test_a_handful_of_stories_is_shown_in_full_without_sections() -> None:
    digest = twenty_stories(more=0)
    five = replace(digest, stories=digest.stories[:HANDFUL], more=0, articles=HANDFUL)

    reply = digest_reply(five)

    assert len(reply.stories) == HANDFUL and reply.sections == ()
    assert reply.footer is None
    assert [s.image for s in reply.stories] == [x.image for x in five.stories]


def test_a_digest_story_without_a_source_cites_its_links_host_or_pasted_text() -> None:
    linked = _story("Ferry fares rise", (), (1,))
    pasted = replace(_story("Notes from the meeting", (), (2,)), url=None)
    reply = digest_reply(_digest(linked, pasted, articles=2))
    assert [s.source for s in reply.stories] == ["a.example", "pasted text"]
