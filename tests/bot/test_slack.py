"""The Slack adapter end to end: the real adapter over HTTP, a fake Slack Web API on loopback."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
import pytest

from bot.commands import Commands
from bot.errors import PlatformUnreachable
from bot.replies import Reply, StoryItem
from bot.settings import Settings
from bot.slack_adapter import SlackAdapter, SlackStartError, signature
from summaries.answers.subscriptions import Channel
from summaries.store import Store, Tenant
from summaries.understand.quotes import QuoteExtractor
from tests.bot.fake_slack import SECRET, FakeSlackAPI, mention_body, signed_headers, slash_body
from tests.loopback import Route, serve
from tests.samples import SEED_URL, lead_pipeline, reach_everything


@dataclass
class Harness:
    fake: FakeSlackAPI
    adapter: SlackAdapter
    http: aiohttp.ClientSession

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.adapter.port}/slack/events"

    async def send(
        self, body: str | bytes, *, form: bool = True, headers: dict[str, str] | None = None
    ) -> tuple[int, str, float]:
        """POST `body` (signed unless `headers` are given): status, text and seconds taken."""
        kind = "application/x-www-form-urlencoded" if form else "application/json"
        sent = {"Content-Type": kind, **(headers if headers is not None else signed_headers(body))}
        data = body.encode() if isinstance(body, str) else body
        start = time.monotonic()
        async with self.http.post(self.events_url, data=data, headers=sent) as answer:
            text = await answer.text()
            return answer.status, text, time.monotonic() - start

    async def brief(self, text: str, **kwargs: Any) -> tuple[int, float]:
        status, _, took = await self.send(slash_body(text, self.fake.url("/response/1"), **kwargs))
        return status, took


@asynccontextmanager
async def slack(db: Path, quote_finder: QuoteExtractor, **settings: Any) -> AsyncIterator[Harness]:
    """The real adapter over HTTP on a free loopback port, over `db` (holding the seed article);
    `settings` override the test's own."""
    store = Store(f"sqlite:///{db}")
    pipeline = lead_pipeline(store, quote_finder)
    fake = FakeSlackAPI()
    await fake.start()
    chosen = Settings(
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_url=fake.url("/api/"),
        http_port=0,
        **settings,
    )
    reach_everything(store, Tenant("slack", "T1"))  # the seed is the fake workspace's news
    adapter = SlackAdapter(chosen, Commands(store, pipeline), host="127.0.0.1")
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


Scenario = Callable[[Harness], Any]
Runner = Callable[[Scenario], None]


@pytest.fixture
def run(seeded_db: Path, quote_extractor: QuoteExtractor) -> Runner:
    """Runs a scenario against a harness of its own, over a copy of the seeded database."""

    def go(scenario: Scenario) -> None:
        async def main() -> None:
            async with slack(seeded_db, quote_extractor) as harness:
                await asyncio.wait_for(scenario(harness), 30)

        asyncio.run(main())

    return go


