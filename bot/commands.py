"""Platform-neutral commands: (Caller, arguments) -> Reply. Adapters translate both ways.

Each public command's docstring is its help text: first line the summary users see.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Literal

from bot import router
from bot.replies import Reply, StoryItem, counted, headline, language_note, source_of
from summaries.answers import search
from summaries.answers.answer import Answer, Answerer
from summaries.answers.digest import story_key_quote
from summaries.answers.questions import find_url, split_about
from summaries.answers.subscriptions import (
    MAX_FEEDS,
    Channel,
    Mode,
    Schedule,
    Subscriptions,
    check_timezone,
    is_timezone,
    parse_time,
    parse_weekdays,
    passes,
    usable,
)
from summaries.ingest.pipeline import Pipeline, is_url
from summaries.store import Store, StoredArticle, StoredQuote, Tenant
from summaries.types import Citation, NewsbriefError
from summaries.understand import language as languages
from summaries.understand.embed import Embedder

log = logging.getLogger(__name__)

MAX_INPUT = 4000  # characters of one command or mention
MAX_ARGUMENT = 500  # characters of one argument (a phrase, a topic, a URL)
STORIES = 5
QUOTES = 5
CONSOLE = "console"  # the terminal's platform: the operator's, who reads the whole library
SLASH = "/brief"  # how chat platforms take a command: `/brief quotes Blinken`
# A command named in a hint: a code span opening with the slash command.
_SLASH_HINT = re.compile(re.escape("`" + SLASH) + r"\s+")


@dataclass(frozen=True)
class Caller:
    """Who asked, and where: platform, workspace (Slack team, Discord guild), channel, user."""

    platform: str
    workspace: str
    channel: str
    user: str
    can_manage: bool = False  # may change this channel's feeds, filters and schedule

    @property
    def where(self) -> Channel:
        return Channel(self.platform, self.workspace, self.channel)

    @property
    def tenant(self) -> Tenant | None:
        """Whose library the caller reads and adds to: its workspace's (`Channel.tenant`), or
        None on the console, the operator's."""
        return None if self.platform == CONSOLE else self.where.tenant


Handler = Callable[["Commands", Caller, str], Awaitable[Reply]]
Rights = Literal["anyone", "manage", "manage to change"]


