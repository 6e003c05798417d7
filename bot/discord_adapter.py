"""The Discord adapter: `/brief` app commands and @mentions over the gateway, with discord.py.

The only module that imports discord. Events become neutral `Commands` calls; replies are
rendered by `bot.discord_render` and sent with mentions disabled, so nobody is ever pinged.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket, ReconnectWebSocket, WebSocketClosure
from discord.http import Route
from discord.webhook.async_ import async_context, interaction_response_params

from bot.commands import BY_NAME, REGISTRY, Caller, Commands
from bot.commands import Command as RegisteredCommand
from bot.discord_render import Payload, render, truncate
from bot.errors import PlatformError, PlatformUnreachable, reason
from bot.replies import Reply
from bot.settings import Settings

log = logging.getLogger(__name__)

NO_PINGS = discord.AllowedMentions.none()
READY_TIMEOUT = 30.0
SYNC_TIMEOUT = 10.0
MAX_SEND_TRIES = 4
MAX_RETRY_AFTER = 60.0


# What the bot may do in a channel: see it, answer (as a reply to a message), with embeds.
PERMISSION_NAMES = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "read_message_history": "Read Message History",  # a reply refers to the message
}
PERMISSIONS = discord.Permissions(**dict.fromkeys(PERMISSION_NAMES, True))
SCOPES = ("bot", "applications.commands")  # a bot user, and its /brief app commands


def invite_url(client_id: int) -> str:
    """The URL that adds the bot to a server, with exactly the permissions and scopes it needs."""
    return discord.utils.oauth_url(client_id, permissions=PERMISSIONS, scopes=SCOPES)


def application_id(token: str) -> int | None:
    """The bot's application id as its token carries it (the first part, base64), or None."""
    head = token.split(".", 1)[0]
    try:
        decoded = base64.b64decode(head + "=" * (-len(head) % 4), validate=False).decode("ascii")
    except (ValueError, UnicodeDecodeError):
        return None
    return int(decoded) if decoded.isdigit() else None


class DiscordStartError(PlatformError):
    """Discord refused the bot, or could not be reached; the message says which."""


class DiscordUnreachable(DiscordStartError, PlatformUnreachable):
    """Discord's API or gateway did not answer: worth trying again later."""


def intents() -> discord.Intents:
    """Guild and DM messages with their content (for mentions) and guilds (for permissions)."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.dm_messages = True
    wanted.message_content = True
    return wanted


def description(name: str) -> str:
    """A subcommand's description: its help line from the registry (Discord: ≤ 100)."""
    return truncate(BY_NAME[name].help, 100)


def can_manage(permissions: discord.Permissions) -> bool:
    """Whether these channel permissions allow changing the channel's feeds and schedule."""
    return bool(
        permissions.manage_channels or permissions.manage_guild or permissions.administrator
    )


