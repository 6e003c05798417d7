"""The SSRF guard: which hosts and addresses may be fetched, checked where the socket connects.

Reads every spelling of an IP a resolver accepts, classifies addresses (loopback, private,
link-local, ... and IPv4 embedded in IPv6), and gives httpx a network backend that resolves each
host once, refuses it unless every address is public, and connects to exactly those addresses.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

import httpcore
import httpx

log = logging.getLogger(__name__)

Resolver = Callable[[str, int], Awaitable[list[str]]]
"""Maps (host, port) to IP address strings; raises OSError (e.g. socket.gaierror) on failure."""

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_SHARED_NET = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64_NET = ipaddress.IPv6Network("64:ff9b::/96")


async def system_resolver(host: str, port: int) -> list[str]:
    """Resolve with the operating system's resolver (getaddrinfo), addresses in its order."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class Refusal(Exception):
    """A refused or unusable target, raised inside the transport (or before any traffic).

    The Fetcher turns it into a FetchError (BlockedURLError when `blocked`) for the right URL.
    """

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


def refuse_address(ip: IPAddress) -> None:
    """Raise Refusal naming the kind of address unless ip is public."""
    if (found := _non_public(ip)) is not None:
        kind, address = found
        raise Refusal(f"refused: host resolves to a {kind} address ({address})", blocked=True)


def check_host(host: str) -> None:
    """Refuse a URL host that is a local name, junk or a non-public IP literal; never resolves."""
    if (ip := _literal_or_name(host)) is not None:
        refuse_address(ip)


def refuse_odd_literal(raw_url: str) -> None:
    """Name a refused address even where httpx rejects its spelling (e.g. `0177.0.0.1`)."""
    try:
        host = urlsplit(raw_url).hostname
        ip = parse_ip(host) if host else None
    except ValueError:
        return
    if ip is not None:
        refuse_address(ip)


def _literal_or_name(host: str) -> IPAddress | None:
    """The IP a URL host denotes, None for a name; raises Refusal for local names and junk."""
    try:
        ip = parse_ip(host)
    except ValueError:
        raise Refusal(f"invalid host {host!r}", blocked=False) from None
    name = host.rstrip(".").lower()
    if ip is None and (name == "localhost" or name.endswith(".localhost")):
        raise Refusal(f"refused: {host!r} is a local host name", blocked=True)
    return ip


async def resolve_checked(
    host: str, port: int, resolver: Resolver, allow_private: bool
) -> list[str]:
    """The addresses to connect to for host; every one must be public unless allow_private."""
    ip = _literal_or_name(host) if not allow_private else _parse_ip_or_none(host)
    if ip is not None:
        if not allow_private:
            refuse_address(ip)
        return [str(ip)]
    try:
        addresses = await resolver(host, port)
    except UnicodeError:  # the idna codec: a label empty or over 63 characters
        raise Refusal(f"invalid host name {host[:100]!r}", blocked=False) from None
    except OSError as exc:
        log.debug("resolving %s failed: %s", host, exc)
        raise Refusal(f"could not resolve host {host!r}", blocked=False) from None
    if not addresses:
        raise Refusal(f"could not resolve host {host!r}", blocked=False)
    if not allow_private:
        # All of them, not just the first: the connection may fall through to any.
        for address in addresses:
            refuse_address(ipaddress.ip_address(address))
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
        addresses = await resolve_checked(host, port, self._resolver, self._allow_private)
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
        raise Refusal("unix sockets are not allowed", blocked=True)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport with its connection pool built on _GuardedBackend."""

    def __init__(self, resolver: Resolver, allow_private: bool) -> None:
        super().__init__(trust_env=False)
        # httpx offers no hook for a network backend, so swap the pool it built; httpx's
        # request mapping and error translation stay in place.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=_GuardedBackend(resolver, allow_private),
        )
