"""Fetcher against a real loopback HTTP server: limits, redirects, conditional GET, errors."""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import time
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from summaries.ingest.fetch import (
    DEFAULT_USER_AGENT,
    MAX_RETRY_AFTER,
    Fetcher,
    fetch,
    parse_retry_after,
)
from summaries.types import BlockedURLError, FetchError, FetchResult
from tests.summaries.ingest.fetch_server import (
    ETAG,
    FEED,
    LAST_MODIFIED,
    MB,
    Server,
    fake_resolver,
    get,
    recording_transport,
)

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


@pytest.mark.parametrize("port", [0, 65536, 99999, 93962999])
@pytest.mark.parametrize("allow_private", [True, False])
def test_a_port_past_the_range_is_an_invalid_url(port: int, allow_private: bool) -> None:
    # It failed as "unexpected error while fetching" (OverflowError from the socket), with a
    # traceback in the log, for a feed entry's link as for a command's.
    with pytest.raises(FetchError) as caught:
        get(f"http://127.0.0.1:{port}/x", allow_private=allow_private)
    assert caught.value.reason == f"invalid URL: port {port} is not 1-65535"


def test_redirect_to_another_scheme_is_refused(server: Server) -> None:
    with pytest.raises(FetchError, match="unsupported URL scheme 'ftp'"):
        get(server.url("/to-ftp"))


def test_relative_url_is_refused() -> None:
    with pytest.raises(FetchError, match="not an absolute URL"):
        get("news.example/feed")


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


@pytest.mark.parametrize("host", ["xn--ls8h.la", "xn--zz.example", "xn--"])
def test_a_host_whose_a_label_idna_2008_refuses_is_fetched_by_its_ascii_name(
    server: Server, host: str
) -> None:
    """httpx decodes an xn-- label with IDNA 2008, which refuses an emoji domain (xn--ls8h.la
    exists) or a malformed label: the fetch failed with 'unexpected error while fetching' before
    any lookup. The name is looked up and fetched as written; one that does not resolve says
    so."""
    resolver = fake_resolver({host: ["127.0.0.1"]})
    result = get(f"http://{host}:{server.port}/status/200", resolver=resolver)
    assert result.status == 200
    with pytest.raises(FetchError, match=f"could not resolve host '{host}'"):
        get(f"http://{host}:{server.port}/status/200", resolver=fake_resolver({}))
    with pytest.raises(BlockedURLError, match="refused"):  # the guard reads the same name
        get(f"http://{host}:{server.port}/", allow_private=False, resolver=resolver)


# --- hostile servers -------------------------------------------------------------------------


def test_a_retry_after_of_hundreds_of_digits_is_capped_at_a_week(server: Server) -> None:
    with pytest.raises(FetchError) as caught:
        get(server.url("/retry-forever"))
    assert caught.value.status == 429
    assert caught.value.retry_after == MAX_RETRY_AFTER
    assert caught.value.reason == "HTTP 429 Too Many Requests (retry after 604800 s)"


def test_a_retry_after_date_past_the_calendar_is_capped_not_an_error(server: Server) -> None:
    with pytest.raises(FetchError) as caught:
        get(server.url("/retry-past-calendar"))
    assert caught.value.status == 503
    assert caught.value.retry_after == MAX_RETRY_AFTER
    now = datetime(2024, 5, 1, tzinfo=UTC)
    assert parse_retry_after("Mon, 01 Jan 0001 00:00:00 +0500", now) == 0.0
    assert parse_retry_after("1" + "0" * 30, now) == MAX_RETRY_AFTER
    assert parse_retry_after("86400", now) == 86400.0


def test_a_redirect_to_an_unparseable_location_says_so(server: Server) -> None:
    with pytest.raises(FetchError) as caught:
        get(server.url("/bad-location"))
    assert caught.value.reason == "the server redirected to an invalid URL"


def test_a_redirect_without_a_location_says_so(server: Server) -> None:
    with pytest.raises(FetchError) as caught:
        get(server.url("/no-location"))
    assert caught.value.reason == "HTTP 302 Found: a redirect to nowhere (no Location)"
    assert caught.value.status == 302


def test_an_endless_body_stops_at_the_cap_in_bounded_time(server: Server) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="response larger than 1 MB"):
        get(server.url("/endless"), max_bytes=MB)
    assert time.monotonic() - started < 3.0


def test_a_deflate_bomb_is_stopped_at_the_cap(server: Server) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="response larger than 1 MB"):
        get(server.url("/deflate-bomb"), max_bytes=MB)
    assert time.monotonic() - started < 3.0


def test_a_gzip_body_of_several_members_is_read_whole(server: Server) -> None:
    expected = b"<p>one</p>" + b"<p>two</p>" * 1000 + b"<p>three</p>"
    assert get(server.url("/gzip-members")).content == expected
    with pytest.raises(FetchError, match="response larger than 1 MB"):
        get(server.url("/gzip-members-over-cap"), max_bytes=MB)


def test_gzip_members_of_nothing_are_refused_past_ten_thousand(server: Server) -> None:
    started = time.process_time()
    with pytest.raises(FetchError) as caught:
        get(server.url("/gzip-empty-members"))
    assert caught.value.reason == "could not decompress the response"
    assert time.process_time() - started < 1.0


def test_junk_after_a_gzip_body_is_not_read(server: Server) -> None:
    started = time.monotonic()
    assert get(server.url("/gzip-then-junk"), timeout=5).content == b"<p>page</p>"
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/gzip-twice", "unsupported content encoding 'gzip, gzip'"),
        ("/not-gzip", "could not decompress the response"),
        ("/wrong-length", "the server broke off the connection"),
    ],
)
def test_a_body_that_is_not_what_its_headers_say_fails_by_name(
    server: Server, path: str, reason: str
) -> None:
    with pytest.raises(FetchError) as caught:
        get(server.url(path))
    assert caught.value.reason == reason