class DiscordAdapter:
    """Serves `/brief` and mentions on Discord; `post` sends digests to a channel."""

    def __init__(
        self,
        settings: Settings,
        commands: Commands,
        *,
        ready_timeout: float = READY_TIMEOUT,
        guild_ready_timeout: float = 2.0,
    ) -> None:
        self.settings = settings
        self.commands = commands
        self.ready_timeout = ready_timeout
        # how long discord.py waits for more GUILD_CREATEs after READY before it is "ready"
        self.guild_ready_timeout = guild_ready_timeout
        self.client: discord.Client | None = None
        self.tree: app_commands.CommandTree[discord.Client] | None = None
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._applied: tuple[str, yarl.URL] | None = None
        self._previous: tuple[str, yarl.URL] | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    async def start(self) -> None:
        """Log in, connect to the gateway and return once READY; raise DiscordStartError if not."""
        if not self.settings.discord_token:
            raise DiscordStartError("DISCORD_TOKEN is not set")
        self._apply_urls()
        # Newsbrief never speaks in voice channels: no warning that voice libraries are missing.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        client = self._client()
        _drop_unreadable_frames()
        _drop_malformed_events(client)
        self.client = client
        self.tree = self.register(client)
        self._ready = asyncio.Event()
        try:
            await asyncio.wait_for(client.login(self.settings.discord_token), self.ready_timeout)
        except discord.LoginFailure as exc:
            await self.stop()
            raise DiscordStartError("Discord refused DISCORD_TOKEN (401 on /users/@me)") from exc
        except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as exc:
            await self.stop()
            raise DiscordUnreachable(
                f"can't log in to Discord at {self.settings.discord_api_url}: {reason(exc)}"
            ) from exc
        self._task = asyncio.create_task(client.connect(reconnect=True), name="discord-gateway")
        self._task.add_done_callback(self._gateway_ended)
        ready = asyncio.create_task(self._ready.wait())
        done, _ = await asyncio.wait(
            {ready, self._task}, timeout=self.ready_timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            why = f"no READY within {self.ready_timeout:.0f} s"
            failure = self._task.exception() if self._task in done else None
            if failure is not None:
                why = reason(failure)
            await self.stop()
            raise DiscordUnreachable(
                f"can't connect to the Discord gateway at {self.settings.discord_gateway_url}: "
                f"{why}"
            )
        await self._sync_commands()

    def _client(self) -> discord.Client:
        """discord.py's client: one connection, or this process's shards of DISCORD_SHARD_COUNT
        (DISCORD_SHARD_IDS; every shard when empty), each a gateway connection of its own."""
        options: dict[str, Any] = {
            "intents": intents(),
            "allowed_mentions": NO_PINGS,
            "guild_ready_timeout": self.guild_ready_timeout,
        }
        count = self.settings.discord_shard_count
        if not count:
            return discord.Client(**options)
        shards = self.settings.shard_ids() or list(range(count))
        log.info("serving Discord shards %s of %d", shards, count)
        return discord.AutoShardedClient(shard_count=count, shard_ids=shards, **options)

    async def connected(self) -> bool:
        """Whether the gateway connection is up and READY."""
        client = self.client
        return client is not None and not client.is_closed() and client.is_ready()

    async def stop(self) -> None:
        """Close the gateway and HTTP sessions; safe to call twice."""
        client, task = self.client, self._task
        self._task = None
        if client is not None and not client.is_closed():
            await client.close()
        if task is not None:
            try:
                await asyncio.wait_for(task, 5)
            except (asyncio.CancelledError, TimeoutError):
                pass
            except Exception:
                log.debug("gateway task ended with an error", exc_info=True)
        self._restore_urls()

    def _gateway_ended(self, task: asyncio.Task[None]) -> None:
        # discord.py lets an unexpected error end the connection for good: say so loudly.
        if self._task is task and not task.cancelled() and task.exception() is not None:
            log.error("the Discord gateway connection ended", exc_info=task.exception())

    def _apply_urls(self) -> None:
        """Point discord.py at the configured REST base and gateway.

        These are class attributes in discord.py; the plain Client never asks GET /gateway/bot,
        and falls back to DEFAULT_GATEWAY after an invalidated session, so both are set here.
        """
        self._previous = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
        base = self.settings.discord_api_url.rstrip("/")
        gateway = yarl.URL(self.settings.discord_gateway_url)
        Route.BASE = base
        DiscordWebSocket.DEFAULT_GATEWAY = gateway
        self._applied = (base, gateway)

    def _restore_urls(self) -> None:
        # Only undo our own setting: another adapter may have set its own since.
        if self._applied and self._previous:
            if self._applied[0] == Route.BASE:
                Route.BASE = self._previous[0]
            if self._applied[1] == DiscordWebSocket.DEFAULT_GATEWAY:
                DiscordWebSocket.DEFAULT_GATEWAY = self._previous[1]
        self._applied = self._previous = None

    async def _sync_commands(self) -> None:
        if self.tree is None:
            return
        try:
            synced = await asyncio.wait_for(self.tree.sync(), SYNC_TIMEOUT)
            log.info("synced %d Discord app commands", len(synced))
        except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as exc:
            log.warning("couldn't sync Discord app commands (they may be stale): %r", exc)
        except Exception:  # sync is best effort: serving must not depend on it
            log.warning("couldn't sync Discord app commands", exc_info=True)

    # -- routes ----------------------------------------------------------------------------------
    def register(self, client: discord.Client) -> app_commands.CommandTree[discord.Client]:
        """Declare every route: the `/brief` group's subcommands and the message listeners."""
        tree: app_commands.CommandTree[discord.Client] = GuardedTree(client)
        group = app_commands.Group(
            name="brief", description="News briefs: stories, summaries and who said what"
        )
        for command in REGISTRY:  # one subcommand per registered command
            group.add_command(self._subcommand(command))
        tree.add_command(group)
        tree.on_error = self._on_tree_error  # type: ignore[method-assign]

        async def on_ready() -> None:
            log.info("Discord ready as %s", client.user)
            self._ready.set()

        async def on_message(message: discord.Message) -> None:
            await self.on_message(message)

        client.event(on_ready)
        client.event(on_message)
        return tree

    def _subcommand(self, command: RegisteredCommand) -> app_commands.Command[Any, ..., None]:
        name, option = command.name, command.argument
        callback: Callable[..., Awaitable[None]]
        if option is None:

            async def no_argument(interaction: discord.Interaction) -> None:
                await self.on_command(interaction, name, "")

            callback = no_argument
        elif option.required:

            async def required(interaction: discord.Interaction, argument: str) -> None:
                await self.on_command(interaction, name, argument)

            callback = required
        else:

            async def optional(interaction: discord.Interaction, argument: str = "") -> None:
                await self.on_command(interaction, name, argument)

            callback = optional
        if option is not None:
            callback = app_commands.rename(argument=option.name)(callback)
            callback = app_commands.describe(argument=truncate(option.description, 100))(callback)
        return app_commands.Command(name=name, description=description(name), callback=callback)

    async def _on_tree_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        # Every failed command is answered, so nobody is left "thinking"; never raises.
        if isinstance(error, MalformedInteraction):
            log.warning("Discord interaction %s was malformed: %s", interaction.id, error)
            text = f"I couldn't read that command: {error}. Try `/brief help`."
        elif isinstance(error, app_commands.CommandSignatureMismatch):
            log.warning("Discord interaction %s didn't match /brief: %s", interaction.id, error)
            text = "I couldn't read that command: its options don't match mine. Try `/brief help`."
        elif isinstance(error, app_commands.CommandNotFound):
            log.warning("Discord interaction %s: %s", interaction.id, error)
            text = "I don't know that command. Try `/brief help`."
        else:  # a bug
            log.error("Discord app command failed", exc_info=error)
            text = "That command failed. Try `/brief help`."
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_PINGS)
            else:
                await interaction.response.send_message(
                    text, ephemeral=True, allowed_mentions=NO_PINGS
                )
        except Exception as exc:  # nothing to answer to (no token, Discord refused): say so
            log.warning(
                "couldn't answer Discord interaction %s: %s: %s",
                interaction.id,
                type(exc).__name__,
                str(exc)[:200],
            )

    # -- handlers --------------------------------------------------------------------------------
    async def on_command(self, interaction: discord.Interaction, name: str, argument: str) -> None:
        """Defer at once (Discord wants an answer in 3 s), run the command, send follow-ups."""
        if not isinstance(argument, str):  # an option of another type than the string declared
            raise MalformedInteraction("its option is not text")
        caller = interaction_caller(interaction)
        command = BY_NAME.get(name)
        private = name == "help" or (
            not caller.can_manage and command is not None and command.needs_rights(argument)
        )
        try:
            await interaction.response.defer(thinking=True, ephemeral=private)
        except discord.HTTPException:
            log.warning("couldn't defer Discord interaction %s", interaction.id, exc_info=True)
            return
        reply = await self.commands.run(caller, f"{name} {argument or ''}")
        ephemeral = private or reply.private
        if reply.private and not private:
            # A public "thinking…" message can't become private: remove it, answer privately.
            try:
                await interaction.delete_original_response()
            except discord.HTTPException:
                log.warning("couldn't delete the deferred response", exc_info=True)
        for payload in render(reply):
            await _retrying(
                partial(
                    interaction.followup.send,
                    **_send_kwargs(payload),
                    ephemeral=ephemeral,
                    allowed_mentions=NO_PINGS,
                )
            )

    async def on_message(self, message: discord.Message) -> None:
        """Answer a message that mentions the bot, as a reply to it."""
        client = self.client
        if client is None or client.user is None:
            return
        me = client.user
        if message.author.bot or message.author.id == me.id:
            return
        raw = (f"<@{me.id}>", f"<@!{me.id}>")
        mentioned = any(u.id == me.id for u in message.mentions)
        if not mentioned and not any(tag in message.content for tag in raw):
            return
        with contextlib.suppress(discord.HTTPException):
            await message.channel.typing()
        reply = await self.commands.mention(message_caller(message), message.content)
        for index, payload in enumerate(render(reply)):
            kwargs = _send_kwargs(payload)
            if index == 0:
                send = partial(
                    message.reply, **kwargs, mention_author=False, allowed_mentions=NO_PINGS
                )
            else:
                send = partial(message.channel.send, **kwargs, allowed_mentions=NO_PINGS)
            await _retrying(send)

    async def post(self, channel: str, reply: Reply) -> None:
        """Send `reply` to channel id `channel`, split into as many messages as it needs."""
        if self.client is None or self.client.is_closed():
            raise DiscordStartError("the Discord adapter is not started")
        target = self.client.get_partial_messageable(int(channel))
        for payload in render(reply):
            kwargs = _send_kwargs(payload)
            await _retrying(partial(target.send, **kwargs, allowed_mentions=NO_PINGS))