class Commands:
    """The commands of `/brief` and of @mentions, over one store and pipeline.

    Each workspace reads only the articles that reached it (its channels' feeds, the links its
    people asked about); `shared_library` lets every caller read every article, on purpose.
    """

    def __init__(
        self,
        store: Store,
        pipeline: Pipeline,
        *,
        embedder: Embedder | None = None,
        answerer: Answerer | None = None,
        max_feeds: int = MAX_FEEDS,
        shared_library: bool = False,
    ):
        self.store = store
        self.pipeline = pipeline
        self.subscriptions = Subscriptions(store, max_feeds=max_feeds)
        self.answerer = answerer or Answerer(store, embedder)
        self.shared_library = shared_library
        self._background: set[asyncio.Task[object]] = set()

    def library(self, caller: Caller) -> Tenant | None:
        """Whose articles the caller reads: its tenant's, or all of them (None)."""
        return None if self.shared_library else caller.tenant

    # -- entry points ------------------------------------------------------------------------------
    async def run(self, caller: Caller, line: str) -> Reply:
        """Run `/brief <line>`: the first word picks the command, the rest is its argument.

        Hints in the reply name commands the way the caller's surface takes them."""
        return as_typed(await self._run(caller, line), caller.platform)

    async def _run(self, caller: Caller, line: str) -> Reply:
        # A NUL is no typed character, and PostgreSQL can't store one: it goes, as the store
        # would drop it, so what a command compares is what it stores.
        line = (line or "").replace("\0", "").strip()
        if not _is_unicode(line):
            return Reply.error(
                "Your message has a broken character in it (half of a UTF-16 pair, which some "
                "clients send when cutting text); please type it again."
            )
        if len(line) > MAX_INPUT:
            return Reply.error(
                f"That is too long ({len(line):,} characters); keep it under {MAX_INPUT:,}."
            )
        name, _, rest = line.partition(" ")
        name = name.lower().lstrip("/")
        if not name:
            return await self.help(caller, "")
        command = find(name)
        if command is None:
            return Reply.error(f"I don't know the command “{name[:40]}”. Try `/brief help`.")
        rest = rest.strip()
        if len(rest) > command.max_argument:
            return Reply.error(
                f"That argument is too long; keep it under {command.max_argument} characters."
            )
        try:
            return await command.handler(self, caller, rest)
        except NewsbriefError as exc:
            return Reply.error(str(exc))
        except Exception:  # a bug must not take the bot down or go unanswered
            log.exception("command %r failed", name)
            return Reply.error("Something went wrong on my side; the error is logged.")

    async def mention(self, caller: Caller, text: str) -> Reply:
        """Answer free text addressed to the bot by routing it to a command."""
        if len(text or "") > MAX_INPUT:
            return Reply.error(f"That is too long; keep it under {MAX_INPUT:,} characters.")
        names = BY_WORD.keys()
        name, argument = router.route(text or "", names, sources=self.answerer.sources)
        return await self.run(caller, f"{name} {argument}".strip())

    # -- news -------------------------------------------------------------------------------------
    async def today(self, caller: Caller, topic: str) -> Reply:
        """today [topic] — the latest stories for this channel, with summaries."""
        articles = self.subscriptions.articles(caller.where, limit=50, tenant=self.library(caller))
        footer = None
        if not self.subscriptions.feeds(caller.where):
            if caller.platform != "console":
                return Reply(
                    text="This channel follows no feeds yet. "
                    "Add one with `/brief follow <feed or site URL>`.",
                    kind="info",
                )
            articles = self.store.latest_articles(50)
            footer = "Showing every stored story: this console follows no feeds."
        filters = self.subscriptions.filters(caller.where)
        picked = [a for a in articles if passes(filters, _story_text(a))]
        if topic:
            scored = [(search.topic_overlap(topic, _story_text(a)), a) for a in picked]
            picked = [a for score, a in sorted(scored, key=lambda p: -p[0]) if score > 0]
        if not picked:
            about = f" about {topic}" if topic else ""
            return Reply(text=f"No stories{about} for this channel right now.", footer=footer)
        stories = tuple(self._story(a) for a in picked[:STORIES])
        about = f" on {topic}" if topic else ""
        return Reply(text=f"Latest stories{about}:", kind="stories", stories=stories, footer=footer)

    async def summarize(self, caller: Caller, url: str) -> Reply:
        """summarize <url> — fetch, summarise and show one article with its quotes."""
        url = _link(url)
        if not is_url(url):
            return Reply.error("Give me a link to summarise: `/brief summarize https://…`")
        outcome = await self.pipeline.ingest_article(url, tenant=caller.tenant)
        if outcome.status == "failed" or outcome.article_id is None:
            return Reply.error(f"I couldn't summarise that: {outcome.reason}")
        article = self.store.get_article(outcome.article_id)
        if article is None:  # deleted meanwhile
            return Reply.error("I couldn't find that article any more.")
        quotes = self.store.quotes_for_article(article.id)
        story = self._story(article, quotes)
        return Reply(
            text="Here is the summary:",
            kind="stories",
            stories=(story,),
            quotes=tuple(_excerpt(q) for q in quotes if not q.quote.in_title)[:QUOTES],
        )

    async def whosaid(self, caller: Caller, phrase: str) -> Reply:
        """whosaid <phrase> — who said it, where and when, with the exact quote and a link."""
        if not search.terms(phrase):
            return Reply.error("Tell me the words: `/brief whosaid no military solution`")
        answerer = self.answerer.within(self.library(caller))
        answer = await asyncio.to_thread(answerer.who_said, phrase, limit=QUOTES)
        return self._unread_note(caller, _answer_reply(answer))

    async def quotes(self, caller: Caller, argument: str) -> Reply:
        """quotes <person> [about <topic>] — what a person has been quoted saying, newest first."""
        person, topic = split_about(argument)
        if person.lower().startswith("about "):  # "quotes about Russia": nobody named
            person, topic = "", person[6:].strip()
        if not person:
            about = f" about {topic}" if topic else ""
            return Reply.error(f"Whose quotes{about}? `/brief quotes Blinken about Russia`")
        answerer = self.answerer.within(self.library(caller))
        answer = await asyncio.to_thread(answerer.quotes, person, topic, limit=QUOTES)
        if not answer.found:
            about = f" about {topic}" if topic else ""
            return Reply(text=f"I have no quotes from {person}{about} in the news I have.")
        return self._unread_note(caller, _answer_reply(answer))

    async def ask(self, caller: Caller, question: str) -> Reply:
        """ask <question> — an answer from the stored news, quoting and citing the articles."""
        if not search.terms(question):
            return Reply(
                text="Ask me a question in words, like these:",
                kind="help",
                lines=router.EXAMPLES,
            )
        answer = await asyncio.to_thread(
            self.answerer.within(self.library(caller)).answer, question
        )
        if answer.kind == "summarize" and answer.url and not answer.found:
            return await self.summarize(caller, answer.url)
        return self._unread_note(caller, _answer_reply(answer))

    # -- sources ----------------------------------------------------------------------------------
    async def follow(self, caller: Caller, url: str) -> Reply:
        """follow <feed-or-site-url> — add a feed to this channel (needs channel manage rights)."""
        if not caller.can_manage:
            return _not_allowed("follow feeds")
        url = _link(url)
        if not is_url(url):
            return Reply.error("Give me a feed or site link: `/brief follow https://…/rss`")
        self.subscriptions.check_room(caller.where, url)  # before fetching anything
        feed_url, parsed = await self.pipeline.find_feed(url)
        feed, created = self.subscriptions.follow(
            caller.where, feed_url, title=parsed.title, user=caller.user
        )
        name = feed.title or feed_url
        if not created:
            return Reply(text=f"This channel already follows {name}.", lines=(feed_url,))
        # Read in full for this tenant: the entries the feed lists now reach it, stored or not.
        self._in_background(self.pipeline.ingest_url(feed_url, tenant=caller.tenant))
        return Reply(
            text=f"Following {name} ({counted(len(parsed.entries), 'item')} in the feed now).",
            lines=(feed_url,),
        )

    async def unfollow(self, caller: Caller, url: str) -> Reply:
        """unfollow <url> — remove a feed from this channel (needs channel manage rights)."""
        if not caller.can_manage:
            return _not_allowed("unfollow feeds")
        url = _link(url)
        if self.subscriptions.unfollow(caller.where, url):
            return Reply(text="Unfollowed.", lines=(url,))
        return Reply.error("This channel doesn't follow that feed. See `/brief sources`.")

    async def sources(self, caller: Caller, _: str) -> Reply:
        """sources — the feeds this channel follows, and how each is doing."""
        followed = self.subscriptions.feeds(caller.where)
        if not followed:
            return Reply(text="This channel follows no feeds. Add one with `/brief follow <url>`.")
        lines = []
        for feed in followed:
            health = "not fetched yet"
            if feed.last_error:
                health = f"failing: {feed.last_error}"
            elif feed.last_success:
                health = f"ok, last read {_ago(feed.last_success)}"
            lines.append(f"{feed.title or feed.url} — {feed.url} — {health}")
        return Reply(
            text=f"This channel follows {counted(len(followed), 'feed')}:",
            kind="sources",
            lines=tuple(lines),
        )

    # -- filters ----------------------------------------------------------------------------------
    async def filter(self, caller: Caller, argument: str) -> Reply:
        """filter add|remove <keyword or /regex/> — keep stories that match; `-word` mutes them."""
        if not caller.can_manage:
            return _not_allowed("change filters")
        action, _, pattern = argument.strip().partition(" ")
        pattern = pattern.strip()
        if action.lower() == "add":
            mode: Mode = "mute" if pattern.startswith("-") else "keep"
            pattern = pattern[1:].strip() if mode == "mute" else pattern
            added = self.subscriptions.add_filter(caller.where, pattern, mode)
            verb = "Muting" if mode == "mute" else "Keeping only"
            return Reply(
                text=f"{verb} stories matching {pattern}."
                if added
                else "That filter is already set.",
            )
        if action.lower() == "remove":
            pattern = pattern[1:].strip() if pattern.startswith("-") else pattern
            if self.subscriptions.remove_filter(caller.where, pattern):
                return Reply(text=f"Removed the filter {pattern}.")
            return Reply.error("There is no such filter. See `/brief filters`.")
        return Reply.error(
            "Use `/brief filter add <word>`, `add -<word>` to mute, or `remove <word>`."
        )

    async def filters(self, caller: Caller, _: str) -> Reply:
        """filters — this channel's keep and mute filters."""
        current = self.subscriptions.filters(caller.where)
        if not current:
            return Reply(text="No filters: every story gets through.")
        lines = tuple(
            f"{'mute' if f.mode == 'mute' else 'keep'}: {f.pattern}"
            + ("" if usable(f) else " (ignored: not a regex I can run; remove it)")
            for f in current
        )
        return Reply(text="Filters for this channel:", lines=lines)

    # -- schedule ---------------------------------------------------------------------------------
    async def schedule(self, caller: Caller, argument: str) -> Reply:
        """schedule <HH:MM> [timezone] [weekdays] | schedule off — this channel's daily digest."""
        words = argument.split()
        if not words:
            current = self.subscriptions.schedule(caller.where)
            if current is None:
                return Reply(
                    text="No daily digest here. "
                    "Set one: `/brief schedule 08:00 Europe/Paris mon-fri`"
                )
            return Reply(text=f"Daily digest: {current.describe()}.")
        if not caller.can_manage:
            return _not_allowed("change the digest schedule")
        if words[0].lower() in {"off", "none", "stop"}:
            if self.subscriptions.clear_schedule(caller.where):
                return Reply(text="Daily digest turned off.")
            return Reply(text="There was no daily digest to turn off.")
        at = parse_time(words[0])
        zone, days, quiet = "UTC", parse_weekdays("daily"), False
        for word in words[1:]:
            if word.lower() == "quiet":
                quiet = True
            elif is_timezone(word):
                zone = check_timezone(word)
            else:
                days = parse_weekdays(word)
        schedule = Schedule(caller.where, at, zone, days, quiet)
        self.subscriptions.set_schedule(schedule)
        return Reply(text=f"Daily digest set: {schedule.describe()}.")

    # -- help -------------------------------------------------------------------------------------
    async def help(self, caller: Caller, _: str) -> Reply:
        """help — what I can do."""
        lines = tuple(c.help for c in REGISTRY)
        how = (
            "type a command, or a question"
            if caller.platform == CONSOLE
            else "`/brief <command>`, or mention me with a question"
        )
        return Reply(
            text=f"Newsbrief: {how}.",
            kind="help",
            lines=lines,
            footer="Ask in words too: “who said there is no military solution?”",
        )

    # -- helpers ----------------------------------------------------------------------------------
    def _story(self, article: StoredArticle, quotes: list[StoredQuote] | None = None) -> StoryItem:
        said = quotes if quotes is not None else self.store.quotes_for_article(article.id)
        key = story_key_quote(said, article.title, article.summary)
        return StoryItem(
            title=headline(article.title, article.text),
            url=article.url,
            source=source_of(article.site, article.url),
            published=article.published,  # None: the article gives no date
            summary=article.summary,
            quote=_excerpt(key, max_chars=280) if key else None,
            image=article.image,
            note=language_note(article.language),
        )

    def _unread_note(self, caller: Caller, reply: Reply) -> Reply:
        """`reply` saying, when the caller's library holds articles in languages newsbrief
        can't read, that its answer comes from the English ones only."""
        counts = self.store.article_languages(tenant=self.library(caller))
        note = languages.unread_note(counts)
        if note is None:
            return reply
        return replace(reply, footer=f"{reply.footer}\n{note}" if reply.footer else note)

    def _in_background(self, work: Awaitable[object]) -> None:
        async def run() -> None:
            try:
                await work
            except Exception:
                log.exception("background work failed")

        task: asyncio.Task[object] = asyncio.ensure_future(run())
        self._background.add(task)
        task.add_done_callback(self._background.discard)


