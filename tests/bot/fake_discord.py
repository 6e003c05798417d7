"""A fake Discord on 127.0.0.1 for tests: REST under /api/v10 and a gateway websocket.

The gateway speaks Discord's protocol in plain JSON text frames: HELLO, IDENTIFY -> READY and
GUILD_CREATE, HEARTBEAT -> HEARTBEAT_ACK, RESUME -> RESUMED. Tests inject events with
`dispatch`. REST requests are recorded in `requests`; `wait_for` waits for one to arrive.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

TOKEN = "fake-bot-token"
BOT_ID = "900000000000000001"
APP_ID = "900000000000000002"
GUILD_ID = "900000000000000010"
CHANNEL_ID = "900000000000000020"
# A second guild, on the other shard of two ((id >> 22) % 2 differs), with its own channel.
OTHER_GUILD_ID = str(int(GUILD_ID) + (1 << 22))
OTHER_CHANNEL_ID = str(int(CHANNEL_ID) + (1 << 22))
OWNER_ID = "900000000000000030"
MEMBER_ID = "900000000000000031"  # a plain member: may read and write, not manage
MANAGER_ID = "900000000000000032"  # has a role with manage_channels
MANAGER_ROLE_ID = "900000000000000040"

# Permission bits (Discord's documented values).
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
READ_HISTORY = 1 << 16
MANAGE_CHANNELS = 1 << 4
MEMBER_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES | READ_HISTORY
MANAGER_PERMISSIONS = MEMBER_PERMISSIONS | MANAGE_CHANNELS

TIMESTAMP = "2024-05-01T12:00:00.000000+00:00"


@dataclass
class Request:
    """One REST request as it arrived."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    headers: dict[str, str]
    body: Any  # parsed JSON, or None


def channel_of(guild_id: str) -> str:
    """The text channel of a fake guild."""
    return str(int(guild_id) + int(CHANNEL_ID) - int(GUILD_ID))  # CHANNEL_ID in GUILD_ID