class MalformedInteraction(app_commands.AppCommandError):
    """An interaction whose command data is not of the shape Discord documents; the message
    says what is wrong, in words fit to show the user (it never repeats what they sent)."""


# Discord's option types that carry a value, and the JSON values each may have.
def _snowflake(value: Any) -> bool:
    return (isinstance(value, str) and value.isdigit() and len(value) <= 20) or (
        type(value) is int and value >= 0
    )


OPTION_VALUES: dict[int, tuple[str, Callable[[Any], bool]]] = {
    3: ("text", lambda v: isinstance(v, str)),
    4: ("an integer", lambda v: type(v) is int),
    5: ("true or false", lambda v: isinstance(v, bool)),
    10: ("a number", lambda v: type(v) in (int, float)),
    **{kind: ("an id", _snowflake) for kind in (6, 7, 8, 9, 11)},
}
SUBCOMMAND, SUBCOMMAND_GROUP = 1, 2


def options_problem(data: Any) -> str | None:
    """What is wrong with an application command's data (name, options), or None.

    discord.py indexes these fields without checking them; a wrong shape raised inside its
    command task, which died unseen and left the user "thinking" forever. Subcommand groups
    may only hold subcommands, subcommands only valued options, as Discord documents."""
    if not isinstance(data, dict):
        return "its data is not an object"
    if not isinstance(data.get("name"), str):
        return "it has no name"
    if not isinstance(data.get("resolved", {}), dict):
        return "its resolved values are not an object"
    allowed = {SUBCOMMAND, SUBCOMMAND_GROUP, *OPTION_VALUES}
    pending: list[tuple[Any, set[int]]] = [(data.get("options", []), allowed)]
    while pending:  # at most three levels: the allowed kinds shrink at each one
        options, kinds = pending.pop()
        if not isinstance(options, list):
            return "its options are not a list"
        for option in options:
            if not isinstance(option, dict):
                return "an option is not an object"
            name, kind = option.get("name"), option.get("type")
            if not isinstance(name, str) or not name:
                return "an option has no name"
            if type(kind) is not int:
                return "an option has no type"
            if kind not in kinds:
                return "an option is of a type not allowed there"
            if kind == SUBCOMMAND_GROUP:
                pending.append((option.get("options", []), {SUBCOMMAND}))
            elif kind == SUBCOMMAND:
                pending.append((option.get("options", []), set(OPTION_VALUES)))
            elif "value" not in option:
                return "an option has no value"
            elif not OPTION_VALUES[kind][1](option["value"]):
                return f"an option's value is not {OPTION_VALUES[kind][0]}"
    return None


