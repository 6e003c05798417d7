"""`GET /healthz`: whether the database answers and every chat platform is connected.

Served on NEWSBRIEF_HTTP_HOST:NEWSBRIEF_HTTP_PORT by `newsbrief run`: by the Slack adapter's
HTTP server when Slack events come over HTTP, else by the small server here, which answers
nothing but `/healthz` (so it needs no web framework). 200 with `"ok": true` when all is well;
503 otherwise, the body saying what is not.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

log = logging.getLogger(__name__)

PATH = "/healthz"
CHECK_TIMEOUT = 5.0  # seconds the database has to answer a health check
READ_TIMEOUT = 5.0  # seconds a client has to send its request
MAX_HEADER_LINES = 100


class Connected(Protocol):
    async def connected(self) -> bool: ...


class Health:
    """The process's health: `ping` checks the database; `platforms` are asked whether they
    are connected; one not yet started (still retrying) is "connecting"."""

    def __init__(self, ping: Callable[[], None], platforms: Mapping[str, Connected]) -> None:
        self.ping = ping
        self.platforms = dict(platforms)
        self.started: set[str] = set()

    async def status(self) -> tuple[int, dict[str, Any]]:
        """(HTTP status, JSON body)."""
        body: dict[str, Any] = {}
        try:
            await asyncio.wait_for(asyncio.to_thread(self.ping), CHECK_TIMEOUT)
            body["database"] = "ok"
        except TimeoutError:
            body["database"] = f"no answer in {CHECK_TIMEOUT:.0f} s"
        except Exception as exc:
            body["database"] = str(exc) or type(exc).__name__
        states = {}
        for name, platform in self.platforms.items():
            if name not in self.started:
                states[name] = "connecting"
                continue
            try:
                states[name] = "connected" if await platform.connected() else "disconnected"
            except Exception:
                log.debug("health check of %s failed", name, exc_info=True)
                states[name] = "disconnected"
        body["platforms"] = states
        ok = body["database"] == "ok" and all(s == "connected" for s in states.values())
        return (200 if ok else 503), {"ok": ok, **body}


class HealthServer:
    """A minimal HTTP/1.1 server answering `GET /healthz` (404 to anything else).

    The Slack adapter's DeadlineServer also bounds the time a request takes to arrive, but it
    is aiohttp, which answers hostile clients otherwise: there a slow client gets 408 and a
    request that is no valid HTTP gets 400 (noted at DEBUG, see slack_adapter.ServerLog); here
    the first is closed without a word and the second gets 404.
    """

    def __init__(
        self,
        status: Callable[[], Awaitable[tuple[int, dict[str, Any]]]],
        *,
        read_timeout: float = READ_TIMEOUT,
    ) -> None:
        self._status = status
        self.read_timeout = read_timeout  # seconds a client has to send its request
        self._server: asyncio.Server | None = None
        self.port: int | None = None

    async def start(self, host: str, port: int) -> None:
        """Listen on host:port; raises OSError when it can't."""
        self._server = await asyncio.start_server(self._answer, host, port)
        self.port = int(self._server.sockets[0].getsockname()[1])
        log.info("health served at http://%s:%s%s", host, self.port, PATH)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            # One deadline for the whole request: per line, a client sending a header line
            # every few seconds held the connection for MAX_HEADER_LINES times as long.
            async with asyncio.timeout(self.read_timeout):
                request = await reader.readline()
                for _ in range(MAX_HEADER_LINES):  # the headers, unread
                    line = await reader.readline()
                    if line in (b"\r\n", b"\n", b""):
                        break
            method, _, rest = request.decode("latin-1").partition(" ")
            path = rest.partition(" ")[0].partition("?")[0]
            if method in ("GET", "HEAD") and path == PATH:
                status, body = await self._status()
            else:
                status, body = 404, {"error": "not found"}
            data = json.dumps(body).encode()
            reason = {200: "OK", 404: "Not Found", 503: "Service Unavailable"}[status]
            head = (
                f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n"
            ).encode()
            writer.write(head + (b"" if method == "HEAD" else data))
            await writer.drain()
        except (TimeoutError, ConnectionError, UnicodeDecodeError, ValueError):
            pass
        finally:
            writer.close()
