"""The Discord adapter end to end: the real discord.py client against a fake Discord on loopback."""

from __future__ import annotations

import asyncio
import io
import json
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot import cli
from bot.commands import REGISTRY, Commands
from bot.discord_adapter import DiscordAdapter, DiscordStartError, description
from bot.replies import Reply, StoryItem
from bot.settings import Settings, SettingsError
from summaries.answers.subscriptions import Channel, Subscriptions
from summaries.store import NewArticle, Store, Tenant
from summaries.types import ArticleRef, Citation
from summaries.understand.quotes import QuoteExtractor
from tests.bot.fake_discord import (
    APP_ID,
    BOT_ID,
    CHANNEL_ID,
    GUILD_ID,
    MANAGER_ID,
    MANAGER_ROLE_ID,
    MEMBER_ID,
    OTHER_CHANNEL_ID,
    OTHER_GUILD_ID,
    TOKEN,
    FakeDiscord,
    Request,
    interaction,
    message,
    user,
)
from tests.bot.processes import LoopThread, Newsbrief, free_port, shared_database
from tests.samples import SEED_URL, lead_pipeline, reach_everything

NOW = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)

TEST_TIMEOUT = 60.0
MESSAGES = f"/channels/{CHANNEL_ID}/messages"


@dataclass
class Running:
    fake: FakeDiscord
    adapter: DiscordAdapter
    commands: Commands


def run(body: Callable[[], Awaitable[None]]) -> None:
    """Run an async test body with a hard bound, so no test can hang."""

    async def bounded() -> None:
        await asyncio.wait_for(body(), TEST_TIMEOUT)

    asyncio.run(bounded())


def settings_for(fake: FakeDiscord, token: str = TOKEN) -> Settings:
    return Settings(
        discord_token=token, discord_api_url=fake.api_url, discord_gateway_url=fake.gateway_url
    )


@asynccontextmanager
async def running(
    db: Path, quote_finder: QuoteExtractor | None = None, *, sync_supported: bool = True
) -> AsyncIterator[Running]:
    """The adapter and a fake Discord over the SQLite file `db`: a new one, or `seeded_db` with
    the `quote_extractor` for a test that needs the seed article."""
    fake = FakeDiscord(sync_supported=sync_supported)
    await fake.start()
    store = Store(f"sqlite:///{db}")
    pipeline = lead_pipeline(store, quote_finder)
    adapter: DiscordAdapter | None = None
    try:
        reach_everything(store, Tenant("discord", GUILD_ID))  # the seed is the guild's news
        commands = Commands(store, pipeline)
        adapter = DiscordAdapter(
            settings_for(fake), commands, ready_timeout=10, guild_ready_timeout=0.2
        )
        await adapter.start()
        yield Running(fake, adapter, commands)
    finally:
        if adapter is not None:
            await adapter.stop()
        await fake.close()
        await pipeline.fetcher.aclose()
        pipeline.close()
        store.close()


def posted_to(path: str) -> Callable[[Request], bool]:
    return lambda r: r.method == "POST" and r.path.startswith(path)


def reply_to(message_id: str) -> Callable[[Request], bool]:
    def check(r: Request) -> bool:
        if r.method != "POST" or not isinstance(r.body, dict):
            return False
        return str(r.body.get("message_reference", {}).get("message_id")) == message_id

    return check


def webhook_posts(fake: FakeDiscord) -> list[Request]:
    return [r for r in fake.matching("POST", "/webhooks/") if r.path.count("/") == 3]


def mention_event(message_id: str, content: str, *, author_id: str = MEMBER_ID, **kw: Any) -> Any:
    return message(
        message_id,
        CHANNEL_ID,
        content,
        user(author_id, "someone", bot=kw.pop("bot", False)),
        mentions=[user(BOT_ID, "newsbrief", bot=True)] if kw.pop("mention", True) else [],
        guild_id=GUILD_ID,
        member_roles=kw.pop("roles", []),
    )


def everything(payload: dict[str, Any]) -> str:
    """All the text of a message payload, to search it."""
    return repr(payload)