class GuardedTree(app_commands.CommandTree[discord.Client]):
    """discord.py's command tree, where every application command interaction is answered.

    discord.py runs each command in a task of its own and only hands `AppCommandError`s to
    `on_error`: any other error (options of the wrong shape, say) ended the task with
    "Task exception was never retrieved" and no answer. Here the data is checked first, any
    other error reading it becomes a `MalformedInteraction`, and `on_error` answers it."""

    def _from_interaction(self, interaction: discord.Interaction) -> None:
        task = self.client.loop.create_task(self._answer(interaction), name="CommandTree-invoker")
        _TASKS.add(task)
        task.add_done_callback(_TASKS.discard)

    async def _answer(self, interaction: discord.Interaction) -> None:
        try:
            problem = options_problem(interaction.data)
            if problem is not None:
                raise MalformedInteraction(problem)
            try:
                await self._call(interaction)
            except app_commands.AppCommandError:
                raise
            except Exception as exc:
                log.debug("discord.py could not read interaction %s", interaction.id, exc_info=True)
                raise MalformedInteraction(
                    f"its data is of the wrong shape ({type(exc).__name__})"
                ) from exc
        except MalformedInteraction as error:
            interaction.command_failed = True
            await self.on_error(interaction, error)
        except app_commands.AppCommandError as error:
            try:
                await self._dispatch_error(interaction, error)
            except Exception:
                log.warning("Discord interaction %s: error handling failed", interaction.id)
        except Exception:  # on_error never raises; this is the last word, not a crash
            log.warning("Discord interaction %s went unanswered", interaction.id, exc_info=True)


