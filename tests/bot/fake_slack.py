"""A fake Slack Web API, response_url endpoint and Socket Mode server on loopback, for the real
slack_sdk / slack-bolt clients; and helpers to sign and shape requests the way Slack sends them.
Used by the Slack tests and by bench/ack_latency.py."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
from aiohttp import web

from bot.slack_adapter import signature

SECRET = "test-signing-secret"
_TRIGGERS = itertools.count(1)
TIMEOUT = 10.0  # no wait on the fake may last longer


@dataclass
class Call:
    method: str  # a Web API method, or "response_url"
    args: dict[str, Any]
    at: float = field(default_factory=time.monotonic)

    @property
    def dump(self) -> str:
        return json.dumps(self.args, ensure_ascii=False)


class FakeSlackAPI:
    """A Slack Web API and response_url endpoint on 127.0.0.1 that records every call."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.rate_limit_once: set[str] = set()  # methods that answer 429 the next time
        self.response_status = 200
        self.sockets: list[web.WebSocketResponse] = []
        self.base = ""
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None

    def url(self, path: str) -> str:
        return self.base + path

    async def start(self, port: int = 0) -> None:
        """Listen on 127.0.0.1:`port` (0: any free port)."""
        server = web.Application()
        server.router.add_post("/api/{method}", self._api)
        server.router.add_get("/api/{method}", self._api)
        server.router.add_post("/response/{id}", self._response)
        server.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(server, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        for ws in self.sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        raw = await request.text()
        if request.content_type == "application/json" and raw:
            args.update(json.loads(raw))
        elif raw:
            args.update(parse_qsl(raw))
        args["authorization"] = request.headers.get("Authorization", "")
        await self._record(Call(method, args))
        if method in self.rate_limit_once:
            self.rate_limit_once.discard(method)
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
            )
        return web.json_response(self._answer(method, args))

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1"}
        if method == "users.info":
            user = self.users.get(str(args.get("user")))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "conversations.info":
            channel = self.channels.get(str(args.get("channel")))
            if channel is None:
                return {"ok": False, "error": "channel_not_found"}
            return {"ok": True, "channel": channel}
        if method == "apps.connections.open":
            if args["authorization"] != "Bearer xapp-test":
                return {"ok": False, "error": "invalid_auth"}
            return {"ok": True, "url": self.base.replace("http", "ws") + "/socket"}
        if method in {"chat.postMessage", "chat.postEphemeral"}:
            return {"ok": True, "channel": args.get("channel"), "ts": f"{time.time():.6f}"}
        return {"ok": False, "error": "unknown_method"}

    async def _response(self, request: web.Request) -> web.Response:
        await self._record(Call("response_url", await request.json()))
        return web.Response(status=self.response_status, text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: say hello, then record every envelope acknowledgement the app sends."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1})
        async for message in ws:
            if message.type == aiohttp.WSMsgType.TEXT:
                await self._record(Call("socket_ack", json.loads(message.data)))
        return ws

    def of(self, *methods: str) -> list[Call]:
        return [c for c in self.calls if c.method in methods]

    async def wait_for(self, *methods: str, count: int = 1, timeout: float = TIMEOUT) -> list[Call]:
        """The first `count` calls of `methods`, waiting for them up to `timeout` seconds."""

        def enough() -> bool:
            return len(self.of(*methods)) >= count

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(enough), timeout)
        return self.of(*methods)[:count]


def signed_headers(
    body: str | bytes, *, secret: str = SECRET, timestamp: int | None = None
) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature(secret, stamp, body),
    }


def slash_body(text: str, response_url: str, *, channel: str = "C1", user: str = "U1") -> str:
    """A slash command as Slack posts it; each has its own trigger_id, as Slack's do."""
    return urlencode(
        {
            "token": "legacy",
            "team_id": "T1",
            "team_domain": "example",
            "channel_id": channel,
            "channel_name": "directmessage" if channel.startswith("D") else "news",
            "user_id": user,
            "user_name": "someone",
            "command": "/brief",
            "text": text,
            "api_app_id": "A1",
            "response_url": response_url,
            "trigger_id": f"{next(_TRIGGERS)}.2.3",
        }
    )


def mention_body(text: str, *, ts: str, thread_ts: str | None = None, **extra: Any) -> str:
    event: dict[str, Any] = {
        "type": "app_mention",
        "user": "U1",
        "text": text,
        "ts": ts,
        "channel": "C1",
        "event_ts": ts,
        **extra,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return json.dumps(
        {
            "token": "legacy",
            "team_id": "T1",
            "api_app_id": "A1",
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{ts}",
            "event_time": int(time.time()),
        }
    )
