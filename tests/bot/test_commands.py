"""The platform-neutral command layer, over a real store, pipeline and quote engine."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.commands import COMMANDS, Caller, Commands
from bot.replies import Reply
from summaries.ingest.fetch import Fetcher
from summaries.ingest.pipeline import Pipeline
from summaries.store import NewArticle, Store
from summaries.understand.embed import Embedder
from summaries.understand.quotes import QuoteExtractor
from summaries.understand.summarize import LeadSummarizer
from tests.foreign import ENGLISH, FRENCH, FRENCH_OPENING, GERMAN
from tests.loopback import Route, Site, serve
from tests.samples import MARKETS, MARKETS_URL, SEED, SEED_URL, reach_everything

MANAGER = Caller("slack", "T1", "C1", "U1", can_manage=True)
MEMBER = Caller("slack", "T1", "C1", "U2", can_manage=False)
ELSEWHERE = Caller("slack", "T2", "C1", "U3", can_manage=True)

ARTICLE = (
    "<html><head><title>Harbour gates approved</title></head><body><article>"
    "<h1>Harbour gates approved</h1>"
    "<p>The town council of Westmere approved new harbour gates on Tuesday after a long debate "
    "about cost and the risk of winter storms flooding the old quay.</p>"
    "<p>The gates will cost 12 million and take three years to build, the council said.</p>"
    "<p>\u201cWe waited ten years for this,\u201d Mayor Ann Reed told the council.</p>"
    "</article></body></html>"
).encode()


def rss(site: Site) -> bytes:
    return (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Westmere Gazette</title>"
        f"<link>{site.base}/</link><description>d</description>"
        f"<item><title>Harbour gates approved</title><link>{site.url('/harbour')}</link>"
        "<guid>h1</guid><pubDate>Tue, 03 Nov 2026 09:00:00 GMT</pubDate></item>"
        "</channel></rss>"
    ).encode()


class Bot:
    """A Commands over a database (a SQLite file such as `seeded_db`, or a URL); run() drives it."""

    def __init__(
        self,
        db: Path | str,
        quote_finder: QuoteExtractor,
        *,
        allow_private: bool = True,
        embedder: Embedder | None = None,
        fetch_timeout: float = 5,
    ) -> None:
        self.store = Store(db if isinstance(db, str) else f"sqlite:///{db}")
        self.loop = asyncio.new_event_loop()
        self.fetcher = Fetcher(allow_private=allow_private, timeout=fetch_timeout)
        self.pipeline = Pipeline(
            self.store, LeadSummarizer(), self.fetcher, quote_finder=quote_finder, embedder=embedder
        )
        self.commands = Commands(self.store, self.pipeline, embedder=embedder)

    def run(self, caller: Caller, line: str) -> Reply:
        return self.loop.run_until_complete(self.commands.run(caller, line))

    def mention(self, caller: Caller, text: str) -> Reply:
        return self.loop.run_until_complete(self.commands.mention(caller, text))

    def settle(self) -> None:
        """Let background work (a new feed's first ingest) finish."""
        pending = [t for t in asyncio.all_tasks(self.loop) if not t.done()]
        if pending:
            self.loop.run_until_complete(asyncio.wait(pending, timeout=20))

    def close(self) -> None:
        self.settle()
        self.loop.run_until_complete(self.fetcher.aclose())
        self.pipeline.close()
        self.loop.close()
        self.store.close()


@pytest.fixture
def bot(seeded_db: Path, quote_extractor: QuoteExtractor) -> Iterator[Bot]:
    b = Bot(seeded_db, quote_extractor)
    reach_everything(b.store, MANAGER.where.tenant)  # the seed is workspace T1's news
    yield b
    b.close()


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as s:
        s.routes["/harbour"] = Route(ARTICLE)
        s.routes["/feed.xml"] = Route(rss(s), content_type="application/rss+xml")
        s.routes["/home"] = Route(
            b"<html><head><link rel='alternate' type='application/rss+xml' href='/feed.xml'>"
            b"</head><body>Home</body></html>"
        )
        yield s


def test_whosaid_answers_blinken_with_the_exact_quote_and_link(bot: Bot) -> None:
    reply = bot.run(MEMBER, "whosaid no military solution")
    assert reply.kind == "quotes"
    first = reply.quotes[0]
    assert first.speaker == "Antony Blinken"
    assert "There is no military solution to the differences" in first.text
    words = " ".join(first.text.replace("…", " ").split())
    assert words in " ".join(SEED.read_text(encoding="utf-8").split())  # exact, not paraphrased
    assert first.article.url == SEED_URL


def test_quotes_and_whosaid_without_a_quote_answer_with_passages_said_to_be_such(
    bot: Bot,
) -> None:
    ingest = bot.pipeline.ingest_text(MARKETS, url=MARKETS_URL, tenant=MEMBER.tenant)
    assert bot.loop.run_until_complete(ingest).status == "stored"
    asked = {
        "command": bot.run(MEMBER, "quotes the market about the rate cut"),
        "mention": bot.mention(MEMBER, "<@U0BOT> how did the market react to the rate cut?"),
    }
    for how, reply in asked.items():
        assert reply.kind == "quotes", how
        assert reply.text == (
            "I found no direct quote from the market about the rate cut. "
            "These passages mention the market and the rate cut:"
        ), how
        top = reply.quotes[0]
        assert top.article.url == MARKETS_URL and top.speaker is None and top.quote_id is None
        assert top.text.startswith("The stock market rose sharply"), how
    said = bot.run(MEMBER, "whosaid the stock market rose sharply")
    assert said.text.startswith("I found no quote saying that. These passages mention")
    assert said.quotes[0].article.url == MARKETS_URL and said.quotes[0].speaker is None
    # Someone quoted: their quotes, as before.
    ortiz = bot.run(MEMBER, "quotes Lena Ortiz")
    assert (
        ortiz.text == "What Lena Ortiz, Finance Minister, said:"
        and ortiz.quotes[0].speaker == "Lena Ortiz"
    )
    # Another workspace never read the article: no passages from it either.
    elsewhere = bot.run(ELSEWHERE, "quotes the market about the rate cut")
    assert elsewhere.text.startswith("I have no quotes from the market") and not elsewhere.quotes


def test_whosaid_says_plainly_when_nobody_said_it(bot: Bot) -> None:
    reply = bot.run(MEMBER, "whosaid unicorns run the budget office")
    assert reply.quotes == () and reply.text.startswith("I found nothing on that")
    assert reply.kind == "help" and reply.lines  # what can be asked instead


TOLL = (
    "Toll fight goes on\n\n"
    "Mayor Ann Reed likened the new road toll to a \u201ctax on breathing\u201d in a speech "
    "about commuters who drive in from the valley every morning."
)


@pytest.mark.parametrize(
    "phrase",
    [
        "no military solution",
        "commuters who drive in from the valley",  # the reporter's words around a quote
        "unicorns run the budget office",
    ],
)
def test_whosaid_replies_exactly_as_ask_who_said_does(bot: Bot, phrase: str) -> None:
    toll = bot.pipeline.ingest_text(TOLL, url="https://news.example/toll", tenant=MEMBER.tenant)
    bot.loop.run_until_complete(toll)
    reply = bot.run(MEMBER, f"whosaid {phrase}")
    assert reply == bot.run(MEMBER, f"ask who said “{phrase}”?")
    assert bot.mention(MEMBER, f"<@UBOT> who said {phrase}?") == reply


def test_whosaid_shows_the_sentence_when_the_words_are_the_reporters(bot: Bot) -> None:
    toll = bot.pipeline.ingest_text(TOLL, url="https://news.example/toll", tenant=MEMBER.tenant)
    bot.loop.run_until_complete(toll)
    reply = bot.run(MEMBER, "whosaid commuters who drive in from the valley")
    assert reply.text.startswith("No one is quoted saying exactly that")
    (quote,) = reply.quotes
    assert (quote.speaker, quote.text) == ("Ann Reed", "tax on breathing")
    assert quote.context and "commuters who drive in from the valley" in quote.context


def test_mentions_route_to_commands(bot: Bot) -> None:
    reply = bot.mention(MEMBER, "<@UBOT> what did Blinken say about Russia?")
    (quote,) = reply.quotes
    assert quote.text.startswith("Whether Russia tries")
    small_talk = bot.mention(MEMBER, "<@UBOT> how are you")
    assert small_talk.kind == "help" and "found nothing" in small_talk.text
    assert small_talk.quotes == () and small_talk.lines


@pytest.mark.parametrize(
    ("wrapped", "plain"),
    [
        (
            "<@UBOT> hey, can you tell me who said there is no military solution? thanks",
            "whosaid there is no military solution",
        ),
        ("<@UBOT> do you know what Blinken said abt Russia, thx", "quotes Blinken about Russia"),
        ("<@UBOT> what was Blinken's take on Russia?", "quotes Blinken about Russia"),
    ],
)
def test_questions_wrapped_in_requests_and_courtesy_get_the_plain_answer(
    bot: Bot, wrapped: str, plain: str
) -> None:
    reply = bot.mention(MEMBER, wrapped)
    assert reply.quotes and reply == bot.run(MEMBER, plain)


def test_a_link_in_slack_markup_with_courtesy_is_summarised(bot: Bot, site: Site) -> None:
    reply = bot.mention(MEMBER, f"<@UBOT> could you summarize <{site.url('/harbour')}|this> pls")
    (story,) = reply.stories
    assert story.title == "Harbour gates approved"


@pytest.mark.parametrize(
    "line", ["frobnicate", "", "whosaid " + "x" * 10_000, "whosaid ???", "quotes", "summarize nope"]
)
def test_bad_input_gets_a_clear_harmless_reply(bot: Bot, line: str) -> None:
    reply = bot.run(MEMBER, line)
    assert reply.text
    assert "Traceback" not in reply.text


@pytest.mark.parametrize(
    "line",
    ["whosaid no military \ud800solution", "quotes Blinken about \udfff", "filter add x\ud83d"],
)
def test_a_lone_surrogate_gets_a_clear_reply_not_an_internal_error(bot: Bot, line: str) -> None:
    for reply in (bot.run(MANAGER, line), bot.mention(MANAGER, line)):
        assert reply.kind == "error" and "broken character" in reply.text
    assert bot.run(MEMBER, "filters").text.startswith("No filters")


def test_summarize_refuses_private_addresses(
    seeded_db: Path, quote_extractor: QuoteExtractor, site: Site
) -> None:
    b = Bot(seeded_db, quote_extractor, allow_private=False)
    try:
        reply = b.run(MEMBER, f"summarize {site.url('/harbour')}")
        assert reply.kind == "error" and "refused" in reply.text.lower()
        assert site.hits.get("/harbour") is None
    finally:
        b.close()


def test_summarize_shows_the_article_and_its_quotes(bot: Bot, site: Site) -> None:
    reply = bot.run(MEMBER, f"summarize {site.url('/harbour')}")
    (story,) = reply.stories
    assert story.title == "Harbour gates approved"
    assert story.summary and story.summary.startswith("The town council of Westmere")
    assert [q.speaker for q in reply.quotes] == ["Ann Reed"]
    again = bot.run(MEMBER, f"summarize {site.url('/harbour')}")
    assert again.stories[0].title == "Harbour gates approved"
    assert site.hits["/harbour"] == 1  # the stored article is reused


def test_follow_needs_manage_rights_and_is_per_workspace(bot: Bot, site: Site) -> None:
    refused = bot.run(MEMBER, f"follow {site.url('/feed.xml')}")
    assert refused.kind == "error" and "manage" in refused.text
    done = bot.run(MANAGER, f"follow {site.url('/home')}")  # a site page: its feed is found
    assert "Following Westmere Gazette" in done.text
    assert bot.run(MANAGER, f"follow {site.url('/feed.xml')}").text.startswith(
        "This channel already"
    )
    bot.settle()
    sources = bot.run(MEMBER, "sources")
    assert sources.kind == "sources" and "Westmere Gazette" in sources.lines[0]
    assert "ok, last read" in sources.lines[0]
    assert "follows no feeds" in bot.run(ELSEWHERE, "sources").text
    today = bot.run(MEMBER, "today")
    assert [s.title for s in today.stories] == ["Harbour gates approved"]
    assert "follows no feeds" in bot.run(ELSEWHERE, "today").text
    assert bot.run(MANAGER, f"unfollow {site.url('/feed.xml')}").text == "Unfollowed."


def test_commands_taking_a_link_read_chat_link_markup(bot: Bot, site: Site) -> None:
    feed = site.url("/feed.xml")
    done = bot.run(MANAGER, f"follow <{feed}|the Westmere feed>")  # as Slack sends a labelled link
    assert "Following Westmere Gazette" in done.text and done.lines == (feed,)
    assert bot.run(MANAGER, f"follow <{feed}>").text.startswith("This channel already follows")
    assert bot.run(MANAGER, f"unfollow <{feed}|the Westmere feed>").text == "Unfollowed."
    summary = bot.run(MEMBER, f"summarize <{site.url('/harbour')}|Harbour story>.")
    assert [s.title for s in summary.stories] == ["Harbour gates approved"]
    # A mention starting with the command word gets the same reading.
    mentioned = bot.mention(MANAGER, f"<@U0BOT> follow <{feed}|feed>")
    assert "Following Westmere Gazette" in mentioned.text and mentioned.lines == (feed,)
    bot.settle()
    assert bot.run(MANAGER, "follow <not a link|label>").kind == "error"


def test_follow_past_the_channels_limit_is_refused_with_the_limit_before_any_fetch(
    bot: Bot, site: Site
) -> None:
    site.routes["/other.xml"] = Route(rss(site), content_type="application/rss+xml")
    limited = Commands(bot.store, bot.pipeline, max_feeds=1)
    run = bot.loop.run_until_complete
    assert "Following" in run(limited.run(MANAGER, f"follow {site.url('/feed.xml')}")).text
    refused = run(limited.run(MANAGER, f"follow {site.url('/other.xml')}"))
    assert refused.kind == "error" and "limit 1" in refused.text
    assert site.hits.get("/other.xml") is None
    again = run(limited.run(MANAGER, f"follow {site.url('/feed.xml')}"))
    assert again.text.startswith("This channel already follows")


def test_follow_of_something_that_is_not_a_feed_says_why(bot: Bot, site: Site) -> None:
    reply = bot.run(MANAGER, f"follow {site.url('/harbour')}")
    assert reply.kind == "error" and "no feed" in reply.text
    assert "404" in bot.run(MANAGER, f"follow {site.url('/missing')}").text


def test_follow_of_a_page_linking_to_slow_feeds_answers_in_about_one_fetch_timeout(
    seeded_db: Path, quote_extractor: QuoteExtractor, site: Site
) -> None:
    """The feeds a page links to are fetched together, not one timeout after another; the
    first one the page lists that reads as a feed is followed."""
    hold = threading.Event()
    links = "".join(
        f"<link rel='alternate' type='application/rss+xml' href='/slow{n}.xml'>" for n in range(3)
    )
    for n in range(3):
        site.routes[f"/slow{n}.xml"] = Route(
            rss(site), content_type="application/rss+xml", hold=hold
        )
    site.routes["/slow-home"] = Route(
        f"<html><head>{links}</head><body>Home</body></html>".encode()
    )
    site.routes["/mixed-home"] = Route(
        b"<html><head><link rel='alternate' type='application/rss+xml' href='/slow0.xml'>"
        b"<link rel='alternate' type='application/rss+xml' href='/feed.xml'></head></html>"
    )
    bot = Bot(seeded_db, quote_extractor, fetch_timeout=1.0)
    try:
        started = time.monotonic()
        reply = bot.run(MANAGER, f"follow {site.url('/slow-home')}")
        took = time.monotonic() - started
        assert reply.kind == "error" and "timed out after 1 s" in reply.text
        assert took < 2.0  # one fetch timeout for the three, not three in a row
        assert all(site.hits.get(f"/slow{n}.xml") == 1 for n in range(3))
        # the first listed is slow, the second answers: it is followed, within one timeout
        started = time.monotonic()
        reply = bot.run(MANAGER, f"follow {site.url('/mixed-home')}")
        assert reply.text.startswith("Following Westmere Gazette"), reply.text
        assert reply.lines == (site.url("/feed.xml"),)
        assert time.monotonic() - started < 2.0
    finally:
        hold.set()
        bot.close()


def test_filters_shape_today(bot: Bot, site: Site) -> None:
    bot.run(MANAGER, f"follow {site.url('/feed.xml')}")
    bot.settle()
    assert bot.run(MANAGER, "filter add -harbour").text.startswith("Muting")
    assert bot.run(MEMBER, "filters").lines == ("mute: harbour",)
    assert bot.run(MEMBER, "today").stories == ()
    assert bot.run(MEMBER, "filter add x").kind == "error"  # members can't
    assert bot.run(MANAGER, "filter add /(/").kind == "error"
    assert bot.run(MANAGER, "filter remove -harbour").text.startswith("Removed")
    assert len(bot.run(MEMBER, "today").stories) == 1


def test_catastrophic_regex_filters_leave_today_answering_within_a_second(bot: Bot) -> None:
    feed = "https://news.example/feed.xml"
    bot.commands.subscriptions.follow(MANAGER.where, feed)
    for n in range(5):  # texts that make a backtracking engine take seconds each
        bot.store.save_article(
            NewArticle(text="a" * 22 + "!", title=f"Harbour {n}.", feed_url=feed, entry_id=str(n))
        )
    assert bot.run(MANAGER, "filter add /(a+)+$/").text.startswith("Keeping only")
    assert bot.run(MANAGER, "filter add /(\\w+\\s?)*$/").text.startswith("Keeping only")
    start = time.monotonic()
    reply = bot.run(MEMBER, "today")
    assert time.monotonic() - start < 1.0
    assert len(reply.stories) == 5


def test_filters_re2_cannot_run_are_refused_with_the_reason(bot: Bot) -> None:
    reply = bot.run(MANAGER, "filter add /(?=harbour)h/")
    assert reply.kind == "error" and "no lookaround" in reply.text
    assert bot.run(MEMBER, "filters").text.startswith("No filters")


def test_schedule_is_stored_and_shown(bot: Bot) -> None:
    assert "No daily digest" in bot.run(MEMBER, "schedule").text
    set_reply = bot.run(MANAGER, "schedule 08:00 Europe/Paris mon-fri")
    assert set_reply.text == "Daily digest set: 08:00 Europe/Paris, Monday to Friday."
    assert bot.run(MEMBER, "schedule").text == "Daily digest: 08:00 Europe/Paris, Monday to Friday."
    assert bot.run(MEMBER, "schedule off").kind == "error"
    assert "unknown timezone" in bot.run(MANAGER, "schedule 08:00 Mars/Base").text
    assert bot.run(MANAGER, "schedule off").text == "Daily digest turned off."


@pytest.mark.parametrize(
    ("words", "shown"),
    [
        ("09:00 GMT", "09:00 GMT"),  # was "unknown weekday 'gmt'"
        ("09:00 cet mon-fri", "09:00 CET, Monday to Friday"),
        ("09:00 europe/paris", "09:00 Europe/Paris"),  # was "unknown timezone"
        ("9am america/new_york sat,sun", "09:00 America/New_York, Sat, Sun"),
        ("09:00 utc", "09:00 UTC"),
    ],
)
def test_schedule_reads_any_time_zone_name_in_any_case(bot: Bot, words: str, shown: str) -> None:
    reply = bot.run(MANAGER, f"schedule {words}")
    assert reply.text.startswith(f"Daily digest set: {shown}"), reply.text
    for bad in ("09:00 Mars/Base", "09:00 Europe/../UTC", "09:00 a/" + "b" * 400):
        assert "unknown timezone" in bot.run(MANAGER, f"schedule {bad}").text


def test_help_lists_every_command(bot: Bot) -> None:
    reply = bot.run(MEMBER, "help")
    assert len(reply.lines) == len(COMMANDS)
    assert any(line.startswith("whosaid <phrase>") for line in reply.lines)


# -- pictures and languages ----------------------------------------------------------------------


def _page(text: str, image: str = "") -> bytes:
    title, *paragraphs = text.split("\n\n")
    meta = f"<meta property='og:image' content='{image}'>" if image else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title>{meta}</head><body>"
        f"<article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


def test_summarize_shows_the_picture_of_an_article_that_has_one(bot: Bot, site: Site) -> None:
    site.routes["/quays"] = Route(_page(ENGLISH, "https://img.news.example/quays.jpg"))
    reply = bot.run(MEMBER, f"summarize {site.url('/quays')}")
    (story,) = reply.stories
    assert story.image == "https://img.news.example/quays.jpg"
    assert story.note is None and [q.speaker for q in reply.quotes] == ["Ann Reed"]


def test_a_french_article_is_summarised_by_its_opening_marked_so_without_quotes(
    bot: Bot, site: Site
) -> None:
    site.routes["/port"] = Route(_page(FRENCH))
    reply = bot.run(MEMBER, f"summarize {site.url('/port')}")
    (story,) = reply.stories
    assert story.note == "French — summary is the article's opening"
    assert story.summary is not None and story.summary.startswith(FRENCH_OPENING)
    assert story.quote is None and reply.quotes == ()  # "The harbour is ours again" unattributed
    assert story.image is None


def test_ask_and_whosaid_say_when_the_library_holds_articles_they_cannot_read(
    bot: Bot, site: Site
) -> None:
    assert bot.run(MEMBER, "whosaid no military solution").footer is None
    site.routes["/port"] = Route(_page(FRENCH))
    site.routes["/faehre"] = Route(_page(GERMAN))
    for path in ("/port", "/faehre"):
        bot.run(MEMBER, f"summarize {site.url(path)}")
    note = (
        "I read English only: 2 stored articles are in French and German, "
        "which I can't search or quote."
    )
    found = bot.run(MEMBER, "whosaid no military solution")
    assert found.quotes and found.footer == note
    assert bot.run(MEMBER, "whosaid the harbour is ours again").footer == note
    assert bot.run(MEMBER, "ask what did Blinken say about Russia?").footer == note
    assert bot.run(ELSEWHERE, "whosaid no military solution").footer is None  # not in its library


def test_a_nul_in_a_command_is_dropped_on_every_backend(store_url: str) -> None:
    """PostgreSQL can't hold a NUL in text: 'filter add', 'filter remove', 'unfollow' and
    'schedule' with one answered 'Something went wrong' there (DataError) and not on SQLite."""
    bot = Bot(store_url, None)  # type: ignore[arg-type]  # these commands find no quotes
    try:
        first = bot.run(MANAGER, "filter add budget\x00cuts")
        again = bot.run(MANAGER, "filter add budget\x00cuts")
        listed = bot.run(MANAGER, "filters")
        gone = bot.run(MANAGER, "unfollow https://a.example/\x00feed")
        schedule = bot.run(MANAGER, "schedule 09:00 Europe/Lon\x00don")
        removed = bot.run(MANAGER, "filter remove budget\x00cuts")
        replies = [first, again, listed, gone, schedule, removed]
        assert not any("went wrong" in r.text for r in replies), [r.text for r in replies]
        assert listed.lines == ("keep: budgetcuts",) and "already" in again.text.lower()
        assert "Europe/London" in schedule.text
        assert not bot.store.channel_filters(MANAGER.where)
    finally:
        bot.close()


def test_a_channel_id_longer_than_the_store_keeps_is_refused_by_name_on_every_backend(
    store_url: str,
) -> None:
    """PostgreSQL refused such a row (value too long for varchar(128)): an internal error there,
    while SQLite stored it."""
    bot = Bot(store_url, None)  # type: ignore[arg-type]
    caller = Caller("slack", "T1", "C" + "x" * 5000, "U" + "u" * 5000, can_manage=True)
    try:
        for line in ("schedule 09:00 UTC", "filter add include budget"):
            reply = bot.run(caller, line)
            assert "channel id of 5,001 characters is too long" in reply.text, reply.text
        assert bot.store.schedules() == []
    finally:
        bot.close()


def test_hints_name_commands_as_each_surface_takes_them(bot: Bot) -> None:
    # In chat after the slash command; in the terminal console, bare.
    assert bot.run(MEMBER, "quotes").text == "Whose quotes? `/brief quotes Blinken about Russia`"
    console = Caller("console", "local", "console", "you", can_manage=True)
    assert bot.run(console, "quotes").text == "Whose quotes? `quotes Blinken about Russia`"
    assert bot.run(console, "frobnicate").text.endswith("Try `help`.")