# -- connecting -----------------------------------------------------------------------------------
def test_start_connects_to_the_configured_gateway_identifies_and_syncs_brief(
    tmp_path: Path,
) -> None:
    async def body() -> None:
        async with running(tmp_path / "t.db") as r:
            identify = r.fake.identified[0]
            assert identify["token"] == TOKEN
            intents = identify["intents"]
            assert intents & (1 << 15)  # message_content, for mentions
            assert intents & (1 << 9) and intents & (1 << 12) and intents & 1
            assert r.fake.api_url == Route.BASE
            synced = r.fake.matching("PUT", "/applications/")
            assert len(synced) == 1
            (brief,) = synced[0].body
            assert brief["name"] == "brief"
            subs = {o["name"]: o for o in brief["options"]}
            # every registered command, in the registry's order, with its one argument
            assert list(subs) == [c.name for c in REGISTRY]
            assert "ask" in subs
            for command in REGISTRY:
                options = subs[command.name].get("options") or []
                if command.argument is None:
                    assert options == []
                else:
                    (option,) = options
                    assert option["name"] == command.argument.name
                    assert option["required"] is command.argument.required
                    assert option["type"] == 3  # a string
            assert subs["whosaid"]["description"] == description("whosaid")
            assert description("whosaid").startswith("whosaid <phrase>")
            assert subs["whosaid"]["options"][0]["name"] == "phrase"
            assert subs["whosaid"]["options"][0]["required"] is True
            assert "options" not in subs["help"] or subs["help"]["options"] == []

    run(body)


def test_start_survives_a_server_that_cannot_sync_commands(tmp_path: Path) -> None:
    async def body() -> None:
        async with running(tmp_path / "t.db", sync_supported=False) as r:
            await r.adapter.post(CHANNEL_ID, Reply(text="still here"))
            sent = await r.fake.wait_for(posted_to(MESSAGES), 5)
            assert sent.body["content"] == "still here"
            assert r.fake.matching("PUT", "/applications/") == []  # refused, not recorded

    run(body)


def test_bad_token_raises_a_clear_error(tmp_path: Path) -> None:
    async def body() -> None:
        fake = FakeDiscord()
        await fake.start()
        adapter = DiscordAdapter(settings_for(fake, "wrong"), commands=None, ready_timeout=5)  # type: ignore[arg-type]
        try:
            with pytest.raises(DiscordStartError, match="DISCORD_TOKEN"):
                await adapter.start()
        finally:
            await adapter.stop()
            await fake.close()

    run(body)


def test_unreachable_gateway_raises_a_clear_error_within_the_timeout(tmp_path: Path) -> None:
    async def body() -> None:
        fake = FakeDiscord()
        await fake.start()
        settings = Settings(
            discord_token=TOKEN,
            discord_api_url=fake.api_url,
            discord_gateway_url="ws://127.0.0.1:9/gateway",  # discard port: nothing listens
        )
        adapter = DiscordAdapter(settings, commands=None, ready_timeout=3)  # type: ignore[arg-type]
        try:
            started = asyncio.get_running_loop().time()
            with pytest.raises(DiscordStartError, match="gateway"):
                await adapter.start()
            assert asyncio.get_running_loop().time() - started < 10
        finally:
            await adapter.stop()
            await fake.close()

    run(body)


def test_two_adapters_in_turn_each_use_their_own_server(tmp_path: Path) -> None:
    default_base, default_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY

    async def body() -> None:
        for turn in range(2):
            async with running(tmp_path / f"{turn}.db") as r:
                await r.adapter.post(CHANNEL_ID, Reply(text=f"turn {turn}"))
                sent = await r.fake.wait_for(posted_to(MESSAGES), 5)
                assert sent.body["content"] == f"turn {turn}"
                assert len(r.fake.identified) == 1
            assert default_base == Route.BASE
            assert default_gateway == DiscordWebSocket.DEFAULT_GATEWAY

    run(body)


# -- slash commands -------------------------------------------------------------------------------
def test_brief_whosaid_defers_then_follows_up_with_blinken_quote_and_link(
    seeded_db: Path, quote_extractor: QuoteExtractor
) -> None:
    async def body() -> None:
        async with running(seeded_db, quote_extractor) as r:
            event = interaction("whosaid", "phrase", "no military solution")
            await r.fake.dispatch("INTERACTION_CREATE", event)
            callback = await r.fake.wait_for(posted_to(f"/interactions/{event['id']}/"), 5)
            assert callback.path.endswith(f"/{event['token']}/callback")
            assert callback.body["type"] == 5  # deferred channel message: "thinking…"
            follow = await r.fake.wait_for(posted_to(f"/webhooks/{APP_ID}/"), 20)
            assert r.fake.requests.index(callback) < r.fake.requests.index(follow)
            payload = follow.body
            assert payload["allowed_mentions"]["parse"] == []
            (embed,) = payload["embeds"]
            assert embed["author"]["name"].startswith("Antony Blinken")
            assert "There is no military solution" in embed["description"]
            assert embed["url"] == SEED_URL
            assert "Blinken" in payload["content"]

    run(body)


