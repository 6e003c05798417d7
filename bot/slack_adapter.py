"""The Slack adapter: slack-bolt's AsyncApp over HTTP (`POST /slack/events`) or Socket Mode.

`/brief <text>` is acknowledged at once and answered through the response_url (chat.postMessage
if that fails); an @mention is answered in its thread. Replies are rendered by `slack_render`.
This is the only module that imports slack_bolt or slack_sdk.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import sys
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any
from urllib.parse import parse_qsl

import aiohttp
from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.commands import Caller, Commands, usage
from bot.errors import PlatformError, PlatformUnreachable, reason
from bot.health import PATH as HEALTH_PATH  # also served here when Slack events come over HTTP
from bot.replies import Reply
from bot.settings import Settings
from bot.slack_render import Message, render

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
RIGHTS_TTL = 300.0  # seconds a user's or channel's manage rights are cached
RETRY_RIGHTS = 30.0  # seconds before a failed rights lookup is tried again
RESPONSE_URL_MESSAGES = 5  # Slack accepts up to five messages per response_url
CONNECT_TIMEOUT = 30.0  # seconds for Socket Mode to connect
SEEN_EVENTS = 1000  # event ids remembered to ignore Slack's redeliveries
REQUEST_WINDOW = 300  # seconds a signed request's timestamp stays valid (Slack's 5 minutes)
SEEN_REQUESTS = 10_000  # signatures remembered to refuse a request replayed inside the window
REFUSED_LOG_EVERY = 60.0  # seconds between two log lines about refused requests
RETRIES = 5  # attempts after a 429 (each waits the Retry-After) or a dropped connection

SLASH_COMMAND = "/brief"
# The events the app subscribes to, and the scope each needs. (Plain `message` events are
# listened to only so bolt does not warn; the app does not subscribe to them.)
EVENTS: dict[str, str] = {"app_mention": "app_mentions:read"}
# Each Web API method this adapter calls (as `self.client.<method>`) -> the bot scopes it needs.
API_SCOPES: dict[str, tuple[str, ...]] = {
    "auth_test": (),
    "chat_postMessage": ("chat:write",),
    "chat_postEphemeral": ("chat:write",),
    "users_info": ("users:read",),
    # a public channel, a private one, a group DM (a DM is known by its id and never asked)
    "conversations_info": ("channels:read", "groups:read", "mpim:read"),
}
# Socket Mode's app-level token (SLACK_APP_TOKEN) calls apps.connections.open with this scope.
APP_TOKEN_SCOPES = ("connections:write",)


def bot_scopes() -> list[str]:
    """Every bot scope the adapter needs: the slash command's, its events', its API calls'."""
    needed = {"commands", *EVENTS.values()}
    for scopes in API_SCOPES.values():
        needed.update(scopes)
    return sorted(needed)


def manifest(request_url: str | None = None) -> dict[str, Any]:
    """The Slack app manifest for newsbrief: Socket Mode, or HTTP when `request_url` (the
    public https URL of `/slack/events`) is given. Paste it at api.slack.com/apps → Create New
    App → From a manifest."""
    command: dict[str, Any] = {
        "command": SLASH_COMMAND,
        "description": "News briefs: stories, summaries and who said what",
        "usage_hint": usage(),
        "should_escape": False,
    }
    events: dict[str, Any] = {"bot_events": list(EVENTS)}
    if request_url:
        command["url"] = request_url
        events["request_url"] = request_url
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": "Newsbrief",
            "description": "Self-hosted news briefings: summaries, quotes, who said what.",
            "background_color": "#1d3557",
        },
        "features": {
            "bot_user": {"display_name": "newsbrief", "always_online": True},
            "slash_commands": [command],
        },
        "oauth_config": {"scopes": {"bot": bot_scopes()}},
        "settings": {
            "event_subscriptions": events,
            "interactivity": {"is_enabled": False},
            "org_deploy_enabled": False,
            "socket_mode_enabled": not request_url,
            "token_rotation_enabled": False,
        },
    }


Ack = Callable[..., Awaitable[None]]


def _unused_token_warning(record: logging.LogRecord) -> bool:
    return "`token` will be unused" not in record.getMessage()


class SlackStartError(PlatformError):
    """Slack refused the app (a token), or its HTTP server can't listen; fix, then restart."""


