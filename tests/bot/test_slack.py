"""The Slack adapter end to end: the real adapter over HTTP, a fake Slack Web API on loopback."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
from aiohttp import web

from bot.commands import Commands
from bot.replies import Reply, StoryItem
from bot.settings import Settings
from bot.slack_adapter import SlackAdapter, signature
from summaries.ingest.fetch import Fetcher
from summaries.ingest.pipeline import Pipeline
from summaries.store import Store
from summaries.understand.quotes import QuoteExtractor
from summaries.understand.summarize import LeadSummarizer

SECRET = "test-signing-secret"
SEED = Path(__file__).parents[2] / "bot" / "samples" / "armenia-azerbaijan-blinken.txt"
SEED_URL = "https://news.example/armenia-azerbaijan"
TIMEOUT = 10.0  # no wait in these tests may last longer


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

    async def start(self) -> None:
        server = web.Application()
        server.router.add_post("/api/{method}", self._api)
        server.router.add_get("/api/{method}", self._api)
        server.router.add_post("/response/{id}", self._response)
        server.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(server, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
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

    async def wait_for(self, *methods: str, count: int = 1) -> list[Call]:
        """The first `count` calls of `methods`, waiting for them up to TIMEOUT."""

        def enough() -> bool:
            return len(self.of(*methods)) >= count

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(enough), TIMEOUT)
        return self.of(*methods)[:count]


def signed_headers(
    body: str, *, secret: str = SECRET, timestamp: int | None = None
) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature(secret, stamp, body),
    }


def slash_body(text: str, response_url: str, *, channel: str = "C1", user: str = "U1") -> str:
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
            "trigger_id": "1.2.3",
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


@dataclass
class Harness:
    fake: FakeSlackAPI
    adapter: SlackAdapter
    http: aiohttp.ClientSession

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.adapter.port}/slack/events"

    async def send(
        self, body: str, *, form: bool = True, headers: dict[str, str] | None = None
    ) -> tuple[int, str, float]:
        """POST `body` (signed unless `headers` are given): status, text and seconds taken."""
        kind = "application/x-www-form-urlencoded" if form else "application/json"
        sent = {"Content-Type": kind, **(headers if headers is not None else signed_headers(body))}
        start = time.monotonic()
        async with self.http.post(self.events_url, data=body.encode(), headers=sent) as answer:
            text = await answer.text()
            return answer.status, text, time.monotonic() - start

    async def brief(self, text: str, **kwargs: Any) -> tuple[int, float]:
        status, _, took = await self.send(slash_body(text, self.fake.url("/response/1"), **kwargs))
        return status, took


@asynccontextmanager
async def slack(tmp_path: Path) -> AsyncIterator[Harness]:
    """The real adapter over HTTP on a free loopback port, with the seed article ingested."""
    store = Store(f"sqlite:///{tmp_path / 't.db'}")
    pipeline = Pipeline(
        store,
        LeadSummarizer(),
        Fetcher(allow_private=True, timeout=5),
        quote_finder=QuoteExtractor(),
    )
    await pipeline.ingest_text(SEED.read_text(), url=SEED_URL)
    fake = FakeSlackAPI()
    await fake.start()
    settings = Settings(
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_url=fake.url("/api/"),
        http_port=0,
    )
    adapter = SlackAdapter(settings, Commands(store, pipeline), host="127.0.0.1")
    await adapter.start()
    try:
        async with aiohttp.ClientSession() as http:
            yield Harness(fake, adapter, http)
    finally:
        await adapter.stop()
        await fake.stop()
        await pipeline.fetcher.aclose()
        pipeline.close()
        store.close()


def run(tmp_path: Path, scenario: Callable[[Harness], Any]) -> None:
    async def main() -> None:
        async with slack(tmp_path) as harness:
            await asyncio.wait_for(scenario(harness), 30)

    asyncio.run(main())


def test_slash_command_is_acknowledged_at_once_and_answered_at_the_response_url(
    tmp_path: Path,
) -> None:
    async def scenario(h: Harness) -> None:
        status, took = await h.brief("whosaid no military solution")
        assert status == 200
        assert took < 3.0
        (answer,) = await h.fake.wait_for("response_url")
        assert answer.args["response_type"] == "in_channel"
        assert "Antony Blinken" in answer.dump
        assert "There is no military solution to the differences between Armenia" in answer.dump
        assert f"<{SEED_URL}|" in answer.dump
        assert "Antony Blinken" in answer.args["text"]
        assert not h.fake.of("chat.postMessage")

    run(tmp_path, scenario)


def test_answer_falls_back_to_chat_post_message_when_the_response_url_fails(
    tmp_path: Path,
) -> None:
    async def scenario(h: Harness) -> None:
        h.fake.response_status = 404
        status, _ = await h.brief("whosaid no military solution")
        assert status == 200
        (posted,) = await h.fake.wait_for("chat.postMessage")
        assert posted.args["channel"] == "C1"
        assert "Antony Blinken" in posted.dump
        assert SEED_URL in posted.dump

    run(tmp_path, scenario)


def test_bad_signature_is_refused_with_401(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        body = slash_body("help", h.fake.url("/response/1"))
        status, _, _ = await h.send(body, headers=signed_headers(body, secret="wrong-secret"))
        assert status == 401
        status, _, _ = await h.send(body, headers={})
        assert status == 401
        tampered = signed_headers(body)
        status, _, _ = await h.send(body.replace("help", "today"), headers=tampered)
        assert status == 401
        await asyncio.sleep(0.2)
        assert not h.fake.of("response_url", "chat.postMessage")

    run(tmp_path, scenario)


def test_stale_timestamp_is_refused_with_401(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        body = slash_body("help", h.fake.url("/response/1"))
        stale = int(time.time()) - 6 * 60
        status, _, _ = await h.send(body, headers=signed_headers(body, timestamp=stale))
        assert status == 401

    run(tmp_path, scenario)


def test_url_verification_challenge_is_echoed(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        body = json.dumps({"token": "t", "challenge": "chal-123", "type": "url_verification"})
        status, text, _ = await h.send(body, form=False)
        assert status == 200
        assert json.loads(text) == {"challenge": "chal-123"}

    run(tmp_path, scenario)


def test_app_mention_is_answered_in_its_thread(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        ts = "1700000000.000100"
        status, _, _ = await h.send(
            mention_body("<@UBOT> who said no military solution?", ts=ts), form=False
        )
        assert status == 200
        (posted,) = await h.fake.wait_for("chat.postMessage")
        assert posted.args["thread_ts"] == ts
        assert posted.args["channel"] == "C1"
        assert "Antony Blinken" in posted.dump
        assert SEED_URL in posted.dump

    run(tmp_path, scenario)


def test_app_mention_inside_a_thread_answers_in_that_thread(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        body = mention_body("<@UBOT> help", ts="1700000001.000200", thread_ts="1700000000.000100")
        await h.send(body, form=False)
        (posted,) = await h.fake.wait_for("chat.postMessage")
        assert posted.args["thread_ts"] == "1700000000.000100"

    run(tmp_path, scenario)


def test_mentions_by_bots_get_no_answer(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        body = mention_body("<@UBOT> help", ts="1700000002.000300", bot_id="B2")
        status, _, _ = await h.send(body, form=False)
        assert status == 200
        await h.send(mention_body("<@UBOT> help", ts="1700000003.000400"), form=False)
        await h.fake.wait_for("chat.postMessage")  # the person's mention, answered
        await asyncio.sleep(0.3)
        assert len(h.fake.of("chat.postMessage")) == 1

    run(tmp_path, scenario)


def test_hostile_and_malformed_commands_get_a_harmless_answer(tmp_path: Path) -> None:
    texts = [
        "frobnicate now",
        "",
        "whosaid " + "x" * 10_000,
        "<!channel> <!here> hello",
        "whosaid <!channel> said @everyone and @here <@U999> <https://evil.example|click>",
    ]

    async def scenario(h: Harness) -> None:
        for number, text in enumerate(texts, start=1):
            status, took = await h.brief(text)
            assert status == 200
            assert took < 3.0
            answers = await h.fake.wait_for("response_url", count=number)
            answer = answers[-1]
            assert answer.args["text"].strip()
            assert answer.args["blocks"]
            assert "<!" not in answer.dump
            assert "<@U999>" not in answer.dump
            assert "<https://evil" not in answer.dump
            assert "@everyone" not in answer.dump
            assert "link_names" not in answer.args
        unknown, empty, long, *_ = h.fake.of("response_url")
        assert unknown.args["response_type"] == "ephemeral"
        assert "frobnicate" in unknown.dump
        assert "help" in empty.dump.lower()
        assert "too long" in long.dump

    run(tmp_path, scenario)


def test_rate_limited_post_is_retried_after_retry_after_and_arrives(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        h.fake.rate_limit_once.add("chat.postMessage")
        start = time.monotonic()
        await h.adapter.post("C7", Reply(text="Morning digest", lines=("first story",)))
        first, second = h.fake.of("chat.postMessage")
        assert second.at - first.at >= 0.9  # Retry-After: 1 honoured
        assert second.args["channel"] == "C7"
        assert "first story" in second.dump
        assert time.monotonic() - start < 5

    run(tmp_path, scenario)


def test_long_post_is_split_into_several_messages_in_order(tmp_path: Path) -> None:
    stories = tuple(
        StoryItem(
            title=f"Story {i}",
            url=f"https://news.example/{i}",
            source="Example",
            published=None,
            summary="Words. " * 40,
        )
        for i in range(60)
    )

    async def scenario(h: Harness) -> None:
        await h.adapter.post("C7", Reply(text="Digest", kind="digest", stories=stories))
        posted = h.fake.of("chat.postMessage")
        assert len(posted) >= 2
        assert all(len(p.args["blocks"]) <= 50 for p in posted)
        shown = "".join(p.dump for p in posted)
        positions = [shown.index(f"https://news.example/{i}|") for i in range(60)]
        assert positions == sorted(positions)

    run(tmp_path, scenario)


def test_follow_by_a_non_manager_is_refused(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        h.fake.users["U1"] = {"id": "U1", "is_admin": False, "is_owner": False}
        h.fake.channels["C1"] = {"id": "C1", "creator": "U2", "is_im": False}
        await h.brief("follow https://news.example/feed.xml")
        (answer,) = await h.fake.wait_for("response_url")
        assert answer.args["response_type"] == "ephemeral"
        assert "manage" in answer.dump
        assert not h.fake.of("chat.postMessage")

    run(tmp_path, scenario)


def test_manage_rights_come_from_admin_creator_or_dm_and_failures_refuse(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        h.fake.users["UADMIN"] = {"id": "UADMIN", "is_admin": True}
        h.fake.users["UMAKER"] = {"id": "UMAKER", "is_admin": False}
        h.fake.users["U1"] = {"id": "U1", "is_admin": False}
        h.fake.channels["C1"] = {"id": "C1", "creator": "UMAKER"}
        cases = [
            ("UADMIN", "C1", "Daily digest set"),
            ("UMAKER", "C1", "Daily digest set"),
            ("U1", "D5", "Daily digest set"),  # a direct message with the bot
            ("UGHOST", "C1", "manage"),  # users.info fails: no rights
        ]
        for number, (user, channel, expected) in enumerate(cases, start=1):
            await h.brief("schedule 08:00 UTC", user=user, channel=channel)
            answers = await h.fake.wait_for("response_url", count=number)
            assert expected in answers[-1].dump, (user, channel)
        lookups = len(h.fake.of("users.info"))
        await h.brief("schedule 09:00 UTC", user="UADMIN", channel="C1")
        await h.fake.wait_for("response_url", count=len(cases) + 1)
        assert len(h.fake.of("users.info")) == lookups  # cached

    run(tmp_path, scenario)


def test_health_check_answers_ok(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        url = f"http://127.0.0.1:{h.adapter.port}/healthz"
        async with h.http.get(url) as answer:
            assert answer.status == 200
            assert await answer.text() == "ok"

    run(tmp_path, scenario)


def test_signature_is_accepted_by_slacks_own_verifier() -> None:
    from slack_sdk.signature import SignatureVerifier

    stamp, body = str(int(time.time())), "token=x&text=hi"
    verifier = SignatureVerifier("s3cret")
    assert verifier.is_valid(body, stamp, signature("s3cret", stamp, body))
    assert not verifier.is_valid(body + "x", stamp, signature("s3cret", stamp, body))


def test_socket_mode_acknowledges_the_envelope_and_answers(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        settings = Settings(
            slack_bot_token="xoxb-test",
            slack_app_token="xapp-test",
            slack_api_url=h.fake.url("/api/"),
        )
        adapter = SlackAdapter(settings, h.adapter.commands)
        await adapter.start()
        try:
            assert adapter.port is None  # no HTTP server in Socket Mode
            (ws,) = h.fake.sockets
            payload = dict(
                parse_qsl(slash_body("whosaid no military solution", h.fake.url("/response/9")))
            )
            await ws.send_json(
                {
                    "envelope_id": "env-1",
                    "type": "slash_commands",
                    "payload": payload,
                    "accepts_response_payload": True,
                }
            )
            (ack,) = await h.fake.wait_for("socket_ack")
            assert ack.args["envelope_id"] == "env-1"
            (answer,) = await h.fake.wait_for("response_url")
            assert "Antony Blinken" in answer.dump
            assert SEED_URL in answer.dump
        finally:
            await adapter.stop()

    run(tmp_path, scenario)


def test_socket_mode_with_a_refused_app_token_fails_clearly(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        settings = Settings(
            slack_bot_token="xoxb-test",
            slack_app_token="xapp-bad",
            slack_api_url=h.fake.url("/api/"),
        )
        adapter = SlackAdapter(settings, h.adapter.commands)
        try:
            await adapter.start()
        except RuntimeError as exc:
            assert "SLACK_APP_TOKEN" in str(exc)
        else:
            raise AssertionError("start() should have failed")
        finally:
            await adapter.stop()

    run(tmp_path, scenario)


def test_plain_messages_and_redelivered_mentions_get_no_extra_answer(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        message = json.loads(mention_body("just chatting", ts="1700000005.000100"))
        message["event"]["type"] = "message"
        message["event_id"] = "EvPlain"
        status, _, _ = await h.send(json.dumps(message), form=False)
        assert status == 200
        mention = mention_body("<@UBOT> help", ts="1700000006.000100")
        for _ in range(2):  # Slack redelivers an event it thinks we missed
            status, _, _ = await h.send(mention, form=False)
            assert status == 200
        await h.fake.wait_for("chat.postMessage")
        await asyncio.sleep(0.3)
        assert len(h.fake.of("chat.postMessage")) == 1

    run(tmp_path, scenario)