def test_brief_ask_answers_a_question_with_the_quote_it_cites(
    seeded_db: Path, quote_extractor: QuoteExtractor
) -> None:
    async def body() -> None:
        async with running(seeded_db, quote_extractor) as r:
            event = interaction("ask", "question", "who said there is no military solution?")
            await r.fake.dispatch("INTERACTION_CREATE", event)
            callback = await r.fake.wait_for(posted_to(f"/interactions/{event['id']}/"), 5)
            assert callback.body["type"] == 5
            follow = await r.fake.wait_for(posted_to(f"/webhooks/{APP_ID}/"), 20)
            assert "flags" not in follow.body or not follow.body["flags"] & 64  # public
            assert "Blinken" in everything(follow.body)
            assert SEED_URL in everything(follow.body)

    run(body)


def test_follow_by_a_member_without_manage_channels_is_refused_privately(
    tmp_path: Path,
) -> None:
    async def body() -> None:
        async with running(tmp_path / "t.db") as r:
            event = interaction("follow", "url", "https://news.example/rss")
            await r.fake.dispatch("INTERACTION_CREATE", event)
            callback = await r.fake.wait_for(posted_to("/interactions/"), 5)
            assert callback.body["data"]["flags"] & 64  # ephemeral
            follow = await r.fake.wait_for(posted_to("/webhooks/"), 10)
            assert "Only people who can manage this channel" in follow.body["content"]
            assert follow.body["flags"] & 64
            where = Channel("discord", GUILD_ID, CHANNEL_ID)
            assert r.commands.subscriptions.feeds(where) == []

    run(body)


def test_hostile_interaction_arguments_get_harmless_private_replies(tmp_path: Path) -> None:
    async def body() -> None:
        async with running(tmp_path / "t.db") as r:
            cases = [
                ("empty", ""),
                ("long", "x" * 10_000),
                ("ping", "@everyone [x](https://e.vil)"),
            ]
            for n, (_, value) in enumerate(cases):
                event = interaction(
                    "whosaid", "phrase", value, interaction_id=f"92000000000000010{n}"
                )
                event["token"] = f"token-{n}"
                await r.fake.dispatch("INTERACTION_CREATE", event)
                sent = await r.fake.wait_for(posted_to(f"/webhooks/{APP_ID}/token-{n}"), 10)
                text = everything(sent.body)
                assert sent.body["allowed_mentions"]["parse"] == []
                assert "@everyone" not in text and "[x](https" not in text
                assert sent.body["content"]
            # the too-long one: the public "thinking" message is replaced by a private answer
            deleted = r.fake.matching("DELETE", "/webhooks/")
            assert any("token-1" in d.path for d in deleted)
            long_answer = next(q for q in webhook_posts(r.fake) if q.path.endswith("token-1"))
            assert long_answer.body["flags"] & 64
            assert "too long" in long_answer.body["content"]

    run(body)


def test_unknown_subcommand_is_answered_not_left_thinking(tmp_path: Path) -> None:
    async def body() -> None:
        async with running(tmp_path / "t.db") as r:
            event = interaction("frobnicate", "thing", "@everyone")
            await r.fake.dispatch("INTERACTION_CREATE", event)
            callback = await r.fake.wait_for(posted_to("/interactions/"), 5)
            assert callback.body["type"] == 4  # an immediate message
            assert "/brief help" in callback.body["data"]["content"]
            assert callback.body["data"]["flags"] & 64
            assert callback.body["data"]["allowed_mentions"] == {"parse": []}

    run(body)


# -- mentions -------------------------------------------------------------------------------------
def test_mention_gets_a_reply_that_pings_nobody(
    seeded_db: Path, quote_extractor: QuoteExtractor
) -> None:
    async def body() -> None:
        async with running(seeded_db, quote_extractor) as r:
            event = mention_event(
                "940000000000000001", f"<@{BOT_ID}> who said there is no military solution?"
            )
            await r.fake.dispatch("MESSAGE_CREATE", event)
            sent = await r.fake.wait_for(posted_to(MESSAGES), 20)
            payload = sent.body
            assert str(payload["message_reference"]["message_id"]) == event["id"]
            assert payload["allowed_mentions"] == {"parse": [], "replied_user": False}
            (embed,) = payload["embeds"][:1]
            assert embed["author"]["name"].startswith("Antony Blinken")
            assert "There is no military solution" in embed["description"]
            assert embed["url"] == SEED_URL

    run(body)


def test_messages_from_bots_or_without_a_mention_are_ignored(tmp_path: Path) -> None:
    async def body() -> None:
        async with running(tmp_path / "t.db") as r:
            bot_said = mention_event("940000000000000011", f"<@{BOT_ID}> help", bot=True)
            no_mention = mention_event("940000000000000012", "help", mention=False)
            asked = mention_event("940000000000000013", f"<@{BOT_ID}> help")
            for event in (bot_said, no_mention, asked):
                await r.fake.dispatch("MESSAGE_CREATE", event)
            await r.fake.wait_for(posted_to(MESSAGES), 10)
            await asyncio.sleep(0.2)  # let any stray reply to the earlier two arrive
            replies = r.fake.matching("POST", MESSAGES)
            assert [str(q.body["message_reference"]["message_id"]) for q in replies] == [
                asked["id"]
            ]

    run(body)


