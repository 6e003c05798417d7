"""Fetcher against a real loopback HTTP server; the SSRF guard with fake resolvers."""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from summaries.ingest.fetch import DEFAULT_USER_AGENT, Fetcher, fetch, parse_ip, parse_retry_after
from summaries.types import BlockedURLError, FetchError, FetchResult

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

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    httpd = Server()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


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


# --- happy paths -----------------------------------------------------------------------------


def test_get_returns_body_validators_and_content_type(server: Server) -> None:
    result = get(server.url("/feed"))
    assert result.status == 200
    assert not result.not_modified
    assert result.content == FEED
    assert result.content_type == "application/rss+xml"
    assert result.encoding == "utf-8"
    assert result.etag == ETAG
    assert result.last_modified == LAST_MODIFIED
    assert result.url == server.url("/feed")


def test_get_sends_user_agent_and_accepts_gzip(server: Server) -> None:
    headers = json.loads(get(server.url("/echo")).content)
    assert headers["User-Agent"] == DEFAULT_USER_AGENT
    assert headers["Accept-Encoding"] == "gzip, deflate"
    assert "Cookie" not in headers


def test_conditional_get_returns_not_modified_with_request_validators(server: Server) -> None:
    result = get(server.url("/feed"), etag=ETAG, last_modified=LAST_MODIFIED)
    assert result.status == 304
    assert result.not_modified
    assert result.content == b""
    assert result.etag == ETAG
    assert result.last_modified == LAST_MODIFIED
    path, headers = server.requests[-1]
    assert path == "/feed"
    assert headers["If-None-Match"] == ETAG
    assert headers["If-Modified-Since"] == LAST_MODIFIED


def test_not_modified_keeps_only_the_validators_that_were_sent(server: Server) -> None:
    result = get(server.url("/not-modified-bare"), last_modified=LAST_MODIFIED)
    assert result.not_modified
    assert result.etag is None
    assert result.last_modified == LAST_MODIFIED


def test_redirect_chain_is_followed_to_the_final_url(server: Server) -> None:
    result = get(server.url("/hop/5"))
    assert result.content == b"arrived"
    assert result.url == server.url("/hop/0")


def test_more_redirects_than_allowed_fail(server: Server) -> None:
    with pytest.raises(FetchError, match=r"too many redirects \(more than 5\)"):
        get(server.url("/hop/6"))
    with pytest.raises(FetchError, match=r"too many redirects \(more than 2\)"):
        get(server.url("/loop"), max_redirects=2)


def test_cookies_set_during_a_redirect_chain_are_sent_back(server: Server) -> None:
    assert get(server.url("/cookie")).content == b"welcome back"


def test_gzip_body_is_decompressed_and_charset_applied(server: Server) -> None:
    result = get(server.url("/gzip"))
    assert result.text == "Grüße aus der Zeitung"


def test_raw_deflate_body_is_decompressed(server: Server) -> None:
    assert get(server.url("/deflate-raw")).content == b"raw deflate body"


def test_unknown_content_encoding_is_refused(server: Server) -> None:
    with pytest.raises(FetchError, match="unsupported content encoding 'br'"):
        get(server.url("/brotli"))


def test_declared_charset_decodes_text(server: Server) -> None:
    result = get(server.url("/latin1"))
    assert result.encoding == "iso-8859-1"
    assert result.text == "<p>café crème</p>"


def test_sync_fetch_runs_one_get(server: Server) -> None:
    assert fetch(server.url("/feed"), allow_private=True).etag == ETAG


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "message"), [(404, "HTTP 404 Not Found"), (500, "HTTP 500 Internal Server Error")]
)
def test_http_error_status_raises_with_status(server: Server, status: int, message: str) -> None:
    with pytest.raises(FetchError) as caught:
        get(server.url(f"/status/{status}"))
    assert caught.value.reason == message
    assert caught.value.status == status
    assert caught.value.retry_after is None
    assert str(caught.value) == f"could not fetch {server.url(f'/status/{status}')}: {message}"


def test_too_many_requests_carries_retry_after_seconds(server: Server) -> None:
    with pytest.raises(FetchError) as caught:
        get(server.url("/busy"))
    assert caught.value.status == 429
    assert caught.value.retry_after == 7.0
    assert caught.value.reason == "HTTP 429 Too Many Requests (retry after 7 s)"


def test_unavailable_carries_retry_after_from_http_date(server: Server) -> None:
    with pytest.raises(FetchError) as caught:
        get(server.url("/unavailable"))
    assert caught.value.status == 503
    assert caught.value.retry_after is not None
    assert 100 < caught.value.retry_after <= 121