def signature(signing_secret: str, timestamp: str, body: str | bytes) -> str:
    """The `X-Slack-Signature` Slack sends for `body` at `timestamp`."""
    raw = body.encode() if isinstance(body, str) else body
    base = b"v0:" + timestamp.encode() + b":" + raw
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


class RequestCheck:
    """Slack's HTTP request check, done on the raw bytes before anything parses them: a fresh
    numeric timestamp, a valid signature, and not a replay of a request already accepted."""

    def __init__(self, signing_secret: str, *, clock: Callable[[], float] = time.time) -> None:
        self._secret = signing_secret
        self._clock = clock
        self._accepted: OrderedDict[str, float] = OrderedDict()  # signature -> its timestamp

    def refusal(self, raw: bytes, timestamp: str, sent: str) -> str | None:
        """Why the request must be refused, or None (and it is remembered as accepted)."""
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
            return "no usable timestamp"
        now = self._clock()
        if abs(now - int(timestamp)) > REQUEST_WINDOW:
            return "stale timestamp"
        expected = signature(self._secret, timestamp, raw).encode()
        if not hmac.compare_digest(expected, sent.encode("utf-8", "surrogateescape")):
            return "bad signature"
        while self._accepted and (
            len(self._accepted) >= SEEN_REQUESTS
            or next(iter(self._accepted.values())) < now - REQUEST_WINDOW
        ):
            self._accepted.popitem(last=False)
        if sent in self._accepted:
            return "replayed request"
        self._accepted[sent] = float(timestamp)
        return None


def _retry_handlers() -> list[Any]:
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
        AsyncRateLimitErrorRetryHandler(max_retry_count=RETRIES),
    ]


# Fields read from an event, and from the request around it: text when present (Slack sends
# null for some); anything else is not a request Slack sends.
_EVENT_TEXT_FIELDS = ("type", "user", "channel", "text", "ts", "thread_ts", "team", "subtype")
_OUTER_TEXT_FIELDS = ("type", "team_id", "event_id")


def _shape_problem(body: dict[str, Any]) -> str | None:
    """Why a signed request body is not one Slack sends, or None. Bolt reads `event` and the
    fields above as objects and strings: any other shape raised inside it (a 500 and a trace)."""
    for name in _OUTER_TEXT_FIELDS:
        if body.get(name) is not None and not isinstance(body[name], str):
            return f"{name} is not a string"
    if "event" not in body:
        return None
    event = body["event"]
    if not isinstance(event, dict):
        return "event is not an object"
    for name in _EVENT_TEXT_FIELDS:
        if event.get(name) is not None and not isinstance(event[name], str):
            return f"event.{name} is not a string"
    return None


def _envelope_problem(kind: str, payload: Any) -> str | None:
    """Why a Socket Mode envelope's payload is not one Slack sends, or None: the checks a
    signed HTTP request gets (`_shape_problem`), and a slash command's fields, which over HTTP
    are form fields and so always strings."""
    if not isinstance(payload, dict):
        return "its payload is not an object"
    if kind == "slash_commands":
        wrong = next((k for k, v in payload.items() if not isinstance(v, str)), None)
        return None if wrong is None else f"{str(wrong)[:40]} is not a string"
    return _shape_problem(payload)


class _CheckedSocketModeHandler(AsyncSocketModeHandler):
    """Bolt's Socket Mode handler, given only envelopes of the shapes Slack sends. Bolt read
    the fields of one it was handed as strings whatever they were: a mention from a list of
    users in a channel that was an object was answered, posting to the channel "{'x': 1}",
    where the same body over HTTP is refused. Such an envelope is acknowledged (so it is not
    delivered again) and refused as an HTTP request is (`refused`)."""

    def __init__(self, *args: Any, refused: Callable[[str, int], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._refused = refused

    async def handle(self, client: Any, req: SocketModeRequest) -> None:
        problem = _envelope_problem(str(req.type), req.payload)
        if problem is None:
            await super().handle(client, req)
            return
        self._refused(f"a Socket Mode {str(req.type)[:40]} envelope: {problem}", 0)
        if isinstance(req.envelope_id, str) and req.envelope_id:
            await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))


def _read_form(bolt_request: AsyncBoltRequest) -> str | None:
    """For a form-encoded request: "interaction" when it carries an interaction's `payload`,
    else "form", with the form as its body (and context). Bolt reads any form body with
    "payload" anywhere in it as an interaction: `/brief ask about the rocket payload`, or any
    command from a workspace named payload-labs, became an empty body and a 404, never
    answered. None for a JSON body."""
    raw = bolt_request.raw_body
    if bolt_request.content_type == "application/json" or raw.startswith("{"):
        return None
    form = dict(parse_qsl(raw, keep_blank_values=True))
    if "payload" in form:
        return "interaction"
    if bolt_request.body != form:
        bolt_request.body = form
        bolt_request.context = build_async_context(AsyncBoltContext({}), form)
    return "form"