def _is_unicode(text: str) -> bool:
    """False for text holding a lone surrogate: it can't be stored, searched or sent."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _link(argument: str) -> str:
    """The link a command's argument gives, read as questions read one: chat markup
    (<https://x|label>, <https://x>) and a sentence's closing punctuation taken off; an argument
    holding no http(s) link is returned as typed, without angle brackets."""
    return find_url(argument) or argument.strip("<> ")


def as_typed(reply: Reply, platform: str) -> Reply:
    """`reply` with the commands its hints name written as `platform` takes them: in chat
    after the slash command (`/brief quotes Blinken`), in the console bare (`quotes Blinken`),
    where a line starting with a command word runs it."""
    if platform != CONSOLE:
        return reply

    def bare(text: str) -> str:
        return _SLASH_HINT.sub("`", text)

    return replace(
        reply,
        text=bare(reply.text),
        lines=tuple(bare(line) for line in reply.lines),
        footer=bare(reply.footer) if reply.footer else reply.footer,
    )


def _story_text(article: StoredArticle) -> str:
    return " ".join(x for x in (article.title, article.summary, article.text[:2000]) if x)


def _answer_reply(answer: Answer) -> Reply:
    """An answer's lead line and its citations; when nothing answers, what can be asked."""
    if not answer.found:  # show what can be asked instead of a guess
        return Reply(text=answer.text, kind="help", lines=router.EXAMPLES)
    cited = answer.citations
    return Reply(text=answer.text, kind="quotes" if cited else "info", quotes=cited)


def _excerpt(q: StoredQuote, phrase: str = "", *, max_chars: int = 600) -> Citation:
    """A stored quote to show, cut to an exact excerpt around `phrase` when it is long."""
    return q.cite(search.excerpt(q.quote.text, phrase, max_chars=max_chars))


def _not_allowed(what: str) -> Reply:
    return Reply.error(f"Only people who can manage this channel may {what}.")


def _ago(when: datetime) -> str:
    delta = datetime.now(UTC) - when
    if delta < timedelta(minutes=1):
        return "just now"
    if delta < timedelta(hours=1):
        return f"{int(delta.total_seconds() // 60)} min ago"
    if delta < timedelta(days=1):
        return f"{int(delta.total_seconds() // 3600)} h ago"
    return when.strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True)