def test_parse_retry_after_reads_seconds_dates_and_ignores_junk() -> None:
    now = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert parse_retry_after("30", now) == 30.0
    assert parse_retry_after("Wed, 01 May 2024 10:01:00 GMT", now) == 60.0
    assert parse_retry_after("Wed, 01 May 2024 09:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_slow_server_times_out(server: Server) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 0\.3 s"):
        get(server.url("/slow"), timeout=0.3)
    assert time.monotonic() - started < 1.5


def test_slow_drip_body_hits_the_overall_deadline(server: Server) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 0\.5 s"):
        get(server.url("/drip"), timeout=0.5)
    assert time.monotonic() - started < 1.5


def test_streamed_body_over_the_cap_fails_fast(server: Server) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="response larger than 1 MB"):
        get(server.url("/huge"), max_bytes=MB)
    assert time.monotonic() - started < 2.0


def test_content_length_over_the_cap_is_refused_before_reading(server: Server) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="response larger than 5 MB"):
        get(server.url("/declared-huge"))
    assert time.monotonic() - started < 1.0


def test_gzip_bomb_is_stopped_at_the_cap(server: Server) -> None:
    with pytest.raises(FetchError, match="response larger than 1 MB"):
        get(server.url("/bomb"), max_bytes=MB)


def test_refused_connection_says_could_not_connect() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        get(f"http://127.0.0.1:{port}/")
    assert caught.value.reason == "could not connect"


def test_unresolvable_host_says_could_not_resolve() -> None:
    with pytest.raises(FetchError, match=r"could not resolve host 'nowhere\.example'"):
        get("http://nowhere.example/", resolver=fake_resolver({}), allow_private=False)


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("file:///etc/passwd", "file"),
        ("ftp://files.example/a.txt", "ftp"),
        ("javascript:alert(1)", "javascript"),
        ("data:text/plain,hello", "data"),
    ],
)
def test_non_http_schemes_are_refused(url: str, scheme: str) -> None:
    with pytest.raises(FetchError, match=f"unsupported URL scheme '{scheme}'"):
        get(url)


def test_redirect_to_another_scheme_is_refused(server: Server) -> None:
    with pytest.raises(FetchError, match="unsupported URL scheme 'ftp'"):
        get(server.url("/to-ftp"))


def test_relative_url_is_refused() -> None:
    with pytest.raises(FetchError, match="not an absolute URL"):
        get("news.example/feed")


# --- SSRF guard ------------------------------------------------------------------------------


def test_loopback_server_is_refused_without_a_request(server: Server) -> None:
    before = len(server.requests)
    with pytest.raises(BlockedURLError, match=r"loopback address \(127\.0\.0\.1\)"):
        get(server.url("/feed"), allow_private=False)
    assert len(server.requests) == before


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local address (169.254.169.254)"),
        ("http://10.1.2.3/", "private address (10.1.2.3)"),
        ("http://192.168.0.1/", "private address (192.168.0.1)"),
        ("http://172.16.5.4/", "private address (172.16.5.4)"),
        ("http://100.64.0.1/", "shared address (100.64.0.1)"),
        ("http://[::1]/", "loopback address (::1)"),
        ("http://[fe80::1]/", "link-local address (fe80::1)"),
        ("http://[fd00::1]/", "private address (fd00::1)"),
        ("http://[::ffff:127.0.0.1]/", "loopback address (127.0.0.1)"),
        ("http://[::ffff:a9fe:a9fe]/", "link-local address (169.254.169.254)"),
        ("http://0.0.0.0/", "unspecified address (0.0.0.0)"),
        ("http://0/", "unspecified address (0.0.0.0)"),
        ("http://2130706433/", "loopback address (127.0.0.1)"),
        ("http://0177.0.0.1/", "loopback address (127.0.0.1)"),
        ("http://0x7f.1/", "loopback address (127.0.0.1)"),
        ("http://127.1:8080/", "loopback address (127.0.0.1)"),
        ("http://224.0.0.1/", "multicast address (224.0.0.1)"),
        ("http://240.0.0.1/", "address (240.0.0.1)"),
    ],
)
def test_private_ip_literals_are_refused_without_network(url: str, address: str) -> None:
    calls: list[str] = []
    sent: list[httpx.Request] = []
    with pytest.raises(BlockedURLError) as caught:
        get(
            url,
            allow_private=False,
            resolver=fake_resolver({}, calls),
            transport=recording_transport(sent),
        )
    assert caught.value.reason.startswith("refused: ")
    assert caught.value.reason.endswith(address)
    assert calls == []
    assert sent == []