TOO_SLOW = (
    b"HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\n"
    b'Content-Length: 30\r\nConnection: close\r\n\r\n{"error": "request too slow"}\n'
)


class ServerLog(logging.LoggerAdapter):
    """aiohttp's server log, where a request that is no valid HTTP (a header line past 8 kB, a
    bad chunk or Content-Length, a NUL in the path, HTTP/2's preface: what scanners send to
    any open port) is counted as a refused request, one line at DEBUG. aiohttp logged each at
    ERROR with a traceback, so anyone could fill the log. Other errors keep their traceback."""

    def __init__(self, note: Callable[[str, int], None]) -> None:
        super().__init__(logging.getLogger("aiohttp.server"), {})
        self._note = note

    def exception(self, msg: object, *args: Any, exc_info: Any = True, **kwargs: Any) -> None:
        exc = exc_info if isinstance(exc_info, BaseException) else sys.exc_info()[1]
        if isinstance(exc, HttpProcessingError) and 400 <= exc.code < 500:
            self._note(f"not valid HTTP ({type(exc).__name__})", 0)
            return
        super().exception(msg, *args, exc_info=exc_info, **kwargs)


class DeadlineServer(web.Server):
    """aiohttp's low-level server, where a request must arrive whole in bounded time.

    aiohttp bounds a request's size but not the time it takes to arrive: a client sending its
    headers a byte every few seconds (slowloris) held a connection, and its memory, for as long
    as it liked. Here each connection must deliver its request, headers and body, within
    `read_timeout` seconds of opening, else it gets 408 and is closed. Every answer closes its
    connection, so each connection carries exactly one request under the deadline."""

    def __init__(
        self,
        handler: Callable[[web.BaseRequest], Awaitable[web.StreamResponse]],
        *,
        read_timeout: float,
        **kwargs: Any,
    ) -> None:
        super().__init__(self._serve, **kwargs)
        self._handler = handler
        self.read_timeout = read_timeout
        self._deadlines: dict[web.RequestHandler, asyncio.TimerHandle] = {}
        self.cut_off = 0  # connections closed for being too slow

    def connection_made(self, handler: web.RequestHandler, transport: asyncio.Transport) -> None:
        super().connection_made(handler, transport)
        self._deadlines[handler] = asyncio.get_running_loop().call_later(
            self.read_timeout, self._too_slow, handler, transport
        )

    def connection_lost(
        self, handler: web.RequestHandler, exc: BaseException | None = None
    ) -> None:
        self._arrived(handler)
        super().connection_lost(handler, exc)

    def _arrived(self, handler: Any) -> None:
        timer = self._deadlines.pop(handler, None)
        if timer is not None:
            timer.cancel()

    def _too_slow(self, handler: web.RequestHandler, transport: asyncio.Transport) -> None:
        if self._deadlines.pop(handler, None) is None:
            return
        self.cut_off += 1
        log.debug("closed a connection that sent no whole request in %.0f s", self.read_timeout)
        if not transport.is_closing():
            transport.write(TOO_SLOW)
            transport.close()

    async def _serve(self, request: web.BaseRequest) -> web.StreamResponse:
        try:
            await request.read()  # whole, under the deadline (and the size limit: 413)
        except web.HTTPException:
            raise
        except Exception:  # the deadline closed the connection midway: nobody to answer
            return web.Response(status=408)
        self._arrived(request.protocol)
        response = await self._handler(request)
        response.force_close()
        return response


