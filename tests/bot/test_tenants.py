"""A library per tenant, through the chat commands: two workspaces, each following its own feed,
one story in both feeds, one link pasted in one workspace. Every read command (ask, whosaid,
quotes, today, digest, summarize) is checked on SQLite and PostgreSQL: a workspace never sees
the other's articles, a story both get is stored once and seen by both, and a shared library
(NEWSBRIEF_SHARED_LIBRARY) shows everything to everyone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.commands import Caller, Commands
from bot.digests import Digests
from bot.replies import Reply
from summaries.understand.embed import MiniLMEmbedder
from summaries.understand.quotes import QuoteExtractor
from tests.bot.test_commands import Bot as CommandsBot
from tests.loopback import Route, Site, serve

A = Caller("slack", "TA", "CA", "UA", can_manage=True)
B = Caller("slack", "TB", "CB", "UB", can_manage=True)
# The same workspace id on another platform is another tenant.
C = Caller("discord", "TA", "CC", "UC", can_manage=True)


def page(title: str, *paragraphs: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}"
        "</article></body></html>"
    ).encode()


PAGES = {
    # only in workspace A's feed
    "/harbour": page(
        "Harbour gates approved",
        "The town council of Westmere approved new harbour gates on Tuesday after a long debate "
        "about cost and the risk of winter storms flooding the old quay.",
        "The gates will cost twelve million and take three years to build, the council said.",
        "\u201cWe waited ten years for these gates,\u201d Mayor Ann Reed told the council.",
    ),
    # only in workspace B's feed
    "/rail": page(
        "Rail strike called off",
        "Train drivers on the Northline network called off their strike late on Sunday after "
        "the operator agreed to a new rota and a pay rise for night shifts.",
        "Services are expected to run normally across the region from the start of the week.",
        "\u201cThe drivers will be back in their cabs on Monday,\u201d union leader Piet Vos said.",
    ),
    # in both feeds: one story, stored once
    "/glacier": page(
        "Glacier lake drained",
        "Engineers in the Sarn valley finished draining the glacier lake above the village of "
        "Orta on Friday, ending months of worry about a sudden flood.",
        "The pumps moved more water than the lake held in spring, the engineers said.",
        "\u201cThe valley is safe for this winter,\u201d chief engineer Mara Lind said.",
    ),
    # pasted in workspace A, in no feed
    "/library": page(
        "Library roof repaired",
        "Builders finished the new copper roof of the Westmere town library on Thursday, two "
        "years after a storm tore the old slates away during the night.",
        "The library lent books from a tent in the park while the roof was being replaced.",
        "\u201cThe reading room reopens in March,\u201d head librarian Tomas Berg said.",
    ),
}


def rss(site: Site, name: str, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>{path}</title><link>{site.url(path)}</link><guid>{name}{path}</guid></item>"
        for path in paths
    )
    return (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>{name}</title>"
        f"<link>{site.base}/</link><description>d</description>{items}</channel></rss>"
    ).encode()


class Bot(CommandsBot):
    """Commands over a real store, pipeline, quote extractor and embedder, and the same with a
    shared library; run() drives them."""

    def __init__(
        self, url: str, quote_finder: QuoteExtractor, embedder: MiniLMEmbedder, site: Site
    ) -> None:
        super().__init__(url, quote_finder, embedder=embedder)
        self.site = site
        self.shared = Commands(self.store, self.pipeline, embedder=embedder, shared_library=True)

    def run(self, caller: Caller, line: str, *, shared: bool = False) -> Reply:
        commands = self.shared if shared else self.commands
        reply = self.loop.run_until_complete(commands.run(caller, line))
        self.settle()
        return reply


@pytest.fixture
def bot(
    shared_store_url: str, quote_extractor: QuoteExtractor, embedder: MiniLMEmbedder
) -> Iterator[Bot]:
    """Workspace A follows feed A (harbour, glacier) and pasted the library link; workspace B
    follows feed B (rail, glacier)."""
    with serve() as site:
        for path, body in PAGES.items():
            site.routes[path] = Route(body)
        for name, paths in (("a", ["/harbour", "/glacier"]), ("b", ["/rail", "/glacier"])):
            site.routes[f"/{name}.xml"] = Route(
                rss(site, f"Feed {name.upper()}", paths),
                content_type="application/rss+xml",
                headers={"ETag": f'"{name}1"'},
            )
        b = Bot(shared_store_url, quote_extractor, embedder, site)
        try:
            assert "Following" in b.run(A, f"follow {site.url('/a.xml')}").text
            assert "Following" in b.run(B, f"follow {site.url('/b.xml')}").text
            assert b.run(A, f"summarize {site.url('/library')}").kind == "stories"
            assert b.store.count_articles() == 4  # the glacier story once
            yield b
        finally:
            b.close()


def cited_titles(reply: Reply) -> set[str | None]:
    return {c.article.title for c in reply.quotes} | {s.title for s in reply.stories}


ASKED = {
    # a question per story, by kind: passages, who said, quotes by person
    "Harbour gates approved": (
        "ask what happened with the harbour gates?",
        "whosaid waited ten years for these gates",
        "quotes Ann Reed",
    ),
    "Rail strike called off": (
        "ask what happened with the Northline rail strike?",
        "whosaid back in their cabs on Monday",
        "quotes Piet Vos",
    ),
    "Glacier lake drained": (
        "ask what happened with the glacier lake in the Sarn valley?",
        "whosaid the valley is safe for this winter",
        "quotes Mara Lind",
    ),
    "Library roof repaired": (
        "ask what happened with the library roof?",
        "whosaid the reading room reopens in March",
        "quotes Tomas Berg",
    ),
}


def sees(bot: Bot, caller: Caller, *, shared: bool = False) -> dict[str, set[str | None]]:
    """For each read command, the stories it cited to the caller, over every story's question."""
    found: dict[str, set[str | None]] = {"ask": set(), "whosaid": set(), "quotes": set()}
    for lines in ASKED.values():
        for line in lines:
            found[line.split()[0]] |= cited_titles(bot.run(caller, line, shared=shared))
    return found