@pytest.mark.parametrize(
    "url", ["http://localhost/", "http://LOCALHOST.:8000/", "http://api.localhost/"]
)
def test_localhost_names_are_refused_without_resolving(url: str) -> None:
    calls: list[str] = []
    with pytest.raises(BlockedURLError, match="is a local host name"):
        get(url, allow_private=False, resolver=fake_resolver({}, calls))
    assert calls == []


def test_public_host_is_fetched_through_an_injected_transport() -> None:
    sent: list[httpx.Request] = []
    resolver = fake_resolver({"news.example": ["93.184.216.34"]})
    result = get(
        "https://news.example/story",
        allow_private=False,
        resolver=resolver,
        transport=recording_transport(sent),
    )
    assert result.content == b"public page"
    assert [str(r.url) for r in sent] == ["https://news.example/story"]


def test_host_with_any_private_address_is_refused() -> None:
    sent: list[httpx.Request] = []
    resolver = fake_resolver({"mixed.example": ["93.184.216.34", "10.0.0.7"]})
    with pytest.raises(BlockedURLError, match=r"private address \(10\.0\.0\.7\)"):
        get(
            "http://mixed.example/",
            allow_private=False,
            resolver=resolver,
            transport=recording_transport(sent),
        )
    assert sent == []


@pytest.mark.parametrize(
    "location", ["http://10.0.0.1/admin", "http://intranet.example/", "http://[::1]/"]
)
def test_redirect_from_public_host_to_private_address_is_refused(location: str) -> None:
    sent: list[httpx.Request] = []
    resolver = fake_resolver(
        {"news.example": ["93.184.216.34"], "intranet.example": ["192.168.1.5"]}
    )

    def respond(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": location})

    with pytest.raises(BlockedURLError) as caught:
        get(
            "http://news.example/",
            allow_private=False,
            resolver=resolver,
            transport=recording_transport(sent, respond),
        )
    assert f"after a redirect to {location}" in caught.value.reason
    assert [str(r.url) for r in sent] == ["http://news.example/"]


def test_connection_uses_the_checked_address_not_a_second_lookup(server: Server) -> None:
    """A name that resolves to a private address at connect time is refused, with no request."""
    calls: list[str] = []
    resolver = fake_resolver({"rebind.example": ["127.0.0.1"]}, calls)
    before = len(server.requests)
    with pytest.raises(BlockedURLError, match=r"loopback address \(127\.0\.0\.1\)"):
        get(f"http://rebind.example:{server.port}/feed", allow_private=False, resolver=resolver)
    assert calls == ["rebind.example"]
    assert len(server.requests) == before


def test_connection_goes_to_resolved_address_with_host_name_in_host_header(server: Server) -> None:
    resolver = fake_resolver({"news.test": ["127.0.0.1"]})
    result = get(f"http://news.test:{server.port}/echo", resolver=resolver)
    assert json.loads(result.content)["Host"] == f"news.test:{server.port}"
    assert result.url == f"http://news.test:{server.port}/echo"


def test_parse_ip_reads_legacy_forms_and_leaves_names_alone() -> None:
    assert str(parse_ip("2130706433")) == "127.0.0.1"
    assert str(parse_ip("0x7f000001")) == "127.0.0.1"
    assert str(parse_ip("0177.0.0.01")) == "127.0.0.1"
    assert str(parse_ip("10.1")) == "10.0.0.1"
    assert str(parse_ip("192.168.257")) == "192.168.1.1"
    assert str(parse_ip("[::1]")) == "::1"
    assert parse_ip("news.example") is None
    assert parse_ip("1password.com") is None
    with pytest.raises(ValueError):
        parse_ip("256.1.1.1")
    with pytest.raises(ValueError):
        parse_ip("foo.08")


def test_one_fetcher_serves_a_poll_then_a_conditional_poll(server: Server) -> None:
    async def poll_twice() -> tuple[FetchResult, FetchResult]:
        async with Fetcher(allow_private=True) as fetcher:
            first = await fetcher.get(server.url("/feed"))
            second = await fetcher.get(server.url("/feed"), etag=first.etag)
            return first, second

    first, second = asyncio.run(poll_twice())
    assert first.status == 200
    assert second.not_modified
    assert second.etag == ETAG


def test_injected_transport_body_is_decoded_once_and_capped() -> None:
    resolver = fake_resolver({"news.example": ["93.184.216.34"]})
    body = gzip.compress(b"x" * 5000)

    def respond(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"Content-Encoding": "gzip"})

    options: dict[str, Any] = {"allow_private": False, "resolver": resolver}
    transport = recording_transport([], respond)
    assert get("http://news.example/", transport=transport, **options).content == b"x" * 5000
    with pytest.raises(FetchError, match="response larger than 1 kB"):
        get("http://news.example/", transport=transport, max_bytes=1000, **options)
