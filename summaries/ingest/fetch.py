"""HTTP GET with limits, an SSRF guard and conditional requests."""

from __future__ import annotations

import asyncio
import email.utils
import http.cookiejar
import ipaddress
import logging
import socket
import ssl
import zlib
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

import httpcore
import httpx

from summaries.types import BlockedURLError, FetchError, FetchResult

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "newsbrief/0.1 (+https://github.com/newsbrief/newsbrief)"
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,*/*;q=0.8"
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

Resolver = Callable[[str, int], Awaitable[list[str]]]
"""Maps (host, port) to IP address strings; raises OSError (e.g. socket.gaierror) on failure."""

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_SHARED_NET = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64_NET = ipaddress.IPv6Network("64:ff9b::/96")


async def system_resolver(host: str, port: int) -> list[str]:
    """Resolve with the operating system's resolver (getaddrinfo), addresses in its order."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class _Refusal(Exception):
    """Raised inside the transport; the Fetcher turns it into a FetchError for the right URL."""

    def __init__(self, reason: str, *, blocked: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.blocked = blocked


def parse_ip(host: str) -> IPAddress | None:
    """The address a host string denotes if it is an IP literal, in any form a resolver accepts.

    Besides dotted quads and IPv6 (with or without brackets), this reads the legacy inet_aton
    forms (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`), because resolvers turn those into
    addresses too. Returns None for a host name; raises ValueError for a host that ends in a
    number but is no valid address (as browsers do).
    """
    host = host.strip("[]")
    if ":" in host:
        return ipaddress.IPv6Address(unquote(host))  # unquote: zone ids come as %25
    labels = host.rstrip(".").split(".") if host not in ("", ".") else []
    if not labels or not _is_number(labels[-1]):
        return None
    if len(labels) > 4:
        raise ValueError(f"invalid IPv4 address {host!r}")
    numbers = [_parse_number(label, host) for label in labels]
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        raise ValueError(f"invalid IPv4 address {host!r}")
    value = last
    for i, n in enumerate(head):
        value += n << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


def _is_number(label: str) -> bool:
    if label[:2].lower() == "0x":
        return all(c in "0123456789abcdefABCDEF" for c in label[2:])
    return label.isascii() and label.isdigit()


def _parse_number(label: str, host: str) -> int:
    try:
        if label[:2].lower() == "0x":
            return int(label[2:] or "0", 16)
        if len(label) > 1 and label.startswith("0"):
            return int(label, 8)
        return int(label, 10)
    except ValueError:
        raise ValueError(f"invalid IPv4 address {host!r}") from None


def non_public_kind(ip: IPAddress) -> str | None:
    """Why an address must not be fetched ("loopback", "private", ...), or None if it is public."""
    found = _non_public(ip)
    return found[0] if found else None


def _non_public(ip: IPAddress) -> tuple[str, IPAddress] | None:
    """The kind of non-public address and the address itself (an IPv4 one embedded in IPv6)."""
    if isinstance(ip, ipaddress.IPv6Address):
        # Addresses that carry an IPv4 address reach that address: judge it too.
        embedded = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
        if ip in _NAT64_NET:
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        for inner in embedded:
            if inner is not None and (found := _non_public(inner)) is not None:
                return found
        if ip.scope_id:
            return "link-local", ip
    if ip.is_unspecified:
        kind = "unspecified"
    elif ip.is_loopback:
        kind = "loopback"
    elif ip.is_link_local:
        kind = "link-local"
    elif ip.is_multicast:
        kind = "multicast"
    elif isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED_NET:
        kind = "shared"
    elif ip.is_private:
        kind = "private"
    elif ip.is_reserved:
        kind = "reserved"
    elif not ip.is_global:
        kind = "non-public"
    else:
        return None
    return kind, ip


def _refuse_address(ip: IPAddress) -> None:
    if (found := _non_public(ip)) is not None:
        kind, address = found
        raise _Refusal(f"refused: host resolves to a {kind} address ({address})", blocked=True)


def _literal_or_name(host: str) -> IPAddress | None:
    """The IP a URL host denotes, None for a name; raises _Refusal for local names and junk."""
    try:
        ip = parse_ip(host)
    except ValueError:
        raise _Refusal(f"invalid host {host!r}", blocked=False) from None
    name = host.rstrip(".").lower()
    if ip is None and (name == "localhost" or name.endswith(".localhost")):
        raise _Refusal(f"refused: {host!r} is a local host name", blocked=True)
    return ip


async def _resolve_checked(
    host: str, port: int, resolver: Resolver, allow_private: bool
) -> list[str]:
    """The addresses to connect to for host; every one must be public unless allow_private."""
    ip = _literal_or_name(host) if not allow_private else _parse_ip_or_none(host)
    if ip is not None:
        if not allow_private:
            _refuse_address(ip)
        return [str(ip)]
    try:
        addresses = await resolver(host, port)
    except OSError as exc:
        log.debug("resolving %s failed: %s", host, exc)
        raise _Refusal(f"could not resolve host {host!r}", blocked=False) from None
    if not addresses:
        raise _Refusal(f"could not resolve host {host!r}", blocked=False)
    if not allow_private:
        # All of them, not just the first: the connection may fall through to any.
        for address in addresses:
            _refuse_address(ipaddress.ip_address(address))
    return addresses


def _parse_ip_or_none(host: str) -> IPAddress | None:
    try:
        return parse_ip(host)
    except ValueError:
        return None


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves each host once, validates the addresses and connects to those very addresses.

    httpcore still sends the host name in the Host header and as TLS SNI (and checks the
    certificate against it), so only the IP the socket uses is pinned. That closes DNS
    rebinding: no second lookup can swap in a private address after the check.
    """

    def __init__(self, resolver: Resolver, allow_private: bool) -> None:
        self._resolver = resolver
        self._allow_private = allow_private
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await _resolve_checked(host, port, self._resolver, self._allow_private)
        options = list(socket_options or ())
        last_error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                log.debug("connecting to %s (%s) port %d failed: %s", host, address, port, exc)
                last_error = exc
        assert last_error is not None  # addresses is never empty
        raise last_error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise _Refusal("unix sockets are not allowed", blocked=True)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport with its connection pool built on _GuardedBackend."""

    def __init__(self, resolver: Resolver, allow_private: bool) -> None:
        super().__init__(trust_env=False)
        # httpx offers no hook for a network backend, so swap the pool it built; httpx's
        # request mapping and error translation stay in place.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=_GuardedBackend(resolver, allow_private),
        )


class _BodyDecoder:
    """Undoes Content-Encoding without ever inflating more than the caller allows."""

    def __init__(self, content_encoding: str) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1:
            raise ValueError(f"unsupported content encoding {content_encoding!r}")
        self._coding = codings[0] if codings else None
        self._zlib: Any = None
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
        if self._coding == "deflate" and not self._started:
            self._started = True
            try:
                return bytes(self._zlib.decompress(data, limit))
            except zlib.error:
                # "deflate" in the wild is often raw deflate, without the zlib header.
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
        return bytes(self._zlib.decompress(data, limit))

    def flush(self) -> bytes:
        return bytes(self._zlib.flush()) if self._zlib is not None else b""


def _human_size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:g} MB"
    if n >= 1_000:
        return f"{n / 1_000:g} kB"
    return f"{n} bytes"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait per a Retry-After header (seconds or HTTP date); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _reason_phrase(status: int) -> str:
    return httpx.codes.get_reason_phrase(status) or "error"


def _cause_chain(exc: BaseException) -> Iterable[BaseException]:
    seen: BaseException | None = exc
    while seen is not None:
        yield seen
        seen = seen.__cause__ or seen.__context__


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
            transport=transport or _GuardedTransport(self._resolver, allow_private),
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
        except _Refusal as exc:
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
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
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
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        jar = httpx.Cookies()
        current = self._parse(url, url)
        redirects = 0
        while True:
            await self._guard(url, current, redirects > 0)
            request = self._client.build_request("GET", current, headers=headers)
            jar.set_cookie_header(request)
            log.debug("GET %s", current)
            try:
                response = await self._client.send(request, stream=True)
            except _Refusal as exc:
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
            self._refuse_odd_literal(url, raw)
            raise FetchError(url, "invalid URL") from None
        if not parsed.scheme:
            raise FetchError(url, "not an absolute URL (expected http:// or https://)")
        if parsed.scheme not in ("http", "https"):
            raise FetchError(url, f"unsupported URL scheme {parsed.scheme!r}")
        if not parsed.host:
            raise FetchError(url, "URL has no host")
        return parsed

    def _refuse_odd_literal(self, url: str, raw: str) -> None:
        """Name a refused address even where httpx rejects its spelling (e.g. `0177.0.0.1`)."""
        if self._allow_private:
            return
        try:
            host = urlsplit(raw).hostname
            ip = parse_ip(host) if host else None
        except ValueError:
            return
        if ip is not None and (found := _non_public(ip)) is not None:
            kind, address = found
            raise BlockedURLError(url, f"refused: host resolves to a {kind} address ({address})")

    async def _guard(self, url: str, target: httpx.URL, redirected: bool) -> None:
        """Refuse a target before any traffic: local names and literal IPs always, names too
        when an injected transport connects outside our guarded backend."""
        if self._allow_private:
            return
        try:
            if self._check_before_request:
                port = target.port or (443 if target.scheme == "https" else 80)
                await _resolve_checked(target.host, port, self._resolver, allow_private=False)
            elif (ip := _literal_or_name(target.host)) is not None:
                _refuse_address(ip)
        except _Refusal as exc:
            if redirected:
                exc.reason += f" (after a redirect to {target})"
            raise

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
                etag=response.headers.get("ETag") or etag,
                last_modified=response.headers.get("Last-Modified") or last_modified,
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
        if status != 200:
            raise FetchError(
                url, f"unexpected HTTP {status} {_reason_phrase(status)}", status=status
            )
        content = await self._read_body(url, response)
        content_type = response.headers.get("Content-Type", "")
        return FetchResult(
            url=str(final),
            status=200,
            content=content,
            content_type=content_type.split(";", 1)[0].strip().lower(),
            encoding=response.charset_encoding,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
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