class SlackAdapter:
    """Newsbrief on Slack: one AsyncApp, served over HTTP or Socket Mode on the running loop."""

    def __init__(self, settings: Settings, commands: Commands, *, host: str | None = None) -> None:
        """`host`: the address the HTTP server binds; by default NEWSBRIEF_HTTP_HOST, else
        0.0.0.0 (Slack must reach the events URL, usually through a TLS proxy)."""
        if not settings.slack_bot_token:
            raise ValueError("SLACK_BOT_TOKEN is not set")
        if not settings.slack_app_token and not settings.slack_signing_secret:
            raise ValueError("Slack over HTTP needs SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN)")
        self.settings = settings
        self.commands = commands
        self.host = host or settings.http_host or "0.0.0.0"
        base_url = settings.slack_api_url.rstrip("/") + "/"
        self.client = AsyncWebClient(
            token=settings.slack_bot_token, base_url=base_url, retry_handlers=_retry_handlers()
        )
        # The token travels in `client`; bolt also reads SLACK_BOT_TOKEN itself and then warns
        # that it "will be unused", which is no news to an operator: that one line is dropped.
        log.addFilter(_unused_token_warning)
        try:
            self.app = AsyncApp(
                signing_secret=settings.slack_signing_secret or None,
                client=self.client,
                # HTTP requests are checked in _handle_http, before bolt parses them
                request_verification_enabled=False,
                ignoring_self_events_enabled=True,
                logger=log,
            )
        finally:
            log.removeFilter(_unused_token_warning)
        self.port: int | None = None  # the HTTP port actually bound, once started
        self._runner: web.ServerRunner | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._rights: dict[tuple[str, str], tuple[float, bool]] = {}
        self._bot_user: str | None = None
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._check = RequestCheck(settings.slack_signing_secret)
        self._refused = 0  # refused requests not logged yet
        self._refused_logged_at = -REFUSED_LOG_EVERY
        # what /healthz answers (status, JSON body); None: a plain "ok"
        self.health: Callable[[], Awaitable[tuple[int, dict[str, Any]]]] | None = None
        self.register()

    # -- routes -----------------------------------------------------------------------------------
    def register(self) -> None:
        """Every route of the Slack app: `/brief`, `app_mention`, and quiet plain messages."""
        self.app.command(SLASH_COMMAND)(self._on_brief)
        for event in EVENTS:  # app_mention: the only event subscribed
            self.app.event(event)(self._on_mention)
        self.app.event("message")(self._on_message)

    async def _on_brief(self, ack: Ack, body: dict[str, Any]) -> None:
        await ack()  # first, always: Slack gives up after 3 s and the work may take longer
        self._spawn(self._answer_command(body))

    async def _on_mention(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if self._seen_before(str(body.get("event_id") or "")):
            return
        if event.get("bot_id") or event.get("subtype") or not event.get("user"):
            return
        if self._bot_user and event.get("user") == self._bot_user:
            return
        self._spawn(self._answer_mention(body, event))

    async def _on_message(self) -> None:
        """Plain channel messages are not for the bot; listening keeps bolt from warning."""

    def _seen_before(self, event_id: str) -> bool:
        """True for an event already handled: Slack redelivers when it misses our 200."""
        if not event_id:
            return False
        if event_id in self._seen:
            return True
        self._seen[event_id] = None
        while len(self._seen) > SEEN_EVENTS:
            self._seen.popitem(last=False)
        return False

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- answers ----------------------------------------------------------------------------------
    async def _answer_command(self, body: dict[str, Any]) -> None:
        try:
            channel = str(body.get("channel_id", ""))
            user = str(body.get("user_id", ""))
            caller = Caller(
                platform="slack",
                workspace=str(body.get("team_id", "")),
                channel=channel,
                user=user,
                can_manage=await self._can_manage(user, channel),
            )
            reply = await self.commands.run(caller, str(body.get("text", "")))
            await self._deliver(reply, channel, user, body.get("response_url"))
        except Exception:  # a failed answer must not take the app down
            log.exception("answering /brief failed")

    async def _answer_mention(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        try:
            channel = str(event.get("channel", ""))
            user = str(event.get("user", ""))
            caller = Caller(
                platform="slack",
                workspace=str(body.get("team_id") or event.get("team") or ""),
                channel=channel,
                user=user,
                can_manage=await self._can_manage(user, channel),
            )
            reply = await self.commands.mention(caller, str(event.get("text", "")))
            thread = str(event.get("thread_ts") or event.get("ts") or "") or None
            for message in render(reply):
                await self._post_message(channel, message, thread_ts=thread)
        except Exception:
            log.exception("answering a mention failed")

    async def _deliver(self, reply: Reply, channel: str, user: str, response_url: Any) -> None:
        """Send a command's answer through its response_url, falling back to the Web API."""
        messages = render(reply)
        kind = "ephemeral" if reply.private else "in_channel"
        sent = 0
        if isinstance(response_url, str) and response_url:
            hook = AsyncWebhookClient(response_url, retry_handlers=_retry_handlers())
            for message in messages[:RESPONSE_URL_MESSAGES]:
                try:
                    answer = await hook.send_dict(
                        {**message, "response_type": kind, "unfurl_links": False}
                    )
                except (TimeoutError, SlackClientError, OSError, aiohttp.ClientError) as exc:
                    # aiohttp.ClientError: a response_url that is no web address at all
                    log.warning("response_url failed (%s); using chat.postMessage", exc)
                    break
                if answer.status_code != 200:
                    log.warning(
                        "response_url answered %s; using chat.postMessage", answer.status_code
                    )
                    break
                sent += 1
        for message in messages[sent:]:
            if reply.private:
                try:
                    await self.client.chat_postEphemeral(
                        channel=channel, user=user, text=message["text"], blocks=message["blocks"]
                    )
                    continue
                except SlackApiError as exc:
                    log.warning("chat.postEphemeral failed (%s); posting instead", exc)
            await self._post_message(channel, message)

    async def _post_message(
        self, channel: str, message: Message, *, thread_ts: str | None = None
    ) -> None:
        await self.client.chat_postMessage(
            channel=channel,
            text=message["text"],
            blocks=message["blocks"],
            thread_ts=thread_ts,
            unfurl_links=False,
        )

    async def post(self, channel: str, reply: Reply) -> None:
        """Post `reply` to `channel` unprompted (scheduled digests), split into messages."""
        for message in render(reply):
            await self._post_message(channel, message)

    # -- manage rights ----------------------------------------------------------------------------
    async def _can_manage(self, user: str, channel: str) -> bool:
        """Workspace admins and owners, the channel's creator, and anyone in a DM; else False.

        A DM is known by its id alone ("D…"): a request's channel_name or channel_type is not
        proof, and a group DM is not one person's channel."""
        if channel.startswith("D"):
            return True
        if not user or not channel:
            return False
        key = (user, channel)
        cached = self._rights.get(key)
        now = time.monotonic()
        if cached and now - cached[0] < RIGHTS_TTL:
            return cached[1]
        allowed, sure = await self._lookup_rights(user, channel)
        # a failed lookup is retried sooner than a clear answer expires
        self._rights[key] = (now if sure else now - RIGHTS_TTL + RETRY_RIGHTS, allowed)
        return allowed

    async def _lookup_rights(self, user: str, channel: str) -> tuple[bool, bool]:
        """(may manage, whether Slack answered)."""
        try:
            profile = (await self.client.users_info(user=user)).get("user") or {}
            if any(profile.get(flag) for flag in ("is_admin", "is_owner", "is_primary_owner")):
                return True, True
            info = (await self.client.conversations_info(channel=channel)).get("channel") or {}
            return bool(info.get("is_im")) or info.get("creator") == user, True
        except Exception as exc:  # unknown rights are no rights
            log.warning("could not look up Slack rights of %s in %s: %s", user, channel, exc)
            return False, False

    # -- lifecycle --------------------------------------------------------------------------------
    async def start(self) -> None:
        """Connect over Socket Mode (with an app token) or serve HTTP; returns once ready."""
        if self.settings.slack_app_token:
            await self._connect_socket_mode()  # first: it says clearly when Slack is unreachable
            await self._identify()
            return
        await self._identify()
        server = DeadlineServer(
            self._route,
            read_timeout=self.settings.http_read_timeout,
            access_log=None,
            logger=ServerLog(self._note_refused),
        )
        self._runner = web.ServerRunner(server)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.settings.http_port)
        try:
            await site.start()
        except OSError as exc:
            await self._runner.cleanup()
            self._runner = None
            raise SlackStartError(
                f"Slack: cannot listen on {self.host}:{self.settings.http_port}: "
                f"{exc.strerror or exc}"
            ) from exc
        addresses = self._runner.addresses
        self.port = int(addresses[0][1]) if addresses else self.settings.http_port
        log.info("Slack events served at http://%s:%s%s", self.host, self.port, EVENTS_PATH)

    @property
    def serves_http(self) -> bool:
        """Whether Slack events come over HTTP (this adapter's server), not Socket Mode."""
        return not self.settings.slack_app_token

    async def connected(self) -> bool:
        """Serving: the HTTP server is up, or the Socket Mode connection is alive."""
        if self._socket is not None:
            return bool(await self._socket.client.is_connected())
        return self._runner is not None

    async def _route(self, request: web.BaseRequest) -> web.StreamResponse:
        """POST /slack/events and GET /healthz; anything else is 404 or 405."""
        if request.path == EVENTS_PATH:
            if request.method == "POST":
                return await self._handle_http(request)
            return web.json_response({"error": "method not allowed"}, status=405)
        if request.path == HEALTH_PATH:
            if request.method in ("GET", "HEAD"):
                return await self._healthz(request)
            return web.json_response({"error": "method not allowed"}, status=405)
        return web.json_response({"error": "not found"}, status=404)

    async def _healthz(self, _: web.BaseRequest) -> web.Response:
        if self.health is None:
            return web.Response(text="ok")
        status, body = await self.health()
        return web.json_response(body, status=status)

    async def _connect_socket_mode(self) -> None:
        # the SDK retries a refused connection forever: ask for the URL here to fail clearly
        try:
            opened = await self.client.apps_connections_open(
                app_token=self.settings.slack_app_token
            )
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else None
            raise SlackStartError(
                f"Slack Socket Mode refused SLACK_APP_TOKEN: {error or exc}"
            ) from exc
        except (aiohttp.ClientError, OSError, TimeoutError, SlackClientError) as exc:
            raise PlatformUnreachable(
                f"can't reach Slack at {self.settings.slack_api_url}: {reason(exc)}"
            ) from exc
        self._socket = _CheckedSocketModeHandler(
            self.app,
            self.settings.slack_app_token,
            web_client=self.client,
            refused=self._note_refused,
        )
        self._socket.client.wss_uri = opened["url"]
        try:
            await asyncio.wait_for(self._socket.connect_async(), CONNECT_TIMEOUT)
        except TimeoutError:
            await self._socket.close_async()
            self._socket = None
            raise PlatformUnreachable(
                f"Slack Socket Mode: no connection in {CONNECT_TIMEOUT:.0f} s"
            ) from None
        log.info("Slack connected over Socket Mode")

    async def _identify(self) -> None:
        """Learn the bot's own user id; a failure is logged, bolt asks again per request."""
        try:
            self._bot_user = (await self.client.auth_test()).get("user_id")
        except Exception as exc:
            log.warning("Slack auth.test failed: %s", exc)

    async def _handle_http(self, request: web.BaseRequest) -> web.Response:
        """Check the raw request first; only a signed, fresh, first-seen one is parsed."""
        raw = await request.read()
        refusal = self._check.refusal(
            raw,
            request.headers.get("X-Slack-Request-Timestamp", ""),
            request.headers.get("X-Slack-Signature", ""),
        )
        if refusal is not None:
            self._note_refused(refusal, len(raw))
            # a replay was signed by Slack once: say so, rather than "unauthorised"
            status = 409 if refusal == "replayed request" else 401
            return web.json_response({"error": refusal}, status=status)
        try:
            bolt_request = AsyncBoltRequest(
                body=raw.decode("utf-8"),
                query=request.query_string,
                headers=dict(request.headers),
            )
            if not isinstance(bolt_request.body, dict):
                raise ValueError("not an object")
            if _read_form(bolt_request) == "interaction":
                # The app has no buttons, menus, views or shortcuts (interactivity is off in
                # its manifest): bolt's middleware raised on ones with mistyped fields (a 500).
                return web.json_response({"error": "unhandled request"}, status=404)
            problem = _shape_problem(bolt_request.body)
            if problem is not None:
                raise ValueError(problem)
        except Exception as exc:  # signed, yet not a request Slack sends
            log.warning(
                "refused a signed Slack request that does not parse: %s", type(exc).__name__
            )
            return web.json_response({"error": "malformed request"}, status=400)
        return await to_aiohttp_response(await self.app.async_dispatch(bolt_request))

    def _note_refused(self, why: str, size: int) -> None:
        """One short line per refused request at DEBUG; at most one INFO summary a minute."""
        log.debug("refused a Slack request: %s (%d bytes)", why, size)
        self._refused += 1
        now = time.monotonic()
        if now - self._refused_logged_at >= REFUSED_LOG_EVERY:
            log.info(
                "refused %d Slack request(s) since the last note (last: %s); "
                "check SLACK_SIGNING_SECRET if Slack's own are refused",
                self._refused,
                why,
            )
            self._refused, self._refused_logged_at = 0, now

    async def stop(self) -> None:
        """Stop serving, then let answers in flight finish (briefly) or cancel them."""
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=5)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