class Argument:
    """A command's one argument, as platforms declare it (Discord's option, Slack's hint)."""

    name: str
    description: str
    required: bool = True


@dataclass(frozen=True)
class Command:
    """One command: its name, argument, who may run it, and its help (the handler's docstring).

    `rights`: "anyone"; "manage" (changes the channel: needs its manage rights); "manage to
    change" (anyone may look, with an argument it changes the channel)."""

    name: str
    handler: Handler
    argument: Argument | None = None
    rights: Rights = "anyone"
    aliases: tuple[str, ...] = ()
    max_argument: int = MAX_ARGUMENT

    @property
    def help(self) -> str:
        """The line users see in `help`: the first line of the handler's docstring."""
        return (inspect.getdoc(self.handler) or self.name).splitlines()[0]

    def needs_rights(self, argument: str) -> bool:
        """Whether running it with `argument` changes the channel (needs manage rights)."""
        return self.rights == "manage" or (self.rights == "manage to change" and bool(argument))


# Every command, in the order `help` lists them: Discord's `/brief` group, Slack's usage hint,
# the router's command words and `help` are all built from this one list.
REGISTRY: tuple[Command, ...] = (
    Command(
        "today",
        Commands.today,
        Argument("topic", "only stories about this", required=False),
        aliases=("news",),
    ),
    Command(
        "summarize",
        Commands.summarize,
        Argument("url", "the article's link"),
        aliases=("summarise",),
    ),
    Command(
        "whosaid", Commands.whosaid, Argument("phrase", "the words someone said"), aliases=("who",)
    ),
    Command(
        "quotes",
        Commands.quotes,
        Argument("person", "a name, optionally followed by `about <topic>`"),
    ),
    Command(
        "ask",
        Commands.ask,
        Argument("question", "a question in words: who said…, what did … say about …"),
        max_argument=MAX_INPUT,
    ),
    Command("follow", Commands.follow, Argument("url", "a feed or site link"), rights="manage"),
    Command(
        "unfollow",
        Commands.unfollow,
        Argument("url", "the feed link, as `/brief sources` lists it"),
        rights="manage",
    ),
    Command("sources", Commands.sources, aliases=("feeds",)),
    Command(
        "filter",
        Commands.filter,
        Argument("rule", "add|remove <keyword or /regex/>; `add -word` mutes"),
        rights="manage",
    ),
    Command("filters", Commands.filters),
    Command(
        "schedule",
        Commands.schedule,
        Argument("when", "HH:MM [timezone] [weekdays], or `off`; empty shows it", required=False),
        rights="manage to change",
    ),
    Command("help", Commands.help),
)
BY_NAME: dict[str, Command] = {c.name: c for c in REGISTRY}
BY_WORD: dict[str, Command] = {
    **{alias: c for c in REGISTRY for alias in c.aliases},
    **BY_NAME,
}
# Derived views, for callers that want names only.
COMMANDS: dict[str, Handler] = {c.name: c.handler for c in REGISTRY}
ALIASES: dict[str, str] = {alias: c.name for c in REGISTRY for alias in c.aliases}


def find(word: str) -> Command | None:
    """The command a word names (its name or an alias, any case, a leading / ignored)."""
    return BY_WORD.get(word.lower().lstrip("/"))


def usage() -> str:
    """One line naming every command and its argument: Slack's usage hint for `/brief`."""
    parts = []
    for c in REGISTRY:
        if c.argument is None:
            parts.append(c.name)
        else:
            arg = f"<{c.argument.name}>" if c.argument.required else f"[{c.argument.name}]"
            parts.append(f"{c.name} {arg}")
    return " | ".join(parts)