def test_slash_command_is_acknowledged_at_once_and_answered_at_the_response_url(
    run: Runner,
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

    run(scenario)


def test_answer_falls_back_to_chat_post_message_when_the_response_url_fails(
    run: Runner,
) -> None:
    async def scenario(h: Harness) -> None:
        h.fake.response_status = 404
        status, _ = await h.brief("whosaid no military solution")
        assert status == 200
        (posted,) = await h.fake.wait_for("chat.postMessage")
        assert posted.args["channel"] == "C1"
        assert "Antony Blinken" in posted.dump
        assert SEED_URL in posted.dump

    run(scenario)


def test_bad_signature_is_refused_with_401(run: Runner) -> None:
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

    run(scenario)


def test_malformed_requests_get_400_or_401_without_a_traceback_or_their_body_logged(
    run: Runner, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    marker = "BODY-MUST-NOT-BE-LOGGED"

    async def scenario(h: Harness) -> None:
        signed_cases: list[tuple[str | bytes, bool]] = [
            ('{"type": "event_callback", "event": ' + marker, False),  # broken JSON
            (b"command=/brief&text=\xff\xfe" + marker.encode(), True),  # not UTF-8
            ("payload=" + marker, True),  # an interaction whose payload is not JSON
            ('["' + marker + '"]', False),  # JSON, but not an object
            ("[" * 100_000, False),  # nested past any parser's depth
        ]
        for body, form in signed_cases:
            status, _, _ = await h.send(body, form=form)
            assert status == 400, body[:40]
        unsigned: list[tuple[str, dict[str, str]]] = [
            ('{"type": ' + marker, {}),
            (marker, {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=00"}),
            (marker, signed_headers(marker) | {"X-Slack-Request-Timestamp": "9" * 40}),
            (marker, signed_headers(marker) | {"X-Slack-Signature": "v0=\u00e9t\u00e9"}),
            (marker * 40_000, signed_headers("other body")),  # about 1 MB, badly signed
        ]
        for body, headers in unsigned:
            status, _, _ = await h.send(body, headers=headers, form=False)
            assert status == 401
        assert not h.fake.of("response_url", "chat.postMessage")

    run(scenario)
    assert [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info] == []
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert marker not in logged
    refusals = [r for r in caplog.records if "refused" in r.getMessage()]
    assert refusals and all(len(r.getMessage()) < 200 for r in refusals)


def test_a_replayed_slash_command_is_refused_and_runs_once(run: Runner) -> None:
    async def scenario(h: Harness) -> None:
        body = slash_body("help", h.fake.url("/response/1"))
        headers = signed_headers(body)
        status, _, _ = await h.send(body, headers=headers)
        assert status == 200
        status, _, _ = await h.send(body, headers=headers)  # the same signed request again
        assert status == 409
        await h.fake.wait_for("response_url")
        await asyncio.sleep(0.3)
        assert len(h.fake.of("response_url", "chat.postMessage")) == 1

    run(scenario)


def test_dm_rights_come_from_a_dm_channel_id_not_from_what_the_request_calls_it(
    run: Runner,
) -> None:
    async def scenario(h: Harness) -> None:
        h.fake.users["U1"] = {"id": "U1", "is_admin": False}
        h.fake.channels["C9"] = {"id": "C9", "creator": "U2", "is_im": False}
        command = slash_body("schedule 08:00 UTC", h.fake.url("/response/1"), channel="C9")
        command = command.replace("channel_name=news", "channel_name=directmessage")
        status, _, _ = await h.send(command)
        assert status == 200
        (answer,) = await h.fake.wait_for("response_url")
        assert "manage" in answer.dump
        mention = mention_body(
            "<@UBOT> schedule 08:00 UTC", ts="1700000009.000100", channel="C9", channel_type="im"
        )
        status, _, _ = await h.send(mention, form=False)
        assert status == 200
        (posted,) = await h.fake.wait_for("chat.postMessage")
        assert "manage" in posted.dump
        assert h.adapter.commands.subscriptions.schedule(Channel("slack", "T1", "C9")) is None

    run(scenario)


def test_stale_timestamp_is_refused_with_401(run: Runner) -> None:
    async def scenario(h: Harness) -> None:
        body = slash_body("help", h.fake.url("/response/1"))
        stale = int(time.time()) - 6 * 60
        status, _, _ = await h.send(body, headers=signed_headers(body, timestamp=stale))
        assert status == 401

    run(scenario)


def test_url_verification_challenge_is_echoed(run: Runner) -> None:
    async def scenario(h: Harness) -> None:
        body = json.dumps({"token": "t", "challenge": "chal-123", "type": "url_verification"})
        status, text, _ = await h.send(body, form=False)
        assert status == 200
        assert json.loads(text) == {"challenge": "chal-123"}

    run(scenario)


def test_app_mention_is_answered_in_its_thread(run: Runner) -> None:
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

    run(scenario)


def test_app_mention_inside_a_thread_answers_in_that_thread(run: Runner) -> None:
    async def scenario(h: Harness) -> None:
        body = mention_body("<@UBOT> help", ts="1700000001.000200", thread_ts="1700000000.000100")
        await h.send(body, form=False)
        (posted,) = await h.fake.wait_for("chat.postMessage")
        assert posted.args["thread_ts"] == "1700000000.000100"

    run(scenario)


def test_mentions_by_bots_get_no_answer(run: Runner) -> None:
    async def scenario(h: Harness) -> None:
        body = mention_body("<@UBOT> help", ts="1700000002.000300", bot_id="B2")
        status, _, _ = await h.send(body, form=False)
        assert status == 200
        await h.send(mention_body("<@UBOT> help", ts="1700000003.000400"), form=False)
        await h.fake.wait_for("chat.postMessage")  # the person's mention, answered
        await asyncio.sleep(0.3)
        assert len(h.fake.of("chat.postMessage")) == 1

    run(scenario)


def test_hostile_and_malformed_commands_get_a_harmless_answer(run: Runner) -> None:
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

    run(scenario)


def test_rate_limited_post_is_retried_after_retry_after_and_arrives(run: Runner) -> None:
    async def scenario(h: Harness) -> None:
        h.fake.rate_limit_once.add("chat.postMessage")
        start = time.monotonic()
        await h.adapter.post("C7", Reply(text="Morning digest", lines=("first story",)))
        first, second = h.fake.of("chat.postMessage")
        assert second.at - first.at >= 0.9  # Retry-After: 1 honoured
        assert second.args["channel"] == "C7"
        assert "first story" in second.dump
        assert time.monotonic() - start < 5

    run(scenario)


def test_long_post_is_split_into_several_messages_in_order(run: Runner) -> None:
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

    run(scenario)


def test_follow_by_a_non_manager_is_refused(run: Runner) -> None:
    async def scenario(h: Harness) -> None:
        h.fake.users["U1"] = {"id": "U1", "is_admin": False, "is_owner": False}
        h.fake.channels["C1"] = {"id": "C1", "creator": "U2", "is_im": False}
        await h.brief("follow https://news.example/feed.xml")
        (answer,) = await h.fake.wait_for("response_url")
        assert answer.args["response_type"] == "ephemeral"
        assert "manage" in answer.dump
        assert not h.fake.of("chat.postMessage")

    run(scenario)


def test_manage_rights_come_from_admin_creator_or_dm_and_failures_refuse(run: Runner) -> None:
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

    run(scenario)


def test_health_check_answers_ok(run: Runner) -> None:
    async def scenario(h: Harness) -> None:
        url = f"http://127.0.0.1:{h.adapter.port}/healthz"
        async with h.http.get(url) as answer:
            assert answer.status == 200
            assert await answer.text() == "ok"

    run(scenario)


def test_signature_is_accepted_by_slacks_own_verifier() -> None:
    from slack_sdk.signature import SignatureVerifier

    stamp, body = str(int(time.time())), "token=x&text=hi"
    verifier = SignatureVerifier("s3cret")
    assert verifier.is_valid(body, stamp, signature("s3cret", stamp, body))
    assert not verifier.is_valid(body + "x", stamp, signature("s3cret", stamp, body))


def test_socket_mode_acknowledges_the_envelope_and_answers(run: Runner) -> None:
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

    run(scenario)


def test_socket_mode_envelopes_of_the_wrong_shape_are_acknowledged_and_refused(
    run: Runner, caplog: pytest.LogCaptureFixture
) -> None:
    """Over HTTP a signed body whose fields are of the wrong type is refused (400); over Socket
    Mode bolt read them as strings and answered: a mention from a list of users posted to the
    channel "{'x': 1}", a command from an object channel to "{'a': 1}". Now each envelope is
    acknowledged (not delivered again), refused in the log at DEBUG, and answers nowhere; the
    next real command is answered."""

    def event(fields: dict[str, Any]) -> dict[str, Any]:
        return {"type": "event_callback", "team_id": "T1", "event_id": "Ev9", "event": fields}

    mention = {"type": "app_mention", "text": 123, "user": ["U1"], "channel": {"x": 1}, "ts": 5}
    envelopes = [
        {"type": "events_api", "envelope_id": "e1", "payload": event(mention)},
        {"type": "events_api", "envelope_id": "e2", "payload": event("app_mention")},
        {
            "type": "slash_commands",
            "envelope_id": "e4",
            "payload": {"command": "/brief", "text": ["help"], "channel_id": {"a": 1}},
        },
    ]

    async def scenario(h: Harness) -> None:
        settings = Settings(
            slack_bot_token="xoxb-test",
            slack_app_token="xapp-test",
            slack_api_url=h.fake.url("/api/"),
        )
        adapter = SlackAdapter(settings, h.adapter.commands)
        await adapter.start()
        try:
            (ws,) = h.fake.sockets
            for envelope in envelopes:
                await ws.send_json(envelope)
            acks = await h.fake.wait_for("socket_ack", count=len(envelopes))
            assert [a.args["envelope_id"] for a in acks] == ["e1", "e2", "e4"]
            payload = dict(parse_qsl(slash_body("help", h.fake.url("/response/9"))))
            await ws.send_json({"envelope_id": "e5", "type": "slash_commands", "payload": payload})
            (answer,) = await h.fake.wait_for("response_url")
            assert "help" in answer.dump.lower()
            assert h.fake.of("chat.postMessage", "chat.postEphemeral") == []
            assert [c.args["user"] for c in h.fake.of("users.info")] == ["U1"]  # e5's caller
        finally:
            await adapter.stop()

    caplog.set_level(logging.DEBUG, logger="bot.slack_adapter")
    run(scenario)
    refused = [
        r.getMessage() for r in caplog.records if "refused a Slack request" in r.getMessage()
    ]
    assert len(refused) == len(envelopes)
    assert [r for r in caplog.records if r.exc_info] == []


def test_socket_mode_with_a_refused_app_token_fails_clearly(run: Runner) -> None:
    async def scenario(h: Harness) -> None:
        settings = Settings(
            slack_bot_token="xoxb-test",
            slack_app_token="xapp-bad",
            slack_api_url=h.fake.url("/api/"),
        )
        adapter = SlackAdapter(settings, h.adapter.commands)
        try:
            await adapter.start()
        except SlackStartError as exc:
            assert "SLACK_APP_TOKEN" in str(exc)
            assert not isinstance(exc, PlatformUnreachable)  # a refusal is not retried
        else:
            raise AssertionError("start() should have failed")
        finally:
            await adapter.stop()

    run(scenario)


def test_plain_messages_and_redelivered_mentions_get_no_extra_answer(run: Runner) -> None:
    async def scenario(h: Harness) -> None:
        message = json.loads(mention_body("just chatting", ts="1700000005.000100"))
        message["event"]["type"] = "message"
        message["event_id"] = "EvPlain"
        status, _, _ = await h.send(json.dumps(message), form=False)
        assert status == 200
        mention = mention_body("<@UBOT> help", ts="1700000006.000100")
        for attempt in range(2):  # Slack redelivers an event it thinks we missed, signed anew
            stamp = int(time.time()) - attempt
            status, _, _ = await h.send(
                mention, form=False, headers=signed_headers(mention, timestamp=stamp)
            )
            assert status == 200
        await h.fake.wait_for("chat.postMessage")
        await asyncio.sleep(0.3)
        assert len(h.fake.of("chat.postMessage")) == 1

    run(scenario)


def signed_event(event: Any, **outer: Any) -> str:
    return json.dumps({"type": "event_callback", "team_id": "T1", **outer, "event": event})


def test_signed_events_with_missing_or_mistyped_fields_never_crash_or_hang(
    run: Runner, caplog: pytest.LogCaptureFixture
) -> None:
    """Slack never sends these, but a body that passes the signature is still outside input:
    each gets a 4xx or is answered, within Slack's 3 s, and none leaves a trace in the log."""

    async def scenario(h: Harness) -> None:
        bodies = [
            (json.dumps({"type": "event_callback"}), 404),  # no event at all: nothing to do
            (signed_event("app_mention"), 400),  # the event is a string
            (signed_event(None), 400),
            (signed_event({"type": "app_mention"}), 200),  # nobody, nowhere: ignored
            (signed_event({"type": "app_mention", "user": ["U1"], "text": 42}), 400),
            (signed_event({"type": "app_mention", "user": "U1", "ts": 5}), 400),
            (signed_event({"type": "app_mention"}, team_id=7), 400),
            (
                signed_event(
                    {"type": "app_mention", "user": "U1", "channel": "C1", "text": None},
                    event_id="Ev3",
                    team_id=None,
                ),
                200,
            ),
            (json.dumps({"type": "no_such_type", "event": {}}), 404),
            (json.dumps({}), 404),
        ]
        for body, expected in bodies:
            status, _, took = await h.send(body, form=False)
            assert (status, took < 3.0) == (expected, True), body
        (mention,) = await h.fake.wait_for("chat.postMessage")
        assert mention.args["channel"] == "C1"
        assert mention.args["text"].strip()
        # a slash command whose response_url is no web address is answered in the channel
        form = "command=/brief&text=help&channel_id=C2&user_id=U1"
        status, _, _ = await h.send(form + "&response_url=javascript:alert(1)")
        assert status == 200
        posted = await h.fake.wait_for("chat.postMessage", count=2)
        assert posted[-1].args["channel"] == "C2"
        assert "help" in posted[-1].dump.lower()
        status, _, took = await h.send("command=/brief")  # no text, channel, user or URL
        assert (status, took < 3.0) == (200, True)
        await asyncio.sleep(0.3)

    run(scenario)
    assert [r for r in caplog.records if r.exc_info] == []


def test_a_slash_command_with_the_word_payload_anywhere_is_answered(run: Runner) -> None:
    """Bolt reads a form body with "payload" anywhere in it as an interaction: these commands
    got a 404 and no answer (and every command did, from a workspace named so)."""

    async def scenario(h: Harness) -> None:
        url = h.fake.url("/response/1")
        bodies = [
            slash_body("whosaid no military solution payload", url),
            slash_body("payload=help", url),
            slash_body("whosaid no military solution", url).replace("example", "payload-labs"),
        ]
        for n, body in enumerate(bodies, start=1):
            status, _, took = await h.send(body)
            assert (status, took < 3.0) == (200, True)
            answers = await h.fake.wait_for("response_url", count=n)
            assert answers[-1].args["text"].strip()
        assert "Antony Blinken" in answers[0].dump and "Antony Blinken" in answers[2].dump
        assert "help" in answers[1].dump.lower()

    run(scenario)


def test_signed_interactions_are_refused_as_unhandled_without_a_trace(
    run: Runner, caplog: pytest.LogCaptureFixture
) -> None:
    """The app has no buttons, views or shortcuts: an interaction (a 500 and a trace in the
    log when its fields were mistyped) gets 404 and runs nothing."""
    payloads: list[dict[str, Any]] = [
        {"type": "view_submission", "view": 5},
        {"type": "block_suggestion", "action_id": 5, "block_id": []},
        {"type": "block_actions", "user": {"id": "U1"}, "actions": [{"action_id": "a"}]},
        {"type": "shortcut", "callback_id": "x", "user": {"id": "U1"}},
    ]

    async def scenario(h: Harness) -> None:
        for payload in payloads:
            status, text, took = await h.send(urlencode({"payload": json.dumps(payload)}))
            assert (status, took < 3.0) == (404, True), payload
            assert "unhandled" in text
        await asyncio.sleep(0.2)
        assert not h.fake.of("response_url", "chat.postMessage")

    run(scenario)
    assert [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR] == []


def test_requests_that_are_no_valid_http_get_400_and_no_trace_in_the_log(
    run: Runner, caplog: pytest.LogCaptureFixture
) -> None:
    """What scanners send to any open port: aiohttp answered 400 but logged each at ERROR
    with a traceback, so anyone on the internet could fill the log (and page whoever
    watches its errors). Each is now a refused request, counted at DEBUG."""
    head = b"POST /slack/events HTTP/1.1\r\nHost: x\r\n"
    raw = [
        head + b"X-A: " + b"a" * 100_000 + b"\r\n\r\n",  # one header line past 8 kB
        head + b"X-A: b\r\n" * 10_000 + b"\r\n",
        head + b"Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
        head + b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        head + b"Content-Length: -5\r\n\r\n",
        head + b"Content-Length: " + b"9" * 30 + b"\r\n\r\nab",
        b"GET /heal\x00thz HTTP/1.1\r\nHost: x\r\n\r\n",
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    ]

    async def scenario(h: Harness) -> None:
        for request in raw:
            reader, writer = await asyncio.open_connection("127.0.0.1", h.adapter.port)
            writer.write(request)
            await writer.drain()
            answer = await asyncio.wait_for(reader.read(100), 3)
            writer.close()
            assert answer.startswith(b"HTTP/1.0 400 Bad Request"), request[:60]
        status, _ = await h.brief("help")  # and the app still answers
        assert status == 200
        await h.fake.wait_for("response_url")

    caplog.set_level(logging.DEBUG)
    run(scenario)
    loud = [r for r in caplog.records if r.levelno > logging.DEBUG]
    assert [r for r in loud if r.name.startswith("aiohttp") or r.exc_info] == []
    refused = [r for r in caplog.records if "not valid HTTP" in r.getMessage()]
    assert len(refused) >= len(raw)


def test_a_mention_of_only_the_bots_name_or_of_odd_unicode_gets_a_short_answer(
    run: Runner,
) -> None:
    texts = [
        "<@UBOT>",
        "<@UBOT>   \u200b\u200b",
        "<@UBOT> \u202eetats\u202c who said \U0001f600\U0001f600",
        "<@UBOT> " + "\u0301" * 3000,  # combining marks with nothing to combine with
        "<@UBOT> " + "\ufdfd" * 1000,
    ]

    async def scenario(h: Harness) -> None:
        for n, text in enumerate(texts, start=1):
            status, _, took = await h.send(mention_body(text, ts=f"{n}.0"), form=False)
            assert status == 200
            assert took < 3.0
            posted = await h.fake.wait_for("chat.postMessage", count=n)
            assert posted[-1].args["text"].strip()

    run(scenario)


def test_a_ten_megabyte_request_is_refused_before_it_is_read_whole(run: Runner) -> None:
    async def scenario(h: Harness) -> None:
        body = slash_body("ask " + "x" * 10_000_000, h.fake.url("/response/1"))
        status, _, took = await h.send(body)
        assert status == 413
        assert took < 5.0
        status, _ = await h.brief("help")  # and the app still answers
        assert status == 200
        await h.fake.wait_for("response_url")

    run(scenario)


def test_summarize_of_a_link_that_is_missing_or_never_answers_says_why(run: Runner) -> None:
    hold = threading.Event()
    with serve() as site:
        site.routes["/slow"] = Route(b"late", hold=hold)

        async def scenario(h: Harness) -> None:
            status, took = await h.brief(f"summarize {site.url('/gone')}")
            assert (status, took < 3.0) == (200, True)
            (gone,) = await h.fake.wait_for("response_url")
            assert "HTTP 404 Not Found" in gone.dump
            status, took = await h.brief(f"summarize {site.url('/slow')}")
            assert (status, took < 3.0) == (200, True)
            _, slow = await h.fake.wait_for("response_url", count=2)
            assert "timed out after 5 s" in slow.dump

        try:
            run(scenario)
        finally:
            hold.set()


def test_a_client_sending_its_request_slowly_is_cut_off_while_others_are_served(
    seeded_db: Path, quote_extractor: QuoteExtractor
) -> None:
    """Headers sent a byte at a time, or a body that never ends, get 408 and a closed connection
    at NEWSBRIEF_HTTP_READ_TIMEOUT; meanwhile, and after, normal requests are answered."""
    head = b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 300
    body_head = b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 500\r\n\r\nx"

    async def cut_off(h: Harness, first: bytes, then: bytes) -> tuple[bytes, float]:
        """Send `first` at once, then `then` a byte every 50 ms: what came back, and when."""
        reader, writer = await asyncio.open_connection("127.0.0.1", h.adapter.port)

        async def dribble() -> None:
            writer.write(first)
            for byte in then:  # 15 s or more: far past the deadline
                await asyncio.sleep(0.05)
                writer.write(bytes([byte]))
                await writer.drain()

        started = time.monotonic()
        sender = asyncio.create_task(dribble())
        try:
            # meanwhile the app answers
            status, took = await h.brief("help")
            assert (status, took < 1.0) == (200, True)
            answer = await asyncio.wait_for(reader.read(), 5)
            return answer, time.monotonic() - started
        finally:
            assert not sender.done() or sender.exception() is not None  # it never finished
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)
            writer.close()

    async def main() -> None:
        async with slack(seeded_db, quote_extractor, http_read_timeout=1.0) as h:
            for first, then in ((b"", head), (body_head, b"y" * 499)):
                answer, took = await cut_off(h, first, then)
                assert answer.startswith(b"HTTP/1.1 408"), answer[:100]
                assert b"request too slow" in answer
                assert 0.9 < took < 3.0
            status, _ = await h.brief("help")  # and after
            assert status == 200
            await h.fake.wait_for("response_url", count=3)
            url = f"http://127.0.0.1:{h.adapter.port}/healthz"
            async with h.http.get(url) as health:
                assert health.status == 200

    asyncio.run(asyncio.wait_for(main(), 30))