def test_raw_mention_without_mentions_array_is_answered(tmp_path: Path) -> None:
    async def body() -> None:
        async with running(tmp_path / "t.db") as r:
            event = mention_event("940000000000000021", f"<@!{BOT_ID}> help", mention=False)
            await r.fake.dispatch("MESSAGE_CREATE", event)
            sent = await r.fake.wait_for(posted_to(MESSAGES), 10)
            assert str(sent.body["message_reference"]["message_id"]) == event["id"]
            assert "/brief" in sent.body["content"]

    run(body)


def test_hostile_mentions_get_harmless_replies(tmp_path: Path) -> None:
    async def body() -> None:
        async with running(tmp_path / "t.db") as r:
            texts = [
                "",
                "frobnicate the wibble",
                "x" * 10_000,
                "@everyone **boom** [x](https://e.vil)",
            ]
            for n, text in enumerate(texts):
                event = mention_event(f"94000000000000003{n}", f"<@{BOT_ID}> {text}")
                await r.fake.dispatch("MESSAGE_CREATE", event)
                sent = await r.fake.wait_for(reply_to(event["id"]), 10)
                assert sent.body["content"]
                assert "@everyone" not in everything(sent.body)
                assert sent.body["allowed_mentions"]["parse"] == []
            too_long = r.fake.matching("POST", MESSAGES)[2]
            assert "too long" in too_long.body["content"]

    run(body)


def test_schedule_by_mention_needs_manage_channels(tmp_path: Path) -> None:
    async def body() -> None:
        async with running(tmp_path / "t.db") as r:
            where = Channel("discord", GUILD_ID, CHANNEL_ID)
            member = mention_event("940000000000000041", f"<@{BOT_ID}> schedule 08:00")
            await r.fake.dispatch("MESSAGE_CREATE", member)
            refused = await r.fake.wait_for(posted_to(MESSAGES), 10)
            assert "Only people who can manage" in refused.body["content"]
            assert r.commands.subscriptions.schedule(where) is None
            manager = mention_event(
                "940000000000000042",
                f"<@{BOT_ID}> schedule 08:00",
                author_id=MANAGER_ID,
                roles=[MANAGER_ROLE_ID],
            )
            await r.fake.dispatch("MESSAGE_CREATE", manager)
            await r.fake.wait_for(reply_to(manager["id"]), 10)
            assert r.commands.subscriptions.schedule(where) is not None

    run(body)


# -- posting --------------------------------------------------------------------------------------
def test_post_neutralises_everyone_in_feed_titles_and_quotes(tmp_path: Path) -> None:
    async def body() -> None:
        async with running(tmp_path / "t.db") as r:
            when = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
            quote = Citation(
                "@here listen <@123> and <@&456> in <#789>",
                ArticleRef(1, "Title @everyone", "https://news.example/a", None, when),
                speaker="@everyone",
                cue="said",
            )
            story = StoryItem(
                "@everyone *breaking*", "https://news.example/a", "Feed", when, "Sum", quote
            )
            await r.adapter.post(CHANNEL_ID, Reply(text="Digest @here", stories=(story,)))
            sent = await r.fake.wait_for(posted_to(MESSAGES), 5)
            text = everything(sent.body)
            for ping in ("@everyone", "@here", "<@123>", "<@&456>", "<#789>"):
                assert ping not in text
            assert "@\u200beveryone" in sent.body["embeds"][0]["title"]
            assert sent.body["allowed_mentions"] == {"parse": []}

    run(body)


def test_post_is_retried_after_a_429_and_the_message_arrives(tmp_path: Path) -> None:
    async def body() -> None:
        async with running(tmp_path / "t.db") as r:
            r.fake.rate_limits[f"POST {MESSAGES}"] = 1
            await r.adapter.post(CHANNEL_ID, Reply(text="after the limit"))
            assert r.fake.throttled == [f"POST {MESSAGES}"]
            (sent,) = r.fake.matching("POST", MESSAGES)
            assert sent.body["content"] == "after the limit"

    run(body)