def test_every_read_command_sees_only_the_callers_library(bot: Bot) -> None:
    mine_a = {"Harbour gates approved", "Glacier lake drained", "Library roof repaired"}
    mine_b = {"Rail strike called off", "Glacier lake drained"}
    assert sees(bot, A) == {"ask": mine_a, "whosaid": mine_a, "quotes": mine_a}
    assert sees(bot, B) == {"ask": mine_b, "whosaid": mine_b, "quotes": mine_b}
    assert sees(bot, C) == {"ask": set(), "whosaid": set(), "quotes": set()}

    assert cited_titles(bot.run(A, "today")) == {"Harbour gates approved", "Glacier lake drained"}
    assert cited_titles(bot.run(B, "today")) == {"Rail strike called off", "Glacier lake drained"}
    digests = Digests(bot.store, {})
    stories = {
        who.platform + who.workspace: {s.title for s in digests.preview(who.where)[0].stories}
        for who in (A, B)
    }
    assert stories == {
        "slackTA": {"Harbour gates approved", "Glacier lake drained"},
        "slackTB": {"Rail strike called off", "Glacier lake drained"},
    }


def test_summarize_of_a_stored_link_reaches_the_caller_without_fetching_it_again(
    bot: Bot,
) -> None:
    library = bot.site.url("/library")
    fetched = bot.site.hits["/library"]
    answerer = bot.commands.answerer
    assert answerer.within(B.tenant).answer(f"summarize {library}").found is False
    assert answerer.within(A.tenant).answer(f"summarize {library}").found is True
    assert not cited_titles(bot.run(B, "ask what happened with the library roof?"))

    # A pasted it; B pastes it now (or asks for it) and gets the stored article.
    for caller, line in ((A, "summarize"), (B, "summarize"), (B, "ask summarize")):
        reply = bot.run(caller, f"{line} {library}")
        assert cited_titles(reply) == {"Library roof repaired"}
    assert bot.site.hits["/library"] == fetched and bot.store.count_articles() == 4
    assert answerer.within(B.tenant).answer(f"summarize {library}").found is True
    assert cited_titles(bot.run(B, "whosaid the reading room reopens in March")) == {
        "Library roof repaired"
    }


def test_a_workspace_that_follows_a_feed_later_gets_the_entries_it_lists_now(bot: Bot) -> None:
    pages = bot.site.hits["/harbour"]
    assert not cited_titles(bot.run(C, "whosaid waited ten years for these gates"))
    bot.run(C, f"follow {bot.site.url('/a.xml')}")  # the feed would answer 304 to a poll
    assert cited_titles(bot.run(C, "whosaid waited ten years for these gates")) == {
        "Harbour gates approved"
    }
    assert cited_titles(bot.run(C, "today")) == {"Harbour gates approved", "Glacier lake drained"}
    assert bot.site.hits["/harbour"] == pages and bot.store.count_articles() == 4
    assert not cited_titles(bot.run(C, "whosaid the reading room reopens in March"))


def test_a_shared_library_shows_every_article_to_every_workspace(bot: Bot) -> None:
    everything = set(ASKED)
    for caller in (A, B, C):
        assert sees(bot, caller, shared=True) == {
            "ask": everything,
            "whosaid": everything,
            "quotes": everything,
        }