_TASKS: set[asyncio.Task[None]] = set()  # running command tasks, kept from the collector


def _drop_malformed_events(client: discord.Client) -> None:
    """Make each gateway event that discord.py can't parse (a field missing or of the wrong
    type) a warning and a dropped event. discord.py parses events inside its connection loop,
    where such an error ends the connection for good: one bad MESSAGE_CREATE took the bot off
    Discord. A slash command so dropped is still answered, with a private error (see
    `_answer_unread_command`). The parsers are swapped in the very dict the gateway reads them
    from."""
    parsers: dict[str, Callable[[Any], None]] = client._connection.parsers

    def guarded(event: str, parse: Callable[[Any], None]) -> Callable[[Any], None]:
        def parse_or_drop(data: Any) -> None:
            try:
                parse(data)
            except Exception as exc:
                log.warning(
                    "dropped a Discord %s event discord.py could not read: %s: %s",
                    event,
                    type(exc).__name__,
                    str(exc)[:200],
                )
                if event == "INTERACTION_CREATE":
                    _answer_unread_command(client, data)

        return parse_or_drop

    for event, parse in list(parsers.items()):
        parsers[event] = guarded(event, parse)


# What discord.py raises on purpose while reading a frame: a reconnect it asks for, the socket
# closing, the network failing. Anything else is a frame it could not read.
_GATEWAY_FLOW = (
    ReconnectWebSocket,
    WebSocketClosure,
    discord.DiscordException,
    aiohttp.ClientError,
    OSError,
)


def _drop_unreadable_frames() -> None:
    """Make a gateway frame that discord.py can't read a warning and a dropped frame (a
    compressed one, whose stream can't be trusted after it, a reconnect that resumes the
    session). discord.py reads each frame in its connection loop and reads it unchecked: a frame
    that is not a JSON object, an event name that is not a string, a HELLO or a READY missing
    its fields raised there, which ended the connection for good and left the bot off Discord.
    Events inside well-formed frames are guarded one by one by `_drop_malformed_events`. Set
    once on discord.py's gateway class, which every connection and shard is made from."""
    if getattr(DiscordWebSocket.received_message, "_newsbrief_guarded", False):
        return
    received = DiscordWebSocket.received_message

    async def received_or_dropped(ws: DiscordWebSocket, msg: Any, /) -> None:
        try:
            await received(ws, msg)
        except _GATEWAY_FLOW:
            raise
        except Exception as exc:
            log.warning(
                "dropped a Discord gateway frame discord.py could not read (%s): %s: %s",
                f"{len(msg):,} characters" if isinstance(msg, str | bytes) else "no text",
                type(exc).__name__,
                str(exc)[:200],
            )
            if isinstance(msg, bytes):
                await ws.close()
                raise ReconnectWebSocket(ws.shard_id) from None

    received_or_dropped._newsbrief_guarded = True  # type: ignore[attr-defined]
    DiscordWebSocket.received_message = received_or_dropped  # type: ignore[method-assign]