def user(user_id: str, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": user_id,
        "username": name,
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


def member(user_id: str, name: str, roles: list[str]) -> dict[str, Any]:
    return {
        "user": user(user_id, name),
        "roles": roles,
        "nick": None,
        "joined_at": TIMESTAMP,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
    }


def message(
    message_id: str,
    channel_id: str,
    content: str,
    author: dict[str, Any],
    *,
    embeds: list[dict[str, Any]] | None = None,
    mentions: list[dict[str, Any]] | None = None,
    guild_id: str | None = None,
    member_roles: list[str] | None = None,
) -> dict[str, Any]:
    """A message object as Discord sends it (REST answers and MESSAGE_CREATE)."""
    data: dict[str, Any] = {
        "id": message_id,
        "channel_id": channel_id,
        "author": author,
        "content": content,
        "timestamp": TIMESTAMP,
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": mentions or [],
        "mention_roles": [],
        "attachments": [],
        "embeds": embeds or [],
        "pinned": False,
        "type": 0,
        "flags": 0,
        "components": [],
    }
    if guild_id is not None:
        data["guild_id"] = guild_id
        data["member"] = {
            "roles": member_roles or [],
            "joined_at": TIMESTAMP,
            "deaf": False,
            "mute": False,
            "flags": 0,
        }
    return data


@dataclass
class FakeDiscord:
    """Start with `await fake.start()`; `api_url`/`gateway_url` then point at it."""

    token: str = TOKEN
    sync_supported: bool = True  # False: PUT applications/{id}/commands answers 404
    requests: list[Request] = field(default_factory=list)
    identified: list[dict[str, Any]] = field(default_factory=list)
    heartbeats: int = 0
    # "METHOD path" -> how many more 429s to answer before accepting
    rate_limits: dict[str, int] = field(default_factory=dict)
    retry_after: float = 0.2
    throttled: list[str] = field(default_factory=list)  # "METHOD path" of each 429 answered
    guild_ids: tuple[str, ...] = (GUILD_ID,)  # the guilds the bot is in

    def __post_init__(self) -> None:
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._sockets: list[web.WebSocketResponse] = []
        self._shards: dict[int, tuple[int, int]] = {}  # id(socket) -> its [shard, count]
        self._seq = itertools.count(1)
        self._ids = itertools.count(910000000000000000)
        self._arrived = asyncio.Condition()

    # -- lifecycle -------------------------------------------------------------------------------
    async def start(self, port: int = 0) -> None:
        """Listen on 127.0.0.1:`port` (0: any free port)."""
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/gateway/resume", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def close(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def next_id(self) -> str:
        return str(next(self._ids))

    # -- recorded traffic ------------------------------------------------------------------------
    async def wait_for(
        self, predicate: Callable[[Request], bool], timeout: float = 10.0
    ) -> Request:
        """The first recorded request matching `predicate`, waiting up to `timeout` seconds."""

        def found() -> Request | None:
            return next((r for r in self.requests if predicate(r)), None)

        async def wait() -> Request:
            async with self._arrived:
                await self._arrived.wait_for(lambda: found() is not None)
            hit = found()
            assert hit is not None
            return hit

        return await asyncio.wait_for(wait(), timeout)

    def matching(self, method: str, prefix: str) -> list[Request]:
        return [r for r in self.requests if r.method == method and r.path.startswith(prefix)]

    # -- gateway ---------------------------------------------------------------------------------
    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a DISPATCH event to every connected gateway client; a guild's event only to the
        shard that guild is on, as Discord does."""
        for ws in list(self._sockets):
            if not ws.closed and self._serves(ws, data.get("guild_id")):
                await ws.send_str(
                    json.dumps({"op": 0, "t": event, "s": next(self._seq), "d": data})
                )

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    break
                payload = json.loads(msg.data)
                op = payload.get("op")
                if op == 1:
                    self.heartbeats += 1
                    await ws.send_str(json.dumps({"op": 11}))
                elif op == 2:
                    self.identified.append(payload["d"])
                    if payload["d"].get("shard"):
                        shard, count = payload["d"]["shard"]
                        self._shards[id(ws)] = (int(shard), int(count))
                    if payload["d"].get("token") != self.token:
                        await ws.close(code=4004, message=b"Authentication failed.")
                        break
                    await self._ready(ws)
                elif op == 6:
                    await ws.send_str(
                        json.dumps({"op": 0, "t": "RESUMED", "s": next(self._seq), "d": {}})
                    )
        finally:
            self._sockets.remove(ws)
            self._shards.pop(id(ws), None)
        return ws

    def _serves(self, ws: web.WebSocketResponse, guild_id: str | None) -> bool:
        """Whether this connection gets the guild's events: its shard is (id >> 22) % count."""
        shard = self._shards.get(id(ws))
        if shard is None or guild_id is None:
            return True
        return (int(guild_id) >> 22) % shard[1] == shard[0]

    async def _ready(self, ws: web.WebSocketResponse) -> None:
        mine = [g for g in self.guild_ids if self._serves(ws, g)]
        shard = self._shards.get(id(ws))
        ready = {
            "v": 10,
            "user": user(BOT_ID, "newsbrief", bot=True),
            "guilds": [{"id": g, "unavailable": True} for g in mine],
            "session_id": "fake-session",
            "resume_gateway_url": f"ws://127.0.0.1:{self.port}/gateway/resume",
            "application": {"id": APP_ID, "flags": 0},
        }
        if shard is not None:
            ready["shard"] = list(shard)
        await ws.send_str(json.dumps({"op": 0, "t": "READY", "s": next(self._seq), "d": ready}))
        for guild_id in mine:
            created = {"op": 0, "t": "GUILD_CREATE", "s": next(self._seq)}
            await ws.send_str(json.dumps(created | {"d": self.guild(guild_id)}))

    def guild(self, guild_id: str = GUILD_ID) -> dict[str, Any]:
        """A guild: a text channel, an owner, a plain member, a manager and the bot."""
        channel_id = channel_of(guild_id)
        return {
            "id": guild_id,
            "name": "Fake Guild",
            "icon": None,
            "owner_id": OWNER_ID,
            "unavailable": False,
            "member_count": 4,
            "large": False,
            "features": [],
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "nsfw_level": 0,
            "system_channel_flags": 0,
            "joined_at": TIMESTAMP,
            "roles": [
                {  # @everyone: its id is the guild's
                    "id": guild_id,
                    "name": "@everyone",
                    "permissions": str(MEMBER_PERMISSIONS),
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                },
                {
                    "id": MANAGER_ROLE_ID,
                    "name": "editors",
                    "permissions": str(MANAGER_PERMISSIONS),
                    "position": 1,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                },
            ],
            "channels": [
                {
                    "id": channel_id,
                    "type": 0,
                    "guild_id": guild_id,
                    "name": "news",
                    "position": 0,
                    "permission_overwrites": [],
                    "topic": None,
                    "nsfw": False,
                    "parent_id": None,
                    "last_message_id": None,
                    "rate_limit_per_user": 0,
                }
            ],
            "members": [
                member(BOT_ID, "newsbrief", []) | {"user": user(BOT_ID, "newsbrief", bot=True)},
                member(MEMBER_ID, "reader", []),
                member(MANAGER_ID, "editor", [MANAGER_ROLE_ID]),
            ],
            "threads": [],
            "emojis": [],
            "stickers": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    # -- REST ------------------------------------------------------------------------------------
    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            if raw:
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = raw.decode("utf-8", "replace")
        recorded = Request(request.method, path, dict(request.query), dict(request.headers), body)
        response = await self._answer(recorded)
        if response.status < 300:
            # record only what Discord accepted, so tests see what "arrived"
            async with self._arrived:
                self.requests.append(recorded)
                self._arrived.notify_all()
        return response

    async def _answer(self, r: Request) -> web.StreamResponse:
        key = f"{r.method} {r.path}"
        if self.rate_limits.get(key, 0) > 0:
            self.rate_limits[key] -= 1
            self.throttled.append(key)
            return self._rate_limited()
        webhook = r.path.startswith("/webhooks/") or r.path.startswith("/interactions/")
        if not webhook and r.headers.get("Authorization") != f"Bot {self.token}":
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        parts = r.path.strip("/").split("/")
        if r.method == "GET" and r.path == "/users/@me":
            return _json(user(BOT_ID, "newsbrief", bot=True))
        if r.method == "GET" and r.path == "/oauth2/applications/@me":
            return _json(self._application())
        if r.method == "GET" and r.path in {"/gateway", "/gateway/bot"}:
            limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
            return _json({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})
        if r.method == "PUT" and parts[:1] == ["applications"] and parts[-1] == "commands":
            if not self.sync_supported:
                return _json({"message": "404: Not Found", "code": 0}, status=404)
            return _json([self._command(c) for c in r.body or []])
        if r.method == "POST" and parts[:1] == ["channels"] and parts[-1] == "typing":
            return web.Response(status=204)
        if r.method == "POST" and parts[:1] == ["channels"] and parts[-1] == "messages":
            return _json(self._message_from(parts[1], r.body))
        if r.method == "POST" and parts[:1] == ["interactions"] and parts[-1] == "callback":
            return _json(
                {
                    "interaction": {
                        "id": parts[1],
                        "type": 2,
                        "response_message_loading": True,
                        "response_message_ephemeral": bool(
                            ((r.body or {}).get("data") or {}).get("flags", 0) & 64
                        ),
                    }
                }
            )
        if r.method == "POST" and parts[:1] == ["webhooks"] and len(parts) == 3:
            return _json(self._message_from(CHANNEL_ID, r.body, webhook=True))
        if parts[:1] == ["webhooks"] and parts[-1] == "@original":
            if r.method == "DELETE":
                return web.Response(status=204)
            return _json(self._message_from(CHANNEL_ID, r.body, webhook=True))
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    def _rate_limited(self) -> web.Response:
        # What Discord sends on a 429: body retry_after, Retry-After and X-RateLimit-* headers,
        # and a Via header (discord.py treats a 429 without Via as a Cloudflare ban).
        headers = {
            "Retry-After": str(self.retry_after),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset-After": str(self.retry_after),
            "X-RateLimit-Bucket": "fake-bucket",
            "X-RateLimit-Scope": "user",
            "Via": "1.1 google",
        }
        body = {"message": "You are being rate limited.", "retry_after": self.retry_after}
        return _json(body | {"global": False}, status=429, headers=headers)

    def _application(self) -> dict[str, Any]:
        return {
            "id": APP_ID,
            "name": "newsbrief",
            "icon": None,
            "description": "",
            "bot_public": False,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "owner": user(OWNER_ID, "owner"),
            "flags": 0,
            "team": None,
        }

    def _command(self, command: dict[str, Any]) -> dict[str, Any]:
        return command | {
            "id": self.next_id(),
            "application_id": APP_ID,
            "version": "1",
            "default_member_permissions": None,
            "type": command.get("type", 1),
        }

    def _message_from(self, channel_id: str, body: Any, *, webhook: bool = False) -> dict[str, Any]:
        body = body if isinstance(body, dict) else {}
        data = message(
            self.next_id(),
            channel_id,
            body.get("content") or "",
            user(BOT_ID, "newsbrief", bot=True),
            embeds=body.get("embeds") or [],
        )
        if webhook:
            data["webhook_id"] = APP_ID
        if body.get("message_reference"):
            data["message_reference"] = body["message_reference"]
        return data


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # Exactly "application/json", as Discord sends it: discord.py parses nothing else as JSON.
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def interaction(
    sub: str,
    option: str | None = None,
    value: str | None = None,
    *,
    user_id: str = MEMBER_ID,
    permissions: int = MEMBER_PERMISSIONS,
    roles: list[str] | None = None,
    interaction_id: str = "920000000000000001",
    token: str = "interaction-token",
) -> dict[str, Any]:
    """An INTERACTION_CREATE for `/brief <sub> [option:value]` in the fake guild's channel."""
    options: list[dict[str, Any]] = []
    if option is not None:
        options.append({"type": 3, "name": option, "value": value})
    return {
        "id": interaction_id,
        "application_id": APP_ID,
        "type": 2,
        "token": token,
        "version": 1,
        "guild_id": GUILD_ID,
        "channel_id": CHANNEL_ID,
        "channel": {"id": CHANNEL_ID, "type": 0, "guild_id": GUILD_ID, "name": "news"},
        "app_permissions": str(MANAGER_PERMISSIONS),
        "attachment_size_limit": 10 * 1024 * 1024,
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": GUILD_ID},
        "context": 0,
        "member": member(user_id, "someone", roles or []) | {"permissions": str(permissions)},
        "data": {
            "id": "930000000000000001",
            "name": "brief",
            "type": 1,
            "options": [{"type": 1, "name": sub, "options": options}],
        },
    }
