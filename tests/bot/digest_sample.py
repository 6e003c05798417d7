"""A digest of twenty stories (made up for the tests, and for the README's example), some with
pictures, one in French, the lead one with a key quote; and the same stories far too long."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from summaries.answers.digest import Digest, DigestStory
from summaries.answers.subscriptions import Channel
from summaries.store import StoredQuote
from summaries.types import ArticleRef, Quote

HERE = Channel("slack", "T1", "C1")
NOON = datetime(2026, 1, 5, 12, tzinfo=UTC)
LEAD_IMAGE = "https://img.gazette.example/rail-strike.jpg"

HEADLINES = [
    "Rail strike halts northern trains",
    "Rail unions plan a second strike day",
    "Commuters crowd buses as the rail strike bites",
    "Harbour gates open for their first storm test",
    "Harbour fishermen win a delay on the works",
    "Council election turnout falls in the west",
    "Council election count runs into the night",
    "Library reopens after roof repairs",
    "Ferry links the two islands again",
    "Bakery wins national bread prize",
    "Le port de Saint-Aubin rouvre ses quais",
    "Football club sells its old ground",
    "Hospital opens children's ward",
    "Bus fares to rise in spring",
    "Gale warning for the coast on Friday",
    "Schools to close early for the holiday",
    "Museum returns carved stone to island",
    "Farmers markets move indoors for winter",
    "Bridge repairs finish early",
    "Cycle lane plan goes to consultation",
]


def story(i: int, title: str) -> DigestStory:
    french = title.startswith("Le port")
    summary = (
        "Le conseil municipal a voté mardi la réouverture des quais du vieux port."
        if french
        else f"Reporters followed the {title.lower()} story all day. More details came later."
    )
    return DigestStory(
        title=title,
        url=f"https://gazette.example/{i}",
        sources=("Westmere Gazette", "Valley Times") if i == 0 else ("Westmere Gazette",),
        published=NOON - timedelta(minutes=i),
        summary=summary,
        article_ids=(i + 1,),
        quote=LEAD_QUOTE if i == 0 else None,
        image=LEAD_IMAGE if i == 0 else (f"https://img.gazette.example/{i}.jpg" if i % 3 else None),
        language="fr" if french else "en",
    )


LEAD_QUOTE = StoredQuote(
    id=1,
    quote=Quote(
        text="We will not run a single train until the talks resume",
        spans=((0, 10),),
        speaker="Mara Quist",
        speaker_title="union leader",
        cue="said",
    ),
    article=ArticleRef(1, HEADLINES[0], "https://gazette.example/0", "Westmere Gazette", NOON),
)


def twenty_stories(more: int = 8) -> Digest:
    """The digest: 20 stories shown, `more` left out past the limit."""
    stories = tuple(story(i, title) for i, title in enumerate(HEADLINES))
    return Digest(
        HERE, NOON - timedelta(days=1), NOON, stories, (LEAD_QUOTE,), 20 + more, 1, more=more
    )


def twenty_long_stories() -> Digest:
    """`twenty_stories` with every title a hundred words longer and every summary 400 sentences:
    more than one message of any platform holds."""
    digest = twenty_stories()
    long = tuple(
        replace(s, title=s.title + " " + "word " * 100, summary="Long sentence. " * 400)
        for s in digest.stories
    )
    return replace(digest, stories=long)