APPLICATION_COMMAND = 2  # the interaction type of a slash command
UNREAD_COMMAND = (
    "I couldn't read that command: Discord sent it in a form I don't know. Try `/brief help`."
)
# What an interaction token is made of (Discord's are base64 with dots, some hundred long).
_TOKEN = re.compile(r"[A-Za-z0-9._\-]{1,1000}")


def _answer_unread_command(client: discord.Client, data: Any) -> None:
    """Answer a slash command discord.py could not read with a private error, so the person who
    ran it is not left "thinking" until Discord says it failed. Only an event that names the
    interaction to answer (its id and token) can be; any other is only dropped."""
    if not isinstance(data, dict) or data.get("type") != APPLICATION_COMMAND:
        return
    interaction_id, token = data.get("id"), data.get("token")
    if not _snowflake(interaction_id) or not isinstance(token, str) or not _TOKEN.fullmatch(token):
        log.warning("a Discord command could not be read nor answered (no usable id or token)")
        return
    number, http = int(str(interaction_id)), client.http
    answer = {"content": UNREAD_COMMAND, "flags": discord.MessageFlags(ephemeral=True).value}
    answer["allowed_mentions"] = NO_PINGS.to_dict()

    async def send() -> None:
        try:
            await async_context.get().create_interaction_response(
                number,
                token,
                session=http._HTTPClient__session,  # type: ignore[attr-defined]  # as discord.py
                proxy=http.proxy,
                proxy_auth=http.proxy_auth,
                params=interaction_response_params(4, answer),  # 4: a message, at once
            )
        except Exception as exc:  # Discord refused or is gone: nothing more to do
            log.warning(
                "couldn't answer Discord interaction %s: %s: %s",
                number,
                type(exc).__name__,
                str(exc)[:200],
            )

    task = client.loop.create_task(send(), name="answer-unread-command")
    _TASKS.add(task)
    task.add_done_callback(_TASKS.discard)


def interaction_caller(interaction: discord.Interaction) -> Caller:
    """Who ran an app command, where, and whether they may manage the channel (DMs: yes)."""
    guild = interaction.guild_id
    return Caller(
        platform="discord",
        workspace=str(guild) if guild else "dm",
        channel=str(interaction.channel_id or ""),
        user=str(interaction.user.id),
        can_manage=True if guild is None else can_manage(interaction.permissions),
    )


def message_caller(message: discord.Message) -> Caller:
    """Who wrote a message, where, and whether they may manage its channel (DMs: yes)."""
    guild = message.guild
    if guild is None:
        allowed = True
    elif isinstance(message.author, discord.Member) and hasattr(message.channel, "permissions_for"):
        allowed = can_manage(message.channel.permissions_for(message.author))
    else:
        allowed = False
    return Caller(
        platform="discord",
        workspace=str(guild.id) if guild else "dm",
        channel=str(message.channel.id),
        user=str(message.author.id),
        can_manage=allowed,
    )


def _send_kwargs(payload: Payload) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    if payload.get("content"):
        kwargs["content"] = payload["content"]
    if payload.get("embeds"):
        kwargs["embeds"] = [discord.Embed.from_dict(e) for e in payload["embeds"]]
    return kwargs


async def _retrying(send: Callable[[], Awaitable[object]]) -> None:
    """Send, retrying a 429 that discord.py gave up on (it retries Discord's own 429s itself)."""
    for attempt in range(MAX_SEND_TRIES):
        try:
            await send()
            return
        except discord.HTTPException as exc:
            if exc.status != 429 or attempt == MAX_SEND_TRIES - 1:
                log.error("Discord refused a message: %s", exc)
                raise
            await asyncio.sleep(_retry_after(exc.response))


def _retry_after(response: Any) -> float:
    headers = getattr(response, "headers", {}) or {}
    try:
        wait = float(headers.get("Retry-After", 1.0))
    except (TypeError, ValueError):
        wait = 1.0
    return min(max(wait, 0.0), MAX_RETRY_AFTER)
