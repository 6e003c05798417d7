"""A loopback HTTP server whose paths are scenarios a fetcher meets in the wild, and helpers
for fetching with fake resolvers and recording transports (tests of fetch and of the guard)."""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import time
import zlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from summaries.ingest.fetch import Fetcher
from summaries.types import FetchResult

FEED = b"<?xml version='1.0'?><rss><channel><title>T</title></channel></rss>"
ETAG = '"v1"'
LAST_MODIFIED = "Wed, 01 May 2024 10:00:00 GMT"
MB = 1_000_000


class Handler(BaseHTTPRequestHandler):
    """Routes by path; each route is a small scenario a fetcher meets in the wild."""

    server: Server

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean

    def do_GET(self) -> None:
        self.server.requests.append((self.path, dict(self.headers.items())))
        path = self.path.split("?", 1)[0]
        route = getattr(self, "route_" + path.strip("/").split("/", 1)[0].replace("-", "_"), None)
        try:
            if route is None:
                self.reply(404, b"no such page")
            else:
                route()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on purpose

    def reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        headers = {"Content-Type": "text/plain", **(headers or {})}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def route_feed(self) -> None:
        if self.headers.get("If-None-Match") == ETAG:
            self.reply(304)
            return
        headers = {
            "Content-Type": "application/rss+xml; charset=utf-8",
            "ETag": ETAG,
            "Last-Modified": LAST_MODIFIED,
        }
        self.reply(200, FEED, headers)

    def route_not_modified_bare(self) -> None:
        self.reply(304)

    def route_hop(self) -> None:
        left = int(self.path.rsplit("/", 1)[1])
        if left == 0:
            self.reply(200, b"arrived")
        else:
            self.reply(302, headers={"Location": f"/hop/{left - 1}"})

    def route_loop(self) -> None:
        self.reply(301, headers={"Location": "/loop"})

    def route_to_ftp(self) -> None:
        self.reply(302, headers={"Location": "ftp://files.example/x"})

    def route_cookie(self) -> None:
        if "seen=1" in self.headers.get("Cookie", ""):
            self.reply(200, b"welcome back")
        else:
            self.reply(302, headers={"Location": "/cookie", "Set-Cookie": "seen=1; Path=/"})

    def route_status(self) -> None:
        status = int(self.path.rsplit("/", 1)[1])
        self.reply(status, b"oops")

    def route_busy(self) -> None:
        self.reply(429, headers={"Retry-After": "7"})

    def route_unavailable(self) -> None:
        when = datetime.now(UTC) + timedelta(seconds=120)
        self.reply(503, headers={"Retry-After": format_datetime(when, usegmt=True)})

    def route_retry_forever(self) -> None:
        self.reply(429, headers={"Retry-After": "9" * 400})  # infinity as a float

    def route_retry_past_calendar(self) -> None:
        self.reply(503, headers={"Retry-After": "Fri, 31 Dec 9999 23:59:59 -0500"})

    def route_bad_location(self) -> None:
        self.reply(302, headers={"Location": "http://[::1"})

    def route_no_location(self) -> None:
        self.reply(302)

    def route_endless(self) -> None:
        """A body that never ends, chunk after chunk, with no Content-Length."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        chunk = b"<p>more</p>" * 6000
        while True:
            self.wfile.write(chunk)

    def route_deflate_bomb(self) -> None:
        """A small deflate body that inflates to 50 MB."""
        self.reply(200, self.server.deflate_bomb, {"Content-Encoding": "deflate"})

    def route_gzip_twice(self) -> None:
        self.reply(
            200, gzip.compress(gzip.compress(b"x" * 100)), {"Content-Encoding": "gzip, gzip"}
        )

    def route_gzip_members(self) -> None:
        """A gzip body of three members (pieces compressed apart, then joined), padded with
        zeros as some servers do."""
        pieces = [b"<p>one</p>", b"<p>two</p>" * 1000, b"<p>three</p>"]
        body = b"".join(gzip.compress(p) for p in pieces) + b"\0" * 1000
        self.reply(200, body, {"Content-Encoding": "gzip"})

    def route_gzip_members_over_cap(self) -> None:
        """Members each under the cap that together pass it."""
        body = gzip.compress(b"x" * 300_000) * 5
        self.reply(200, body, {"Content-Encoding": "gzip"})

    def route_gzip_empty_members(self) -> None:
        """20,000 members of nothing (20 bytes each) after one of a page."""
        body = gzip.compress(b"<p>page</p>") + gzip.compress(b"") * 20_000
        self.reply(200, body, {"Content-Encoding": "gzip"})

    def route_gzip_then_junk(self) -> None:
        """One member, then junk that never ends (no Content-Length)."""
        self.send_response(200)
        self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        self.wfile.write(gzip.compress(b"<p>page</p>"))
        chunk = b"junk" * 16384
        while True:
            self.wfile.write(chunk)

    def route_not_gzip(self) -> None:
        self.reply(200, b"this is not gzip at all", {"Content-Encoding": "gzip"})

    def route_wrong_length(self) -> None:
        """Promises more than it sends, then hangs up."""
        self.send_response(200)
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(b"<p>short</p>")
        self.wfile.flush()
        self.close_connection = True

    def route_slow(self) -> None:
        time.sleep(2)
        self.reply(200, b"too late")

    def route_drip(self) -> None:
        """Headers at once, then a byte now and then: no single read ever times out."""
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        for _ in range(100):
            self.wfile.write(b"x")
            self.wfile.flush()
            time.sleep(0.05)

    def route_huge(self) -> None:
        """50 MB streamed without a Content-Length."""
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.end_headers()
        chunk = b"a" * 65536
        for _ in range(50 * MB // len(chunk)):
            self.wfile.write(chunk)

    def route_declared_huge(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(50 * MB))
        self.end_headers()
        self.wfile.write(b"a" * 1000)
        time.sleep(2)  # a fetcher that waits for the body would time out instead

    def route_gzip(self) -> None:
        body = gzip.compress("Grüße aus der Zeitung".encode())
        headers = {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"}
        self.reply(200, body, headers)

    def route_deflate_raw(self) -> None:
        import zlib

        compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        body = compressor.compress(b"raw deflate body") + compressor.flush()
        self.reply(200, body, {"Content-Encoding": "deflate"})

    def route_bomb(self) -> None:
        """A small gzip body that inflates to 50 MB."""
        self.reply(200, self.server.bomb, {"Content-Encoding": "gzip"})

    def route_brotli(self) -> None:
        self.reply(200, b"\x00\x01", {"Content-Encoding": "br"})

    def route_latin1(self) -> None:
        headers = {"Content-Type": "text/html; charset=ISO-8859-1"}
        self.reply(200, "<p>café crème</p>".encode("latin-1"), headers)

    def route_echo(self) -> None:
        self.reply(200, json.dumps(dict(self.headers.items())).encode(), {})


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.bomb = gzip.compress(b"\0" * 50 * MB, compresslevel=9)
        self.deflate_bomb = zlib.compress(b"\0" * 50 * MB, 9)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def get(
    url: str, *, etag: str | None = None, last_modified: str | None = None, **options: Any
) -> FetchResult:
    """One fetch with a fresh Fetcher (private addresses allowed unless said otherwise)."""
    options.setdefault("allow_private", True)

    async def run() -> FetchResult:
        async with Fetcher(**options) as fetcher:
            return await fetcher.get(url, etag=etag, last_modified=last_modified)

    return asyncio.run(run())


def fake_resolver(
    table: dict[str, list[str]], calls: list[str] | None = None
) -> Callable[[str, int], Awaitable[list[str]]]:
    """A resolver that answers from a table and records what it was asked."""

    async def resolve(host: str, port: int) -> list[str]:
        if calls is not None:
            calls.append(host)
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    return resolve


def recording_transport(
    sent: list[httpx.Request], respond: Callable[[httpx.Request], httpx.Response] | None = None
) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return respond(request) if respond else httpx.Response(200, content=b"public page")

    return httpx.MockTransport(handler)
