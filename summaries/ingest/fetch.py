"""HTTP GET with a deadline, a size cap, manual redirects and conditional requests.

Which hosts may be reached is the guard's business (summaries.ingest.guard).
"""

from __future__ import annotations

import asyncio
import email.utils
import http.cookiejar
import logging
import ssl
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

import httpx

from summaries.ingest.charsets import text_codec
from summaries.ingest.guard import (
    GuardedTransport,
    Refusal,
    Resolver,
    check_host,
    refuse_odd_literal,
    resolve_checked,
    system_resolver,
)
from summaries.times import utc_or_none
from summaries.types import BlockedURLError, FetchError, FetchResult

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "newsbrief/0.1 (+https://github.com/newsbrief/newsbrief)"
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,*/*;q=0.8"
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# The longest wait a Retry-After is taken to ask for: a week. A server asking for longer (or for
# a 400-digit number of seconds, infinity as a float) gets this.
MAX_RETRY_AFTER = 7 * 24 * 3600.0
# An ETag or Last-Modified is kept only to be sent back; one longer than this is not (servers
# refuse request headers past 4-8 kB, so a feed that sent one would fail every later poll).
MAX_VALIDATOR = 1024
# A gzip body of more members than this is refused as one that can't be decompressed: each costs
# a new zlib stream, and a member of nothing is 20 bytes (250,000 in a 5 MB body).
MAX_GZIP_MEMBERS = 10_000
_GZIP_PIECE = 1024


class _BodyDecoder:
    """Undoes Content-Encoding without ever inflating more than the caller allows.

    A gzip body may be several members one after another (RFC 1952; concatenated files, pieces
    compressed apart): each is read, as browsers and Python's gzip module do. Bytes after a member
    that begin no valid member (zero padding, junk) end the body, as they did when only the first
    member was read; `done` then tells the caller to stop reading."""

    def __init__(self, content_encoding: str) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1:
            raise ValueError(f"unsupported content encoding {content_encoding!r}")
        self._coding = codings[0] if codings else None
        self._zlib: Any = None
        self.done = False
        self._members = 1
        if self._coding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self._coding == "deflate":
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS)
            self._started = False
        elif self._coding is not None:
            raise ValueError(f"unsupported content encoding {self._coding!r}")

    def decode(self, data: bytes, limit: int) -> bytes:
        """Decode the next chunk; returns at most limit bytes (more means the caller will stop)."""
        if self._zlib is None:
            return data
        if self.done:
            return b""
        if self._coding == "deflate":
            if not self._started:
                self._started = True
                try:
                    return bytes(self._zlib.decompress(data, limit))
                except zlib.error:
                    # "deflate" in the wild is often raw deflate, without the zlib header.
                    self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            out = bytes(self._zlib.decompress(data, limit))
            # Bytes past the stream's end were kept in unused_data, growing without bound.
            self.done = self._zlib.eof
            return out
        return self._gzip(memoryview(data), limit)

    def _gzip(self, data: memoryview, limit: int) -> bytes:
        out = bytearray()
        while data:
            if self._zlib.eof:
                if self._members >= MAX_GZIP_MEMBERS:
                    raise zlib.error(f"more than {MAX_GZIP_MEMBERS:,} gzip members")
                self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
                self._members += 1
            # After the first member, fed in small pieces: zlib copies what follows a member's
            # end into unused_data, which for a chunk of many tiny members was quadratic.
            piece = data if self._members == 1 else data[:_GZIP_PIECE]
            try:
                out += self._zlib.decompress(piece, limit - len(out))
            except zlib.error:
                if self._members == 1:
                    raise
                self.done = True  # what follows the members is no gzip: the body ends there
                return bytes(out)
            if len(out) >= limit:
                return bytes(out)  # past the caller's cap: it stops
            consumed = len(piece) - len(self._zlib.unused_data) if self._zlib.eof else len(piece)
            data = data[consumed:]
        return bytes(out)

    def flush(self) -> bytes:
        if self._zlib is None or self.done:
            return b""
        return bytes(self._zlib.flush())


def _human_size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:g} MB"
    if n >= 1_000:
        return f"{n / 1_000:g} kB"
    return f"{n} bytes"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait per a Retry-After header (seconds or HTTP date), at most
    MAX_RETRY_AFTER; None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        # By length first: a 400-digit number is infinity as a float.
        return MAX_RETRY_AFTER if len(value) > 9 else min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    utc = utc_or_none(when)
    if utc is None:  # past the end of the calendar in UTC: as far as we go
        return MAX_RETRY_AFTER if when.year > 1 else 0.0
    wait = (utc - (now or datetime.now(UTC))).total_seconds()
    return min(max(0.0, wait), MAX_RETRY_AFTER)


def _validator(value: str | None) -> str | None:
    """An ETag or Last-Modified that can be sent back in a request header, else None. A value
    with a byte past ASCII (HTTP allows them, httpx reads them as Latin-1 or UTF-8) raised
    UnicodeEncodeError in httpx when sent, so every later poll of that feed failed."""
    if value and len(value) <= MAX_VALIDATOR and value.isascii() and value.isprintable():
        return value
    return None


def _reason_phrase(status: int) -> str:
    return httpx.codes.get_reason_phrase(status) or "error"


def _cause_chain(exc: BaseException) -> Iterable[BaseException]:
    seen: BaseException | None = exc
    while seen is not None:
        yield seen
        seen = seen.__cause__ or seen.__context__


def ascii_host(url: httpx.URL) -> str:
    """The host as it is looked up and connected to: its ASCII (A-label) spelling. httpx's
    `URL.host` decodes an "xn--" label to Unicode with IDNA 2008 and raises for one it refuses,
    a name that exists all the same (an emoji domain such as xn--ls8h.la, registered under
    IDNA 2003) or a malformed one ("xn--zz"): the fetch was an 'unexpected error'. Reading it
    is for us only, the transport connects to the ASCII name."""
    return url.raw_host.decode("ascii", "replace")


class Fetcher:
    """GETs http(s) URLs with a deadline, a size cap, manual redirects and an SSRF guard.

    Every failure raises FetchError (BlockedURLError for refused addresses) whose message a
    chat user can read. Cookies live only for the redirect chain of one `get`. Only asyncio.
    """

    def __init__(
        self,
        *,
        timeout: float = 15.0,
        max_bytes: int = 5_000_000,
        max_redirects: int = 5,
        user_agent: str = DEFAULT_USER_AGENT,
        allow_private: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        if timeout <= 0 or max_bytes <= 0 or max_redirects < 0:
            raise ValueError("timeout and max_bytes must be positive, max_redirects not negative")
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._max_redirects = max_redirects
        self._allow_private = allow_private
        self._resolver = resolver or system_resolver
        # With our own transport the guard runs at connect time, on the addresses really used;
        # an injected transport connects on its own, so the best we can do is check beforehand.
        self._check_before_request = transport is not None
        no_cookies = http.cookiejar.CookieJar(
            policy=http.cookiejar.DefaultCookiePolicy(allowed_domains=[])
        )
        self._client = httpx.AsyncClient(
            transport=transport or GuardedTransport(self._resolver, allow_private),
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            trust_env=False,  # no proxies or .netrc from the environment: they bypass the guard
            cookies=httpx.Cookies(no_cookies),
            headers={
                "User-Agent": user_agent,
                "Accept": ACCEPT,
                "Accept-Encoding": "gzip, deflate",
            },
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close pooled connections."""
        await self._client.aclose()

    async def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET url, conditionally when etag/last_modified are given; 200 or 304, else FetchError."""
        try:
            async with asyncio.timeout(self._timeout):
                return await self._get(url, etag, last_modified)
        except FetchError:
            raise
        except Refusal as exc:
            error = BlockedURLError if exc.blocked else FetchError
            raise error(url, exc.reason) from None
        except (TimeoutError, httpx.TimeoutException):
            reason = f"timed out after {self._timeout:g} s"
        except httpx.ConnectError as exc:
            reason = "could not connect"
            if any(isinstance(e, ssl.SSLCertVerificationError) for e in _cause_chain(exc)):
                reason += ": the site's TLS certificate is not valid"
            elif any(isinstance(e, ssl.SSLError) for e in _cause_chain(exc)):
                reason += ": TLS handshake failed"
        except httpx.RemoteProtocolError as exc:
            # httpx reads a redirect's Location as it receives the response, and calls one it
            # can't parse a protocol error: the server answered, with a bad address.
            if "location header" in str(exc).lower():
                reason = "the server redirected to an invalid URL"
            else:
                reason = "the server broke off the connection"
        except (httpx.ReadError, httpx.WriteError):
            reason = "the server broke off the connection"
        except (httpx.InvalidURL, httpx.UnsupportedProtocol):
            reason = "invalid URL"
        except zlib.error:
            reason = "could not decompress the response"
        except httpx.HTTPError as exc:
            log.debug("fetching %s failed", url, exc_info=True)
            reason = f"network error ({type(exc).__name__})"
        except Exception:
            log.warning("unexpected error fetching %s", url, exc_info=True)
            reason = "unexpected error while fetching"
        raise FetchError(url, reason) from None

    async def _get(self, url: str, etag: str | None, last_modified: str | None) -> FetchResult:
        headers = {}
        if etag := _validator(etag):
            headers["If-None-Match"] = etag
        if last_modified := _validator(last_modified):
            headers["If-Modified-Since"] = last_modified
        jar = httpx.Cookies()
        current = self._parse(url, url)
        redirects = 0
        while True:
            try:
                await self._guard(current)
                # The Host header as httpx writes it, given so httpx does not read URL.host
                # (see ascii_host).
                host = {"Host": current.netloc.decode("ascii", "replace")}
                request = self._client.build_request("GET", current, headers=headers | host)
                jar.set_cookie_header(request)
                log.debug("GET %s", current)
                response = await self._client.send(request, stream=True)
            except Refusal as exc:
                if redirects:
                    exc.reason += f" (after a redirect to {current})"
                raise
            try:
                jar.extract_cookies(response)
                status = response.status_code
                location = response.headers.get("Location")
                if status in REDIRECT_STATUSES and location:
                    if redirects >= self._max_redirects:
                        raise FetchError(
                            url, f"too many redirects (more than {self._max_redirects})"
                        )
                    redirects += 1
                    current = self._parse(url, current, location)
                    continue
                return await self._result(url, current, response, etag, last_modified)
            finally:
                await response.aclose()

    def _parse(self, url: str, base: str | httpx.URL, location: str | None = None) -> httpx.URL:
        """The absolute http(s) URL for url (or for a redirect Location relative to base)."""
        try:
            parsed = httpx.URL(base).join(location) if location is not None else httpx.URL(url)
        except httpx.InvalidURL:
            raw = location if location is not None else url
            if not self._allow_private:
                refuse_odd_literal(raw)
            raise FetchError(url, "invalid URL") from None
        if not parsed.scheme:
            raise FetchError(url, "not an absolute URL (expected http:// or https://)")
        if parsed.scheme not in ("http", "https"):
            raise FetchError(url, f"unsupported URL scheme {parsed.scheme!r}")
        if not parsed.raw_host:
            raise FetchError(url, "URL has no host")
        if parsed.port is not None and not 0 < parsed.port < 65536:
            # httpx takes any number; the socket then raised OverflowError ("unexpected error").
            raise FetchError(url, f"invalid URL: port {parsed.port} is not 1-65535")
        return parsed

    async def _guard(self, target: httpx.URL) -> None:
        """Refuse a target before any traffic: local names and literal IPs always, names too
        when an injected transport connects outside our guarded backend."""
        if self._allow_private:
            return
        host = ascii_host(target)
        if self._check_before_request:
            port = target.port or (443 if target.scheme == "https" else 80)
            await resolve_checked(host, port, self._resolver, allow_private=False)
        else:
            check_host(host)

    async def _result(
        self,
        url: str,
        final: httpx.URL,
        response: httpx.Response,
        etag: str | None,
        last_modified: str | None,
    ) -> FetchResult:
        status = response.status_code
        if status == 304:
            return FetchResult(
                url=str(final),
                status=304,
                etag=_validator(response.headers.get("ETag")) or etag,
                last_modified=_validator(response.headers.get("Last-Modified")) or last_modified,
            )
        if status >= 400:
            retry_after = (
                parse_retry_after(response.headers.get("Retry-After"))
                if status in (429, 503)
                else None
            )
            reason = f"HTTP {status} {_reason_phrase(status)}"
            if retry_after is not None:
                reason += f" (retry after {retry_after:.0f} s)"
            raise FetchError(url, reason, status=status, retry_after=retry_after)
        if status in REDIRECT_STATUSES:
            reason = f"HTTP {status} {_reason_phrase(status)}: a redirect to nowhere (no Location)"
            raise FetchError(url, reason, status=status)
        if status != 200:
            raise FetchError(
                url, f"unexpected HTTP {status} {_reason_phrase(status)}", status=status
            )
        content = await self._read_body(url, response)
        content_type = response.headers.get("Content-Type", "")
        # A charset no document decodes with ("undefined", "idna", "base64") is no charset: the
        # body is read as if the server had named none (it raised where it was decoded).
        charset = response.charset_encoding
        return FetchResult(
            url=str(final),
            status=200,
            content=content,
            content_type=content_type.split(";", 1)[0].strip().lower(),
            encoding=charset if text_codec(charset) is not None else None,
            etag=_validator(response.headers.get("ETag")),
            last_modified=_validator(response.headers.get("Last-Modified")),
        )

    async def _read_body(self, url: str, response: httpx.Response) -> bytes:
        """Stream the body, decoding it, and stop as soon as it passes max_bytes."""
        too_large = FetchError(url, f"response larger than {_human_size(self._max_bytes)}")
        declared = response.headers.get("Content-Length", "")
        if declared.strip().isdigit() and int(declared) > self._max_bytes:
            raise too_large
        if response.is_stream_consumed:
            # A mock transport's response arrives read and already decoded.
            if len(response.content) > self._max_bytes:
                raise too_large
            return response.content
        try:
            decoder = _BodyDecoder(response.headers.get("Content-Encoding", ""))
        except ValueError as exc:
            raise FetchError(url, str(exc)) from None
        body = bytearray()
        async for chunk in response.aiter_raw():
            body += decoder.decode(chunk, self._max_bytes - len(body) + 1)
            if len(body) > self._max_bytes:
                raise too_large
            if decoder.done:
                break  # the rest is no part of the encoded body
        body += decoder.flush()
        if len(body) > self._max_bytes:
            raise too_large
        return bytes(body)


def fetch(
    url: str, *, etag: str | None = None, last_modified: str | None = None, **options: Any
) -> FetchResult:
    """Fetch one URL from synchronous code (the CLI); options are Fetcher's keyword arguments."""

    async def run() -> FetchResult:
        async with Fetcher(**options) as fetcher:
            return await fetcher.get(url, etag=etag, last_modified=last_modified)

    return asyncio.run(run())