def test_long_post_is_split_into_several_messages_within_limits(tmp_path: Path) -> None:
    async def body() -> None:
        async with running(tmp_path / "t.db") as r:
            quotes = tuple(
                Citation("word " * 700, ArticleRef(i, "T", None, None, NOW), f"Speaker {i}")
                for i in range(12)
            )
            lines = tuple(f"line {i} " + "y" * 90 for i in range(40))
            await r.adapter.post(CHANNEL_ID, Reply(text="Many", quotes=quotes, lines=lines))
            sent = r.fake.matching("POST", MESSAGES)
            assert len(sent) >= 3
            embeds = [e for q in sent for e in q.body.get("embeds", [])]
            assert [e["author"]["name"] for e in embeds] == [f"Speaker {i}" for i in range(12)]
            for q in sent:
                assert len(q.body.get("content") or "") <= 2000
                assert len(q.body.get("embeds", [])) <= 10

    run(body)


@pytest.mark.usefixtures("shared_models")
def test_cli_digest_post_reaches_discord_through_the_real_adapter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`newsbrief digest --platform discord --post`: the real adapter, its gateway and REST."""
    loop = asyncio.new_event_loop()
    server = threading.Thread(target=loop.run_forever, daemon=True)
    server.start()
    fake = FakeDiscord()
    asyncio.run_coroutine_threadsafe(fake.start(), loop).result(10)
    try:
        db = tmp_path / "cli.db"
        with Store(f"sqlite:///{db}") as store:
            Subscriptions(store).follow(
                Channel("discord", GUILD_ID, CHANNEL_ID), "https://a.example/feed"
            )
            store.save_article(
                NewArticle(
                    text="The council approved the new bridge on Tuesday after a long debate "
                    "about its cost and the winter storms that closed the old one.",
                    url="https://a.example/feed/1",
                    title="Bridge approved",
                    feed_url="https://a.example/feed",
                    entry_id="1",
                    summary="The council approved the new bridge.",
                )
            )
        monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
        monkeypatch.setenv("DISCORD_API_URL", fake.api_url)
        monkeypatch.setenv("DISCORD_GATEWAY_URL", fake.gateway_url)
        argv = ["--db", f"sqlite:///{db}", "digest", "--platform", "discord"]
        argv += ["--channel", CHANNEL_ID]
        statuses = []
        for _ in range(2):
            out = io.StringIO()
            assert cli.main([*argv, "--post", "--json"], out=out) == 0
            statuses.append(json.loads(out.getvalue())["status"])
        assert statuses == ["posted", "already"]
        (sent,) = fake.matching("POST", MESSAGES)
        assert "Bridge approved" in everything(sent.body)
        assert sent.body["allowed_mentions"] == {"parse": []}
    finally:
        asyncio.run_coroutine_threadsafe(fake.close(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        server.join(10)
        loop.close()


# -- shards -------------------------------------------------------------------------------------


def test_two_clients_each_serving_one_shard_answer_a_guilds_mention_once(
    tmp_path: Path,
) -> None:
    async def body() -> None:
        fake = FakeDiscord()
        await fake.start()
        store = Store(f"sqlite:///{tmp_path / 'shards.db'}")
        pipeline = lead_pipeline(store)
        adapters: list[DiscordAdapter] = []
        try:
            for shard in ("0", "1"):
                settings = replace(
                    settings_for(fake), discord_shard_count=2, discord_shard_ids=shard
                )
                adapter = DiscordAdapter(
                    settings, Commands(store, pipeline), ready_timeout=10, guild_ready_timeout=0.2
                )
                await adapter.start()
                adapters.append(adapter)
            assert sorted(tuple(d["shard"]) for d in fake.identified) == [(0, 2), (1, 2)]
            home = (int(GUILD_ID) >> 22) % 2  # the shard Discord puts the guild on
            served = [[g.id for g in a.client.guilds] if a.client else [] for a in adapters]
            assert served[home] == [int(GUILD_ID)] and served[1 - home] == []

            event = mention_event("940000000000000077", f"<@{BOT_ID}> help")
            await fake.dispatch("MESSAGE_CREATE", event)
            await fake.wait_for(reply_to(event["id"]), 20)
            await asyncio.sleep(0.5)  # time for a second answer, were there one
            assert (
                len([r for r in fake.matching("POST", MESSAGES) if reply_to(event["id"])(r)]) == 1
            )
        finally:
            for adapter in adapters:
                await adapter.stop()
            await fake.close()
            await pipeline.fetcher.aclose()
            pipeline.close()
            store.close()

    run(body)


def test_two_run_processes_serving_a_shard_each_answer_a_command_in_each_guild_once(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """`newsbrief run` twice, DISCORD_SHARD_IDS 0 and 1 of 2, on one database, against a fake
    Discord with a guild on each shard: a mention in each guild is answered once (the fake
    sends a guild's events only to the connection of its shard, as Discord does)."""
    db = shared_database(request, tmp_path)
    with Store(db):
        pass  # migrated once, before two processes open it
    loop = LoopThread()
    fake = FakeDiscord(guild_ids=(GUILD_ID, OTHER_GUILD_ID))
    loop.run(fake.start())
    assert sorted((int(g) >> 22) % 2 for g in fake.guild_ids) == [0, 1]  # one on each shard
    bots: list[Newsbrief] = []
    try:
        for shard in (0, 1):
            env = {
                "NEWSBRIEF_DATABASE_URL": db,
                "NEWSBRIEF_SUMMARIZER": "lead",
                "NEWSBRIEF_HTTP_PORT": str(free_port()),
                "DISCORD_TOKEN": TOKEN,
                "DISCORD_API_URL": fake.api_url,
                "DISCORD_GATEWAY_URL": fake.gateway_url,
                "DISCORD_SHARD_COUNT": "2",
                "DISCORD_SHARD_IDS": str(shard),
            }
            bots.append(Newsbrief(["run"], env, tmp_path / f"bot{shard}.log", tmp_path))
        for bot in bots:
            bot.wait_for("discord started")
        assert sorted(tuple(d["shard"]) for d in fake.identified) == [(0, 2), (1, 2)]

        events = []
        for n, (guild, channel) in enumerate(
            ((GUILD_ID, CHANNEL_ID), (OTHER_GUILD_ID, OTHER_CHANNEL_ID))
        ):
            event = message(
                f"94000000000000010{n}",
                channel,
                f"<@{BOT_ID}> help",
                user(MEMBER_ID, "someone"),
                mentions=[user(BOT_ID, "newsbrief", bot=True)],
                guild_id=guild,
            )
            events.append(event)
            loop.run(fake.dispatch("MESSAGE_CREATE", event))
        for event in events:
            loop.run(fake.wait_for(reply_to(event["id"]), 60), 90)
        time.sleep(1.0)  # time for a second answer, were there one
        for event in events:
            replies = [r for r in fake.requests if reply_to(event["id"])(r)]
            assert len(replies) == 1
            assert replies[0].path == f"/channels/{event['channel_id']}/messages"
    finally:
        codes = [bot.stop() for bot in bots]
        loop.run(fake.close())
        loop.close()
    assert codes == [0, 0]  # each stopped cleanly


def test_shard_settings_must_name_shards_of_the_count() -> None:
    with pytest.raises(SettingsError):
        Settings.from_env({"DISCORD_SHARD_IDS": "0"}, env_file=None)  # no count
    with pytest.raises(SettingsError):
        Settings.from_env({"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "2"}, env_file=None)
    chosen = Settings.from_env({"DISCORD_SHARD_COUNT": "4", "DISCORD_SHARD_IDS": "3, 1"}, None)
    assert chosen.shard_ids() == [1, 3]
    assert Settings.from_env({"DISCORD_SHARD_COUNT": "4"}, env_file=None).shard_ids() is None


def test_gateway_events_missing_fields_leave_the_bot_connected_and_answering(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Events of the wrong shape are dropped; the next real mention is still answered, on the
    same connection."""

    async def body() -> None:
        async with running(tmp_path / "t.db") as r:
            good = mention_event("940000000000000090", f"<@{BOT_ID}> help")
            no_author = {k: v for k, v in good.items() if k != "author"} | {
                "id": "9400000000000091"
            }
            no_content = {k: v for k, v in good.items() if k != "content"} | {
                "id": "940000000000000092"
            }
            odd_mentions = good | {"id": "940000000000000093", "mentions": "everyone"}
            null_content = good | {"id": "940000000000000094", "content": None}
            bad_interaction = interaction(
                "whosaid", "phrase", "x", interaction_id="9200000000000099"
            )
            bad_interaction["data"]["options"] = "not a list"
            int_value = interaction("whosaid", "phrase", None, interaction_id="9200000000000098")
            int_value["data"]["options"][0]["options"][0]["value"] = 12345
            for event in (no_author, no_content, odd_mentions, null_content, {}):
                await r.fake.dispatch("MESSAGE_CREATE", event)
            for event in (bad_interaction, int_value, {"id": "1"}):
                await r.fake.dispatch("INTERACTION_CREATE", event)
            await r.fake.dispatch("MESSAGE_CREATE", good)
            sent = await r.fake.wait_for(reply_to(good["id"]), 10)
            assert "/brief" in sent.body["content"]
            assert len(r.fake.identified) == 1  # never reconnected

    run(body)
    dropped = [r.getMessage() for r in caplog.records if "dropped a Discord" in r.getMessage()]
    assert len([d for d in dropped if "MESSAGE_CREATE" in d]) == 4
    assert all(len(d) < 400 for d in dropped)
    assert "the Discord gateway connection ended" not in caplog.text


def test_gateway_frames_discord_py_cannot_read_leave_the_bot_connected_and_answering(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A frame that is no JSON object, an event name that is no string, a HELLO or a READY
    without its fields: each ended discord.py's connection for good (the bot stayed off
    Discord). Now each is dropped with a warning; a compressed frame that can't be read makes
    the connection resume; the next real mention is answered."""
    frames = [
        "[]",
        "null",
        "12",
        "{not json",
        json.dumps({"op": 0, "t": ["MESSAGE_CREATE"], "s": 5, "d": {}}),
        json.dumps({"op": 10, "d": {"heartbeat_interval": "soon"}}),
        json.dumps({"op": 0, "t": "READY", "s": 6, "d": {"user": None}}),
    ]

    async def body() -> None:
        async with running(tmp_path / "t.db") as r:
            for ws in list(r.fake._sockets):
                for frame in frames:
                    await ws.send_str(frame)
                await ws.send_bytes(b"no zlib stream\x00\x00\xff\xff")
            good = mention_event("940000000000000095", f"<@{BOT_ID}> help")
            for _ in range(50):  # the junk binary frame: resumed on a new connection
                await asyncio.sleep(0.1)
                if r.fake._sockets and await r.adapter.connected():
                    break
            await r.fake.dispatch("MESSAGE_CREATE", good)
            sent = await r.fake.wait_for(reply_to(good["id"]), 10)
            assert "/brief" in sent.body["content"]
            assert len(r.fake.identified) == 1  # resumed, never identified again

    run(body)
    dropped = [
        r.getMessage()
        for r in caplog.records
        if "dropped a Discord gateway frame" in r.getMessage()
    ]
    assert len(dropped) == len(frames) + 1
    assert all(len(d) < 400 for d in dropped)
    assert "the Discord gateway connection ended" not in caplog.text


def test_mentions_of_only_the_bots_name_or_odd_unicode_get_short_replies(tmp_path: Path) -> None:
    async def body() -> None:
        async with running(tmp_path / "t.db") as r:
            texts = [
                f"<@{BOT_ID}>",
                f"<@!{BOT_ID}>   \u200b",
                f"<@{BOT_ID}> \u202eetats\u202c who said \U0001f600",
                f"<@{BOT_ID}> " + "\u0301" * 1900,
                f"<@{BOT_ID}> summarize https://127.0.0.1:1/nowhere",
            ]
            for n, text in enumerate(texts):
                event = mention_event(f"94000000000000010{n}", text)
                await r.fake.dispatch("MESSAGE_CREATE", event)
                sent = await r.fake.wait_for(reply_to(event["id"]), 10)
                assert sent.body["content"].strip()
                assert "\u202e" not in sent.body["content"]

    run(body)


def _malformed_interactions() -> list[dict[str, Any]]:
    """`/brief` interactions whose options are of the wrong shape, each with its own id/token."""
    shapes: list[Any] = [
        "not a list",  # the group's options
        [{"type": 1, "name": "whosaid", "options": "garbage"}],  # the subcommand's options
        [{"type": 1, "options": []}],  # a subcommand without a name
        [{"type": 1, "name": ["whosaid"], "options": []}],  # a name that is no string
        [{"type": 1, "name": "whosaid", "options": [{"type": 3, "name": "phrase"}]}],  # no value
        [{"type": 1, "name": "whosaid", "options": [{"type": 3, "value": "x"}]}],  # no name
        [{"type": 1, "name": "whosaid", "options": [{"name": "phrase", "value": "x"}]}],
        [{"type": 1, "name": "whosaid", "options": [{"type": 3, "name": "phrase", "value": {}}]}],
        [{"type": 1, "name": "whosaid", "options": [{"type": 3, "name": "phrase", "value": 5}]}],
        [{"type": 1, "name": "whosaid", "options": [{"type": 10, "name": "phrase", "value": "z"}]}],
        [{"type": 1, "name": "whosaid", "options": [{"type": 6, "name": "phrase", "value": "u"}]}],
        [{"type": 1, "name": "whosaid", "options": [{"type": 4, "name": "phrase", "value": 7}]}],
        [{"type": 1, "name": "whosaid", "options": [None, 7, [1, [2]]]}],
        [{"type": 1, "name": "whosaid", "options": []}],  # the required phrase is missing
        [{"type": "1", "name": "whosaid"}],
        [None],
        [{"type": 2, "name": "whosaid", "options": [{"type": 2, "name": "x", "options": {}}]}],
        {"type": 1, "name": "whosaid"},
    ]
    events = []
    for n, options in enumerate(shapes):
        event = interaction("whosaid", "phrase", "x", interaction_id=f"92100000000000{n:04d}")
        event["token"] = f"malformed-{n}"
        event["data"]["options"] = options
        events.append(event)
    return events


def test_interactions_with_malformed_options_get_a_clear_private_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Options of the wrong shape never reach a command: each interaction is answered at once
    with a private error naming the problem, and the bot stays on its one connection."""
    unhandled: list[dict[str, Any]] = []

    async def body() -> None:
        asyncio.get_running_loop().set_exception_handler(lambda _, ctx: unhandled.append(ctx))
        async with running(tmp_path / "t.db") as r:
            events = _malformed_interactions()
            for event in events:
                await r.fake.dispatch("INTERACTION_CREATE", event)
            for event in events:
                path = f"/interactions/{event['id']}/{event['token']}/callback"
                callback = await r.fake.wait_for(lambda q, p=path: q.path == p, 10)
                assert callback.body["type"] == 4, event["data"]["options"]  # answered at once
                data = callback.body["data"]
                assert "couldn't read that command:" in data["content"]
                assert "/brief help" in data["content"]
                assert data["flags"] & 64
                assert data["allowed_mentions"] == {"parse": []}
            # nothing ran: no "thinking" deferral, no follow-up
            assert webhook_posts(r.fake) == []
            good = mention_event("940000000000000095", f"<@{BOT_ID}> help")
            await r.fake.dispatch("MESSAGE_CREATE", good)
            await r.fake.wait_for(reply_to(good["id"]), 10)
            assert len(r.fake.identified) == 1  # never reconnected

    run(body)
    assert unhandled == []
    assert "Task exception was never retrieved" not in caplog.text
    assert "the Discord gateway connection ended" not in caplog.text


def _unreadable_commands() -> list[dict[str, Any]]:
    """`/brief help` interactions discord.py cannot read (it raises building the Interaction),
    each with its own id and token: fields it indexes missing or of another type."""
    events = []
    changes: list[Callable[[dict[str, Any]], None]] = [
        lambda e: e.pop("version"),
        lambda e: e.pop("attachment_size_limit"),
        lambda e: e.update(application_id="not a number"),
        lambda e: e.update(channel="a channel"),
        lambda e: e["member"].pop("user"),
        lambda e: e.update(member=None, user={"id": MEMBER_ID}),
        lambda e: e.update(entitlements=[{"id": "x"}]),
        lambda e: e.update(authorizing_integration_owners={"0": "guild"}),
    ]
    for n, change in enumerate(changes):
        event = interaction("help", interaction_id=f"92200000000000{n:04d}")
        event["token"] = f"unread-{n}"
        change(event)
        events.append(event)
    return events


def test_slash_commands_discord_py_cannot_read_get_a_private_error_not_silence(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An interaction discord.py fails to build is dropped by the gateway guard; when it is a
    slash command that names its id and token, the person who ran it is still answered at once,
    privately, pinging nobody. One without a usable token, or no command, is only dropped."""

    async def body() -> None:
        async with running(tmp_path / "t.db") as r:
            events = _unreadable_commands()
            unanswerable = [
                interaction("help", interaction_id="922100000000000001") | {"token": "a/b?c"},
                interaction("help", interaction_id="x") | {"version": None},
                {"type": 2, "id": "922100000000000003", "token": 5, "version": None},
                {"type": 4, "id": "922100000000000004", "token": "autocomplete"},
                {"type": "2", "id": "922100000000000005", "token": "string-type"},
            ]
            for event in unanswerable:
                event.pop("version", None)
            for event in [*unanswerable, *events]:
                await r.fake.dispatch("INTERACTION_CREATE", event)
            for event in events:
                path = f"/interactions/{event['id']}/{event['token']}/callback"
                callback = await r.fake.wait_for(lambda q, p=path: q.path == p, 10)
                assert callback.body["type"] == 4  # a message, at once
                data = callback.body["data"]
                assert data["content"].startswith("I couldn't read that command")
                assert "/brief help" in data["content"]
                assert data["flags"] & 64
                assert data["allowed_mentions"] == {"parse": []}
            good = mention_event("940000000000000096", f"<@{BOT_ID}> help")
            await r.fake.dispatch("MESSAGE_CREATE", good)
            await r.fake.wait_for(reply_to(good["id"]), 10)
            answered = r.fake.matching("POST", "/interactions/")
            assert len(answered) == len(events)  # the others only dropped
            assert webhook_posts(r.fake) == []  # nothing ran
            assert len(r.fake.identified) == 1  # never reconnected

    run(body)
    dropped = [m for m in caplog.messages if "dropped a Discord INTERACTION_CREATE" in m]
    assert len(dropped) == len(_unreadable_commands()) + 5
    assert "Task exception was never retrieved" not in caplog.text
